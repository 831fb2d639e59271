"""The one table of file types we read, and telling a file's real type from its bytes.

A bureau's archive names files carelessly: WPS saves Word-97 binaries as .wps, a .docx gets
renamed .doc, a scan is mailed as .jpg. The name only proposes; the first bytes decide. Every
entry point (CLI ingest, the 语料库 upload, the 起草答复 proposal upload) asks this module, so the
same file gets the same answer everywhere.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import LoadError


@dataclass(frozen=True)
class Format:
    kind: str  # how it is read: text | html | jsonl | docx | legacy-word | ofd | pdf | image
    suffixes: tuple[str, ...]
    label: str  # what the user calls it


FORMATS = (
    Format("text", (".txt", ".md", ".markdown"), "文本"),
    Format("html", (".html", ".htm"), "网页"),
    Format("mht", (".mht", ".mhtml"), "网页存档（MHT）"),
    Format("jsonl", (".jsonl",), "JSONL"),
    Format("docx", (".docx", ".docm", ".dotx"), "Word"),
    # converted by LibreOffice, then read as .docx (corpus/convert.py)
    Format("legacy-word", (".doc", ".dot", ".wps", ".wpt", ".rtf"), "旧版 Word / WPS / RTF"),
    Format("ofd", (".ofd",), "OFD 版式文件"),
    Format("pdf", (".pdf",), "PDF（含扫描件）"),
    Format("image", (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp"), "图片（扫描件、照片）"),
)
KIND_OF_SUFFIX = {suffix: f.kind for f in FORMATS for suffix in f.suffixes}
SUPPORTED_SUFFIXES = frozenset(KIND_OF_SUFFIX)
# A proposal is one document: a .jsonl collection is not one.
PROPOSAL_SUFFIXES = frozenset(s for s, kind in KIND_OF_SUFFIX.items() if kind != "jsonl")

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003, WPS, (and Excel/PowerPoint 97)
_WORD_XML = re.compile(rb"<\?mso-application\s+progid=\"Word\.Document\"|<w:wordDocument\b")
_MHT = re.compile(rb"^\s*(MIME-Version:|From:|Content-Type:\s*multipart/related)", re.I)
_IMAGE_SUFFIX = ((b"\xff\xd8\xff", ".jpg"), (b"\x89PNG\r\n\x1a\n", ".png"), (b"II*\x00", ".tif"), (b"MM\x00*", ".tif"))


# How a document read by OCR is marked wherever it is shown (search results, citations): its
# figures may be misread, and the 承办人 checks them against the paper.
SCANNED_LABEL = "扫描件·识别"


def is_scanned(metadata: dict) -> bool:
    return bool(metadata.get("ocr_pages"))


def scanned_note(metadata: dict) -> str:
    """'扫描件·识别（置信度 97%）' for an OCR'd document, else ''."""
    if not is_scanned(metadata):
        return ""
    confidence = metadata.get("ocr_confidence")
    return f"{SCANNED_LABEL}（识别置信度 {confidence:.0%}）" if isinstance(confidence, (int, float)) else SCANNED_LABEL


def supported_list(suffixes=SUPPORTED_SUFFIXES) -> str:
    """'.bmp .doc .docx …' for messages and upload labels."""
    return " ".join(sorted(suffixes))


def unsupported(name: str, suffix: str, suffixes=SUPPORTED_SUFFIXES) -> LoadError:
    shown = suffix or "(无扩展名)"
    return LoadError(
        f"{name}：不支持的文件类型 {shown}，支持 {supported_list(suffixes)}",
        f"{name}: unsupported file type {suffix or '(none)'}; supported: {supported_list(suffixes)}",
    )


def sniff(head: bytes, suffix: str, name: str = "", whole: Path | bytes | None = None) -> str:
    """The reading kind of a file from its first bytes; the suffix decides only among text kinds.

    ``whole`` is the file (a path or its bytes), opened as a zip when the bytes say zip: a zip is a
    .docx if it has word/document.xml and an OFD if it has OFD.xml, whatever it is called.
    """
    suffix = suffix.lower()
    if b"%PDF-" in head[:1024]:  # some systems write a few bytes before the header; readers allow it
        return "pdf"
    if head.startswith(OLE_MAGIC) or head.startswith(b"{\\rtf") or _WORD_XML.search(head[:2048]):
        return "legacy-word"  # Word 97–2003, RTF, or Word 2003 XML (what OA systems' 导出Word writes)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(whole, name, suffix)
    if any(head.startswith(magic) for magic, _ in _IMAGE_SUFFIX):
        return "image"
    if head.startswith(b"BM") and suffix == ".bmp":  # "BM" alone could begin a text file
        return "image"
    kind = KIND_OF_SUFFIX.get(suffix)
    if kind in ("text", "html", "jsonl"):
        return kind
    if kind == "mht" and _MHT.match(head):
        return kind
    if kind is None:
        raise unsupported(name, suffix)
    # A .doc that is not a Word binary: web systems "export to Word" as HTML, a web archive (MHT,
    # Word's "single file web page") or plain text named .doc.
    if kind == "legacy-word" and b"\x00" not in head[:4096]:
        if _MHT.match(head):
            return "mht"
        return "html" if re.search(rb"<(html|body|table|p|div)\b", head[:4096], re.I) else "text"
    return _mismatch(name, suffix, kind)


def _mismatch(name: str, suffix: str, kind: str) -> str:
    label = next(f.label for f in FORMATS if f.kind == kind)
    raise LoadError(
        f"{name}：文件内容不是{label}（扩展名 {suffix} 与内容不符，文件可能已损坏）", f"{name}: the content is not a {suffix} file (renamed or damaged?)"
    )


def _zip_kind(source: Path | bytes | None, name: str, suffix: str) -> str:
    if source is None:
        raise LoadError(f"{name}：没有可读取的内容", f"{name}: nothing to read")
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise LoadError(f"{name}：压缩包已损坏（{exc}）", f"{name}: a broken zip archive ({exc})") from exc
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names or "/OFD.xml" in names:
        return "ofd"
    if suffix not in SUPPORTED_SUFFIXES:  # .xlsx, .pptx, .zip: a type we do not read, said as such
        raise unsupported(name, suffix)
    raise LoadError(f"{name}：压缩包既不是 Word 文档（.docx）也不是 OFD 文件", f"{name}: a zip that is neither a .docx nor an OFD")


def sniff_file(path: Path) -> str:
    with open(path, "rb") as handle:
        head = handle.read(8192)
    return sniff(head, path.suffix, path.name, whole=path)


def stored_suffix(kind: str, claimed: str, head: bytes) -> str:
    """The suffix a stored upload gets: the claimed one when it fits the content, else the kind's own."""
    claimed = claimed.lower()
    if KIND_OF_SUFFIX.get(claimed) == kind:
        return claimed
    if kind == "legacy-word":
        return ".rtf" if head.startswith(b"{\\rtf") else ".doc"
    if kind == "image":
        return next((ext for magic, ext in _IMAGE_SUFFIX if head.startswith(magic)), ".bmp")
    return {"docx": ".docx", "ofd": ".ofd", "pdf": ".pdf", "html": ".html", "mht": ".mht", "jsonl": ".jsonl"}.get(kind, ".txt")
