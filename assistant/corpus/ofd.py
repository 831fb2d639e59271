"""The text of an OFD package (GB/T 33190-2016, the national format for electronic 公文).

OFD.xml → DocBody/DocRoot (Document.xml) → Pages/Page@BaseLoc (Content.xml) → Layer → TextObject
(Boundary, optional CTM, Size) → TextCode (X, Y baseline, DeltaX advances). Pages are read in the
document's order; within a page the text objects are placed by position (converters write them in
any order) and joined into lines and paragraphs by corpus/layout.py. A signed or sealed OFD keeps
its seal in Signs/ and annotations, which are not page content: it reads the same.

A small reader on lxml rather than easyofd: that package pulls in PyMuPDF (AGPL) and a PDF
renderer to get at what is a few XML files.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

from lxml import etree

from ..errors import LoadError
from .layout import Piece, join_pages, lines, paragraphs
from .read_options import ReadOptions

OFD_MAX_UNCOMPRESSED = 64 * 1024 * 1024
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_DELTA_TOKEN = re.compile(r"g\s+(\d+)\s+(-?[\d.]+)|(-?[\d.]+)")


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str):
    return [child for child in element if _local(child.tag) == name]


def _first(element, name: str):
    return next((child for child in element.iter() if _local(child.tag) == name), None)


class _Package:
    def __init__(self, path: Path):
        self.name = path.name
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise LoadError(f"{path.name}：OFD 文件已损坏（{exc}）", f"{path.name}: a broken OFD package ({exc})") from exc
        infos = self.zip.infolist()
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        if total > OFD_MAX_UNCOMPRESSED or total / packed > 100:
            raise LoadError(
                f"{path.name}：解压后体积异常（{total / 2**20:.0f} MB），拒绝处理", f"{path.name}: inflates to {total / 2**20:.0f} MB, refused (zip bomb?)"
            )
        self.names = {i.filename.lstrip("/"): i.filename for i in infos}

    def xml(self, part: str):
        key = posixpath.normpath(part.lstrip("/"))
        if key not in self.names:
            raise LoadError(f"{self.name}：OFD 缺少 {part}", f"{self.name}: the OFD lacks {part}")
        try:
            return etree.fromstring(self.zip.read(self.names[key]), _PARSER)
        except etree.XMLSyntaxError as exc:
            raise LoadError(f"{self.name}：OFD 的 {part} 不是合法 XML（{exc}）", f"{self.name}: {part} is not valid XML ({exc})") from exc


def _resolve(base_dir: str, location: str) -> str:
    """A BaseLoc/DocRoot: absolute from the package root when it starts with '/', else relative."""
    location = location.strip()
    return location.lstrip("/") if location.startswith("/") else posixpath.join(base_dir, location)


def read_ofd(path: Path, options=None) -> tuple[str, str, dict]:
    """(text, title from DocInfo, OCR metadata) of the package's first document. A page that holds
    only an image (an OFD made from a scan) is recognised like a scanned PDF page."""
    package = _Package(path)
    try:
        root = package.xml("OFD.xml")
        body = _first(root, "DocBody")
        doc_root = _first(body, "DocRoot") if body is not None else None
        if doc_root is None or not (doc_root.text or "").strip():
            raise LoadError(f"{path.name}：OFD.xml 中没有 DocRoot", f"{path.name}: OFD.xml has no DocRoot")
        title_element = _first(body, "Title")
        title = (title_element.text or "").strip() if title_element is not None else ""
        document_part = _resolve("", doc_root.text)
        document = package.xml(document_part)
        doc_dir = posixpath.dirname(document_part)
        pages = _first(document, "Pages")
        listed = [page for page in (_children(pages, "Page") if pages is not None else []) if page.get("BaseLoc")]
        max_pages = (options or ReadOptions()).max_pages
        if len(listed) > max_pages:
            raise LoadError(
                f"{path.name}：OFD 页数过多（{len(listed)} 页，上限 {max_pages} 页），拒绝处理",
                f"{path.name}: too many pages ({len(listed)} > {max_pages}), refused",
            )
        contents = [package.xml(_resolve(doc_dir, page.get("BaseLoc"))) for page in listed]
        texts = ["\n".join(_page_paragraphs(content)) for content in contents]
        scanned = [n for n, (text, content) in enumerate(zip(texts, contents)) if not text.strip() and _images(content)]
        extra: dict = {}
        if scanned:
            from . import ocr

            options = options or ReadOptions()
            media = _media_files(package, document, doc_dir)
            recognised = []
            for done, number in enumerate(scanned):
                options.report("ocr", done, len(scanned))
                recognised.append(_recognise_page(package, contents[number], media, options))
                texts[number] = recognised[-1].text
            options.report("ocr", len(scanned), len(scanned))
            extra = ocr.metadata(recognised, len(contents))
    finally:
        package.zip.close()
    return join_pages(texts), title, extra


MAX_PIECES_PER_PAGE = 20_000  # a dense page of small print has ~3,000 characters in a few hundred objects


def _page_paragraphs(content) -> list[str]:
    pieces = [piece for obj in content.iter() if _local(obj.tag) == "TextObject" for piece in _text_pieces(obj)]
    if len(pieces) > MAX_PIECES_PER_PAGE:
        raise LoadError(
            f"OFD 页面文字对象过多（{len(pieces):,} 个，上限 {MAX_PIECES_PER_PAGE:,}），拒绝处理",
            f"too many text objects on an OFD page ({len(pieces):,} > {MAX_PIECES_PER_PAGE:,}), refused",
        )
    return paragraphs(lines(pieces))


def _images(content) -> list:
    return [obj for obj in content.iter() if _local(obj.tag) == "ImageObject" and obj.get("ResourceID")]


def _media_files(package: _Package, document, doc_dir: str) -> dict[str, str]:
    """MultiMedia ID → its file in the package, from the document's resource files (PublicRes,
    DocumentRes), each of which names the folder its files lie in (BaseLoc)."""
    found: dict[str, str] = {}
    for kind in ("PublicRes", "DocumentRes"):
        for element in (e for e in document.iter() if _local(e.tag) == kind and (e.text or "").strip()):
            res_part = _resolve(doc_dir, element.text)
            try:
                res = package.xml(res_part)
            except LoadError:
                continue
            base = _resolve(posixpath.dirname(res_part), res.get("BaseLoc", ""))
            for medium in (e for e in res.iter() if _local(e.tag) == "MultiMedia"):
                file = _first(medium, "MediaFile")
                if file is not None and (file.text or "").strip():
                    found[medium.get("ID", "")] = _resolve(base, file.text)
    return found


def _recognise_page(package: _Package, content, media: dict[str, str], options):
    """OCR the largest image on a page (a scanned page is one image filling it)."""
    import io

    from PIL import Image

    from . import ocr

    images = sorted(_images(content), key=lambda o: -_area(_numbers(o.get("Boundary"))))
    location = media.get(images[0].get("ResourceID", ""))
    if not location or posixpath.normpath(location) not in package.names:
        raise LoadError(f"{package.name}：OFD 页面图像缺失（{location}）", f"{package.name}: a page image is missing ({location})")
    data = package.zip.read(package.names[posixpath.normpath(location)])
    try:
        with Image.open(io.BytesIO(data)) as image:
            ocr.check_pixels(*image.size, options.max_pixels, package.name)
            return ocr.recognise(image.convert("L"))
    except Image.DecompressionBombError as exc:
        raise LoadError(f"{package.name}：图像过大（{exc}）", f"{package.name}: image too large ({exc})") from exc
    except OSError as exc:
        raise LoadError(f"{package.name}：OFD 页面图像无法读取（{exc}）", f"{package.name}: cannot read a page image ({exc})") from exc


def _area(box: list[float]) -> float:
    return box[2] * box[3] if len(box) >= 4 else 0.0


def _numbers(value: str | None) -> list[float]:
    try:
        return [float(v) for v in (value or "").split()]
    except ValueError:
        return []


def _advances(delta: str | None, count: int, size: float) -> list[float]:
    """DeltaX ("g 3 5.6 4.2" = three gaps of 5.6, then 4.2): the advance after each character."""
    gaps: list[float] = []
    for repeat, value, single in _DELTA_TOKEN.findall(delta or ""):
        if len(gaps) >= count:  # "g 3000000000 3.5" must not build a list of three billion
            break
        gaps += [float(value)] * min(int(repeat), count) if repeat else [float(single)]
    gaps += [size] * max(0, count - 1 - len(gaps))
    return gaps[: max(0, count - 1)]


def _text_pieces(obj) -> list[Piece]:
    box = _numbers(obj.get("Boundary"))
    if len(box) < 2:
        return []
    ctm = _numbers(obj.get("CTM"))
    a, b, c, d, e, f = ctm if len(ctm) == 6 else (1, 0, 0, 1, 0, 0)
    scale = (abs(a) + abs(d)) / 2 or 1
    size = (_numbers(obj.get("Size") or obj.get("size")) or [3.5])[0] * scale  # one converter writes "size"
    pieces = []
    for code in _children(obj, "TextCode"):
        text = code.text or ""
        if not text.strip():
            continue
        x, y = (_numbers(code.get("X")) or [0])[0], (_numbers(code.get("Y")) or [0])[0]
        left = box[0] + a * x + c * y + e
        baseline = box[1] + b * x + d * y + f
        advances = [g * scale for g in _advances(code.get("DeltaX"), len(text), size / scale)]
        if code.get("DeltaY") and not code.get("DeltaX"):  # vertical text: one character a line
            pieces += [Piece(left, left + size, baseline - size + i * size, baseline + i * size, ch) for i, ch in enumerate(text)]
            continue
        width = sum(advances) + size * (1 if not text[-1:].isascii() else 0.5)
        pieces.append(Piece(left, left + width, baseline - size * 0.9, baseline + size * 0.1, text))
    return pieces
