"""The wording of a reply letter, in one place: 文号 and dates, placeholders, who is addressed,
restatements and formulas, what was done, what will be done, basis lines, figures, the verbs of
an ask.

Where two rooms need a pattern for different jobs (reading a precedent's sentence vs. checking a
draft's paragraph) both live here, side by side, each saying what it is for. Pure ``re``."""

from __future__ import annotations

import re
from datetime import date as Date

from .headings import ARTICLE
from .numerals import CN_NUMERAL, HAN

# -- 文号 and dates --------------------------------------------------------------------------
DOC_NUMBER = re.compile(rf"([{HAN}]{{1,12}}[〔\[［【(（]\s*(\d{{4}})\s*[〕\]］】)）]\s*第?\s*(\d+)\s*号)")
# Anything shaped like a 文号, malformed ones included (any bracket, a 2-digit year, 第, 010号),
# so lint can suggest the fix.
DOC_NUMBER_LOOSE = re.compile(rf"([{HAN}]{{1,12}})\s*([〔\[［【(（])\s*(\d{{2,4}})\s*([〕\]］】)）])\s*(第?)\s*(\d+)\s*号")
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# The version a basis line names after a regulation's title: 《…条例》（2021年9月30日）第十条.
VERSION_DATE = r"(?:[（(]\d{4}年\d{1,2}月\d{1,2}日(?:修订|修正|公布|施行|版)?[）)])?"


def book_title(name: str) -> str:
    """《name》 with a title inside it marked 〈〉 as GB/T 15834 asks: 《浙江省实施〈中华人民共和国农业技术推广法〉办法》."""
    name = name.strip()
    if name.startswith("《") and name.endswith("》") and _balanced(name[1:-1]):
        name = name[1:-1]  # 《……》 given whole: its own marks, not an inner title (《中国制造2025》浙江行动纲要 keeps its)
    return "《" + name.replace("《", "〈").replace("》", "〉") + "》"


def _balanced(text: str) -> bool:
    depth = 0
    for mark in re.findall(r"[《》]", text):
        depth += 1 if mark == "《" else -1
        if depth < 0:
            return False
    return depth == 0


def chinese_date(day: Date) -> str:
    """2024年6月27日: Arabic numerals, no leading zeros (GB/T 9704 7.3.5.4)."""
    return f"{day.year}年{day.month}月{day.day}日"


def month_of(iso: str | None) -> str:
    """2024-06-27 → 2024年6月 (how a check names the age of a figure)."""
    if not iso:
        return "原文"
    parts = iso.split("-")
    return f"{int(parts[0])}年{int(parts[1])}月" if len(parts) >= 2 else f"{parts[0]}年"


# -- placeholders a person must fill -------------------------------------------------------
# 【待填：文号】 for a missing field; 【待补充：…】 for a section the corpus had nothing for.
PLACEHOLDER = re.compile(r"【待(?:填|补充)[:：]?[^】]*】")

# A session of the people's congress or the CPPCC: 市政协十二届三次会议, 市第十四届人民代表大会第四次会议,
# 政协温州市第十三届委员会第三次会议 (the body named first, with its city).
_SESSION_BODY = rf"(?:(?:政协[{HAN}]{{1,4}}?(?=[市省区县]))?[市省区县]|全国)?"  # 市, or 政协温州市 with its body named first
SESSION = re.compile(rf"({_SESSION_BODY}(?:政协|人大)?(?:第)?{CN_NUMERAL}届(?:[{HAN}]{{0,6}}?)(?:第)?{CN_NUMERAL}次(?:全体)?会议)")

# -- who is addressed ------------------------------------------------------------------------
# A proposer that is a body, not a person: 九三学社温州市委会, 民盟温州市委会, 市工商联, 农工党温州市委会
# 医卫支部, 政协经济界别小组. It is addressed by its name alone, without 委员/代表.
ORGANISATION = re.compile(
    rf"^(?:(?:民革|民盟|民建|民进|农工党|致公党|九三学社|台盟|中国民主同盟|中国国民党革命委员会)[{HAN}]{{0,16}}"
    rf"|[{HAN}]{{1,16}}(?:委员会|市委会|县委会|区委会|委会|总支|支部|工委|联合会|工商联|商会|学会|协会|研究会|界别|界|小组|专委会|党组))$"
)
ROLE_BY_KIND = {"提案": "委员", "建议": "代表"}  # a 提案's proposer is a 委员, a 建议's a 代表
HONORIFICS = "委员|代表|同志|先生|女士"
# The salutation of a reply to members: the names (group 1) and their role (group 2).
SALUTATION = re.compile(rf"^\s*([{HAN}·、，,\s]{{2,40}}?)\s*(委员|代表)(?:们)?\s*[:：]")
# A line that is a salutation, to any honorific, its colon (group 2) possibly missing.
SALUTATION_LINE = re.compile(rf"^([{HAN}、，·]{{2,40}}?(?:{HONORIFICS})(?:们)?)\s*([:：]?)\s*$")
# A draft's salutation paragraph: any names, a placeholder too (【待填：提案人】委员：), and its colon.
SALUTATION_DRAFTED = re.compile(r"^[^。；，]{2,60}(?:委员|代表|同志)(?:们)?\s*[:：]$")
# The names before the role, however long the list of co-signers (the rubric checks them one by one).
ADDRESSED = re.compile(r"^(.*?)(委员|代表)\s*[:：]")
# What opens a letter's body when it has no 收悉 line: a salutation, 答复如下.
BODY_START = re.compile(rf"收悉|答复如下|(?:{HONORIFICS})(?:们)?\s*[:：]\s*$")


def is_organisation(name: str) -> bool:
    """民盟温州市委会, 市工商联 — and one named twice, 温州市工商业联合会（总商会）."""
    return bool(ORGANISATION.match(re.sub(r"（[^（）]+）$", "", name or "")))


# -- the proposal restated, and the genre's formulas -----------------------------------------
# A precedent's sentence restating *its* proposal (您在提案中建议… / 提案……提出要… / 该提案围绕…):
# never reused. Anchored, because it judges one sentence of a letter being cut into units.
_YOU = r"(?:您|你们|贵会|贵单位)"  # how a letter speaks to a proposer: a person, several, or an organisation (民盟温州市委会)
RESTATING = re.compile(
    r"^(?:[^。；]{0,30}?(?:提案|建议|您|你们|贵会|贵单位)[^。；]{0,40}?(?:提出|建议|指出|认为|反映)[^。；]{0,6}?(?:要|应|了|的)?)"
    r"|" + _YOU + r"在(?:提案|建议)中|^该?(?:提案|建议)(?:立足|围绕|针对|从)"
)
# A restatement anywhere in a draft's paragraph (the rubric: a borrowed 复述 is never our content).
RESTATEMENT = re.compile(
    _YOU + r"在(?:提案|建议)中"
    r"|" + _YOU + r"(?:所)?提(?:出)?的"
    r"|提案[^。；]{0,80}?提出(?:要|了|的)"
    r"|(?:提案|建议)中(?:提出|建议|指出)"
    r"|关于“[^”]{2,}”的(?:建议|提案)"
    r"|该(?:提案|建议)"
)
# （一）关于“…”的建议: a section answering one suggestion (review's coverage check finds them by this) …
ANSWER_HEADING = re.compile(r"的(?:建议|提案|意见)")
# … and, after the measures, the turn to answering suggestion by suggestion: not 的意见, which ends the
# titles of policy documents a measures section names (落实《关于加快科技金融发展的意见》).
ANSWER_TURN = re.compile(r"的(?:建议|提案)")
SUGGESTION_ECHO = re.compile(r"^关于“([^”]+)”的(?:建议|提案|意见)[。.]?")  # a heading answering one suggestion
SUMMARY = re.compile(_YOU + r"在(?:提案|建议)中[^。]*。")  # the receipt's summary of the proposal
# Receipts, appraisals, thanks, contacts, signatures, distribution lines.
FORMULA = re.compile(
    r"收悉|答复如下|现答复|联系人|联系电话|抄\s*送|感谢您|关心和支持|关心与支持|宝贵意见|答\s*复\s*函"
    r"|具有(?:很强|一定|较好|重要)的?[^。]{0,12}(?:意义|价值|前瞻性)|吸收采纳|统筹实施|参考价值"
    r"|(?:委员|代表)\s*[:：]\s*$|(?:将)?重点做好以下[^。]{0,6}工作|^特此函复"
)
# The end of a letter: thanks (after which everything is 套话), contact, 抄送, 特此函复.
THANKS = re.compile(r"^(?:最后[，,]?)?(?:衷心)?感谢")
CLOSING_LINE = re.compile(THANKS.pattern + r"|^联系人|^抄\s*送|^特此")
# -- the two letters we write: a 答复函 to the proposer, a 会办意见 to the unit that leads the case -----
REPLY_LETTER, CO_HANDLING = "答复函", "会办意见"
# A 会办意见 is addressed to a unit (市人力社保局： / 市总工会： / 温州大学：), not to a person: a name alone on
# its line, no sentence punctuation, not ending 委员/代表/同志; or the placeholder the drafter leaves.
UNIT_SALUTATION = re.compile(rf"^(?!.*(?:委员|代表|同志|如下)(?:们)?\s*[:：]$)(?:[{HAN}（）()·]{{2,40}}|【待填[:：]主办单位】)\s*[:：]$")
# What a 会办意见 never says: the lead unit answers the proposer, thanks and appraises them; we write to
# the lead unit (贵单位). A 您, a salutation to a 委员, thanks to the proposer, the reply's closing wish or an
# appraisal of the proposal is the wrong genre; 在省科技厅的关心和支持下 or 具有示范意义 is not.
TO_PROPOSER = re.compile(
    r"您|(?:委员|代表)(?:们)?\s*[:：]|对我市[^。；]{0,16}工作的关心|继续提出宝贵|宝贵(?:的)?意见和建议"
    r"|(?:提案|建议)[^。；]{0,24}具有(?:很强|一定|较好|重要)的?[^。；]{0,12}(?:意义|价值|前瞻性)|(?:提案|建议)(?:很有|立足)"
)
# Its last line before 联系人: 以上意见，供参考。 / 以上会办意见，请予参考。
CO_HANDLING_CLOSING = re.compile(r"^以上(?:会办)?意见[，,]?(?:供|请)")


# How each letter's title ends (关于…第56号提案的会办意见 / …会办意见函 / …会办意见的函; the seeds set 答 复 函
# spaced on its own line): what marks a line as the title, and where a long title is broken.
TITLE_ENDINGS = {REPLY_LETTER: ("答复函",), CO_HANDLING: ("会办意见的函", "会办意见函", "会办意见")}


def title_ending(title: str) -> str:
    """The letter's ending the title closes with (会办意见函, 答复函 …), '' for a line that is no such title."""
    flat = re.sub(r"\s+", "", title or "")
    return next((e for endings in TITLE_ENDINGS.values() for e in endings if flat.endswith(e)), "")


def short_session(text: str) -> str:
    """The usual short form of a session in a title: 市第十四届人民代表大会第四次会议88号建议 → 市十四届人大四次会议第88号建议,
    市政协第十二届委员会第三次会议 → 市政协十二届三次会议 (what fits a title on one line)."""
    text = re.sub(
        rf"([市省区县]|全国)?第?({CN_NUMERAL})届人民代表大会(?:第)?({CN_NUMERAL})次(?:全体)?会议",
        lambda m: f"{m.group(1) or ''}{m.group(2)}届人大{m.group(3)}次会议",
        text,
    )
    text = re.sub(
        rf"([市省区县]|全国)?政协(?:[{HAN}]{{0,6}}?)第?({CN_NUMERAL})届(?:委员会)?第?({CN_NUMERAL})次(?:全体)?会议",
        lambda m: f"{m.group(1) or ''}政协{m.group(2)}届{m.group(3)}次会议",
        text,
    )
    return re.sub(r"(会议)(\d+)号", r"\1第\2号", text)


def letter_kind(title: str) -> str:
    """会办意见 for a title ending so (…的会办意见, …会办意见函), else 答复函."""
    return CO_HANDLING if title_ending(title).startswith(CO_HANDLING) else REPLY_LETTER


def self_reference(unit: str) -> str:
    """How a unit names itself in its letters: 温州市科学技术局 → 我局, …委员会 → 我委, …办公室 → 我办."""
    unit = re.sub(r"\s+", "", unit or "")
    for ending, name in (("委员会", "我委"), ("办公室", "我办"), ("局", "我局"), ("厅", "我厅"), ("委", "我委"), ("办", "我办"), ("中心", "我中心")):
        if unit.endswith(ending):
            return name
    return "我单位"


# The printing line at the foot of a letter: 温州市科学技术局办公室   2024年6月26日印发
PRINTED_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发\s*$")

# -- what was done ---------------------------------------------------------------------------
# A result (成效) as the unit rules read a precedent: dates reached, running totals, things done, rankings.
RESULT = re.compile(
    r"截至|截止|累计|累积|已建|已有|已累计|已引育|已培育|已认定|已形成|已实现|已完成|已发放|已投资|已实施|已达|达到了?"
    r"|实现了|首次|榜上有名|获认定|居全省|位居|位列|名列|并列全省|同比增长|增长\d|占比|比重达"
)
# ... and what review's class A counts as done: a result, or any 已+verb.
DONE = re.compile(RESULT.pattern + r"|已(?:建|有|出台|印发|完成|实现|形成|开展|建立|设立|发放|投入|落实|认定|培育|引育|达)|取得了")
# A sentence reporting a figure reached (the rubric: a result under 二、 is misplaced).
PAST_CUE = re.compile(r"截至|截止|累计|累积|已累计|已达|已建|已有|已完成|已实现|已引育|达到|共计")
# A clause that reports an outcome rather than a goal (review: a promise followed up).
OUTCOME = re.compile(r"截[至止]|已|累计|完成|实现了|达到了|建成")

# -- what will be done -----------------------------------------------------------------------
# The turn from what was done to what will be done: a paragraph (or a heading) that opens so.
# 未来 only as time (未来，/未来三年), never as the programmes named so: 未来产业, 未来工厂, 未来社区, 未来乡村.
PLAN_TURN = re.compile(r"^(?:[一二三四五六七八九十]+、)?\s*(?:下一步|下阶段|今后|接下来|工作计划|未来(?:[，,]|一段时间|一个时期|[几两三五]年))")
# A heading that names the plan part: 二、下一步工作打算.
PLAN_HEADING = re.compile(r"下一步|工作计划|今后|下阶段|工作打算|工作思路")
# A precedent's unit that opens as a plan (将…, 力争…) or sets a year (到2025年): a 计划.
PLAN_OPENING = re.compile(r"^(?:[^，。]{0,8}?)(?:将|力争|计划|拟|争取|确保|下一步|下阶段|今后|未来)|到20\d\d年")
# A plan word anywhere: a result with one of these (累计……将) is not a plain result.
PLAN_CUE = re.compile(r"将|力争|计划|拟|争取|确保|下一步|今后|未来|继续|到20\d\d年")
# A borrowed 计划 that says it is a next step itself needs no lead-in (计划 and 拟 are nouns too often
# in a paragraph's first words: 科技计划项目).
NEXT_STEP_CUE = re.compile(r"将|下一步|力争|继续|持续|进一步|今后|未来|确保|争取|到20\d\d年")
# Tense and intent only (力争到2025年累计建成100家 is a plan): what excuses a figure under 二、.
FUTURE_WORDS = ("下一步", r"(?<!已)将(?!近)", "今后", "未来", "力争", "预计", "确保", r"到20\d\d年", r"20\d\d年(?:底)?前")
FUTURE = re.compile("|".join(FUTURE_WORDS))
# Wording that makes a 二、 paragraph a plan: intent and time, continuation (继续, 持续, 逐步) and the
# push verbs plans are written with (推动, 深化, 探索). Verbs that describe past measures just as
# often (完善, 加强, 建立) are left out on purpose: with them every pasted 举措 would count as forward.
FORWARD_WORDS = (
    *FUTURE_WORDS,
    "争取",
    "计划",
    r"(?<![模虚])拟",
    "继续",
    "持续",
    "进一步",
    "不断",
    "逐步",
    "加大",
    "大力",
    "推动",
    "推进",
    "加快",
    "深化",
    "着力",
    "探索",
)
FORWARD = re.compile("|".join(FORWARD_WORDS))
# A target: a deadline, a yearly quota, or 力争/确保/争取 with a figure or a ranking.
TARGET = re.compile(
    r"到\s*20\d\d\s*年|20\d\d\s*年(?:底|前|内)|(?:[一二三四五两]|\d)\s*年内|每年|年均"
    r"|(?:力争|确保|争取)[^。；]{0,30}?(?:\d|全省前|全国前|全覆盖|第[一二三四五六七八九十])"
)
TARGET_CUE = re.compile(r"到\s*20\d\d\s*年|20\d\d\s*年(?:底|前|内)|每年|年均|力争|确保|争取|实现")
# A target the provision itself dates (到2015年……应当达到……): once that year is past it binds nobody.
TARGET_YEAR = re.compile(r"到\s*(\d{4})\s*年|(\d{4})\s*年(?:底|末)?(?:以)?前")

# -- basis lines: 根据《…》第X条，“…”。 ---------------------------------------------------------
BASIS_QUOTE_MAX = 80  # a basis line quotes at most one sentence, this long
BASIS_START = re.compile(rf"^根据《[^《》\n]+》{VERSION_DATE}{ARTICLE}")
BASIS_LINE = re.compile(rf"^根据《[^《》\n]+》{VERSION_DATE}{ARTICLE}(?:第{CN_NUMERAL}款)?(?:第{CN_NUMERAL}项)?(?:的?规定)?[，,：:]\s*“([^“”]*)”[。；]?$")
# Any line that opens like one (an article not named, a clause between): review leaves these out of coverage.
BASIS_OPENING = re.compile(rf"^根据《[^》]+》{VERSION_DATE}[^，]{{0,12}}，“")

# -- figures ---------------------------------------------------------------------------------
# What a check counts as a figure: quantities with units, shares, rankings and fractions.
# A year or a date alone is not one (“2023年发布了……” asks nobody to check anything).
FIGURE = re.compile(
    r"(?:超|近|约|达|逾|共|累计)?\d+(?:\.\d+)?\s*(?:%|‰|个百分点)"
    r"|(?:超|近|约|达|逾)?\d+(?:\.\d+)?\s*(?:万亿|亿|万|千)?(?:元|家|个|项|件|人|支|所|次|台|套|亩|平方米|万方|方|吨|户|名|倍)"
    r"|(?:全省|全国|全市|全球|省内|国内)(?:第[一二三四五六七八九十\d]+|前[一二三四五六七八九十\d]+)"
    r"|(?<![\d年月])\d+/\d+(?![\d年月])"
)
# A quantity as the unit rules count them (two make a sentence a result).
QUANTITY = re.compile(r"\d+(?:\.\d+)?\s*(?:%|‰|个百分点)|\d+(?:\.\d+)?\s*(?:万亿|亿|万|千)?(?:元|家|个|项|件|人|支|所|次|台|套|亩|方|吨|户|名|倍)")

# A policy term an ask names in quotes (“揭榜挂帅”、“科创指数贷”): a text that uses it is about it.
ASKED_TERM = re.compile(r"[“\"]([^“”\"]{2,16})[”\"]")

# -- the verbs of an ask -----------------------------------------------------------------------
# The verbs proposals open their suggestions with (完善……、加强……) …
OPENING_VERBS = (
    "加大",
    "加强",
    "加快",
    "完善",
    "推动",
    "推进",
    "建立",
    "健全",
    "优化",
    "强化",
    "设立",
    "出台",
    "制定",
    "支持",
    "鼓励",
    "引导",
    "提升",
    "拓展",
    "构建",
    "探索",
    "落实",
    "深化",
    "扩大",
    "降低",
    "简化",
)
# … and every verb an ask is made of: a unit sharing only the verb shares nothing; the object
# (信贷产品、实验动物平台) says what the suggestion is about.
ACTION_VERBS = frozenset((*OPENING_VERBS, "提高", "发挥", "促进", "实施", "开展", "建设", "规范", "创新"))
