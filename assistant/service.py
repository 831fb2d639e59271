"""``Assistant``: the one object the CLI and the UI call. It owns the corpus and hands out
search, ingest and evaluation; it prints nothing and renders nothing."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Iterable, Iterator

from .corpus.index import Corpus
from .corpus.embeddings import Embedder
from .corpus.ingest import IngestEvent, Ingestor, remove
from .search.retrieval import Retriever, SearchResponse, langchain_retriever
from .settings import Settings, get_settings


class Assistant:
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

    # -- corpus ---------------------------------------------------------------------------
    def ingest(self, paths: Iterable[Path | str], doc_type: str | None = None) -> Iterator[IngestEvent]:
        return Ingestor(self.corpus).run([Path(p) for p in paths], doc_type)

    def remove(self, path: str) -> list[str]:
        """Remove every document ingested from ``path``, a file or a whole folder (the CLI, after
        listing ``files_under(path)``); the web app removes one document with ``remove_document``."""
        return remove(self.corpus, path)

    def files_under(self, path: str) -> list[str]:
        """The indexed files ``remove(path)`` would delete."""
        import os

        return self.corpus.store.find_files(os.path.normpath(path))

    def documents(self) -> list[dict]:
        return self.corpus.store.list_documents()

    def document(self, source: str) -> dict | None:
        return self.corpus.store.get_document(source)

    def stats(self) -> dict:
        corpus = self.corpus
        return {
            **corpus.store.counts(),
            "units": corpus.store.role_counts(),
            "embedding_model": corpus.indexed_model or self.settings.embedding_model,
            "index_dir": str(self.settings.index_dir),
            "generation": corpus.store.generation,
        }

    def check(self) -> list[str]:
        return self.corpus.check()

    def reindex(self, re_embed: bool = False) -> Iterator[tuple[int, int]]:
        return self.corpus.reindex(re_embed)

    # -- search ---------------------------------------------------------------------------
    def search(self, query: str, k: int | None = None, doc_type: str | None = None, mode: str = "hybrid",
               year_from: int | None = None, year_to: int | None = None, unit: str | None = None,
               role: str | None = None, show_all: bool = False) -> SearchResponse:
        """Precedents for a query; passages below the relevance floor are left out (and counted
        in ``hidden``) unless ``show_all``."""
        return Retriever(self.corpus).search(query, k=k, doc_type=doc_type, mode=mode, year_from=year_from,
                                             year_to=year_to, unit=unit, role=role, show_all=show_all)

    def retriever(self, k: int = 5, doc_type: str | None = None):
        """The search as a LangChain ``BaseRetriever``."""
        return langchain_retriever(self, k=k, doc_type=doc_type)

    def evaluate(self, path: Path, k: int = 5) -> dict:
        from .search.evaluation import evaluate, load_queries

        return evaluate(Retriever(self.corpus), load_queries(path), k=k)

    # -- drafting -------------------------------------------------------------------------
    def parse_proposal(self, text: str = "", path: Path | None = None):
        """A ``Proposal`` from pasted text, or from a .txt/.md/.docx file when ``path`` is given."""
        from .letter.proposal import load_proposal, parse_proposal

        return load_proposal(Path(path)) if path else parse_proposal(text)

    def proposal_from_fields(self, text: str, *, title="", number="", session="", proposers="", role="", kind="",
                             suggestions=""):
        """The proposal as a person confirmed it in the form: their fields win over what was parsed;
        a suggestion they kept keeps its parsed details (searched for precedents)."""
        from .errors import QueryError
        from .letter.proposal import Proposal

        if not (text or "").strip():
            raise QueryError("请先粘贴或上传提案内容", "paste or upload the proposal first")
        parsed = self.parse_proposal(text)
        leads = [s.strip() for s in (suggestions or "").split("\n") if s.strip()]
        details = [parsed.details[parsed.suggestions.index(s)] if s in parsed.suggestions else s for s in leads]
        digits = re.sub(r"\D", "", str(number or ""))
        return Proposal(text=text, title=(title or "").strip(), number=int(digits) if digits else None,
                        session=(session or "").strip(), proposers=[p for p in re.split(r"[、，,\s]+", proposers or "") if p],
                        role=role or "", kind=kind or "", suggestions=leads, details=details)

    def appraisals(self) -> list[str]:
        """The appraisal templates a draft can open with (files in prompts/letter/appraisal)."""
        from .letter.compose import Templates

        return Templates(self.settings.prompts_dir).appraisals()

    def draft(self, proposal, appraisal: str | None = None, use_llm: bool | None = None, chat_model=None):
        """A cited 答复函 skeleton for a parsed ``Proposal`` (or its raw text).

        With an LLM endpoint configured (or ``chat_model`` given) and ``use_llm`` not False,
        sections are rewritten by the model under the citation/number guard in ``llm.py``."""
        from .letter.compose import Drafter
        from .letter.proposal import Proposal, parse_proposal

        if not isinstance(proposal, Proposal):
            proposal = parse_proposal(str(proposal))
        _ = self.corpus.vectors  # loaded (or rebuilt) now, so its notice lands on this draft
        notices = self.corpus.take_notices()
        drafter = Drafter(Retriever(self.corpus), self.settings)
        draft = drafter.draft(proposal, appraisal=appraisal)
        draft.warnings += notices
        if self.corpus.store.counts()["reply"] and not self.corpus.store.role_counts():
            draft.warnings.append("索引建于先例单元之前，草稿只能给出占位：请重新导入语料（reply-assistant ingest corpus）/ "
                                  "the index predates precedent units: ingest the corpus again to draft from them")
        if use_llm is not False:
            from .letter.llm import SectionRewriter, make_chat_model

            model = chat_model or make_chat_model(self.settings)
            if model is not None:
                draft = SectionRewriter(model, self.settings.prompts_dir).rewrite(draft, proposal.text)
        return draft

    def lint(self, text: str):
        from .letter.lint import lint_text

        return lint_text(text)

    # -- review ---------------------------------------------------------------------------
    def handling_class(self, code: str | None) -> str | None:
        """A handling-class code as configured (``handling_classes``), None for none; an unknown
        code is a bilingual error."""
        from .letter.review import check_class_code

        return check_class_code(code, self.settings.handling_class_names)

    def review(self, draft, proposal=None, handling_class: str | None = None, markdown: str | None = None, today=None):
        """Review a Draft before it is sent (``assistant/review.py``): coverage of the proposal's
        suggestions, 空泛 paragraphs, text repeated from earlier replies, stale figures, earlier
        promises not followed up, and the handling class. ``proposal``: a ``Proposal`` or its dict,
        else the draft's own; ``handling_class``: else the draft's; ``markdown``: the text the line
        numbers refer to. Earlier replies and their promises are read from the index here."""
        from .letter.proposal import Proposal
        from .letter.review import load_stock_phrases, review_draft

        code = self.handling_class(handling_class or draft.handling_class)
        if isinstance(proposal, Proposal):
            proposal = proposal.to_dict()
        proposal = proposal or draft.proposal or {}
        suggestions = list(proposal.get("suggestions") or []) if proposal else None
        letters, promises = self._earlier_replies(draft, proposal)
        return review_draft(draft, markdown=markdown, suggestions=suggestions, handling_class=code,
                            class_names=self.settings.handling_class_names, letters=letters, promises=promises,
                            stock_phrases=load_stock_phrases(self.settings.stock_phrases_file), today=today)

    def review_file(self, path: Path, proposal_path: Path | None = None, handling_class: str | None = None):
        """Review a draft file: ``draft --json`` output, an edited Markdown draft, a plain letter
        (one paragraph a line), or a Word letter (.docx, read by the importer as ``import`` does);
        line numbers refer to the Markdown form (the file itself, or the JSON or .docx rendered as
        Markdown). ``proposal_path``: the proposal, parsed like ``draft`` does."""
        from .corpus.loaders import decode_bytes
        from .errors import QueryError
        from .letter.markdown import markdown_to_draft
        from .letter.review import letter_blocks

        path = Path(path)
        proposal = self.parse_proposal(path=proposal_path) if proposal_path else None
        if path.suffix.lower() == ".json":
            return self.review(self.load_draft(path), proposal=proposal, handling_class=handling_class)
        if path.suffix.lower() == ".docx":
            from .letter.word_import import import_docx

            letter = import_docx(path, class_codes=self.settings.handling_class_names)
            return self.review(letter.draft, proposal=proposal, handling_class=handling_class, markdown=letter.markdown)
        try:
            raw = decode_bytes(path.read_bytes(), path.name)
        except OSError as exc:
            raise QueryError(f"无法读取草稿 {path}（{exc.strerror}）", f"cannot read draft {path} ({exc.strerror})") from exc
        return self.review(markdown_to_draft(letter_blocks(raw)), proposal=proposal, handling_class=handling_class, markdown=raw)

    def review_saved(self, draft_id: int, text: str, user: str = "", handling_class: str | None = None):
        """Review the edited text of a saved draft (the web app's 审核), against its own proposal."""
        return self.review(self.edited_draft(draft_id, text, user), handling_class=handling_class or None, markdown=text)

    def _earlier_replies(self, draft, proposal: dict):
        """(earlier letters, promises): the index's replies dated before this letter (not the letter
        itself), each marked 同一提案人 / 同一主题; the 计划 units of those to the same proposer, and
        of those on the same topic that answer one of the suggestions."""
        from datetime import date as Date

        from .letter.compose import Relevance
        from .letter.review import EarlierLetter, Promise, doc_number_of, letter_date

        store = self.corpus.store
        own_number = doc_number_of(draft)
        day = letter_date(draft) or Date.today()
        proposers = set(proposal.get("proposers") or [])
        suggestions = list(proposal.get("suggestions") or [])
        details = list(proposal.get("details") or [])
        if suggestions:
            topics = [(s, details[i] if i < len(details) and details[i] != s else "") for i, s in enumerate(suggestions)]
        else:  # no proposal: what the letter's opening says it answers
            opening = next((p.text for p in draft.paragraphs if p.role == "opening"), "")
            topics = [(opening, "")] if opening else []
        retriever = Retriever(self.corpus)
        on_topic: set[str] = set()
        for lead, detail in topics:
            response = retriever.search(f"{lead} {detail}".strip()[:2000], k=10, doc_type="reply", show_all=False)
            on_topic |= {r.source for r in response.results}
        relevance = [Relevance(store, lead, detail, None, self.settings) for lead, detail in topics]
        letters, promises = [], []
        for row in store.reply_letters():
            meta = row["metadata"]
            number = meta.get("doc_number") or ""
            if own_number and number == own_number:
                continue  # the letter itself, already in the index
            dated = meta.get("date")
            if dated and dated > day.isoformat():
                continue  # written after this letter
            same_proposer = bool(proposers & set(meta.get("proposers") or []))
            relation = "同一提案人" if same_proposer else ("同一主题" if row["source"] in on_topic else "")
            body = "\n".join(u["text"] for u in row["units"]) or row["text"]
            letters.append(EarlierLetter(number, row["title"], row["source"], dated, list(meta.get("proposers") or []), body, relation))
            for unit in row["units"]:
                if unit["role"] != "计划" or not relation:
                    continue
                context = f"{unit['heading']}\n{unit['text']}"
                if same_proposer or any(r.lexical(context) >= self.settings.draft_relevance_floor for r in relevance):
                    promises.append(Promise(unit["text"], number or row["title"], dated, relation))
        return letters, promises

    # -- export ---------------------------------------------------------------------------
    def load_draft(self, path: Path, base: Path | None = None):
        """A Draft from ``draft --json`` output, or from an edited Markdown/plain-text draft
        (with ``base``, the JSON it was edited from, supplying full citation details)."""
        import json

        from .corpus.loaders import decode_bytes
        from .letter.model import Draft
        from .errors import QueryError
        from .letter.markdown import markdown_to_draft

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

    def export(self, draft, path: Path | None = None, clean: bool = False, directory: Path | None = None,
               public: bool = False) -> Path:
        """Write the Draft as a GB/T 9704 .docx; the name comes from its title and date unless given.

        ``public``: the 公开版 (no contact line, phone numbers, e-mail or ID numbers, no comments),
        named …_公开版.docx — a name given (``path``) gets the suffix too unless it already says 公开版, so a
        公开版 never overwrites the internal copy. The handling class is printed top-right of page 1 when
        settings.class_mark is on, and is kept in the file's properties either way (docx_import reads it back)."""
        from .letter.export import PUBLIC_SUFFIX, ExportOptions, export_docx, safe_filename

        target = Path(path) if path else Path(directory or ".") / safe_filename(draft, suffix=PUBLIC_SUFFIX if public else "")
        if public and PUBLIC_SUFFIX not in target.name:
            target = target.with_name(f"{target.stem}_{PUBLIC_SUFFIX}{target.suffix or '.docx'}")
        mark = (draft.handling_class or "") if self.settings.class_mark else ""
        options = ExportOptions(comments=not (clean or public), letterhead=self.settings.letterhead, class_mark=mark, public=public)
        return export_docx(draft, target, options)

    def import_docx(self, path: Path, draft_id: int | None = None, user: str = "", proposal_path: Path | None = None):
        """Read a letter edited in Word (our export or a plain .docx) back into the Markdown draft form.

        With ``draft_id`` (checked like every draft operation) the text becomes a new version of that
        saved draft, its citations matched against the draft's own. Returns the ``ImportedLetter``
        with ``version`` (the new version's number, or None) and ``findings`` (lint and review, each
        with its ``severity``: 问题 or 提示) set; review's notes are added to ``notes``.
        ``proposal_path``: the proposal to check 逐条答复 against (else the saved draft's)."""
        from .letter.word_import import import_docx
        from .letter.model import Draft
        from .letter.markdown import markdown_to_draft

        base, handling_class = None, None
        if draft_id is not None:
            saved = self._draft(draft_id, user)  # refused before anything is read or versioned
            base = Draft.model_validate(saved.base) if saved.base else None
            handling_class = markdown_to_draft(saved.working_text, base).handling_class if saved.working_text.strip() else None
        proposal = self.parse_proposal(path=proposal_path) if proposal_path else None  # a bad file: refused before versioning
        result = import_docx(path, base=base, class_codes=self.settings.handling_class_names, handling_class=handling_class)
        if draft_id is not None:
            result.version = self.drafts.save_version(int(draft_id), result.markdown, note="导入 Word", user=user)
            self.drafts.audit("import_docx", f"draft#{draft_id}", Path(path).name, user=user)
        result.findings = self._import_findings(result, proposal)
        return result

    def _import_findings(self, result, proposal=None) -> list[dict]:
        """What lint and review say about an imported letter (review against the saved draft's proposal)."""
        from .errors import AssistantError

        findings = [{"check": "格式", "line": f.line, "rule": f.rule, "message": f.message, "fix": f.fix, "severity": "问题"}
                    for f in self.lint(result.markdown)]
        try:
            report = self.review(result.draft, proposal=proposal, markdown=result.markdown)
        except AssistantError as exc:  # e.g. no index to compare with: the import stands, the review is said to be missing
            result.notes.append(f"审核未能运行 / review did not run: {exc}")
            return findings
        findings += [{"check": f"审核·{f.label}", "line": f.line, "rule": f.check, "message": f.message, "fix": f.fix,
                      "severity": f.severity} for f in report.findings]
        result.notes += report.notes  # e.g. 未检查逐条答复：没有提案
        if not self.corpus.store.counts().get("reply"):
            result.notes.append(f"索引中没有答复函（{self.settings.index_dir}），未检查重复和承诺跟进"
                                " / the index has no reply letters: copying and promises were not checked")
        result.notes.append(f"审核 / review: {report.summary()}")
        return findings

    # -- saved drafts, uploads, audit (what the web app needs) -----------------------------
    @property
    def drafts(self):
        from .drafts.book import DraftBook

        with self._lock:
            if self._drafts is None:
                self._drafts = DraftBook(self.settings.drafts_path)
            return self._drafts

    def start_draft(self, proposal, appraisal: str | None = None, user: str = "", use_llm: bool | None = None):
        """Draft a reply for a ``Proposal`` and save it; returns (draft id, Markdown, Draft)."""
        from .letter.markdown import draft_to_markdown

        draft = self.draft(proposal, appraisal=appraisal, use_llm=use_llm)
        text = draft_to_markdown(draft)
        title = next((p.text for p in draft.paragraphs if p.role == "title"), "") or proposal.title
        draft_id = self.drafts.create(title, proposal.text, draft.model_dump(), text, user=user)
        return draft_id, text, draft

    # Every operation on a saved draft names the acting user and goes through ``_draft``: the web app
    # calls these, never ``self.drafts`` directly. Without a users file (no login) everything is visible.
    def _roles(self) -> tuple[set[str], dict[str, set[str]]]:
        """Admins and groups from the users file, read again when it changes (add-user while serving)."""
        from .users import load_roles

        path = self.settings.users_file
        try:
            stat = Path(path).stat()
            key = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            key = None  # load_roles says what is wrong
        with self._lock:
            if key is None or self._roles_cache is None or self._roles_cache[0] != key:
                self._roles_cache = (key, load_roles(path))
            return self._roles_cache[1]

    def _scope(self, user: str) -> set[str] | None:
        """None when ``user`` sees every draft; else the grantees that open a draft to them."""
        from .drafts.book import GROUP_PREFIX

        if self.settings.users_file is None:
            return None  # no login: one desk, everything visible as before
        if not user:
            return set()  # login is on, so a call without a user is nobody's
        admins, groups = self._roles()
        if self.settings.drafts_access == "shared" or user in admins:
            return None
        return {user} | {GROUP_PREFIX + g for g, members in groups.items() if user in members}

    def _draft(self, draft_id: int, user: str, manage: bool = False):
        """The saved draft if ``user`` may open it (with ``manage``: share or delete it, owner or admin
        only). A missing draft and a refused one get the same answer, so ids cannot be probed."""
        from .errors import QueryError

        refused = QueryError(f"无权访问草稿 #{draft_id}", f"no access to draft #{draft_id}")
        try:
            saved = self.drafts.get(int(draft_id))
        except QueryError:
            raise refused from None
        scope = self._scope(user)
        if scope is not None and not ((user and saved.created_by == user) or scope & set(self.drafts.shares(saved.id))):
            raise refused  # (with login on, a call without a user opens nothing, drafts from before login included)
        if manage and self.settings.users_file is not None and not (saved.created_by == user or user in self._roles()[0]):
            raise QueryError(f"只有创建人或管理员可以共享或删除草稿 #{draft_id}",
                             f"only the owner or an admin may share or delete draft #{draft_id}")
        return saved

    def list_drafts(self, user: str) -> list[dict]:
        """The saved drafts ``user`` may open, newest first."""
        scope = self._scope(user)
        if scope is None:
            return self.drafts.list()
        return self.drafts.list(owner=user, grantees=scope) if user else []

    def get_draft(self, draft_id: int, user: str):
        return self._draft(draft_id, user)

    def draft_versions(self, draft_id: int, user: str) -> list[dict]:
        return self.drafts.versions(self._draft(draft_id, user).id)

    def diff_versions(self, draft_id: int, old: int, new: int, user: str) -> str:
        """Two versions' differences as escaped HTML."""
        return self.drafts.diff_html(self._draft(draft_id, user).id, old, new)

    def autosave_draft(self, draft_id: int, text: str, user: str) -> bool:
        return self.drafts.autosave(self._draft(draft_id, user).id, text)

    def save_draft(self, draft_id: int, text: str, user: str, note: str = "保存") -> int:
        return self.drafts.save_version(self._draft(draft_id, user).id, text, note=note, user=user)

    def set_draft_status(self, draft_id: int, status: str, user: str) -> None:
        saved = self._draft(draft_id, user)
        self.drafts.set_status(saved.id, status)
        self.drafts.audit("status", f"draft#{saved.id}", status, user=user)

    def share_draft(self, draft_id: int, grantee: str, user: str, revoke: bool = False) -> list[str]:
        """Share a draft with a user or "group:名" (owner or admin only); returns who it is shared with."""
        from .users import load_users
        from .drafts.book import GROUP_PREFIX
        from .errors import QueryError

        saved = self._draft(draft_id, user, manage=True)
        grantee = (grantee or "").strip()
        if grantee.startswith("group："):  # typed with a full-width colon
            grantee = GROUP_PREFIX + grantee[len("group："):]
        if not grantee or grantee == GROUP_PREFIX:
            raise QueryError("请填写用户名或 group:组名", "name a user or group:NAME")
        if self.settings.users_file is not None and not revoke:
            known = (grantee[len(GROUP_PREFIX):] in self._roles()[1]) if grantee.startswith(GROUP_PREFIX) \
                else grantee in load_users(self.settings.users_file)
            if not known:
                raise QueryError(f"用户文件中没有 {grantee}", f"{grantee} is not in the users file")
        self.drafts.share(saved.id, grantee, revoke=revoke)
        self.drafts.audit("unshare" if revoke else "share", f"draft#{saved.id}", grantee, user=user)
        return self.drafts.shares(saved.id)

    def delete_draft(self, draft_id: int, user: str) -> None:
        saved = self._draft(draft_id, user, manage=True)
        self.drafts.delete(saved.id)
        self.drafts.audit("delete_draft", f"draft#{saved.id}", saved.title, user=user)

    def edited_draft(self, draft_id: int, text: str, user: str = ""):
        """The Draft a person's edited text stands for (citations from the saved base)."""
        from .letter.model import Draft
        from .letter.markdown import markdown_to_draft

        saved = self._draft(draft_id, user)
        base = Draft.model_validate(saved.base) if saved.base else None
        return markdown_to_draft(text, base)

    def export_saved(self, draft_id: int, text: str, clean: bool = False, user: str = "", directory: Path | None = None,
                     public: bool = False) -> Path:
        """Export the edited text of a saved draft: version it, audit it, mark it 已导出 (``public``: the 公开版)."""
        from .drafts import exports

        self._draft(draft_id, user)  # refused before anything is written or versioned
        draft = self.edited_draft(draft_id, text, user)
        # the user's own 0700 folder under data_dir/exports, the file 0600: never a shared /tmp
        path = exports.protect(self.export(draft, clean=clean, public=public,
                                           directory=directory or exports.new_export_dir(self.settings.data_dir, user)))
        self.drafts.save_version(draft_id, text, note="导出" + ("（公开版）" if public else "（清洁稿）" if clean else ""), user=user)
        self.drafts.set_status(draft_id, "已导出")
        self.drafts.audit("export", f"draft#{draft_id}", path.name, user=user)
        return path

    @property
    def uploads(self):
        """The background ingest queue for uploads (one job at a time)."""
        from .corpus.jobs import IngestQueue

        with self._lock:
            if self._uploads is None:
                self._uploads = IngestQueue(self._run_upload, self._finish_upload)
            return self._uploads

    def upload(self, files: Iterable[tuple[str, bytes]], user: str = ""):
        """Store uploads (checked by content, safe names) under corpus_dir/uploads and queue their
        ingest; returns the ``IngestJob`` at once (``upload_job`` polls it, ``cancel_upload`` stops it)."""
        from .errors import LoadError
        from .corpus.jobs import UploadedFile
        from .corpus.uploads import store_upload

        folder = Path(self.settings.corpus_dir) / "uploads"
        entries: list[UploadedFile] = []
        for name, data in files:
            try:
                path, existed = store_upload(data, name, folder, int(self.settings.upload_max_mb * 2**20))
            except LoadError as exc:
                entries.append(UploadedFile(name, None, status="error", message=str(exc)))
                continue
            entries.append(UploadedFile(name, path, new=not existed))
        stored = [e.path.name for e in entries if e.path is not None]
        if stored:
            self.drafts.audit("upload", ", ".join(stored), user=user)
        return self.uploads.submit(user, entries)

    def upload_job(self, job_id: int, user: str = ""):
        """An upload job of this user (the page polls it for progress)."""
        from .errors import QueryError

        job = self.uploads.get(int(job_id))
        if job is None or job.user != user:
            raise QueryError(f"导入任务 #{job_id} 不存在", f"upload job #{job_id} does not exist")
        return job

    def cancel_upload(self, job_id: int, user: str = ""):
        job = self.upload_job(job_id, user)
        self.uploads.cancel(job.id)
        if job.active:
            self.drafts.audit("cancel_upload", f"job#{job.id}", user=user)
        return job

    def _run_upload(self, job):
        paths = [f.path for f in job.files if f.status == "queued"]
        # an upload is bounded as a whole too: a .jsonl of many documents each under the cap
        return Ingestor(self.corpus, cancel=job.cancel, max_file_chars=self.settings.upload_max_chars).run(paths)

    def _finish_upload(self, job) -> None:
        """Files that are not in the index (refused, failed, cancelled) leave the uploads folder:
        nothing would list or remove them there, and the next ingest of the corpus would retry them."""
        for entry in job.files:
            if entry.path is not None and entry.new and entry.status in ("error", "cancelled"):
                entry.path.unlink(missing_ok=True)

    def remove_document(self, source: str | int, user: str = "") -> list[str]:
        """Remove one document listed by ``documents()``, named by its source or its id (a .jsonl
        line removes its whole file); never a folder or a path prefix, whatever a web call sends.
        An uploaded file is deleted from corpus_dir/uploads too, so the next ingest of the corpus
        does not bring it back."""
        import os

        from .errors import QueryError

        wanted = str(source).strip()
        listed = self.documents()
        document = next((d for d in listed if d["source"] == wanted), None) or next(
            (d for d in listed if wanted.isdigit() and d["id"] == int(wanted)), None)
        path = os.path.normpath(re.sub(r"#L\d+$", "", document["source"])) if document else ""
        # the document's own file, and nothing that find_files would take under it as a folder
        if not document or self.files_under(path) != [path]:
            raise QueryError("文档不在索引中（只能删除列表中的一份文档）", "not in the index (only one listed document can be removed)")
        removed = self.remove(path)
        uploads = (Path(self.settings.corpus_dir) / "uploads").resolve()
        for key in removed:
            if Path(key).resolve().parent == uploads:
                Path(key).unlink(missing_ok=True)
        if removed:
            self.drafts.audit("delete_document", source, user=user)
        return removed

    def insert_passage(self, draft_id: int, text: str, chunk_id: int, user: str = "") -> str:
        """Append a corpus passage to a saved draft's text with a citation marker, and record
        the citation in the draft's base so export keeps it."""
        from .letter.model import Citation, Draft
        from .errors import QueryError
        from .letter.markdown import SOURCES_RULE

        self._draft(draft_id, user)
        rows = self.corpus.store.get_chunks([chunk_id])
        if chunk_id not in rows:
            raise QueryError(f"段落#{chunk_id} 不存在", f"passage {chunk_id} does not exist")
        row = rows[chunk_id]
        chosen: list[Citation] = []

        def add_citation(saved_base: dict) -> dict:
            base = Draft.model_validate(saved_base) if saved_base else Draft(proposal={}, paragraphs=[])
            citation = next((c for c in base.citations if c.chunk_id == chunk_id), None)
            if citation is None:
                numbers = [int(c.id[1:]) for c in base.citations if c.id[1:].isdigit()]
                numbers += [int(n) for n in re.findall(r"\[\^c(\d+)\]", text)]
                citation = Citation(id=f"c{max(numbers, default=0) + 1}", chunk_id=chunk_id, source=row.source, title=row.title,
                                    doc_type=row.doc_type, doc_number=row.metadata.get("doc_number"), date=row.metadata.get("date"),
                                    heading=row.heading, excerpt=row.text[:300])
                base.citations.append(citation)
            chosen.append(citation)
            return base.model_dump(mode="json")

        self.drafts.update_base(int(draft_id), add_citation)
        citation = chosen[-1]
        passage = f"{row.text.replace(chr(10), '')} [^{citation.id}]"
        head, rule, tail = text.partition(f"\n{SOURCES_RULE}\n")
        new_text = f"{head.rstrip()}\n\n{passage}\n" + (f"\n{rule}\n{tail}" if rule else "")
        self.drafts.autosave(draft_id, new_text)
        return new_text
