"""Recognise reply letters (答复函) and pull their metadata out of the text.

Field names are English; values keep the letter's own Chinese. A field that is not found is
left out, never guessed.
"""

from __future__ import annotations

import re

from ..genre.numerals import HAN
from ..genre.patterns import DATE, DOC_NUMBER, SALUTATION, SESSION

PROPOSAL_NUMBER = re.compile(r"会议\s*(?:第)?\s*(\d+)\s*号\s*(提案|建议)")
PROPOSAL_NUMBER_ALT = re.compile(r"[（(]\s*(?:政协|人大|代表)?(提案|建议)\s*(?:第)?\s*(\d+)\s*号\s*[)）]")
QUOTED_TITLE = re.compile(r"《([^《》\n]{4,80})》")
CC = re.compile(r"^\s*抄\s*送\s*[:：]\s*(.+)$", re.M)
CONTACT = re.compile(rf"联系人\s*[:：]\s*([{HAN}·]{{2,8}})[，,\s]*(?:联系)?电话\s*[:：]\s*([\d\-－ ]{{5,20}}\d)")
PRINTED = re.compile(r"^\s*(\S+?)\s+(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印发", re.M)
_UNIT_SUFFIX = re.compile(r"(局|委员会|委|办公室|办|厅|部|院|中心|政府|集团|公司|会|所|处|站|馆|社)$")


def is_reply_letter(text: str) -> bool:
    """A reply letter has a 答复函 title or, failing that, at least two of its fixed parts."""
    head = re.sub(r"\s+", "", text[:600])
    if "答复函" in head or re.search(r"(提案|建议)的答复", head):
        return True
    signals = [
        bool((number := DOC_NUMBER.search(text[:300])) and "复" in number.group(1)),
        "收悉" in text[:1500],
        "现答复如下" in text or "答复如下" in text,
        bool(SALUTATION.search(text[:800])),
    ]
    return sum(signals) >= 2


def _iso(match: re.Match) -> str:
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def extract_letter_metadata(text: str) -> dict:
    """Fields of a reply letter: 文号, session, proposal number/kind, proposer(s), title, unit, date, 抄送."""
    meta: dict = {}
    lines = [line.strip() for line in text.split("\n")]

    if match := DOC_NUMBER.search(text[:400]):
        meta["doc_number"] = re.sub(r"\s+", "", match.group(1)).replace("第", "")

    head = re.sub(r"\s+", "", text[:1500])
    if match := SESSION.search(head):
        meta["session"] = match.group(1)
    if match := PROPOSAL_NUMBER.search(head):
        meta["proposal_number"], meta["proposal_kind"] = int(match.group(1)), match.group(2)
    elif match := PROPOSAL_NUMBER_ALT.search(head):
        meta["proposal_kind"], meta["proposal_number"] = match.group(1), int(match.group(2))

    for line in lines[:30]:
        if match := SALUTATION.match(line):
            names = [n for n in re.split(r"[、，,\s]+", match.group(1)) if n]
            meta["proposers"] = names
            meta["proposer_role"] = match.group(2)
            break

    received = text.find("收悉")
    window = text[: received + 1] if received > 0 else text[:1500]
    titles = QUOTED_TITLE.findall(window)
    if titles:
        meta["proposal_title"] = titles[-1]

    cc_match = CC.search(text)
    if cc_match:
        meta["cc"] = [part.strip(" 。.") for part in re.split(r"[，,、；;]", cc_match.group(1)) if part.strip(" 。.")]

    tail_end = cc_match.start() if cc_match else len(text)
    dates = list(DATE.finditer(text, 0, tail_end))
    if dates:
        signed = dates[-1]
        meta["date"] = _iso(signed)
        unit = _unit_before(text, signed.start())
        if unit:
            meta["issuing_unit"] = unit

    if match := PRINTED.search(text):
        meta["printed_by"] = match.group(1)
        if "issuing_unit" not in meta:
            # The 印发 line names the unit's office (…办公室); the letter is the unit's own.
            meta["issuing_unit"] = re.sub(r"办公室$", "", match.group(1))
    if match := CONTACT.search(text):
        meta["contact_name"], meta["contact_phone"] = match.group(1), re.sub(r"\s", "", match.group(2))
    return meta


def _unit_before(text: str, pos: int) -> str | None:
    """The signing unit: the nearest non-empty line above the date, if it looks like a unit name."""
    line_start = text.rfind("\n", 0, pos) + 1
    same_line = text[line_start:pos].strip()
    candidates = [same_line] if same_line else []
    candidates += [line.strip() for line in reversed(text[:line_start].split("\n")) if line.strip()][:1]
    for candidate in candidates:
        if 2 <= len(candidate) <= 30 and _UNIT_SUFFIX.search(candidate) and not re.search(r"[。，；：:]", candidate):
            return candidate
    return None


def letter_title(text: str) -> str | None:
    """The letter's own title, e.g. 关于市政协十二届三次会议370号提案的答复函 (split over lines in the seeds)."""
    lines = [line.strip() for line in text.split("\n")[:20]]
    collected: list[str] = []
    for line in lines:
        if not line or DOC_NUMBER.fullmatch(re.sub(r"\s+", "", line)):
            if collected and not line:
                continue
            continue
        if SALUTATION.match(line):
            break
        collected.append(re.sub(r"\s+", "", line))
        if collected[-1].endswith("函") or len(collected) >= 3:
            break
    title = "".join(collected)
    return title if title.startswith("关于") or title.endswith("函") else None


# What a letter's closing is made of, read from its end: 联系人 and 抄送 lines, the issuer, the date, the
# printing line, 特此函复; the thanks line that opens it (not one that also says 收悉 or 答复如下: an opening).
_CLOSING_LINE = re.compile(
    rf"^(?:（?联系人\s*[:：]|抄\s*送\s*[:：]|特此(?:函复|答复)|附件\s*[:：])|^\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日\s*$|印发\s*$"
    rf"|^[{HAN}（）()]{{2,24}}(?:局|委员会|委|办公室|办|厅|政府|中心)\s*$"
)
_THANKS = re.compile(r"^(?:最后[，,]?)?(?:再次)?(?:衷心)?感谢")


def body_end(text: str) -> int:
    """Where a reply letter's closing begins — its thanks line, else its first 联系人/issuer/date/抄送 line —
    read from the letter's end, so search never returns the tail (套话, a person's name and phone, the 抄送
    list) and never mistakes a body line that starts with 感谢 or 联系人 for it; the whole text if none."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)
    cut = len(text)
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index].strip()
        if not line:
            continue
        if _CLOSING_LINE.search(line):
            cut = offsets[index]
            continue
        if _THANKS.match(line) and not re.search(r"收悉|答复如下|现答复", line):
            return offsets[index]
        break
    return cut
