"""Parse a new 政协提案 or 人大建议: title, number, session, proposers, kind, suggestions.

Only what is in the text is extracted; a field not found stays empty and is listed in
``Proposal.missing`` so the UI can ask for it. Nothing is invented.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ..corpus.formats import PROPOSAL_SUFFIXES, unsupported
from ..corpus.loaders import load_file
from ..corpus.read_options import ReadOptions
from ..errors import LoadError
from ..genre.numerals import CN_NUMERAL, HAN
from ..genre.patterns import ACTION_VERBS, OPENING_VERBS, ROLE_BY_KIND, SESSION, is_organisation
from ..genre.sentences import split_sentences

# Numbering as genre/headings.py writes it: any Chinese numeral (十一, 十二 …), not one character.
_N = CN_NUMERAL
# The modals an ask is made with, written once: 应 not of 应用/应急/应对/应届/应变/应聘/应征, 要 not of 要素/要求/要点/要件,
# 需 not of 需求
_SHOULD = r"应(?![用急对届变聘征])"
_MODAL_YAO = r"要(?![素求点件])"
_NEED = r"需(?!求)"
TITLE_IN_BOOK = re.compile(r"《(关于[^《》\n]{2,80}?(?:的)?(?:提案|建议))》")
TITLE_LINE = re.compile(r"^(?:提案|建议)?(?:标题|题目|案由|案题)?[:：]?\s*(关于.{2,80}?(?:的)?(?:提案|建议))\s*$")
NUMBER_PATTERNS = [
    re.compile(r"(?:提案|建议)\s*(?:第|编号[:：]?\s*)?\s*(\d{1,5})\s*号"),
    re.compile(r"第\s*(\d{1,5})\s*号\s*(?:提案|建议)"),
    re.compile(r"(?:提案|建议)?编号\s*[:：]\s*(\d{1,5})"),
    re.compile(r"会议\s*(\d{1,5})\s*号\s*(?:提案|建议)"),
    re.compile(r"会议\s*第\s*(\d{1,5})\s*号"),  # 温州市第十四届人民代表大会第三次会议 / 第215号 (a line of its own)
    re.compile(r"(?:提案|建议)号\s*[:：]?\s*第?\s*(\d{1,5})"),  # 提案号：第0356号
]
# A proposer label starts a line or follows a space/separator ("领衔代表：陈明　附议代表：刘洋、黄丽");
# "张三代表：" (a salutation) is a name with a role, not a label.
PROPOSER_LABEL = re.compile(
    r"(?:^|(?<=[\s；;，,]))(?:第一|[市省区县]?(?:人大|政协))?"
    r"((?:领衔|附议|联名)(?:提案人|建议人|代表|委员|人)?|提案人|建议人|提出(?:人|代表|委员)|(?:提案|建议|提出)(?:单位|者)|代表|委员)[ \t\u3000]*[:：]"
    # 领衔代表 郑丽君 / 附议代表 黄建平 吴晓明: a printed form's label at a line's start, a space and no colon
    rf"|^((?:领衔|附议|联名)(?:代表|委员|人)|提案人|提案者|建议人)[ \t\u3000]+(?=[{HAN}]{{2,4}})",
    re.M,
)
# 叶青松 / 叶青松、吴晓梅 on a line of its own (not 案由、提案理由、主办单位: the form's next fields)
NAMES_LINE = re.compile(rf"(?![^\n]*(?:案由|理由|摘要|单位|正文|提案|建议|内容|附件|标题|题目))[{HAN}]{{2,4}}(?:[、，,\s]+[{HAN}]{{2,4}})*")
NAME_WITH_ROLE = re.compile(rf"(?<!领衔|附议|联名|提出)(?!领衔|附议|联名|提出)([{HAN}]{{2,4}})(委员|代表)(?=[，,、。：:\s]|等|$)")
SUGGESTION_HEADING = re.compile(
    r"^(?:"
    + _N
    + r"、|[（(]"
    + _N
    + r"[）)]|\d+[.、．])?\s*(?:具体|几点|对策|相关|主要|工作|意见)?(?:与|和|及)?(?:建议|对策|措施|意见)(?:如下|及对策)?\s*[:：。]?\s*$"
)
SUGGESTION_INLINE = re.compile(
    r"(?:为此|因此|对此|据此|特)?(?:再次|特)?(?:提出|有)?(?:(?:以下|如下)(?:几点)?|几点|[一二三四五六七八九十两]点)(?:具体)?(?:建议|意见)(?:供参考)?\s*[:：。]"
    # the proposer's own 看法/想法 (对此有以下几点看法。我们的具体想法是：), not what experts or firms think
    r"|(?:(?:为此|对此)(?:再次)?(?:提出|有)|(?:我们|我|笔者|本人)[^，,。；：:]{0,6}?(?:有|提出|说|谈))(?:以下|如下)?(?:几点)?(?:看法|想法)(?:供参考)?\s*[:：。]"
    r"|(?:我们|我|笔者|本人)的?(?:具体|主要)?(?:建议|意见|看法|想法)(?:是|为)\s*[:：]|(?:我们|我|笔者|本人)的?(?:具体|主要)?建议(?:是|为)[，,]"
    r"|(?:^|(?<=[。！？]))(?:(?:结合|针对|根据|基于)[^，,。；]{1,14}[，,]\s*)?(?:我们|我|笔者|本人)(?:提|提出|谈|说)(?:[一二三四五六七八九十两]|几)点(?:具体)?(?:建议|意见|想法|看法)(?:[，,]?供参考)?\s*[:：。]"
    r"|建议[^，,。；：:]{0,16}?(?:做好|抓好)以下(?:几[个项方面]|工作|几方面)[^：:。]{0,6}[:：]"  # 建议市科技局牵头做好以下工作：
    r"|(?:为此|因此|对此|据此|特此|鉴于此)[，,]?\s*(?:我们)?(?:提出|特)?(?:建议|提议)\s*[:：]"
    r"|(?:(?:结合|针对|根据|鉴于|基于)[^，,。；]{1,12}[，,]\s*)?(?:我们|我|笔者|本人)(?:特|再次)?(?:建议|提议)\s*[:：]"  # 结合以上情况，我们建议：
    r"|(?:为此|因此|对此)[，,]?\s*(?:我们)?(?:再次|特)?(?:提出|呼吁)\s*[:：]|^建议\s*[:：]"  # 为此，我们再次提出：; 建议：A；B；C
    r"|(?:具体|主要|几点|相关)?(?:建议|对策)如下\s*(?:[:：]|。$)"
    r"|(?:需要|应当|应|要)?从以下(?:几个|几)?方面(?:着手|入手|推进|发力|努力)\s*[:：。]"
    # 我们认为，……既要让技术“适老”，也要帮老人“用技术”：A；建议B；建议C: a view of what must be done, then its list
    r"|(?:我们|我|笔者|本人)[^，,。；：:]{0,16}?认为[，,][^。；：:]{0,60}?(?:要|应当|应|需要|必须)[^。；：:]{0,40}[：:]"
    # 我们认为，应从三个层面共同发力。从市级层面看，应……: the view announces the asks, one a level
    r"|(?:我们|我|笔者|本人)认为[，,]?(?:需要|应当|应|要)?从(?:[一二三四五两几]个)(?:层面|方面)(?:共同|同时)?(?:着手|入手|推进|发力|努力)\s*[:：。]"
    # 我们认为，市科技局……应当在以下几个方面有所作为。 (the proposer's view, not a work plan it quotes)
    r"|(?:我们|我|笔者|本人)认为[^。；：:]{0,40}?(?:需要|应当|应|要)在以下(?:几个|几)?方面(?:有所作为|着力|发力|下功夫)\s*[:：。]"
    # 我觉得政府要在几件事上使把劲：(the proposer's own view, not 企业认为…… or 杭州主要在这几个方面发力：)
    r"|(?:我觉得|我认为|我们认为|笔者认为)[^，,。；;：:]{0,8}?(?:要|应当?|需要)在(?:以下|这|这么)?几(?:件事|个方面|方面|点)上?[^，,。；;：:]{0,6}[:：]"
    # 我觉得可以着重做好三件事。头一件，是……: the proposer's own, counted
    r"|(?:我觉得|我认为|我们认为|笔者认为|建议)[^，,。；;：:]{0,10}?(?:做好|抓好|办好|干好)(?:[一二三四五两几]|以下几)件(?:事|实事)\s*[:：。]"
)
# An item's number: 一是, 一、, （一）, 1. / 1、, （1）; and, only once the asks have begun (a 建议 heading,
# 建议如下：, an opening 建议 — before that they order problems or quote a speech: 总书记强调：一要……),
# 一要, 第一，, 首先，/其次，/最后，
ORDINAL_WORDS = "首先|其次|再次|然后|最后"
ITEM = re.compile(
    r"^\s*(?:(" + _N + r")是|(" + _N + r")、|[（(](" + _N + r")[）)]|(\d{1,2})\s*[.、．)）](?!\d)|[（(](\d{1,2})[）)]"
    r"|(" + _N + r")要|第(" + _N + r")[，,、：:]|(" + ORDINAL_WORDS + r")[，,：:]|其(" + _N + r")[，,、：:]|([①-⑳]))\s*"
)
ASKS_ONLY_STYLES = (5, 6, 7, 8, 9)  # 一要, 第一，, 首先，, 其一，, ① (also one ask's points: 具体做法：①……)
ORDINAL_STYLE = 7  # 首先/其次/最后: a list only when it opens with 首先
# 一是…二是… may run inside one paragraph: where each starts.
INLINE_ENUM = re.compile(r"(?<=[。；;：:\s])(?=" + _N + r"是)|(?<=建议[，,])(?=一是)")  # …；二是……; 我们建议，一是……
# So may 一要…, 第一，…, 其一，…, 首先，…其次，…, 1.…2.…, （1）…（2）… — split only after 建议如下： and only where the
# asks are not numbered line by line (there they number an item's own details)
# 我们认为，……，一要……，二要……，三要……。: one sentence, its asks numbered between commas
COMMA_LIST = re.compile(r"[，,]\s*一要(?![求素点件])[^。；]+[，,；;]\s*二要(?![求素点件])")
COMMA_ENUM = re.compile(r"(?<=[，,])(?=\s*" + _N + r"要(?![求素点件]))")
INLINE_NUMBERS = re.compile(
    r"(?<=[。；;：:\s])(?=" + _N + r"要|[第其]" + _N + r"[，,、]|(?:" + ORDINAL_WORDS + r")[，,]|\d{1,2}[.、．](?!\d)|[（(](?:" + _N + r"|\d{1,2})[）)])"
    r"|(?<=建议[，,])(?=一[要是]|[第其]一[，,、]|首先[，,])|(?<=认为[，,])(?=一要)|(?<=认为)(?=一要)"  # 我们建议，一是……；二是……; 我们认为，一要……
)
_VERBS = "(?:" + "|".join(OPENING_VERBS) + ")"
ACTION = re.compile(r"^(?:建议|应当|应|要|需要|需|请|希望)?.{0,6}?" + _VERBS)
# verbs that open an ask in proposals but say nothing of a unit's matter (so not ACTION_VERBS, which the drafting weighs)
ASK_ONLY_VERBS = (
    "赋予",
    "畅通",
    "打造",
    "培育",
    "整合",
    "搭建",
    "组建",
    "编制",
    "推广",
    "明确",
    "争取",
    "统筹",
    "改进",
    "调整",
    "遴选",
    "允许",
    "放宽",
    "引进",
    "引入(?![的了])",  # 项目验收应当引入第三方现场核查
    "推行",
    "核定",
    "延长",
    "发布",
    "设置(?!在|了|的)",  # not 设置在主干道上的站台……
    "试点(?=(?:建设|开展|推行|实施|设立|引入)(?!以来|后|中|的))",  # not 试点地区、试点开展以来
    "谋划",
    "补齐",
    "督促",
    "打通",
    "增设",
    "充实(?![的了])",  # 充实基层农技推广队伍
    "举办(?![的了过])",  # 在交流活动方面，每年举办……大会
    "改革(?=[^，,。；]{0,8}?(?:办法|机制|制度|方式|模式))",  # 同时，改革特派员考核办法 (not 改革开放以来)
    "(?<!不)改变(?=[^，,。；]{0,10}?(?:办法|机制|制度|方式|模式|做法))(?![了过])",  # 同时，改变单一的财政补助方式 (not 不改变……, 改变了……)
    "单列(?![的了])",  # 在市级科技计划中单列中医药专项
    "放开(?![的了])",  # 在医共体范围内放开院内制剂调剂使用
    "开设(?![的了])",  # 依托社区科普e站，常态化开设“银龄数字课堂”
    "增加(?![了的过值])",  # 此外，在……评审中增加科技伦理审查要求 (not 增加值)
    "记入(?![了的])",  # 对……等行为，依法记入学术诚信档案
    "布设(?![的了])",  # 同时，依托农村文化礼堂布设科普e站
)
# verbs that ask only after a connective, a modal or as a paragraph's title (同时，压缩……; 评审应更加注重……; 保留和优化……),
# never opening a sentence alone: 保留下来的村落、放开落户以来、压缩编制以后、安排给社区的经费 say what is
_LATE_VERBS = r"(?:压缩|缩短|安排|注重|保留|放开)(?![下了过给的])"
_ANY_VERB = "|".join(sorted({*ACTION_VERBS, *ASK_ONLY_VERBS}, key=len, reverse=True))
# A clause that opens with what to do (建设线上服务超市；开展……): a suggestion's own verb, nothing before it
# (创新是引领发展的第一动力, 提高了……的做法: a subject or a deed, not an ask).
LEADING_VERB = re.compile(r"^(?:积极|主动|大力|切实|着力|进一步|系统|全面)?(?:" + _ANY_VERB + r"|参与(?!调查|人数|率|度))(?![是的了着过后])")
# A closing line (以上建议，恳请予以研究采纳。) asks for the letter to be considered, not for something to be done.
CLOSING = re.compile(
    r"^(?:以上|上述)(?:提案|建议|意见|几点|想法|看法|问题)|(?:研究|予以)采纳|(?:^|[，,])(?:恳请|请|提请|望)[^，,。；]{0,16}?(?:研究|予以)办理[。！]?$|^希望[^。；]{0,10}?(?:得到|被)采纳|妥否|请酌[。！]?$|(?<!提)供参考[。！]?$"
    r"|^(?:我们)?(?:希望|期待)(?:以上|上述|这些|我们的)(?:建议|意见|提案)|^总之[，,]|^(?:希望|恳请|请|提请)[^，,。；]{0,10}?重视[。！]?$"
    r"|(?:^|[，,])(?:希望|恳请)(?:我们的|以上|上述|这些)?(?:提案|建议|意见|想法)?能?(?:得到|引起)(?:有关部门|相关部门|市委市政府|政府|领导)?的?"
    r"(?:高度)?(?:重视|支持|关注)(?:和(?:重视|支持|关注))?[。！]?$|^期待[^。；]{0,6}?(?:答复|回复)[。！]?$"
    r"|^(?:希望|恳请|请|提请)[^，,。；]{0,10}?(?:(?:予以|高度|引起|给予)重视|认真研究|加大(?:推进|工作)力度)"
    r"(?:[，,](?:加大[^，,。；]{0,20}?力度|及早谋划部署|抓紧推进|切实推进|让[^。；]*))?[。！]?$"
    # 深化……，需要各部门各司其职、形成合力。: a call on everyone, not a task for anyone
    r"|^(?![^。；]*(?:建议|希望|呼吁|请求))[^。；]*需要[^，,。；]{0,12}?(?:各部门|各方|全社会|社会各界)[^。；]*(?:各司其职|形成合力|共同发力|久久为功)"
    r"|^(?!对)(?:[^。；]*[，,])?(?:恳请|请|希望)(?:有关部门|相关部门|领导)?(?:予以|给予)(?:关注|重视|考虑|支持)[。！]?$"  # 这些都是……，恳请予以关注。
    # 恳请有关部门研究。/ 希望全社会都来关心……: the letter handed over, or a call on everyone — nobody told what to do
    # (not 希望设立专项资金支持基础研究, 请市人大常委会尽快审议……, 希望全社会……，建议市科协……)
    r"|^(?:恳请|请|提请|希望)(?:[^，,。；]{0,12}?(?:部门|政府|领导|常委会|单位))?(?:认真|深入|统筹)?(?:研究|酌处|审议)[。！]?$"
    r"|^(?:希望|呼吁)(?:全社会|社会各界|各界|大家)(?![^。；]*(?:建议|应当|应该|资金|财政|基金))"
)
# 以上是一名……的切身感受，希望……，恳请有关部门研究。: one sentence handing the whole letter over, every clause of it
# closing — not 以上问题亟待解决，建议…… (what follows 以上 there is the matter) nor 以上是……的主要困境，建议市科技局……
# (an ask after it)
CLOSING_SENTENCE = re.compile(
    r"^(?:以上|上述)(?:是|为|仅为|只是|就是|所提)(?![^。；]*[，,](?:我们|我)?(?:建议|应当|应该|要|希望[^，,。；]{0,6}?(?:市|政府|部门)))"
    r"[^。；]*(?:研究|采纳|办理|参考|重视|关注)[。！]?$"
)
# What opens a suggestion sentence without being part of it: 同时，希望 / 建议 / 要 (not 应用、要素、需求).
# 最后一公里、再次创业、也就是说 are words: those connectives count only with their comma
_LEADING_CONNECTIVES = (
    r"^(?:(?:(?:与此同时|同时|另外|此外|并且|而且|再就是|另一方面|一方面|还|也(?!就是|是))[，,\s]*)"
    r"|(?:(?>在[^，,。；在]{1,12}?方面)|在此基础上|第" + _N + r"方面|另一方面|其次|再次|再者|再就是|还有|再有|最后"
    r"|对此|为此|因此|据此|具体而言|具体来说)[，,：:]\s*)*"
)
LEAD_OPENER = re.compile(_LEADING_CONNECTIVES + r"(?:建议|希望|需要|" + _MODAL_YAO + "|应当|" + _SHOULD + "|" + _NEED + r")?\s*")
# A leading clause that names the actor (市科技局会同……) or the circumstance (围绕……、针对……).
_AGENCY = r"(?:局|部门|委员会|委|办|厅|政府|单位)"
# (市科技局会同农业农村部门，) — who works with whom: the clause names agencies only.
SETTING_CLAUSE = re.compile(
    r"^(?:由?[^，,]{1,16}?"
    + _AGENCY
    + r"(?:会同|牵头|联合|协同|配合)[^，,]{0,24}?(?:"
    + _AGENCY
    + r"|等)[，,]|(?:围绕|针对|结合|按照|依托|根据|对照|立足|聚焦|对于|考虑到|鉴于)[^，,]{2,40}[，,]"
    + r"|以[^，,]{2,30}为(?:单元|重点|抓手|载体|核心|导向|主体|依托)[，,])$"
)
# 按照……改进……办法，为科研人员提供便利: a clause that opens like a setting but acts (改进), followed by
# its purpose, is the ask; 针对融资难问题，为企业提供……: the setting of the ask 为企业提供…… (no verb in it).
PURPOSE_CLAUSE = re.compile(r"^(?:为了?|以便|以期|从而|进而|使|让|做到|确保)")
SETTING_VERB = re.compile(r"改进|改革|简化|制定|落实|提高|加强|加大|加快|完善|推动|推进|优化|强化|设立|出台|实行|推行|建立|健全|建设|组建|搭建|打造")
# In free prose, a sentence opened by 建议/希望 is a suggestion whatever its verb — also behind
# the connectives prose puts first (为此建议、同时还建议、此外，建议、我们呼吁).
_ASPECT = r"(?>在[^，,。；在]{1,12}?方面)"  # 在资金方面，建议…… (atomic: a run of them must not backtrack)
_IN_VIEW_OF = r"(?:针对|鉴于|基于|结合)(?:这些|上述|以上|这一|这种)[^，,。；]{0,8}"  # 针对这些情况，我们认为……
ASK_CONNECTIVE = (
    r"(?:(?:为此|因此|所以|故|对此|据此|有鉴于此|鉴于此|基于此|在此基础上|"
    + _IN_VIEW_OF
    + "|"
    + _ASPECT
    + r"|与此同时|同时|此外|另外|第"
    + _N
    + r"方面|一方面|另|最后|还|并|也|再次|再|特"
    r"|我们|我(?![市国省区县局们])|笔者|本人|(?:我们|我)[^，,。；]{0,10}?(?:愿望|心愿|期盼|诉求)[，,]?是)[，,]?\s*)*"
)
# 请有关部门研究……: 请 asks where it addresses someone (not 申请、邀请)
# 期待/期盼 ask where someone or something to do follows (not 期待已久的……, 期盼早日改变这一状况)
_ASK_WORD = (
    r"(?:建议|希望|呼吁|恳请|提请|请求|可以?考虑|不妨(?!说)|请(?=有关|相关|市|政府|各)|为什么不(?!能|愿|会|是|敢|肯|想|去|再)|何不"
    r"|(?:期待|期盼)(?!已久)(?=[^，,。；]{0,12}?(?:市|省|县|区|政府|部门|有关|相关|在|能|把|将|" + _ANY_VERB + r")))"
)
# 科技部门能否联合攻关……: a question put to someone in its first clause asks (not 企业能否获得贷款，关键在于……)
_QUESTION = r"(?:能否|能不能|可否|可不可以|是否可以)"
# what the question asks to be done: a verb (or who is to do it) right after it — not 能否顺利转化，是……的标志
_QUESTION_DOES = (
    r"(?=(?:(?:依托|通过|联合|会同)[^，,。；;？?]{1,24}[，,])?[^，,。；;？?]{0,16}?(?:" + _ANY_VERB + r"|提高|纳入|列入|安排|给予|牵头|布设|布局|把|将|比|再))"
)
# 能否……，关键在于……: what decides it; 能否享受同等政策不明确: what is unclear
_QUESTION_WEIGHS = r"(?![^。；;？?]*(?:关键在于|关键是|取决于|在于|关系到|决定了|不明确|不清楚|不确定))"
QUESTION_ASK = r"(?=[^，,。；;？?：:]{0,24}?" + _QUESTION + _QUESTION_DOES + _QUESTION_WEIGHS + ")"
# 我们认为，应当……: the proposer's view of what must be done asks as 建议 does (not 我们认为，这是……).
_NOTING = r"(?!(?:该|要)?(?:指出|看到|认识到|意识到|注意到|承认|说))"  # 需要指出的是、应该看到: a remark, not an ask
# 高度重视、坚持、常抓不懈: an exhortation, not a task anyone could report on
_EXHORTING = r"(?!高度重视|重视|坚持|常抓不懈|久久为功|与时俱进|充分认识)"
# 我们认为，做好农村科普工作，一要……: what the asks serve, named before them
_SERVING = r"(?:(?:做好|推动|推进|加强|促进|实现|破解|解决|提升)[^，,。；]{2,14}[，,])"
# …then a list (一要……) or a duty with its action (首先要补齐……), not a principle (需要综合施策、首先要转变观念)
_SERVED_ASK = r"(?=(?:一方面|首先|第一|其一)?[，,]?(?:还|也)?(?:一要|(?:要|应当|应该|应|需要|必须)(?:进一步|加快|尽快|切实|大力)?(?:" + _ANY_VERB + ")))"
_VIEW_ASK = (
    r"认为[，,]?\s*(?:" + _SERVING + _SERVED_ASK + r")?(?:一方面|首先|第一|其一)?[，,]?(?:在[^，,。；]{2,20}?的同时[，,])?"
    r"(?:(?:各县（市、区）|各地|各级政府|市政府|政府|有关部门|相关部门)(?=[^，,。；]{0,2}(?:应当|应该|要|需要|必须)" + _EXHORTING + "))?(?:还|也)?"
    r"(?:当务之急是|(?:应当|应该|" + _SHOULD + "|" + _MODAL_YAO + r"|需要|必须|有必要(?=在|对|把|将|" + _ANY_VERB + r"))" + _NOTING + r"(?!引起|高度重视|重视)"
    # 我们认为可以借鉴外地经验推行……: what may be done, in the proposer's view
    r"|可以(?=(?:借鉴[^，,。；]{1,12}?(?:经验|做法)[，,]?)?(?:" + _ANY_VERB + r")(?![是的了着过]))"
    r"|(?=一要(?!看到|清醒|认识|正视|肯定|承认))"
    # 笔者认为，项目验收应当引入第三方核查: a duty laid on a thing named first, with its action
    r"|(?=[^，,。；是]{2,10}?(?:应当|应该|必须)(?:进一步|加快|尽快|切实)?(?:" + _ANY_VERB + r")))"
)
# ……，因此，应当由市科技局牵头……: a duty drawn from what went before, laid on someone, asks too (not 因此，必须高度重视……)
_THEREFORE_MUST = r"(?:因此|为此|所以)[，,]?\s*(?:应当|应该|必须)由"
# (为此，市里可否考虑设立……: a question behind a connective asks as one at the start does)
EXPLICIT_ASK = re.compile(r"^(?:" + ASK_CONNECTIVE + r"(?:" + _ASK_WORD + "|" + _VIEW_ASK + "|" + QUESTION_ASK + r")|" + _THEREFORE_MUST + ")")
# ……，购置补贴比例能不能再高一些: once the prose has asked, a question later in the sentence asks too
LATER_QUESTION = re.compile(r"^(?!比如|例如|譬如)[^。；;]{0,40}?[，,][^，,。；;]{0,16}?" + _QUESTION + _QUESTION_DOES + _QUESTION_WEIGHS + r"[^。]*[？?；;]$")
ASK_AFTER_COMMA = re.compile(
    # not where someone's need is told (企业也有……的需求，希望在欧洲设立研发中心)
    r"(?<=[，,])(?<!需求[，,])"
    r"(?=(?:(?:因此|为此|所以|对此|故)[，,]?(?:我们|我)?(?=建议|提议)|同时|此外|另外|并|还|也|再次|再|我们|我)*"
    + _ASK_WORD
    + r"(?!办理|书|案|稿|人|者|的|和|与|中|等|内容|事项|工作)|可以?考虑(?!的)|"  # ……的问题，可考虑与……合作共建……
    + _THEREFORE_MUST
    # ……，有鉴于此，我们认为应当……; ……，因此我们认为有必要在……建立……
    + r"|(?:有鉴于此|鉴于此|为此|因此)[，,]?\s*(?:我们|笔者|本人)?认为[，,]?\s*(?:应当|应该|必须|有必要(?=在|对|把|将|"
    + _ANY_VERB
    + r"))"
    + r"|(?:我们|笔者|本人)认为[，,]?\s*一要(?!看到|清醒|认识|正视|肯定|承认))"  # 结合我市实际，我们认为，一要……
    + r"|(?<=[：:])(?=能不能|能否|可否)"  # 我想问一问：能不能……？
    + r"|(?:我们|我|笔者|本人)认为[，,]?\s*当务之急是"  # ……，在此情况下，我认为当务之急是要把……
    + r"|(?<=方面加大支持[：:])|(?<=个方面(?:发力|着手|入手|推进)[：:])"  # 我认为市里应当从三个方面加大支持：市科技局应……
    + r"|(?<=(?:是关键|是基础|是根本|是前提|是核心)[，,])(?=(?:应当|应该|要|需要|必须)(?:把|将|"
    + _ANY_VERB
    + "))"  # 教师是关键，应当把……
)
# 对于低楼层住户的补偿问题，可由……: the matter an ask is about, before it
SETTING_LEAD = re.compile(r"^(?:对于?[^，,。；]{2,30}?|[^，,。；]{1,12}的问题)[，,]")  # 对于……，可由……; 地的问题，要……
# 此外，在职称评审中，对……，应把……: behind a connective, where (not 在实际办理中，需要申请人…… on its own: what is)
IN_SETTING = re.compile(r"^在[^，,。；]{2,20}?(?:中|上|里|时)[，,]")
CONSIDERING = re.compile(r"^(?:考虑到|鉴于)[^，,。；]{2,30}?[，,]")  # 考虑到……，市里还应当……: only an actor told after it
# 另外，对……企业给予奖励。/ 还可以探索……: in prose numbered 首先…其次…最后, an ask between the numbers.
FURTHER_ASK = re.compile(
    r"^(?:另外|此外|还)[，,]?\s*(?:可以|要|应当?|需要)?(?:对[^，,。；]{2,40}?[，,]?)?(?:在[^，,。；]{1,20}?(?:上|中|方面)[，,]?)?"
    r"(?:" + "|".join(OPENING_VERBS) + r"|给予|予以|探索|建设)"
)  # 另外，对到山区县工作的科技人才，在住房和津贴上给予专门补助
# Once the prose has asked: a further duty laid on something named first (政府网站和常用应用也应当……,
# 文化礼堂完全可以……) or on a matter set out first (针对老年人不会用的问题，可以依托……)
_INSTITUTION = r"(?:网站|应用|部门|单位|机构|学校|礼堂|中心|社区|平台|政府|医院|高校|园区|局|委|企业|院所)"
_DUTY_VERB = r"(?:" + _ANY_VERB + r"|设置|挂上|推出|提供|依托|通过|组织|(?:把|将)(?!来|近|会|要|握))"
FURTHER_DUTY = re.compile(
    r"^(?:[^，,。；]{1,18}?" + _INSTITUTION + r"[^，,。；]{0,4}?(?:也|还|完全)(?:应当|应该|" + _SHOULD + r"|要|需要|可以)(?!求)"
    r"|(?:针对|对于)[^，,。；]{2,30}?[，,]\s*(?:还|也)?(?:可以|应当))" + _DUTY_VERB
)
# 在温高校、医疗卫生机构和……的企业应当按要求设立……: a duty laid on those who must do it, in plain 应当
PLAIN_DUTY = re.compile(r"^[^，,。；]{1,40}?" + _INSTITUTION + r"(?:都|均)?(?:应当|应该)(?:按要求|按照规定|依法|主动)?" + _DUTY_VERB)
# 可以推广……的模式: once the prose has asked, what may be done asks too (not 可以说、可以看到)
MAY_ASK = re.compile(
    r"^(?:还|也)?(?:可以(?:考虑)?(?!说|看到|看出|预见|想见|肯定)|可(?=依托|通过))"
    + _DUTY_VERB
    + r"|^(?:还|也)?可(?:以)?(?:结合|围绕|借鉴|在)[^，,。；]{1,20}?[，,]?"
    + _DUTY_VERB  # 可借鉴杭州经验，设立……
)
ASPECT_LEAD = re.compile(r"^" + _ASPECT + r"[，,]\s*")
ASPECT_ACTION = re.compile(r"^(?:每年|定期|逐步|分批|(?:联合|会同|协同)[^，,。；]{1,20}?)" + _DUTY_VERB)  # 每年遴选……; 联合高校开展……
# A further ask in prose that has asked with 建议 before: 此外，要……; 同时，……
SPECIFICALLY = r"具体而言|具体来说|具体地说|具体说来"  # 具体而言，应当尽快出台……: the view's asks, one by one
FOLLOW_ON = re.compile(
    r"^(?:(?:"
    + _ASPECT
    + r"|第"
    + _N
    + r"方面|在此基础上|此外|与此同时|同时|另一方面|一方面|另外|另|再就是|还有|再有|还|并且|其次|再次|最后|再者)[，,]?"
    + r"|(?:"
    + SPECIFICALLY
    + r")[，,：:])"
)
# What follows 此外，/同时， in an ask (要……, 允许……), not in a reason (同时，这也有利于……; 此外，对中小企业而言……).
_MUST = r"(?:要|应当|应该|" + _SHOULD + "|需要|" + _NEED + "|必须)"  # the duty an ask opens with, and what merely notes (要看到……)
_NOT_NOTING = r"(?!要?(?:看到|认识到|意识到|注意到|指出|说明|肯定|承认|强调))"  # not 需要指出的是 (需 then 要指出)
# 同时，在政府采购中明确……; 此外，将保费补贴比例提高到80%: a setting, or the 将/把 of what is done to what
_SETTING = r"(?:在[^，,。；]{2,30}?(?:中|上|里|方面|领域|环节|的同时)[，,]?|(?:依托|围绕|聚焦)[^，,。；]{2,30}?[，,])?"
_DISPOSAL = (
    r"(?:将|把)(?!来|近|会|要|握)(?![^，,。；]*(?:现象|问题|情况|时有发生))[^，,。；]{1,30}?"
    r"(?:纳入|列入|提高|作为|调整|扩大|延长|下放|用于|" + _ANY_VERB + ")"
)
DISPOSAL = re.compile(_DISPOSAL)
ASK_BODY = re.compile(
    r"^(?:还|也|并|再)?" + _SETTING + r"(?:积极|主动|大力|切实|着力|进一步|专门|适当|每年|定期|依法)?"
    r"(?:(?:"
    + _MUST
    + r"|可以|可由|可(?=(?:"  # 此外，可允许企业使用……: 可 right before what to do (not 可推广的经验不多)
    + _ANY_VERB
    + r")(?![是的了着过到])))"
    + _NOT_NOTING
    + "|(?:"
    + _ANY_VERB
    + r"|允许|鼓励|引导|推行|实行|组织|(?:分档次|分类|分级|适当|一次性)?(?:给予|予以)|"
    + _LATE_VERBS
    + r")(?![是的了着过到])"
    + r"|(?<=积极|主动)(?:与|同)[^，,。；]{1,20}?(?:对接|合作|联动|协作)[，,]"  # 积极与省基金委对接，争取……
    + r"|对[^，,。；]{2,20}?(?:实行|给予|予以)(?![^，,。；]*(?:是|的做法|的政策))|"
    + _DISPOSAL
    + r"|由[^，,。；]{1,12}?(?:局|部门|财政|政府|委|办|市里)(?:牵头)?(?=(?:"
    + _ANY_VERB
    + r"|安排|出资|负责|统筹|梳理)(?!的)))"
)
# What a clause says is the case (存在……问题、尚未形成、难度很大), not what is to be done
STATE_OF_THINGS = re.compile(r"存在|尚未|时有发生|难度|面临|的问题|的现象|仍然|仍(?:有|是|在)")
# 建议扩大……；允许……；整合……；按照……改进……；同时推广……。: after an ask that ends in a semicolon, each
# clause that opens with what to do — a wider set of verbs than a sentence needs to ask on its own, or a
# setting running into its verb (按照科研规律改进……) — is an ask of its own.
LIST_VERB = re.compile(
    r"^(?:"
    + _ANY_VERB
    + r"|允许|整合|推广|改进|改革|打造|取消|放宽|提供|给予|保障|推行|实行|组织|引进|培育|搭建|畅通|统筹|明确|赋予|下放|减少|精简|清理)(?![是的了着过])"
)
# (结合瑞安、永嘉等地资源，建设……: what it draws on, then after its comma what to do)
GUIDED_ACTION = re.compile(r"^(?:按照|根据|围绕|结合|针对)[^，,；;。]{2,24}?[，,]?(?:" + _ANY_VERB + r"|改进|改革|调整|推广|整合)")
# 此外，实施该项目的资金已基本落实: a fact, whatever verb opens it
# (对已建成的国际联合实验室开展……: what was built, named, is no fact told)
DONE_ALREADY = re.compile(r"已经|已基本|已初步|也已|均已|都已|已(?:落实|具备|完成|取得|形成|建成|建立|出台|设立|实施|开展|推出|启动)(?!的)")
MODAL_ASK = re.compile(r"^(?:应当|应该|" + _SHOULD + "|" + _MODAL_YAO + "|需要|" + _NEED + r"|必须|亟需|亟待)" + _NOTING)
# Who is asked to act, before what to do: 建议市政府采取……的方式，…… / 建议有关部门……
_ACTORS = r"(?:市委市政府|市委|市政府|政府|省政府|市级?有关部门|有关部门|相关部门|各级政府|各县（市、区）|各地|市科技局|科技部门|主管部门)"
# (市科技局会同……部门，: a setting clause, see below)
ACTOR = re.compile(
    r"^(?:可以?)?(?:由)?" + _ACTORS + r"(?!会同|联合|协同|配合|网站|门户|数据|投资|采购|资金|工作|和|、|及|与)(?:层面|方面)?(?:牵头|要|应当|应|进一步)?"
)
# 市科技局应当……、人社部门要……: in prose that has asked with 建议, an agency told what it must do asks too
# (not 建立健全部门应急……, 产业布局应当……, 各部门应对……).
_AGENCY_NAMED = (
    r"(?:" + _ACTORS + r"|[^，,。；]{0,6}?部门"
    r"|(?:市|县|区|省)[^，,。；]{0,8}?(?:(?<![布格结大全开出变僵骗当])局|委员会|(?<!委)委|办公室|办)|[^，,。；]{0,8}?(?:人民法院|人民检察院)"
    r"|(?:市|县|区|省)级?财政)"
)
_DUTY = r"(?:层面|方面)?(?:要|应当|应该|" + _SHOULD + r"|需要|需(?=将|把|加快|尽快|进一步)|亟须|亟需|务必|须|必须|可以?(?![能是见谓])(?:考虑)?)(?![用素求点件])"
# an institution that is no agency (各区县政府、高新区管委会、高校) is told what to do only with a verb after its duty
_INSTITUTION_ACTOR = (
    r"(?!以前|过去|去年|今年|此前|原来|曾)[^，,。；和、及与以明规要]{0,6}?"
    r"(?:政府|管委会|功能区|高新区|园区|(?:高校)?院所|高校|医院|医疗(?:卫生)?机构|学校|市里|县里)"
)
_ONE_ACTOR = r"(?:" + _AGENCY_NAMED + "|" + _INSTITUTION_ACTOR + ")"
_DUTY_DONE = (
    r"(?=(?:(?:对照|围绕|结合|按照|依托|针对)[^，,。；]{2,30}[，,])?(?:进一步|加快|尽快|集中力量|切实|全面|还)?"
    r"(?:在[^，,。；]{2,16}?(?:中|上|里|内))?"  # 市里可以考虑在市级科技计划中单列……
    r"(?:" + _ANY_VERB + r"|改革|把|将|牵头|安排|恢复|放宽|取消|认可|对[^，,。；]{2,20}?(?:予以|给予)(?:倾斜|支持|奖励|补助|补贴))(?!的))"
)
ACTOR_MODAL = re.compile(
    r"^(?!"
    + _ANY_VERB
    + r")(?:由)?(?:"
    + _AGENCY_NAMED
    + r"(?:也|还|则)?"
    + _DUTY
    + "|"
    + _ONE_ACTOR
    + r"(?:(?:和|、|及|与|以及)"
    + _ONE_ACTOR
    + r")*(?:也|还|则)?(?:在[^，,。；]{2,20}?(?:中|上|里|方面))?"  # 医院在绩效考核中应当认可……
    + _DUTY
    + _DUTY_DONE
    + ")"
)
# …会同卫健、教育等部门成立……: whom the actor works with, before the action.
CO_ACTOR = re.compile(r"^(?:会同|联合|协同|协调)(?:[^，,。]{1,30}(?:部门|单位|机构|局|委|院所|企业|高校)[，,]|[^，,。]{1,30}?(?:部门|单位|机构|局|委))")
# 采取“企业出题、高校答题”的方式，组织攻关: the manner is a detail; the action follows it.
MANNER_CLAUSE = re.compile(r"^(?:采取|采用|通过|以)[^，,]{2,40}?(?:的方式|的办法|的形式|方式|办法|模式)[，,]")
# 首先，要搭建……: prose that opens its asks by numbering them, with no 建议 before.
ORDINAL_ASK = re.compile(r"^(?:首先|第一)[，,]\s*(?:" + _MUST + _NOT_NOTING + "|" + _ANY_VERB + r")")
# …and where it is read inside a paragraph: with the action itself (首先，要谋划建设……; not 首先，要征得……同意)
ORDINAL_ACTS = re.compile(
    r"^(?:(?:首先|第一)[，,]\s*(?:" + _MUST + r"(?:进一步|加快|尽快|切实|大力)?)?(?:" + _ANY_VERB + r")|一要(?:" + _ANY_VERB + r"|将|把))(?![是的了着过])"
)
ATTACHMENTS = re.compile(r"^附\s*件\s*\d*\s*[:：\s]")
# What may stand between where the asks begin and a list numbered 第一，/首先，/一要 or run together in one
# paragraph: nothing, or words announcing the list (建议从以下几个方面着手。) — not an ask of its own, a
# speech (强调：一要……) or reasons (理由如下：第一，……), which such numbers also order.
LIST_OPENER = re.compile(
    r"^(?:(?:为此|因此|对此|据此|特此|鉴于此)[，,]?|(?:结合|针对|根据|对照|围绕)[^，,。；]{1,12}[，,])?(?:我们|我)?(?:认为|提出|提|特)?(?:如下|以下)?(?:几点|具体)?(?:建议|对策|措施|想法|意见)?(?:如下|是)?(?:[，,]?供参考)?"
    r"(?:从以下(?:几个)?方面(?:着手|入手|推进|发力)?)?(?:[，,]" + _SERVING + r")?[。：:，,]?$"
    # 为此，建议我市在……上下更大功夫：一要……: the aim the asks serve, then their list
    r"|^(?:(?:为此|因此|对此|据此)[，,]?)?(?:我们|我)?建议[^。；;：:，,]{2,30}[：:]$"
)
# 从市级层面看，应将……; 在人才评价方面，向……下放……: a level or an aspect, then what to do there
ASPECT = re.compile(r"^(?:从|在|就)[^，,。；]{1,12}?(?:层面|方面|角度|环节)(?:看|来看|而言|来说|讲)?[，,]\s*")
# 头一件，是……。再一件，是……。还有一件，是……: things to do, counted in words
THING_COUNTED = re.compile(r"^(?:头一件|第[一二三四五六]件|再一件|另一件|还?有一件|最后一件)(?:事|事情)?[，,：:]\s*(?:就?是)?[，,]?\s*")
ASPECT_DUTY = re.compile(ASPECT.pattern + r"(?:也|还)?(?:应当|应该|应|要|需要|必须|可以)(?!是)")
# 我们认为，……关键在于……。一要……: the proposer's view, then the asks it orders
VIEW_LEAD = re.compile(r"^(?:我们|我|笔者|本人)(?:认为|觉得)(?![^。；]*(?:要求|指出|强调|部署|精神))")  # not 我们认为，省委的要求已经十分明确。
# A sentence that only opens a list or a paragraph of prose asks for nothing itself.
HEADER_LINE = re.compile(
    r"^(?:关于.{2,80}(?:提案|建议)|.{0,20}(?:提案人|建议人|代表|委员|领衔|附议)\s*[:：].*|.{0,30}(?:会议|届).{0,20}(?:第?\d+号|号(?:提案|建议)).*)$"
)
# The receipt's summary (prompts/letter/summary.j2: 您在提案中就A、B等方面提出了建议。) stays one
# readable sentence: at most this many characters, topics included.
SUMMARY_MAX = 90
_SUMMARY_FRAME = len("您在提案中就等方面提出了建议。")
_TOPIC_MAX = 30  # a longer lead phrase is cut at a clause boundary, leaving room for the others
# Openers a topic drops; 应用/要素/需求 are words, not openers.
_TOPIC_OPENER = re.compile(_LEADING_CONNECTIVES + r"(?:建议|希望|需要|应当|" + _MODAL_YAO + "|" + _SHOULD + "|" + _NEED + r")?\s*")
MAX_PROPOSAL_CHARS = 100_000  # real proposals are a few thousand characters


@dataclass
class Proposal:
    text: str
    title: str = ""
    number: int | None = None
    session: str = ""
    proposers: list[str] = field(default_factory=list)
    # those of them labelled 附议/联名 (领衔代表：陈明　附议代表：刘洋、黄丽): the letter is addressed to the lead
    seconders: list[str] = field(default_factory=list)
    role: str = ""  # 委员 (政协) / 代表 (人大)
    kind: str = ""  # 提案 / 建议
    suggestions: list[str] = field(default_factory=list)
    # The whole text of each suggestion item (suggestions hold only its lead clause): searched
    # for precedents, since the details carry the words a precedent shares.
    details: list[str] = field(default_factory=list)

    @property
    def topics(self) -> list[str]:
        """Each suggestion's lead phrase, as many as fit the receipt's one-sentence summary."""
        return summary_topics(self.suggestions, self.details)

    @property
    def addressee(self) -> str:
        """Who the letter is addressed to: 张三、李四委员 — an organisation by its name alone
        (九三学社温州市委会), never “九三学社温州市委会委员”; of a seconded proposal, its lead (陈明代表, not
        陈明、刘洋、黄丽代表: the 附议代表 second it, the reply answers the one who leads it)."""
        people = [p for p in self.leads if not is_organisation(p)]
        bodies = [p for p in self.leads if is_organisation(p)]
        role = self.role or ROLE_BY_KIND.get(self.kind, "委员")
        parts = bodies + ([f"{'、'.join(people)}{role}"] if people else [])
        return "，".join(parts)

    @property
    def leads(self) -> list[str]:
        """The proposers who lead it: all of them where none is a seconder (or all are)."""
        leads = [p for p in self.proposers if p not in self.seconders]
        return leads or list(self.proposers)

    @property
    def seconded(self) -> bool:
        """Led by some and seconded by others: the receipt says 领衔提出."""
        return len(self.leads) < len(self.proposers)

    @property
    def you(self) -> str:
        """How the letter speaks to the proposer: 您, to several 你们; to an organisation alone, 贵会 (民盟温州市委会,
        市工商联) or 贵单位 — never 您 to a 市委会."""
        if not self.leads or not all(is_organisation(p) for p in self.leads):
            return "你们" if len(self.leads) > 1 else "您"  # 李明辉、赵雅婷委员：你们在……期间所提的
        return "贵会" if all(p.endswith(("会", "联", "社")) for p in self.leads) else "贵单位"

    @property
    def looks_like_one(self) -> bool:
        """Something of a proposal was found: a proposer, its number or session, a title that names it (关于……,
        ……提案/建议), or asks in a text that speaks the genre's words (建议、提案、委员、代表、政协、人大、案由). A
        weather note or a meeting notice pasted by mistake has none; a notice's 请各位同事于周五前报名…… reads as an
        ask, but nothing around it is a proposal's (a probe drafted a canteen menu into a letter). Several asks pasted
        alone (应加大……。要完善……。) are a proposal's body; an ask the text does not hold was typed by the 承办人 into
        建议条目: either counts whatever the words around it."""
        named = re.search(r"关于|提案|建议|议案", self.title or "")
        text = re.sub(r"\s+", "", self.text or "")
        typed = any(re.sub(r"\s+", "", ask) not in text for ask in self.suggestions)
        asks = len(self.suggestions) > 1 or (bool(self.suggestions) and (typed or bool(_GENRE_WORDS.search(text))))
        return bool(asks or self.proposers or self.number or self.session or named)

    @property
    def mostly_not_chinese(self) -> bool:
        """Most of its letters are Latin: an English text, which the parser (and drafting) will misread."""
        letters = re.findall(rf"[A-Za-z{HAN}]", self.text)
        return bool(letters) and sum(1 for c in letters if not c.isascii()) * 2 < len(letters)

    @property
    def missing(self) -> list[str]:
        return [name for name in ("title", "number", "session", "proposers", "role", "kind", "suggestions") if not getattr(self, name)]

    def search_text(self, index: int) -> str:
        """What to search precedents with for suggestion ``index``: the lead plus its details."""
        lead = self.suggestions[index]
        detail = self.details[index] if index < len(self.details) else ""
        return lead if not detail or detail == lead else f"{lead} {detail}"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "topics": self.topics, "missing": self.missing, "addressee": self.addressee, "seconded": self.seconded}


_GENRE_WORDS = re.compile(r"建[议議]|提案|[议議]案|委[员員]|代表|政[协協]|人大|案由")
# what drafting says, and 解析 warns, when ``Proposal.looks_like_one`` is false
NOT_A_PROPOSAL = (
    "这段文字不像提案或建议：没有找到标题（关于……的提案/建议）、提案人或建议条目。请粘贴提案原文，或在“建议条目”中每行填写一条建议后再生成草稿",
    "this text does not look like a proposal: no title, proposer or suggestion found. Paste the proposal, or type its suggestions one per line, then draft",
)


def load_proposal(path: Path, options: ReadOptions | None = None) -> Proposal:
    """A proposal from any file a corpus document may be (Word, WPS, OFD, PDF, a scan or photo: the
    same table and the same messages, corpus/formats.py), except a .jsonl collection."""
    path = Path(path)
    if path.suffix.lower() not in PROPOSAL_SUFFIXES:
        raise unsupported(path.name, path.suffix.lower(), PROPOSAL_SUFFIXES)
    return parse_proposal(load_file(path, options=options)[0].text)


def parse_proposal(text: str) -> Proposal:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise LoadError("提案内容为空", "the proposal text is empty")
    if len(text) > MAX_PROPOSAL_CHARS:
        raise LoadError(
            f"提案过长（{len(text):,} 字，上限 {MAX_PROPOSAL_CHARS:,} 字），请确认粘贴的是提案正文",
            f"the proposal is too long ({len(text):,} > {MAX_PROPOSAL_CHARS:,} characters)",
        )
    proposal = Proposal(text=text)
    head = text[:1500]
    flat_head = re.sub(r"\s+", "", head)

    if match := TITLE_IN_BOOK.search(head):
        proposal.title = match.group(1)
    else:
        for line in text.split("\n")[:8]:
            if match := TITLE_LINE.match(_closed_up_label(line.strip())):
                proposal.title = match.group(1)
                break
        else:
            first = text.split("\n", 1)[0].strip()
            proposal.title = first if len(first) <= 60 and not re.search(r"[。；]", first) else ""

    for pattern in NUMBER_PATTERNS:
        if match := pattern.search(flat_head):
            proposal.number = int(match.group(1))
            break
    if match := SESSION.search(flat_head):
        proposal.session = match.group(1)

    proposal.kind = _kind(proposal.session, proposal.title, flat_head[:300])

    proposal.proposers, role, proposal.seconders = _proposers(head)
    proposal.role = role or ROLE_BY_KIND.get(proposal.kind, "")
    if not proposal.kind and proposal.role:
        proposal.kind = {"委员": "提案", "代表": "建议"}[proposal.role]
    items = extract_suggestions(text)
    proposal.suggestions = [lead for lead, _ in items]
    proposal.details = [detail for _, detail in items]
    return proposal


def _kind(session: str, title: str, head: str) -> str:
    """提案 or 建议: by the session named (市政协… / …人民代表大会…), else the title's last word, else the
    head's words — last, since prose may say 人大 of something else (世界温州人大会)."""
    for hints in (session, title[-2:], head):
        if "人大" in hints or "人民代表大会" in hints or hints == "建议" or "代表建议" in hints:
            return "建议"
        if "政协" in hints or "提案" in hints:
            return "提案"
    return ""


SECONDING = re.compile(r"附议|联名")


def _proposers(head: str) -> tuple[list[str], str, list[str]]:
    """Every labelled proposer in the head, in order (the lead first), the role a label names, and
    those a 附议/联名 label names.

    A line may hold several labels (领衔代表：陈明　附议代表：刘洋、黄丽); each value runs to the next
    label or the end of its line."""
    names: list[str] = []
    leads: list[str] = []
    seconders: list[str] = []
    role = ""
    lines = [_closed_up_label(line) for line in head.split("\n")]
    for number, line in enumerate(lines):
        labels = list(PROPOSER_LABEL.finditer(line))
        for index, match in enumerate(labels):
            end = labels[index + 1].start() if index + 1 < len(labels) else len(line)
            found = _names(line[match.end() : end])
            if not line[match.end() : end].strip():  # 附议代表： with a name on each line below it
                for below in lines[number + 1 :]:
                    if PROPOSER_LABEL.search(below) or not NAMES_LINE.fullmatch(below.strip()):
                        break
                    found += _names(below)
            elif index == len(labels) - 1 and SECONDING.match(match.group(1) or match.group(2) or ""):
                # 附议代表：黄建新、叶飞 with more on the line below (王志成、蔡雅琴); not a form's next field (类别 城乡建设)
                for below in lines[number + 1 :]:
                    more = _names(below)
                    # 附议代表：张国强 / 　　　　　李海燕: names under the first, indented past a paragraph's two spaces
                    aligned = len(below) - len(below.lstrip()) >= 3 and bool(more)
                    if PROPOSER_LABEL.search(below) or not NAMES_LINE.fullmatch(below.strip()) or not aligned and ("、" not in below or len(more) < 2):
                        break
                    found += more
            if found and not role:
                label = match.group(1) or match.group(2)
                role = "代表" if "代表" in label else "委员" if "委员" in label else ""
            names += found
            (seconders if SECONDING.match(match.group(1) or match.group(2) or "") else leads).extend(found)
    if names:
        # a lead named again among the seconders (领衔代表：陈明 … 附议代表：刘洋，黄丽、陈明) still leads
        return list(dict.fromkeys(names)), role, [name for name in dict.fromkeys(seconders) if name not in leads]
    named = NAME_WITH_ROLE.findall(head)
    names = list(dict.fromkeys(name for name, _ in named if not name.endswith(("政协", "人大", "市", "省"))))
    return names, (named[0][1] if named else role), []


SPACED_LABEL = re.compile(rf"^([ \t\u3000]*)([{HAN}](?:[ \t\u3000]+[{HAN}]){{1,4}})(?=[ \t\u3000]*[:：])")


def _closed_up_label(line: str) -> str:
    """A printed form's label spaced out to align the colons (提 案 人：, 联 名 人：) closed up."""
    return SPACED_LABEL.sub(lambda m: m.group(1) + re.sub(r"[ \t\u3000]+", "", m.group(2)), line)


def _names(value: str) -> list[str]:
    """Names in a label's value: separated by 、，, or (full-width) spaces; (单位) and 委员/代表 dropped, an
    organisation's second name kept with it (温州市工商业联合会（总商会）)."""
    value = re.sub(r"[（(]([^）)]*)[）)]", lambda m: f"（{m.group(1)}）" if _second_name(value[: m.start()], m.group(1)) else " ", value)
    value = re.sub(r"等\s*[\d一二三四五六七八九十]+\s*[名位人](?:代表|委员)?", " ", value)  # 何建军等12名代表
    value = re.split(rf"[{HAN}]+\s*[:：]", value, maxsplit=1)[0]  # another field (单位：…) ends the list
    value = re.split(r"[\s\u3000]+(?:界别|联系电话|代表团|工作单位|职务|电话|手机|地址|邮编)", value, maxsplit=1)[0]  # …or one a printed form spaces off
    names = []
    for part in NAME_SEPARATOR.split(value):
        name = re.sub(r"(?:委员|代表)$", "", part.strip("。.：:"))
        # （总商会） is left only after an organisation (_second_name)
        if re.fullmatch(rf"[{HAN}]+(?:（[{HAN}]+）)?", name) and (2 <= len(name) <= 4 or is_organisation(name)):
            names.append(name)
    return names


NAME_SEPARATOR = re.compile(r"[、，,；;\s]+")


def _second_name(before: str, inside: str) -> bool:
    """（总商会） after 温州市工商业联合会: the same body's other name, part of how it is addressed."""
    body = NAME_SEPARATOR.split(before)[-1]
    return bool(re.fullmatch(rf"[{HAN}]+", inside)) and is_organisation(body) and is_organisation(inside)


def _item_text(line: str) -> str:
    return ITEM.sub("", line, count=1).strip()


def _acts_for_a_purpose(clause: str, following: str) -> bool:
    return bool(PURPOSE_CLAUSE.match(following) and SETTING_VERB.search(re.sub(r"《[^》]*》", "", clause[2:])))


# 依托温州大学设立海洋装备创新中心，开展……: what the clause leans on sets something up itself — the ask, not its scene
# …and so does 根据各乡镇主导产业按需选派特派员，变……: the basis named, then the thing done
SETS_UP_ON = re.compile(r"^(?:依托|根据|结合)[^，,]{2,20}?(?:设立|组建|搭建|打造|建立|建设|成立|新建|筹建|选派|布设|开设)[^，,]{3,}[，,]$")


# 我们认为，推进……转型，要……; ……工作，一要……: the view and what it serves, before the ask
VIEW_OPENER = re.compile(r"^(?:(?:我们|我|笔者|本人)认为[，,]?\s*(?:" + _SERVING + r")?)?(?:" + _N + r")?(?:要|应当|应该|需要|必须)(?=[^，,。；]{4})")


# 目前特派员工作经费标准多年未调整，能否……: how things stand, told before the question that asks
STATE_TOLD = re.compile(r"目前|当前|现在|现行|近年|多年|[未没](?:有|能)?(?:调整|出台|建立|覆盖)|滞后|偏(?:低|少)|不足|不够|缺乏|过低")


def short_suggestion(item: str, limit: int = 60) -> str:
    """The lead clause of a suggestion item: what goes inside 关于“…”的建议."""
    item = _item_text(item)
    asked = EXPLICIT_ASK.match(item)
    item = item[asked.end() :].lstrip(" ，,：:") if asked else LEAD_OPENER.sub("", item)
    if asked and (again := EXPLICIT_ASK.match(item)):  # 我们再次呼吁：建议市委人才办……
        item = item[again.end() :].lstrip(" ，,")
    # 我们认为，推进……转型，要分行业编制……; ……工作，一要建设……: the view and what it serves, then the ask
    if asked or VIEW_LEAD.match(item):
        item = VIEW_OPENER.sub("", item, count=1)
    item = re.sub(r"^(?:另一方面|一方面)[，,]\s*", "", item)  # 我建议，一方面，……
    item = THING_COUNTED.sub("", item, count=1)  # 头一件，是由市科技局……
    if (aspect := ASPECT_DUTY.match(item)) and len(item) - aspect.end() >= 6:
        item = item[aspect.end() :]  # 从市级层面看，应将……纳入…… → 将……纳入……
    elif (aspect := ASPECT.match(item)) and re.search(r"环节", aspect.group()) and _aspect_then_acts(item) and len(item) - aspect.end() >= 6:
        item = item[aspect.end() :]  # 在引才环节，提高…… → 提高……
    item = re.sub(r"^能够?(?![否不])(?=[^，,。；]{4})", "", item)  # 希望能够推行…… asks to 推行……
    item = re.sub(r"^(?:" + _QUESTION + r")?(?:考虑)?(?=由)", "", item)  # 能否（考虑）由市科技局牵头，建立…… asks to 建立……
    # 市里可否考虑设立……专项资金 asks to 设立……: who is asked and the question's words are not the ask
    item = re.sub(r"^(?:市里|市政府|政府|有关部门|相关部门)?" + _QUESTION + r"考虑(?=[^，,。；]{4})", "", item)
    item = ACTOR_WITH_PARTNERS.sub("", item, count=1)
    item = AGENCY_WITH_PARTNERS.sub("", item, count=1)
    item = ACTOR.sub("", item, count=1).lstrip(" ，,")
    item = ACTOR_MODAL.sub("", item, count=1).lstrip(" ，,")
    item = re.sub(r"^能够?(?![否不])(?=会同|联合|协同)", "", item)  # 希望市科技局能够会同……，按需选派……
    item = CO_ACTOR.sub("", item, count=1).lstrip(" ，,")
    if (manner := MANNER_CLAUSE.match(item)) and len(item) - manner.end() >= 6:
        item = item[manner.end() :]
    lead = re.split(r"[。；;：:！？\n]", item, maxsplit=1)[0].strip(" ，,")
    # "市科技局会同农业农村部门，围绕……特色产业，精准选派团队科技特派员": who acts and the
    # circumstances come first in prose; the suggestion is the clause that says what to do
    clauses = re.split(r"(?<=[，,])", lead)
    while len(clauses) > 1 and SETTING_CLAUSE.match(clauses[0]) and not _acts_for_a_purpose(clauses[0], clauses[1]) and not SETS_UP_ON.match(clauses[0]):
        clauses.pop(0)
    lead = ACTOR.sub("", "".join(clauses), count=1).strip(" ，,")  # 对于……问题，可由市科技局牵头建设……
    lead = re.sub(r"^(?:我们|我)?(?:还|也)?建议[，,]?(?=[^，,。；]{4})", "", lead)  # 针对……新问题，建议尽快研究……
    # 可以依托社区学校开展……; 政府网站也应当加快……; 文化礼堂其实完全可以设置……: the ask, not the modal
    lead = re.sub(r"^(?:其实)?(?:完全)?可以?(?=(?:结合|依托|通过|围绕|借鉴|在)?[^，,。；]{4})(?!能|是|见|谓|行)", "", lead)
    lead = re.sub(r"^(?:也|还)(?:要|应当|应该|需要)(?=[^，,。；]{4})", "", lead)  # 也要建立…… → 建立……
    if (duty := SUBJECT_DUTY.match(lead)) and not LEADING_VERB.match(lead):  # 山区县应加快建设…… → 山区县加快建设……
        lead = lead[: duty.start("modal")] + lead[duty.end("modal") :]
    lead = re.sub(r"^在[^，,。；]{2,20}?的同时[，,]?(?:要|应当|应该|需要)?(?=[^，,。；]{4})", "", lead)  # 在发展的同时要管住……
    lead = re.sub(r"^在[^，,。；]{2,12}?(?:上|方面)[，,](?:还|也)?(?:可以|可|要|应当|需要)?(?=[^，,。；]{4})", "", lead)  # 在硬件上，可以加快……
    lead = re.sub(r"^先(?=在[^，,。；]{2,})", "", lead)  # 在应用上，可以先在山区开展…… → 在山区开展……
    lead = re.sub(r"^牵头(?=(?:" + _ANY_VERB + r"))", "", lead)  # 市科技局应牵头建立…… → 建立……
    lead = re.sub(r"^(?:市里|市政府|政府)(?:能够?|可以)?牵头(?=[把将])", "", lead)  # 希望市里能牵头把……纳入…… → 把……纳入……
    lead = re.sub(r"^市里(?=督促|指导|(?:" + _ANY_VERB + r"))", "", lead)  # 我们希望市里督促在温高校…… → 督促在温高校……
    # 购置补贴比例能不能再高一些 keeps its subject; 目前……多年未调整，能否适当提高…… drops the clause of background
    if (told := re.match(r"^[^。；]{0,40}[，,](?=[^，,。；]{0,40}?" + _QUESTION + ")", lead)) and STATE_TOLD.search(told.group()):
        lead = lead[told.end() :]
    lead = re.sub(r"^([^。；]{0,40}?)" + _QUESTION + r"(?=[^，,。；]{4})", r"\1", lead, count=1)
    lead = re.sub(r"^([^，,。；]{2,18}?)(?:其实)?(?:也|还|完全)(?:应当|应该|需要|要|可以)(?=[^，,。；]{4})", r"\1", lead)
    if len(lead) > limit:
        cut = [m.start() for m in re.finditer(r"[，,]", lead) if 10 <= m.start() <= limit]
        lead = lead[: cut[-1]] if cut else lead[:limit]
    return lead.strip(" ，,、")


HEADING_MAX = 40  # the seeds' headings quote 14–28 characters (关于“建立科创平台的可持续发展机制”的建议)
# what the ask is for, not what it is: 帮助他们迈出第一步、让青年人把精力用在科研上、营造……氛围
PURPOSE_TAIL = re.compile(r"^(?:为了?|以便|以期|从而|进而|使|让|帮助|助力|确保|营造|做到|避免|切实|真正|努力)")


# what a scene-setting clause may still do itself (对考核优秀的给予奖励; 对……进行评价; 对……可破格申报)
SCENE_ACTS = re.compile(r"(?:" + _ANY_VERB + r"|给予|予以|实行|允许|实施|进行|配备|开发|授予|安排|处理|查处|取消|可)(?![的了过])|以[^，,。；]+为")


# 对财政资金购置的仪器开展开放共享绩效考核; 对……的企业给予一次性奖励: what is done to the thing named, in the clause
DONE_TO = re.compile(r"^(?:对于?|针对)[^，,。；]{2,}?(?:开展|给予|予以|实行|实施|进行)[^，,。；的]{2,}$")


def _setting_acts(clause: str) -> bool:
    """A clause opened as a scene that does something to it itself (对……开展绩效考核; 对……给予奖励), not
    对首台（套）装备的研发和推广应用 or 对获奖项目落户温州的."""
    # (one too long for the summary gives way to the clause after it: cut, it would end mid-list: 对在我市注册)
    return len(clause) <= _TOPIC_MAX and bool(DONE_TO.match(clause))


def _only_sets_the_scene(clause: str) -> bool:
    """A heading's last clause that only sets a scene: 由市科技局牵头; 在依法合规的前提下;
    对获奖项目落户温州的 — not 对考核优秀的给予奖励, which acts."""
    return bool(TOPIC_SETTING.match(clause)) and (clause.endswith("的") or not SCENE_ACTS.search(clause))


def heading_of(suggestion: str) -> str:
    """What goes inside （N）关于“…”的建议: the lead as the proposer put it, up to ``HEADING_MAX`` characters of whole
    clauses, without a closing clause that only says what it is for (市里设立青年科技人才专项，每年拿出一定名额，专门资助……，
    帮助他们迈出第一步 → 市里设立青年科技人才专项，每年拿出一定名额), nor with one that only sets a scene, its action
    cut or never there (……，在依法合规的前提下). A first clause longer than that stays whole."""
    if len(suggestion) <= HEADING_MAX and not re.search(r"[，,]", suggestion):
        return suggestion
    clauses = [c for c in re.split(r"[，,]", suggestion) if c]
    kept = clauses[:1]
    for clause in clauses[1:]:
        if len("，".join([*kept, clause])) > HEADING_MAX:
            break
        kept.append(clause)
    while len(kept) > 1 and (PURPOSE_TAIL.match(kept[-1]) or _only_sets_the_scene(kept[-1]) and not TOPIC_SETTING.match(kept[0])):
        kept.pop()
    return "，".join(kept)


# A clause that only sets the scene or names who acts: 对处于孕期的女性项目负责人 / 由市科协牵头 / 在市级项目申报中
TOPIC_SETTING = re.compile(
    r"^(?:(?:对于?|针对)[^，,。；]+|由[^，,。；]{1,16}?(?:牵头|负责|统筹安排|统筹|会同[^，,。；]*)|在[^，,。；]{2,24}?(?:中|上|里|方面|期间|前提下|情况下|基础上))$"
)


def topic_of(suggestion: str, detail: str = "") -> str:
    """A suggestion's lead phrase: the item's own title when it has one (一、扩大科创指数贷覆盖面。推动……),
    else its first verb–object clause (一是加大研发投入力度，提高……。 → 加大研发投入力度)."""
    title = re.split(r"[。；;：:！？\n]", _item_text(suggestion), maxsplit=1)[0]
    parts = re.split(r"[。；;：:！？\n]", _item_text(detail), maxsplit=1)
    if len(parts) == 2 and parts[1].strip() and not re.search(r"[，,]", title):  # more text follows: a short first sentence titles the item
        topic = _TOPIC_OPENER.sub("", title, count=1).strip(" ，,、")
    else:
        clauses = [_TOPIC_OPENER.sub("", c, count=1).strip(" 、") for c in re.split(r"[，,]", title)]
        # a lead-in too short to say anything (对此，同时，) gives way to the clause after it
        at = next((i for i, c in enumerate(clauses) if len(c) >= 4), 0)
        topic = clauses[at]
        # (对财政资金购置的仪器开展开放共享绩效考核 acts itself: it stays the topic)
        if TOPIC_SETTING.match(topic) and not _setting_acts(topic) and at + 1 < len(clauses) and len(clauses[at + 1]) >= 4:
            # 对孕期女性项目负责人，适当延长执行期: a setting or an actor alone says nothing asked; with its clause it does
            joined = topic + clauses[at + 1]
            topic = joined if len(joined) <= _TOPIC_MAX else clauses[at + 1]
    return _cut(topic, _TOPIC_MAX) if len(topic) > _TOPIC_MAX else topic


def _cut(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, cut at the last clause boundary that fits; never inside
    an enumeration (推动在温高校、科研院所、…… would be a fragment): a list too long for the
    summary keeps its first item and says 等 (推动在温高校等设立科技伦理委员会)."""
    # a clause ends at ，； and at a 、 that starts another action (加强……、完善……)
    cuts = [m.start() for m in re.finditer(r"[，,；;]|、(?=" + _VERBS + ")", text) if 4 <= m.start() <= limit]
    if cuts:
        return text[: cuts[-1]]
    shortened = LISTED_MODIFIER.sub(r"\1", text, count=1)  # 把A、B和C等品种的良种选育列为…… → 把良种选育列为……
    if len(shortened) <= limit:
        return shortened
    shortened = ENUMERATION.sub(lambda m: m.group(1) + "等" if m.group(1) else m.group(2), text, count=1)
    if len(shortened) <= limit:
        return shortened
    cuts = [m.start() for m in re.finditer(r"、", text) if 4 <= m.start() <= limit]
    return text[: cuts[-1]] if cuts else text[:limit]


# an enumeration inside one clause: 高校、科研院所、医疗卫生机构以及从事……的重点企业
ENUMERATION = re.compile(
    r"([^、，,；;]{2,12}?)(?:、[^、，,；;]{2,14}?)+(?:以及|及|和)[^，,；;]{2,30}?(?=设立|建立|开展|建设|推行|实施|纳入|列为|列入|参与|$)"
    r"|([^、，,；;]{2,12}?)(?:、[^、，,；;等]{2,14})+(?=等)"
)


# 把深远海养殖装备、大黄鱼和羊栖菜等品种的良种选育列为……: a list that only qualifies what is 列为/纳入 (the head after 的)
# (not 将主导制定国际标准、国家标准的情况纳入……: 情况 names nothing)
LISTED_MODIFIER = re.compile(r"^([把将])[^，,；;的]*、[^，,；;]*?的(?!情况|内容|工作|事项|做法|成效|业绩)(?=[^的、，,；;]{2,12}(?:列为|列入|纳入|作为))")


def summary_topics(suggestions: list[str], details: list[str] | None = None, limit: int = SUMMARY_MAX) -> list[str]:
    """Lead phrases in order while the summary sentence stays within ``limit`` characters; at
    least one (cut at a clause boundary if it alone is too long)."""
    budget, details = limit - _SUMMARY_FRAME, details or []
    topics: list[str] = []
    for index, suggestion in enumerate(suggestions):
        topic = topic_of(suggestion, details[index] if index < len(details) else "")
        if not topic or topic in topics:
            continue
        room = budget - sum(len(t) + 1 for t in topics)  # 1 for the 、 (or ，) before it
        if len(topic) <= (room if topics else budget):
            topics.append(topic)
        elif not topics:
            topics.append(_cut(topic, budget))
        else:
            break
    return topics


def _opens_the_asks(line: str) -> bool:
    """Where nothing has said so yet, the line begins the asks: 为此建议，……; 首先，要……; 具体而言，应当……; 要建立……。"""
    return bool(_asks_in(line) or _opens_in_order(line) or _details_a_view(line) or MODAL_ASK.match(line))


def _details_a_view(line: str) -> bool:
    """……我认为，……应当从“给钱养人”转向“以绩定补”。具体而言，应当尽快出台……: the asks begin where the view is spelt out."""
    return any(re.match("(?:" + SPECIFICALLY + r")[，,：:]", s.strip()) and _connective_ask(s.strip()) for s in split_sentences(line))


def _opens_in_order(line: str) -> bool:
    """首先，要……: the first of the asks in order, opening the line or a sentence in it (……深感……短板。首先，要谋划……)."""
    return any(ORDINAL_ACTS.match(sentence.strip()) for sentence in split_sentences(line))


# 推行科技特派员制度二十多年来，……; 实施该政策以来，……: how long since something was done, then what is
SINCE = re.compile(r"^[^，,。；]{2,24}?(?:[一二三四五六七八九十两几多\d]+年来|以来)[，,]")


def _proposes_action(sentence: str) -> bool:
    """The sentence says what to do (an action verb up front, 建议……, or an agency and its duty), not what is."""
    if sentence.startswith(("近年来", "目前", "但是", "然而")) or SINCE.match(sentence):
        return False
    if (act := ACTION.match(sentence)) and not EXPLICIT_ASK.match(sentence):
        if DONE_ALREADY.search(re.split(r"[，,]", sentence, maxsplit=1)[0]):
            return False  # 苏州市已建立……机制: what another did
        if sentence[act.end() : act.end() + 1] in ("了", "过"):
            return False  # 有的单位虽然制定了……制度，但……: what was done
    asks = EXPLICIT_ASK.match(sentence) or MODAL_ASK.match(sentence) or ORDINAL_ACTS.match(sentence)
    # 在引才环节，提高……; 在育才环节，在……中设立……: an aspect named, then what to do in it
    return bool(act or asks or _actor_told(sentence) or _connective_ask(sentence) or _aspect_then_acts(sentence))


def _actor_told(sentence: str) -> bool:
    """An agency or institution told what it must do (市科技局应当……; 各区县政府要……; 对此，市科技局应当……), not a
    rule or a fact said so."""
    sentence = THEREFORE.sub("", sentence)
    told = ACTOR_MODAL.match(sentence)
    if told is None or TAKE_SERIOUSLY.match(sentence[told.end() :]) or HAS_LITTLE.search(re.split(r"[，,。；]", sentence)[0]):
        return False
    return not _reports(sentence) and not DONE_ALREADY.search(sentence[:30])


# 区县科技部门可以统筹使用的资金十分有限: the modal sits in a noun's description; the clause says what there is
HAS_LITTLE = re.compile(r"的[^，,。；的]{1,6}?(?:十分|非常|很|较为|较|极为|相当|严重)?(?:有限|不足|紧张|短缺|匮乏|稀缺)")
# 相关部门应当引起足够重视 / 应当高度重视。: no task (not 应当关注中小企业的融资需求，设立……)
TAKE_SERIOUSLY = re.compile(r"^(?:(?:引起|给予|予以)[^，,。；]{0,4}?(?:重视|关注|警觉)|(?:高度)?重视[。；，,]?$)")
THEREFORE = re.compile(r"^(?:对此|为此|因此|据此|鉴于此)[，,]\s*")
# 也需要引起重视: a call to take the matter seriously that names nothing to do (not 要高度重视科研诚信建设)
EXHORTS = re.compile(r"^(?:也|还)?(?:要|需要|应当?|必须)?(?:引起|给予|予以)(?:高度)?重视")


# 同时对用财政资金购置的仪器明确必须对外开放: to what, then what to do with it (not a setting: 对中小企业而言，……)
TO_WHAT = re.compile(r"^对[^，,。；]{2,24}?(?:明确|实行|给予|予以|加大|开展|建立|实施|落实)(?!了|过)(?![^，,。；]*的[^，,。；]*[，,])")
LED_BY = re.compile(r"^由[^，,。；]{2,20}?(?:牵头|负责|统筹)[，,]\s*")
# 山区企业购买……的技术服务，应当允许使用……; 名老中医的学术经验要抓紧抢救，应当为名老中医设立……: what it is about,
# then what must be done about it
SETTING_DUTY = re.compile(r"^[^，,。；]{2,24}[，,]\s*(?:还|也)?(?:应当|应该|应|要|需要|必须)(?![是有])(?:(?:为|对|向|在)[^，,。；]{1,16}?)?" + _DUTY_VERB)


# 同时，对论文代写代投、数据造假等行为要零容忍，……: a duty toward a thing named with 对, no comma before it
DUTY_TOWARD = re.compile(r"^对[^，,。；]{2,30}?(?:也|还)?(?:要|应当|应该|必须)(?:坚持)?(?:零容忍|从严|严肃|严厉|" + _ANY_VERB + r")(?![是的了着过])")


def _connective_ask(sentence: str) -> bool:
    """此外，要……/同时要打通……/此外，教育部门要保障……/对于……问题，可由……: an ask behind a connective or
    its setting (not 同时，这也有利于……; 对中小企业而言，成本较高)."""
    if considering := CONSIDERING.match(sentence):
        return _actor_told(sentence[considering.end() :].lstrip("，, "))
    follow = FOLLOW_ON.match(sentence) or SETTING_LEAD.match(sentence)
    if not follow and (where := IN_SETTING.match(sentence)):  # 在技术攻关上，市科技局可以设立……: where, then who must do what
        rest = sentence[where.end() :].lstrip("，, ")
        # …可以先在文成、泰顺等山区开展……试点: what may be done first, and where
        may = re.match(r"(?:可以|可)(?:进一步|加快|适当|先(?:在[^，,。；]{1,24}?)?)" + _DUTY_VERB, rest)
        acts = _actor_told(rest) or LEADING_VERB.match(rest) or MAY_ASK.match(rest) or may
        return bool(acts) and not DONE_ALREADY.search(rest[:30]) and not _states(rest) and not _reports(rest)
    body = sentence[follow.end() :].lstrip("，, ") if follow else ""
    for _ in range(2):  # 在此基础上，对……的企业，分档次给予奖励; 此外，在职称评审中，对……，应把……
        if not (
            follow
            and body
            and not ASK_BODY.match(body)
            and not TO_WHAT.match(body)
            and not DUTY_TOWARD.match(body)  # 对……行为要零容忍，……: the duty is in the clause, not after it
            and (setting := SETTING_LEAD.match(body) or IN_SETTING.match(body))
        ):
            break
        rest = body[setting.end() :].lstrip("，, ")
        body = "" if EXPLICIT_ASK.match(rest) else rest  # 另外，对……，可以考虑……: the ask is cut from its setting (_background_cut)
    aspect_numbered = follow and re.match(r"第" + _N + r"方面", sentence) and not re.search(r"不足|缺乏|偏低|偏弱|不够|不高|滞后", body)
    # a duty on something named first (评审应更加注重……; 项目经费管理可以再放开……) unless it is a burden, a report or another's practice
    owed = (SUBJECT_DUTY.match(body) or SUBJECT_MAY.match(body) or NOT_ONLY_BUT.match(body)) and not NOT_OUR_ASK.search(body) and not _reports(body)
    partnered = body[co.end() :].lstrip("，, ") if (co := CO_ACTOR.match(body)) else ""  # 同时，会同民政等部门在……开展……
    with_partners = (partnered and (ASK_BODY.match(partnered) or HEADED_ASK.match(partnered))) or AGENCY_WITH_PARTNERS.match(body)
    # 同时，依托市标准化研究院建立……; not 同时，依托该类平台开展服务的中小企业逐年增多
    based = body.startswith(("依托", "面向", "围绕", "聚焦")) and HEADED_ASK.match(body) and not _is_the_case(body)
    # 同时，由县农业技术推广机构牵头，组建……: who leads, then what to do
    after_lead = body[lead.end() :] if (lead := LED_BY.match(body)) else ""
    led = after_lead and (LEADING_VERB.match(after_lead) or ASK_BODY.match(after_lead))
    acts = (
        ASK_BODY.match(body)
        or DUTY_TOWARD.match(body)
        or _actor_told(body)
        or (aspect_numbered and HEADED_ASK.match(body))
        or based
        or owed
        or with_partners
        or led
        or SETTING_DUTY.match(body)
        or TO_WHAT.match(body)
    )
    return bool(follow and acts and not DONE_ALREADY.search(body) and not _states(body) and not _reports(body) and not EXHORTS.match(body))


def _remarks_on(clause: str) -> bool:
    """把论文数量作为主要依据，是不少单位的做法: what is done, remarked on (……，是……), not an ask."""
    return bool(re.search(r"[，,](?:这)?(?:是|已是|已成为)", clause))


GROWS = re.compile(r"(?:逐年|越来越|日益|不断|持续|明显)(?:增多|增加|增长|减少|下降|扩大|多|少)$")
AROUND_LEAD = re.compile(r"^(?:围绕|针对|结合|依托|聚焦|立足|面向)[^，,。；]{2,40}?[，,]")  # 围绕……重点产业，由科技部门牵头……


def _set_then_acts(sentence: str) -> bool:
    """在市级科技计划重点项目中，设置……; 依托高校，试点建设……: once the asks have begun, where and then what to do."""
    if _remarks(sentence):
        return False
    setting = SETTING_LEAD.match(sentence) or AROUND_LEAD.match(sentence) or IN_SETTING.match(sentence)
    body = sentence[setting.end() :].lstrip("，, ") if setting else ""
    acts = LEADING_VERB.match(body) or (ASK_BODY.match(body) and not IN_SETTING.match(sentence))
    return bool(body and acts and not DONE_ALREADY.search(body[:30]) and not _states(body) and not _reports(body) and not EXHORTS.match(body))


_AGENCIES_NAMED = _AGENCY_NAMED + r"(?:(?:、|和|与|及)" + _AGENCY_NAMED + r")*"
# 市科技局会同税务等部门加大……: the actor and its partners run straight into the action.
ACTOR_WITH_PARTNERS = re.compile(
    r"^(?:由)?" + _ACTORS + r"(?:牵头)?(?:会同|联合|协同|配合)"
    r"(?:" + _AGENCIES_NAMED + r"(?=(?:" + _ANY_VERB + r")(?!的))|[^，,。]{1,30}?(?:部门|单位|机构)(?![，,]))"
)
# 市数据局会同市科技局尽快编制……: an agency and its partners, straight into what to do
AGENCY_WITH_PARTNERS = re.compile(
    # the partner is an agency when one is named (会同市卫健委制定医疗卫生机构……: not up to 机构)
    r"^(?:由)?" + _AGENCY_NAMED + r"(?:牵头)?(?:会同|联合|协同)(?:" + _AGENCIES_NAMED + r"|[^，,。；]{1,30}?(?:部门|单位|机构|局|委|办|企业))"
    r"(?:尽快|加快|进一步|共同)?(?=(?:" + _ANY_VERB + ")(?!的))"
    # 由市科技局和市经信局联合建立……: agencies named together, then what they do together
    r"|^(?:由)?" + _AGENCY_NAMED + r"(?:(?:和|与|、|及|会同)" + _AGENCY_NAMED + r")+(?:联合|共同|一起)?"
    r"(?!加强(?:协同|合作|联动|沟通|协作|配合))(?=(?:" + _ANY_VERB + ")(?!的))"
)


# 网信部门加强对……的监管: after an ask and a semicolon, an agency and what it is to do, without a modal
AGENCY_ACTS = re.compile(r"^" + _AGENCY_NAMED + r"(?:要|应当|进一步|加快)?(?=(?:" + _ANY_VERB + r")(?![是的了着过]))")


# 将开放共享情况纳入管理单位的考核评价，……: something put into a programme or a yardstick
# (not 把论文数量作为职称评审的主要依据，是不少单位的做法: a practice told)
PUT_INTO = re.compile(r"^(?:将|把)[^，,。；]{2,30}?(?:纳入|列入|作为)(?![^。；]*[，,](?:这)?(?:是|已|导致|造成|使得))")


def _opens_a_paragraphs_ask(sentence: str) -> bool:
    """Under a heading that announces the asks, a paragraph's first sentence that says where and what to do (在……中开展……),
    or who does it with whom (市数据局会同市科技局尽快编制……), not what is."""
    opens = HEADED_ASK.match(sentence) or AGENCY_WITH_PARTNERS.match(sentence) or PUT_INTO.match(sentence)
    plain = not _states(sentence) and not _reports(sentence) and not DONE_ALREADY.search(sentence[:30]) and not _remarks(sentence)
    return _set_then_acts(sentence) or bool(opens) and plain


# 打通断头路一直是市民呼声最高的事项之一; 建设国际化大都市是我市的奋斗目标: what a thing is, though a verb opens it
COPULA = re.compile(r"^[^，,。；]{2,30}?(?:一直|始终|历来|也|都|就|正)?(?<!特别)(?<!尤其)(?<![还或不但])是(?!否|不是)")


def _remarks(sentence: str) -> bool:
    """The sentence's first clause (or the clause after its setting) says what something is (……是……), asking nothing."""
    clauses = [c for c in re.split(r"[，,]", sentence, maxsplit=2) if c]
    return any(COPULA.match(c) for c in clauses[:2])


def _aspect_ask(sentence: str) -> bool:
    """在资金支持方面，推行……; 在示范推广方面，每年遴选……: once the asks have begun, an aspect named and what to do in it."""
    aspect = ASPECT_LEAD.match(sentence)
    body = sentence[aspect.end() :] if aspect else ""
    acts = HEADED_ASK.match(body) or ASK_BODY.match(body) or ASPECT_ACTION.match(body)
    return bool(aspect and acts and not DONE_ALREADY.search(body[:30]) and not _reports(body))


def _reports(sentence: str) -> bool:
    """The sentence says what is, though it reads like a duty: a rule quoted (明确规定企业应当……) or a contrast after
    it (……应当建立辅助账，但很多企业不会做; 每年开展对接活动20余场，但……)."""
    ruled = r"(?:明确|有关|相关|已经|早已|》)规定|明确要求|早有(?:要求|规定)"  # ……，这在国家有关管理办法中早有要求
    return bool(re.search(ruled + r"|[，,](?:但|但是|然而|可是|却)(?!要|应|需|须|必须)", sentence))  # not 但要有专人更新


def _after_connective(sentence: str) -> str:
    """The sentence without the connective that opens it (此外，/同时/在资金方面，), or whole where none does."""
    follow = FOLLOW_ON.match(sentence)
    return sentence[follow.end() :].lstrip("，, ") if follow else sentence


def _further_ask(sentence: str) -> bool:
    """同时，在温高校……的企业应当按要求设立……; 可以推广……: once the prose has asked, a duty laid in plain 应当 on
    those who must do it, or what may be done, behind a connective or not."""
    body = _after_connective(sentence)
    return bool((PLAIN_DUTY.match(body) or MAY_ASK.match(body)) and not _reports(body))


def _titles_the_next(position: int, placed: list[tuple[str, int]]) -> bool:
    """完善人才政策。建议提高补贴标准。: the sentence names the matter its paragraph's next sentence asks about."""
    if position + 1 >= len(placed):
        return False
    (_, paragraph), (following, its_paragraph) = placed[position], placed[position + 1]
    return paragraph == its_paragraph and bool(EXPLICIT_ASK.match(following))


def _is_the_case(sentence: str) -> bool:
    """Though a verb opens it, the sentence says what is: a remark, a state of things or a change in it (依托……的企业逐年增多),
    a rule or another's practice, what is done, or a duty felt (推动科技自立自强，我们责无旁贷)."""
    grows = GROWS.search(re.split(r"[，,。；]", sentence)[0])
    felt = re.search(r"责无旁贷|义不容辞|刻不容缓|势在必行", sentence)
    return _remarks(sentence) or _remarks_on(sentence) or _states(sentence) or _reports(sentence) or bool(DONE_ALREADY.search(sentence[:30]) or grows or felt)


def _states(text: str) -> bool:
    """The text's first clause says what is the case (存在……问题、统筹协调的难度很大), not what to do."""
    return bool(STATE_OF_THINGS.search(re.split(r"[，,。；;]", text, maxsplit=1)[0]) or SINCE.match(text))


def _continues_the_list(clause: str) -> bool:
    """After 建议A；, clause B asks too when it opens with what to do (允许……、同时推广……、按照……改进……),
    not with what is (这将有利于……)."""
    body = _after_connective(clause)
    owed = SUBJECT_DUTY.match(body) and not NOT_OUR_ASK.search(body) and not _reports(body)  # 预警信息的“最后一公里”也要打通
    # 在低洼易涝点建设……; 由市大数据局牵头制定……; 网信部门加强……: where, or who, and what to do
    placed = HEADED_ASK.match(body) or (body.startswith("由") and ASK_BODY.match(body)) or AGENCY_ACTS.match(body)
    return bool(LIST_VERB.match(body) or GUIDED_ACTION.match(body) or owed or placed) and not _remarks(body) and not DONE_ALREADY.search(body[:30])


# 2022年我们就此提交过提案，当时我们建议：……: the asks of an earlier proposal, told as its story
_TOLD_BEFORE = re.compile(r"当时|曾经?|此前|过去|以前|去年|前年|\d{4}\s*年")


def _opens_asks_in(line: str) -> re.Match[str] | None:
    """Where the line announces the asks (``SUGGESTION_INLINE``), unless its sentence tells of an earlier proposal
    or someone else's words are quoted (企业负责人对我们说：“我们建议：……”)."""
    for match in SUGGESTION_INLINE.finditer(line):
        sentence_start = max(line.rfind(mark, 0, match.start()) for mark in "。！？；") + 1
        before = line[: match.start()]
        if not _TOLD_BEFORE.search(line[sentence_start : match.start()]) and before.count("“") <= before.count("”"):
            return match
    return None


def _one_ask_per_paragraph(lines: list[str], headed: bool = False, listed: Sequence[str] = ()) -> list[tuple[str, str]]:
    """Under 提出如下建议：, paragraphs unnumbered, each asking once — opening with what to do and its
    details after (完善扶持政策。对新设立的机构给予……), or after a sentence of background (目前我市人才短缺。
    建议加强……): one suggestion a paragraph, from its ask on. [] — read sentence by sentence instead —
    where a paragraph asks twice (建议……。要……, 此外……, asks after a semicolon) or fewer than two ask."""
    asking = []
    for line in lines:
        if OPENS_ASKS.search(line):
            continue  # 为此，建议相关部门分工协作、形成合力：announces the paragraphs below
        sentences = [_from_the_ask(s.strip()) for s in split_sentences(line) if s.strip() and not CLOSING.search(s)]
        if any(SECOND_ASK.search(x) for x in sentences):
            return []  # 建议……，同时建议……: two asks in a sentence, read sentence by sentence
        if len(sentences) > 1 and _titles(sentences[0]) and not any(EXPLICIT_ASK.match(x) for x in sentences[1:]):
            asking.append("".join(sentences))  # 赋予……经费自主权。对……实行负面清单管理……: a title and how
            continue
        explicit = [i for i, x in enumerate(sentences) if EXPLICIT_ASK.match(x)]
        if len(sentences) > 2 and _titles(sentences[0]) and len(explicit) == 1 and explicit[0] > 1:
            asking.append("".join(sentences))  # 加强乡镇科普馆建设。目前……。建议每个山区县……: a title, why, and its ask
            continue
        asks = [
            i
            for i, s in enumerate(sentences)
            if EXPLICIT_ASK.match(s) or LATER_QUESTION.match(s) or (i and (_connective_ask(s) or MODAL_ASK.match(s) or _actor_told(s) or _further_ask(s)))
        ]
        first = sentences[0] if sentences else ""
        opens_asking = LEADING_VERB.match(first) or MODAL_ASK.match(first) or _connective_ask(first) or _actor_told(first) or _opens_a_paragraphs_ask(first)
        if first and 0 not in asks and opens_asking and not _remarks(first) and not SINCE.match(first):
            asks.insert(0, 0)
        elif (
            first
            and 0 not in asks
            and (headed or first in listed)
            and (SUBJECT_DUTY.match(first) or DISPOSAL.match(first))
            and not _states(first)
            and not _reports(first)
            and not _remarks_on(first)
        ):
            asks.insert(0, 0)  # under 提出以下意见。, 山区县应加快建设……, 将老年人科普纳入……; after 我的建议是，, 把……纳入……
        if not asks and headed and sentences and (_placed_ask(sentences[0]) or _aspect_then_acts(sentences[0])):
            asks = [0]  # under 我们建议：, a paragraph opening with what to do where (面向企业开展……、在……中布局……)
        if not asks:
            continue  # background or a closing line (以上建议，请予研究采纳。)
        # asking again (建议……, 要……, 此外……) is a second item: read sentence by sentence; under a heading, where a
        # paragraph is an item, what may be done after its ask (可结合……开展……) says how
        again = [i for i in asks[1:] if not (headed and MAY_ASK.match(sentences[i]))]
        if again or sentences[asks[0]].endswith(("；", ";")):
            return []
        asking.append("".join(sentences[asks[0] :]))
    if len(asking) < 2:
        return []
    return [(lead, line) for line in asking if (lead := short_suggestion(line))]


# 对促成交易的经纪人，按成交额给予奖励: by what measure, and what is granted
GRANTED_BY = re.compile(r"^(?:按照?|根据|依据)[^，,。；]{2,24}?(?:给予|予以)(?![的了过])")


def _placed_ask(sentence: str) -> bool:
    """Under 我们建议：, a paragraph's first sentence that says what to do where or for whom, behind its setting
    or not: 面向企业开展……; 结合防范诈骗宣传，面向老年人开展……; 对……的经纪人，按成交额给予奖励."""
    setting = AROUND_LEAD.match(sentence) or SETTING_LEAD.match(sentence)
    body = sentence[setting.end() :].lstrip("，, ") if setting else sentence
    told = re.search(r"现行|已经?|目前|的做法", body)  # 按照现行政策可给予……; ……的做法在鹿城区已试行两年
    return bool(HEADED_ASK.match(body) or GRANTED_BY.match(body)) and not told and not _states(sentence) and not _is_the_case(body)


TOPIC_LABEL = re.compile(r"^关于[^，,。；：:“”]{1,8}[：:]\s*(?=\S)")  # 关于资金：在……中设立……
BACKGROUND_START = re.compile(r"^(?:近年来|目前|当前|但|然而|据|截至|随着|从(?:外地|全国|实际))")
# 为此，建议相关部门分工协作、形成合力：— says that asks follow, asks nothing itself (not 建议设立三类专项：)
OPENS_ASKS = re.compile(
    r"^.{0,20}(?:分工协作|形成合力|协同配合|共同发力|如下|以下几)[^，,。；]{0,6}[：:]$"
    # 对此，建议市科技局重点做好以下几方面工作。/ 希望市里在以下几个方面加大支持力度。
    r"|^.{0,24}(?:做好|抓好|从|在)以下几[个项点]?方面(?:的工作|工作|加大[^，,。；]{0,6})?[。：:]$"
    # 我认为市里应当从三个方面加大支持：/ 我们建议从“引、育、用、留”四个环节系统发力。
    r"|^.{0,30}从[^，,。；]{0,12}?[两三四五六几]个(?:方面|环节|层面)(?:系统|协同|共同)?(?:加大支持|发力|着手|入手|推进)[：:。]$"
)
# What follows the asks: 特此提案。/ a date / 附：…… / 相信通过以上措施……
END_MATTER = re.compile(r"^(?:特此|附[:：件]|(?:我们)?相信|\d{4}\s*年\s*\d{1,2}\s*月|[二〇○零一两三四五六七八九十]{4}年)")
# The last paragraph's hope after the asks, for them all (希望通过这些举措，让……; 希望市委市政府把……摆在更加突出的
# 位置; 希望有关部门认真研究，切实为……提供更加有力的支撑; 希望市里给山区更多的科技支持): no item of its own
HOPE_FOR_ALL = re.compile(
    r"^(?:[^。；？]*[，,])?(?:希望|恳请|期待|期望)[^。；]*(?:通过(?:这些|以上|上述)|摆[在到][^。；]{0,6}(?:突出|重要)|(?:认真|统筹|深入)研究(?=[，,。！]|$)|高度重视|予以重视"
    r"|(?<=希望)通过[^，,。；]{2,10}[，,](?:让|使)"  # 希望通过科技赋能，让……: what the asks are for
    r"|(?<=希望)通过(?:几年|数年|若干年|一段时间|[\d一二两三四五]+到?[\d一二三四五六]*年)(?:时间)?的?(?:持续)?努力"  # 希望通过几年努力，培养一支……队伍
    r"|更加有力的|给予?[^。；]{0,12}?更(?:多|大)的?[^。；]{0,8}?(?:支持|关注|重视)"
    r"|走在[^。；]{0,10}?前列|(?:迈上|再上)[^。；]{0,4}?台阶|取得更大的?(?:成效|突破|进展))"  # 期待我市在……领域走在全省前列
)
NAMES_A_MEASURE = re.compile(r"\d|《|[将把][^。；]{1,20}?(?:提高|降|扩大|纳入|列入|调整)|设立|出台|建立|制定|可行性|专项|基金|组织|举办|牵头")
# 山区县应加快建设……; 数字农业技术的推广也亟需加强: who or what must be done, and the duty (a modal of its own:
# not the 要 of 重要/主要/纲要 or the 需要 of 企业需要开展的; not 对……/按照…… before it; not a purpose: 要推进……，离不开……)
SUBJECT_DUTY = re.compile(
    # (政务服务在推广线上办理的同时，必须保留……: the subject's duty after a clause saying while doing what)
    r"^(?!对|按照|根据|为|在|通过)(?![^。；]*(?:离不开|关键在于|取决于|有赖于))[^，,。；]{1,20}?(?:的同时[，,])?(?P<modal>(?:也|还)?"
    r"(?:应当|应该|" + _SHOULD + r"|(?<![重主必纲紧只需])" + _MODAL_YAO + r"|需要|亟需|亟待|必须))"
    r"(?:进一步|尽快|加快|更加|切实|普遍|全面)?(?:" + _ANY_VERB + "|" + _LATE_VERBS + ")(?!的)"
)
# 考核不能只看下乡天数，应当把……作为主要指标: what must not be, then what must
NOT_ONLY_BUT = re.compile(r"^[^，,。；]{0,20}?(?:不能|不应|不宜|不要)[^，,。；]{1,24}[，,](?:而)?(?:应当|应该|要|需要)")
# 项目经费管理可以再放开一点: behind a connective, what may be done with something named first
SUBJECT_MAY = re.compile(r"^[^，,。；]{1,16}?(?:可以|可)(?:再|适当|进一步)?(?:" + _ANY_VERB + "|" + _LATE_VERBS + ")")
# What makes a duty behind a connective a burden, a report or another's practice, not an ask: 才能享受、门槛偏高、难以承受、
# 企业普遍反映要……、深圳的科研人员可以……、按规定高校可以……
NOT_OUR_ASK = re.compile(
    r"才能|才可|门槛|负担|难以|很难|不会做|承受不|而我市|我市(?:却|还|至今)|反映|表示|认为|(?:据|有人|他们)称"
    r"|^[^，,。；]{0,8}?(?:深圳|杭州|上海|北京|苏州|宁波|广州|合肥|成都|外地|国外|省外|其他城市|按规定|根据规定|依规)"
)
HEADED_ASK = re.compile(r"^(?:(?:面向|围绕|针对|聚焦|依托|在)[^，,。；]{1,20}?)?(?:" + _ANY_VERB + r"|布局|提供)(?![是的了着过到后])")


def _hopes_for_all(paragraph: str) -> bool:
    """A closing paragraph: at most a remark or two, then a hope for all the asks (``HOPE_FOR_ALL``) that names
    no measure of its own (将补助提高到5万元、设立……基金的可行性、出台《……》: that hope is an ask)."""
    sentences = [x.strip() for x in split_sentences(paragraph) if x.strip()]
    hope = sentences[-1] if sentences else ""
    return 0 < len(sentences) <= 3 and _hopes_for_the_asks(hope) and not any(_asks_in(x) for x in sentences[:-1])


def _hopes_for_the_asks(sentence: str) -> bool:
    """A hope for all the asks (``HOPE_FOR_ALL``) that names no measure of its own."""
    return bool(HOPE_FOR_ALL.match(sentence)) and not NAMES_A_MEASURE.search(sentence)


def _closing_hope(paragraph: str) -> str:
    """……；在……提高……比例。希望有关部门予以重视，推动……: the last paragraph's asks, then in it a hope for
    them all (``HOPE_FOR_ALL``, naming no measure) — that sentence; "" where there is none or nothing asked before it."""
    sentences = [x for x in split_sentences(paragraph) if x.strip()]
    if len(sentences) < 2 or not paragraph.rstrip().endswith(sentences[-1].strip()):
        return ""
    hope = sentences[-1].strip()
    if not _hopes_for_the_asks(hope):
        return ""
    return hope if any(_proposes_action(x.strip()) or _actor_told(x.strip()) for x in sentences[:-1]) else ""


def _aspect_then_acts(sentence: str) -> bool:
    """在人才评价方面，向……下放……; 在生活保障方面，将……纳入……: an aspect named, then what to do in it, not what is."""
    aspect = ASPECT.match(sentence)
    if aspect is None:
        return False
    rest = sentence[aspect.end() :]
    # …or who does it (市级科技计划设立……)
    done_by = re.match(r"[向对为把将给]|[^，,。；]{2,10}?(?:" + _ANY_VERB + ")(?![是的了着过])", rest)
    acts = LEADING_VERB.match(rest) or MODAL_ASK.match(rest) or SUBJECT_DUTY.match(rest) or done_by
    return bool(acts) and not _is_the_case(rest)


def _titles(sentence: str) -> bool:
    """A paragraph's first sentence that names its ask in a few words (完善新型研发机构分类评价体系。; 保留和优化传统服务方式。)."""
    asks = LEADING_VERB.match(sentence) or MODAL_ASK.match(sentence) or re.match(_LATE_VERBS, sentence)
    return len(sentence) <= 30 and not re.search(r"[，,；;：:是]", sentence) and bool(asks)


# ……，同时建议市科技局建立……: a second ask with its own verb — not 同时建议基金规模不低于10亿元, a detail of the first
SECOND_ASK = re.compile(
    r"(?<=[，,])(?=(?:同时|此外|另外|并|还)+建议[^，,。；]{0,16}?(?:"
    + _ANY_VERB
    + ")"
    # ……，另外也应当在高校……开展……: a further duty behind a connective
    + r"|(?:同时|此外|另外)[，,]?(?:也|还)(?:应当|应该|要|需要)(?=在|对|把|将|"
    + _ANY_VERB
    + "))"
)


def _from_the_ask(sentence: str) -> str:
    """结合上述情况，我们建议…… → 我们建议……: a sentence whose ask follows a clause of background, from the ask on."""
    parts = _background_cut(sentence)
    return next((part for part in parts[1:] if EXPLICIT_ASK.match(part)), sentence) if len(parts) > 1 else sentence


# 企业提出的建议主要集中在三个方面：希望……，希望……: what others asked for, told as background
# 青年科研人员表达了共同的期盼，希望……: others' wish, told
OTHERS_ASKED = re.compile(
    r"^[^。；]{0,30}?(?:提出的建议|提的建议|的诉求|的愿望|的呼声|反映)[^。；]{0,16}[：:]"
    r"|^[^。；，,]{2,20}?(?:表达了|表示了|道出了|说出了)[^。；，,]{0,10}?(?:期盼|期待|愿望|心声|诉求)[，,：:]"
)


def _background_cut(sentence: str) -> list[str]:
    """我市在此方面不足，建议…… → the clause of background and the ask, each a sentence of its own; a
    sentence that opens asking (建议……，同时建议……) stays whole, and so does one telling what others asked for."""
    if OTHERS_ASKED.match(sentence):
        return [sentence]
    if EXPLICIT_ASK.match(sentence) or _connective_ask(sentence):
        # 另外，对……的经纪人，可以考虑……: the connective's clause is background, cut below; ……，同时建议市科技局……: a second ask
        parts = [part for part in SECOND_ASK.split(sentence) if part]
    elif VIEW_LEAD.match(sentence) and (told := _view_then_told(sentence)):
        parts = [sentence[:told], sentence[told:]]  # 我们认为，……要坚持……，市科技局应牵头建立……: the view, then the duty
    else:
        parts = ASK_AFTER_COMMA.split(sentence)
        # ……，因此我们认为有必要建立……，另外也应当开展……: the ask found after the background may ask twice
        parts = [piece for part in parts for piece in (SECOND_ASK.split(part) if EXPLICIT_ASK.match(part) else [part]) if piece]
    # 我们希望市里牵头建设……；同时对……明确必须对外开放……: an ask, and after its semicolon a second behind 同时
    return [piece for part in parts for piece in _asks_after_semicolon(part)]


def _view_then_told(sentence: str) -> int:
    """Where, in the proposer's view (我们认为，……), an agency is told what it must do after a comma; 0: nowhere (and
    where the view announces the asks below: ……应当在以下三个方面有所作为。)."""
    if SUGGESTION_INLINE.search(sentence) or re.search(r"以下|如下", sentence):
        return 0
    for comma in re.finditer(r"[，,]", sentence[:80]):
        if _actor_told(sentence[comma.end() :]):
            return comma.end()
    return 0


# ……；同时……/；此外……/；另外……: where, after an ask, a clause behind a connective may ask again
THEN_ASKS = re.compile(r"(?<=[；;])(?=(?:同时|此外|另外)[，,]?)")


def _asks_after_semicolon(part: str) -> list[str]:
    """An ask, then after its semicolon a clause behind 同时/此外/另外 that asks too: each its own; a clause that does
    not ask stays with the one before it."""
    pieces = THEN_ASKS.split(part)
    if len(pieces) < 2 or not _asks_in(pieces[0]):
        return [part]
    joined = [pieces[0]]
    for piece in pieces[1:]:
        if _connective_ask(piece):
            joined.append(piece)
        else:
            joined[-1] += piece
    return joined


def _asks_in(paragraph: str) -> bool:
    """The paragraph asks with 建议/希望/请…, at a sentence's start or after a clause of background."""
    return any(EXPLICIT_ASK.match(c) and not CLOSING.search(c) for s in split_sentences(paragraph) for c in _background_cut(s))


def _colon_list(text: str) -> list[str]:
    """要结合……；简化……；应将……；鼓励……。 after 建议：: the clauses up to the full stop, where there are two or more."""
    clauses: list[str] = []
    for sentence in split_sentences(text):
        clauses.append(sentence.strip())
        if not sentence.rstrip("”’」』）)\"' ").endswith(("；", ";")):
            break
    return clauses if len(clauses) >= 2 else []


def _numbered_items(section: list[str], asked: bool, split_numbers: bool) -> list[str]:
    """The section's numbered items, of the first numbering style that makes a list. The styles only
    asks use (一要, 第一，, 首先，) and any list found by splitting a paragraph count only where the list
    opens the asks (``LIST_OPENER``): after an ask of its own they order its reasons or a speech. Where
    nothing says the asks have begun, the first list that says what to do is taken over one of problems,
    and 第一，/首先， lines may be that list."""
    exploded: list[str] = []
    for line in section:
        pieces = INLINE_ENUM.split(line)
        if split_numbers:
            pieces = [part for piece in pieces for part in INLINE_NUMBERS.split(piece)]
            pieces = [part for piece in pieces for part in (COMMA_ENUM.split(piece) if COMMA_LIST.search(line) else [piece])]
        exploded += [piece.strip() for piece in pieces if piece.strip()]
    numbered = [(position, line, next(i for i, g in enumerate(m.groups()) if g)) for position, line in enumerate(exploded) if (m := ITEM.match(line))]
    styles = list(dict.fromkeys(style for _, _, style in numbered))
    lists: list[list[str]] = []
    for style in styles:
        first = next(position for position, _, this in numbered if this == style)
        # 五、以上建议请予考虑。 is numbered like the asks but closes them
        items = [line for _, line, this in numbered if this == style and _item_text(line) and not CLOSING.search(_item_text(line))]
        if style in ASKS_ONLY_STYLES or split_numbers:
            # unasked, 第一，征集……。第二，建设……。 opening lines of their own may still be the asks
            if not asked and not (style in ASKS_ONLY_STYLES and exploded[first] in section and _items_ask(items)):
                continue
            before = (split_sentences("".join(exploded[:first])) or [""])[-1].strip()
            if asked and not (LIST_OPENER.match(before) or VIEW_LEAD.match(before)):  # 问题时有发生。对此，我们建议，一要……
                continue
        if style == ORDINAL_STYLE and (len(items) < 2 or not items[0].startswith("首先")):
            continue  # 最后，建议…… alone closes prose; a lone 首先，…… opens a list numbered otherwise
        if style == ORDINAL_STYLE and split_numbers:
            # 首先，……。其次，……。另外，对……给予奖励。最后，……: prose asks between the numbers
            items = [part for item in items for part in _further_asks(item)]
        if items and (split_numbers or items[-1].strip() not in section):  # ……；三要……。此外，建议……: an ask added after the list, in its paragraph
            items = items[:-1] + _asked_after_the_last(items[-1])
        if asked and _complains(items):
            continue  # 我提几点意见：第一，申报流程过于繁琐；……: what is wrong; the asks come after
        if asked:
            return items
        lists.append(items)
    # with nothing saying where the asks begin, a list of what to do beats one of problems (一是……认识不清)
    return next((items for items in lists if _items_ask(items)), lists[0] if lists else [])


HEADING_SENTENCE_MAX = 30  # characters: 四、加强中试人才队伍建设。 heads its paragraph; a longer sentence is the ask itself
# 同时，建议市科技局……; 另外还建议……: after a list, an ask of its own, not the last item's explanation
ONE_MORE_ASK = re.compile(r"^(?:同时|另外|此外|还有|再者|最后)[，,]?\s*(?:我们)?(?:还|也)?(?:建议|希望|呼吁)")
# 望采纳。谢谢！此致: the courtesies that end a proposal, no part of its last item
COURTESY = re.compile(r"^(?:望|请|恳请)?(?:予以)?采纳[。！!]?$|^谢谢[。！!]?$|^此致")


def _with_explanation(item: str, items: list[str], section: list[str]) -> str:
    """An item's text, and where the item is a title line (一、统筹规划中试平台布局) the unnumbered
    lines under it up to the next item: they say what is asked (编制三年行动方案、中试服务券) and hold the
    words a precedent shares. So for a heading sentence (四、加强中试人才队伍建设。), but the last takes no more
    lines than another took (one at least) and stops at one more ask (另外，建议……): what follows a list
    may be background or a further ask of its own."""
    text = _item_text(item)
    if item not in section:
        return text
    if not re.search(r"[。！？；;]", text):
        return "\n".join([text, *_lines_under(item, items, section)])
    if not _heading_sentence(text):
        return text
    following = _lines_under(item, items, section)
    if item == items[-1]:
        most = max([1, *(len(_lines_under(i, items, section)) for i in items[:-1] if i in section)])
        following = following[: next((k for k, line in enumerate(following) if ONE_MORE_ASK.match(line)), len(following))][:most]
    return "\n".join([text, *following])


def _heading_sentence(text: str) -> bool:
    return len(split_sentences(text)) == 1 and len(text) <= HEADING_SENTENCE_MAX and text.endswith("。")


def _lines_under(item: str, items: list[str], section: list[str]) -> list[str]:
    """The unnumbered lines under ``item``, up to the next item or a closing."""
    following: list[str] = []
    for line in section[section.index(item) + 1 :]:
        if line in items or ITEM.match(line) or CLOSING.search(line) or COURTESY.match(line) or HEADER_LINE.match(line) or END_MATTER.match(line):
            break
        following.append(line)
    return following


# 还要重视实验技术队伍建设。: a sentence that only names a matter to take seriously (its paragraph may then ask about it)
EXHORTATION = re.compile(r"^(?:还|也|同时|另外)?[，,]?(?:要|应当?|需要)?(?:高度|更加)?(?:重视|关注|关心)[^，,。；]{2,24}[。；]$")
# 另外，建议由市科技局定期组织……: after the numbered asks, one more in a paragraph of its own
ADDED_ASK = re.compile(r"^(?:另外|此外|还有|再者)[，,]?\s*(?:还|也)?建议(?![^。；]*(?:本提案|本建议|主办|会办|形成合力))")


def _asked_after_the_list(items: list[str], section: list[str]) -> list[str]:
    """The paragraphs after the last numbered item that ask once more behind 另外/此外 (``ADDED_ASK``), up to
    a closing line; none where the list was cut from one paragraph."""
    if not items or items[-1] not in section or not all(re.search(r"[。；;！]$", _item_text(item)) for item in items):
        return []  # title items: what follows the last is its explanation
    added = []
    for line in section[section.index(items[-1]) + 1 :]:
        if CLOSING.search(line) or END_MATTER.match(line) or ITEM.match(line):
            break
        if ADDED_ASK.match(line):
            added.append(line)
    return added


# ……；三是设立……基金。同时，能否考虑由科技部门牵头建立……？: one more ask after a list run together in a paragraph
ASKED_AFTER_THE_LAST = re.compile(
    ADDED_ASK.pattern
    + r"|^(?:同时|另外|此外|还有|再者)[，,]?\s*(?:我们)?(?:还|也)?"
    + r"(?:建议|希望|呼吁|"
    + _QUESTION
    + r"(?:考虑)?(?=由|在|将|把|对|(?:"
    + _ANY_VERB
    + r")))"
)


def _asked_after_the_last(item: str) -> list[str]:
    """The last item of a list cut from a paragraph, and each ask added after it there (此外，建议……; 同时，能否……)."""
    return _cut_where(item, ASKED_AFTER_THE_LAST)


# 申报流程过于繁琐; 评审周期太长; 资金拨付滞后: what is wrong, said of a thing
COMPLAINT = re.compile(r"过于|太(?:长|多|少|慢|高|低|难|繁|复杂)|滞后|繁琐|缓慢|不畅|不足|不够|偏(?:低|少|高|弱|慢)|难以|跟不上")


def _complains(items: list[str]) -> bool:
    """Every item, under 我提几点意见：, says what is wrong (第一，申报流程过于繁琐……) and none what to do."""
    firsts = [re.split(r"[，,。；;]", _item_text(item), maxsplit=1)[0] for item in items]
    return bool(items) and all(COMPLAINT.search(first) and not LEADING_VERB.match(first) for first in firsts) and not _items_ask(items)


# 我们认为，推进……，要……; 针对这些问题，我认为市里应当……: the proposer's view of what must be done
VIEW_DUTY = re.compile(r"(?:^|[，,])(?:我们|我|笔者|本人)认为[，,]?(?:[^。；，,]{2,20}[，,])?(?:市里|市级|市政府|有关部门|相关部门)?(?:要|应当|应该|应)(?!是)")


def _asked_below(last_item: str, section: list[str]) -> bool:
    """A paragraph after the one holding the list's last item asks: with 建议/希望, as the proposer's view of what
    must be done (我们认为，……要……), or by telling someone what to do (市科技局应在……)."""
    holding = next((n for n, line in enumerate(section) if last_item in line), None)
    if holding is None:
        return False
    # 五是……不签字。针对这些情况，我们希望市里督促……: the list's own paragraph may ask after its last item
    after = [x for x in split_sentences(last_item)[1:] if not CLOSING.search(x)]
    for line in ["".join(after), *section[holding + 1 :]]:
        sentences = [x.strip() for x in split_sentences(line) if x.strip()]
        if _asks_in(line) or any(_actor_told(x) or VIEW_DUTY.search(x) for x in sentences):
            return True
    return False


def _items_ask(items: list[str]) -> bool:
    """At least half the items say what to do (an action up front or an ask anywhere in them)."""

    def acts(text: str) -> bool:
        return _proposes_action(text) or bool(LEADING_VERB.match(text)) or any(EXPLICIT_ASK.match(s) for s in split_sentences(text))

    return sum(1 for item in items if acts(_item_text(item))) * 2 >= len(items)


def _further_asks(item: str) -> list[str]:
    """An item of prose numbered 首先…其次…, cut where an unnumbered ask of its own begins."""
    return _cut_where(item, FURTHER_ASK)


def _cut_where(item: str, opens: re.Pattern[str]) -> list[str]:
    """The item cut before each of its sentences (after the first) that ``opens`` matches."""
    parts: list[str] = []
    for sentence in split_sentences(item):
        if parts and opens.match(sentence.strip()):
            parts.append(sentence.strip())
        elif parts:
            parts[-1] += sentence
        else:
            parts.append(sentence)
    return parts


def extract_suggestions(text: str) -> list[tuple[str, str]]:
    """(lead clause, whole item) for numbered items under a 建议 heading (or anywhere), else for
    sentences that propose action."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    # 附件：1.……调查报告 lists what is attached, not what is asked
    lines = lines[: next((i for i, line in enumerate(lines) if i and ATTACHMENTS.match(line)), len(lines))]
    start: int | None = None  # where the asks begin, once a heading or an opening 建议 says so
    headed = False  # …by a line of its own (为此，我们建议：), so each paragraph under it is one
    asked_within = False  # …by a paragraph that asks somewhere in it (……五是……。针对这些情况，我们希望……), no opener before its list
    listed: list[str] = []  # 为此建议：A；B；C。 — clauses a colon lists, each an ask whatever it opens with
    for index, line in enumerate(lines):
        if SUGGESTION_HEADING.match(line):
            start, headed = index + 1, True
        elif (match := _opens_asks_in(line)) and match.end() < len(line) - 4:
            lines[index] = line[match.end() :]
            start = index
            opening = [sentence.strip() for sentence in split_sentences(lines[index])[:1]]
            if match.group().rstrip().endswith((":", "：")):  # A；B；C。 each an ask; one sentence after the colon asks too
                listed = _colon_list(lines[index]) or opening
                listed = [] if _complains(listed) else listed
            elif match.group().rstrip().endswith(("，", ",")):  # 我的建议是，把……纳入……: what follows is the ask
                listed = opening
            elif match.group().rstrip().endswith("。"):  # ……应当在以下几个方面有所作为。A。B。C。: each duty after it asks
                duties = [x.strip() for x in split_sentences(lines[index])]
                listed = [
                    x
                    for x in duties
                    if (SUBJECT_DUTY.match(x) or _actor_told(x) or _further_ask(x) or ASPECT_DUTY.match(x) or THING_COUNTED.match(x)) and not _reports(x)
                ]
        elif match:
            start, headed = index + 1, True
        elif start is None and index and _opens_the_asks(line) and not HEADER_LINE.match(line):
            # 为此建议，…… / ……以来，……，建议市科技局…… / 首先，要…… / 要建立……。 opens the asks: an enumeration
            # before it (一是“不敢转”……) is background
            start, asked_within = index, True
    asked = start is not None
    section = [TOPIC_LABEL.sub("", line) for line in lines[start:]] if start is not None else lines

    items = _numbered_items(section, asked, split_numbers=False)
    if asked and len(items) < 2:  # 具体建议如下：1.……2.……3.…… in one paragraph
        items = _numbered_items(section, asked, split_numbers=True) or items
    if (not asked or asked_within) and items and not _items_ask(items) and _asked_below(items[-1], section):
        items = []  # 一是认识不足……四是人才短缺。……我们认为，……要编制……；要培育……: the problems, then the asks in prose
    if len(items) >= 2 or (asked and items):
        listed_items = [(lead, _with_explanation(i, items, section)) for i in items if (lead := short_suggestion(i))]
        return listed_items + [(lead, line) for line in _asked_after_the_list(items, section) if (lead := short_suggestion(line))]

    prose = [line for line in section if not HEADER_LINE.match(line)]
    if len(prose) > 1 and _hopes_for_all(prose[-1]) and (listed or any(_asks_in(line) for line in prose[:-1])):
        prose = prose[:-1]
    elif prose and (hope := _closing_hope(prose[-1])):
        prose = [*prose[:-1], prose[-1][: -len(hope)].rstrip()]
    if asked and (paragraphs := _one_ask_per_paragraph(prose, headed, listed)):
        return paragraphs
    # Free prose: sentences that propose action (an ask after a clause of background — 我市在此方面不足，
    # 建议…… — is a sentence of its own)
    placed = [
        (c.strip(), n)
        for n, line in enumerate(prose)
        for s in split_sentences(line)
        if not CLOSING_SENTENCE.match(s.strip())
        for c in _background_cut(s)
        if c.strip() and not CLOSING.search(c)
    ]
    # 为此，建议相关部门分工协作、形成合力：opens the asks that follow, asking nothing itself
    placed = [(c, n) for i, (c, n) in enumerate(placed) if not (OPENS_ASKS.search(c) and i + 1 < len(placed))]
    sentences = [c for c, _ in placed]
    if headed:  # under 为此建议：, a paragraph opening with where and what to do, or who with whom, asks (在……中开展……试点。)
        firsts = [next((c for c, n in placed if n == k), "") for k in range(len(prose))]
        # (one opening with its verb is read below: 完善人才政策。建议…… is a title and its ask)
        listed = [*listed, *(first for first in firsts if first and _opens_a_paragraphs_ask(first) and not LEADING_VERB.match(first))]
    # after 建议如下：, a sentence that opens with its verb (建设服务超市。) asks
    actions = [s for s in sentences if s in listed or _proposes_action(s) or (asked and (LEADING_VERB.match(s) or _aspect_ask(s)) and not _states(s))]
    # 市里可以考虑……: someone told what they might consider doing asks as 建议 does
    if any(EXPLICIT_ASK.match(s) or (_actor_told(s) and re.search(r"可以?考虑", s[:20])) for s in actions):
        # prose that says 建议 asks with it, with 应/要 or with 此外/同时/还…, or an agency told what it
        # must do; a sentence with an action verb and no ask is background (国家已出台……，但我市……),
        # unless it follows an ask after a semicolon (建议完善……；建设……；加强……。: one 建议, three asks)
        kept: list[str] = []
        for position, sentence in enumerate(sentences):
            after_ask = position and kept and kept[-1] == sentences[position - 1] and sentences[position - 1].endswith(("；", ";"))
            if sentence in listed or (
                sentence in actions and (EXPLICIT_ASK.match(sentence) or FOLLOW_ON.match(sentence) or MODAL_ASK.match(sentence) or ORDINAL_ASK.match(sentence))
            ):
                kept.append(sentence)
            elif sentence in actions and _actor_told(sentence) and len(short_suggestion(sentence)) >= 6:
                kept.append(sentence)  # 市科技局应当建设……; not 市科技局应当牵头推进 (who leads the ask before it)
            elif after_ask and _continues_the_list(sentence):
                kept.append(sentence)
            elif kept and _connective_ask(sentence):
                kept.append(sentence)  # 此外，要发挥……; 此外，允许……: a further ask once the prose has asked
            elif kept and (FURTHER_DUTY.match(sentence) and not _reports(sentence) or _further_ask(sentence)) and not DONE_ALREADY.search(sentence[:30]):
                kept.append(sentence)  # 政府网站也应当加快适老化改造; 针对……的问题，可以依托……; 可以推广……
            elif kept and SETTING_DUTY.match(sentence) and not _is_the_case(sentence) and not TAKE_SERIOUSLY.search(sentence):
                kept.append(sentence)  # ……的技术服务，应当允许使用科技创新券: once the prose has asked, a duty after its matter
            elif kept and LATER_QUESTION.match(sentence):
                kept.append(sentence)  # ……，购置补贴比例能不能比平原地区再高一些
            elif kept and LEADING_VERB.match(sentence) and not _is_the_case(sentence) and not _titles_the_next(position, placed):
                kept.append(sentence)  # 支持龙头企业围绕产业链建设专业孵化器。: once the prose has asked, what to do, plainly
        # 还要重视实验技术队伍建设。实验技术人员是……，建议在职称评审中单设……: the exhortation names the matter that its
        # paragraph explains and then asks about; one right before another ask (还要重视人才培养。建议设立……) is its own
        paragraph = dict(placed)

        def names_the_matter(i: int) -> bool:
            this, following = kept[i], kept[i + 1] if i + 1 < len(kept) else ""
            between = sentences.index(following) - sentences.index(this) - 1 if following else 0
            return bool(
                EXHORTATION.match(this) and following and paragraph.get(following) == paragraph.get(this) and EXPLICIT_ASK.match(following) and between > 0
            )

        actions = [sentence for i, sentence in enumerate(kept) if not names_the_matter(i)]
    found: dict[str, str] = {}
    for action, detail in _with_details(actions, placed):
        if (lead := short_suggestion(action)) and lead not in found:
            found[lead] = detail
    return list(found.items())[:8]


def _with_details(actions: list[str], placed: list[tuple[str, int]]) -> list[tuple[str, str]]:
    """Each ask and the sentences after it in its paragraph up to the next ask (具体可遴选……，首年实行免费许可):
    they say how, and search reads them."""
    where: dict[str, list[int]] = {}
    for i, (sentence, _) in enumerate(placed):
        where.setdefault(sentence, []).append(i)
    positions = [where[action].pop(0) if where.get(action) else -1 for action in actions]
    out = []
    for k, (action, at) in enumerate(zip(actions, positions)):
        detail = [action]
        end = next((p for p in positions[k + 1 :] if p > at), len(placed))
        for sentence, paragraph in placed[at + 1 : end] if at >= 0 else []:
            if paragraph != placed[at][1] or BACKGROUND_START.match(sentence) or END_MATTER.match(sentence):
                break
            detail.append(sentence)
        out.append((action, "".join(detail)))
    return out
