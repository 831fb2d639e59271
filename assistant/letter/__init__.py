"""The reply letter (答复函): its data model and everything that reads or writes one.

model (Draft, Paragraph, Citation, Flag), conventions (numerals, heading levels, 文号, dates),
proposal (parsing a 提案/建议), compose (drafting from precedent units; uses search), rubric,
lint, review, markdown (round trip), export (GB/T 9704 .docx), word_import, redaction (公开版),
llm (optional rewrite). Importing this package, or lint / markdown / export / model / review,
loads no faiss, numpy or torch (tests/letter/test_model.py checks it)."""
