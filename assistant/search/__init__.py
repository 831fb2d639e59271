"""Finding precedents: retrieval (hybrid BM25 + dense search, fusion, the relevance floor),
thesaurus (plain words → normative terms, learned abbreviations), evaluation (eval sets)."""
