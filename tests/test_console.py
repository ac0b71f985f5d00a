"""The console chat in this process: what `python -m bot chat` shows around its replies."""

from __future__ import annotations

import contextlib

from bot.console import respond


def test_adding_articles_in_the_console_shows_the_work_as_it_goes(library, settings, tmp_path, sample_text):
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(3):
        (folder / f"article-{n}.txt").write_text(
            f"Article {n}\n\nLe numéro {n} de la série. {sample_text}", encoding="utf-8"
        )
    shown: list[tuple[int, int]] = []

    @contextlib.contextmanager
    def display():
        yield lambda done, total: shown.append((done, total))

    reply = respond(library, f"/ingest {folder}", settings, progress=display)
    assert reply.count("Ajouté") == 3, reply
    assert shown and shown[-1][0] == shown[-1][1] > 0  # shown to its end
    assert [done for done, _ in shown] == sorted(done for done, _ in shown)
