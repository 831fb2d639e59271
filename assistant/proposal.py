"""Parse a new 政协提案 or 人大建议: title, number, session, proposers, kind, suggestions.

Only what is in the text is extracted; a field not found stays empty and is listed in
``Proposal.missing`` so the UI can ask for it. Nothing is invented.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .chunking import split_sentences
from .documents import load_file
from .errors import LoadError
from .letters import SESSION

_N = "一二三四五六七八九十"
TITLE_IN_BOOK = re.compile(r"《(关于[^《》\n]{2,80}?(?:的)?(?:提案|建议))》")
TITLE_LINE = re.compile(r"^(?:提案|建议)?(?:标题|题目|案由)?[:：]?\s*(关于.{2,80}?(?:的)?(?:提案|建议))\s*$")
NUMBER_PATTERNS = [
    re.compile(r"(?:提案|建议)\s*(?:第|编号[:：]?\s*)?\s*(\d{1,5})\s*号"),
    re.compile(r"第\s*(\d{1,5})\s*号\s*(?:提案|建议)"),
    re.compile(r"(?:提案|建议)?编号\s*[:：]\s*(\d{1,5})"),
    re.compile(r"会议\s*(\d{1,5})\s*号\s*(?:提案|建议)"),
]
PROPOSER_LINE = re.compile(r"(?:提案人|领衔人|领衔代表|提出人|建议人|联名人|附议人|代表|委员)\s*[:：]\s*([^\n]{2,80})")
NAME_WITH_ROLE = re.compile(r"([\u4e00-\u9fa5]{2,4})(委员|代表)(?=[，,、。：:\s]|等|$)")
SUGGESTION_HEADING = re.compile(
    r"^(?:[" + _N + r"]+、|[（(][" + _N + r"]+[）)]|\d+[.、．])?\s*(?:具体|几点|对策|相关|主要|工作)?(?:建议|对策|措施|意见)(?:如下|及对策)?\s*[:：]?\s*$"
)
SUGGESTION_INLINE = re.compile(r"(?:为此|因此|对此|据此|特)?(?:提出|有)?(?:以下|如下|几点)(?:建议|意见)\s*[:：]")
ITEM = re.compile(
    r"^\s*(?:([" + _N + r"]+)是|([" + _N + r"]+)、|[（(]([" + _N + r"]+)[）)]|(\d{1,2})\s*[.、．)）](?!\d)|[（(](\d{1,2})[）)])\s*"
)
INLINE_ENUM = re.compile(r"(?<=[。；;：:\s])(?=[" + _N + r"]是)")
ACTION = re.compile(r"^(?:建议|应当|应|要|需要|需|请|希望)?.{0,6}?(?:加大|加强|加快|完善|推动|推进|建立|健全|优化|强化|设立|出台|制定|支持|鼓励|引导|提升|拓展|构建|探索|落实|深化|扩大|降低|简化)")
_ROLE_BY_KIND = {"提案": "委员", "建议": "代表"}
MAX_PROPOSAL_CHARS = 100_000  # real proposals are a few thousand characters


@dataclass
class Proposal:
    text: str
    title: str = ""
    number: int | None = None
    session: str = ""
    proposers: list[str] = field(default_factory=list)
    role: str = ""  # 委员 (政协) / 代表 (人大)
    kind: str = ""  # 提案 / 建议
    suggestions: list[str] = field(default_factory=list)
    # The whole text of each suggestion item (suggestions hold only its lead clause): searched
    # for precedents, since the details carry the words a precedent shares.
    details: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [name for name in ("title", "number", "session", "proposers", "role", "kind", "suggestions") if not getattr(self, name)]

    def search_text(self, index: int) -> str:
        """What to search precedents with for suggestion ``index``: the lead plus its details."""
        lead = self.suggestions[index]
        detail = self.details[index] if index < len(self.details) else ""
        return lead if not detail or detail == lead else f"{lead} {detail}"

    def to_dict(self) -> dict:
        return {**asdict(self), "missing": self.missing}


def load_proposal(path: Path) -> Proposal:
    """A proposal from a .txt/.md/.docx file (encodings detected like any corpus file)."""
    if Path(path).suffix.lower() not in {".txt", ".md", ".docx"}:
        raise LoadError(f"{Path(path).name}：提案文件只支持 .txt、.md、.docx", f"{Path(path).name}: a proposal must be .txt, .md or .docx")
    return parse_proposal(load_file(Path(path))[0].text)


def parse_proposal(text: str) -> Proposal:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise LoadError("提案内容为空", "the proposal text is empty")
    if len(text) > MAX_PROPOSAL_CHARS:
        raise LoadError(f"提案过长（{len(text):,} 字，上限 {MAX_PROPOSAL_CHARS:,} 字），请确认粘贴的是提案正文",
                        f"the proposal is too long ({len(text):,} > {MAX_PROPOSAL_CHARS:,} characters)")
    proposal = Proposal(text=text)
    head = text[:1500]
    flat_head = re.sub(r"\s+", "", head)

    if match := TITLE_IN_BOOK.search(head):
        proposal.title = match.group(1)
    else:
        for line in text.split("\n")[:8]:
            if match := TITLE_LINE.match(line.strip()):
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

    kind_hint = proposal.title + proposal.session + flat_head[:300]
    if "人大" in kind_hint or proposal.title.endswith("建议") or "代表建议" in kind_hint:
        proposal.kind = "建议"
    elif "政协" in kind_hint or proposal.title.endswith("提案") or "提案" in kind_hint:
        proposal.kind = "提案"

    proposal.proposers, role = _proposers(head)
    proposal.role = role or _ROLE_BY_KIND.get(proposal.kind, "")
    if not proposal.kind and proposal.role:
        proposal.kind = {"委员": "提案", "代表": "建议"}[proposal.role]
    items = extract_suggestions(text)
    proposal.suggestions = [lead for lead, _ in items]
    proposal.details = [detail for _, detail in items]
    return proposal


def _proposers(head: str) -> tuple[list[str], str]:
    role = ""
    for match in PROPOSER_LINE.finditer(head):
        label = match.group(0).split("：")[0].split(":")[0]
        role = "代表" if "代表" in label else "委员" if "委员" in label else role
        names = [n for n in re.split(r"[、，,；;\s]+", re.sub(r"[（(][^）)]*[）)]", "", match.group(1))) if n]
        names = [re.sub(r"(委员|代表)$", "", n) for n in names if 2 <= len(re.sub(r"(委员|代表)$", "", n)) <= 4]
        if names:
            return names, role
    found = NAME_WITH_ROLE.findall(head)
    names = list(dict.fromkeys(name for name, _ in found if not name.endswith(("政协", "人大", "市", "省"))))
    return names, (found[0][1] if found else role)


def _item_text(line: str) -> str:
    return ITEM.sub("", line, count=1).strip()


def short_suggestion(item: str, limit: int = 60) -> str:
    """The lead clause of a suggestion item: what goes inside 关于“…”的建议."""
    item = _item_text(item)
    item = re.sub(r"^(?:同时|另外|此外|并且|而且|还)?\s*(?:建议|希望|需要|要|应当|应|需)?\s*", "", item)
    lead = re.split(r"[。；;：:！？\n]", item, maxsplit=1)[0].strip(" ，,")
    if len(lead) > limit:
        cut = [m.start() for m in re.finditer(r"[，,]", lead) if 10 <= m.start() <= limit]
        lead = lead[: cut[-1]] if cut else lead[:limit]
    return lead.strip(" ，,、")


def extract_suggestions(text: str) -> list[tuple[str, str]]:
    """(lead clause, whole item) for numbered items under a 建议 heading (or anywhere), else for
    sentences that propose action."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    start = 0
    for index, line in enumerate(lines):
        if SUGGESTION_HEADING.match(line):
            start = index + 1
        elif (match := SUGGESTION_INLINE.search(line)) and match.end() < len(line) - 4:
            lines[index] = line[match.end():]
            start = index
        elif match:
            start = index + 1
    section = lines[start:] if start else lines

    # 一是…二是… may run inside one paragraph: split them onto their own lines first.
    exploded: list[str] = []
    for line in section:
        exploded += [part.strip() for part in INLINE_ENUM.split(line) if part.strip()]

    items: list[str] = []
    style = None
    for line in exploded:
        match = ITEM.match(line)
        if not match:
            continue
        this_style = next(i for i, g in enumerate(match.groups()) if g)
        if style is None:
            style = this_style
        if this_style == style and _item_text(line):
            items.append(line)
    if start and len(items) < 2 and not any(ITEM.match(line) for line in exploded):
        items = []
    if len(items) >= 2 or (start and items):
        return [(lead, _item_text(i)) for i in items if (lead := short_suggestion(i))]

    # Free prose: sentences that propose action.
    sentences = [s.strip() for line in (section if start else lines) for s in split_sentences(line)]
    actions = [s for s in sentences if ACTION.match(s) and not s.startswith(("近年来", "目前", "但是", "然而"))]
    found: dict[str, str] = {}
    for action in actions:
        if (lead := short_suggestion(action)) and lead not in found:
            found[lead] = action
    return list(found.items())[:8]
