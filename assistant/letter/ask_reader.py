"""A second reading of a proposal: which of its sentences read as asks, by weights learned from labelled proposals.

The rule reader (``proposal.extract_suggestions``) places every suggestion right on the sets it was
tuned on, but on a fresh set only two or three proposals in four; rules learned from one set have
stopped carrying over to the next. This reader is learned instead: a proposal's body is cut into
units (sentences, clauses after ；/：, numbered items), and a logistic model over each unit's words,
its opening words, the words before it, where it stands and the rule reader's own predicates says
how likely a suggestion starts there. Alone it reads fewer proposals right than the rules do, so it
does not replace them: it checks them (``check_reading``). A unit that reads as an ask and that no
suggestion covers, or a suggestion that reads as a problem or as background, is shown to the 承办人
under 解析 (and by ``draft`` on the command line), who fixes the list in seconds instead of finding
a lost ask in the signed letter.

The weights are learned by ``bench/train_ask_reader.py`` from the parse sets and the blind proposals
(bench/eval), and shipped as assistant/data/ask-reader.json: versioned, and refused (no check, the
rules stand alone) when of another version or when it weighs features this code does not make.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..errors import LoadError
from ..learned import Gate, bundled, read_learned, write_learned

if TYPE_CHECKING:
    from .proposal import Proposal

READER_VERSION = 1
READER_FILE = "ask-reader.json"
# What a feature's name starts with (each a number of the order of one): a word of the unit's opening
# (h:), of the unit (w:), of the end of the unit before it (p:); its end mark (end:) and the one before
# it (pend:); a rule predicate true of it (r:) or of the unit before it (pr:); a numbered item's style
# (enum:); and where it stands.
FEATURE_PREFIXES = ("h:", "w:", "p:", "end:", "pend:", "r:", "pr:", "enum:")
FEATURE_NAMES = ("enum", "line_start", "same_line_as_prev", "rel_line", "last_line", "len", "after_opener", "after_ask_word")

_N = "一二三四五六七八九十"
_ENUM = (
    r"(?:[" + _N + r"]+是|[" + _N + r"]+要(?![求素点件])|[（(][" + _N + r"\d]+[）)]|\d{1,2}[.、．](?!\d)|第[" + _N + r"]+[，,、]"
    r"|其[" + _N + r"][，,、]|(?:首先|其次|再次|最后)[，,]|[①-⑳])"
)
# A unit ends after 。！？；：(and a closing quote after it); a numbered item starts one of its own.
UNIT_CUT = re.compile(r"(?<=[。！？；;：:])(?![”」』）)])|(?<=[。！？][”」』])|(?<=[，,])(?=" + _ENUM + r")|(?<=\S)(?=" + _ENUM + r"(?<![" + _N + r"]))")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Unit:
    """A piece of the proposal's body: its paragraph (counted from the body's first) and its text."""

    paragraph: int
    text: str


def body_paragraphs(text: str, title: str = "") -> list[str]:
    """The paragraphs after the header (session, number, proposers, title), up to an attachment list."""
    from .proposal import ATTACHMENTS, HEADER_LINE

    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    start = 0
    for index, line in enumerate(lines[:10]):
        if (title and title in line) or HEADER_LINE.match(line):
            start = index + 1
    body = []
    for line in lines[start:]:
        if ATTACHMENTS.match(line):
            break
        body.append(line)
    return body


def units_of(paragraphs: list[str]) -> list[Unit]:
    return [Unit(n, part) for n, paragraph in enumerate(paragraphs) for part in UNIT_CUT.split(paragraph) if part.strip()]


def _predicates() -> dict[str, Callable[[str], bool]]:
    """The rule reader's own judgements of one unit, each a feature the model may weigh."""
    from . import proposal as rules

    return {
        "explicit": lambda u: bool(rules.EXPLICIT_ASK.match(u)),
        "proposes": rules._proposes_action,
        "actor": rules._actor_told,
        "modal": lambda u: bool(rules.MODAL_ASK.match(u)),
        "leadverb": lambda u: bool(rules.LEADING_VERB.match(u)),
        "reports": rules._reports,
        "states": rules._states,
        "closing": lambda u: bool(rules.CLOSING.search(u)),
        "done": lambda u: bool(rules.DONE_ALREADY.search(u[:30])),
        "stateof": lambda u: bool(rules.STATE_OF_THINGS.search(u)),
        "complain": lambda u: bool(rules.COMPLAINT.search(u)),
        "bgstart": lambda u: bool(rules.BACKGROUND_START.match(u)),
        "heading": lambda u: bool(rules.SUGGESTION_HEADING.match(u)),
        "opens": lambda u: bool(rules._opens_asks_in(u)),
        "further": rules._further_ask,
        "connective": rules._connective_ask,
        "setduty": lambda u: bool(rules.SETTING_DUTY.match(u)),
        "subjduty": lambda u: bool(rules.SUBJECT_DUTY.match(u)),
        "aspectask": rules._aspect_ask,
        "remarks": rules._remarks,
        "hope_all": rules._hopes_for_the_asks,
        "endmatter": lambda u: bool(rules.END_MATTER.match(u)),
        "question": lambda u: bool(re.search(rules._QUESTION, u)),
        "digits": lambda u: bool(re.search(r"\d", u)),
    }


def _words(text: str) -> list[str]:
    from ..corpus.text import segment  # jieba with the packaged policy terms (揭榜挂帅 one word)

    return segment(text)


def unit_features(units: list[Unit]) -> list[dict[str, float]]:
    """Each unit's features (names as ``FEATURE_PREFIXES``/``FEATURE_NAMES`` say)."""
    from .proposal import ITEM

    predicates = _predicates()
    cores = [ITEM.sub("", unit.text, count=1).strip() for unit in units]
    truths = [{name: bool(core) and bool(test(core)) for name, test in predicates.items()} for core in cores]
    last_paragraph = max((unit.paragraph for unit in units), default=0)
    rows: list[dict[str, float]] = []
    opened = asked = False
    for k, (unit, core) in enumerate(zip(units, cores)):
        features: dict[str, float] = {}
        if match := ITEM.match(unit.text):
            features["enum"] = 1.0
            features["enum:" + str(next(i for i, group in enumerate(match.groups()) if group))] = 1.0
        for word in _words(core[:10]):
            features["h:" + word] = 1.0
        for word in _words(unit.text):
            features["w:" + word] = 0.5
        features["end:" + unit.text[-1]] = 1.0
        before = units[k - 1].text if k else ""
        features["pend:" + (before[-1] if before else "^")] = 1.0
        features["same_line_as_prev" if k and units[k - 1].paragraph == unit.paragraph else "line_start"] = 1.0
        for word in _words(before[-8:]):
            features["p:" + word] = 0.5
        for name, true in truths[k].items():
            if true:
                features["r:" + name] = 1.0
            if k and truths[k - 1][name]:
                features["pr:" + name] = 1.0
        features["rel_line"] = unit.paragraph / max(1, last_paragraph)
        features["last_line"] = float(unit.paragraph == last_paragraph)
        features["len"] = min(len(core), 120) / 120
        if opened:
            features["after_opener"] = 1.0
        if asked:
            features["after_ask_word"] = 1.0
        opened = opened or truths[k]["heading"] or truths[k]["opens"]
        asked = asked or "建议" in unit.text or "希望" in unit.text
        rows.append(features)
    return rows


def known_feature(name: str) -> bool:
    """A feature ``unit_features`` makes: a fixed name, a rule predicate it measures, an item style, or a word."""
    kind, _, value = name.partition(":")
    if not value:
        return name in FEATURE_NAMES
    if kind in ("r", "pr"):
        return value in _predicates()
    if kind == "enum":  # which of proposal.ITEM's styles (一是, 一、, （一）, 1., …) numbers the unit
        from .proposal import ITEM

        return value.isdigit() and int(value) < ITEM.groups
    return kind + ":" in FEATURE_PREFIXES


@dataclass(frozen=True)
class AskReader:
    """The learned gate over unit features, and the two thresholds of the check: a unit no suggestion
    covers is shown as a likely ask at ``missed_at``; a suggestion whose first unit reads at or below
    ``doubtful_at`` is shown as likely not an ask."""

    gate: Gate
    missed_at: float
    doubtful_at: float
    trained_on: list[str] = field(default_factory=list)
    version: int = READER_VERSION

    def probabilities(self, units: list[Unit]) -> list[float]:
        return [self.gate.probability(features) for features in unit_features(units)]

    def save(self, path: Path) -> None:
        write_learned(
            path,
            {"version": self.version, "trained_on": self.trained_on, "missed_at": self.missed_at, "doubtful_at": self.doubtful_at, "gate": asdict(self.gate)},
        )

    @classmethod
    def load(cls, path: Path) -> AskReader | None:
        """The reader in ``path``; None when missing, unreadable, of another version, weighing a
        feature this code does not make, or holding a number that is not finite."""
        read = read_learned(path, READER_VERSION, ("gate",), known_feature)
        if read is None:
            return None
        gates, data = read
        try:
            missed_at, doubtful_at = float(data["missed_at"]), float(data["doubtful_at"])
        except (KeyError, TypeError, ValueError):
            return None
        if not (math.isfinite(missed_at) and math.isfinite(doubtful_at)):
            return None
        return cls(gates["gate"], missed_at, doubtful_at, [str(x) for x in data.get("trained_on", [])])


@lru_cache(maxsize=1)
def bundled_reader() -> AskReader | None:
    path = bundled(READER_FILE)
    return AskReader.load(path) if path else None


@dataclass
class ReadingCheck:
    """What the second reading doubts: sentences that read as asks no suggestion covers (``missed``), asks
    folded into a suggestion's detail after its semicolon list (``folded``: the suggestion, 0-based, and the
    sentence), and the suggestions (0-based) that read as a problem or background rather than an ask; and
    the suggestions it listed itself (``added``: not the rules', see ``complete_reading``)."""

    missed: list[str] = field(default_factory=list)
    doubtful: list[int] = field(default_factory=list)
    folded: list[tuple[int, str]] = field(default_factory=list)
    added: list[int] = field(default_factory=list)  # suggestions (0-based) this reading listed, not the rules

    def __bool__(self) -> bool:
        return bool(self.missed or self.doubtful or self.folded or self.added)

    def messages(self, suggestions: list[str]) -> list[str]:
        """The check in words for the 承办人 (Chinese, with English after a slash)."""
        out = [f"原文“{_clip(text)}”疑似建议内容，未列入建议条目，请核对 / reads as a suggestion but is not listed" for text in self.missed]
        out += [
            f"建议条目（{i + 1}）的说明中“{_clip(text)}”疑似另一条建议，请核对是否单列 / reads as a further suggestion inside item {i + 1}"
            for i, text in self.folded
        ]
        out += [
            f"建议条目（{i + 1}）“{_clip(suggestions[i])}”更像问题描述或背景情况，请核对 / reads as a problem or background, not an ask"
            for i in self.doubtful
            if i < len(suggestions)
        ]
        out += [
            f"建议条目（{i + 1}）“{_clip(suggestions[i])}”规则未识别，系第二次阅读补入，请核对 / listed by the second reading, not the rules"
            for i in self.added
            if i < len(suggestions)
        ]
        return out


def _clip(text: str, width: int = 40) -> str:
    text = _SPACE.sub("", text)
    return text if len(text) <= width else text[:width] + "……"


def _squeeze(text: str) -> str:
    return _SPACE.sub("", text)


REWORDED_SHARE = 0.6  # of a listed suggestion's character pairs found in a sentence: that sentence is listed, reworded
REWORDED_MIN = 5  # pairs: a suggestion typed as 加强监管 is too short to say which sentence it rewords
FOLDED_AFTER = 0.5  # the clause before a folded ask reads as an ask itself: a semicolon list of asks, not of reasons


def reworded(typed: str, original: str) -> bool:
    """``typed`` is ``original`` said again by hand (设立成果转化基金 for 设立科技成果转化引导基金……; 推动创新资源共享共建
    for 推动创新资源共建共享): most of its character pairs are the original's."""
    grams = _bigrams(typed)
    return len(grams) >= REWORDED_MIN and len(grams & _bigrams(original)) >= REWORDED_SHARE * len(grams)


def _bigrams(text: str) -> set[str]:
    text = _squeeze(text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


def check_reading(proposal: Proposal, reader: AskReader | None = None) -> ReadingCheck:
    """The second reading's doubts about ``proposal``'s suggestions, and those it listed itself
    (``complete_reading``); none where no reader is bundled or the text has no body to read."""
    reader = reader or bundled_reader()
    check = _scan(proposal, reader)
    if reader is not None and proposal.text.strip():
        check.added = _added_by_reading(proposal, reader)
    return check


# the proposer's own ask word just before the suggestion's words: 建议/呼吁/恳请, or 希望 said to whoever is to act
# (希望市里……; not 企业找到我们，希望在温州做临床试验 — the firms' wish, told as background)
ASKED_BEFORE = re.compile(r"(?:(?:建议|呼吁|恳请)[^，,。；]{0,12}|希望(?:市里|市委|市政府|政府|有关部门|相关部门|市[^，,。；]{1,6}?局)[^，,。；]{0,8})$")


def _asked_before(sentence: str, lead: str) -> bool:
    """The sentence asks in so many words just before ``lead`` (its squeezed opening words)."""
    before, found, _ = _squeeze(sentence).partition(lead)
    return bool(found) and bool(ASKED_BEFORE.search(before) or ASKED_BEFORE.search(before + lead[:4]) and "希望" in before[-6:])


def _scan(proposal: Proposal, reader: AskReader | None) -> ReadingCheck:
    """Sentences read as asks that no suggestion covers or that a suggestion's detail folds in, and
    suggestions read as background."""
    from .proposal import ITEM, short_suggestion

    if reader is None or (not proposal.suggestions and not proposal.text.strip()):
        return ReadingCheck()
    units = units_of(body_paragraphs(proposal.text, proposal.title))
    if not units:
        return ReadingCheck()
    probabilities = reader.probabilities(units)
    cores = [_squeeze(ITEM.sub("", unit.text, count=1)) for unit in units]

    headed = _squeeze(" ".join(proposal.suggestions))
    read = _squeeze(" ".join([*proposal.suggestions, *proposal.details]))

    def covered(core: str, text: str) -> bool:
        # a suggestion the 承办人 reworded (设立成果转化基金 for 设立科技成果转化引导基金……) still covers its sentence
        return core[:10] in text or any(reworded(suggestion, core) for suggestion in proposal.suggestions)

    check = ReadingCheck()
    for unit, core, p in zip(units, cores, probabilities):
        if p >= reader.missed_at and short_suggestion(unit.text) and not covered(core, read):
            check.missed.append(unit.text.strip())
    # 奖励支出要单列……；可以选择部分学科试点，把……: after an ask that ends its clause with a semicolon, another that reads
    # as one was folded into the same suggestion's detail
    for index, detail in enumerate(proposal.details[: len(proposal.suggestions)]):
        held = [k for k, core in enumerate(cores) if core[:10] and core[:10] in _squeeze(detail)]
        for before, k in zip(held, held[1:]):
            if (
                units[before].text.rstrip().endswith(("；", ";"))
                and probabilities[before] >= FOLDED_AFTER
                and probabilities[k] >= reader.missed_at
                and not covered(cores[k], headed)
            ):
                check.folded.append((index, units[k].text.strip()))
    for index, suggestion in enumerate(proposal.suggestions):
        detail = proposal.details[index] if index < len(proposal.details) else ""
        probe = _squeeze(detail or suggestion)[:6]
        # the background may name the same thing (外地纷纷设立……基金): the likeliest sentence holding it is the item's
        holding = [(unit, p) for unit, p in zip(units, probabilities) if probe and probe in _squeeze(unit.text)]
        # ……是我市重要的创新平台，希望市里进一步加大……: the sentence opens with background, but asks in so many words
        lead = _squeeze(suggestion)[:6]
        asked = bool(lead) and any(_asked_before(unit.text, lead) for unit, _ in holding)
        if holding and max(p for _, p in holding) <= reader.doubtful_at and not asked:
            check.doubtful.append(index)
    return check


def complete_reading(proposal: Proposal, reader: AskReader | None = None, *, inside_items: bool = False) -> tuple[Proposal, list[int]]:
    """``proposal`` with the asks the second reading finds unlisted listed as suggestions of their own, where
    the text puts them, and the indices of those it listed: a sentence no suggestion covers (``missed``), and
    one folded into the detail of the suggestion before it (``folded``), which takes the rest of that detail
    with it. A sentence with no action to head it (同时建议市科技局：) stays where it was, still named; so does
    one inside a numbered item (``_numbered_spans``) unless ``inside_items`` (the 承办人 pressed 补入). An ask
    left out goes unanswered in a signed letter, a line too many costs the 承办人 one deletion: on the blind
    parse set parse-ac, 16 → 20 of 24 proposals read right (5 gained, 1 lost), never trained or tuned on."""
    from .proposal import ITEM, short_suggestion

    reader = reader or bundled_reader()
    check = _scan(proposal, reader)
    text = _squeeze(proposal.text)
    # where each sentence of the body stands, read in order (a background line may say what an ask says)
    standing: dict[str, int] = {}
    cursor = 0
    for unit in units_of(body_paragraphs(proposal.text, proposal.title)):
        if (found := text.find(_squeeze(unit.text), cursor)) >= 0:
            standing.setdefault(unit.text.strip(), found)
            cursor = found
    spans = [] if inside_items else _numbered_spans(proposal.text)
    missed = [
        (sentence, lead)
        for sentence in check.missed
        if (lead := short_suggestion(sentence)) and not any(start < standing.get(sentence, -1) < end for start, end in spans)
    ]
    folded = [(index, sentence, lead) for index, sentence in check.folded if (lead := short_suggestion(sentence))]
    if not missed and not folded:
        return proposal, []
    details = [proposal.details[i] if i < len(proposal.details) else "" for i in range(len(proposal.suggestions))]
    added: list[tuple[str, str, str]] = []  # (lead, detail, the sentence it starts with)
    for index in sorted({index for index, _, _ in folded}):
        host = details[index]
        cuts = []
        for _, sentence, lead in (f for f in folded if f[0] == index):
            written = next((w for w in (sentence, ITEM.sub("", sentence, count=1).strip()) if w and w in host), None)
            cuts.append((host.index(written) if written else len(host), lead, sentence))
        cuts.sort()
        # the host keeps what comes before its first folded ask; each ask takes what follows it, up to the next
        details[index] = host[: cuts[0][0]].strip() or proposal.suggestions[index]
        for (cut, lead, sentence), (end, _, _) in zip(cuts, [*cuts[1:], (len(host), "", "")]):
            added.append((lead, host[cut:end].strip() or ITEM.sub("", sentence, count=1).strip(), sentence))
    added += [(lead, ITEM.sub("", sentence, count=1).strip(), sentence) for sentence, lead in missed]

    items: list[tuple[int, str, str, bool]] = []
    cursor = 0
    for lead, detail in zip(proposal.suggestions, details):  # the rules' items keep their order
        said = _squeeze(detail or lead)
        probes = (said, said[:20], said[:12])
        cursor = next((found for probe in probes if probe and (found := text.find(probe, cursor)) >= 0), cursor)
        items.append((cursor, lead, detail, False))
    for lead, detail, sentence in added:
        items.append((standing.get(sentence.strip(), len(text)), lead, detail, True))
    items.sort(key=lambda item: item[0])  # stable: ties keep the rules' order
    completed = replace(proposal, suggestions=[lead for _, lead, _, _ in items], details=[detail for _, _, detail, _ in items])
    return completed, [i for i, item in enumerate(items) if item[3]]


def _numbered_spans(text: str) -> list[tuple[int, int]]:
    """Where each numbered item of the text runs (in the squeezed text), up to the next one; the last
    item only to the end of its own line. A sentence there the list left out explains its item (二、培育行业
    级平台。支持龙头企业牵头……): named as a doubt, not listed as an ask of its own."""
    from .proposal import ITEM

    squeezed, starts, cursor = _squeeze(text), [], 0
    for line in text.split("\n"):
        line = _squeeze(line)
        if line and (found := squeezed.find(line, cursor)) >= 0:
            cursor = found + len(line)
            if ITEM.match(line):
                starts.append((found, cursor))
    return [(start, starts[k + 1][0] if k + 1 < len(starts) else line_end) for k, (start, line_end) in enumerate(starts)]


def _added_by_reading(proposal: Proposal, reader: AskReader) -> list[int]:
    """The suggestions of ``proposal`` (as shown, perhaps edited since) that the rules alone do not list
    and the completed reading does: marked, so that the 承办人 knows which lines a model put there."""
    from .proposal import parse_proposal

    try:
        rules = parse_proposal(proposal.text)
    except LoadError:  # no text to read (a proposal typed into the fields alone)
        return []
    completed, added = complete_reading(rules, reader)
    leads = {completed.suggestions[i] for i in added} - set(rules.suggestions)
    return [i for i, suggestion in enumerate(proposal.suggestions) if suggestion in leads]
