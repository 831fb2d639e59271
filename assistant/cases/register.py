"""The register: one case per proposal the bureau must answer, in the drafts database (SQLite by default,
PostgreSQL with a database URL; migration 4 of drafts/book.py), with the history of every change.

Statuses: 待办 → 起草中 (a draft linked) → 待审 → 已答复 (文号 + date) → 已办结 (the proposer's feedback);
不满意 → 再次办理 (due again in a month) → 起草中 / 待审 / 已答复."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from ..db import now
from ..drafts.book import CASE_COLUMNS, Drafts, grantee_name
from ..errors import QueryError

STATUSES = ("待办", "起草中", "待审", "已答复", "已办结", "再次办理")
# Moves a person makes by hand; 已答复 comes only with a reply's 文号 (record_reply), 已办结 and 再次办理 only with
# the proposer's feedback (record_feedback).
MOVES: dict[str, tuple[str, ...]] = {
    "待办": ("起草中",),
    "起草中": ("待审", "待办"),
    "待审": ("起草中",),
    "已答复": (),
    "已办结": (),
    "再次办理": ("起草中", "待审"),
}
OPEN = ("待办", "起草中", "待审", "再次办理")
FEEDBACK = ("满意", "基本满意", "不满意")
# what a list may change on a case already registered, when the list states it (never its status, draft,
# reply or feedback; never a due date an extension or a 不满意 set)
FROM_LIST = ("title", "proposers", "role", "lead_unit", "co_units", "assigned", "due", "proposal_file", "proposal_text")


@dataclass
class Case:
    id: int
    kind: str
    session: str
    number: str
    title: str
    proposers: list[str]
    role: str
    lead_unit: str
    co_units: list[str]
    assigned: str  # YYYY-MM-DD, or ''
    due: str
    status: str
    assignee: str = ""
    draft_id: int | None = None
    reply_doc_number: str = ""
    reply_date: str = ""
    feedback: str = ""
    handling_class: str = ""
    extension: str = ""
    proposal_file: str = ""
    proposal_text: str = ""
    created_at: str = ""
    updated_at: str = ""
    # earlier cases and reply letters on the same matter, found at intake: {"kind", "session", "number",
    # "doc_number", "date", "title", "score", "promises"} each (``similar.py``)
    similar: list[dict[str, Any]] = field(default_factory=list)
    # what the reply sent cited: {"doc_number", "title", "source", "role"} each
    precedents: list[dict[str, Any]] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return self.status in OPEN

    def days_left(self, as_of: date) -> int | None:
        """Days to the deadline of an open case (negative: late); None for a closed case or no deadline."""
        return (date.fromisoformat(self.due) - as_of).days if self.due and self.open else None

    def late(self, as_of: date) -> bool:
        left = self.days_left(as_of)
        return self.open and left is not None and left < 0

    def label(self) -> str:
        """市政协十二届四次会议第56号提案 (how letters and lists name a case)."""
        return f"{self.session}第{self.number}号{self.kind}" if self.session else f"第{self.number}号{self.kind}"

    def to_dict(self, as_of: date) -> dict[str, Any]:
        """The stable JSON shape of ``cases list --json`` (dates as YYYY-MM-DD)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "session": self.session,
            "number": self.number,
            "title": self.title,
            "proposers": self.proposers,
            "role": self.role,
            "lead_unit": self.lead_unit,
            "assigned": self.assigned or None,
            "due": self.due or None,
            "status": self.status,
            "days_left": self.days_left(as_of),
            "draft_id": self.draft_id,
            "reply_doc_number": self.reply_doc_number or None,
            "reply_date": self.reply_date or None,
            "feedback": self.feedback or None,
            "class": self.handling_class or None,
            "similar": [{k: s.get(k) for k in ("kind", "session", "number", "doc_number", "date", "score")} for s in self.similar],
        }


def _case(row: tuple) -> Case:
    values = dict(zip([c.strip() for c in CASE_COLUMNS.split(",")], row))
    values["proposers"] = json.loads(values["proposers"] or "[]")
    values["similar"] = values.pop("similar_cases")
    for name in ("co_units", "similar", "precedents"):
        values[name] = json.loads(values[name] or "[]")
    return Case(**values)


class CaseRegister:
    """The register over the drafts database's ``cases`` and ``case_history`` tables."""

    def __init__(self, book: Drafts):
        self.book = book

    def get(self, case_id: int) -> Case:
        rows = self.book._query(f"SELECT {CASE_COLUMNS} FROM cases WHERE id = ?", (int(case_id),))
        if not rows:
            raise QueryError(f"办理事项 #{case_id} 不存在", f"case #{case_id} does not exist")
        return _case(rows[0])

    def find(self, kind: str, session: str, number: str) -> Case | None:
        rows = self.book._query(f"SELECT {CASE_COLUMNS} FROM cases WHERE kind = ? AND session = ? AND number = ?", (kind, session, number))
        return _case(rows[0]) if rows else None

    def cases(self, status: str | None = None) -> list[Case]:
        if status is not None and status not in STATUSES:
            raise QueryError(f"状态只能是 {'、'.join(STATUSES)}", f"status must be one of {', '.join(STATUSES)}")
        sql = f"SELECT {CASE_COLUMNS} FROM cases" + (" WHERE status = ?" if status else "") + " ORDER BY due, kind, number"
        return [_case(r) for r in self.book._query(sql, (status,) if status else ())]

    def put(self, fields: dict[str, Any], user: str = "", stated: Any = None) -> tuple[Case, str]:
        """Register a case, or bring a registered one (same kind, session and number) up to date with what
        the list ``stated`` (default: every field given). Returns the case and what happened: 新增 / 更新 / 未变
        — the same list twice changes nothing, nor does one that states no dates a day later."""
        existing = self.find(fields["kind"], fields["session"], fields["number"])
        stored = {
            k: (json.dumps(v, ensure_ascii=False) if isinstance(v, list) else (v.isoformat() if isinstance(v, date) else (v or ""))) for k, v in fields.items()
        }
        stamp = now()
        with self.book.transaction() as db:
            if existing is None:
                columns = [*stored, "created_at", "updated_at"]
                (case_id,) = db.execute(
                    f"INSERT INTO cases ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) RETURNING id",
                    (*stored.values(), stamp, stamp),
                ).fetchone()
                self._history(db, int(case_id), "登记", f"{fields['kind']} {fields['session']}第{fields['number']}号", user)
                return self.get(int(case_id)), "新增"
            old = asdict(existing)
            allowed = [k for k in FROM_LIST if k in stored and (stated is None or k in stated)]
            if existing.extension or existing.status == "再次办理" or not existing.open:
                allowed = [k for k in allowed if k != "due"]  # an approved extension or a 不满意 set it
            changed = {k: stored[k] for k in allowed if stored[k] and _stored(old[k]) != stored[k]}
            if not changed:
                return existing, "未变"
            db.execute(f"UPDATE cases SET {', '.join(f'{k} = ?' for k in changed)}, updated_at = ? WHERE id = ?", (*changed.values(), stamp, existing.id))
            self._history(db, existing.id, "更新", "、".join(f"{k}：{_stored(old[k])} → {v}" for k, v in changed.items()), user)
        return self.get(existing.id), "更新"

    def move(self, case_id: int, status: str, user: str = "", note: str = "") -> Case:
        case = self.get(case_id)
        if status not in MOVES.get(case.status, ()):
            allowed = "、".join(MOVES.get(case.status, ())) or "无"
            raise QueryError(
                f"{case.label()}当前为“{case.status}”，不能改为“{status}”（可改为：{allowed}；已答复用 cases reply 登记文号，反馈用 cases feedback）",
                f"case #{case.id} is {case.status}; it cannot become {status} (it can become: {', '.join(MOVES.get(case.status, ())) or 'nothing'};"
                " a reply is recorded with cases reply, feedback with cases feedback)",
            )
        return self._update(case, {"status": status}, "状态", f"{case.status} → {status}" + (f"（{note}）" if note else ""), user)

    def link_draft(self, case_id: int, draft_id: int, user: str = "") -> Case:
        case = self.get(case_id)
        changes: dict[str, Any] = {"draft_id": int(draft_id)}
        if case.status in ("待办", "再次办理"):
            changes["status"] = "起草中"
        return self._update(case, changes, "关联草稿", f"草稿 #{draft_id}", user)

    def awaiting_reply(self, case_id: int) -> Case:
        """The case, if a reply can still be recorded for it (it is open); else a refusal in both languages."""
        case = self.get(case_id)
        if not case.open:
            raise QueryError(f"{case.label()}当前为“{case.status}”，不能登记答复", f"case #{case.id} is {case.status}: no reply can be recorded")
        return case

    def record_reply(
        self, case_id: int, doc_number: str, day: date, user: str = "", precedents: list[dict[str, Any]] | None = None, closes: bool = False
    ) -> Case:
        """已答复, with the 文号 and date and what the reply cited (``precedents``; [] when not known); with
        ``closes`` (a 会办意见 sent to the lead unit, whose proposer's feedback is not ours) 已办结 at once."""
        case = self.awaiting_reply(case_id)
        changes: dict[str, Any] = {
            "status": "已办结" if closes else "已答复",
            "reply_doc_number": doc_number,
            "reply_date": day.isoformat(),
            "precedents": json.dumps(precedents or [], ensure_ascii=False),
        }
        return self._update(case, changes, "会办意见已送主办单位" if closes else "答复", f"{doc_number}，{day.isoformat()}", user)

    def set_similar(self, case_id: int, similar: list[dict[str, Any]], user: str = "") -> Case:
        """The earlier cases and letters found on the same matter (recorded in the history when they change)."""
        case = self.get(case_id)
        if similar == case.similar:
            return case
        names = "、".join(s.get("doc_number") or f"{s.get('session', '')}第{s.get('number', '')}号{s.get('kind', '')}" for s in similar) or "无"
        return self._update(case, {"similar_cases": json.dumps(similar, ensure_ascii=False)}, "相似件", names, user)

    def record_feedback(self, case_id: int, feedback: str, day: date, again_due: date, user: str = "") -> Case:
        """满意 / 基本满意 close the case; 不满意 opens it again, due ``again_due``."""
        if feedback not in FEEDBACK:
            raise QueryError(f"反馈只能是 {'、'.join(FEEDBACK)}", f"feedback must be one of {', '.join(FEEDBACK)}")
        case = self.get(case_id)
        if case.status != "已答复":
            raise QueryError(f"{case.label()}当前为“{case.status}”，答复后才能登记反馈", f"case #{case.id} is {case.status}: feedback follows a reply")
        changes: dict[str, Any] = {"feedback": feedback, "status": "已办结"}
        if feedback == "不满意":
            changes.update(status="再次办理", due=again_due.isoformat())
        return self._update(case, changes, "反馈", f"{feedback}（{day.isoformat()}）", user)

    def assign(self, case_id: int, assignee: str, user: str = "") -> Case:
        """Give the case to a user, or to ``group:名`` (everyone in that group); '' takes it back."""
        case = self.get(case_id)
        assignee = grantee_name(assignee)
        if assignee.startswith("group:") and not assignee[len("group:") :].strip():
            raise QueryError("分组名不能为空（如 group:综合科）", "the group name is empty (e.g. group:综合科)")
        return self._update(case, {"assignee": assignee}, "分派", f"{case.assignee or '（未分派）'} → {assignee or '（未分派）'}", user)

    def extend(self, case_id: int, due: date, approval: str, user: str = "") -> Case:
        if not approval.strip():
            raise QueryError("延期需写明批准情况（如：经市政协提案委同意）", "an extension needs its approval note")
        case = self.get(case_id)
        if not case.open:
            raise QueryError(f"{case.label()}已{case.status}，不能延期", f"case #{case.id} is {case.status}: it cannot be extended")
        if case.due and due.isoformat() <= case.due:
            raise QueryError(f"延期后的期限须晚于现在的期限 {case.due}", f"an extension must be later than the current deadline {case.due}")
        return self._update(case, {"due": due.isoformat(), "extension": approval.strip()}, "延期", f"{case.due} → {due.isoformat()}：{approval}", user)

    def note(self, case_id: int, action: str, detail: str, user: str = "") -> None:
        """A line in the case's history that changes none of its fields (a reply filed as a precedent)."""
        with self.book.transaction() as db:
            self._history(db, int(case_id), action, detail, user)

    def history(self, case_id: int) -> list[dict[str, str]]:
        rows = self.book._query('SELECT at, "user", action, detail FROM case_history WHERE case_id = ? ORDER BY id', (int(case_id),))
        return [{"at": r[0], "user": r[1], "action": r[2], "detail": r[3]} for r in rows]

    def _update(self, case: Case, changes: dict[str, Any], action: str, detail: str, user: str) -> Case:
        with self.book.transaction() as db:
            db.execute(f"UPDATE cases SET {', '.join(f'{k} = ?' for k in changes)}, updated_at = ? WHERE id = ?", (*changes.values(), now(), case.id))
            self._history(db, case.id, action, detail, user)
        return self.get(case.id)

    @staticmethod
    def _history(db: Any, case_id: int, action: str, detail: str, user: str) -> None:
        db.execute('INSERT INTO case_history (case_id, at, "user", action, detail) VALUES (?, ?, ?, ?, ?)', (case_id, now(), user, action, detail))


def _stored(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else str(value or "")
