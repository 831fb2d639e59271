"""When a case is due, from the rules rather than by hand.

主办 (and 分办): the reply within three months of 交办 (《浙江省人民代表大会代表建议、批评和意见办理的规定》
第二十一条; extendable to six with the 交办机构's approval). 会办: the written opinion to the lead unit within two
months for a 建议 (第十八条) and, by common city practice, one month for a 提案. Re-handling after 不满意: one
month (第二十四条). A 办理期限 on the 交办清单, or ``--due``, overrides the rule."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DeadlineRules:
    lead_months: int = 3
    co_suggestion_months: int = 2
    co_proposal_months: int = 1
    again_months: int = 1

    @classmethod
    def from_settings(cls, settings) -> "DeadlineRules":
        return cls(settings.deadline_lead_months, settings.deadline_co_suggestion_months, settings.deadline_co_proposal_months, settings.deadline_again_months)

    def months(self, kind: str, role: str) -> int:
        if role == "会办":
            return self.co_suggestion_months if kind == "建议" else self.co_proposal_months
        return self.lead_months


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the month's last day where it is shorter (11月30日 + 3 → 2月28日)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(kind: str, role: str, assigned: date, rules: DeadlineRules = DeadlineRules()) -> date:
    return add_months(assigned, rules.months(kind, role))
