"""French news pages as their sites mark them up (tests/data/news-pages): each is read with its
headline, publication day and byline, all of its text in order, and none of the boxes around it."""

import json
from pathlib import Path

import pytest

from index.extraction_report import PageFigures, extraction_report

PAGES = Path(__file__).parent / "data" / "news-pages"
# What is not read right yet, and why.
NOT_YET: dict[str, str] = {}
FILES = [
    pytest.param(file, marks=pytest.mark.xfail(reason=NOT_YET[file], strict=True)) if file in NOT_YET else file
    for file in (
        json.loads(line)["file"] for line in (PAGES / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    )
]


@pytest.fixture(scope="module")
def figures() -> dict[str, PageFigures]:
    return {page.file: page for page in extraction_report(PAGES)}


@pytest.mark.parametrize("file", FILES)
def test_a_news_page_is_read_as_its_reader_reads_it(figures, file):
    page = figures[file]
    assert page.error is None
    assert (page.title_ok, page.date_ok, page.author_ok is not False) == (True, True, True), (
        page.title,
        page.date,
        page.author,
    )
    assert page.with_found == page.with_total
    assert page.with_in_order is True
    assert page.without_found == []
    assert page.answers_kept == page.answers_total
    assert page.short_passages == []
    assert page.repeated_paragraphs == []


def test_the_report_tells_text_read_out_of_order_and_a_paragraph_read_twice(tmp_path):
    cost = "La mesure coûtera 4 millions d'euros par an, selon l'adjoint aux finances."
    (tmp_path / "page.txt").write_text(
        f"Transports gratuits\n\nLa mairie a voté lundi la gratuité des transports.\n\n{cost}\n\n{cost}\n",
        encoding="utf-8",
    )
    (tmp_path / "page.snippets.json").write_text(
        json.dumps({"with": ["4 millions d'euros", "la gratuité des transports"], "in_order": True}),
        encoding="utf-8",
    )
    (tmp_path / "manifest.jsonl").write_text(json.dumps({"file": "page.txt"}) + "\n", encoding="utf-8")
    [page] = extraction_report(tmp_path)
    assert page.with_found == 2
    assert page.with_in_order is False  # said, but the vote before its cost
    assert page.repeated_paragraphs == [cost.casefold()]


def test_eval_extraction_prints_each_page_s_figures_and_says_when_it_has_no_date_or_author(tmp_path, capsys):
    from bot.cli import main

    (tmp_path / "note.txt").write_text(
        "Transports gratuits\n\nLa mairie a voté lundi la gratuité des transports en commun.\n", encoding="utf-8"
    )
    (tmp_path / "manifest.jsonl").write_text(
        json.dumps({"file": "note.txt", "ref_title": "Transports gratuits"}) + "\n", encoding="utf-8"
    )
    assert main(["eval-extraction", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "titre oui « Transports gratuits »" in printed
    assert "date — aucune ; auteur — aucun" in printed
    assert "None" not in printed
