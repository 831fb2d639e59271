"""The indexed corpus: files in, searchable passages out.

loaders (read .txt/.md/.docx/.pdf/.html/.jsonl) → letters (a reply letter's 文号, date, proposal) →
chunking (passages) and units (precedent units with roles: 成效/举措/计划/条文…) → text (jieba) and
embeddings (sentence-transformers) → store (SQLite: rows, FTS5, vectors) and vectors (FAISS) →
index (the three together) ← ingest (incremental, atomic) ← uploads and jobs (the web's queue)."""
