"""The Gradio web app: a thin layer over ``Assistant`` (it never touches FAISS or SQL).

``app`` builds the page from one module per tab (``draft_tab``, ``search_tab``, ``corpus_tab``,
``drafts_tab``) and starts the server; ``render`` turns results into escaped HTML; ``security``
stands between the network and Gradio's routes. Handlers are plain methods: tests call them
without a server (tests/web/test_handlers.py)."""
