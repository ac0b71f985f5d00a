"""Progress as users see it: the total in sentences (what the model embeds) from the
start, moving as they are embedded, for an ingest and for a reindex."""

from index.library import Library
from tests.conftest import HashingEmbedder
from tests.test_atomic_writes import article


def record(action) -> list[tuple[int, int]]:
    calls: list[tuple[int, int]] = []
    action(lambda done, total: calls.append((done, total)))
    return calls


def test_an_ingest_reports_sentences_with_their_total_from_the_start(tmp_path):
    library = Library(tmp_path / "idx", HashingEmbedder(), max_words=60, batch_sentences=4)  # several commits
    calls = record(lambda progress: library.ingest([article(n) for n in range(10)], progress))  # 2 sentences each
    assert calls[0] == (0, 20) and calls[-1] == (20, 20)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert {total for _, total in calls} == {20} and len(calls) > 3  # it moves between commits
    library.close()


def test_duplicates_count_as_done_so_progress_still_ends_at_the_total(tmp_path):
    library = Library(tmp_path / "idx", HashingEmbedder(), max_words=60)
    library.ingest([article(1)])
    calls = record(lambda progress: library.ingest([article(1), article(2), article(2)], progress))
    assert calls[0] == (0, 6) and calls[-1] == (6, 6)
    library.close()


def test_a_reindex_reports_sentences_with_their_total_from_the_start(tmp_path):
    library = Library(tmp_path / "idx", HashingEmbedder(), max_words=60)
    library.ingest([article(n) for n in range(6)])
    calls = record(library.reindex)
    assert calls[0] == (0, 12) and calls[-1] == (12, 12)
    library.close()
