"""Search latency while a large document is being ingested (issue 13, finding 1): one Markdown table.

    .venv/bin/python bench/search_during_ingest.py [--paragraphs 1200] [--model m3e-small]

Builds a fresh index of corpus/ in a temporary folder, measures search latency idle, then again
while one long document (default ~180k characters, ~600 passages) is embedded and written in
another thread. Reported: p50 / p95 / max latency and errors, idle vs. during the ingest.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402  (bench/machine.py)

from assistant.corpus.ingest import run_all  # noqa: E402
from assistant.service import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["揭榜挂帅", "双清零一提升", "科技金融服务", "新型研发机构", "孵化载体"]
MARK = "瓯海星火专项"


def big_document(paragraphs: int) -> str:
    body = "\n\n".join(
        f"第{n}条 {MARK}第{n}批次支持科技企业开展关键核心技术攻关，" + "完善项目组织实施和资金管理办法，推动创新成果转化应用，" * 6
        for n in range(1, paragraphs + 1)
    )
    return f"# {MARK}管理办法\n\n{body}\n"


def latencies(assistant: Assistant, until) -> tuple[list[float], list[str]]:
    times, errors, n = [], [], 0
    while not until():
        query = QUERIES[n % len(QUERIES)]
        n += 1
        started = time.perf_counter()
        try:
            assistant.search(query, k=5)
        except Exception as exc:  # noqa: BLE001 - counted, not raised
            errors.append(repr(exc))
        times.append(time.perf_counter() - started)
    return times, errors


def row(label: str, times: list[float], errors: list[str]) -> str:
    times = sorted(times)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return f"| {label} | {len(times)} | {statistics.median(times) * 1000:.0f} | {p95 * 1000:.0f} | {times[-1] * 1000:.0f} | {len(errors)} |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=1200)
    parser.add_argument("--model", default="m3e-small")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        assistant = Assistant(
            Settings(index_dir=tmp / "index", data_dir=tmp / "data", embedding_model=args.model, max_document_chars=10_000_000, _env_file=None)
        )
        run_all(assistant.ingest([ROOT / "corpus"]))
        assistant.search("预热", k=1)
        idle_end = time.monotonic() + 5
        idle = latencies(assistant, lambda: time.monotonic() > idle_end)
        big = tmp / "upload" / "large.md"
        big.parent.mkdir()
        big.write_text(big_document(args.paragraphs), encoding="utf-8")
        report = {}
        worker = threading.Thread(target=lambda: report.update(r=run_all(assistant.ingest([big.parent]))))
        started = time.perf_counter()
        worker.start()
        during = latencies(assistant, lambda: not worker.is_alive())
        elapsed = time.perf_counter() - started
        assistant.close()
    print(describe() + "\n")
    print(f"ingest of {len(big_document(args.paragraphs)):,} characters → {report['r'].chunks_added} passages in {elapsed:.0f} s ({args.model})\n")
    print("| searches | n | p50 ms | p95 ms | max ms | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    print(row("idle", *idle))
    print(row("during the ingest", *during))
    for message in sorted(set(during[1]))[:3]:
        print(f"\nerror: {message[:300]}")


if __name__ == "__main__":
    main()
