"""The saved-drafts side of the one door: every operation on a saved draft names the acting user
and goes through ``_draft`` (owner, shares, groups, admins; ``drafts_access``); the web app calls
these, never the DraftBook directly. Without login (no users file, and no users in the database when
a database URL is set) everything is visible."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from ..corpus.index import Corpus
    from ..letter.service import LetterService
    from .book import Drafts


class DraftsService:
    """``book``: the drafts database (opened on first use); ``letters``: drafting, review and
    export of the letters saved here; ``corpus``: the index, for passages inserted into a draft."""

    def __init__(self, settings: Settings, book: "Callable[[], Drafts]", letters: "LetterService", corpus: "Callable[[], Corpus]", operator: bool = False):
        self.settings = settings
        # the command line on the server: its one operator sees and manages everything (the web never is one)
        self.operator = operator
        self._book = book
        self.letters = letters
        self._corpus = corpus
        self._lock = threading.Lock()
        self._roles_cache: tuple | None = None
        self._login_on: bool | None = None

    @property
    def drafts(self) -> "Drafts":
        return self._book()

    @property
    def corpus(self) -> "Corpus":
        return self._corpus()

    def start_draft(self, proposal, appraisal: str | None = None, user: str = "", use_llm: bool | None = None, lead_unit: str | None = None):
        """Draft a reply (with ``lead_unit``: a 会办意见 to it) for a ``Proposal`` and save it; returns (draft
        id, the letter's Markdown, Draft). A saved draft keeps the letter only: its sources and checks are
        rebuilt from its citations (``markdown_file`` gives the whole Markdown file)."""
        from ..letter.markdown import draft_to_markdown, letter_body

        draft = self.letters.draft(proposal, appraisal=appraisal, use_llm=use_llm, lead_unit=lead_unit)
        text = letter_body(draft_to_markdown(draft))
        title = next((p.text for p in draft.paragraphs if p.role == "title"), "") or proposal.title
        draft_id = self.drafts.create(title, proposal.text, draft.model_dump(), text, user=user)
        return draft_id, text, draft

    def user_source(self):
        """Where login users live: with a database URL a ``users.DatabaseUsers`` (the database's users;
        a users file set beside it serves only until the database holds any), else the users file's
        path (None: no login)."""
        from ..users import DatabaseUsers

        if not self.settings.database_url:
            return self.settings.users_file
        return DatabaseUsers(self.drafts, self.settings.users_file)

    def login_required(self) -> bool:
        """Login is on: a users file is set, or (database URL) the database holds users. Decided once
        per process, as the web login is when the server starts: the first user added to a database
        that had none (and no users file) turns login on when the app servers restart."""
        if not self.settings.database_url or self.settings.users_file is not None:
            return self.settings.users_file is not None
        if self._login_on is None:
            self._login_on = self.drafts.has_users()
        return self._login_on

    def roles(self) -> tuple[set[str], dict[str, set[str]]]:
        """Admins and groups: from the database when a database URL is set (read each time: another
        server may have added them), else from the users file, read again when it changes (add-user while serving)."""
        from ..users import load_roles

        if self.settings.database_url and (self.settings.users_file is None or self.drafts.has_users()):
            return self.drafts.user_roles()
        path = self.settings.users_file
        if path is None:  # no users file (a caller without login on): no admins, no groups
            return load_roles(None)
        try:
            stat = Path(path).stat()
            key = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            key = None  # load_roles says what is wrong
        with self._lock:
            if key is None or self._roles_cache is None or self._roles_cache[0] != key:
                self._roles_cache = (key, load_roles(path))
            return self._roles_cache[1]

    def scope(self, user: str) -> set[str] | None:
        """None when ``user`` sees every draft (and every case of the register); else the grantees that
        open a draft (or a case) to them: the user and ``group:`` each of their groups."""
        from .book import GROUP_PREFIX

        if not self.login_required() or self.operator:
            return None  # no login: one desk, everything visible as before; the command line's operator sees all
        if not user:
            return set()  # login is on, so a call without a user is nobody's
        if self.settings.drafts_access == "shared" or user in self.roles()[0]:
            return None
        return {user} | {GROUP_PREFIX + g for g in self.groups_of(user)}

    def groups_of(self, user: str) -> set[str]:
        """The groups ``user`` is in (the users file's or the database's)."""
        return {g for g, members in self.roles()[1].items() if user in members}

    def is_manager(self, user: str) -> bool:
        """An admin, the command line's operator, or anyone when there is no login: who imports, registers
        and assigns cases (with drafts_access=shared everyone sees all, but only these manage)."""
        return self.operator or not self.login_required() or (bool(user) and user in self.roles()[0])

    def check_grantee(self, grantee: str) -> str:
        """A user name or group:名 as stored (a full-width colon accepted), known to the users file or the
        database when login is on; else a refusal in both languages."""
        from ..errors import QueryError
        from ..users import load_users
        from .book import GROUP_PREFIX, grantee_name

        grantee = grantee_name(grantee)
        if not grantee or grantee == GROUP_PREFIX:
            raise QueryError("请填写用户名或 group:组名", "name a user or group:NAME")
        if self.login_required():
            if grantee.startswith(GROUP_PREFIX):
                known = grantee[len(GROUP_PREFIX) :] in self.roles()[1]
            else:
                source = self.user_source()
                known = grantee in (source.users() if hasattr(source, "users") else load_users(source))
            in_database = bool(self.settings.database_url) and (self.settings.users_file is None or self.drafts.has_users())
            if not known:
                where = ("数据库", "the database") if in_database else ("用户文件", "the users file")
                raise QueryError(f"{where[0]}中没有 {grantee}", f"{grantee} is not in {where[1]}")
        return grantee

    def _draft(self, draft_id: int, user: str, manage: bool = False):
        """The saved draft if ``user`` may open it (with ``manage``: share or delete it, owner or admin
        only). A missing draft and a refused one get the same answer, so ids cannot be probed."""
        from ..errors import QueryError

        refused = QueryError(
            f"无权访问草稿 #{draft_id}（不存在、已删除或未共享给您）", f"no access to draft #{draft_id} (missing, deleted or not shared with you)"
        )
        try:
            saved = self.drafts.get(int(draft_id))
        except QueryError:
            raise refused from None
        scope = self.scope(user)
        if scope is not None and not ((user and saved.created_by == user) or scope & set(self.drafts.shares(saved.id))):
            raise refused  # (with login on, a call without a user opens nothing, drafts from before login included)
        if manage and self.login_required() and not (saved.created_by == user or user in self.roles()[0]):
            raise QueryError(f"只有创建人或管理员可以共享或删除草稿 #{draft_id}", f"only the owner or an admin may share or delete draft #{draft_id}")
        return saved

    def list_drafts(self, user: str) -> list[dict]:
        """The saved drafts ``user`` may open, newest first."""
        scope = self.scope(user)
        if scope is None:
            return self.drafts.list()
        return self.drafts.list(owner=user, grantees=scope) if user else []

    def get_draft(self, draft_id: int, user: str):
        return self._draft(draft_id, user)

    def draft_versions(self, draft_id: int, user: str) -> list[dict]:
        return self.drafts.versions(self._draft(draft_id, user).id)

    def diff_versions(self, draft_id: int, old: int, new: int, user: str) -> dict:
        """Two versions compared as people read them (``compare.compare``): {"old", "new": {"number", "note",
        "created_by", "created_at"}, "rows": [Row]}; who saved each and when."""
        from ..letter.markdown import letter_body
        from .compare import compare

        saved = self._draft(draft_id, user)
        versions = {v["number"]: v for v in self.drafts.versions(saved.id)}
        for number in (old, new):
            if number not in versions:
                from ..errors import QueryError

                raise QueryError(f"草稿 #{saved.id} 没有第 {number} 版", f"draft #{saved.id} has no version {number}")
        return {
            "old": versions[old],
            "new": versions[new],
            "rows": compare(*(letter_body(self.drafts.version_text(saved.id, n)) for n in (old, new))),  # older versions kept their appendix
        }

    def autosave_draft(self, draft_id: int, text: str, user: str, base_revision: int | None = None) -> int | None:
        """Keep the editor's text (cleaned: ``clean_editor_text``); the new revision, or None if
        nothing changed. ``base_revision``: what the editor's text is based on (EditConflict if stale)."""
        saved = self._draft(draft_id, user)
        return self.drafts.autosave(saved.id, self._editor_text(text, saved.id), base_revision, user=user)

    def save_draft(self, draft_id: int, text: str, user: str, note: str = "保存", base_revision: int | None = None) -> int:
        saved = self._draft(draft_id, user)
        return self.drafts.save_version(saved.id, self._editor_text(text, saved.id), note=note, user=user, base_revision=base_revision)

    def _editor_text(self, text: str, draft_id: int | None = None) -> str:
        """The editor's text as stored: within bounds, control characters cleaned (``clean_editor_text``), the
        letter only — an appendix of sources and checks sent along (a script's, a pasted Markdown file's) is
        rebuilt from the draft's citations, after any citation it alone defines is added to them (``draft_id``)."""
        from ..letter.markdown import clean_editor_text, letter_body
        from ..limits import check_text

        clean = clean_editor_text(check_text(text, self.settings.max_draft_chars, "草稿正文", "the draft text"))[0]
        body = letter_body(clean)
        if body != clean and draft_id is not None:
            self._keep_defined_citations(int(draft_id), clean)
        return body

    def _keep_defined_citations(self, draft_id: int, text: str) -> None:
        """Citations the text's own definitions name and the draft's base lacks join the base (nothing a
        Markdown file or an older saved draft carried is lost when its appendix goes)."""
        from ..errors import QueryError
        from ..letter.markdown import markdown_to_draft
        from ..letter.model import Draft

        saved = self.drafts.get(draft_id)
        base = Draft.model_validate(saved.base) if saved.base else None
        known = {c.id for c in base.citations} if base else set()
        try:
            defined = [c for c in markdown_to_draft(text, base).citations if c.id not in known]
        except QueryError:  # an empty letter: nothing to keep
            return
        if defined:
            self.drafts.update_base(draft_id, lambda saved_base: _with_citations(saved_base, defined))

    def editor_text(self, draft_id: int, user: str) -> str:
        """A saved draft's text as the editor shows it: the letter (a draft saved with its appendix, before the
        panels held the sources, keeps every citation it defined)."""
        saved = self._draft(draft_id, user)
        return self._editor_text(saved.working_text, saved.id)

    def markdown_file(self, draft_id: int, user: str) -> str:
        """A saved draft as the Markdown file the command line writes: the letter, then its sources and checks."""
        from ..letter.markdown import appendix, letter_body

        saved = self._draft(draft_id, user)
        body = letter_body(saved.working_text)
        return body + appendix(self.edited_draft(saved.id, body, user))

    def letter_view(self, draft_id: int, text: str, user: str):
        """The edited letter as the preview shows it: (Draft, the editor's line of each paragraph)."""
        from ..letter.review import paragraph_lines

        draft = self.edited_draft(draft_id, text, user)
        return draft, paragraph_lines(draft.paragraphs, text)

    def save_alongside(self, draft_id: int, text: str, user: str) -> int:
        """After a conflict, keep both texts: the working text saved elsewhere becomes a version
        (unless it is one already), then ``text`` the next one (and the working text). Returns its number."""
        saved = self._draft(draft_id, user)
        text = self._editor_text(text, saved.id)
        versions = self.drafts.versions(saved.id)
        if not versions or self.drafts.version_text(saved.id, versions[-1]["number"]) != saved.working_text:
            self.drafts.save_version(
                saved.id, saved.working_text, note=f"他处的修改（{saved.revised_by or '另一窗口'}）", user=saved.revised_by, base_revision=saved.revision
            )
        current = self.drafts.get(saved.id).revision
        return self.drafts.save_version(saved.id, text, note="另存为新版本", user=user, base_revision=current)

    def set_draft_status(self, draft_id: int, status: str, user: str) -> None:
        saved = self._draft(draft_id, user)
        self.drafts.set_status(saved.id, status)
        self.drafts.audit("status", f"draft#{saved.id}", status, user=user)

    def share_draft(self, draft_id: int, grantee: str, user: str, revoke: bool = False) -> list[str]:
        """Share a draft with a user or "group:名" (owner or admin only); returns who it is shared with."""
        from ..errors import QueryError
        from .book import GROUP_PREFIX, grantee_name

        saved = self._draft(draft_id, user, manage=True)
        if revoke:  # a name no longer in the users file can still be taken off
            grantee = grantee_name(grantee)
            if not grantee or grantee == GROUP_PREFIX:
                raise QueryError("请填写用户名或 group:组名", "name a user or group:NAME")
        else:
            grantee = self.check_grantee(grantee)
        self.drafts.share(saved.id, grantee, revoke=revoke)
        self.drafts.audit("unshare" if revoke else "share", f"draft#{saved.id}", grantee, user=user)
        return self.drafts.shares(saved.id)

    def delete_draft(self, draft_id: int, user: str) -> None:
        saved = self._draft(draft_id, user, manage=True)
        self.drafts.delete(saved.id)
        self.drafts.audit("delete_draft", f"draft#{saved.id}", saved.title, user=user)

    def migrate_drafts(self, url: str) -> dict[str, int]:
        """Copy this deployment's drafts.db (drafts, versions, shares, audit; ids kept) into the
        PostgreSQL database at ``url``; returns the rows per table, checked against the source's
        counts. A target that already holds data is refused and left untouched. The source is always
        the file (data_dir/drafts.db), whatever database_url says. When a users file is configured its
        users (hashes), admins and groups are copied too, in the same transaction, also verified by
        counts ("users", "admins", "user_groups" in the result). Stop the app servers first: drafts saved into drafts.db afterwards are not copied."""
        from ..db import is_database_url
        from ..errors import AssistantError
        from .book import DraftBook, open_book

        if not is_database_url(url or ""):
            raise AssistantError("--to-database 须为 postgresql://… 地址", "--to-database must be a postgresql://… URL")
        source_path = self.settings.drafts_path
        if not source_path.exists():
            raise AssistantError(f"没有可迁移的草稿库：{source_path} 不存在", f"nothing to migrate: {source_path} does not exist")
        users = None
        if self.settings.users_file is not None:
            from ..users import load_roles, load_users

            users = (load_users(self.settings.users_file), *load_roles(self.settings.users_file))
        source = DraftBook(source_path)
        try:
            target = open_book(url)
            try:
                return source.copy_to(target, users=users)
            finally:
                target.close()
        finally:
            source.close()

    def edited_draft(self, draft_id: int, text: str, user: str = ""):
        """The Draft a person's edited text stands for (citations from the saved base)."""
        from ..letter.markdown import markdown_to_draft
        from ..letter.model import Draft

        saved = self._draft(draft_id, user)
        base = Draft.model_validate(saved.base) if saved.base else None
        return markdown_to_draft(text, base)

    def export_saved(
        self,
        draft_id: int,
        text: str,
        clean: bool = False,
        user: str = "",
        directory: Path | None = None,
        public: bool = False,
        base_revision: int | None = None,
        override_reason: str = "",
    ) -> Path:
        """Export the edited text of a saved draft: version it (only when it differs from the last version), audit
        it, mark it 已导出. ``public``, the 公开版, goes out only with nothing left to fill in, and only when 审核
        finds no 问题 — unless ``override_reason`` says why it must go anyway (audited)."""
        from ..drafts import exports

        self._draft(draft_id, user)  # refused before anything is written or versioned
        text = self._editor_text(text, draft_id)
        self.drafts.require_revision(draft_id, base_revision)  # a stale page's export: refused before the file is written
        draft = self.edited_draft(draft_id, text, user)
        overridden = self._public_ready(draft_id, draft, text, user, override_reason.strip()) if public else 0
        # the user's own 0700 folder under data_dir/exports, the file 0600: never a shared /tmp
        path = exports.protect(
            self.letters.write_docx(draft, clean=clean, public=public, directory=directory or exports.new_export_dir(self.settings.data_dir, user))
        )
        versions = self.drafts.versions(draft_id)
        if versions and self.drafts.version_text(draft_id, versions[-1]["number"]) == text:
            self.drafts.autosave(draft_id, text, base_revision, user)  # the text exported is the last version's: no new one
        else:
            self.drafts.save_version(
                draft_id, text, note="导出" + ("（公开版）" if public else "（清洁稿）" if clean else ""), user=user, base_revision=base_revision
            )
        self.drafts.set_status(draft_id, "已导出")
        self.drafts.audit("export", f"draft#{draft_id}", path.name, user=user)
        if overridden:  # written only once the 公开版 exists
            self.drafts.audit("export_public_override", f"draft#{draft_id}", f"{override_reason.strip()}（审核问题 {overridden} 处）", user=user)
        return path

    def _public_ready(self, draft_id: int, draft, text: str, user: str, reason: str) -> int:
        """The 公开版 is published: refused while a placeholder is left in what it prints (named), or while 审核
        finds a 问题 and no reason is given. Returns how many 问题 a reason overrode (audited after the export)."""
        from ..errors import QueryError
        from ..genre.patterns import PLACEHOLDER
        from ..letter.redaction import public_version

        printed = public_version(draft)  # the 联系人 line it leaves out may keep its placeholder
        left = list(dict.fromkeys(m.group(0) for p in printed.paragraphs for m in PLACEHOLDER.finditer(p.text)))
        if left:
            shown = "、".join(left[:6]) + ("等" if len(left) > 6 else "")
            raise QueryError(
                f"公开版不能含待填内容（{len(left)} 处：{shown}），请填写后再导出", f"the 公开版 still has {len(left)} placeholders: fill them in first"
            )
        problems = self.letters.review(draft, markdown=text).problems  # the draft already read from ``text``
        if problems and not reason:
            first = problems[0].message
            raise QueryError(
                f"审核发现 {len(problems)} 处问题（如：{first}），公开版暂不导出；如确需导出，请填写理由（将记入审计）",
                f"审核 found {len(problems)} problems: the 公开版 is not exported without a reason (audited)",
            )
        return len(problems)

    def review_saved(self, draft_id: int, text: str, user: str = "", handling_class: str | None = None):
        """Review the edited text of a saved draft (the web app's 审核), against its own proposal."""
        return self.letters.review(self.edited_draft(draft_id, text, user), handling_class=handling_class or None, markdown=text)

    def insert_passage(
        self, draft_id: int, text: str, chunk_id: int, user: str = "", base_revision: int | None = None, at_line: int | None = None, gap: str | None = None
    ) -> str:
        """Insert a corpus passage into a saved draft's text with a citation marker, and record the citation
        in the draft's base so export keeps it. Only the passage's own sentences go in (no heading of the old
        letter, no 联系人/抄送 tail): in place of the 【待补充】 left for suggestion ``gap`` (the passage was found by
        以此检索先例 for it), else at the end of the section holding line ``at_line`` (where the person was
        editing; none: the end of the last section), and never after the closing."""
        from ..errors import QueryError
        from ..letter.model import Citation, Draft, gap_placeholder

        self._draft(draft_id, user)
        text = self._editor_text(text, draft_id)
        rows = self.corpus.store.get_chunks([chunk_id])
        if chunk_id not in rows:
            raise QueryError(f"段落#{chunk_id} 不存在", f"passage {chunk_id} does not exist")
        row = rows[chunk_id]
        own = passage_sentences(row.text, row.doc_type)
        if not own:
            raise QueryError("这一段只有标题或落款，没有可插入的正文", "the passage holds only a heading or the letter's tail")
        chosen: list[Citation] = []

        def add_citation(saved_base: dict) -> dict:
            base = Draft.model_validate(saved_base) if saved_base else Draft(proposal={}, paragraphs=[])
            citation = next((c for c in base.citations if c.chunk_id == chunk_id), None)
            if citation is None:
                numbers = [int(c.id[1:]) for c in base.citations if c.id[1:].isdigit()]
                numbers += [int(n) for n in re.findall(r"\[\^c(\d+)\]", text)]
                # a regulation's articles are cited as such: the 承办人 is asked to confirm an old version's text is in force
                statute = "条文" in self.corpus.store.chunk_roles([chunk_id]).get(chunk_id, set())
                citation = Citation.of_passage(f"c{max(numbers, default=0) + 1}", chunk_id, row, role="条文" if statute else "")
                base.citations.append(citation)
            chosen.append(citation)
            return base.model_dump(mode="json")

        self.drafts.update_base(int(draft_id), add_citation)
        citation = chosen[-1]
        paragraph = f"{own} [^{citation.id}]"
        placeholder = gap_placeholder(gap) if gap and gap.strip() else None
        if placeholder is not None and placeholder.search(text):
            new_text = self._editor_text(placeholder.sub(lambda _: paragraph, text, count=1))
        else:
            new_text = self._editor_text(_insert_at_section_end(text, paragraph, at_line))
        self.drafts.autosave(draft_id, new_text, base_revision, user=user)  # on a text changed elsewhere: EditConflict
        return new_text

    def import_docx(self, path: Path, draft_id: int | None = None, user: str = "", proposal_path: Path | None = None):
        """Read a letter edited in Word (our export or a plain .docx) back into the Markdown draft form.

        With ``draft_id`` (checked like every draft operation) the text becomes a new version of that
        saved draft, its citations matched against the draft's own. Returns the ``ImportedLetter``
        with ``version`` (the new version's number, or None) and ``findings`` (lint and review, each
        with its ``severity``: 问题 or 提示) set; review's notes are added to ``notes``.
        ``proposal_path``: the proposal to check 逐条答复 against (else the saved draft's)."""
        from ..letter.markdown import markdown_to_draft
        from ..letter.model import Draft
        from ..letter.word_import import import_docx

        base, handling_class = None, None
        if draft_id is not None:
            saved = self._draft(draft_id, user)  # refused before anything is read or versioned
            base = Draft.model_validate(saved.base) if saved.base else None
            handling_class = markdown_to_draft(saved.working_text, base).handling_class if saved.working_text.strip() else None
        proposal = self.letters.parse_proposal(path=proposal_path) if proposal_path else None  # a bad file: refused before versioning
        result = import_docx(path, base=base, class_codes=self.settings.handling_class_names, handling_class=handling_class)
        if draft_id is not None:
            known = {c.id for c in base.citations} if base else set()
            brought = [c for c in result.draft.citations if c.id not in known]
            if brought:  # cited in Word comments, not yet in the draft's own citations: kept there (the text keeps the letter only)
                self.drafts.update_base(int(draft_id), lambda saved_base: _with_citations(saved_base, brought))
            result.version = self.drafts.save_version(int(draft_id), self._editor_text(result.markdown), note="导入 Word", user=user)
            self.drafts.audit("import_docx", f"draft#{draft_id}", Path(path).name, user=user)
        result.findings = self.letters.import_findings(result, proposal)
        return result


def _with_citations(saved_base: dict, citations: list) -> dict:
    from ..letter.model import Draft

    base = Draft.model_validate(saved_base) if saved_base else Draft(proposal={}, paragraphs=[])
    known = {c.id for c in base.citations}
    base.citations += [c for c in citations if c.id not in known]
    return base.model_dump(mode="json")


def passage_sentences(text: str, doc_type: str = "reply") -> str:
    """A passage's own sentences, as a paragraph of a new letter. From a reply letter: its headings (一、…,
    （三）关于“…”的建议。) and its closing (thanks, 联系人, issuer, date, 抄送) left out. A policy passage keeps every
    line (its （一）（二） items are its content)."""
    from ..corpus.letters import body_end
    from ..genre.headings import heading_level

    if doc_type != "reply":
        return "".join(line.strip() for line in (text or "").split("\n")).strip()
    kept = []
    for line in (text or "")[: body_end(text or "")].split("\n"):
        line = re.sub(r"^\s*（[一二三四五六七八九十]+）关于[^。]{0,120}?的(?:建议|提案)。", "", line.strip())  # a heading run into the body
        if not line:
            continue
        if heading_level(line) and not re.search(r"[。；！？]", line[:-1]) and len(line) <= 40:
            continue  # a heading of the old letter (no sentence in it)
        kept.append(line)
    return "".join(kept).strip()


def _insert_at_section_end(text: str, paragraph: str, at_line: int | None) -> str:
    """``text`` with ``paragraph`` after the last paragraph of the section holding ``at_line`` (before the
    next heading), or of the last section; before the closing (thanks, contact, signature, date, 抄送) always."""
    from ..errors import QueryError
    from ..letter.markdown import markdown_to_draft
    from ..letter.review import paragraph_lines

    try:
        draft = markdown_to_draft(text)
    except QueryError:  # an empty text: the passage is the text
        return f"{paragraph}\n"
    starts = [line or 0 for line in paragraph_lines(draft.paragraphs, text)]
    closing = next((i for i, p in enumerate(draft.paragraphs) if p.role in ("closing", "contact", "signature", "date", "cc")), len(draft.paragraphs))
    first_heading = next((i for i, p in enumerate(draft.paragraphs) if p.role in ("heading1", "heading2")), closing)
    here = max((i for i, start in enumerate(starts) if at_line and start and start <= at_line), default=closing - 1)
    if here < first_heading or here >= closing:  # the caret in the header or the closing: the last section's end
        here = closing - 1
    after = next((i for i in range(here + 1, closing) if draft.paragraphs[i].role in ("heading1", "heading2")), closing)
    lines = text.split("\n")
    if after < len(draft.paragraphs) and starts[after]:
        at = starts[after] - 1
        return "\n".join(lines[:at]).rstrip() + f"\n\n{paragraph}\n\n" + "\n".join(lines[at:]).lstrip("\n")
    return text.rstrip() + f"\n\n{paragraph}\n"
