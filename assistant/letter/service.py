"""The letter side of the one door: parse a proposal, draft a reply from precedents, lint and
review it, export it as Word (and its 公开版), read a letter edited in Word back. Heavy parts
(retrieval, numpy) are imported inside the methods that need them: importing ``assistant.letter``
stays light."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..db import today_in
from ..settings import Settings

if TYPE_CHECKING:  # pragma: no cover: the index is opened (and numpy imported) only by the methods that read it
    from ..corpus.index import Corpus
    from .ask_reader import ReadingCheck
    from .lint import Finding
    from .model import Draft
    from .proposal import Proposal
    from .review import EarlierLetter, Promise, ReviewReport
    from .word_import import ImportedLetter


class LetterService:
    """``corpus``: opens the index on first use (drafting, review against earlier replies);
    ``audit``: records exports in the audit trail."""

    def __init__(self, settings: Settings, corpus: "Callable[[], Corpus]", audit: Callable[..., None]):
        self.settings = settings
        self._corpus = corpus
        self.audit = audit

    @property
    def corpus(self) -> "Corpus":
        return self._corpus()

    def parse_proposal(self, text: str = "", path: Path | None = None) -> Proposal:
        """A ``Proposal`` from pasted text, or from a file when ``path`` is given (any format ingest
        reads but .jsonl: Word, WPS, OFD, PDF, scans and photos): read by the rules, then by the second
        reading, whose asks the rules missed are listed too (``reading_adds_asks``; ask_reader.complete_reading)."""
        from ..corpus.read_options import ReadOptions
        from .proposal import load_proposal, parse_proposal

        proposal = load_proposal(Path(path), ReadOptions.from_settings(self.settings)) if path else parse_proposal(text)
        if not self.settings.reading_adds_asks:
            return proposal
        from .ask_reader import complete_reading

        return complete_reading(proposal)[0]

    def check_reading(self, proposal: Proposal) -> ReadingCheck:
        """The second reading's doubts about how ``proposal``'s suggestions were read (ask_reader.py):
        sentences that read as asks and are not listed, suggestions that read as problems, and the
        suggestions it listed itself."""
        from .ask_reader import check_reading

        return check_reading(proposal)

    def complete_reading(self, proposal: Proposal) -> tuple[Proposal, list[int]]:
        """``proposal`` (as the 承办人 left it) with the asks the second reading finds unlisted put in where the
        text has them, and their indices: what 补入疑似遗漏的建议 does, inside numbered items too."""
        from .ask_reader import complete_reading

        return complete_reading(proposal, inside_items=True)

    def proposal_from_fields(
        self,
        text: str,
        *,
        title: str | None = "",
        number: str | None = "",
        session: str | None = "",
        proposers: str | None = "",
        role: str | None = "",
        kind: str | None = "",
        suggestions: str | None = "",
    ) -> Proposal:
        """The proposal as a person confirmed it in the form: their fields win over what was parsed;
        a suggestion they kept keeps its parsed details (searched for precedents)."""
        from ..errors import QueryError
        from ..limits import check_count, check_text
        from .proposal import Proposal

        if not (text or "").strip():
            raise QueryError("请先粘贴或上传提案内容", "paste or upload the proposal first")
        settings = self.settings
        for value, zh, en in (
            (title, "标题", "the title"),
            (number, "编号", "the number"),
            (session, "会议届次", "the session"),
            (proposers, "提案人", "the proposers"),
        ):
            check_text(value, settings.max_field_chars, zh, en)
        leads = check_count([s.strip() for s in (suggestions or "").split("\n") if s.strip()], settings.max_suggestions, "建议条目", "suggestions")
        for lead in leads:
            check_text(lead, settings.max_suggestion_chars, "单条建议", "a suggestion")
        parsed = self.parse_proposal(text)
        if not any((value or "").strip() for value in (title, number, session, proposers, suggestions)):
            # 生成草稿 before 解析提案: the form was never filled, so the text is read as it would have been (a 身份
            # or 类别 chosen all the same still counts)
            return replace(parsed, role=role or parsed.role, kind=kind or parsed.kind)
        details = [_kept_detail(lead, parsed) for lead in leads]
        digits = re.sub(r"\D", "", str(number or ""))
        return Proposal(
            text=text,
            title=(title or "").strip(),
            number=int(digits) if digits else None,
            session=(session or "").strip(),
            proposers=(names := [p for p in re.split(r"[、，,\s]+", proposers or "") if p]),
            seconders=[p for p in parsed.seconders if p in names],  # the form shows them all; the text says who seconds
            role=role or "",
            kind=kind or "",
            suggestions=leads,
            details=details,
        )

    def appraisals(self) -> list[str]:
        """The appraisal templates a draft can open with (files in prompts/letter/appraisal)."""
        from .compose import Templates

        return Templates(self.settings.prompts_dir).appraisals()

    def draft(
        self, proposal: Proposal | str, appraisal: str | None = None, use_llm: bool | None = None, chat_model: Any = None, lead_unit: str | None = None
    ) -> Draft:
        """A cited 答复函 skeleton for a parsed ``Proposal`` (or its raw text); with ``lead_unit`` (we are
        会办) a 会办意见 to that unit instead (prompts/letter/co_handling).

        With an LLM endpoint configured (or ``chat_model`` given) and ``use_llm`` not False,
        sections are rewritten by the model under the citation/number guard in ``llm.py``."""
        from ..search.retrieval import Retriever
        from .compose import Drafter
        from .proposal import NOT_A_PROPOSAL, Proposal

        if not isinstance(proposal, Proposal):
            proposal = self.parse_proposal(str(proposal))
        if not proposal.looks_like_one:
            from ..errors import QueryError

            raise QueryError(*NOT_A_PROPOSAL)
        self.corpus.backend.prepare()  # the index loaded (or rebuilt) now, so its notice lands on this draft
        notices = self.corpus.take_notices()
        drafter = Drafter(Retriever(self.corpus), self.settings)
        if lead_unit is not None and not lead_unit.strip():
            from ..errors import QueryError

            raise QueryError("会办意见需写明主办单位（--lead-unit，如 市人力社保局）", "a 会办意见 needs the lead unit (--lead-unit)")
        draft = drafter.draft(proposal, appraisal=appraisal, lead_unit=lead_unit)
        draft.warnings += notices
        draft.warnings += [f"解析复核：{message}" for message in self.check_reading(proposal).messages(proposal.suggestions)]
        if self.corpus.store.counts()["reply"] and not self.corpus.store.role_counts():
            draft.warnings.append(
                "索引建于先例单元之前，草稿只能给出占位：请重新导入语料（reply-assistant ingest corpus）/ "
                "the index predates precedent units: ingest the corpus again to draft from them"
            )
        if use_llm is not False:
            from .llm import SectionRewriter, make_chat_model

            model = chat_model or make_chat_model(self.settings)
            if model is not None:
                draft = SectionRewriter(model, self.settings.prompts_dir).rewrite(draft, proposal.text)
        return draft

    def lint(self, text: str) -> list[Finding]:
        from .lint import lint_text

        return lint_text(text)

    def handling_class(self, code: str | None) -> str | None:
        """A handling-class code as configured (``handling_classes``), None for none; an unknown
        code is a bilingual error."""
        from .review import check_class_code

        return check_class_code(code, self.settings.handling_class_names)

    def review(
        self,
        draft: Draft,
        proposal: Proposal | dict[str, Any] | None = None,
        handling_class: str | None = None,
        markdown: str | None = None,
        today: date | None = None,
    ) -> ReviewReport:
        """Review a Draft before it is sent (``letter/review.py``): coverage of the proposal's
        suggestions, 空泛 paragraphs, text repeated from earlier replies, stale figures, earlier
        promises not followed up, and the handling class. ``proposal``: a ``Proposal`` or its dict,
        else the draft's own; ``handling_class``: else the draft's; ``markdown``: the text the line
        numbers refer to. Earlier replies and their promises are read from the index here."""
        from .proposal import Proposal
        from .review import load_stock_phrases, review_draft

        code = self.handling_class(handling_class or draft.handling_class)
        if isinstance(proposal, Proposal):
            proposal = proposal.to_dict()
        proposal = proposal or draft.proposal or {}
        suggestions = list(proposal.get("suggestions") or []) if proposal else None
        letters, promises = self._earlier_replies(draft, proposal)
        return review_draft(
            draft,
            markdown=markdown,
            suggestions=suggestions,
            handling_class=code,
            class_names=self.settings.handling_class_names,
            letters=letters,
            promises=promises,
            stock_phrases=load_stock_phrases(self.settings.stock_phrases_file),
            today=today or today_in(self.settings.timezone),
            tokenize=self.corpus.segmenter.tokenize,  # the index's own words (its learned terms)
        )

    def review_file(self, path: Path, proposal_path: Path | None = None, handling_class: str | None = None) -> ReviewReport:
        """Review a draft file: ``draft --json`` output, an edited Markdown draft, a plain letter
        (one paragraph a line), or a Word letter (.docx, read by the importer as ``import`` does);
        line numbers refer to the Markdown form (the file itself, or the JSON or .docx rendered as
        Markdown). ``proposal_path``: the proposal, parsed like ``draft`` does."""
        from ..corpus.loaders import decode_bytes
        from ..errors import QueryError
        from .markdown import markdown_to_draft
        from .review import letter_blocks

        path = Path(path)
        proposal = self.parse_proposal(path=proposal_path) if proposal_path else None
        if path.suffix.lower() == ".json":
            return self.review(self.load_draft(path), proposal=proposal, handling_class=handling_class)
        if path.suffix.lower() == ".docx":
            from .word_import import import_docx

            letter = import_docx(path, class_codes=self.settings.handling_class_names)
            return self.review(letter.draft, proposal=proposal, handling_class=handling_class, markdown=letter.markdown)
        try:
            raw = decode_bytes(path.read_bytes(), path.name)
        except OSError as exc:
            raise QueryError(f"无法读取草稿 {path}（{exc.strerror}）", f"cannot read draft {path} ({exc.strerror})") from exc
        return self.review(markdown_to_draft(letter_blocks(raw)), proposal=proposal, handling_class=handling_class, markdown=raw)

    def _earlier_replies(self, draft: Draft, proposal: dict[str, Any]) -> tuple[list[EarlierLetter], list[Promise]]:
        """(earlier letters, promises): the index's replies dated before this letter (not the letter
        itself), each marked 同一提案人 / 同一主题; the 计划 units of those to the same proposer, and
        of those on the same topic that answer one of the suggestions."""

        from ..search.retrieval import Retriever
        from .compose import Relevance
        from .precedents import Precedents
        from .review import EarlierLetter, Promise, doc_number_of, letter_date

        own_number = doc_number_of(draft)
        day = letter_date(draft) or today_in(self.settings.timezone)
        proposers = set(proposal.get("proposers") or [])
        suggestions = list(proposal.get("suggestions") or [])
        details = list(proposal.get("details") or [])
        if suggestions:
            topics = [(s, details[i] if i < len(details) and details[i] != s else "") for i, s in enumerate(suggestions)]
        else:  # no proposal: what the letter's opening says it answers
            opening = next((p.text for p in draft.paragraphs if p.role == "opening"), "")
            topics = [(opening, "")] if opening else []
        retriever: Precedents = Retriever(self.corpus, lean_on_dense=False, rerank=False)  # like drafting: fixed fusion weights and order
        on_topic: set[str] = set()
        for lead, detail in topics:
            response = retriever.search(f"{lead} {detail}".strip()[:2000], k=10, doc_type="reply", show_all=False)
            on_topic |= {r.source for r in response.results}
        words = lambda text: set(retriever.tokenize(text))  # noqa: E731
        relevance = [Relevance(retriever, lead, detail, None, self.settings, tokens=words) for lead, detail in topics]
        letters, promises = [], []
        for row in retriever.reply_letters():
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

    def load_draft(self, path: Path, base: Path | None = None) -> Draft:
        """A Draft from ``draft --json`` output, or from an edited Markdown/plain-text draft
        (with ``base``, the JSON it was edited from, supplying full citation details)."""
        import json

        from ..corpus.loaders import decode_bytes
        from ..errors import QueryError
        from .markdown import markdown_to_draft
        from .model import Draft

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

    def export(self, draft: Draft, path: Path | None = None, clean: bool = False, directory: Path | None = None, public: bool = False, user: str = "") -> Path:
        """Write the Draft as a GB/T 9704 .docx (see ``write_docx``), audited."""
        written = self.write_docx(draft, path, clean=clean, directory=directory, public=public)
        self.audit("export_file", str(written), "公开版" if public else ("清洁稿" if clean else ""), user=user)
        return written

    def write_docx(self, draft: Draft, path: Path | None = None, clean: bool = False, directory: Path | None = None, public: bool = False) -> Path:
        """Write the Draft as a GB/T 9704 .docx; the name comes from its title and date unless given.

        ``public``: the 公开版 (no contact line, phone numbers, e-mail or ID numbers, no comments),
        named …_公开版.docx — a name given (``path``) gets the suffix too unless it already says 公开版, so a
        公开版 never overwrites the internal copy. The handling class is printed top-right of page 1 when
        settings.class_mark is on, and is kept in the file's properties either way (word_import reads it back)."""
        from ..genre.patterns import CO_HANDLING
        from .export import PUBLIC_SUFFIX, ExportOptions, export_docx, safe_filename

        target = Path(path) if path else Path(directory or ".") / safe_filename(draft, suffix=PUBLIC_SUFFIX if public else "")
        if public and PUBLIC_SUFFIX not in target.name:
            target = target.with_name(f"{target.stem}_{PUBLIC_SUFFIX}{target.suffix or '.docx'}")
        # a 会办意见 has no class of its own: the lead unit classes the reply to the proposer
        mark = (draft.handling_class or "") if self.settings.class_mark and draft.letter_kind != CO_HANDLING else ""
        options = ExportOptions(comments=not (clean or public), letterhead=self.settings.letterhead, class_mark=mark, public=public)
        return export_docx(draft, target, options)

    def import_findings(self, result: ImportedLetter, proposal: Proposal | dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """What lint and review say about an imported letter (review against the saved draft's proposal)."""
        from ..errors import AssistantError

        findings = [
            {"check": f"格式·{f.label}", "line": f.line, "rule": f.rule, "message": f.message, "fix": f.fix, "severity": "问题"}
            for f in self.lint(result.markdown)
        ]
        try:
            report = self.review(result.draft, proposal=proposal, markdown=result.markdown)
        except AssistantError as exc:  # e.g. no index to compare with: the import stands, the review is said to be missing
            result.notes.append(f"审核未能运行 / review did not run: {exc}")
            return findings
        findings += [
            {"check": f"审核·{f.label}", "line": f.line, "rule": f.check, "message": f.message, "fix": f.fix, "severity": f.severity} for f in report.findings
        ]
        result.notes += report.notes  # e.g. 未检查逐条答复：没有提案
        if not self.corpus.store.counts().get("reply"):
            result.notes.append(
                f"索引中没有答复函（{self.settings.index_dir}），未检查重复和承诺跟进 / the index has no reply letters: copying and promises were not checked"
            )
        result.notes.append(f"审核 / review: {report.summary()}")
        return findings


def _kept_detail(lead: str, parsed: Proposal) -> str:
    """The details of the parsed suggestion a confirmed line is — the same words, or the same said again by
    hand (推动创新资源共享共建 for 推动创新资源共建共享) — searched for its precedents; the line itself when new."""
    from .ask_reader import reworded

    if lead in parsed.suggestions:
        return parsed.details[parsed.suggestions.index(lead)]
    return next((detail for suggestion, detail in zip(parsed.suggestions, parsed.details) if reworded(lead, suggestion)), lead)
