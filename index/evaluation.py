"""Quality figures on a question file in the format of `shared/eval` (PIAF articles) or of
`shared/eval/news` (real pages, with questions that no page answers).

A question is a hit at rank k when one of the first k results comes from the question's
article and its passage contains one of the gold answers (case and whitespace
normalised); quote@1 asks the same of the first result's quote, and sentence precision
is quote@1 among the hits at rank 1.

Found / declined, by library size: libraries of 1, 3, 10, 50 and 160 articles are drawn
from the set (seeded; several of each small size), copied from the full library without
embedding anything again. The questions about their articles should be found; the
questions about the other articles, and those no article answers, should be declined; and so
should the questions about their articles judged again with the passages that answer them
left out ("near misses": the article on the subject is there, the detail asked is not).
"""

from __future__ import annotations

import json
import math
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from index.cleaning import Block
from index.decoding import decode_document
from index.documents import Document, parse_text
from index.errors import EmptyInput, InputError
from index.library import Answer, Library, Mode
from index.ranking import Evidence, RelevancePolicy
from index.reindex import copy_library
from index.search import evidence_without
from index.sources import SUPPORTED_SUFFIXES, read_file

EVAL_SOURCE = "eval:"
LIBRARY_SIZES = (1, 3, 10, 50, 160)
QUESTIONS_PER_SIZE = 600  # questions asked of the libraries of one size, about their articles and about others each
T = TypeVar("T")


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    answers: tuple[str, ...]
    article_id: str | None  # None: no article of the set answers it


@dataclass(frozen=True)
class EvalSet:
    documents: list[Document]  # each with source "eval:<article id>"
    questions: list[EvalQuestion]
    unreadable: list[str] = field(default_factory=list)  # articles that could not be read, and why


@dataclass(frozen=True)
class RetrievalFigures:
    mode: str
    questions: int
    hit_at_1: float
    hit_at_5: float
    quote_at_1: float
    sentence_precision: float  # quote@1 among hits at rank 1


@dataclass(frozen=True)
class SizeFigures:
    articles: int  # in each library of this size
    libraries: int  # drawn and measured
    questions_in: int
    found: float  # share of the questions about the library's articles answered
    questions_out: int
    declined: float  # share of the other questions declined
    near_misses: int = 0  # questions about its articles asked again without their answering passages
    near_miss_declined: float = 0.0  # share of those declined (`near_miss_declined`)


@dataclass(frozen=True)
class EvalReport:
    retrieval: list[RetrievalFigures]
    by_size: list[SizeFigures]
    unreadable: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _read_jsonl(path: Path, make: Callable[[dict], T]) -> list[T]:
    items = []
    for number, line in enumerate(decode_document(path.read_bytes()).splitlines(), start=1):
        if line.strip():
            try:
                items.append(make(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"{path}:{number} : ligne invalide ({_line_fault(exc)})") from exc
    return items


def _line_fault(error: Exception) -> str:
    """What is wrong with a line of a JSON Lines file, in French (Python says it in English)."""
    if isinstance(error, json.JSONDecodeError):
        return f"JSON illisible à la colonne {error.colno}"
    if isinstance(error, KeyError):
        return f"le champ {error.args[0]!r} manque"
    if isinstance(error, TypeError):
        return "chaque ligne doit être un objet JSON avec ses champs"
    return str(error)


def load_questions(path: Path) -> list[EvalQuestion]:
    """PIAF questions (`article_id`) or questions about pages (`file`, null when none answers)."""
    return _read_jsonl(
        path,
        lambda r: EvalQuestion(
            r["id"], r["question"], tuple(r["answers"]), r["article_id"] if "file" not in r else r["file"]
        ),
    )


def _eval_document(row: dict) -> Document:
    source = EVAL_SOURCE + row["article_id"]
    # eval paragraphs are all body text: keep every block a paragraph so no answer is lost
    blocks = tuple(Block("paragraph", b.text) for b in parse_text(row["text"], source=source).blocks)
    return Document(row["title"], blocks, source=source)


def load_articles(path: Path) -> list[Document]:
    """Eval articles as documents whose source records their eval id."""
    return _read_jsonl(path, _eval_document)


def load_eval_set(questions_path: Path, articles_path: Path | None = None) -> EvalSet:
    questions = load_questions(questions_path)
    if not questions:  # nothing to measure: figures of 0 questions would read as a result
        raise EmptyInput(f"aucune question dans {questions_path} (une question JSON par ligne)")
    if articles_path is None and _names_pages(questions_path):
        return _load_pages(questions_path.parent, questions)
    beside = articles_path is None  # not named with --articles: looked for beside the questions
    articles_path = articles_path or questions_path.with_name("articles.jsonl")
    if not articles_path.is_file():
        where = " (attendu à côté des questions)" if beside else ""
        raise InputError(f"fichier d'articles introuvable : {articles_path}{where}")
    return EvalSet(load_articles(articles_path), questions)


def _names_pages(questions_path: Path) -> bool:
    lines = decode_document(questions_path.read_bytes()).splitlines()  # as `_read_jsonl` reads them
    first = next((line for line in lines if line.strip()), "{}")
    return "file" in json.loads(first)


def _load_pages(folder: Path, questions: list[EvalQuestion]) -> EvalSet:
    """Every page or text of the folder, read as `ingest` reads a file, under its file name."""
    documents, unreadable = [], []
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES):
        try:
            documents.append(replace(read_file(path, max_bytes=10_000_000), source=EVAL_SOURCE + path.name))
        except InputError as exc:
            unreadable.append(f"{path.name} : {exc}")
    return EvalSet(documents, questions, unreadable)


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
    hits = sum(is_hit(a, q, 1) for a, q in zip(answers, questions))
    quotes = sum(is_quote_hit(a, q) for a, q in zip(answers, questions))
    return RetrievalFigures(
        mode=mode,
        questions=len(questions),
        hit_at_1=hits / n,
        hit_at_5=sum(is_hit(a, q, 5) for a, q in zip(answers, questions)) / n,
        quote_at_1=quotes / n,
        sentence_precision=quotes / max(hits, 1),
    )


def libraries_of_size(size: int) -> int:
    """How many libraries of a size are drawn: more of the small ones, whose few questions vary most."""
    return max(2, min(20, math.ceil(40 / size)))


def drawn_libraries(
    library: Library, size: int, scratch: Path, rng: random.Random, name: str
) -> Iterator[tuple[set[str], Library]]:
    """Libraries of `size` of the eval articles of `library`, drawn with `rng` (`libraries_of_size`
    of them), each copied from it into `scratch` without embedding anything again and open
    while the caller uses it: the eval ids of its articles, and the library."""
    ids = {_eval_id(a.source): a.id for a in library.articles()}
    keys = sorted(k for k in ids if k)
    for number in range(libraries_of_size(size)):
        chosen = set(rng.sample(keys, size))
        directory = scratch / f"{name}-{number}"
        copy_library(library.directory, directory, library.embedder, library.config, {ids[k] for k in chosen})
        sample = library.on(directory)
        try:
            yield chosen, sample
        finally:
            sample.close()
            shutil.rmtree(directory, ignore_errors=True)


@dataclass(frozen=True)
class DrawnAnswers:
    """The answers of one drawn library: to questions about its articles (`asked`, in order)
    and to the others."""

    asked: list[EvalQuestion]
    inside: list[Answer]
    outside: list[Answer]


def sized_answers(
    library: Library, eval_set: EvalSet, size: int, scratch: Path, seed: int = 0
) -> Iterator[DrawnAnswers]:
    """For each library of `size` articles drawn from the full `library`: the answers to
    questions about its articles, and to the others."""
    rng = random.Random(f"{seed}-{size}")
    per_library = QUESTIONS_PER_SIZE // libraries_of_size(size)
    for chosen, sample in drawn_libraries(library, size, scratch, rng, f"size-{size}-{seed}"):
        inside = [q for q in eval_set.questions if q.article_id in chosen]
        outside = [q for q in eval_set.questions if q.article_id not in chosen]
        inside = rng.sample(inside, min(len(inside), per_library))
        outside = rng.sample(outside, min(len(outside), per_library))
        answers = sample.ask_many([q.question for q in inside + outside])
        yield DrawnAnswers(inside, answers[: len(inside)], answers[len(inside) :])


def near_miss_evidence(question: EvalQuestion, answer: Answer) -> Evidence | None:
    """The evidence `answer` would give were the passages that answer `question` not in the
    library, the rest of its article still there (the subject at hand, the detail missing:
    what a reader asks most often that an article does not say); None when no candidate
    holds its answer, so that leaving them out changes nothing."""
    left_out = {c.row.id for c in answer.candidates if answers_question(c.row.article.source, c.row.text, question)}
    return evidence_without(answer, left_out) if left_out else None


def near_miss_declined(question: EvalQuestion, answer: Answer, policy: RelevancePolicy) -> bool | None:
    """Whether `question` would be declined as a near miss (`near_miss_evidence`); None when
    there is none."""
    evidence = near_miss_evidence(question, answer)
    return None if evidence is None else not policy.is_relevant(evidence)


def size_figures(library: Library, eval_set: EvalSet, size: int, scratch: Path, seed: int = 0) -> SizeFigures:
    """Found, declined and near misses declined in libraries of `size` articles drawn from
    the full `library`."""
    found = asked_in = declined = asked_out = libraries = near_misses = near_declined = 0
    for drawn in sized_answers(library, eval_set, size, scratch, seed):
        libraries += 1
        found += sum(a.found for a in drawn.inside)
        declined += sum(not a.found for a in drawn.outside)
        asked_in += len(drawn.inside)
        asked_out += len(drawn.outside)
        for question, answer in zip(drawn.asked, drawn.inside, strict=True):
            if (near := near_miss_declined(question, answer, library.policy)) is not None:
                near_misses += 1
                near_declined += near
    return SizeFigures(
        size,
        libraries,
        asked_in,
        found / max(asked_in, 1),
        asked_out,
        declined / max(asked_out, 1),
        near_misses,
        near_declined / max(near_misses, 1),
    )


def run_evaluation(
    library: Library,
    eval_set: EvalSet,
    *,
    sizes: Sequence[int] = LIBRARY_SIZES,
    progress: Callable[[str], None] | None = None,
) -> EvalReport:
    """Ingest the set's articles into `library` (meant to be a scratch one) and measure. The set
    is read by the caller (`load_eval_set`) before the model is loaded: a file that cannot be
    read is said at once, not after the model's load (its preparation, on a first run)."""
    say = progress or (lambda _message: None)
    count = len(eval_set.documents)
    say(f"ingestion de {count} article{'s' if count > 1 else ''}")
    library.ingest(eval_set.documents)
    answerable = [q for q in eval_set.questions if q.article_id is not None]
    retrieval = []
    for mode in ("dense", "lexical", "hybrid"):
        say(f"questions ({mode})")
        retrieval.append(retrieval_figures(library, answerable, mode))
    by_size = []
    if library.directory is None:  # the libraries of each size are drawn from an embedded one
        sizes = ()
    with tempfile.TemporaryDirectory(prefix="citebot-sizes-") as scratch:
        for size in sizes:
            if size < len(eval_set.documents):
                say("bibliothèques d'un article" if size == 1 else f"bibliothèques de {size} articles")
                by_size.append(size_figures(library, eval_set, size, Path(scratch)))
    return EvalReport(retrieval, by_size, eval_set.unreadable)
