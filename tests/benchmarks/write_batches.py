"""The benchmark's write figures (`storage.write_cost`: one article at a time, 20 writes after a
first) taken again and again on a library the benchmark built, so that the rare write that sets
off the merge of a large full-text level is seen among the ordinary ones: each batch's bytes by
the write and behind it, with the merge steps and vector snapshots the maintenance made meanwhile, then what a write
cost behind it over all the batches. The writes stay in the library (new articles each time).

    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.write_batches /tmp/bench-work --batches 30
"""

from __future__ import annotations

from index.library import Library
from tests.benchmarks.corpus import eval_paragraphs, scale_documents
from tests.benchmarks.storage import write_cost
from tests.benchmarks.work import recycled_vectors, scale_library, work_arguments


def main() -> None:
    from tests.benchmarks.run import MAX_WORDS, machine

    parser = work_arguments(__doc__)
    parser.add_argument("--batches", type=int, default=30)
    args = parser.parse_args()
    recycled = recycled_vectors(args.work)
    cpu = machine()
    print(f"{cpu['cpu']} ({' '.join(cpu['cpu_flags'])})")
    behind_kib, steps = [], []
    with Library(scale_library(args.work, args.size), recycled, max_words=MAX_WORDS) as library:
        # Seeded apart from the benchmark's own writes: articles the library does not hold yet.
        documents = scale_documents(eval_paragraphs(), 10**9, seed=library.stats().passages + 1)
        for batch in range(args.batches):
            figures = write_cost(library, documents)
            behind_kib.append(figures["background_kb_per_write"])
            steps.append(figures["merge_steps"])
            print(
                f"batch {batch + 1:3d}: by the write {figures['kb_p50']:.0f} / {figures['kb_max']:.0f} KiB p50 / max, "
                f"behind {figures['background_kb_per_write']:,.0f} KiB a write, "
                f"{figures['merge_steps']} full-text merge steps, {figures['snapshots']} vector snapshots",
                flush=True,
            )
    ordered = sorted(behind_kib)
    print(
        f"behind a write, over {len(ordered)} batches: median {ordered[len(ordered) // 2]:,.0f} KiB, "
        f"largest {ordered[-1]:,.0f} KiB, mean {sum(ordered) / len(ordered):,.0f} KiB; "
        f"merge steps a batch from {min(steps)} to {max(steps)}"
    )


if __name__ == "__main__":
    main()
