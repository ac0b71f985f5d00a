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
    shown: dict[str, list[tuple[int, int]]] = {}

    @contextlib.contextmanager
    def display(stage: str, unit: str):
        steps = shown.setdefault(f"{stage} ({unit})", [])
        yield lambda done, total: steps.append((done, total))

    reply = respond(library, f"/ingest {folder}", settings, progress=display)
    assert reply.count("Ajouté") == 3, reply
    assert shown["Lecture (fichier)"] == [(1, 3), (2, 3), (3, 3)]  # the files read, one by one
    added = shown["Ajout (phrase)"]  # then their sentences, read by the model
    assert added and added[-1][0] == added[-1][1] > 0
    assert [done for done, _ in added] == sorted(done for done, _ in added)
