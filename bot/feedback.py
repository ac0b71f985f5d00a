"""What users' 👍 and 👎 become: a growing evaluation set from real use, and a list to review.

`python -m bot feedback export FILE` writes the approved answers as questions in the format
of `shared/eval/questions.jsonl` (the quote that was approved is the expected answer, its
passage the context) with `articles.jsonl` beside them, so that `python -m bot eval FILE`
measures the library on them; the rejected ones go to a review list beside them, with the
approved ones whose question meant something only after the ones before it ("La suite ?",
"Et en 2020 ?": asked alone, as an evaluation asks, they would be other questions)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bot.state import BotState
from bot.state.feedback import Vote
from index.errors import InputError
from index.library import Library
from index.manifest import write_atomic


@dataclass(frozen=True)
class FeedbackExport:
    questions: Path
    articles: Path
    review: Path
    approved: int
    rejected: int
    approved_in_conversation: int  # approved, but written to the review list


def eval_question(number: int, vote: Vote) -> dict | None:
    """An approved answer as an evaluation question: its first result, which the user saw first."""
    if not vote.shown:
        return None
    first = vote.shown[0]
    return {
        "id": f"feedback-{number}",
        "question": vote.question,
        "answers": [first.quote],
        "article_id": str(first.article_id),
        "paragraph": None,
        "context": first.passage,
    }


def review_entry(vote: Vote) -> dict:
    return {
        "question": vote.question,
        "vote": vote.vote,
        "in_conversation": vote.in_conversation,
        "user_id": vote.user_id,
        "at": vote.created,
        "shown": [
            {"article_id": r.article_id, "title": r.title, "source": r.source, "quote": r.quote, "passage": r.passage}
            for r in vote.shown
        ],
    }


def export_feedback(
    state: BotState, library: Library, questions_path: Path, *, replace: bool = False
) -> FeedbackExport:
    """The approved answers as an eval set at `questions_path`, its `articles.jsonl` beside it
    and the rejected ones in `….review.jsonl`. Files already there are replaced only when
    `replace` says so: "articles.jsonl" beside a folder's own questions is someone's work."""
    articles_path = questions_path.with_name("articles.jsonl")
    review_path = questions_path.with_name(questions_path.stem + ".review.jsonl")
    if questions_path.name in (articles_path.name, review_path.name):
        raise InputError(f"{questions_path.name} est le nom d'un des fichiers écrits à côté : choisissez-en un autre")
    if questions_path.is_dir():  # a folder named where a file was meant: no earlier export, even with `replace`
        raise InputError(
            f"{questions_path} est un dossier : donnez le nom du fichier des questions "
            f"(par exemple {questions_path / 'questions.jsonl'})"
        )
    there = [p.name for p in (questions_path, articles_path, review_path) if p.exists()]
    if there and not replace:
        exist = "existe" if len(there) == 1 else "existent"
        raise InputError(
            f"{', '.join(there)} {exist} déjà dans {questions_path.parent} : choisissez un autre dossier, "
            "ou --force pour remplacer"
        )
    votes = state.votes(+1)
    asked_alone = [v for v in votes if not v.in_conversation]
    approved = [q for n, v in enumerate(reversed(asked_alone), start=1) if (q := eval_question(n, v))]
    in_conversation = [v for v in votes if v.in_conversation]
    rejected = state.votes(-1)
    texts = library.article_texts(sorted({int(q["article_id"]) for q in approved}))
    approved = [q for q in approved if int(q["article_id"]) in texts]  # articles deleted since are left out
    questions_path.parent.mkdir(parents=True, exist_ok=True)
    _write_jsonl(questions_path, approved)
    _write_jsonl(
        articles_path,
        [{"article_id": str(i), "title": row.title, "text": text} for i, (row, text) in sorted(texts.items())],
    )
    _write_jsonl(review_path, [review_entry(v) for v in [*rejected, *in_conversation]])
    return FeedbackExport(
        questions_path, articles_path, review_path, len(approved), len(rejected), len(in_conversation)
    )


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    # Whole or not at all, and no temporary file left beside it when the write fails.
    write_atomic(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode())
