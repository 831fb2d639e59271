"""The handling season's side of the one door: intake, the register, deadlines (issue 25)."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..errors import QueryError
from ..genre.patterns import ROLE_BY_KIND
from ..settings import Settings
from .deadlines import DeadlineRules, add_months, due_date
from .intake import RULE_DEADLINE_NOTE, CaseRow, canonical_session, read_list, unit_names
from .register import Case, CaseRegister

log = logging.getLogger("assistant.cases")

if TYPE_CHECKING:  # pragma: no cover
    from ..corpus.service import CorpusService
    from ..drafts.book import Drafts
    from ..drafts.service import DraftsService
    from ..letter.service import LetterService

REGISTER_COLUMNS = [
    "序号",
    "类别",
    "会议届次",
    "编号",
    "案由",
    "提案人/代表",
    "办理角色",
    "主办单位",
    "交办日期",
    "办理期限",
    "剩余天数",
    "状态",
    "承办人",
    "答复文号",
    "答复日期",
    "反馈",
    "办理结果类别",
]
DUE_SOON_DAYS = 7  # “7 日内到期”: the greeting, the 办理台账's filter and its amber deadlines
PROPOSAL_SUFFIXES = (".txt", ".md", ".docx", ".doc", ".wps", ".pdf", ".ofd", ".rtf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


@dataclass
class IntakeReport:
    added: list[Case] = field(default_factory=list)
    updated: list[Case] = field(default_factory=list)
    unchanged: list[Case] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line each, with its row number
    not_ours: int = 0
    attached: int = 0  # proposal files found in --proposals and read
    similar: int = 0  # cases with an earlier case or reply on the same matter

    def summary(self) -> str:
        return (
            f"新增 {len(self.added)}，更新 {len(self.updated)}，未变 {len(self.unchanged)}，非本单位 {self.not_ours}，"
            f"无法读取 {len(self.problems)}，附提案原文 {self.attached}，有相似旧案 {self.similar}"
        )


@dataclass
class DueReport:
    as_of: date
    late: list[Case]
    due_soon: list[Case]


# 温州市科学技术局, 中共温州市委组织部: a unit's full name, Chinese (with a letter or digit it may hold: 5G产业办)
UNIT_NAME = re.compile(r"(?=.*[\u4e00-\u9fff].*[\u4e00-\u9fff])[\u4e00-\u9fff（）()A-Za-z0-9·]{2,40}")


class CasesService:
    """``book``: the drafts database the register lives in (opened on first use); ``letters``: reads a
    proposal's file (any format ingest reads); ``corpus``: where a sent reply goes, to be a precedent;
    ``drafts``: where a case's draft is saved (who may open it).

    Who sees a case (point 8): as drafts — with login on, a user sees the cases assigned to them or to a
    group of theirs; admins, the command line's operator and everyone without login see all. Only they
    import lists, register and assign cases. Every change is in the case's history (who, when)."""

    def __init__(
        self,
        settings: Settings,
        book: "Callable[[], Drafts]",
        letters: "LetterService",
        corpus: "CorpusService",
        drafts: "DraftsService",
    ):
        self.settings = settings
        self._book = book
        self.letters = letters
        self.corpus = corpus
        self.drafts = drafts

    def today(self) -> date:
        """Today in the office's time zone: deadlines, days left and dates recorded are the office's."""
        from ..db import today_in

        return today_in(self.settings.timezone)

    def _visible(self, cases: list[Case], user: str) -> list[Case]:
        """The cases ``user`` may see. An earlier case on the same matter that is not theirs is named by its
        label only: its title stays with those who may see it."""
        scope = self.drafts.scope(user)
        if scope is None:
            return cases
        mine = [c for c in cases if c.assignee and c.assignee in scope]
        if any(s.get("case_id") and not s.get("doc_number") for c in mine for s in c.similar):
            theirs = {c.id for c in self.register.cases() if c.assignee and c.assignee in scope}
            for case in mine:
                case.similar = [s if s.get("doc_number") or s.get("case_id") in theirs else {**s, "title": ""} for s in case.similar]
        return mine

    def _case(self, case_id: int, user: str) -> Case:
        """The case if ``user`` may see it; a missing one and a refused one get the same answer."""
        refused = QueryError(f"办理事项 #{case_id} 不存在或无权访问", f"case #{case_id} does not exist or is not yours")
        try:
            case = self.register.get(case_id)
        except QueryError:
            raise refused from None
        if not self._visible([case], user):
            raise refused
        return case

    def _managing(self, user: str, what: str) -> None:
        if not self.drafts.is_manager(user):
            raise QueryError(f"只有管理员可以{what}", f"only an admin may do this: {what}")

    def set_issuing_unit(self, name: str, user: str = "") -> tuple[str, str]:
        """An admin names the unit (温州市科学技术局) from the web app, where a first import of a 交办清单 asks for it:
        written to the ``.env`` the settings are read from (REPLY_ASSISTANT_ISSUING_UNIT) and in force at once in
        this app server — the register reads the list's 主办/会办 against it, letters are signed with it. Returns
        (the name, a caution: "" or why a restart would not keep it — the variable set in the server's environment
        overrides .env). Other app servers sharing one database read their own .env: set it there too."""
        from dotenv import set_key

        self._managing(user, "设置本单位名称")
        name = re.sub(r"\s+", "", name or "")
        if not UNIT_NAME.fullmatch(name):
            raise QueryError(
                "本单位名称应为中文全称（2–40 字，如 温州市科学技术局）", "the unit's name: its full Chinese name, 2–40 characters (温州市科学技术局)"
            )
        variable = f"{Settings.model_config.get('env_prefix', '')}ISSUING_UNIT"
        env_file = Path(str(Settings.model_config.get("env_file") or ".env")).absolute()
        try:  # through a link to the real file (a deployment may keep .env elsewhere)
            set_key(env_file, variable, name, quote_mode="never", follow_symlinks=True)
        except OSError as exc:  # read-only folder, a .env mounted into a container
            raise QueryError(
                f"无法写入 {env_file}（{exc.strerror or exc}）：请管理员在该文件中写入 {variable}={name} 后重启",
                f"cannot write {env_file} ({exc.strerror or exc}): add {variable}={name} to it and restart",
            ) from exc
        self.settings.issuing_unit = name
        self._book().audit("set_issuing_unit", "settings", name, user=user)
        environment = os.environ.get(variable)
        caution = (
            f"注意：服务器环境变量 {variable}={environment} 优先于 .env，重启后仍以它为准，请一并修改 / "
            f"the server's environment sets {variable}={environment}, which outranks .env at the next start: change it too"
            if environment is not None and environment.strip() != name
            else ""
        )
        return name, caution

    @property
    def register(self) -> CaseRegister:
        return CaseRegister(self._book())

    @property
    def rules(self) -> DeadlineRules:
        return DeadlineRules.from_settings(self.settings)

    def import_cases(
        self,
        path: Path,
        proposals: Path | None = None,
        kind: str | None = None,
        session: str = "",
        today: date | None = None,
        user: str = "",
        due: date | None = None,
        similar: bool = True,
    ) -> IntakeReport:
        """Register the cases of a 交办清单 (.xlsx) that are ours; a row that cannot be read is reported with
        its row number and the others go in. Importing the same list again changes nothing. ``due``: the
        deadline of every row whose 办理期限 the list leaves empty (else the rules'). Each case added or changed
        lists the earlier cases and reply letters on its matter (``similar``: False skips that)."""
        self._managing(user, "导入交办清单")
        if kind not in (None, "提案", "建议"):
            raise QueryError("类别只能是 提案 或 建议", "kind must be 提案 or 建议")
        names = unit_names(self.settings.issuing_unit, re.split(r"[,，、;；]", self.settings.issuing_unit_aliases))
        if not names:
            raise QueryError(
                "请管理员先设置本单位名称（在“导入交办清单”中填写“本单位名称”并保存；或在程序目录的 .env 文件中写入 "
                "REPLY_ASSISTANT_ISSUING_UNIT=温州市科学技术局 后重启），才能从交办清单中认出本单位的件",
                "name the unit first (an admin: 本单位名称 under 导入交办清单, or REPLY_ASSISTANT_ISSUING_UNIT in .env): "
                "the list's 主办/会办 columns are read against it",
            )
        city = m.group(1) if (m := re.match(r"^(.{2,4}?[市县])", self.settings.issuing_unit.strip())) else ""
        read = read_list(Path(path), names, kind, session, city)
        report = IntakeReport(problems=[text for _, text in read.problems], not_ours=read.not_ours)
        if due is not None:  # an unreadable 办理期限 falls back to the date given, not to the rule
            stated_due = f"（按指定期限 {due.isoformat()} / the date given is used）"
            report.problems = [p.replace(RULE_DEADLINE_NOTE, stated_due) for p in report.problems]
        files = _proposal_files(proposals) if proposals else []
        for row in read.cases:
            if due is not None and row.due is None:
                row.due = due
            fields = self._fields(row, today or self.today())
            stated = {"title", "proposers", "role", "lead_unit", "co_units"} | ({"assigned"} if row.assigned else set()) | ({"due"} if row.due else set())
            found, several = _match_file(files, row)
            if several:
                report.problems.append(
                    f"第 {row.row} 行：{len(several)} 个文件都可能是原文（{'、'.join(p.name for p in several[:3])}），未附 / "
                    f"row {row.row}: {len(several)} files could be its text; none attached"
                )
            if found is not None:
                try:
                    proposal = self.letters.parse_proposal(path=found)
                    fields.update(proposal_file=found.name, proposal_text=proposal.text)
                    stated |= {"proposal_file", "proposal_text"}
                    report.attached += 1
                except Exception as exc:  # a file that cannot be read is said; the case goes in without it
                    report.problems.append(f"第 {row.row} 行：提案原文 {found.name} 无法读取（{exc}）/ row {row.row}: cannot read {found.name}")
            case, what = self.register.put(fields, user, stated)
            {"新增": report.added, "更新": report.updated, "未变": report.unchanged}[what].append(case)
        if similar:
            listed, failed = self._similar_or_note(report.added + report.updated, user)
            report.similar = sum(bool(c.similar) for c in listed)
            if failed:
                report.problems.append(failed)
        return report

    def add_case(
        self,
        path: Path,
        assigned: date | None = None,
        role: str = "主办",
        lead_unit: str = "",
        due: date | None = None,
        kind: str | None = None,
        session: str = "",
        number: str = "",
        user: str = "",
        similar: bool = True,
    ) -> tuple[Case, str]:
        """Register one proposal from its file (parsed as ``draft`` parses it); the fields it lacks from arguments.
        It lists the earlier cases and reply letters on its matter (``similar``: False skips that)."""
        self._managing(user, "登记办理事项")
        if role not in ("主办", "会办", "分办"):
            raise QueryError("办理角色只能是 主办、会办 或 分办", "role must be 主办, 会办 or 分办")
        if role == "会办" and not lead_unit.strip():
            raise QueryError("会办件需写明主办单位（--lead-unit）", "a 会办 case needs its lead unit (--lead-unit)")
        proposal = self.letters.parse_proposal(path=Path(path))
        case_kind = kind or proposal.kind
        digits = re.findall(r"\d+", number)
        case_number = str(int(digits[-1])) if digits else (str(proposal.number) if proposal.number else "")
        if case_kind not in ("提案", "建议") or not case_number:
            raise QueryError("提案文件中没有找到类别或编号：请用 --kind 和 --number 写明", "no kind or number in the proposal: give --kind and --number")
        row = CaseRow(
            0,
            case_kind,
            canonical_session(session or proposal.session, case_kind),
            case_number,
            proposal.title,
            proposal.proposers,
            role,
            lead_unit.strip(),
            [],
            assigned,
            due,
        )
        fields = self._fields(row, self.today())
        fields.update(proposal_file=Path(path).name, proposal_text=proposal.text)
        case, what = self.register.put(fields, user)
        if what != "未变" and similar:
            case = self._similar_or_note([case], user)[0][0]
        return case, what

    def _similar_or_note(self, cases: list[Case], user: str) -> tuple[list[Case], str]:
        """``find_similar``, or (when the index or the model fails) the cases as they are and one line saying
        so: they are registered all the same, and ``cases similar`` finds them later."""
        try:
            return self.find_similar(cases, user), ""
        except Exception as exc:  # a damaged index, a missing model: intake must not fail after it has committed
            log.warning("similar cases not found for %d cases", len(cases), exc_info=True)
            for case in cases:
                self.register.note(case.id, "相似件", f"未能查找（{exc}）", user)
            return cases, f"相似旧案未能查找（{exc}），已登记的件不受影响，可用 cases similar --all 重算 / similar cases not found: {exc}"

    def refresh_similar(self, case_ids: list[int] | None = None, user: str = "") -> list[Case]:
        """Look again for earlier cases and letters on the same matter: after last year's replies were
        ingested, or for cases registered before this existed. None: every open case (admins)."""
        if case_ids is None:
            self._managing(user, "重算全部相似件")
            cases = [c for c in self.register.cases() if c.open]
        else:
            cases = [self._case(i, user) for i in case_ids]
        return self.find_similar(cases, user)

    def find_similar(self, cases: list[Case], user: str = "") -> list[Case]:
        """List, on each case, the earlier cases (other sessions) and reply letters in the index on the same
        matter, best first, with each reply's promises (its 计划 units); recorded in the register."""
        if not cases:
            return []
        earlier, scorer, dense, lexical, allowed = self.similarity_parts(cases)
        scores = scorer.combine(dense, lexical)
        scores[~allowed] = -1.0
        return [self.register.set_similar(case.id, scorer.best(scores[row], earlier), user) for row, case in enumerate(cases)]

    def similarity_parts(self, cases: list[Case]):
        """(earlier cases and letters, the scorer, meaning and shared-word scores of each case × earlier one,
        which pairs may be listed: those of an earlier year — what a repeat follows up —, never the case
        itself nor another of this season). bench/cases.py calibrates on these."""
        import numpy as np

        from ..corpus.embeddings import tuning
        from .similar import Earlier, SimilarityScorer, letter_as_earlier, proposal_matter

        index = self.corpus.corpus
        letters = [letter_as_earlier(letter) for letter in index.store.reply_letters()]
        answered = {e.key: e for e in letters if e.number}

        def matter(case: Case) -> str:
            suggestions = self.letters.parse_proposal(text=case.proposal_text).suggestions if case.proposal_text.strip() else []
            return proposal_matter(case.title, suggestions, case.proposal_text)

        earlier: list[Earlier] = []
        for other in self.register.cases():
            key = (other.kind, other.session, other.number)
            if key in answered:  # its reply is in the index: one entry, the letter's, with the case's id
                answered[key].case_id = other.id
                continue
            earlier.append(
                Earlier(
                    other.kind,
                    other.session,
                    other.number,
                    other.title,
                    matter(other),
                    other.reply_doc_number,
                    other.reply_date,
                    case_id=other.id,
                    assigned=other.assigned,
                )
            )
        earlier += letters

        def embed(texts: list[str]):
            vectors = index.embedder.embed(texts)
            return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)

        scorer = SimilarityScorer(embed, index.segmenter.tokenize, index.store.idf_weights, tuning(index.embedder.name).cosine_band)
        dense, lexical = scorer.parts([matter(c) for c in cases], earlier)
        allowed = np.array([[e.key != (c.kind, c.session, c.number) and _before(e, c) for e in earlier] for c in cases], dtype=bool)
        return earlier, scorer, dense, lexical, allowed.reshape(len(cases), len(earlier))

    def list_cases(self, status: str | None = None, user: str = "") -> list[Case]:
        """The cases ``user`` may see (with ``status``: only those)."""
        return self._visible(self.register.cases(status), user)

    def find_cases(
        self,
        user: str = "",
        status: str | None = None,
        whose: str | None = None,
        due: str | None = None,
        year: int | None = None,
        as_of: date | None = None,
    ) -> list[Case]:
        """The 办理台账's filters over the cases ``user`` may see: ``whose`` "mine" (assigned to them) or
        "group" (to a group of theirs); ``due`` "soon" (open, due within DUE_SOON_DAYS) or "late"; ``year`` of 交办."""
        day = as_of or self.today()
        cases = self.list_cases(status, user)
        if whose == "mine":
            cases = [c for c in cases if c.assignee == user]
        elif whose == "group":
            cases = [c for c in cases if c.assignee in {f"group:{g}" for g in self.drafts.groups_of(user)}]
        if due == "late":
            cases = [c for c in cases if c.late(day)]
        elif due == "soon":
            cases = [c for c in cases if c.open and not c.late(day) and (c.days_left(day) or 0) <= DUE_SOON_DAYS and c.due]
        if year is not None:
            cases = [c for c in cases if c.assigned.startswith(str(year))]
        return cases

    def get_case(self, case_id: int, user: str = "") -> Case:
        return self._case(case_id, user)

    def due_cases(self, within: int = 14, as_of: date | None = None, user: str = "") -> DueReport:
        """Open cases already late, and those due within ``within`` days (of those ``user`` may see)."""
        day = as_of or self.today()
        open_cases = [c for c in self.list_cases(user=user) if c.open and c.due]
        late = [c for c in open_cases if c.late(day)]
        soon = [c for c in open_cases if not c.late(day) and (c.days_left(day) or 0) <= within]
        return DueReport(day, late, soon)

    def _fields(self, row: CaseRow, today: date) -> dict[str, Any]:
        assigned = row.assigned or today
        return {
            "kind": row.kind,
            "session": row.session,
            "number": row.number,
            "title": row.title,
            "proposers": row.proposers,
            "role": row.role,
            "lead_unit": row.lead_unit,
            "co_units": row.co_units,
            "assigned": assigned,
            "due": row.due or due_date(row.kind, row.role, assigned, self.rules),
        }

    def season_greeting(self, user: str = "", within: int = DUE_SOON_DAYS, as_of: date | None = None) -> str:
        """“办理台账：3 件 7 日内到期，1 件已逾期” for the cases assigned to ``user`` or a group of theirs (an admin,
        or anyone without login: and those assigned to nobody yet); empty when nothing is due within
        ``within`` days and nothing is late."""
        report = self.due_cases(within, as_of, user)
        mine = {"", user, *(f"group:{g}" for g in self.drafts.groups_of(user))}
        soon, late = ([c for c in cases if c.assignee in mine] for cases in (report.due_soon, report.late))
        if not soon and not late:
            return ""
        return f"办理台账：{len(soon)} 件 {within} 日内到期，{len(late)} 件已逾期"

    def move_case(self, case_id: int, status: str, user: str = "", note: str = "") -> Case:
        return self.register.move(self._case(case_id, user).id, status, user, note)

    def start_case_draft(self, case_id: int, user: str = "", use_llm: bool | None = None) -> tuple[Case, int, bool]:
        """The case's draft: (case, draft id, made now). The first call drafts it from the proposal's text
        — a 会办意见 to the lead unit when we are 会办 — with the register's fields (from the 交办 list)
        over what the text says, saves it, links it (起草中) and shares it with the case's assignee;
        later calls return the linked draft."""
        case = self._case(case_id, user)
        if case.draft_id is None and (drafted := self._drafted_already(case, user)) is not None:
            case = self.register.link_draft(case.id, drafted, user)  # drafted in 起草答复 before the list came: that one
        if case.draft_id is not None:
            self._share_with_assignee(case, user)
            return case, case.draft_id, False
        if not case.proposal_text.strip():
            raise QueryError(
                f"{case.label()}还没有提案原文：请先附上原文（办理台账中“附上原文”，或导入交办清单时一并上传）",
                f"case #{case.id} has no proposal text yet: attach it first (附上原文 in the register, or with the list's files)",
            )
        proposal = self.letters.parse_proposal(text=case.proposal_text)
        proposal.kind, proposal.title = case.kind, case.title or proposal.title
        proposal.session = case.session or proposal.session
        proposal.number = int(case.number) if case.number.isdigit() else proposal.number
        proposal.proposers = case.proposers or proposal.proposers
        proposal.role = ROLE_BY_KIND[case.kind]
        # a 会办 case whose list left 主办单位 empty is still drafted: the addressee is a placeholder to fill
        lead_unit = (case.lead_unit or "【待填：主办单位】") if case.role == "会办" else None
        draft_id, _, _ = self.drafts.start_draft(proposal, user=user, use_llm=use_llm, lead_unit=lead_unit)
        case = self.register.link_draft(case.id, draft_id, user)  # linked first: a second click never drafts again
        self._share_with_assignee(case, user)
        return case, draft_id, True

    def _drafted_already(self, case: Case, user: str) -> int | None:
        """A draft ``user`` may open that answers this case's proposal — the same kind and number, and the same
        session where both say one — most recently changed first. A probe drafted 182号 in 起草答复, then opened it
        from the register: asked for the text again, and a second draft was made beside the one already edited."""
        if not case.number.isdigit():
            return None
        for listed in self.drafts.list_drafts(user):  # newest first
            proposal = (self.drafts.drafts.get(listed["id"]).base or {}).get("proposal") or {}
            session = str(proposal.get("session") or "")
            if (
                str(proposal.get("number") or "") == str(int(case.number))
                and proposal.get("kind") == case.kind
                and (not case.session or not session or canonical_session(session, case.kind) == canonical_session(case.session, case.kind))
            ):
                return int(listed["id"])
        return None

    def _share_with_assignee(self, case: Case, user: str) -> None:
        """The case's draft opens for whoever the case is given to (after a reassignment too)."""
        if case.draft_id is None or not case.assignee or case.assignee == user:
            return
        saved = self.drafts.drafts.get(case.draft_id)
        if case.assignee != saved.created_by and case.assignee not in self.drafts.drafts.shares(saved.id):
            self.drafts.drafts.share(saved.id, case.assignee)
            self.drafts.drafts.audit("share", f"draft#{saved.id}", f"{case.assignee}（{case.label()}的承办人）", user=user)

    def attach_proposal(self, case_id: int, path: Path, user: str = "") -> Case:
        """The proposal's text for a case the list came without (any format ingest reads)."""
        case = self._case(case_id, user)
        proposal = self.letters.parse_proposal(path=Path(path))
        case, _ = self.register.put(
            {"kind": case.kind, "session": case.session, "number": case.number, "proposal_file": Path(path).name, "proposal_text": proposal.text},
            user,
            {"proposal_file", "proposal_text"},
        )
        return self._similar_or_note([case], user)[0][0]

    def record_reply(self, case_id: int, doc_number: str, day: date, file: Path | None = None, user: str = "") -> Case:
        """Record the reply sent (文号, date) and make it a precedent: its final text — ``file`` (any format
        ingest reads), else the linked draft's working text — is written under corpus_dir/replies, named for
        the case (a later reply to the same case replaces it), and ingested as a reply letter, so search
        finds it, the next draft can cite it and next year's review follows up its promises."""
        from ..genre.patterns import DOC_NUMBER

        if not DOC_NUMBER.fullmatch(doc_number.strip()):
            raise QueryError(f"文号“{doc_number}”格式不对（如 温科提复〔2026〕12号）", f"{doc_number!r} is not a 文号 (e.g. 温科提复〔2026〕12号)")
        from ..corpus.ingest import run_all

        case = self.register.awaiting_reply(self._case(case_id, user).id)  # checked before the text is read, filed or ingested
        text, precedents = self._final_text(case, file, user)  # read before anything is recorded: a bad file changes nothing
        if text is None:
            raise QueryError(
                f"没有{self._letter_name(case)}的文本：请上传发出的{self._letter_name(case)}，或先为此件起草",
                "no text of the letter sent: give its file, or draft it first",
            )
        path, previous = self._file_reply(case, _with_number_and_date(text, doc_number.strip(), day))
        report = run_all(self.corpus.ingest([path], doc_type="reply", user=user))
        if report.errors:  # nothing recorded: the earlier reply's file (if any) is put back, and it can be tried again
            if previous is not None:
                path.write_bytes(previous)
            else:
                path.unlink(missing_ok=True)
            raise QueryError(
                f"答复函入库失败，未登记（可修正后重试）：{report.errors[0]}", f"the reply could not be ingested and was not recorded: {report.errors[0]}"
            )
        # a 会办意见 goes to the lead unit, who answers the proposer and hears their feedback: sent, our part is done
        case = self.register.record_reply(case_id, doc_number.strip(), day, user, precedents, closes=case.role == "会办")
        filed = "入库" if not report.duplicate else "未入库（与已入库的文本相同）"
        self.register.note(case.id, filed, f"{path.name}（{report.summary()}）", user)
        return self.register.get(case.id)

    @staticmethod
    def _letter_name(case: Case) -> str:
        return "会办意见" if case.role == "会办" else "答复函"

    def _final_text(self, case: Case, file: Path | None, user: str) -> tuple[str | None, list[dict[str, Any]]]:
        """(the letter sent, what it cited): ``file``'s text (its citations are not known: none kept), else
        the linked draft's working text — if ``user`` may open it — and the precedents its paragraphs cite."""
        if file is not None:
            from ..corpus.loaders import load_file
            from ..corpus.read_options import ReadOptions

            documents = load_file(Path(file), options=ReadOptions.from_settings(self.settings))
            return "\n".join(d.text for d in documents), []
        if case.draft_id is None:
            return None, []
        from ..letter.markdown import markdown_to_draft
        from ..letter.model import Draft

        saved = self.drafts.get_draft(case.draft_id, user)
        base = Draft.model_validate(saved.base) if saved.base else None
        draft = markdown_to_draft(saved.working_text, base)
        cited = [{"doc_number": c.doc_number or "", "title": c.title, "source": c.source, "role": c.role} for c in draft.citations]
        unique = list({(c["doc_number"], c["title"]): c for c in cited}.values())
        return "\n".join(p.text for p in draft.paragraphs if p.text.strip()), unique

    def _file_reply(self, case: Case, text: str) -> tuple[Path, bytes | None]:
        """(the case's reply file under corpus_dir/replies, what it held before): named by the case's id too, so
        two years' 第56号提案 never share a file."""
        from ..files import atomic_write, safe_file_name

        folder = Path(self.settings.corpus_dir) / "replies"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / safe_file_name(f"{case.id}_{case.label()}{'会办意见' if case.role == '会办' else '答复'}.txt", fallback=f"case-{case.id}.txt")
        previous = path.read_bytes() if path.exists() else None
        atomic_write(path, text)
        return path, previous

    def record_feedback(self, case_id: int, feedback: str, day: date | None = None, user: str = "") -> Case:
        """The proposer's 满意 / 基本满意 closes the case; 不满意 opens it again, due a month on (第二十四条)."""
        day = day or self.today()
        return self.register.record_feedback(self._case(case_id, user).id, feedback, day, add_months(day, self.rules.again_months), user)

    def assign_case(self, case_id: int, assignee: str, user: str = "") -> Case:
        """Give the case to a user or group:名 known to the users file or the database ('' takes it back);
        its draft, if any, opens for them."""
        self._managing(user, "分派办理事项")
        assignee = self.drafts.check_grantee(assignee) if (assignee or "").strip() else ""
        case = self.register.assign(case_id, assignee, user)
        self._share_with_assignee(case, user)
        return case

    def case_stats(self, year: int | None = None, as_of: date | None = None, user: str = "") -> dict[str, Any]:
        """The year-end figures a 办理工作总结 needs, for the cases assigned in ``year`` (default: all): by kind and
        role, answered on time (a reply dated by its deadline), handling classes, the proposers' satisfaction."""
        day = as_of or self.today()
        cases = [c for c in self.list_cases(user=user) if year is None or c.assigned.startswith(str(year))]
        answered = [c for c in cases if c.reply_date]
        on_time = [c for c in answered if c.due and c.reply_date <= c.due]

        def count(values: list[str]) -> dict[str, int]:
            return {v: values.count(v) for v in sorted(set(values)) if v}

        return {
            "year": year,
            "cases": len(cases),
            "by_kind_and_role": count([f"{c.kind}·{c.role}" for c in cases]),
            "answered": len(answered),
            "on_time": len(on_time),
            "on_time_rate": round(len(on_time) / len(answered), 3) if answered else None,
            "open": sum(1 for c in cases if c.open),
            "late": sum(1 for c in cases if c.late(day)),
            "classes": count([c.handling_class for c in cases]),
            "feedback": count([c.feedback for c in cases]),
        }

    def export_cases(self, path: Path | None = None, as_of: date | None = None, user: str = "") -> Path:
        """The register (the cases ``user`` may see) as an .xlsx, the columns of the 办理台账 (days left as of
        ``as_of``); without ``path``, into a fresh private folder of the user's exports (as a letter's)."""
        import openpyxl

        from ..drafts import exports
        from ..files import atomic_write

        if path is None:
            path = exports.new_export_dir(self.settings.data_dir, user) / f"办理台账_{self.today():%Y%m%d}.xlsx"

        day = as_of or self.today()
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "办理台账"
        sheet.append(REGISTER_COLUMNS)
        for c in self.list_cases(user=user):
            sheet.append(
                [
                    c.id,
                    c.kind,
                    c.session,
                    c.number,
                    c.title,
                    "、".join(c.proposers),
                    c.role,
                    c.lead_unit,
                    c.assigned,
                    c.due,
                    c.days_left(day),
                    c.status,
                    c.assignee,
                    c.reply_doc_number,
                    c.reply_date,
                    c.feedback,
                    c.handling_class,
                ]
            )
        import io

        buffer = io.BytesIO()
        book.save(buffer)
        return exports.protect(atomic_write(Path(path), buffer.getvalue()))

    def extend_case(self, case_id: int, due: date, approval: str, user: str = "") -> Case:
        """An approved extension, recorded by an admin (it moves the deadline the on-time figures count)."""
        self._managing(user, "登记延期")
        return self.register.extend(self._case(case_id, user).id, due, approval, user)

    def case_history(self, case_id: int, user: str = "") -> list[dict[str, str]]:
        return self.register.history(self._case(case_id, user).id)


def _before(earlier: Any, case: Case) -> bool:
    """An earlier case (交办) or letter (dated) of a year before the case's 交办; one of unknown date counts."""
    when = earlier.assigned or earlier.date
    return not when or not case.assigned or when[:4] < case.assigned[:4]


def _with_number_and_date(text: str, doc_number: str, day: date) -> str:
    """The letter as sent: its 文号 and date in place of their placeholders (or the 文号 added on top)."""
    from ..genre.patterns import chinese_date

    text = re.sub(r"【待填[:：]?文号】", doc_number, text)
    text = re.sub(r"【待填[:：]?(?:成文)?日期】", chinese_date(day), text)
    return text if doc_number in text else f"{doc_number}\n{text}"


def _proposal_files(folder: Path) -> list[Path]:
    if not Path(folder).is_dir():
        raise QueryError(f"提案原文目录不存在：{folder}", f"proposals folder not found: {folder}")
    return sorted(p for p in Path(folder).rglob("*") if p.is_file() and p.suffix.lower() in PROPOSAL_SUFFIXES and not p.name.startswith("."))


def _match_file(files: list[Path], row: CaseRow) -> tuple[Path | None, list[Path]]:
    """(the proposal's file, or None; the files it could equally be). A file is named by the case's number
    (56号, 第56号, 0056, 提案56 — the number standing alone) or its title, and never by the other kind's word
    (第56号建议 is not 第56号提案)."""
    other = "建议" if row.kind == "提案" else "提案"
    candidates = [p for p in files if other not in p.stem or row.kind in p.stem]
    by_number = [p for p in candidates if re.search(rf"(?<!\d)0*{re.escape(row.number)}(?!\d)", p.stem)]
    title = re.sub(r"^关于|的(?:提案|建议)$", "", row.title)
    by_title = [p for p in (by_number or candidates) if title and title in re.sub(r"\s+", "", p.stem)]
    for found in (by_title, by_number):
        if len(found) == 1:
            return found[0], []
    return None, by_title or by_number
