"""The handling season: a register of every 提案/建议 the bureau must answer — intake from a 交办清单,
deadlines from the rules, status from 待办 to 已办结, and who changed what (issue 25)."""
