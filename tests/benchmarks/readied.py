"""A library readied for questions as the bot readies it, for the benchmarks that time answers."""

from __future__ import annotations

from index.library import Library


def readied_as_the_bot(library: Library) -> Library:
    """`library` after `prepare_for_questions`, its vectors read in and its in-memory lexicon
    built (the question network may still be compiling: callers warm up, or wait for it)."""
    library.prepare_for_questions()
    library.vector_index.wait()
    if library.lexicon is not None:
        library.lexicon.wait()
    return library
