"""The search side of the one door: precedents for a query (the relevance floor, filters), the
same as a LangChain retriever, retrieval quality on a query set, and the corpus's vocabulary."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..settings import Settings

if TYPE_CHECKING:  # pragma: no cover: retrieval (numpy) is imported by the methods that search
    from ..corpus.index import Corpus
    from .retrieval import SearchResponse


class SearchService:
    def __init__(self, settings: Settings, corpus: "Callable[[], Corpus]"):
        self.settings = settings
        self._corpus = corpus

    @property
    def corpus(self) -> "Corpus":
        return self._corpus()

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
        show_all: bool = False,
    ) -> "SearchResponse":
        """Precedents for a query; passages below the relevance floor are left out (and counted
        in ``hidden``) unless ``show_all``."""
        from ..limits import check_range, check_text
        from .retrieval import Retriever

        check_text(unit, self.settings.max_field_chars, "发文单位筛选", "the unit filter")
        check_range(year_from, 1949, 2100, "起始年份", "the first year")
        check_range(year_to, 1949, 2100, "截止年份", "the last year")
        check_range(k, 1, 100, "条数", "the number of results")
        return Retriever(self.corpus).search(
            query, k=k, doc_type=doc_type, mode=mode, year_from=year_from, year_to=year_to, unit=unit, role=role, show_all=show_all
        )

    def retriever(self, k: int = 5, doc_type: str | None = None):
        """The search as a LangChain ``BaseRetriever``."""
        from .retrieval import langchain_retriever

        return langchain_retriever(self, k=k, doc_type=doc_type)

    def evaluate(self, path: Path, k: int = 5) -> dict:
        from .evaluation import evaluate, load_queries
        from .retrieval import Retriever

        return evaluate(Retriever(self.corpus), load_queries(path), k=k)

    def vocabulary(self):
        """The corpus's distinctive terms, those the thesaurus does not describe yet first."""
        from .vocabulary import candidate_terms

        return candidate_terms(self.corpus.store, self.settings.basis_field_words, self.settings.synonyms_file, self.corpus.segmenter)
