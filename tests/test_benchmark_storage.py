"""The benchmark's write figures count the bytes a write hands to the kernel, whatever the
page cache holds of the file it writes into."""

import argparse
import os

import pytest

from index.library import Library
from tests.benchmarks.answer_stages import answer_figures
from tests.benchmarks.storage import _written_bytes, write_cost
from tests.benchmarks.work import library_folder
from tests.conftest import HashingEmbedder
from tests.test_atomic_writes import article

PAGE = 4096


def test_a_page_written_into_a_file_just_read_counts_as_one_page(tmp_path):
    """A file read ahead may sit in the page cache in large folios, and the kernel's count of
    pages dirtied then charges each small write the whole folio (ext4 on Linux 6.16 and later)."""
    database = tmp_path / "library.sqlite3"
    with database.open("wb") as file:
        file.write(os.urandom(16 * 2**20))
        os.fsync(file.fileno())  # on the disk: the pages are clean when the test writes
    assert len(database.read_bytes()) == 16 * 2**20  # read whole, as the library reads its files ahead
    descriptor = os.open(database, os.O_RDWR)
    try:
        before = _written_bytes("thread-self")
        for page in range(10):
            os.pwrite(descriptor, b"x" * PAGE, page * 64 * PAGE)
        assert _written_bytes("thread-self") - before == 10 * PAGE
    finally:
        os.close(descriptor)


def test_the_write_figures_count_the_full_text_merging_the_writes_set_off(tmp_path):
    """What a write costs behind it is mostly the merging of the full-text index it sets off,
    now and then a large level at once: the figures say how many merge steps their writes made."""
    with Library(tmp_path / "idx", HashingEmbedder(), max_words=60) as library:
        documents = (article(n) for n in range(100))
        figures = write_cost(library, documents, writes=20)
    assert figures["merge_steps"] >= 1  # each write adds a segment; FTS5 merges a level of four
    assert figures["background_kb_per_write"] > 0
    assert figures["kb_p50"] > 0


def test_the_answer_figures_count_what_the_answering_thread_read_from_the_database(tmp_path):
    """Timings drift with a busy machine; the pages an answer reads do not. `answer_stages`
    reports them beside the stages, one figure a question."""
    with Library(tmp_path / "idx", HashingEmbedder(), max_words=60) as library:
        library.ingest(article(n) for n in range(30))
    with Library(tmp_path / "idx", HashingEmbedder(), max_words=60) as reopened:  # SQLite's cache empty
        figures = answer_figures(reopened, ["Que dit l'article 3 ?", "Que dit l'article 3 ?"])
    first, again = figures["KiB read"]
    assert first >= PAGE / 1024  # the candidates' pages, read through the file cache
    assert again < first  # asked again, they are in SQLite's own cache
    assert len(figures["total"]) == 2


def test_a_measuring_command_given_a_folder_without_a_library_refuses_it_and_creates_nothing(tmp_path, capsys):
    """Opening a wrong folder would create an empty library there and measure nothing."""
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", type=library_folder)
    with pytest.raises(SystemExit):
        parser.parse_args([str(tmp_path)])
    assert "holds no library" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    with Library(tmp_path / "idx", HashingEmbedder(), max_words=60) as library:
        library.ingest([article(1)])
    assert parser.parse_args([str(tmp_path / "idx")]).directory == tmp_path / "idx"
