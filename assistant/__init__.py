"""reply-assistant: precedent search and reply-letter (答复函) drafting for 政协提案 / 人大建议.

Importing the package is cheap: torch, the model and FAISS load on first use.
"""

__version__ = "0.1.0"
