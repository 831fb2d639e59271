"""``Assistant``: the one object the CLI and the web app call. It prints nothing and renders
nothing. Its methods live in three services by what they touch — ``corpus.service.CorpusService``
(ingest, uploads, search), ``letter.service.LetterService`` (draft, review, export, import) and
``drafts.service.DraftsService`` (saved drafts and who may open them) — and share the corpus and
the draft book opened here."""

from __future__ import annotations

import threading

from .corpus.embeddings import Embedder
from .corpus.index import Corpus
from .corpus.service import CorpusService
from .drafts.service import DraftsService
from .letter.service import LetterService
from .settings import Settings, get_settings


class Assistant(CorpusService, LetterService, DraftsService):
    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None):
        self.settings = settings or get_settings()
        if self.settings.synonyms_file is not None:
            from .search.thesaurus import load_thesaurus

            load_thesaurus(self.settings.synonyms_file)  # a missing or malformed file is said at start, not at every search
        self._embedder = embedder
        self._corpus: Corpus | None = None
        self._drafts = None
        self._uploads = None
        self._roles_cache: tuple | None = None
        self._lock = threading.Lock()

    @property
    def corpus(self) -> Corpus:
        with self._lock:
            if self._corpus is None:
                self._corpus = Corpus(self.settings, self._embedder)
            return self._corpus

    def check(self) -> list[str]:
        """Everything `check` verifies: the index (store.db, keyword rows, the vector file against the
        database) and the drafts database, each problem one line with its fix."""
        return CorpusService.check(self) + self.drafts.integrity_problems(quick=False)

    def startup_problems(self) -> list[str]:
        """The cheap part of ``check``, run before the web app starts: both databases page by page."""
        return self.corpus.store.integrity_problems(quick=True) + self.drafts.integrity_problems(quick=True)

    def close(self) -> None:
        if self._uploads is not None:
            for job in self._uploads.jobs():
                job.cancel.set()
            self._uploads.close(timeout=60)  # the running job stops at its next batch: let it, before the store closes
        if self._corpus is not None:
            self._corpus.close()
            self._corpus = None
        if self._drafts is not None:
            self._drafts.close()
            self._drafts = None

    @property
    def drafts(self):
        from .drafts.book import open_book

        with self._lock:
            if self._drafts is None:  # drafts.db, or PostgreSQL when database_url is set (login users too)
                self._drafts = open_book(self.settings.database_url or self.settings.drafts_path)
            return self._drafts
