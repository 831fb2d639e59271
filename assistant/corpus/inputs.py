"""What the model and the keyword index see of a passage or a unit: one definition, read by ingest
when a file comes in and by ``Corpus.reindex`` when vectors are computed again."""

from __future__ import annotations

import hashlib
import json

from .text import Segmenter


def _metadata_text(metadata: dict) -> str:
    return metadata.get("proposal_title", "")


def embedding_input(title: str, heading: str, body: str, metadata: dict | str) -> str:
    """What the model sees for a chunk: the document title and heading path give it context."""
    meta = json.loads(metadata) if isinstance(metadata, str) else metadata
    return "\n".join(part for part in (title, _metadata_text(meta), heading, body) if part)


def keyword_fields(segmenter: Segmenter, title: str, heading: str, body: str, metadata: dict | str) -> tuple[str, str]:
    """FTS5 columns: (context tokens, body tokens), segmented as the corpus segments and space-joined."""
    meta = json.loads(metadata) if isinstance(metadata, str) else metadata
    context = " ".join(part for part in (title, _metadata_text(meta), heading) if part)
    return " ".join(segmenter.tokenize(context)), " ".join(segmenter.tokenize(body))


def input_hash(text: str) -> str:
    """The key a vector is stored and reused under: the hash of what the model saw."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def unit_embedding_input(heading: str, body: str) -> str:
    """What the model sees for a precedent unit: its heading path (the topic, or the suggestion
    the old letter answered there) and its text; not the letter's title, which all units share."""
    return "\n".join(part for part in (heading, body) if part)
