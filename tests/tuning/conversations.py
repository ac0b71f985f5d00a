"""Conversations asked turn by turn, each follow-up with and without its conversation's topic.

    python -m tests.tuning.conversations [tests/data/conversations/development.jsonl …]

Each conversation (`tests/data/conversations/*.jsonl`: its article, then its turns, each a
question and the words its first quote must hold, or none when it must be declined) is asked
of a library of its article alone and of a library of every article the files name. Prints
each follow-up turn and, per library, how many were right: with the topic carried from turn
to turn (`Library.ask(…, topic=previous.topic)`) and with every question alone. Articles are
named `news/…` (in ../shared/eval/news), `small/…` (in tests/data/small-library), `new67/…`
(in tests/data/conversations/articles-67, written for review 67), and likewise `new67b/…`,
`new68/…`, `new68b/…`, `new69/…`, `new69b/…`, `new69c/…`, `new70/…`, `new70b/…`, `new71/…`,
`new72/…`, `new73/…`, `new74/…`, `new75/…`, `new76/…`, `new77/…` and `new78/…` (in
tests/data/conversations/articles-67b, -68, -68b, -69, -69b, -69c, -70, -70b, -71, -72, -73, -74,
-75, -76, -77, -78). A conversation may name
`files` (two or three articles) instead of `file`: it is then asked of a library of those
articles, where a follow-up must be read in its own topic's article. A turn the chat takes as
small talk ("Merci !") is answered as the chat does, without a search, and is right when it
expects no quote. Not part of the test suite: the development figures of README, "How it
works", step 9.
"""

from __future__ import annotations

import json
import sys
import tempfile
import unicodedata
from pathlib import Path

from bot.chat_input import what_is_said
from bot.service import library_options, load_settings_embedder
from bot.settings import Settings
from index.documents import Document
from index.library import Library
from index.sources import read_file

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = {
    "news": ROOT.parent / "shared" / "eval" / "news",
    "small": ROOT / "tests" / "data" / "small-library",
    "new67": ROOT / "tests" / "data" / "conversations" / "articles-67",
    "new67b": ROOT / "tests" / "data" / "conversations" / "articles-67b",
    "new68": ROOT / "tests" / "data" / "conversations" / "articles-68",
    "new68b": ROOT / "tests" / "data" / "conversations" / "articles-68b",
    "new69": ROOT / "tests" / "data" / "conversations" / "articles-69",
    "new69b": ROOT / "tests" / "data" / "conversations" / "articles-69b",
    "new69c": ROOT / "tests" / "data" / "conversations" / "articles-69c",
    "new70": ROOT / "tests" / "data" / "conversations" / "articles-70",
    "new70b": ROOT / "tests" / "data" / "conversations" / "articles-70b",
    "new71": ROOT / "tests" / "data" / "conversations" / "articles-71",
    "new72": ROOT / "tests" / "data" / "conversations" / "articles-72",
    "new73": ROOT / "tests" / "data" / "conversations" / "articles-73",
    "new74": ROOT / "tests" / "data" / "conversations" / "articles-74",
    "new75": ROOT / "tests" / "data" / "conversations" / "articles-75",
    "new76": ROOT / "tests" / "data" / "conversations" / "articles-76",
    "new77": ROOT / "tests" / "data" / "conversations" / "articles-77",
    "new78": ROOT / "tests" / "data" / "conversations" / "articles-78",
}
DEFAULT = [ROOT / "tests" / "data" / "conversations" / "development.jsonl"]


def document(name: str) -> Document:
    folder, file = name.split("/", 1)
    return read_file(FOLDERS[folder] / file, max_bytes=10_000_000)


def normalised(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("\u202f", " ").replace("\xa0", " ")
    return " ".join(text.casefold().split())


def right(answer, expected: list[str]) -> bool:
    if not expected:
        return not answer.found
    # A question on the article's details is answered with its card: its title says which.
    card = f" {answer.results[0].article.title}" if answer.results and answer.detail else ""
    quote = normalised(answer.results[0].quote + card) if answer.results else ""
    return answer.found and any(normalised(words) in quote for words in expected)


def converse(library: Library, conversation: dict, carry: bool) -> list[bool]:
    """Whether each follow-up turn (all but the first) was answered right."""
    topic, marks = None, []
    for turn, step in enumerate(conversation["turns"]):
        if what_is_said(step["question"], may_be_article=False).aside is not None:
            # "Merci !", "Super" between questions: the chat replies to it without searching,
            # and the topic stays the one before (`bot.chat_input.what_is_said`).
            if turn:
                marks.append(not step["answers"])
                print(f"{conversation['id']:12} carry={int(carry)} aside right={int(marks[-1])} | {step['question']}")
            continue
        answer = library.ask(step["question"], topic=topic if carry else None)
        topic = answer.topic
        if turn:
            marks.append(right(answer, step["answers"]))
            quote = answer.results[0].quote[:90] if answer.results else ""
            print(
                f"{conversation['id']:12} carry={int(carry)} follows={int(answer.follows)} "
                f"right={int(marks[-1])} p={answer.relevance:.2f} | {step['question']} | {quote}"
            )
    return marks


def its_articles(conversation: dict) -> list[str]:
    """The articles a conversation is asked of first: its `files`, or its one `file`."""
    return conversation.get("files") or [conversation["file"]]


def main(files: list[Path]) -> None:
    conversations = [json.loads(line) for file in files for line in file.read_text(encoding="utf-8").splitlines()]
    names = sorted(
        {n for c in conversations for n in its_articles(c)}
        | {f"small/{p.name}" for p in FOLDERS["small"].glob("*.txt")}
    )
    settings = Settings()
    embedder = load_settings_embedder(settings)
    totals: dict[tuple[str, bool], list[bool]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        every = Library(Path(scratch) / "every", embedder, **library_options(settings))
        every.ingest([document(n) for n in names])
        for conversation in conversations:
            alone = Library(Path(scratch) / conversation["id"], embedder, **library_options(settings))
            alone.ingest([document(n) for n in its_articles(conversation)])
            mine = "article alone" if len(its_articles(conversation)) == 1 else "its articles"
            for library, label in ((alone, mine), (every, f"{len(names)} articles")):
                for carry in (True, False):
                    totals.setdefault((label, carry), []).extend(converse(library, conversation, carry))
            alone.close()
        every.close()
    for (label, carry), marks in totals.items():
        way = "topic carried" if carry else "each alone"
        print(f"{label:14} {way:13} {sum(marks)} / {len(marks)} follow-ups right")


if __name__ == "__main__":
    main([Path(a) for a in sys.argv[1:]] or DEFAULT)
