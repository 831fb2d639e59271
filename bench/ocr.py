"""OCR of scanned letters: speed, character error rate, and what it costs retrieval.

    .venv/bin/python bench/ocr.py [--index bench/.cache/dev-index] [--dpi 150,200,300] [--skew 0,1.5,3]

The two seed letters are laid out as Word would (tests/corpus/archive_samples.py), printed to PDF by
LibreOffice, rendered in grey at each resolution, turned by each skew (with scanner speckle when
turned), and read back by the product's own loader. CER = edit distance / true length, whitespace
aside, punctuation counted, on the whole letter. Then retrieval: the dev index (seed letters +
410 regulations) against a copy in which the two letters are replaced by their 200 dpi scans
(skew 1.5°); the dev and paraphrase queries whose relevant passages lie in those letters.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.corpus.ingest import run_all  # noqa: E402
from assistant.corpus.loaders import load_file  # noqa: E402
from assistant.corpus.ocr import character_error_rate, engine  # noqa: E402
from assistant.search.evaluation import evaluate, load_queries  # noqa: E402
from assistant.search.retrieval import Retriever  # noqa: E402
from assistant.service import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from tests.corpus import archive_samples  # noqa: E402

SHARED = ROOT.parent / "shared"
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))


def render(folder: Path) -> dict[Path, Path]:
    """seed → its letter printed to PDF by LibreOffice."""
    out = {}
    for seed in SEEDS:
        docx = archive_samples.letter_docx(seed.read_text(encoding="utf-8"), folder / f"{seed.stem}.docx")
        out[seed] = archive_samples.convert(docx, "pdf", folder)
    return out


def accuracy(pdfs: dict[Path, Path], folder: Path, dpis: list[int], skews: list[float]) -> None:
    print("| scan | pages | CER (mean of 2 letters) | s/page | pages/min |")
    print("|---|---:|---:|---:|---:|")
    for dpi in dpis:
        images = {seed: archive_samples.page_images(pdf, dpi) for seed, pdf in pdfs.items()}
        for skew in skews:
            errors, pages, seconds = [], 0, 0.0
            for seed, pages_of_seed in images.items():
                turned = [archive_samples.scanned(i, skew=skew, noise=8 if skew else 0, seed=n) for n, i in enumerate(pages_of_seed)]
                # page images at their own resolution (a scanned PDF's pages are rendered at settings.ocr_dpi)
                files = []
                for n, image in enumerate(turned):
                    files.append(folder / f"{seed.stem}-{dpi}-{skew}-{n}.png")
                    image.save(files[-1])
                started = time.perf_counter()
                text = "\n".join(load_file(f)[0].text for f in files)
                seconds += time.perf_counter() - started
                pages += len(turned)
                errors.append(character_error_rate(seed.read_text(encoding="utf-8"), text))
            label = f"{dpi} dpi" + (f", turned {skew}°, speckled" if skew else ", straight")
            print(f"| {label} | {pages} | {sum(errors) / len(errors):.2%} | {seconds / pages:.2f} | {60 * pages / seconds:.1f} |")
    errors, seconds, pages = [], 0.0, 0
    for seed, pdf in pdfs.items():
        truth_pages = [p for p in archive_samples.page_images(pdf, 200)]
        texts = []
        for n, image in enumerate(truth_pages):
            photo = archive_samples.photo(image, folder / f"{seed.stem}-photo-{n}.jpg")
            started = time.perf_counter()
            texts.append(load_file(photo)[0].text)
            seconds += time.perf_counter() - started
            pages += 1
        errors.append(character_error_rate(seed.read_text(encoding="utf-8"), "\n".join(texts)))
    print(
        f"| phone photo (JPEG q75, turned 1.2°, uneven light) | {pages} | {sum(errors) / len(errors):.2%} "
        f"| {seconds / pages:.2f} | {60 * pages / seconds:.1f} |"
    )


def retrieval(pdfs: dict[Path, Path], folder: Path, index: Path) -> None:
    if not (index / "store.db").exists():
        print(f"\n(no index at {index}: `make eval` builds it; retrieval rows skipped)")
        return
    queries = [
        q
        for path in (SHARED / "eval" / "dev.jsonl", SHARED / "eval" / "paraphrase.jsonl")
        for q in load_queries(path)
        if any(spec["source_contains"] in {s.name for s in SEEDS} for spec in q.relevant)
    ]
    copy = folder / "index"
    shutil.copytree(index, copy)
    assistant = Assistant(Settings(index_dir=copy))
    print(f"\nRetrieval, {len(queries)} dev + paraphrase queries on the seed letters (model {assistant.stats()['embedding_model']}):")
    print("| index | success@1 | success@5 | MRR@10 |")
    print("|---|---:|---:|---:|")
    before = evaluate(Retriever(assistant.corpus), queries, k=5, modes=("hybrid",))["modes"]["hybrid"]
    print(f"| seed letters as text | {before['success@1']:.2f} | {before['success@5']:.2f} | {before['mrr@10']:.2f} |")
    names = {seed.name for seed in SEEDS}
    for document in assistant.documents():  # ingested under whatever path `make eval` gave them
        if Path(document["source"]).name in names:
            assistant.remove(document["source"])
    scans = []
    for seed, pdf in pdfs.items():
        pages = [archive_samples.scanned(i, skew=1.5, noise=8, seed=n) for n, i in enumerate(archive_samples.page_images(pdf, 200))]
        # named so the sets' source_contains ("000_….txt") still points at the letter
        scans.append(archive_samples.scanned_pdf(pages, folder / f"{seed.name}.scan.pdf"))
    report = run_all(assistant.ingest(scans))
    assert report.added == len(scans), report
    after = evaluate(Retriever(assistant.corpus), queries, k=5, modes=("hybrid",))["modes"]["hybrid"]
    print(f"| seed letters as 200 dpi scans | {after['success@1']:.2f} | {after['success@5']:.2f} | {after['mrr@10']:.2f} |")
    assistant.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, default=ROOT / "bench" / ".cache" / "dev-index")
    parser.add_argument("--dpi", default="150,200,300")
    parser.add_argument("--skew", default="0,1.5,3")
    args = parser.parse_args()
    engine()  # loaded before timing
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp:
        folder = Path(tmp)
        pdfs = render(folder)
        accuracy(pdfs, folder, [int(d) for d in args.dpi.split(",")], [float(s) for s in args.skew.split(",")])
        retrieval(pdfs, folder, args.index)


if __name__ == "__main__":
    main()
