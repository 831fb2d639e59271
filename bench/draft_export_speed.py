"""Time to draft a 2,000-character proposal (target ≤ 2 s warm) over the dev index, and to export
a long letter (target: a 20-page letter in < 5 s).

    .venv/bin/python bench/draft_export_speed.py [--index bench/.cache/dev-index]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from machine import describe  # bench/machine.py

from assistant.letter.export import export_docx  # noqa: E402
from assistant.letter.model import Citation, Draft, Paragraph, flag_paragraph  # noqa: E402

BODY = (
    "深入实施科技企业“双倍增”行动，全市高新技术企业总数超4000家，省科技型中小企业总数超1.6万家，"
    "截至2024年5月底，市科创基金总规模59亿元，持续优化民营企业创新发展环境，强化要素保障。"
)


def long_draft(pages: int) -> Draft:
    citation = Citation(
        id="c1",
        chunk_id=1,
        source="corpus/x.txt",
        title="温科提复〔2024〕110号",
        doc_type="reply",
        doc_number="温科提复〔2024〕110号",
        date="2024-06-27",
        excerpt=BODY,
    )
    paragraphs = [Paragraph(role="title", text="关于市政协十二届四次会议128号提案的答复函"), Paragraph(role="salutation", text="林志远委员：")]
    for _ in range(pages * 6):  # about 6 paragraphs of ~100 characters a page
        paragraphs.append(Paragraph(role="body", text=BODY, citations=["c1"]))
    paragraphs += [Paragraph(role="signature", text="温州市科学技术局"), Paragraph(role="date", text="2025年6月27日")]
    for p in paragraphs:
        p.flags = flag_paragraph(p, {"c1": citation})
    return Draft(proposal={}, paragraphs=paragraphs, citations=[citation])


PROPOSAL = (Path(__file__).resolve().parent.parent / "examples" / "proposal-financing.txt").read_text(encoding="utf-8")
MORE = [
    "四、优化科技企业上市培育。建立拟上市科技企业后备库，提供分阶段辅导服务。",
    "五、加强知识产权质押融资。扩大专利权质押登记和评估服务，设立风险补偿资金池。",
    "六、推动科技保险发展。鼓励保险机构开发研发费用损失险、首台套保险等产品。",
]


def long_proposal(chars: int = 2000) -> str:
    head, _, tail = PROPOSAL.partition("为此，提出以下建议：")
    background = head
    while len(background) + len(tail) + 200 < chars:
        background += "\n民营科技企业融资需求具有小额、高频、急用的特点，现有金融产品与之匹配度不高，融资成本偏高，制约了研发投入。"
    return background + "为此，提出以下建议：" + tail.rstrip() + "\n" + "\n".join(MORE)


def time_drafting(index: Path) -> None:
    from assistant.service import Assistant
    from assistant.settings import Settings

    if not (index / "store.db").exists():
        print(f"(no index at {index}: run `make eval` first to time drafting)")
        return
    assistant = Assistant(Settings(index_dir=index, _env_file=None))
    text = long_proposal()
    assistant.draft(text, use_llm=False)  # warm: model and index loaded
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        draft = assistant.draft(text, use_llm=False)
        runs.append(time.perf_counter() - started)
    runs.sort()
    print(
        f"draft of a {len(text):,}-character proposal with {len(draft.proposal['suggestions'])} suggestions over "
        f"{assistant.stats()['chunks']:,} chunks: median {runs[2]:.2f} s, worst {runs[-1]:.2f} s (warm, 5 runs)\n"
    )


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, default=Path("bench/.cache/dev-index"))
    args = parser.parse_args()
    print(describe())
    time_drafting(args.index)
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
