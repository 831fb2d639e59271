"""Calibrate drafting's cosine band for the index's embedding model (letter/compose.py COSINE_BANDS).

    .venv/bin/python bench/cosine_band.py [--index bench/.cache/dev-index]

For every suggestion of the sample proposals (examples/), the cosine between the suggestion and
each reusable unit of the seed letters, split by the hand labels of examples/relevant-precedents.json
(units a 承办人 would accept for that suggestion, by a distinctive phrase) into accepted and not.
Prints the percentiles of both and the band they suggest: its low end where unrelated units sit
(their median), its high end where only accepted ones lie (the lowest cosine above which at least
90 % of units are accepted; the 'meaning is close' gate of drafting).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from assistant.service import Assistant
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, default=ROOT / "bench" / ".cache" / "dev-index")
    args = parser.parse_args()
    labels = json.loads((ROOT / "examples" / "relevant-precedents.json").read_text(encoding="utf-8"))
    assistant = Assistant(Settings(index_dir=args.index))
    store = assistant.corpus.store
    units = [u for u in store.units_of_chunks(store.chunk_ids(), roles=("成效", "举措", "计划")) if u.doc_type == "reply"]
    accepted, other = [], []
    for name, per_suggestion in labels.items():
        if name.startswith("_"):
            continue
        proposal = assistant.parse_proposal((ROOT / "examples" / name).read_text(encoding="utf-8"))
        for number, phrases in per_suggestion.items():
            index = int(number) - 1
            if index >= len(proposal.suggestions):
                continue
            vector = assistant.corpus.embed_query(proposal.search_text(index))
            for unit in units:
                if unit.vector is None:
                    continue
                cosine = float(unit.vector @ vector)
                (accepted if any(p in unit.text for p in phrases) else other).append(cosine)
    accepted_a, other_a = np.array(accepted), np.array(other)
    model = assistant.corpus.indexed_model
    print(f"model {model}: {len(accepted)} accepted pairs, {len(other)} others")
    for label, values in (("accepted", accepted_a), ("others", other_a)):
        print(
            f"  {label:9s} p10 {np.percentile(values, 10):.3f} · p50 {np.percentile(values, 50):.3f} · "
            f"p90 {np.percentile(values, 90):.3f} · max {values.max():.3f}"
        )
    both = np.concatenate([accepted_a, other_a])
    is_accepted = np.concatenate([np.ones(len(accepted_a)), np.zeros(len(other_a))])
    high = next((c for c in np.sort(both) if is_accepted[both >= c].mean() >= 0.9), float(both.max()))
    print(f"suggested band: ({np.percentile(other_a, 50):.2f}, {high:.2f})")


if __name__ == "__main__":
    main()
