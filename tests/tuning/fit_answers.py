"""Fit the quote model and the reranking weight on the development questions.

    python -m tests.tuning.fit_answers [--work DIR] [--questions ../shared/eval/questions.jsonl]

Builds (once, kept in --work) a library of the development articles with the default
model, asks every question, and fits on what the library computed for its candidates:
- the quote model (`index.quotes.QUOTE_MODEL`): a conditional logit choosing, among the
  sentences of a candidate passage that holds the answer, one that holds it;
- the reranking weight (`index.search.RERANK_WEIGHT`): how much the best sentence's
  score counts against the fused rank, chosen for hit@1.
Figures are reported by 5-fold cross-validation over articles (fit on four fifths of the
articles, measure on the rest), then the constants fitted on everything are printed, to
be pasted into the source. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import random
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.service import load_settings_embedder
from bot.settings import Settings
from index.evaluation import answers_question, load_articles, load_questions
from index.library import Library
from index.quotes import FEATURES
from index.search import FUSED_SCALE, RERANKED

ROOT = Path(__file__).resolve().parents[2]
WEIGHTS = np.round(np.arange(0.0, 3.01, 0.1), 2)


@dataclass
class Question:
    article: str
    fused: np.ndarray  # per candidate
    features: list[np.ndarray]  # per candidate: sentences × features
    holds: list[np.ndarray]  # per candidate: which sentences hold an answer
    passage_holds: np.ndarray  # per candidate


def collect(library: Library, questions) -> list[Question]:
    answers = library.ask_many([q.question for q in questions], top_k=RERANKED)
    out = []
    for question, answer in zip(questions, answers, strict=True):
        candidates = answer.candidates[:RERANKED]
        out.append(
            Question(
                question.article_id,
                np.array([c.fused for c in candidates]),
                [c.features for c in candidates],
                [
                    np.array([answers_question(c.row.article.source, c.row.text[a:b], question) for a, b in c.spans])
                    for c in candidates
                ],
                np.array([answers_question(c.row.article.source, c.row.text, question) for c in candidates]),
            )
        )
    return out


def fit_quote_model(data: list[Question], l2: float = 1e-3, steps: int = 1500) -> tuple[np.ndarray, ...]:
    """Conditional logit over the sentences of each candidate that holds an answer."""
    groups = [
        (features, holds / holds.sum())
        for q in data
        for features, holds, good in zip(q.features, q.holds, q.passage_holds)
        if good and holds.any()
    ]
    every = np.concatenate([f for f, _ in groups])
    mean, scale = every.mean(axis=0), every.std(axis=0) + 1e-6
    groups = [((f - mean) / scale, t) for f, t in groups]
    weights = np.zeros(every.shape[1])
    moment, second = np.zeros_like(weights), np.zeros_like(weights)
    for step in range(1, steps + 1):  # Adam on the convex log-loss
        gradient = l2 * weights
        for x, target in groups:
            z = x @ weights
            p = np.exp(z - z.max())
            gradient += x.T @ (p / p.sum() - target) / len(groups)
        moment = 0.9 * moment + 0.1 * gradient
        second = 0.999 * second + 0.001 * gradient**2
        weights -= 0.05 * (moment / (1 - 0.9**step)) / (np.sqrt(second / (1 - 0.999**step)) + 1e-8)
    return mean, scale, weights


def scores_of(q: Question, model: tuple[np.ndarray, ...]) -> list[np.ndarray]:
    mean, scale, weights = model
    return [((f - mean) / scale) @ weights for f in q.features]


def figures(data: list[Question], model: tuple[np.ndarray, ...], weight: float) -> dict[str, float]:
    hit1 = hit5 = quote1 = 0
    for q in data:
        if not len(q.fused):
            continue
        scores = scores_of(q, model)
        order = sorted(range(len(q.fused)), key=lambda i: -(q.fused[i] * FUSED_SCALE + weight * scores[i].max()))
        first = order[0]
        hit1 += bool(q.passage_holds[first])
        hit5 += bool(q.passage_holds[order[:5]].any())
        quote1 += bool(q.passage_holds[first] and q.holds[first][int(np.argmax(scores[first]))])
    n = len(data)
    return {"hit@1": hit1 / n, "hit@5": hit5 / n, "quote@1": quote1 / n, "sentence precision": quote1 / max(hit1, 1)}


def best_weight(data: list[Question], model: tuple[np.ndarray, ...]) -> float:
    return max(WEIGHTS, key=lambda w: (figures(data, model, w)["hit@1"], -w))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/citebot-tuning"))
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "questions.jsonl")
    args = parser.parse_args()
    settings = Settings()
    embedder = load_settings_embedder(settings)
    library = Library(args.work / "eval-library", embedder, max_words=settings.passage_max_words)
    if library.stats().articles == 0:
        library.ingest(load_articles(args.questions.with_name("articles.jsonl")))
    data = collect(library, load_questions(args.questions))
    library.close()

    articles = sorted({q.article for q in data})
    random.Random(0).shuffle(articles)
    folds = [set(articles[i::5]) for i in range(5)]
    totals: dict[str, float] = {}
    for held_out in folds:
        train = [q for q in data if q.article not in held_out]
        test = [q for q in data if q.article in held_out]
        model = fit_quote_model(train)
        for name, value in figures(test, model, best_weight(train, model)).items():
            totals[name] = totals.get(name, 0.0) + value * len(test) / len(data)
    print("cross-validated (5 folds over articles):", {k: round(v, 3) for k, v in totals.items()})

    model = fit_quote_model(data)
    weight = best_weight(data, model)
    print("fitted on everything:", {k: round(v, 3) for k, v in figures(data, model, weight).items()})
    print("\n# fmt: off\nQUOTE_MODEL = QuoteModel(")
    for name, values in zip(("mean", "scale", "weights"), model, strict=True):
        numbers = textwrap.fill(", ".join(f"{v:.4g}" for v in values) + ",", 104)
        print(f"    {name}=(\n{textwrap.indent(numbers, ' ' * 8)}\n    ),")
    print(")\n# fmt: on")
    print(f"RERANK_WEIGHT = {weight}")
    print("\n".join(f"  {w:+.3f}  {name}" for w, name in sorted(zip(model[2], FEATURES), key=lambda x: -abs(x[0]))))


if __name__ == "__main__":
    main()
