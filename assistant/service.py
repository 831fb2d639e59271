"""``Assistant``: the one door the CLI and the web app call. It prints nothing and renders nothing.

It is composed of four services, each built with its dependencies as constructor arguments and
testable alone: ``CorpusService`` (ingest, uploads, documents, index health), ``SearchService``
(search, the LangChain retriever, evaluation, vocabulary), ``LetterService`` (parse, draft, lint,
review, export) and ``DraftsService`` (saved drafts, who may open them, Word import into a draft).
The corpus and the drafts database are opened on first use (``Lazy``), so ``lint`` or ``export`` of
a Markdown file never opens the index. Each method of the door is named below once, with the
service that answers it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Concatenate, Generic, ParamSpec, TypeVar

from .cases.service import CasesService
from .corpus.service import CorpusService
from .drafts.service import DraftsService
from .lazy import Lazy
from .letter.service import LetterService
from .search.service import SearchService
from .settings import Settings, get_settings

if TYPE_CHECKING:  # pragma: no cover: the index (numpy, FAISS) is imported when it is first opened
    from .corpus.embeddings import Embedder
    from .corpus.index import Corpus

P = ParamSpec("P")
R = TypeVar("R")


class _Door(Generic[P, R]):
    """``Assistant.search`` is ``Assistant.searching.search``: the method of one service, with its signature."""

    def __init__(self, service: str, method: Callable[Concatenate[Any, P], R]):
        self.service, self.name, self.method = service, method.__name__, method

    def __get__(self, assistant: "Assistant | None", owner: type | None = None) -> Callable[P, R]:
        if assistant is None:  # on the class: the service's function, so help(), inspect and patching see it
            return self.method  # type: ignore[return-value]
        return getattr(getattr(assistant, self.service), self.name)


class Assistant:
    def __init__(self, settings: Settings | None = None, embedder: "Embedder | None" = None, operator: bool = False):
        """``operator``: the command line on the server, which sees and manages every draft and case (the web
        app never is one: each of its calls names the logged-in user)."""
        self.settings = settings or get_settings()
        if self.settings.synonyms_file is not None:
            from .search.thesaurus import load_thesaurus

            load_thesaurus(self.settings.synonyms_file)  # a missing or malformed file is said at start, not at every search
        if self.settings.places_file is not None:
            from .search.places import load_places

            load_places(self.settings.places_file)  # the same for the places file
        self._corpus: "Lazy[Corpus]" = Lazy(lambda: self._open_corpus(embedder))
        self._book = Lazy(self._open_book)
        audit = lambda *args, **kwargs: self.drafts.audit(*args, **kwargs)  # noqa: E731 (opens the book only to write)
        self.corpus_service = CorpusService(self.settings, self._corpus, audit)
        self.searching = SearchService(self.settings, self._corpus)
        self.letters = LetterService(self.settings, self._corpus, audit)
        self.drafts_service = DraftsService(self.settings, self._book, self.letters, self._corpus, operator)
        self.cases_service = CasesService(self.settings, self._book, self.letters, self.corpus_service, self.drafts_service)

    def _open_corpus(self, embedder: "Embedder | None") -> "Corpus":
        from .corpus.index import Corpus

        return Corpus(self.settings, embedder)

    def _open_book(self):
        from .drafts.book import open_book

        # drafts.db, or PostgreSQL when database_url is set (login users too)
        book = open_book(self.settings.database_url or self.settings.drafts_path)
        book.timezone = self.settings.timezone
        return book

    @property
    def corpus(self) -> "Corpus":
        return self._corpus()

    @property
    def drafts(self):
        return self._book()

    @property
    def uploads(self):
        return self.corpus_service.uploads

    # -- the corpus ---------------------------------------------------------------------
    ingest = _Door("corpus_service", CorpusService.ingest)
    remove = _Door("corpus_service", CorpusService.remove)
    files_under = _Door("corpus_service", CorpusService.files_under)
    documents = _Door("corpus_service", CorpusService.documents)
    document = _Door("corpus_service", CorpusService.document)
    stats = _Door("corpus_service", CorpusService.stats)
    unindexed_files = _Door("corpus_service", CorpusService.unindexed_files)
    reindex = _Door("corpus_service", CorpusService.reindex)
    migrate_index = _Door("corpus_service", CorpusService.migrate_index)
    upload = _Door("corpus_service", CorpusService.upload)
    tidy_uploads = _Door("corpus_service", CorpusService.tidy_uploads)
    upload_job = _Door("corpus_service", CorpusService.upload_job)
    cancel_upload = _Door("corpus_service", CorpusService.cancel_upload)
    remove_document = _Door("corpus_service", CorpusService.remove_document)
    # -- search -------------------------------------------------------------------------
    search = _Door("searching", SearchService.search)
    retriever = _Door("searching", SearchService.retriever)
    evaluate = _Door("searching", SearchService.evaluate)
    vocabulary = _Door("searching", SearchService.vocabulary)
    # -- letters ------------------------------------------------------------------------
    parse_proposal = _Door("letters", LetterService.parse_proposal)
    proposal_from_fields = _Door("letters", LetterService.proposal_from_fields)
    check_reading = _Door("letters", LetterService.check_reading)
    complete_reading = _Door("letters", LetterService.complete_reading)
    appraisals = _Door("letters", LetterService.appraisals)
    draft = _Door("letters", LetterService.draft)
    lint = _Door("letters", LetterService.lint)
    handling_class = _Door("letters", LetterService.handling_class)
    review = _Door("letters", LetterService.review)
    review_file = _Door("letters", LetterService.review_file)
    load_draft = _Door("letters", LetterService.load_draft)
    export = _Door("letters", LetterService.export)
    write_docx = _Door("letters", LetterService.write_docx)
    # -- saved drafts -------------------------------------------------------------------
    start_draft = _Door("drafts_service", DraftsService.start_draft)
    user_source = _Door("drafts_service", DraftsService.user_source)
    login_required = _Door("drafts_service", DraftsService.login_required)
    list_drafts = _Door("drafts_service", DraftsService.list_drafts)
    get_draft = _Door("drafts_service", DraftsService.get_draft)
    draft_versions = _Door("drafts_service", DraftsService.draft_versions)
    diff_versions = _Door("drafts_service", DraftsService.diff_versions)
    autosave_draft = _Door("drafts_service", DraftsService.autosave_draft)
    save_draft = _Door("drafts_service", DraftsService.save_draft)
    save_alongside = _Door("drafts_service", DraftsService.save_alongside)
    set_draft_status = _Door("drafts_service", DraftsService.set_draft_status)
    share_draft = _Door("drafts_service", DraftsService.share_draft)
    delete_draft = _Door("drafts_service", DraftsService.delete_draft)
    migrate_drafts = _Door("drafts_service", DraftsService.migrate_drafts)
    edited_draft = _Door("drafts_service", DraftsService.edited_draft)
    letter_view = _Door("drafts_service", DraftsService.letter_view)
    markdown_file = _Door("drafts_service", DraftsService.markdown_file)
    editor_text = _Door("drafts_service", DraftsService.editor_text)
    export_saved = _Door("drafts_service", DraftsService.export_saved)
    review_saved = _Door("drafts_service", DraftsService.review_saved)
    insert_passage = _Door("drafts_service", DraftsService.insert_passage)
    import_docx = _Door("drafts_service", DraftsService.import_docx)
    # -- the handling season's register ----------------------------------------------------
    set_issuing_unit = _Door("cases_service", CasesService.set_issuing_unit)
    import_cases = _Door("cases_service", CasesService.import_cases)
    add_case = _Door("cases_service", CasesService.add_case)
    list_cases = _Door("cases_service", CasesService.list_cases)
    due_cases = _Door("cases_service", CasesService.due_cases)
    season_greeting = _Door("cases_service", CasesService.season_greeting)
    move_case = _Door("cases_service", CasesService.move_case)
    record_reply = _Door("cases_service", CasesService.record_reply)
    record_feedback = _Door("cases_service", CasesService.record_feedback)
    extend_case = _Door("cases_service", CasesService.extend_case)
    assign_case = _Door("cases_service", CasesService.assign_case)
    case_stats = _Door("cases_service", CasesService.case_stats)
    export_cases = _Door("cases_service", CasesService.export_cases)
    case_history = _Door("cases_service", CasesService.case_history)
    get_case = _Door("cases_service", CasesService.get_case)
    find_cases = _Door("cases_service", CasesService.find_cases)
    start_case_draft = _Door("cases_service", CasesService.start_case_draft)
    refresh_similar = _Door("cases_service", CasesService.refresh_similar)
    today = _Door("cases_service", CasesService.today)
    attach_proposal = _Door("cases_service", CasesService.attach_proposal)

    # -- both databases -----------------------------------------------------------------
    def check(self) -> list[str]:
        """Everything `check` verifies: the index (store.db, keyword rows, the vector file against the
        database) and the drafts database, each problem one line with its fix."""
        return self.corpus_service.check() + self.drafts.integrity_problems(quick=False)

    def startup_problems(self) -> list[str]:
        """The cheap part of ``check``, run before the web app starts: both databases page by page."""
        return self.corpus_service.check(quick=True) + self.drafts.integrity_problems(quick=True)

    def close(self) -> None:
        self.corpus_service.close()  # the running upload stops at its next batch, before the store closes
        self._corpus.close()
        self._book.close()
