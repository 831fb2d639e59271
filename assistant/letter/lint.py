"""Format checks on a reply letter's text (a draft, an edited draft, or an old letter).

Each finding: line number, rule, a Chinese message and a suggested fix. The rules follow
GB/T 9704-2012 and the defects actually found in the seed letters.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from ..genre.headings import heading_label, heading_level
from ..genre.patterns import CO_HANDLING, DOC_NUMBER_LOOSE, PLACEHOLDER, SALUTATION_LINE, TO_PROPOSER, UNIT_SALUTATION, letter_kind

# Heading levels, numerals and labels come from genre/: 十一、 and （十二） are read and
# suggested the same way as 一、 and （二）.
DOC_NUMBER_LIKE = DOC_NUMBER_LOOSE
DATE_BAD = [
    (re.compile(r"(\d{4})\s*年\s*0(\d)\s*月"), "月份不加前导零"),
    (re.compile(r"(\d{4})\s*年\s*\d{1,2}\s*月\s*0(\d)\s*日"), "日期不加前导零"),
    (re.compile(r"(?<!\d)(\d{2})年\d{1,2}月\d{1,2}日"), "年份应写全四位"),
    (re.compile(r"[二〇零一三四五六七八九]{4}年[一二三四五六七八九十]+月"), "成文日期用阿拉伯数字"),
    (re.compile(r"^\s*(\d{4})[-./](\d{1,2})[-./](\d{1,2})\s*$"), "日期应写作“2024年6月27日”"),
]
MONEY = re.compile(r"(\d+(?:\.\d+)?)\s*(万亿|亿|万|千)?元")


# What each rule is called where people read it (the web's 格式检查, the Word import's findings).
RULE_LABELS = {
    "doc_number": "发文字号",
    "heading_order": "标题序号",
    "heading_style": "标题格式",
    "salutation_colon": "称呼冒号",
    "date_format": "日期格式",
    "cc_period": "抄送句号",
    "cc_colon": "抄送冒号",
    "placeholder": "待填内容",
    "money_unit": "金额单位",
    "quote_turned": "引号方向",
    "co_handling_addressee": "会办意见主送",
    "co_handling_tone": "会办意见语气",
    "co_handling_contact": "会办意见联系人",
}


@dataclass
class Finding:
    line: int
    rule: str
    message: str
    fix: str

    @property
    def label(self) -> str:
        return RULE_LABELS.get(self.rule, self.rule)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "label": self.label}


def lint_text(text: str) -> list[Finding]:
    lines = text.replace("\r\n", "\n").split("\n")
    if "---" in lines:  # a Markdown draft's appendix (sources, checks) is not part of the letter
        lines = lines[: lines.index("---")]
    findings: list[Finding] = []
    findings += _doc_numbers(lines)
    findings += _headings(lines)
    findings += _salutation(lines)
    findings += _dates(lines)
    findings += _cc(lines)
    findings += _placeholders(lines)
    findings += _co_handling(lines)
    findings += _money_units(lines)
    findings += _turned_quotes(lines)
    return sorted(findings, key=lambda f: (f.line, f.rule))


def _doc_numbers(lines: list[str]) -> list[Finding]:
    out = []
    for number, line in enumerate(lines, 1):
        for m in DOC_NUMBER_LIKE.finditer(line):
            code, opening, year, closing, di, serial = m.groups()
            problems = []
            if (opening, closing) != ("〔", "〕"):
                problems.append(f"年份应使用六角括号〔〕，不用“{opening}{closing}”")
            if len(year) != 4:
                problems.append("年份应写全四位")
            if di:
                problems.append("序号前不加“第”")
            if serial.startswith("0"):
                problems.append("序号不编虚位（不加前导零）")
            if problems:
                fixed = f"{code}〔{year if len(year) == 4 else '20' + year}〕{int(serial)}号"
                out.append(Finding(number, "doc_number", "发文字号格式：" + "；".join(problems), fixed))
    return out


def _headings(lines: list[str]) -> list[Finding]:
    """一、→（一）→1.→（1）: consecutive numbers per level, no level used where a higher one belongs."""
    out = []
    expected: dict[int, int] = {}
    seen_levels: set[int] = set()
    for number, raw in enumerate(lines, 1):
        line = raw.strip().lstrip("#").strip()
        if not (found := heading_level(line)):
            continue
        level, value, marker = found
        higher_missing = [lv for lv in range(1, level) if lv not in seen_levels]
        misplaced_top = level > 1 and higher_missing and value == 1 and _next_level1(lines, number)
        if level == 3 and marker.endswith("、") and not misplaced_top:
            out.append(Finding(number, "heading_style", "第三层标题用“1.”，不用“1、”", line.replace(marker, f"{value}.", 1)))
        if misplaced_top:
            top = heading_label(1, value)
            out.append(
                Finding(number, "heading_order", f"此处为第一层标题，应使用“{top}”而不是“{marker}”", re.sub(r"^\s*" + re.escape(marker), top, line, count=1))
            )
            seen_levels.add(1)
            expected[1] = value + 1
            continue
        want = expected.get(level, 1)
        if value != want:
            kind = "重复" if value < want else "跳号"
            out.append(
                Finding(
                    number,
                    "heading_order",
                    f"标题序号{kind}：应为“{heading_label(level, want)}”，此处为“{marker}”",
                    line.replace(marker, heading_label(level, want), 1),
                )
            )
        expected[level] = max(value, want) + 1
        for deeper in range(level + 1, 5):
            expected.pop(deeper, None)
        seen_levels.add(level)
    return out


def _next_level1(lines: list[str], after: int) -> bool:
    """A later 二、/三、 shows this document's top level is 一、, so a top "1、" stands in for it."""
    return any((found := heading_level(line.strip().lstrip("#").strip())) and found[0] == 1 and found[1] >= 2 for line in lines[after:])


def _salutation(lines: list[str]) -> list[Finding]:
    for number, raw in enumerate(lines[:15], 1):
        m = SALUTATION_LINE.match(raw.strip())
        if m and m.group(2) != "：":
            return [Finding(number, "salutation_colon", "主送机关（称呼）后应使用全角冒号“：”", f"{m.group(1)}：")]
        if m:
            return []
    return []


def _dates(lines: list[str]) -> list[Finding]:
    out = []
    for number, line in enumerate(lines, 1):
        for pattern, message in DATE_BAD:
            if pattern.search(line):
                out.append(Finding(number, "date_format", f"日期格式：{message}", "示例：2024年6月27日"))
    return out


def _cc(lines: list[str]) -> list[Finding]:
    out = []
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if re.match(r"^抄\s*送\s*[:：]", stripped):
            if not stripped.endswith("。"):
                out.append(Finding(number, "cc_period", "抄送行末应加句号“。”", stripped.rstrip("，,.;；") + "。"))
            if re.match(r"^抄\s*送\s*:", stripped):
                out.append(Finding(number, "cc_colon", "抄送后应使用全角冒号“：”", re.sub(r"^抄\s*送\s*:", "抄送：", stripped)))
    return out


def _co_handling(lines: list[str]) -> list[Finding]:
    """A 会办意见 (its title says so) goes to the lead unit: addressed to a unit, no 您, no thanks or
    appraisal of the proposal (the lead unit answers the proposer), and a 联系人 line for the lead unit."""
    texts = [line.strip().lstrip("#").strip() for line in lines]
    title = next((n for n, t in enumerate(texts[:12], 1) if letter_kind(t) == CO_HANDLING), None)
    if title is None:
        return []
    out = []
    salutation = next(((n, t) for n, t in enumerate(texts[title : title + 4], title + 1) if t.endswith(("：", ":"))), None)
    if salutation is None or not UNIT_SALUTATION.match(salutation[1]):
        where = salutation[0] if salutation else title + 1
        out.append(Finding(where, "co_handling_addressee", "会办意见的主送应为主办单位（如“市人力社保局：”），不写提案人", "改为主办单位名称加全角冒号"))
    for number, text in enumerate(texts[title:], title + 1):
        if text.startswith("联系人"):
            continue
        if m := TO_PROPOSER.search(text):
            out.append(
                Finding(
                    number,
                    "co_handling_tone",
                    f"会办意见写给主办单位，不向提案人称“您”、致谢或评价提案：“{m.group(0)}”",
                    "删去，或改为对主办单位的表述（贵单位、提案）",
                )
            )
    if not any(t.startswith(("联系人", "（联系人")) for t in texts):
        out.append(Finding(len(texts), "co_handling_contact", "会办意见应写明联系人和联系电话，便于主办单位沟通", "在落款前加“联系人：…，联系电话：…。”"))
    return out


def _placeholders(lines: list[str]) -> list[Finding]:
    out = []
    for number, line in enumerate(lines, 1):
        for m in PLACEHOLDER.finditer(line):
            out.append(Finding(number, "placeholder", f"尚未填写：{m.group(0)}", "填写实际内容后删除占位符"))
        if re.search(r"[X×]{3,}", line):
            out.append(Finding(number, "placeholder", "存在“XXX”类占位内容", "填写实际内容"))
    return out


def money_unit_problems(text: str) -> list[tuple[str, str, str]]:
    """(context, message, fix) for each bare 元 amount among 亿元/万元 amounts in the same
    paragraph: almost always a lost unit (seed 110: 累计实缴到位26.4元 beside 总规模59亿元)."""
    amounts = [(m, m.group(2) or "") for m in MONEY.finditer(text)]
    scaled = {unit for _, unit in amounts if unit}
    problems = []
    for m, unit in amounts if scaled else []:
        if not unit and float(m.group(1)) < 10000:
            big = "亿" if "亿" in scaled else sorted(scaled)[0]
            context = text[max(0, m.start() - 8) : m.end()]
            problems.append((context, f"金额单位疑似缺失：“{context}”，同段其他金额以{big}元计", context.replace(m.group(0), f"{m.group(1)}{big}元")))
    return problems


QUOTE_MARK = re.compile(r"[“”]")
QUOTED_MAX = 30  # a quoted term or phrase; a longer span is more likely two quotations than one


def turned_quote_problems(text: str) -> list[tuple[str, str, str]]:
    """(context, message, fix) for each quotation opened with a closing mark (seed 110: 深入开展”双清零一提升”行动):
    a ” with no quotation open, followed by another ” close after it with no “ between."""
    problems = []
    open_ = False
    closes_turned = -1  # where the ” that closes a turned quotation stands
    for mark in QUOTE_MARK.finditer(text):
        at = mark.start()
        if at == closes_turned:
            continue
        if mark.group() == "“":
            open_ = True
        elif open_:
            open_ = False
        elif (end := text.find("”", at + 1)) != -1 and end - at <= QUOTED_MAX and "“" not in text[at:end] and "\n" not in text[at:end]:
            context = text[at : end + 1]
            problems.append((context, f"引号方向有误：{context} 的前引号写成了后引号", "“" + context[1:]))
            closes_turned = end
    return problems


def _turned_quotes(lines: list[str]) -> list[Finding]:
    return [Finding(number, "quote_turned", message, fix) for number, line in enumerate(lines, 1) for _, message, fix in turned_quote_problems(line)]


def _money_units(lines: list[str]) -> list[Finding]:
    return [Finding(number, "money_unit", message, fix) for number, line in enumerate(lines, 1) for _, message, fix in money_unit_problems(line)]
