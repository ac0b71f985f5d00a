"""A library readied for questions as the bot readies it, for the benchmarks that time answers."""

from __future__ import annotations

from index.library import Library

READY_TIMEOUT = 600  # seconds: reading a million passages' vectors in takes about a minute


def readied_as_the_bot(library: Library) -> Library:
    """`library` after `prepare_for_questions` and all of its start-up work: its vectors read
    in, its in-memory lexicon built, its question network compiled."""
    library.prepare_for_questions().result(timeout=READY_TIMEOUT)
    return library
