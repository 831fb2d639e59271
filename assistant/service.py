"""``Assistant``: the one object the CLI and the UI call. It owns the corpus and hands out
search, ingest and evaluation; it prints nothing and renders nothing."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterable, Iterator

from .corpus import Corpus
from .embeddings import Embedder
from .ingest import IngestEvent, Ingestor, remove
from .retrieval import Retriever, SearchResponse, langchain_retriever
from .settings import Settings, get_settings


class Assistant:
    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None):
        self.settings = settings or get_settings()
        self._embedder = embedder
        self._corpus: Corpus | None = None
        self._lock = threading.Lock()

    @property
    def corpus(self) -> Corpus:
        with self._lock:
            if self._corpus is None:
                self._corpus = Corpus(self.settings, self._embedder)
            return self._corpus

    def close(self) -> None:
        if self._corpus is not None:
            self._corpus.close()
            self._corpus = None

    # -- corpus ---------------------------------------------------------------------------
    def ingest(self, paths: Iterable[Path | str], doc_type: str | None = None) -> Iterator[IngestEvent]:
        return Ingestor(self.corpus).run([Path(p) for p in paths], doc_type)

    def remove(self, path: str) -> list[str]:
        return remove(self.corpus, path)

    def documents(self) -> list[dict]:
        return self.corpus.store.list_documents()

    def document(self, source: str) -> dict | None:
        return self.corpus.store.get_document(source)

    def stats(self) -> dict:
        corpus = self.corpus
        return {
            **corpus.store.counts(),
            "embedding_model": corpus.indexed_model or self.settings.embedding_model,
            "index_dir": str(self.settings.index_dir),
            "generation": corpus.store.generation,
        }

    def check(self) -> list[str]:
        return self.corpus.check()

    def reindex(self, re_embed: bool = False) -> Iterator[tuple[int, int]]:
        return self.corpus.reindex(re_embed)

    # -- search ---------------------------------------------------------------------------
    def search(self, query: str, k: int | None = None, doc_type: str | None = None, mode: str = "hybrid") -> SearchResponse:
        return Retriever(self.corpus).search(query, k=k, doc_type=doc_type, mode=mode)

    def retriever(self, k: int = 5, doc_type: str | None = None):
        """The search as a LangChain ``BaseRetriever``."""
        return langchain_retriever(self, k=k, doc_type=doc_type)

    def evaluate(self, path: Path, k: int = 5) -> dict:
        from .evaluation import evaluate, load_queries

        return evaluate(Retriever(self.corpus), load_queries(path), k=k)

    # -- drafting -------------------------------------------------------------------------
    def parse_proposal(self, text: str):
        from .proposal import parse_proposal

        return parse_proposal(text)

    def draft(self, proposal, appraisal: str | None = None, use_llm: bool | None = None, chat_model=None):
        """A cited 答复函 skeleton for a parsed ``Proposal`` (or its raw text).

        With an LLM endpoint configured (or ``chat_model`` given) and ``use_llm`` not False,
        sections are rewritten by the model under the citation/number guard in ``llm.py``."""
        from .drafting import Drafter
        from .proposal import Proposal, parse_proposal

        if not isinstance(proposal, Proposal):
            proposal = parse_proposal(str(proposal))
        drafter = Drafter(Retriever(self.corpus), self.settings)
        draft = drafter.draft(proposal, appraisal=appraisal)
        draft.warnings += self.corpus.notices
        if use_llm is not False:
            from .llm import SectionRewriter, make_chat_model

            model = chat_model or make_chat_model(self.settings)
            if model is not None:
                draft = SectionRewriter(model, self.settings.prompts_dir).rewrite(draft, proposal.text)
        return draft

    def lint(self, text: str):
        from .lint import lint_text

        return lint_text(text)

    # -- export ---------------------------------------------------------------------------
    def load_draft(self, path: Path, base: Path | None = None):
        """A Draft from ``draft --json`` output, or from an edited Markdown/plain-text draft
        (with ``base``, the JSON it was edited from, supplying full citation details)."""
        import json

        from .documents import decode_bytes
        from .drafting import Draft
        from .errors import QueryError
        from .markdown import markdown_to_draft

        path = Path(path)
        try:
            raw = decode_bytes(path.read_bytes(), path.name)
        except OSError as exc:
            raise QueryError(f"无法读取草稿 {path}（{exc.strerror}）", f"cannot read draft {path} ({exc.strerror})") from exc
        if path.suffix.lower() == ".json":
            try:
                return Draft.model_validate(json.loads(raw))
            except ValueError as exc:
                raise QueryError(f"草稿 JSON 格式错误：{exc}", f"malformed draft JSON: {exc}") from exc
        base_draft = self.load_draft(base) if base else None
        return markdown_to_draft(raw, base_draft)

    def export(self, draft, path: Path | None = None, clean: bool = False, directory: Path | None = None) -> Path:
        """Write the Draft as a GB/T 9704 .docx; the name comes from its title and date unless given."""
        from .export_docx import ExportOptions, export_docx, safe_filename

        target = Path(path) if path else Path(directory or ".") / safe_filename(draft)
        options = ExportOptions(comments=not clean, letterhead=self.settings.letterhead)
        return export_docx(draft, target, options)
