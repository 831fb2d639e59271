"""Staff's work: saved drafts, their versions, shares and the audit trail (book, drafts.db), and
exported letters on disk (exports)."""
