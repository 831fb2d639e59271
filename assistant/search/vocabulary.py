"""The corpus's own vocabulary: the distinctive terms its documents use, and which of them the
thesaurus does not describe yet.

Proposers write in everyday words; the bureau names programmes (“双清零一提升”), instruments
(拨投联动, 科技创新券), indicators (研发机构设置率) and legal terms (离岗创业). A thesaurus entry is
how a plain description reaches such a term. ``candidate_terms`` lists the terms worth an entry:
terms quoted in reply letters, abbreviations the documents define, and the 3–10-character words
of the bureau's own regulations that are rare in the corpus as a whole (high IDF) yet used more
than once there. ``reply-assistant vocabulary`` prints them, each with a sentence it stands in,
so whoever extends data/synonyms.txt (or their own file) sees what is missing.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from ..corpus import text as segment
from ..genre.numerals import HAN
from .thesaurus import load_thesaurus

MIN_TERM_CHARS, MAX_TERM_CHARS = 3, 10
MIN_IDF = 3.0  # log(N / df): in at most ~5 % of documents
_CJK_TERM = re.compile(rf"^[{HAN}“”（）()+\-]+$")
_SENTENCES = re.compile(r"[^。；！？\n]+")


@dataclass
class Candidate:
    term: str
    origin: str  # 答复函引号 / 简称 / 本领域法规
    documents: int  # documents of the corpus using it
    example: str  # a sentence it stands in
    described: bool  # the thesaurus already has an entry naming it


def candidate_terms(store, fields: list[str], synonyms_file=None, segmenter: segment.Segmenter | None = None) -> list[Candidate]:
    documents = store.list_documents()
    texts = {d["source"]: (store.get_document(d["source"]) or {}).get("text", "") for d in documents}
    total = max(1, len(documents))
    described = {entry.term for entry in load_thesaurus(synonyms_file)}
    found: dict[str, str] = {}
    for doc in documents:
        body = texts[doc["source"]]
        if doc["doc_type"] == "reply":
            for match in segment.QUOTED_TERM.finditer(body):  # “揭榜挂帅”, not 《titles》
                term = match.group(1).strip()
                if len(term) > 2 and not term.isdigit():
                    found.setdefault(term, "答复函引号")
    for alias, *_ in store.aliases():
        found.setdefault(alias, "简称")
    own = [d for d in documents if d["doc_type"] == "policy" and any(f in d["title"] for f in fields)]
    counts: Counter[str] = Counter()
    for doc in own:
        for word in (segmenter.content_words if segmenter is not None else segment.content_words)(texts[doc["source"]]):
            if MIN_TERM_CHARS <= len(word) <= MAX_TERM_CHARS and _CJK_TERM.match(word):
                counts[word] += 1
    for word, n in counts.items():
        if n >= 2:
            found.setdefault(word, "本领域法规")
    out = []
    for term, origin in found.items():
        using = [s for s, body in texts.items() if term in body]
        if not using or (origin == "本领域法规" and math.log(total / len(using)) < MIN_IDF):
            continue
        example = next((m.group(0).strip() for m in _SENTENCES.finditer(texts[using[0]]) if term in m.group(0)), "")
        out.append(Candidate(term, origin, len(using), example[:120], term in described))
    out.sort(key=lambda c: (c.described, ("答复函引号", "简称", "本领域法规").index(c.origin), c.documents, c.term))
    return out
