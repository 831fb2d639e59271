"""Word vectors as a variant source for thesaurus cues: measured, not shipped (docs/benchmarks.md).

    .venv/bin/pip install gensim        # only for this measurement; not a project dependency
    .venv/bin/python bench/vector_variants.py sample OUT.tsv [--min-cos 0.8]
    .venv/bin/python bench/expansion_precision.py score OUT.tsv JUDGED.tsv

Trains word2vec (skip-gram, 100 dimensions, window 5, words seen 5 times or more) over the shared
corpora — the 3,475 laws, the 410 Zhejiang regulations and the government work reports, cut into
sentences and words as the index cuts them — then gives each cue word of data/synonyms.txt the
neighbours it and they agree on (each in the other's ten nearest, cosine ≥ ``--min-cos``, neither
inside the other). ``sample`` writes the expansions that fire only through those variants, on 200
sentences of the work reports (as bench/expansion_precision.py draws them), for a reader to mark.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from pathlib import Path

from expansion_precision import REPORTS, sentences, sources, write_sample

from assistant.corpus.text import content_words
from assistant.search.thesaurus import thesaurus_terms

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
SENTENCE_BREAK = re.compile(r"[。；！？\n]+")
NEAREST = 10


def corpus_sentences() -> list[list[str]]:
    texts = []
    with gzip.open(SHARED / "laws-scale.jsonl.gz", "rt", encoding="utf-8") as handle:
        texts += [json.loads(line)["text"] for line in handle]
    texts += [path.read_text(encoding="utf-8") for path in (SHARED / "zhejiang-local-regulations").glob("*.md")]
    texts += [json.loads(line).get("content", "") for line in REPORTS.read_text(encoding="utf-8").splitlines()]
    return [words for text in texts for part in SENTENCE_BREAK.split(text) if len(words := content_words(part)) > 2]


def vector_variants(min_cos: float) -> dict[str, frozenset[str]]:
    from gensim.models import Word2Vec  # measurement only: gensim is no dependency of the project

    vectors = Word2Vec(corpus_sentences(), vector_size=100, window=5, min_count=5, workers=2, epochs=5, sg=1, seed=21).wv
    original, corpus, *_ = sources()
    cue_words = {word for entry in original + corpus for cue in entry.cues for word in cue if len(word) >= 2}
    variants = {}
    for word in cue_words & set(vectors.key_to_index):
        near = [
            other
            for other, cos in vectors.most_similar(word, topn=NEAREST)
            if cos >= min_cos
            and len(other) >= 2
            and other not in word
            and word not in other
            and word in {w for w, _ in vectors.most_similar(other, topn=NEAREST)}
        ]
        if near:
            variants[word] = frozenset(near)
    return variants


def sample(out: Path, min_cos: float, queries: int = 200, seed: int = 21) -> None:
    original, corpus, curated, _, _ = sources()
    entries = original + corpus
    variants = vector_variants(min_cos)
    fired = []
    for query in sentences():
        exact = set(thesaurus_terms(query, entries)) | set(thesaurus_terms(query, entries, curated))
        if new := [term for term in thesaurus_terms(query, entries, variants) if term not in exact]:
            fired.append((query, new))
    random.Random(seed).shuffle(fired)
    written = write_sample(out, [(query, [("词向量", term) for term in terms]) for query, terms in fired[:queries]])
    variant_count = sum(map(len, variants.values()))
    print(f"{len(variants)} cue words with vector variants ({variant_count}); {len(fired)} sentences expand only through them; {written} rows written")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample")
    s.add_argument("out", type=Path)
    s.add_argument("--min-cos", type=float, default=0.8)
    s.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    sample(args.out, args.min_cos, args.queries)


if __name__ == "__main__":
    main()
