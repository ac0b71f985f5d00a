"""Storage figures (README, "Performance"): what one write costs as the library grows, and
how long questions wait while the vector index changes its layout in the background.

Both run on scale corpora (real French paragraphs, recycled real vectors: see `corpus`), so
the embedding model's time is not in them."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np

from index.library import Library
from tests.benchmarks.corpus import RecycledVectors, eval_paragraphs, scale_documents

MAX_WORDS = 200


def _written_bytes() -> int:
    """Bytes this process has caused to be written to storage (Linux /proc accounting)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("write_bytes:"):
            return int(line.split()[1])
    return 0


def _directory_bytes(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


def write_cost(library: Library, documents, writes: int = 20) -> dict:
    """One article at a time: time (the recycled embedder costs nothing) and bytes written,
    counted by the kernel (WAL pages, checkpoints, snapshots), median over `writes`."""
    library.vector_index.wait()  # the build's own snapshots and layout changes are not this write's
    seconds, written = [], []
    for _ in range(writes):
        document = next(documents)
        before = _written_bytes()
        started = time.perf_counter()
        library.ingest([document])
        seconds.append(time.perf_counter() - started)
        written.append(_written_bytes() - before)
    library.vector_index.wait()
    return {
        "ms_p50": round(float(np.median(seconds)) * 1000, 2),
        "ms_max": round(max(seconds) * 1000, 2),
        "kb_p50": round(float(np.median(written)) / 1024, 1),
        "kb_max": round(max(written) / 1024, 1),
        "directory_mb": round(_directory_bytes(library.directory) / 2**20, 1),
    }


def questions_during_layout_change(
    directory: Path, recycled: RecycledVectors, questions: list[str], start: int, end: int
) -> dict:
    """A client asks without pause while a writer grows the library from `start` to `end`
    passages, across the switch to an approximate index: each question's latency, against
    the same client's latencies before the writer starts."""
    library = Library(directory, recycled, max_words=MAX_WORDS)
    documents = scale_documents(eval_paragraphs(), 10**9, seed=7)
    while library.stats().passages < start:
        library.ingest([next(documents) for _ in range(200)])
    library.vector_index.wait()
    before_kind = library.vector_index.kind
    baseline = [_timed(library.ask, q) for q in questions[:100]]
    latencies: list[float] = []
    done = threading.Event()

    def grow() -> None:
        while library.stats().passages < end:
            library.ingest([next(documents) for _ in range(50)])
        library.vector_index.wait()
        done.set()

    writer = threading.Thread(target=grow)
    writer.start()
    for number in range(100_000):  # bounded: the writer ends well before
        if done.is_set():
            break
        latencies.append(_timed(library.ask, questions[number % len(questions)]))
    writer.join()
    report = {
        "passages": [start, library.stats().passages],
        "vector_index": [before_kind, library.vector_index.kind],
        "baseline_ms": {"p50": _ms(np.median(baseline)), "p95": _ms(np.percentile(baseline, 95))},
        "during_ms": {
            "p50": _ms(np.median(latencies)),
            "p95": _ms(np.percentile(latencies, 95)),
            "max": _ms(max(latencies)),
        },
        "questions": len(latencies),
    }
    library.close()
    return report


def _timed(ask, question: str) -> float:
    started = time.perf_counter()
    ask(question)
    return time.perf_counter() - started


def _ms(seconds: float) -> float:
    return round(float(seconds) * 1000, 1)
