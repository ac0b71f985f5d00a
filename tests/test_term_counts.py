"""How many passages hold each term (what the lexical search and the term weights rest on):
remembered between questions, and always what FTS5 counts in the library as it is, whoever
wrote to it last."""

from __future__ import annotations

from index.documents import parse_text
from index.library import Library
from index.storage import DATABASE
from index.store import Store
from tests.conftest import SAMPLE, HashingEmbedder
from tests.test_atomic_writes import article


def fts5_counts(store: Store) -> dict[str, int]:
    return {term: doc for term, doc in store._db.execute("SELECT term, doc FROM passage_vocab")}


def test_term_counts_stay_exact_across_writes_by_this_and_other_processes(tmp_path):
    library = Library(tmp_path / "idx", HashingEmbedder(), max_words=60)
    library.ingest([article(n) for n in range(6)])
    reader = Store(tmp_path / "idx" / DATABASE)  # a bot answering questions
    with reader.read():
        assert reader.document_frequencies(["conseil", "vigueur", "absentissime"]) == {"conseil": 6, "vigueur": 6}

    library.ingest([article(6)])  # another connection writes, as another process would
    library.ingest([parse_text(SAMPLE.read_text(encoding="utf-8"), name="otan.txt", source="samples/otan.txt")])
    with reader.read():
        assert reader.document_frequencies(["conseil", "stoltenberg"]) == {"conseil": 7, "stoltenberg": 1}
    library.delete(8)  # the sample
    library.delete(1)
    with reader.read():
        expected = fts5_counts(reader)
        assert reader.document_frequencies(list(expected)) == expected
        assert reader.document_frequencies(["conseil", "stoltenberg"]) == {"conseil": 6}
    reader.close()
    library.close()
