"""How well pages are read: text, title, date and byline against what a careful reader
took from each page (the format of `shared/eval/news`: `manifest.jsonl` with `ref_title`,
`ref_date`, `ref_author`; `*.snippets.json` with text that must and must not be there, and
`"in_order": true` when the text must say it in the order listed; `questions.jsonl`, whose
answers must survive extraction). A paragraph read twice (a standfirst set once for phones and
once for screens, a page's text and its stated copy) is counted on every page."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from index.chunking import chunk_blocks, word_count
from index.errors import InputError
from index.sources import read_file

SHORT_PASSAGE_WORDS = 3


@dataclass(frozen=True)
class PageFigures:
    file: str
    error: str | None = None  # why it was not ingested
    title: str | None = None
    title_ok: bool | None = None
    date: str | None = None
    date_ok: bool | None = None
    author: str | None = None
    author_ok: bool | None = None  # None: the reference does not judge it
    with_found: int = 0
    with_total: int = 0
    with_in_order: bool | None = None  # None: the reference does not judge the order
    without_found: list[str] = field(default_factory=list)  # boilerplate that got in
    answers_kept: int = 0
    answers_total: int = 0
    short_passages: list[str] = field(default_factory=list)
    repeated_paragraphs: list[str] = field(default_factory=list)


def _norm(text: str | None) -> str:
    return " ".join((text or "").replace("’", "'").replace("\u00a0", " ").casefold().split())


def extraction_report(folder: Path, max_words: int = 200) -> list[PageFigures]:
    manifest = [
        json.loads(line) for line in (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines() if line
    ]
    questions_path = folder / "questions.jsonl"
    answers: dict[str, list[str]] = {}
    if questions_path.is_file():
        for line in questions_path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row.get("file"):
                    answers.setdefault(row["file"], []).append(row["answers"][0])
    return [_page(folder, entry, answers.get(entry["file"], []), max_words) for entry in manifest]


def _page(folder: Path, entry: dict, answers: list[str], max_words: int) -> PageFigures:
    path = folder / entry["file"]
    try:
        document = read_file(path, max_bytes=20_000_000)
    except InputError as exc:
        return PageFigures(entry["file"], error=str(exc), answers_total=len(answers))
    text = _norm(document.text)
    snippets_path = path.with_suffix(".snippets.json")
    snippets = json.loads(snippets_path.read_text(encoding="utf-8")) if snippets_path.is_file() else {}
    chunks = chunk_blocks(document.text, list(document.blocks), max_words)
    found_with = [_norm(s) for s in snippets.get("with", []) if _norm(s) in text]
    paragraphs = [_norm(b.text) for b in document.blocks if b.kind == "paragraph"]
    reference_author = entry.get("ref_author")
    return PageFigures(
        entry["file"],
        title=document.title,
        title_ok=_norm(document.title) == _norm(entry.get("ref_title")) if entry.get("ref_title") else None,
        date=document.date,
        date_ok=document.date == entry.get("ref_date") if entry.get("ref_date") else None,
        author=document.author,
        author_ok=None
        if reference_author is None
        else (_norm(document.author) == _norm(reference_author) if reference_author else document.author is None),
        with_found=len(found_with),
        with_total=len(snippets.get("with", [])),
        with_in_order=_in_order(text, found_with) if snippets.get("in_order") else None,
        without_found=[s for s in snippets.get("without", []) if _norm(s) in text],
        answers_kept=sum(_norm(a) in text for a in answers),
        answers_total=len(answers),
        short_passages=[
            document.text[c.start : c.end]
            for c in chunks
            if word_count(document.text[c.start : c.end]) < SHORT_PASSAGE_WORDS
        ],
        repeated_paragraphs=[p for at, p in enumerate(paragraphs) if p in paragraphs[:at]],
    )


def _in_order(text: str, snippets: list[str]) -> bool:
    """Whether `text` says each of `snippets` after the one before it."""
    at = 0
    for snippet in snippets:
        found = text.find(snippet, at)
        if found < 0:
            return False
        at = found + len(snippet)
    return True


def as_dicts(figures: list[PageFigures]) -> list[dict]:
    return [asdict(f) for f in figures]
