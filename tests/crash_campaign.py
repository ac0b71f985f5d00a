"""Kill -9 campaign: a process writing to a library is killed at a random moment, again and
again; after each kill the library must open, its rows and vectors must agree, its full-text
index must pass SQLite's integrity check, and every write the process acknowledged must be
there (every article it reported added, none it reported deleted).

    python -m tests.crash_campaign --trials 60     # README, "The index directory"

Four kinds of work are killed, in turn:
- ingest: one article per commit;
- delete: deletions between ingests;
- reindex: a reindex running while the same process keeps ingesting;
- compaction: ingests into a library whose vector index is snapshotted every few changes
  and changes its layout (exact → IVF, then more cells) in the background, so that kills
  land inside snapshot writes, log pruning and layout swaps.
`tests/test_atomic_writes.py` runs a few trials of each in the test suite.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

from index.library import Library
from tests.conftest import ROOT, HashingEmbedder

KINDS = ("ingest", "delete", "reindex", "compaction")
SEEDED_ARTICLES = 60  # in the library before the writer starts

_WRITER = textwrap.dedent(
    """
    import sys, threading
    sys.path.insert(0, {root!r})
    from index.library import Library
    from index.storage import LocalBackend
    from tests.conftest import HashingEmbedder
    from tests.test_atomic_writes import article

    kind = {kind!r}
    options = dict(approximate_from=300, snapshot_every=(3, 3)) if kind == "compaction" else {{}}
    library = Library(LocalBackend({directory!r}, **options), HashingEmbedder(), max_words=60, batch_sentences=1)
    printing = threading.Lock()  # print writes a line and its end apart: "added 383reindexed"

    def say(line):
        with printing:
            print(line, flush=True)

    if kind == "reindex":
        def reindex_forever():
            for _ in range(1000):  # bounded; the kill comes first
                library.reindex()
                say("reindexed")
        threading.Thread(target=reindex_forever, daemon=True).start()
    say("ready")
    for n in range({first}, {first} + 100_000):  # bounded; the kill comes first
        added = library.ingest([article(n)])[0].article
        say(f"added {{added.id}}")
        if kind == "delete" and n % 2 == 0:
            say(f"deleting {{added.id - 1}}")
            library.delete(added.id - 1)
            say(f"deleted {{added.id - 1}}")
    """
)


@dataclass(frozen=True)
class Trial:
    kind: str
    killed_after: float
    acknowledged: int  # writes the process reported done before it was killed
    articles: int  # in the library after the kill


def seed_library(directory: Path) -> None:
    from tests.test_atomic_writes import article

    with Library(directory, HashingEmbedder(), max_words=60) as library:
        library.ingest([article(n) for n in range(SEEDED_ARTICLES)])


def run_trial(directory: Path, kind: str, kill_after: float, first: int) -> Trial:
    """Start a writer of `kind`, kill it after `kill_after` seconds, and check the library."""
    from tests.test_atomic_writes import consistent

    script = _WRITER.format(root=str(ROOT), directory=str(directory), kind=kind, first=first)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, cwd=ROOT, text=True)
    if process.stdout.readline().strip() != "ready":
        process.kill()
        raise AssertionError(f"the {kind} writer did not start")
    time.sleep(kill_after)
    os.kill(process.pid, signal.SIGKILL)
    output = process.communicate()[0].split()
    added = {int(i) for word, i in itertools.pairwise(output) if word == "added"}  # article ids
    deleted = {int(i) for word, i in itertools.pairwise(output) if word == "deleted"}
    # A deletion under way at the kill may or may not have been committed: it was not acknowledged.
    in_flight = {int(i) for word, i in itertools.pairwise(output) if word == "deleting"} - deleted
    articles, passages = consistent(directory)  # opens, and checks rows against vectors
    assert passages == articles, f"{kind}: {articles} articles but {passages} passages"
    with Library(directory, HashingEmbedder(), max_words=60) as library:
        present = {row.id for row in library.articles()}
    lost = added - deleted - in_flight - present
    revived = deleted & present
    assert not lost, f"{kind}: acknowledged articles lost after the kill: {sorted(lost)[:10]}"
    assert not revived, f"{kind}: acknowledged deletions undone after the kill: {sorted(revived)[:10]}"
    return Trial(kind, kill_after, len(added) + len(deleted), articles)


def campaign(work: Path, trials: int, seed: int = 0, report=print) -> list[Trial]:
    """`trials` kills, the kinds in turn, each at a random moment within its first 2.5 s."""
    rng = random.Random(seed)
    results = []
    for number in range(trials):
        kind = KINDS[number % len(KINDS)]
        directory = work / f"trial-{number}" / "idx"
        seed_library(directory)
        trial = run_trial(directory, kind, rng.uniform(0.2, 2.5), first=1000 * (number + 1))
        results.append(trial)
        report(
            f"{number + 1:3d}/{trials} {trial.kind:<10} killed after {trial.killed_after:.2f} s: "
            f"{trial.acknowledged} acknowledged writes kept, {trial.articles} articles, consistent"
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=None, help="scratch directory (default: a temporary one)")
    args = parser.parse_args(argv)
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        work = args.work or Path(scratch)
        started = time.perf_counter()
        results = campaign(work, args.trials, args.seed)
    by_kind = {kind: sum(t.kind == kind for t in results) for kind in KINDS}
    print(
        f"{len(results)} kills ({', '.join(f'{n} {k}' for k, n in by_kind.items())}), 0 failures, "
        f"{time.perf_counter() - started:.0f} s; CPU: {_cpu()}"
    )
    return 0


def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return f"{line.split(':', 1)[1].strip()}, {os.cpu_count()} cores"
    return "unknown"


if __name__ == "__main__":
    sys.exit(main())
