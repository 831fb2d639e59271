"""Learn the second reading (assistant/letter/ask_reader.py) from the labelled proposals in bench/eval.

    .venv/bin/python bench/train_ask_reader.py [--hold-out SET ...] [--loso] [--out assistant/data/ask-reader.json]

Every parse set (parse-*/labels.json: per proposal, a short exact substring of each suggestion) and
every blind batch whose labels quote each suggestion's text (blind-*/proposals/labels.json, ``text``)
gives units labelled 1 where a suggestion starts and 0 elsewhere. A logistic model (sklearn, L2) is
fitted over the units' features; features weighing less than ``--prune`` are dropped so the file
stays small. The sets named by ``--hold-out`` (by default the newest parse set and the two newest blind batches — the
one a round reports and the one written for the next —, never read: they measure the check,
bench/reading_check.py) are left out. ``--loso`` also prints, leaving each set out in turn, how many
proposals the learned reading alone places right against the rules (which were tuned on these sets).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from parse_check import placed, reading_texts  # bench/parse_check.py

from assistant.learned import Gate
from assistant.letter.ask_reader import AskReader, Unit, body_paragraphs, unit_features, units_of
from assistant.letter.proposal import parse_proposal

EVAL = Path(__file__).resolve().parent / "eval"


def labelled_sets(root: Path = EVAL) -> list[tuple[str, str, str, list[str]]]:
    """(set, file name, text, each suggestion's quoted text) over the parse sets and the blind batches that quote them."""
    found = []
    for folder in sorted(root.glob("parse-*")):
        for name, label in sorted(json.loads((folder / "labels.json").read_text(encoding="utf-8")).items()):
            found.append((folder.name, name, (folder / name).read_text(encoding="utf-8"), list(label["suggestions"])))
    for folder in sorted(root.glob("blind-*/proposals")):
        for name, label in sorted(json.loads((folder / "labels.json").read_text(encoding="utf-8")).items()):
            if all("text" in s for s in label["suggestions"]):
                found.append((folder.parent.name, name, (folder / name).read_text(encoding="utf-8"), [s["text"] for s in label["suggestions"]]))
    return found


def newest_sets(root: Path = EVAL) -> list[str]:
    """The newest parse set and the two newest blind batches (parse-z < parse-aa: by length, then name)."""

    def in_order(pattern: str) -> list[str]:
        return sorted((p.name for p in root.glob(pattern)), key=lambda name: (len(name), name))

    return [*in_order("parse-*")[-1:], *in_order("blind-*")[-2:]]


def unit_labels(text: str, units: list[Unit], paragraphs: list[str], wanted: list[str]) -> list[int]:
    """1 for each unit where a wanted suggestion's quoted text starts."""
    starts, offset = [], 0
    for n, paragraph in enumerate(paragraphs):
        at = text.find(paragraph, offset)
        offset = at if at >= 0 else offset
        position = 0
        for unit in (u for u in units if u.paragraph == n):
            position = paragraph.find(unit.text, position)
            starts.append((at + position, len(unit.text)) if at >= 0 else (-1, 0))
            position += len(unit.text)
    labels = [0] * len(units)
    body = text.find(paragraphs[0]) if paragraphs else 0  # a quote the title also holds is the body's
    for want in wanted:
        where = text.find(want, max(body, 0))
        for k, (start, length) in enumerate(starts):
            if start <= where < start + length:
                labels[k] = 1
    return labels


def examples(found):
    out = []
    for group, name, text, wanted in found:
        proposal = parse_proposal(text)
        paragraphs = body_paragraphs(text, proposal.title)
        units = units_of(paragraphs)
        labels = unit_labels(text, units, paragraphs, wanted)
        out.append(dict(group=group, name=name, units=units, wanted=wanted, y=labels, x=unit_features(units), rules=proposal))
    return out


def fit(rows, c: float):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([f for r in rows for f in r["x"]])
    model = LogisticRegression(C=c, max_iter=3000).fit(x, [v for r in rows for v in r["y"]])
    return dict(zip(vectorizer.get_feature_names_out(), model.coef_[0])), float(model.intercept_[0])


def learned_reading(units: list[Unit], probabilities: list[float]) -> list[str]:
    """The suggestions the learned reading alone would give: each unit at p ≥ 0.5 with the rest of its paragraph up to the next."""
    asks = [k for k, p in enumerate(probabilities) if p >= 0.5]
    texts = []
    for i, k in enumerate(asks):
        end = asks[i + 1] if i + 1 < len(asks) else len(units)
        texts.append("".join(u.text for u in units[k:end] if u.paragraph == units[k].paragraph))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hold-out", nargs="*", default=newest_sets(), help="sets left out (default: the newest, never read)")
    parser.add_argument("--c", type=float, default=1.0)
    parser.add_argument("--prune", type=float, default=0.05, help="drop features whose weight is smaller than this")
    parser.add_argument("--missed-at", type=float, default=0.6)
    parser.add_argument("--doubtful-at", type=float, default=0.02)
    parser.add_argument("--loso", action="store_true")
    parser.add_argument("--out", type=Path, default=Path("assistant/data/ask-reader.json"))
    args = parser.parse_args()
    rows = [r for r in examples(labelled_sets()) if r["group"] not in set(args.hold_out)]
    groups = sorted({r["group"] for r in rows})
    print(f"{len(rows)} proposals, {sum(len(r['y']) for r in rows)} units, {sum(sum(r['y']) for r in rows)} where a suggestion starts, from {len(groups)} sets")
    if args.loso:
        total_rules = total_learned = 0
        print("| left out | proposals | rules place | learned reading places |\n|---|---:|---:|---:|")
        for group in groups:
            weights, bias = fit([r for r in rows if r["group"] != group], args.c)
            gate = Gate(weights, bias)
            held = [r for r in rows if r["group"] == group]
            rules = sum(placed(reading_texts(r["rules"]), r["wanted"]) for r in held)
            learned = sum(placed(learned_reading(r["units"], [gate.probability(f) for f in r["x"]]), r["wanted"]) for r in held)
            total_rules, total_learned = total_rules + rules, total_learned + learned
            print(f"| {group} | {len(held)} | {rules} | {learned} |")
        print(f"| all | {len(rows)} | {total_rules} | {total_learned} |")
    weights, bias = fit(rows, args.c)
    kept = {name: round(float(w), 4) for name, w in sorted(weights.items()) if abs(w) >= args.prune}
    reader = AskReader(Gate(kept, round(bias, 4)), args.missed_at, args.doubtful_at, trained_on=groups)
    reader.save(args.out)
    print(f"wrote {args.out}: {len(kept)} of {len(weights)} features (|weight| ≥ {args.prune})", file=sys.stderr)


if __name__ == "__main__":
    main()
