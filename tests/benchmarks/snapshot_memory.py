"""What a vector snapshot costs in memory in a process that answers for long: the library opened
as the bot opens it (its vectors read into its memory), one article written so that a snapshot
has something to save, then the snapshot saved as the maintenance thread saves it (an
approximate one written from the newest snapshot and the log since, list by list). Prints the
process's resident memory before, its peak during the save (Linux's high-water mark, reset
just before) and the snapshot's size. The article stays in the library.

    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.snapshot_memory /tmp/bench-work
"""

from __future__ import annotations

import time
from pathlib import Path

from index.directory import snapshots
from index.library import Library
from tests.benchmarks.corpus import eval_paragraphs, scale_documents
from tests.benchmarks.readied import readied_as_the_bot
from tests.benchmarks.work import recycled_vectors, scale_library, work_arguments


def memory_mib(field: str) -> float:
    """A figure of /proc/self/status (VmRSS, VmHWM, RssAnon…), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def reset_peak() -> None:
    """Linux: the high-water mark of resident memory set back to the current figure."""
    Path("/proc/self/clear_refs").write_text("5")


def main() -> None:
    from tests.benchmarks.run import MAX_WORDS, machine

    args = work_arguments(__doc__).parse_args()
    recycled = recycled_vectors(args.work)
    cpu = machine()
    print(f"{cpu['cpu']} ({' '.join(cpu['cpu_flags'])})")
    directory = scale_library(args.work, args.size)
    with Library(directory, recycled, max_words=MAX_WORDS) as library:
        readied_as_the_bot(library)
        documents = scale_documents(eval_paragraphs(), 10**9, seed=library.stats().passages + 7)
        library.ingest([next(documents)])
        library.vector_index.wait()  # whatever that write set off is done before the save is measured
        store = library._current().store
        written, before = library.vector_index.snapshots_written, memory_mib("VmRSS")
        reset_peak()
        started = time.perf_counter()
        library.vector_index.write_snapshot(store)
        seconds = time.perf_counter() - started
        peak = memory_mib("VmHWM")
        if library.vector_index.snapshots_written == written:
            raise SystemExit("no snapshot was due: nothing measured")
        with store.read():
            newest = snapshots(directory, store.library_id())[0][1]
        print(
            f"{library.stats().passages:,} passages: snapshot {newest.name} of "
            f"{newest.stat().st_size / 2**20:,.0f} MiB saved in {seconds:.1f} s; resident {before:,.0f} MiB "
            f"before, peak {peak:,.0f} MiB during (+{peak - before:,.0f} MiB)"
        )


if __name__ == "__main__":
    main()
