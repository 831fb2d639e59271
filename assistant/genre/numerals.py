"""Chinese numerals as headings and enumerations count (一 … 十一 … 一百零五), and the Han range."""

from __future__ import annotations

# The unified CJK ideographs: what a "Chinese character" means in every pattern of the project.
HAN = "\u4e00-\u9fff"

CN_DIGITS = "零一二三四五六七八九"
# Characters a Chinese numeral may be written with (十一, 二十三, 一百零二, 〇, 两).
CN_NUMERAL_CHARS = "一二三四五六七八九十百千零〇两"
CN_NUMERAL = f"[{CN_NUMERAL_CHARS}]+"
_VALUE = {c: i for i, c in enumerate(CN_DIGITS)} | {"〇": 0, "两": 2}


def cn_numeral(value: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五 (how headings count)."""
    if value < 0:
        raise ValueError(f"no Chinese numeral for {value}")
    if value < 10:
        return CN_DIGITS[value]
    if value < 20:
        return "十" + (CN_DIGITS[value % 10] if value % 10 else "")
    if value < 100:
        return CN_DIGITS[value // 10] + "十" + (CN_DIGITS[value % 10] if value % 10 else "")
    if value < 1000:
        rest = value % 100
        tail = "" if not rest else ("零" + CN_DIGITS[rest] if rest < 10 else ("一" + cn_numeral(rest) if rest < 20 else cn_numeral(rest)))
        return CN_DIGITS[value // 100] + "百" + tail
    return str(value)


def parse_cn_numeral(text: str) -> int | None:
    """一 → 1, 十一 → 11, 二十 → 20, 一百零五 → 105; None for anything that is not a numeral."""
    if not text or any(c not in CN_NUMERAL_CHARS for c in text):
        return None
    total, current = 0, 0
    for char in text:
        if char in _VALUE:
            current = _VALUE[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "千":
            total += (current or 1) * 1000
            current = 0
    total += current
    return total or None
