"""The 公开版 of a reply letter: what may be published (issue 14).

``public_version(draft)`` returns a new Draft without the 联系人/电话 line, without citations and
checks (a public copy carries no comments), with every phone number, e-mail address and
identity-card number in the text replaced by ``×××``, and with the contact person's name (as the
联系人：… line gives it) replaced by ``×××`` wherever else the letter names them. Figures stay:
2365家, 2024年, 954.80亿元, 58.75%, a 11-digit amount in 元, GB/T 9704-2012, 编号2024-3567 and a
range 3000-5000 are not phone numbers. Digits are matched in their NFKC form (８８９６２０７２ is
88962072); the text keeps its own characters.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

from ..genre.numerals import HAN
from .model import Draft, Paragraph

MASK = "×××"

# A digit run may not continue a longer number (or a decimal) on either side.
_START = r"(?<![\d.．A-Za-z])"
_END = r"(?![\d.．A-Za-z])"
# What follows a figure, not a phone number: 2365家, 20240627号, 13800000000元, 12345678人次.
_NOT_A_FIGURE = (
    r"(?!\s*(?:万|亿|千|百|元|家|个|项|件|人|支|所|次|台|套|亩|平方米|方|吨|户|名|倍|%|％|‰|年|月|日|号|条|岁|天|米|公里|千米|册|篇|张|份|辆|只|头|株|美元))"
)
_SEP = r"[-－—‐\s]?"

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# 18-digit 居民身份证号 (last character may be X), with or without spaces after the 6th and 14th digit
ID_NUMBER = re.compile(_START + r"\d{6}\s?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\s?\d{3}[\dXx]" + _END)
# mobile: 11 digits 1[3-9]…, optionally +86, in 3-4-4 groups with - or spaces
MOBILE = re.compile(_START + r"(?:(?:\+|＋)?86" + _SEP + r")?1[3-9]\d" + _SEP + r"\d{4}" + _SEP + r"\d{4}" + _END + _NOT_A_FIGURE)
# landline with its area code: 0577-88962072, 0577 8896 2072, (0577)88962072, 057788962072, +86-577-…
LANDLINE = re.compile(
    _START + r"(?:(?:(?:\+|＋)?86" + _SEP + r")?(?:[（(]0?\d{2,3}[）)]\s?|0\d{2,3}" + _SEP + r"))"
    r"\d{3,4}" + _SEP + r"\d{4}(?:\s*(?:转|-|－|ext\.?)\s*\d{1,5})?" + _END + _NOT_A_FIGURE
)
# service numbers: 400-123-4567, 800 123 4567
SERVICE = re.compile(_START + r"[48]00" + _SEP + r"\d{3}" + _SEP + r"\d{4}" + _END + _NOT_A_FIGURE)
# a local 8-digit number without its area code: 88962072, 8896-2072, 8896 2072; not a year range
# (2023-2027) or a date written as digits (20240627). Group 1 is the separator: a hyphenated 4-4 group
# is a phone number only after a phone word (see _is_local_phone).
_NOT_YEARS = r"(?!(?:19|20)\d{2}\D?(?:19|20)\d{2}(?!\d)|(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d))"
LOCAL = re.compile(_START + _NOT_YEARS + r"[2-9]\d{3}([-－—‐\s]?)\d{4}" + _END + _NOT_A_FIGURE)
# 7-digit numbers only where the text says it is a phone: 电话：8896207
_PHONE_WORD = r"(?:电话|手机|热线|传真|座机|联系方式|号码|Tel|TEL|tel|Fax|FAX)"
SHORT_AFTER_WORD = re.compile(r"(" + _PHONE_WORD + r"[^\d。；，,]{0,4})" + r"(\d{7})" + _END + _NOT_A_FIGURE)
# The words that make a hyphenated 4-4 group (8896-2072) a phone number when they stand shortly before
# it, and those that make it a standard, a file or project number or a range.
_NEAR = 12  # characters looked back, within the sentence
_CALL_WORD = re.compile(r"电话|手机|热线|传真|座机|联系方式|号码|拨打|致电|Tel|TEL|tel|Fax|FAX")
_NUMBER_WORD = re.compile(r"GB|gb|标准|编号|文号|序号|批号|代码|规范|ISO|JGJ|DB\d|[A-Z]{2,}/T|项目|合同|证号|登记号")
_RANGE_AFTER = re.compile(r"\s*(?:[~～至到]|[-－—‐]\s*\d)")

PATTERNS = (EMAIL, ID_NUMBER, MOBILE, LANDLINE, SERVICE, LOCAL)

# The contact line, and a contact sentence inside another paragraph (spaces allowed: 联 系 人).
CONTACT_LINE = re.compile(r"^[（(]?\s*(?:联\s*系\s*人|联\s*系\s*电\s*话|联\s*系\s*方\s*式)")
# 联系电话 may go straight on to its number: 联系电话８８９６２０７２.
CONTACT_CLAUSE = re.compile(r"[（(]?(?:联\s*系\s*人\s*[:：]|联\s*系\s*(?:电\s*话|方\s*式)\s*(?:[:：]|(?=[\d(（+＋])))[^。；\n]*[。；）)]?")
# The name(s) after 联系人：, up to the phone part: 联系人：项秋霞，联系电话… / 联 系 人：项秋霞 电话 … / 联系人：项秋霞、张三
_CONTACT_NAMES = re.compile(r"联\s*系\s*人\s*[:：]\s*([^\d:：。；，,（）()]*?)\s*(?=[\d:：。；，,（）()]|联系|电话|手机|传真|邮箱|$)")
_NAME = re.compile(rf"^[{HAN}·]{{2,4}}$")
_NOT_A_NAME = re.compile(r"(?:处|科|室|局|办|委|中心|所|站|队|部|厅|组|会|院|司)$")


def _digits_nfkc(text: str) -> str:
    """``text`` with every non-ASCII decimal digit (８, full width) as its NFKC ASCII digit, one
    character for one, so positions in the result are positions in ``text``."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        if not ch.isascii() and ch.isdecimal():
            normal = unicodedata.normalize("NFKC", ch)
            out.append(normal if len(normal) == 1 and normal.isascii() and normal.isdigit() else ch)
        else:
            out.append(ch)
    return "".join(out)


def _is_local_phone(text: str, match: re.Match[str]) -> bool:
    """A LOCAL match is a phone number: an unbroken 8-digit run unless a standard/number word stands
    just before it; a hyphenated 8896-2072 only after a phone word (电话、手机、传真、Tel、拨打 …) and
    never after GB/T, 编号, 标准, 文号 or when a range goes on after it."""
    before = re.split(r"[。；;！？\n]", text[max(0, match.start() - _NEAR) : match.start()])[-1]
    last_call = max((m.end() for m in _CALL_WORD.finditer(before)), default=-1)
    last_number = max((m.end() for m in _NUMBER_WORD.finditer(before)), default=-1)
    if last_number > last_call:
        return False  # GB/T 9704-2012, 项目编号2024-3567, 标准为3000-5000
    separator = match.group(1)
    if separator and not separator.isspace():
        if last_call < 0 or _RANGE_AFTER.match(text, match.end()):
            return False  # 3000-5000, with no phone word before it: a range or a number, not a phone
    return True


def _masked(pattern: re.Pattern[str], text: str, keep_word: bool = False) -> str:
    """``text`` with what ``pattern`` finds in its digit-normalised form replaced by MASK (for
    SHORT_AFTER_WORD only its number, group 2)."""
    normal = _digits_nfkc(text)
    parts, last = [], 0
    for m in pattern.finditer(normal):
        if pattern is LOCAL and not _is_local_phone(normal, m):
            continue
        start, end = m.span(2) if keep_word else m.span()
        parts += [text[last:start], MASK]
        last = end
    if not parts:
        return text
    return "".join(parts) + text[last:]


def contact_names(texts: Iterable[str]) -> list[str]:
    """The person(s) a 联系人：… line or sentence names (项秋霞), longest first; not a unit (办公室)."""
    names: list[str] = []
    for text in texts:
        for m in _CONTACT_NAMES.finditer(text):
            for name in re.split(r"[、/／和及\s]+", m.group(1)):
                name = re.sub(r"(?:同志|女士|先生)$", "", name.strip())
                if _NAME.match(name) and not _NOT_A_NAME.search(name) and name not in names:
                    names.append(name)
    return sorted(names, key=len, reverse=True)


def redact_text(text: str, names: Iterable[str] = ()) -> str:
    """``text`` with contact sentences removed, personal numbers masked and the contact person's
    name (``names``, and any a 联系人：… in ``text`` itself gives) masked."""
    names = list(dict.fromkeys([*names, *contact_names([text])]))
    if CONTACT_CLAUSE.search(text):
        text = CONTACT_CLAUSE.sub("", text).rstrip()
        text = re.sub(r"[，,]\s*(?=[。；]|$)", "", text)  # 请与我局联系，[联系电话：…。] → 请与我局联系
        if text and text[-1] not in "。；！？”）":
            text += "。"
    for pattern in PATTERNS:
        text = _masked(pattern, text)
    text = _masked(SHORT_AFTER_WORD, text, keep_word=True)
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, MASK)
    return text


def public_version(draft: Draft) -> Draft:
    """The 公开版: no contact line, no numbers that reach a person, the contact person's name masked
    everywhere, no citations or checks.

    The draft given is not changed."""
    names = contact_names(p.text for p in draft.paragraphs)
    paragraphs = []
    for paragraph in draft.paragraphs:
        if paragraph.role == "contact" or CONTACT_LINE.match(paragraph.text.strip()):
            continue
        text = redact_text(paragraph.text, names)
        if not text.strip() and paragraph.text.strip():
            continue  # the paragraph was nothing but contact details
        paragraphs.append(Paragraph(role=paragraph.role, text=text, section=paragraph.section))
    return draft.model_copy(update={"paragraphs": paragraphs, "citations": [], "warnings": []}, deep=True)


def leaks(text: str, names: Iterable[str] = ()) -> list[str]:
    """What in ``text`` the 公开版 must not contain (for checks and tests): numbers, contact lines and
    the contact person's ``names``."""
    normal = _digits_nfkc(text)
    found = [m.group(0) for pattern in PATTERNS for m in pattern.finditer(normal) if pattern is not LOCAL or _is_local_phone(normal, m)]
    found += [m.group(2) for m in SHORT_AFTER_WORD.finditer(normal)]
    found += [m.group(0) for m in re.finditer(r"联\s*系\s*人|联\s*系\s*电\s*话", text)]
    found += [name for name in names if name in text]
    return found
