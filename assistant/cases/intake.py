"""Reading a 交办清单: the Excel list of proposals a bureau is assigned after the 两会.

Real lists carry a title row or two above the header, name their columns in several ways (编号 / 提案号 /
建议号, 案由 / 标题, 提案人 / 领衔代表 …) and mix dates typed as dates with dates typed as text. A row that cannot
be read is reported with its row number; the others go in. Which rows are ours, and in what role, is read from
the 主办 / 会办 columns against the issuing unit and its short names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable

from ..errors import LoadError, QueryError
from ..genre.numerals import CN_NUMERAL
from ..genre.patterns import SESSION

# column → the header names it goes by (compared without spaces)
HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("编号", "提案号", "建议号", "案号", "提案编号", "建议编号", "序号编号"),
    "title": ("案由", "标题", "题目", "提案标题", "建议标题", "提案题目", "建议题目", "内容"),
    "proposers": ("提案人", "领衔代表", "代表", "领衔人", "提出人", "建议人", "提案者", "领衔提案人", "代表姓名"),
    "kind": ("类别", "类型", "提案类别", "建议类别", "性质"),
    "lead_unit": ("主办单位", "主办", "承办单位", "主办部门"),
    "co_units": ("会办单位", "会办", "协办单位", "会办部门"),
    "assigned": ("交办日期", "交办时间", "交办"),
    "due": ("办理期限", "答复期限", "截止日期", "办结期限", "期限"),
    "session": ("会议届次", "届次", "会议"),
}
_HEADER_OF = {name: column for column, names in HEADERS.items() for name in names}
REQUIRED = ("number", "title")
_UNIT_SPLIT = re.compile(r"[、，,；;/\s\u3000]+")
_NOTE = re.compile(r"\s*[（(]([^）)]*)[）)]")  # 市科技局（牵头）: a unit's note
_NUMBER = re.compile(r"(\d+)")


RULE_DEADLINE_NOTE = "（按规定期限计算 / the rule's deadline is used）"


@dataclass
class CaseRow:
    """One row of the list, as the register takes it."""

    row: int  # the sheet's row number, for messages
    kind: str
    session: str
    number: str
    title: str
    proposers: list[str]
    role: str
    lead_unit: str
    co_units: list[str]
    assigned: date | None
    due: date | None


@dataclass
class ReadList:
    cases: list[CaseRow] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (row, what is wrong), in Chinese / English
    not_ours: int = 0  # rows assigned to other units only


def unit_names(issuing_unit: str, extra: Iterable[str] = ()) -> set[str]:
    """The names a list may give our unit: its full name, without the city (市科学技术局), shortened the usual way
    (市科技局, 科技局), and any the settings add."""
    names = {n.strip() for n in extra if n.strip()}
    full = issuing_unit.strip()
    if full:
        names.add(full)
        local = re.sub(r"^.{2,4}?[市县区](?=.)", "市", full, count=1)
        for name in (full, local):
            names.add(name)
            short = name.replace("科学技术", "科技").replace("人力资源和社会保障", "人力社保").replace("发展和改革委员会", "发改委")
            names.add(short)
            names.add(re.sub(r"^市", "", short))
    return {n for n in names if len(n) >= 2}


def _units(value: Any) -> tuple[list[str], str]:
    """(the units a cell names, the one marked 牵头 or '') — notes in brackets are not units."""
    text = str(value or "").strip()
    leading = ""
    for unit_with_note in re.finditer(r"([^、，,；;/\s\u3000（(]+)\s*[（(]([^）)]*)[）)]", text):
        if "牵头" in unit_with_note.group(2):
            leading = unit_with_note.group(1)
    return [u for u in _UNIT_SPLIT.split(_NOTE.sub("", text)) if u], leading


def _ours(units: list[str], names: set[str], city: str) -> bool:
    """One of ``units`` is our unit by one of its names — exactly, or with our city written out
    (温州市科技局); 瓯海区科技局 is another unit."""
    return any(unit in names or (city and unit.startswith(city) and "市" + unit[len(city) :] in names) for unit in units)


def read_date(value: Any, what: str) -> date | None:
    """A date a person typed (CLI option, web field); empty is None, anything else unreadable a bilingual refusal."""
    if value is None or not str(value).strip():
        return None
    try:
        return parse_date(str(value).strip(), 0, what)
    except ValueError:
        raise QueryError(f"{what}“{value}”不是日期（如 2026-03-15）", f"{what} {value!r} is not a date (e.g. 2026-03-15)") from None


def parse_date(value: Any, row: int, what: str) -> date | None:
    """A cell as a date: an Excel date, 2026-03-15, 2026/3/15, 2026.3.15 or 2026年3月15日; empty is None."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and 20000 < value < 80000:  # an Excel serial date stored as a number
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?|前|止|之前)?", text)
    if not m:
        raise ValueError(f"第 {row} 行：{what}“{text}”不是日期 / row {row}: {what} {text!r} is not a date")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise ValueError(f"第 {row} 行：{what}“{text}”不是有效日期 / row {row}: {what} {text!r} is not a valid date") from exc


def _kind(value: Any, number: str, title: str, default: str | None) -> str | None:
    if default:  # said on the command line: it wins over what a 类别 cell happens to contain
        return default
    text = f"{value or ''}{number}"
    if "建议" in text or "代表" in text or "人大" in text:
        return "建议"
    if "提案" in text or "政协" in text:
        return "提案"
    if default:
        return default
    return "建议" if title.endswith("建议") else "提案" if title.endswith("提案") else None


def _header(rows: list[tuple[Any, ...]]) -> tuple[int, int, dict[str, int]] | None:
    """(header's first row, its last row, column → cell index) among the first rows: the row naming most
    columns, with the row under it when the header is split in two (办理单位 over 主办 | 会办)."""

    def named(cells: tuple[Any, ...]) -> dict[str, int]:
        found: dict[str, int] = {}
        for position, cell in enumerate(cells):
            name = re.sub(r"\s+", "", str(cell or ""))
            if name in _HEADER_OF and _HEADER_OF[name] not in found:
                found[_HEADER_OF[name]] = position
        return found

    best: tuple[int, int, dict[str, int]] | None = None
    for index, cells in enumerate(rows[:10]):
        found = named(cells)
        if len(found) < 2 or not all(column in found for column in REQUIRED):
            continue
        last = index
        if index + 1 < len(rows) and (more := {k: v for k, v in named(rows[index + 1]).items() if k not in found}):
            found, last = {**found, **more}, index + 1
        if best is None or len(found) > len(best[2]):
            best = (index, last, found)
    return best


def canonical_session(text: str, kind: str) -> str:
    """One spelling per session, so a case is one case however a list writes it: 十二届四次会议,
    市政协第十二届第四次会议 → 市政协十二届四次会议 (提案); 市第十四届人民代表大会第四次会议 → 市十四届人大四次会议 (建议)."""
    m = re.search(rf"第?({CN_NUMERAL})届.*?第?({CN_NUMERAL})次", text or "")
    if not m:
        return (text or "").strip()
    return f"市政协{m.group(1)}届{m.group(2)}次会议" if kind == "提案" else f"市{m.group(1)}届人大{m.group(2)}次会议"


def _cells(path: Path) -> list[tuple[Any, ...]]:
    """The first sheet's values, a merged cell's value in every cell it covers (openpyxl gives it to the first only)."""
    import zipfile

    import openpyxl

    if Path(path).suffix.lower() not in (".xlsx", ".xlsm"):  # .xls, .csv, a proposal uploaded in its place
        raise LoadError(
            f"{Path(path).name}：交办清单须为 Excel .xlsx 文件（.xls 请在 Excel/WPS 中另存为 .xlsx）",
            f"{Path(path).name}: the list must be an Excel .xlsx file (save an .xls as .xlsx first)",
        )
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise LoadError(f"{Path(path).name}：无法读取 Excel 交办清单（{exc}）", f"{Path(path).name}: cannot read the Excel list ({exc})") from exc
    try:
        sheet = book.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            top = sheet.cell(merged.min_row, merged.min_col).value
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if r - 1 < len(rows) and c - 1 < len(rows[r - 1]):
                        rows[r - 1][c - 1] = top
        return [tuple(row) for row in rows]
    finally:
        book.close()


def read_list(path: Path, names: set[str], kind: str | None = None, session: str = "", city: str = "") -> ReadList:
    """The cases of a 交办清单 (.xlsx) that are ours; ``kind`` / ``session`` for a list that does not say;
    ``city``: how our unit's city is written out (温州市), so 温州市科技局 is read as ours."""
    rows = _cells(Path(path))
    found = _header(rows)
    if found is None:
        raise LoadError(
            f"{Path(path).name}：前 10 行中没有找到表头（至少需要“编号”和“案由/标题”两列）",
            f"{Path(path).name}: no header row in the first 10 rows (an 编号 and a 案由/标题 column are needed)",
        )
    start, last, columns = found
    has_units = "lead_unit" in columns or "co_units" in columns
    title_session = next((m.group(1) for cells in rows[:start] for cell in cells if cell and (m := SESSION.search(str(cell)))), "")
    result = ReadList()
    for offset, cells in enumerate(rows[last + 1 :], start=last + 2):  # sheet rows count from 1
        value = {column: (cells[i] if i < len(cells) else None) for column, i in columns.items()}
        if all(v in (None, "") for v in value.values()):
            continue
        number = str(value.get("number") or "").strip()
        title = re.sub(r"\s+", "", str(value.get("title") or ""))
        if not number or not title:
            result.problems.append((offset, f"第 {offset} 行：缺少编号或案由 / row {offset}: no number or title"))
            continue
        (lead, leading), (co, _) = _units(value.get("lead_unit")), _units(value.get("co_units"))
        if lead and _ours(lead, names, city):
            role = "主办" if len(lead) == 1 or (leading and _ours([leading], names, city)) else "分办"
        elif co and _ours(co, names, city):
            role = "会办"
        elif not has_units:
            role = "主办"  # a list of our own cases has no unit columns
        else:
            result.not_ours += 1
            continue
        case_kind = _kind(value.get("kind"), number, title, kind)
        if case_kind is None:
            result.problems.append((offset, f"第 {offset} 行：看不出是提案还是建议（用 --kind）/ row {offset}: 提案 or 建议? (use --kind)"))
            continue
        try:
            assigned = parse_date(value.get("assigned"), offset, "交办日期")
        except ValueError as exc:
            result.problems.append((offset, str(exc)))
            continue
        try:
            due = parse_date(value.get("due"), offset, "办理期限")
        except ValueError as exc:  # the rule gives the deadline: the case goes in, the unread cell is said
            result.problems.append((offset, f"{exc}{RULE_DEADLINE_NOTE}"))
            due = None
        digits = _NUMBER.findall(number)
        result.cases.append(
            CaseRow(
                row=offset,
                kind=case_kind,
                session=canonical_session(str(session or value.get("session") or title_session), case_kind),
                number=str(int(digits[-1])) if digits else number,  # 第056号, 2026-056 → 56
                title=title,
                proposers=[p for p in re.split(r"[、，,；;\s]+", str(value.get("proposers") or "")) if p],
                role=role,
                lead_unit=(leading if role == "分办" else "") if role in ("主办", "分办") else (leading or (lead[0] if lead else "")),
                co_units=co,
                assigned=assigned,
                due=due,
            )
        )
    return result
