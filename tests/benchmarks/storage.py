"""Storage figures (README, "Performance"): what one write costs as the library grows, and
how long questions wait while the vector index changes its layout in the background.

Both run on scale corpora (real French paragraphs, recycled real vectors: see `corpus`), so
the embedding model's time is not in them."""

from __future__ import annotations

import shutil
import sys
import threading
import time
from pathlib import Path

import numpy as np

from bot.service import ready_to_answer_for_long
from index.library import Library
from index.vectors import APPROXIMATE_FROM
from tests.benchmarks.corpus import RecycledVectors, eval_paragraphs, scale_documents

MAX_WORDS = 200


def _written_bytes(scope: str = "self") -> int:
    """Bytes this process ("self") or the calling thread ("thread-self") has handed to the
    kernel in write calls (Linux /proc accounting, `wchar`: SQLite writes its pages with
    `pwrite`, nothing through memory maps but its few-kilobyte index of the log). Not
    `write_bytes`, the pages the process dirtied: on kernels that cache a file in large
    folios (ext4 since Linux 6.16), a 4 KiB write into a page read ahead dirties and counts
    its whole folio (100 writes of 4 KiB into a file just read counted 20 MB on Linux 6.18),
    which made the maintenance's checkpoints look 7 to 50 times their size (README,
    "The last full run on the AMX Xeon")."""
    return process_io("wchar", scope)


def process_io(field: str, scope: str = "self") -> int:
    """A figure of Linux's I/O accounting for this process ("self") or thread ("thread-self")."""
    for line in Path(f"/proc/{scope}/io").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def _directory_bytes(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


def write_cost(library: Library, documents, writes: int = 20) -> dict:
    """One article at a time: time (the recycled embedder costs nothing) and bytes written
    by the writing thread (`_written_bytes`: its log pages and commit), median and max
    over `writes`; and what the maintenance thread wrote behind them (folding the log into
    the database, merging the full-text index, snapshots), per write, over the whole run, with
    the full-text merge steps and vector snapshots it made meanwhile. Most writes set off a few
    merge steps; now and then one sets off the merge of a large level (FTS5 merges a level once
    it holds four segments: tens of megabytes), or a snapshot (the whole vector index, every few
    thousand changes), behind that one write, which then dominates the figure: the counts say
    whether this run's twenty writes met one. The first write is timed apart: in a process that
    just opened the library, it reads the database pages it touches."""
    library.vector_index.wait()  # the build's own snapshots and layout changes are not this write's
    started = time.perf_counter()
    library.ingest([next(documents)])
    first = time.perf_counter() - started
    library.vector_index.wait()
    seconds, written = [], []
    vectors = library.vector_index
    process_before, steps_before, snapshots_before = _written_bytes(), vectors.merge_steps, vectors.snapshots_written
    for _ in range(writes):
        document = next(documents)
        before = _written_bytes("thread-self")
        started = time.perf_counter()
        (result,) = library.ingest([document])
        seconds.append(time.perf_counter() - started)
        if result.status != "added":  # a library reused from an earlier run already holds it
            raise RuntimeError(f"the benchmark's write was a duplicate of article {result.article.id}")
        written.append(_written_bytes("thread-self") - before)
    library.vector_index.wait()
    behind = (_written_bytes() - process_before - sum(written)) / writes
    return {
        "first_ms": round(first * 1000, 2),
        "ms_p50": round(float(np.median(seconds)) * 1000, 2),
        "ms_max": round(max(seconds) * 1000, 2),
        "kb_p50": round(float(np.median(written)) / 1024, 1),
        "kb_max": round(max(written) / 1024, 1),
        "background_kb_per_write": round(max(behind, 0) / 1024, 1),
        "merge_steps": vectors.merge_steps - steps_before,
        "snapshots": vectors.snapshots_written - snapshots_before,
        "directory_mb": round(_directory_bytes(library.directory) / 2**20, 1),
    }


def questions_during_layout_change(
    directory: Path, recycled: RecycledVectors, questions: list[str], start: int, end: int
) -> dict:
    """A client asks without pause while a writer grows the library from `start` to `end`
    passages, across the switch to an approximate index (trained in the background). The
    questions' latencies in three phases: the client alone; while the writer writes, before
    the library nears the switch (the usual latency under that write load); and from then
    on, across the training and the swap. The process answers as the bot's does
    (`ready_to_answer_for_long`), for this measurement only."""
    shutil.rmtree(directory, ignore_errors=True)  # one left by an earlier run in the same --work is past the switch
    library = Library(directory, recycled, max_words=MAX_WORDS)
    switch_interval = sys.getswitchinterval()
    try:
        ready_to_answer_for_long(library)
        return _questions_during_layout_change(library, questions, start, end)
    finally:
        sys.setswitchinterval(switch_interval)
        library.close()


def _questions_during_layout_change(library: Library, questions: list[str], start: int, end: int) -> dict:
    documents = scale_documents(eval_paragraphs(), 10**9, seed=7)
    while library.stats().passages < start:
        library.ingest([next(documents) for _ in range(200)])
    library.vector_index.wait()
    before_kind = library.vector_index.kind
    baseline = [_timed(library.ask, q) for q in questions[:100]]
    near_switch = 0.9 * APPROXIMATE_FROM  # sentence vectors
    latencies: dict[str, list[float]] = {"writes": [], "switch": []}
    phase = ["writes"]
    done = threading.Event()

    def grow() -> None:
        while library.stats().passages < end:
            library.ingest([next(documents) for _ in range(50)])
            if len(library.vector_index) >= near_switch:
                phase[0] = "switch"
        library.vector_index.wait()
        done.set()

    writer = threading.Thread(target=grow)
    writer.start()
    for number in range(100_000):  # bounded: the writer ends well before
        if done.is_set():
            break
        current = phase[0]
        latencies[current].append(_timed(library.ask, questions[number % len(questions)]))
    writer.join()
    report = {
        "passages": [start, library.stats().passages],
        "vector_index": [before_kind, library.vector_index.kind],
        "baseline_ms": _summary(baseline),
        "writes_ms": _summary(latencies["writes"]),
        "during_ms": _summary(latencies["switch"]),
        "questions": len(latencies["switch"]),
    }
    return report


def _summary(seconds: list[float]) -> dict:
    return {"p50": _ms(np.median(seconds)), "p95": _ms(np.percentile(seconds, 95)), "max": _ms(max(seconds))}


def _timed(ask, question: str) -> float:
    started = time.perf_counter()
    ask(question)
    return time.perf_counter() - started


def _ms(seconds: float) -> float:
    return round(float(seconds) * 1000, 1)
