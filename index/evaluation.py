"""Retrieval figures on a question-answering file in the format of `shared/eval`.

A question is a hit at rank k when one of the first k results comes from the
question's article and its passage contains one of the gold answers (case and
whitespace normalised); quote@1 asks the same of the first result's quote.
Found/declined: with a seeded two-thirds of the articles in the library, the
share of their questions that are `found`, and the share of questions about the
absent third that are declined.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar

from index.cleaning import Block
from index.documents import Document, parse_text
from index.errors import InputError
from index.library import Answer, Library, Mode

EVAL_SOURCE = "eval:"
T = TypeVar("T")


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    answers: tuple[str, ...]
    article_id: str


@dataclass(frozen=True)
class RetrievalFigures:
    mode: str
    questions: int
    hit_at_1: float
    hit_at_5: float
    quote_at_1: float


@dataclass(frozen=True)
class DecisionFigures:
    library_articles: int
    held_out_articles: int
    found_in_library: float  # share of questions on ingested articles answered
    declined_held_out: float  # share of questions on absent articles declined


@dataclass(frozen=True)
class EvalReport:
    retrieval: list[RetrievalFigures]
    decision: DecisionFigures

    def to_dict(self) -> dict:
        return asdict(self)


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _read_jsonl(path: Path, make: Callable[[dict], T]) -> list[T]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                items.append(make(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"{path}:{number} : ligne invalide ({exc})") from exc
    return items


def load_questions(path: Path) -> list[EvalQuestion]:
    return _read_jsonl(path, lambda r: EvalQuestion(r["id"], r["question"], tuple(r["answers"]), r["article_id"]))


def _eval_document(row: dict) -> Document:
    source = EVAL_SOURCE + row["article_id"]
    # eval paragraphs are all body text: keep every block a paragraph so no answer is lost
    blocks = tuple(Block("paragraph", b.text) for b in parse_text(row["text"], source=source).blocks)
    return Document(row["title"], blocks, source=source)


def load_articles(path: Path) -> list[Document]:
    """Eval articles as documents whose source records their eval id."""
    return _read_jsonl(path, _eval_document)


def _eval_id(answer_source: str | None) -> str | None:
    return answer_source[len(EVAL_SOURCE) :] if answer_source and answer_source.startswith(EVAL_SOURCE) else None


def answers_question(source: str | None, text: str, question: EvalQuestion) -> bool:
    """`text` (a passage or a quote) comes from the question's article and holds a gold answer."""
    normalised = _norm(text)
    return _eval_id(source) == question.article_id and any(_norm(a) in normalised for a in question.answers)


def is_hit(answer: Answer, question: EvalQuestion, k: int) -> bool:
    return any(answers_question(r.article.source, r.passage, question) for r in answer.results[:k])


def is_quote_hit(answer: Answer, question: EvalQuestion) -> bool:
    first = answer.results[0] if answer.results else None
    return first is not None and answers_question(first.article.source, first.quote, question)


def retrieval_figures(library: Library, questions: Sequence[EvalQuestion], mode: Mode) -> RetrievalFigures:
    answers = library.ask_many([q.question for q in questions], top_k=5, mode=mode)
    n = max(len(questions), 1)
    return RetrievalFigures(
        mode=mode,
        questions=len(questions),
        hit_at_1=sum(is_hit(a, q, 1) for a, q in zip(answers, questions)) / n,
        hit_at_5=sum(is_hit(a, q, 5) for a, q in zip(answers, questions)) / n,
        quote_at_1=sum(is_quote_hit(a, q) for a, q in zip(answers, questions)) / n,
    )


def held_out_articles(article_ids: Sequence[str], share: float = 1 / 3, seed: int = 0) -> set[str]:
    ids = sorted(article_ids)
    return set(random.Random(seed).sample(ids, round(len(ids) * share)))


def decision_figures(library: Library, questions: Sequence[EvalQuestion], held_out: set[str]) -> DecisionFigures:
    """Delete the held-out articles from `library`, then see what is found and declined."""
    for article in library.articles():
        if _eval_id(article.source) in held_out:
            library.delete(article.id)
    answers = library.ask_many([q.question for q in questions])
    inside = [a.found for a, q in zip(answers, questions) if q.article_id not in held_out]
    outside = [not a.found for a, q in zip(answers, questions) if q.article_id in held_out]
    return DecisionFigures(
        library_articles=len(library.articles()),
        held_out_articles=len(held_out),
        found_in_library=sum(inside) / max(len(inside), 1),
        declined_held_out=sum(outside) / max(len(outside), 1),
    )


def run_evaluation(
    library: Library,
    questions_path: Path,
    articles_path: Path | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> EvalReport:
    """Ingest the eval articles into `library` (meant to be a scratch one) and measure."""
    articles_path = articles_path or questions_path.with_name("articles.jsonl")
    if not articles_path.is_file():
        raise InputError(f"fichier d'articles introuvable : {articles_path} (attendu à côté des questions)")
    questions = load_questions(questions_path)
    documents = load_articles(articles_path)
    say = progress or (lambda _message: None)
    say(f"ingestion de {len(documents)} articles")
    library.ingest(documents)
    retrieval = []
    for mode in ("dense", "lexical", "hybrid"):
        say(f"questions ({mode})")
        retrieval.append(retrieval_figures(library, questions, mode))
    say("seuil de pertinence (articles retirés)")
    held_out = held_out_articles([d.source[len(EVAL_SOURCE) :] for d in documents if d.source])
    decision = decision_figures(library, questions, held_out)
    return EvalReport(retrieval, decision)
