"""An office's archive, made from a letter whose text we know: Word 97 and WPS files written by
LibreOffice, an OFD package laid out like a converter writes one, scanned PDFs and photos rendered
from the letter's pages. bench/ocr.py uses the same makers.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import zipfile
from pathlib import Path

FONT = "Noto Serif CJK SC"  # fonts-noto-cjk; a 公文 uses 仿宋, which is not free to ship


def letter_docx(text: str, path: Path) -> Path:
    """The letter as Word lays it out: title centred, body paragraphs indented two characters."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(16)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(0)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for number, line in enumerate(lines):
        paragraph = document.add_paragraph(line)
        if 1 <= number <= 2 and len(line) < 30:  # the title lines
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif not line.endswith("：") or number > 4:
            paragraph.paragraph_format.first_line_indent = Pt(32)
    document.save(path)
    return path


def convert(source: Path, target_suffix: str, folder: Path) -> Path:
    """LibreOffice headless: .docx → .doc / .pdf / .rtf (a private profile, like the product does)."""
    profile = folder / ".lo-profile"
    filter_name = {"doc": "doc:MS Word 97", "pdf": "pdf", "rtf": "rtf"}[target_suffix]
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--convert-to",
            filter_name,
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return folder / f"{source.stem}.{target_suffix}"


def page_images(pdf: Path, dpi: int = 200) -> list:
    """Each page rendered in grey at ``dpi``, as a scanner would see a clean print."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in document]
    finally:
        document.close()


def scanned(image, skew: float = 0.0, noise: int = 0, seed: int = 1):
    """A page as it comes off a scanner: slightly turned, a grey background, some speckle."""
    from PIL import Image, ImageFilter

    if skew:
        image = image.rotate(skew, resample=Image.BICUBIC, expand=True, fillcolor=255)
    if noise:
        import numpy as np

        rng = np.random.default_rng(seed)
        array = np.asarray(image, dtype=np.int16)
        array = np.clip(array * 0.85 + 20 + rng.normal(0, noise, array.shape), 0, 255).astype(np.uint8)
        image = Image.fromarray(array).filter(ImageFilter.GaussianBlur(0.4))
    return image


def scanned_pdf(images: list, path: Path, dpi: int = 200) -> Path:
    """Images only, no text layer: what a scanner's "scan to PDF" writes."""
    first, *rest = [image.convert("L") for image in images]
    first.save(path, save_all=True, append_images=rest, resolution=dpi)
    return path


def photo(image, path: Path) -> Path:
    """A phone photo of a page: turned a little, uneven light, JPEG at quality 75."""
    import numpy as np
    from PIL import Image

    turned = scanned(image, skew=-1.2, noise=6, seed=7)
    array = np.asarray(turned, dtype=np.float32)
    light = np.linspace(0.92, 1.0, array.shape[1])[None, :]  # darker towards one edge
    Image.fromarray(np.clip(array * light, 0, 255).astype(np.uint8)).save(path, quality=75)
    return path


# -- OFD ------------------------------------------------------------------------------------

OFD_NS = "http://www.ofdspec.org/2016"


def ofd_package(
    paragraphs: list[str],
    path: Path,
    *,
    per_line: int = 26,
    size: float = 5.6,
    signed: bool = False,
    shuffle: int | None = 3,
    ctm: bool = False,
    title: str = "",
) -> Path:
    """An OFD of the paragraphs laid out as a converter writes one: A4, 3 mm characters in one
    TextObject per line, first lines indented two characters, DeltaX advances; text objects
    written in a scrambled order (``shuffle`` seeds it); pages of 22 lines. ``ctm``: the objects
    carry a scaling CTM with their TextCode in the unscaled space (as some converters do).
    ``signed``: a Signatures.xml and a seal stamp annotation, as a signed 公文 has."""
    left, top, line_gap = 28.0, 37.0, size * 1.6
    pages: list[list[tuple[float, float, str]]] = [[]]
    for paragraph in paragraphs:
        first, rest = paragraph[: per_line - 2], paragraph[per_line - 2 :]
        rows = [(left + 2 * size, first)] + [(left, rest[i : i + per_line]) for i in range(0, len(rest), per_line)]
        for x, text in rows:
            if len(pages[-1]) == 22:
                pages.append([])
            pages[-1].append((x, top + len(pages[-1]) * line_gap, text))
    files: dict[str, str] = {}
    signature_ref = "<ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures>" if signed else ""
    files["OFD.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" DocType="OFD" Version="1.1">'
        f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>a1</ofd:DocID><ofd:Title>{title}</ofd:Title></ofd:DocInfo>"
        f"<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>{signature_ref}</ofd:DocBody></ofd:OFD>"
    )
    page_refs = "".join(f'<ofd:Page ID="{10 + n}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(len(pages)))
    files["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
        "<ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
        f"</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>{page_refs}</ofd:Pages>"
        + ("<ofd:Annotations>Annots/Annotations.xml</ofd:Annotations>" if signed else "")
        + "</ofd:Document>"
    )
    files["Doc_0/PublicRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
        '<ofd:Font ID="3" FontName="仿宋" FamilyName="仿宋"/></ofd:Fonts></ofd:Res>'
    )
    rng = random.Random(shuffle)
    for number, rows in enumerate(pages):
        objects = []
        for index, (x, y, text) in enumerate(rows):
            delta = f"g {len(text) - 1} {size}" if len(text) > 1 else ""
            if ctm:  # TextCode in a space scaled by 1/0.3528 (points), mapped back to mm by the CTM
                scale = 0.3528
                objects.append(
                    f'<ofd:TextObject ID="{100 + index}" Boundary="{x} {y - size} {len(text) * size} {size * 1.2}" Font="3" '
                    f'Size="{size / scale:.3f}" CTM="{scale} 0 0 {scale} 0 0"><ofd:FillColor Value="0 0 0"/>'
                    f'<ofd:TextCode X="0" Y="{size / scale:.3f}" DeltaX="g {max(len(text) - 1, 0)} {size / scale:.3f}">{text}</ofd:TextCode></ofd:TextObject>'
                )
            else:
                objects.append(
                    f'<ofd:TextObject ID="{100 + index}" Boundary="{x} {y - size} {len(text) * size} {size * 1.2}" Font="3" Size="{size}">'
                    f'<ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="{size}" DeltaX="{delta}">{text}</ofd:TextCode></ofd:TextObject>'
                )
        if shuffle is not None:
            rng.shuffle(objects)
        files[f"Doc_0/Pages/Page_{number}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content><ofd:Layer ID="2">'
            + "".join(objects)
            + "</ofd:Layer></ofd:Content></ofd:Page>"
        )
    if signed:
        files["Doc_0/Signs/Signatures.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Signatures xmlns:ofd="{OFD_NS}">'
            '<ofd:Signature ID="1" Type="Seal" BaseLoc="Sign_0/Signature.xml"/></ofd:Signatures>'
        )
        files["Doc_0/Signs/Sign_0/Signature.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Signature xmlns:ofd="{OFD_NS}">'
            '<ofd:SignedInfo><ofd:Provider ProviderName="test"/><ofd:StampAnnot ID="1" PageRef="10" '
            'Boundary="120 200 40 40"/></ofd:SignedInfo><ofd:SignedValue>SignedValue.dat</ofd:SignedValue></ofd:Signature>'
        )
        files["Doc_0/Signs/Sign_0/SignedValue.dat"] = "0\x82\x01\x00 not a real signature"
        files["Doc_0/Annots/Annotations.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Annotations xmlns:ofd="{OFD_NS}">'
            '<ofd:Page PageID="10"><ofd:FileLoc>Page_0/Annotation.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>'
        )
        files["Doc_0/Annots/Page_0/Annotation.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:PageAnnot xmlns:ofd="{OFD_NS}">'
            '<ofd:Annot ID="5" Type="Stamp"><ofd:Appearance Boundary="120 200 40 40">'
            '<ofd:ImageObject ID="6" ResourceID="7" Boundary="0 0 40 40" CTM="40 0 0 40 0 0"/>'
            "</ofd:Appearance></ofd:Annot></ofd:PageAnnot>"
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return path


def image_ofd(images: list, path: Path) -> Path:
    """An OFD made from a scan: each page one ImageObject filling it, the images in Res/ (the
    layout easyofd's pdf2ofd writes without its text option)."""
    import io

    files: dict[str, bytes | str] = {
        "OFD.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" DocType="OFD" Version="1.1">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>b2</ofd:DocID></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
        ),
        "Doc_0/Document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
            "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
            "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData><ofd:Pages>"
            + "".join(f'<ofd:Page ID="{n + 1}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(len(images)))
            + "</ofd:Pages></ofd:Document>"
        ),
        "Doc_0/DocumentRes.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:MultiMedias>'
            + "".join(f'<ofd:MultiMedia ID="{100 + n}" Type="Image"><ofd:MediaFile>Image_{n}.jpg</ofd:MediaFile></ofd:MultiMedia>' for n in range(len(images)))
            + "</ofd:MultiMedias></ofd:Res>"
        ),
    }
    for n, image in enumerate(images):
        buffer = io.BytesIO()
        image.convert("L").save(buffer, "JPEG", quality=80)
        files[f"Doc_0/Res/Image_{n}.jpg"] = buffer.getvalue()
        files[f"Doc_0/Pages/Page_{n}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content><ofd:Layer ID="{50 + n}">'
            f'<ofd:ImageObject ID="{60 + n}" CTM="210 0 0 297 0 0" Boundary="0 0 210 297" ResourceID="{100 + n}"/>'
            "</ofd:Layer></ofd:Content></ofd:Page>"
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return path
