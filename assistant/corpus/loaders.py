"""Load files into plain text documents, folders recursively: text, web pages, .jsonl, Word
(.docx; .doc/.wps/.rtf through LibreOffice), OFD, PDF (scanned pages by OCR) and images of pages.

The file's bytes decide how it is read (corpus/formats.py), not its name. Government files arrive
in UTF-8, UTF-8 with BOM, GBK/GB18030 and sometimes UTF-16; the encoding is detected, never
assumed. Anything that cannot become text raises ``LoadError`` with a reason the user can act on.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..errors import LoadError
from . import formats
from .formats import SUPPORTED_SUFFIXES
from .layout import join_pages
from .read_options import ReadOptions

# A zip bomb expands far beyond any real letter. Text XML compresses 5–20×, so a .docx that
# inflates over 100× is repetition built to buy CPU (an 806 KB file became 166,667 chunks).
DOCX_MAX_UNCOMPRESSED = 64 * 1024 * 1024
DOCX_MAX_RATIO = 100
_FILENAME_DATE = re.compile(r"[（(](\d{4})-(\d{2})-(\d{2})[)）]")


@dataclass
class Document:
    """One document's text and what we know about it. ``source`` is unique in the index."""

    text: str
    source: str
    title: str = ""
    metadata: dict = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def iter_files(paths: list[Path], skipped: list[Path] | None = None) -> Iterator[Path]:
    """Files under ``paths`` (folders recurse, hidden files skipped), in a stable order.

    Files of an unsupported type inside folders go to ``skipped`` (when given) so the caller can
    say which they were; a file named explicitly is always yielded so the loader can say why.
    """
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(p.startswith(".") for p in child.relative_to(path).parts):
                    if child.suffix.lower() in SUPPORTED_SUFFIXES:
                        yield child
                    elif skipped is not None:
                        skipped.append(child)
        else:
            yield path


def decode_bytes(data: bytes, name: str = "") -> str:
    """Decode text bytes: BOMs first, then strict UTF-8, then GB18030, then charset-normalizer."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise LoadError(f"{name}：看起来是二进制文件，不是文本", f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # GB18030 is a superset of GBK/GB2312; strict decoding fails fast on non-Chinese bytes, and
    # charset-normalizer alone is unreliable on short Chinese files.
    try:
        text = data.decode("gb18030")
        if _cjk_ratio(text) > 0.2:
            return text
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise LoadError(f"{name}：无法识别文本编码", f"{name}: cannot detect the text encoding")
    return str(best)


def _cjk_ratio(text: str) -> float:
    sample = text[:4000]
    if not sample:
        return 0.0
    return sum("\u4e00" <= ch <= "\u9fff" for ch in sample) / len(sample)


def _looks_binary(text: str) -> bool:
    sample = text[:4000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or ch == "\ufffd")
    return bool(sample) and bad / len(sample) > 0.05


def normalize_text(text: str) -> str:
    """Unify line ends, drop control characters and trailing spaces, squeeze blank runs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").replace("\xa0", " ")
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\u200b\ufeff]", "", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _read_text_file(path: Path, data: bytes) -> str:
    text = decode_bytes(data, path.name)
    if _looks_binary(text):
        raise LoadError(f"{path.name}：看起来是二进制文件，不是文本", f"{path.name}: looks like a binary file, not text")
    if path.suffix.lower() in {".md", ".markdown"}:
        text = re.sub(r"<!--.*?-->", "", text, flags=re.S)  # e.g. the corpora's <!-- INFO END -->
    return text


def check_docx_archive(zf: zipfile.ZipFile, name: str) -> None:
    """Refuse a .docx whose parts inflate beyond any real document (before anything inflates them).
    The text part is judged on its own too: a stored picture beside it would dilute the average."""
    infos = zf.infolist()
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    text = next((info for info in infos if info.filename == "word/document.xml"), None)
    ratio = max(total / packed, (text.file_size / (text.compress_size or 1)) if text else 0.0)
    if total > DOCX_MAX_UNCOMPRESSED or ratio > DOCX_MAX_RATIO:
        raise LoadError(
            f"{name}：解压后体积异常（{total / 2**20:.0f} MB，压缩比 {ratio:.0f}:1），拒绝处理",
            f"{name}: inflates to {total / 2**20:.0f} MB ({ratio:.0f}:1), refused (zip bomb?)",
        )


def open_docx(path: Path):
    """The python-docx ``Document`` of ``path``, its archive checked first; LoadError if broken."""
    try:
        with zipfile.ZipFile(path) as zf:
            check_docx_archive(zf, path.name)
    except (zipfile.BadZipFile, OSError) as exc:
        raise LoadError(f"{path.name}：Word 文件已损坏或不是 .docx（{exc}）", f"{path.name}: broken or not a .docx ({exc})") from exc
    import docx

    try:
        return docx.Document(str(path))
    except Exception as exc:  # python-docx raises many types for broken packages
        raise LoadError(f"{path.name}：无法打开 Word 文件（{exc}）", f"{path.name}: cannot open the Word file ({exc})") from exc


def _read_docx(path: Path) -> str:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = open_docx(path)
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    if not cells or cell.text != cells[-1]:  # merged cells repeat their text
                        cells.append(cell.text)
                lines.append(" | ".join(cells))
    return "\n".join(lines)


def _read_pdf(path: Path, options: ReadOptions) -> tuple[str, dict]:
    """The text layer of each page; a page without one (a scan) is rendered and recognised."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError(f"{path.name}：PDF 已加密，无法读取", f"{path.name}: the PDF is encrypted")
        count = len(reader.pages)
        if count > options.max_pages:
            raise LoadError(
                f"{path.name}：PDF 页数过多（{count} 页，上限 {options.max_pages} 页），拒绝处理",
                f"{path.name}: too many pages ({count} > {options.max_pages}), refused",
            )
        pages = [page.extract_text() or "" for page in reader.pages]
        # no text layer, or a few characters over a picture (a scan with a printed page number or
        # stamp); a short page of a born-digital PDF ("杭州，2024年5月8日") keeps its own text
        scanned = [
            number
            for number, (page, text) in enumerate(zip(reader.pages, pages))
            if not text.strip() or (len(re.sub(r"\s", "", text)) < 20 and _has_image(page))
        ]
    except LoadError:
        raise
    except (PdfReadError, Exception) as exc:
        raise LoadError(f"{path.name}：PDF 无法读取（{exc}）", f"{path.name}: cannot read the PDF ({exc})") from exc
    if not scanned:
        return "\n".join(pages), {}
    from . import ocr

    recognised = ocr.recognise_pdf_pages(path, scanned, options)
    for number, page in zip(scanned, recognised):
        pages[number] = page.text
    return join_pages(pages), ocr.metadata(recognised, len(pages))


def _mht_html(path: Path, data: bytes) -> bytes:
    """The page inside a web archive (MHT: Word's "single file web page", often named .doc)."""
    import email
    from email import policy

    message = email.message_from_bytes(data, policy=policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            payload = payload if isinstance(payload, bytes) else b""
            charset = part.get_content_charset()
            return payload.decode(charset, errors="replace").encode("utf-8") if charset else payload
    raise LoadError(f"{path.name}：网页存档中没有正文", f"{path.name}: the web archive holds no page")


def _has_image(page, depth: int = 0) -> bool:
    """Whether a PDF page draws a picture (directly, or inside a form it draws)."""
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if not xobjects:
        return False
    for item in xobjects.get_object().values():
        item = item.get_object()
        if item.get("/Subtype") == "/Image" or (item.get("/Subtype") == "/Form" and depth < 2 and _has_image(item, depth + 1)):
            return True
    return False


def _read_image(path: Path, options: ReadOptions) -> tuple[str, dict]:
    from . import ocr

    recognised = ocr.recognise_image_file(path, options)
    return join_pages([page.text for page in recognised]), ocr.metadata(recognised, len(recognised))


def _read_legacy_word(path: Path, options: ReadOptions) -> str:
    from .convert import to_docx

    with open(path, "rb") as handle:
        head = handle.read(8)
    with tempfile.TemporaryDirectory(prefix="ra-convert-") as folder:
        converted = to_docx(
            path, Path(folder), timeout=options.convert_timeout, soffice=options.libreoffice, legacy_suffix=".rtf" if head.startswith(b"{\\rtf") else ".doc"
        )
        try:
            return _read_docx(converted)
        except LoadError as exc:
            raise LoadError(f"{path.name}：{exc.zh}", f"{path.name}: {exc.en}") from exc


def _read_html(path: Path, data: bytes) -> tuple[str, str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_bytes(data, path.name), "html.parser")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    title = ""
    if soup.title and soup.title.string:
        title = soup.title.string.strip()
    elif heading := soup.find("h1"):
        title = heading.get_text(strip=True)
    return soup.get_text("\n"), title


def _title_from_text(text: str, path: Path) -> str:
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:80]
    return path.stem


def _file_metadata(path: Path) -> dict:
    meta: dict = {}
    if match := _FILENAME_DATE.search(path.name):  # the corpora name files "标题(2016-05-27).md"
        meta["date"] = "-".join(match.groups())
        meta["year"] = int(match.group(1))
    return meta


def check_size(path: Path, max_bytes: int | None) -> None:
    """Refuse a file over the limit before anything reads (or hashes) it."""
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise LoadError(
            f"{path.name}：文件过大（{size / 2**20:.1f} MB，上限 {max_bytes / 2**20:.0f} MB）",
            f"{path.name}: file too large ({size / 2**20:.1f} MB > {max_bytes / 2**20:.0f} MB)",
        )


def load_file(path: Path, max_bytes: int | None = None, options: ReadOptions | None = None) -> list[Document]:
    """Read one file into one document (or one per line for .jsonl)."""
    options = options or ReadOptions()
    max_bytes = max_bytes if max_bytes is not None else options.max_bytes
    try:
        check_size(path, max_bytes)
        kind = formats.sniff_file(path)  # the bytes decide; a name we do not know is refused unless they tell
        data = path.read_bytes() if kind in ("text", "html", "jsonl", "mht") else b""
    except OSError as exc:
        raise LoadError(f"{path.name}：无法读取文件（{exc.strerror}）", f"{path.name}: cannot read the file ({exc.strerror})") from exc

    if kind == "jsonl":
        return list(_read_jsonl(path, data))
    title, extra = "", dict[str, str]()
    if kind == "docx":
        text = _read_docx(path)
    elif kind == "legacy-word":
        text = _read_legacy_word(path, options)
    elif kind == "ofd":
        from .ofd import read_ofd

        text, title, extra = read_ofd(path, options)
    elif kind == "pdf":
        text, extra = _read_pdf(path, options)
    elif kind == "image":
        text, extra = _read_image(path, options)
    elif kind == "html":
        text, title = _read_html(path, data)
    elif kind == "mht":
        text, title = _read_html(path, _mht_html(path, data))
    else:
        text = _read_text_file(path, data)
    text = normalize_text(text)
    if not text:
        empty = "识别后没有文字（图像是否清晰、方向是否正确？）" if "ocr_pages" in extra else "文件是空的，没有可用文字"
        raise LoadError(f"{path.name}：{empty}", f"{path.name}: no text found" if extra else f"{path.name}: the file is empty")
    metadata = {**_file_metadata(path), **(extra if extra.get("ocr_pages") else {})}
    if kind not in ("text", "html", "jsonl", "docx"):
        metadata["source_format"] = kind
    return [Document(text=text, source=str(path), title=title or _title_from_text(text, path), metadata=metadata)]


def _read_jsonl(path: Path, data: bytes) -> Iterator[Document]:
    text = decode_bytes(data, path.name)
    found = False
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LoadError(f"{path.name} 第 {line_no} 行不是合法 JSON（{exc.msg}）", f"{path.name} line {line_no}: invalid JSON ({exc.msg})") from exc
        body = record.get("text") or record.get("content") if isinstance(record, dict) else None
        if not isinstance(body, str) or not body.strip():
            raise LoadError(f"{path.name} 第 {line_no} 行缺少 text 或 content 字段", f"{path.name} line {line_no}: no 'text' or 'content' field")
        body = normalize_text(body)
        meta = {key: record[key] for key in ("url", "year", "date", "doc_type") if record.get(key) not in (None, "")}
        title = str(record.get("title") or "").strip() or _title_from_text(body, path)
        found = True
        yield Document(text=body, source=f"{path}#L{line_no}", title=title, metadata=meta)
    if not found:
        raise LoadError(f"{path.name}：文件是空的，没有可用文字", f"{path.name}: the file is empty")
