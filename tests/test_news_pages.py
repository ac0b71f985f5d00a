"""French news pages as their sites mark them up (tests/data/news-pages): each is read with its
headline, publication day and byline, all of its text in order, and none of the boxes around it."""

import json

from index.extraction_report import extraction_report


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
