"""What the letter room reads of the index, and nothing more: the precedents a draft borrows from
and a review compares with. ``search.retrieval.Retriever`` is the implementation; drafting
(``compose.Drafter``) and review only ever see this Protocol, so neither reaches into the store,
the vector file or the backend."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Protocol

if TYPE_CHECKING:  # pragma: no cover: types only, the index is not imported by the letter room
    import numpy as np

    from ..corpus.embeddings import ModelTuning
    from ..corpus.store import UnitRow
    from ..search.retrieval import SearchResponse
    from ..search.term_meaning import TermMeaning


class WordWeights(Protocol):
    def idf_weights(self, tokens: Iterable[str]) -> dict[str, float]:
        """Each word's IDF in the indexed passages (how much sharing it says)."""
        ...


class Precedents(WordWeights, Protocol):
    lean_on_dense: bool  # drafting keeps fusion weights fixed (its floors were chosen so)
    rerank: bool  # ... and fusion order (its judge was learned on candidates found so)
    field_vocabulary: bool  # ... and the thesaurus alone (its judge weighs the terms it calls for)

    @property
    def model_tuning(self) -> ModelTuning: ...

    @property
    def model_name(self) -> str:
        """The embedding model the index was built with (what learned weights are tied to)."""
        ...

    def search(
        self,
        query: str,
        k: int | None = None,
        doc_type: str | None = None,
        mode: str = "hybrid",
        year_from: int | None = None,
        year_to: int | None = None,
        unit: str | None = None,
        role: str | None = None,
        show_all: bool = True,
    ) -> SearchResponse: ...

    def tokenize(self, text: str) -> list[str]:
        """The text's words as the index cuts them (what its IDF weights are kept for)."""
        ...

    def query_vector(self, query: str) -> np.ndarray | None: ...

    def thesaurus_terms(self, query: str) -> list[str]: ...

    def field_names(self, text: str) -> list[str]:
        """The regulations' names for the fields the text's everyday words speak of (无人机 → 无人驾驶航空器)."""
        ...

    def term_meaning(self) -> TermMeaning | None: ...

    def units_of_chunks(self, chunk_ids: Iterable[int], roles: Iterable[str] | None = None) -> list[UnitRow]:
        """The precedent units that start in these passages (of these roles), in document order."""
        ...

    def known_vectors(self, ids: list[int]) -> dict[int, np.ndarray]: ...

    def holds_sentences(self) -> bool:
        """Every indexed file holds its sentences' vectors."""
        ...

    def sentence_vectors(self, unit_ids: list[int]) -> dict[int, np.ndarray]:
        """Unit id → its sentences' vectors, where the index holds them."""
        ...

    def newest_versions(self) -> dict[str, str]:
        """Each regulation's newest version (its file) where the index holds several."""
        ...

    def reply_letters(self) -> list[dict[str, Any]]:
        """Every indexed reply letter with its metadata and units (review's earlier replies)."""
        ...
