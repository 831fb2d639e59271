"""Scanned pages and photos → text, with RapidOCR (PP-OCRv4 Chinese models inside the
rapidocr-onnxruntime wheel: nothing is downloaded, ever).

A page is recognised as boxes of text; the boxes' own slant says how the sheet lay on the scanner,
so lines are ordered in the page's frame, not the image's (a 2° skew otherwise interleaves two
lines). Lines become paragraphs by the layout (corpus/layout.py). What OCR gets wrong in this
genre is fixed where the letter's conventions leave no doubt: 〔2024〕 in a 文号, full-width
punctuation between Chinese characters.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass

from ..errors import LoadError
from ..genre.numerals import HAN
from .layout import Piece, lines, paragraphs

_ENGINE = None
MAX_SIDE = 1600
_ENGINE_LOCK = threading.Lock()  # one model, one caller at a time (ONNX sessions use every core anyway)


@dataclass
class OcrPage:
    paragraphs: list[str]
    confidence: float  # mean recognition score, weighted by characters (0–1)
    characters: int

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def engine():
    """The RapidOCR engine, loaded on first use (about half a second)."""
    global _ENGINE
    if _ENGINE is None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:
            raise LoadError("识别扫描件需要 rapidocr-onnxruntime：请运行 make install", "OCR needs rapidocr-onnxruntime: run make install") from exc
        # Letters lie upright: the 180° classifier only costs time. A page is read at most 1600
        # pixels tall (A4 at ~140 dpi; 16-point text stays ~30 px high): 1.4× faster than the default
        # 2000 with no loss of accuracy at 150–300 dpi (bench/ocr.py, docs/benchmarks.md "OCR").
        _ENGINE = RapidOCR(use_cls=False, print_verbose=False, max_side_len=MAX_SIDE)
    return _ENGINE


def recognise(image) -> OcrPage:
    """OCR one page image (a PIL image or an array)."""
    import numpy as np

    array = np.asarray(image.convert("RGB")) if hasattr(image, "convert") else image
    with _ENGINE_LOCK:
        result, _ = engine()(array, use_cls=False)
    return page_from_boxes(result or [])


def page_from_boxes(result: list) -> OcrPage:
    """RapidOCR's [(four corners, text, score), …] → paragraphs in reading order."""
    if not result:
        return OcrPage([], 0.0, 0)
    angle = _skew(result)
    cos, sin = math.cos(angle), math.sin(angle)
    pieces = []
    for corners, text, _ in result:
        xs = [x * cos + y * sin for x, y in corners]  # rotated into the page's frame
        ys = [-x * sin + y * cos for x, y in corners]
        pieces.append(Piece(min(xs), max(xs), min(ys), max(ys), text))
    weight = sum(len(text) for _, text, _ in result) or 1
    confidence = sum(float(score) * len(text) for _, text, score in result) / weight
    found = [fix_punctuation(p) for p in paragraphs(lines(pieces)) if not _PAGE_NUMBER.match(p)]
    return OcrPage(found, confidence, sum(len(p) for p in found))


def _skew(result: list) -> float:
    """The median slant of the longer boxes' top edges (radians); short boxes slant by noise."""
    slants = []
    for corners, text, _ in result:
        (x0, y0), (x1, y1) = corners[0], corners[1]
        if len(text) >= 6 and x1 - x0 > 0:
            slants.append(math.atan2(y1 - y0, x1 - x0))
    slants.sort()
    return slants[len(slants) // 2] if slants else 0.0


_PAGE_NUMBER = re.compile(r"^[-—–一]?\s*\d{1,3}\s*[-—–一]?$")  # "- 3 -" at the foot of a page
_CJK = HAN
_DOC_NUMBER = re.compile(rf"([{_CJK}]{{1,8}})\s*[\[【〔(（［]+\s*((?:19|20)\d\d)\s*[\]】〕)）］]+\s*(\d{{1,4}})\s*号")
_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}


def fix_punctuation(text: str) -> str:
    """OCR writes half-width marks where a 公文 has full-width ones; a 文号's year takes 〔〕."""
    text = _DOC_NUMBER.sub(r"\1〔\2〕\3号", text)
    # a half-width mark next to a Chinese character is the full-width one (3.5 or 2,000 stay)
    text = re.sub(rf"(?<=[{_CJK}）”])([,:;?!])|([,:;?!])(?=[{_CJK}“])", lambda m: _HALF_TO_FULL[m.group(1) or m.group(2)], text)
    text = re.sub(rf"\((?=[{_CJK}\d一二三四五六七八九十]+[)）])", "（", text)
    text = re.sub(rf"(?<=[{_CJK}\d])\)", "）", text)
    text = re.sub(r"(?<=[（(][一二三四五六七八九十])[)]", "）", text)
    return _pair_quotes(text)


def _pair_quotes(text: str) -> str:
    """Straight double quotes around Chinese words alternate “ and ”, continuing any curly one."""
    if '"' not in text:
        return text
    out, open_quote = [], False
    for ch in text:
        if ch == "“":
            open_quote = True
        elif ch == "”":
            open_quote = False
        elif ch == '"':
            ch = "”" if open_quote else "“"
            open_quote = not open_quote
        out.append(ch)
    return "".join(out)


def recognise_pdf_pages(path, numbers: list[int], options) -> list[OcrPage]:
    """Render the given pages of a PDF (0-based) at ``options.ocr_dpi`` and recognise each."""
    import pypdfium2

    scale = options.ocr_dpi / 72
    pages: list[OcrPage] = []
    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as exc:
        raise LoadError(f"{path.name}：PDF 无法渲染（{exc}）", f"{path.name}: cannot render the PDF ({exc})") from exc
    try:
        for done, number in enumerate(numbers):
            options.report("ocr", done, len(numbers))
            page = document[number]
            width, height = page.get_size()
            check_pixels(int(width * scale), int(height * scale), options.max_pixels, f"{path.name} 第 {number + 1} 页")
            image = page.render(scale=scale, grayscale=True).to_pil()
            pages.append(recognise(image))
        options.report("ocr", len(numbers), len(numbers))
    finally:
        document.close()
    return pages


def recognise_image_file(path, options) -> list[OcrPage]:
    """Every frame of an image file (a multi-page TIFF is a whole scanned letter)."""
    from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            check_pixels(*image.size, options.max_pixels, path.name)  # the header only: nothing decoded yet
            frames = getattr(image, "n_frames", 1)
            if frames > options.max_pages:
                raise LoadError(
                    f"{path.name}：图像页数过多（{frames}，上限 {options.max_pages}）", f"{path.name}: too many frames ({frames} > {options.max_pages})"
                )
            pages = []
            for done, frame in enumerate(ImageSequence.Iterator(image)):
                options.report("ocr", done, frames)
                check_pixels(*frame.size, options.max_pixels, path.name)
                pages.append(recognise(ImageOps.exif_transpose(frame.convert("L"))))
            options.report("ocr", frames, frames)
            return pages
    except Image.DecompressionBombError as exc:  # Pillow's own guard, above ours, fires on opening
        raise LoadError(f"{path.name}：图像过大（{exc}），拒绝处理", f"{path.name}: image too large ({exc}), refused") from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise LoadError(f"{path.name}：图像无法读取（{exc}）", f"{path.name}: cannot read the image ({exc})") from exc


def metadata(pages: list[OcrPage], total_pages: int) -> dict:
    """What a document records of its OCR: pages whose text came from OCR (a blank separator page
    recognised as nothing does not make a document a scan), of how many, and the mean confidence."""
    read = [p for p in pages if p.characters]
    characters = sum(p.characters for p in read) or 1
    confidence = sum(p.confidence * p.characters for p in read) / characters
    return {"ocr_pages": len(read), "pages": total_pages, **({"ocr_confidence": round(confidence, 3)} if read else {})}


def character_error_rate(truth: str, text: str) -> float:
    """Edit distance between the two texts (whitespace aside, punctuation counted) over the true
    length: the measure of bench/ocr.py and the OCR tests."""
    import numpy as np

    a = np.frombuffer(re.sub(r"\s", "", truth).encode("utf-32-le"), dtype=np.uint32)
    b = np.frombuffer(re.sub(r"\s", "", text).encode("utf-32-le"), dtype=np.uint32)
    if not len(a):
        return float(len(b) > 0)
    index = np.arange(len(b) + 1)
    row = index.copy()
    for ch in a:  # one row of the Levenshtein table at a time; insertions by a running minimum
        substitute = row[:-1] + (b != ch)
        deleted = row[1:] + 1
        candidate = np.concatenate(([row[0] + 1], np.minimum(substitute, deleted)))
        row = np.minimum.accumulate(candidate - index) + index
    return float(row[-1]) / len(a)


def check_pixels(width: int, height: int, limit: int, name: str) -> None:
    """Refuse an image (or a page to render) over the pixel cap before decoding it."""
    if width * height > limit:
        raise LoadError(
            f"{name}：图像过大（{width}×{height} 像素，上限 {limit / 1e6:.0f} 百万像素），拒绝处理",
            f"{name}: image too large ({width}×{height} px > {limit / 1e6:.0f} MP), refused",
        )
