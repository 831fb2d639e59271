"""Precision of query expansion, per source: the share of its expansions a reader accepts.

    .venv/bin/python bench/expansion_precision.py sample OUT.tsv [--queries 200]
    .venv/bin/python bench/expansion_precision.py score OUT.tsv JUDGED.tsv

``sample`` takes sentences of the government work reports in ../shared (policy prose in the words
proposals use, never an eval query), keeps those for which some source expands, draws ``--queries``
of them at random (``--seed``, 21; ``--exclude`` an earlier sample to draw a fresh one) and writes one row per expansion: id, source, query, term. The sources:

- 原有词表: the entries of data/synonyms.txt above its 语料术语 section (written by hand before);
- 语料术语: the entries below it (the corpus's own vocabulary, described by a writer who saw only the corpus);
- 近义词表: expansions that fire only because a cue word matched a variant from data/variants.txt;
- 词林: expansions that fire only because a cue word matched a Cilin variant;
- 领域词表: the entries of data/fields.txt (everyday words → a regulation's name for its field), exact words.

``--only SOURCE`` draws only sentences that source expands, and writes only its rows.

A reader then marks each row 1 (the query is about that term: searching it helps) or 0, in a file
of ``id<TAB>verdict`` lines; ``score`` prints the precision per source.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from collections import defaultdict
from importlib import resources
from pathlib import Path

from assistant.search.thesaurus import parse_thesaurus, thesaurus_terms
from assistant.search.variants import _index, cilin_groups, parse_groups

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT.parent / "shared" / "corpora" / "government-work-reports.jsonl"
CORPUS_SECTION = "# 语料术语"
SOURCES = ("原有词表", "语料术语", "近义词表", "词林", "领域词表", "词向量")  # 词向量: bench/vector_variants.py


def sources() -> tuple[list, list, dict, dict, list]:
    text = (resources.files("assistant") / "data" / "synonyms.txt").read_text(encoding="utf-8")
    at = text.find(CORPUS_SECTION)
    before, after = (text, "") if at < 0 else (text[:at], text[at:])
    curated = _index(parse_groups((resources.files("assistant") / "data" / "variants.txt").read_text(encoding="utf-8")))
    fields = parse_thesaurus((resources.files("assistant") / "data" / "fields.txt").read_text(encoding="utf-8"))
    return parse_thesaurus(before), parse_thesaurus(after), curated, _index(cilin_groups()), fields


def sentences() -> list[str]:
    out = []
    for line in REPORTS.read_text(encoding="utf-8").splitlines():
        for sentence in re.split(r"[。；！？\n]", json.loads(line).get("content", "")):
            sentence = sentence.strip()
            if 10 <= len(sentence) <= 60:
                out.append(sentence)
    return list(dict.fromkeys(out))


def expansions(query: str, original, corpus, curated, cilin, fields) -> list[tuple[str, str]]:
    rows = [("原有词表", t) for t in thesaurus_terms(query, original)]
    rows += [("语料术语", t) for t in thesaurus_terms(query, corpus)]
    exact = {t for _, t in rows}
    entries = original + corpus
    with_curated = set(thesaurus_terms(query, entries, curated))
    rows += [("近义词表", t) for t in sorted(with_curated - exact)]
    rows += [("词林", t) for t in sorted(set(thesaurus_terms(query, entries, cilin)) - exact - with_curated)]
    rows += [("领域词表", t) for t in thesaurus_terms(query, fields) if t not in exact]
    return rows


def write_sample(out: Path, chosen: list[tuple[str, list[tuple[str, str]]]]) -> int:
    """One row per expansion (id, source, query, term) for a reader to mark; the number of rows."""
    rows = [(source, query, term) for query, expanded in chosen for source, term in expanded]
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(["id", "source", "query", "term"])
        writer.writerows([n, *row] for n, row in enumerate(rows, start=1))
    return len(rows)


def sample(out: Path, queries: int, seed: int = 21, exclude: Path | None = None, only: str | None = None) -> None:
    original, corpus, curated, cilin, fields = sources()
    seen = {row["query"] for row in csv.DictReader(exclude.open(encoding="utf-8"), delimiter="\t")} if exclude else set()
    fired = [(q, rows) for q in sentences() if q not in seen and (rows := expansions(q, original, corpus, curated, cilin, fields))]
    if only:
        fired = [(q, kept) for q, rows in fired if (kept := [row for row in rows if row[0] == only])]
    random.Random(seed).shuffle(fired)
    chosen = fired[:queries]
    n = write_sample(out, chosen)
    counts = defaultdict(int)
    for _, rows in chosen:
        for source, _ in rows:
            counts[source] += 1
    print(f"{len(fired)} sentences expand; {len(chosen)} drawn, {n} expansions: " + ", ".join(f"{s} {counts[s]}" for s in SOURCES))


def score(sampled: Path, judged: Path) -> None:
    source_of = {row["id"]: row["source"] for row in csv.DictReader(sampled.open(encoding="utf-8"), delimiter="\t")}
    verdicts = {}
    for line in judged.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[1].strip() in ("0", "1"):
            verdicts[parts[0].strip()] = int(parts[1])
    print("| source | expansions judged | accepted | precision |")
    print("|---|---:|---:|---:|")
    for source in SOURCES:
        marks = [v for i, v in verdicts.items() if source_of.get(i) == source]
        if marks:
            print(f"| {source} | {len(marks)} | {sum(marks)} | {sum(marks) / len(marks):.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample")
    s.add_argument("out", type=Path)
    s.add_argument("--queries", type=int, default=200)
    s.add_argument("--seed", type=int, default=21)
    s.add_argument("--exclude", type=Path, help="an earlier sample whose sentences are not drawn again")
    s.add_argument("--only", choices=SOURCES, help="draw only sentences this source expands; write only its rows")
    j = sub.add_parser("score")
    j.add_argument("sampled", type=Path)
    j.add_argument("judged", type=Path)
    args = parser.parse_args()
    if args.command == "sample":
        sample(args.out, args.queries, args.seed, args.exclude, args.only)
    else:
        score(args.sampled, args.judged)


if __name__ == "__main__":
    main()
