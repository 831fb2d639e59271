"""The Gradio web app: a thin layer over ``Assistant`` (it never touches FAISS or SQL)."""
