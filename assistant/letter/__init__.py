"""The reply letter (答复函): its data model and everything that reads or writes one.

model (Draft, Paragraph, Citation, Flag), proposal (parsing a 提案/建议), precedents (the Protocol
drafting and review read the index through), compose (drafting from precedent units), rubric, lint,
review, markdown (round trip), export (GB/T 9704 .docx), word_import, redaction (公开版), llm
(optional rewrite), service (the door's letter side). The genre's grammar (numerals, headings,
文号, dates, the letter's parts) is in ``assistant.genre``. Importing this package, or lint / markdown / export / model / review,
loads no faiss, numpy or torch (tests/letter/test_model.py checks it)."""
