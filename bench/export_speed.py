"""Time to export a long letter (target: a 20-page letter in < 5 s).

    .venv/bin/python bench/export_speed.py
"""

from __future__ import annotations

import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.drafting import Citation, Draft, Paragraph, flag_paragraph  # noqa: E402
from assistant.export_docx import export_docx  # noqa: E402

BODY = ("深入实施科技企业“双倍增”行动，全市高新技术企业总数超4000家，省科技型中小企业总数超1.6万家，"
        "截至2024年5月底，市科创基金总规模59亿元，持续优化民营企业创新发展环境，强化要素保障。")


def long_draft(pages: int) -> Draft:
    citation = Citation(id="c1", chunk_id=1, source="corpus/x.txt", title="温科提复〔2024〕110号", doc_type="reply",
                        doc_number="温科提复〔2024〕110号", date="2024-06-27", excerpt=BODY)
    paragraphs = [Paragraph(role="title", text="关于市政协十二届四次会议128号提案的答复函"),
                  Paragraph(role="salutation", text="林志远委员：")]
    for n in range(pages * 6):  # about 6 paragraphs of ~100 characters a page
        paragraphs.append(Paragraph(role="body", text=BODY, citations=["c1"]))
    paragraphs += [Paragraph(role="signature", text="温州市科学技术局"), Paragraph(role="date", text="2025年6月27日")]
    for p in paragraphs:
        p.flags = flag_paragraph(p, {"c1": citation})
    return Draft(proposal={}, paragraphs=paragraphs, citations=[citation])


def main() -> None:
    print(f"machine: {platform.node()} · {platform.machine()} · date {date.today()}")
    print("| pages (approx.) | paragraphs | comments | seconds |")
    print("|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for pages in (1, 5, 20):
            draft = long_draft(pages)
            started = time.perf_counter()
            export_docx(draft, Path(tmp) / f"{pages}.docx")
            seconds = time.perf_counter() - started
            comments = sum(len(p.citations) + len(p.flags) for p in draft.paragraphs)
            print(f"| {pages} | {len(draft.paragraphs)} | {comments} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
