"""The 公开版 of a reply letter: what may be published (issue 14).

``public_version(draft)`` returns a new Draft without the 联系人/电话 line, without citations and
checks (a public copy carries no comments), and with every phone number, e-mail address and
identity-card number in the text replaced by ``×××``. Figures stay: 2365家, 2024年, 954.80亿元,
58.75% and a 11-digit amount in 元 are not phone numbers.
"""

from __future__ import annotations

import re

from .draft_model import Draft, Paragraph

MASK = "×××"

# A digit run may not continue a longer number (or a decimal) on either side.
_START = r"(?<![\d.．A-Za-z])"
_END = r"(?![\d.．A-Za-z])"
# What follows a figure, not a phone number: 2365家, 20240627号, 13800000000元, 12345678人次.
_NOT_A_FIGURE = r"(?!\s*(?:万|亿|千|百|元|家|个|项|件|人|支|所|次|台|套|亩|平方米|方|吨|户|名|倍|%|％|‰|年|月|日|号|条|岁|天|米|公里|千米|册|篇|张|份|辆|只|头|株|美元))"
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
# (2023-2027) or a date written as digits (20240627)
_NOT_YEARS = r"(?!(?:19|20)\d{2}\D?(?:19|20)\d{2}(?!\d)|(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d))"
LOCAL = re.compile(_START + _NOT_YEARS + r"[2-9]\d{3}" + _SEP + r"\d{4}" + _END + _NOT_A_FIGURE)
# 7-digit numbers only where the text says it is a phone: 电话：8896207
_PHONE_WORD = r"(?:电话|手机|热线|传真|座机|联系方式|号码|Tel|TEL|tel|Fax|FAX)"
SHORT_AFTER_WORD = re.compile(r"(" + _PHONE_WORD + r"[^\d。；，,]{0,4})" + r"(\d{7})" + _END + _NOT_A_FIGURE)

PATTERNS = (EMAIL, ID_NUMBER, MOBILE, LANDLINE, SERVICE, LOCAL)

# The contact line, and a contact sentence inside another paragraph.
CONTACT_LINE = re.compile(r"^[（(]?\s*(?:联系人|联系电话|联系方式|联\s*系\s*人)")
CONTACT_CLAUSE = re.compile(r"[（(]?(?:联系人|联系电话|联系方式)\s*[:：][^。；\n]*[。；）)]?")


def redact_text(text: str) -> str:
    """``text`` with contact sentences removed and personal numbers masked."""
    if CONTACT_CLAUSE.search(text):
        text = CONTACT_CLAUSE.sub("", text).rstrip()
        text = re.sub(r"[，,]\s*(?=[。；]|$)", "", text)  # 请与我局联系，[联系电话：…。] → 请与我局联系
        if text and text[-1] not in "。；！？”）":
            text += "。"
    for pattern in PATTERNS:
        text = pattern.sub(MASK, text)
    return SHORT_AFTER_WORD.sub(lambda m: m.group(1) + MASK, text)


def public_version(draft: Draft) -> Draft:
    """The 公开版: no contact line, no numbers that reach a person, no citations or checks.

    The draft given is not changed."""
    paragraphs = []
    for paragraph in draft.paragraphs:
        if paragraph.role == "contact" or CONTACT_LINE.match(paragraph.text.strip()):
            continue
        text = redact_text(paragraph.text)
        if not text.strip() and paragraph.text.strip():
            continue  # the paragraph was nothing but contact details
        paragraphs.append(Paragraph(role=paragraph.role, text=text, section=paragraph.section))
    return draft.model_copy(update={"paragraphs": paragraphs, "citations": [], "warnings": []}, deep=True)


def leaks(text: str) -> list[str]:
    """What in ``text`` the 公开版 must not contain (for checks and tests): numbers and contact lines."""
    found = [m.group(0) for pattern in PATTERNS for m in pattern.finditer(text)]
    found += [m.group(2) for m in SHORT_AFTER_WORD.finditer(text)]
    found += [m.group(0) for m in re.finditer(r"联系人|联系电话", text)]
    return found
