"""Eight clients drafting, searching and saving against one server while a ninth uploads:
no errors, and every saved draft reads back with its latest text.

Runs 15 s in the suite; REPLY_ASSISTANT_SOAK_SECONDS=60 for the full soak (numbers in the notes)."""

from __future__ import annotations

import os
import random
import threading
import time

from gradio_client import Client, handle_file

from ..conftest import ROOT
from .conftest import upload_and_wait

SECONDS = float(os.environ.get("REPLY_ASSISTANT_SOAK_SECONDS", "15"))
QUERIES = ["揭榜挂帅", "双清零一提升", "科创基金", "孵化载体", "新型研发机构", "拨投联动"]


def test_concurrent_clients(app, tmp_path):
    assistant, url = app
    proposal = (ROOT / "examples" / "proposal-financing.txt").read_text(encoding="utf-8")
    deadline = time.monotonic() + SECONDS
    latencies: list[float] = []
    errors: list[str] = []
    latest: dict[int, str] = {}
    lock = threading.Lock()

    def timed(fn, *args, **kwargs):
        started = time.perf_counter()
        result = fn(*args, **kwargs)
        with lock:
            latencies.append(time.perf_counter() - started)
        return result

    def worker(number: int) -> None:
        try:
            client = Client(url, verbose=False)
            fields = timed(client.predict, proposal, None, api_name="/parse_proposal")
            iteration = 0
            while time.monotonic() < deadline:
                iteration += 1
                timed(client.predict, random.choice(QUERIES), "全部", None, None, "", 5, api_name="/search")
                draft_id, _, text, *_ = timed(client.predict, *fields[:8], "partial", api_name="/generate_draft")
                edited = text + f"\n\n客户端{number}第{iteration}次修改。"
                timed(client.predict, draft_id, edited, api_name="/autosave")
                final = edited + "（已保存）"
                timed(client.predict, draft_id, final, api_name="/save_draft")
                with lock:
                    latest[int(draft_id)] = final
        except Exception as exc:  # noqa: BLE001 - every failure is counted
            with lock:
                errors.append(f"client {number}: {exc!r}")

    def uploader() -> None:
        try:
            client = Client(url, verbose=False)
            n = 0
            while time.monotonic() < deadline:
                n += 1
                path = tmp_path / f"并发上传{n}.txt"
                path.write_text(f"第一条 并发测试文件{n}，推行揭榜挂帅机制，完善科技金融服务。", encoding="utf-8")
                results, *_ = timed(upload_and_wait, client, [handle_file(str(path))])
                if any(row[1] == "失败" for row in results["data"]):
                    raise AssertionError(results["data"])
        except Exception as exc:  # noqa: BLE001
            with lock:
                errors.append(f"uploader: {exc!r}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)] + [threading.Thread(target=uploader)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 180)
    elapsed = time.perf_counter() - started

    assert errors == []
    assert latest, "no draft was saved"
    for draft_id, text in latest.items():
        assert assistant.drafts.get(draft_id).working_text == text
        assert assistant.drafts.versions(draft_id)[-1]["note"] == "保存"
    assert assistant.check() == []
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(
        f"\nsoak: {len(latencies)} calls in {elapsed:.0f} s = {len(latencies) / elapsed:.1f} calls/s, "
        f"p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, {len(latest)} drafts saved"
    )
