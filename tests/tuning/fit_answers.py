"""Fit the quote model and the passage model on the development questions.

    python -m tests.tuning.fit_answers [--work DIR] [--questions ../shared/eval/questions.jsonl]

Builds (once, kept in --work) a library of the development articles with the default
model, asks every question, and fits on what the library computed for its candidates:
- the quote model (`index.quotes.QUOTE_MODEL`): a conditional logit choosing, among the
  sentences of a candidate passage that holds the answer, one that holds it;
- the passage model (`index.reordering.PASSAGE_MODEL`): a conditional logit choosing,
  among the top candidates of a question (`index.search.RERANKED`), one that holds the
  answer, on features that include the quote model's scores (so it is fitted second),
  the best sentence's score at a fixed weight (`index.reordering.BEST_SENTENCE_WEIGHT`).
The questions are asked of the full library and of libraries of 1, 3 and 10 of its
articles (copied, not embedded again), with the bot's term weights (`library_options`).
Figures are reported by 5-fold cross-validation over articles (fit on four fifths of the
articles, measure on the rest), then the constants fitted on everything are printed, to
be pasted into the source. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import tempfile
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.service import library_options, load_settings_embedder
from bot.settings import Settings
from index.candidates import Candidate
from index.evaluation import answers_question, drawn_libraries, load_articles, load_questions
from index.library import Library
from index.quotes import FEATURES
from index.ranking import LinearModel
from index.reordering import BEST_SENTENCE_WEIGHT, PASSAGE_FEATURES, passage_features
from index.search import RERANKED

ROOT = Path(__file__).resolve().parents[2]
SMALL_SIZES = (1, 3, 10)


@dataclass
class Question:
    article: str
    candidates: list[Candidate]  # the top of the fusion, in fused order
    holds: list[np.ndarray]  # per candidate: which sentences hold an answer
    passage_holds: np.ndarray  # per candidate


def collect(library: Library, questions) -> list[Question]:
    """What `library` computed for the candidates of each of `questions`."""
    answers = library.ask_many([q.question for q in questions], top_k=RERANKED)
    out = []
    for question, answer in zip(questions, answers, strict=True):
        candidates = sorted(answer.candidates[:RERANKED], key=lambda c: c.fused_rank)
        out.append(
            Question(
                question.article_id,
                candidates,
                [
                    np.array([answers_question(c.row.article.source, c.row.text[a:b], question) for a, b in c.spans])
                    for c in candidates
                ],
                np.array([answers_question(c.row.article.source, c.row.text, question) for c in candidates]),
            )
        )
    return out


def collect_small(library: Library, questions, scratch: Path) -> list[Question]:
    """The same in libraries of a few of the articles (drawn and copied from `library` as
    `bot eval` draws them), for the questions about their articles: there the candidates come
    from few articles, the case a model fitted on the full library alone sees least."""
    rng = random.Random("small-libraries")
    out = []
    for size in SMALL_SIZES:
        for chosen, small in drawn_libraries(library, size, scratch, rng, f"size-{size}"):
            out += collect(small, [q for q in questions if q.article_id in chosen])
    return out


def conditional_logit(
    groups: Sequence[tuple[np.ndarray, np.ndarray]],
    l2: float = 1e-3,
    steps: int = 1500,
    fixed: Mapping[int, float] | None = None,
):
    """A linear model choosing, in each group (rows × features, which rows are right), a right
    row; the `fixed` columns keep the weight given (per unit of the feature), the others are fitted.
    The groups are padded into one array (rows past a group's end masked out), so each step is
    a few array operations instead of one per group."""
    groups = [(x, right / right.sum()) for x, right in groups if right.any()]
    every = np.concatenate([x for x, _ in groups])
    mean, scale = every.mean(axis=0), every.std(axis=0) + 1e-6
    rows = max(len(x) for x, _ in groups)
    x = np.zeros((len(groups), rows, every.shape[1]))
    target = np.zeros((len(groups), rows))
    present = np.zeros((len(groups), rows), dtype=bool)
    for g, (features, right) in enumerate(groups):
        x[g, : len(features)] = (features - mean) / scale
        target[g, : len(features)] = right
        present[g, : len(features)] = True
    weights = np.zeros(every.shape[1])
    fitted = np.ones(len(weights), dtype=bool)
    for column, weight in (fixed or {}).items():
        weights[column], fitted[column] = weight * scale[column], False
    moment, second = np.zeros_like(weights), np.zeros_like(weights)
    for step in range(1, steps + 1):  # Adam on the convex log-loss
        z = np.where(present, x @ weights, -np.inf)
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        gradient = l2 * weights + np.einsum("grf,gr->f", x, p - target) / len(groups)
        gradient[~fitted] = 0.0
        moment = 0.9 * moment + 0.1 * gradient
        second = 0.999 * second + 0.001 * gradient**2
        weights -= 0.05 * (moment / (1 - 0.9**step)) / (np.sqrt(second / (1 - 0.999**step)) + 1e-8)
    return LinearModel(tuple(mean), tuple(scale), tuple(weights))


def fit_quote_model(data: list[Question]) -> LinearModel:
    """Over the sentences of each candidate that holds an answer."""
    return conditional_logit(
        [
            (c.features, holds)
            for q in data
            for c, holds, good in zip(q.candidates, q.holds, q.passage_holds, strict=True)
            if good
        ]
    )


def rescored(q: Question, quote_model: LinearModel) -> list[Candidate]:
    return [dataclasses.replace(c, scores=quote_model.scores(c.features)) for c in q.candidates]


def fit_passage_model(data: list[Question], quote_model: LinearModel) -> LinearModel:
    """Over the candidates of each question, their sentences scored by `quote_model`. The best
    sentence's score keeps the weight it had beside the fused rank before this model
    (`BEST_SENTENCE_WEIGHT`): the development questions, written while reading the
    paragraph, reward close cosines, and would otherwise let a passage that only repeats the
    question ("…a dit le secrétaire général de l'Otan") beat the one whose sentence answers
    ("Jens Stoltenberg, le secrétaire général…"). Cross-validated, this costs nothing."""
    return conditional_logit(
        [(passage_features(rescored(q, quote_model)), q.passage_holds.astype(float)) for q in data],
        steps=800,
        fixed={PASSAGE_FEATURES.index("best sentence score"): BEST_SENTENCE_WEIGHT},
    )


def figures(data: list[Question], quote_model: LinearModel, passage_model: LinearModel) -> dict[str, float]:
    hit1 = hit5 = quote1 = 0
    for q in data:
        if not q.candidates:
            continue
        candidates = rescored(q, quote_model)
        order = np.argsort(-passage_model.scores(passage_features(candidates)), kind="stable")
        first = int(order[0])
        hit1 += bool(q.passage_holds[first])
        hit5 += bool(q.passage_holds[order[:5]].any())
        quote1 += bool(q.passage_holds[first] and q.holds[first][int(np.argmax(candidates[first].scores))])
    n = len(data)
    return {"hit@1": hit1 / n, "hit@5": hit5 / n, "quote@1": quote1 / n, "sentence precision": quote1 / max(hit1, 1)}


def print_model(name: str, model: LinearModel, features: Sequence[str]) -> None:
    print(f"\n# fmt: off\n{name} = LinearModel(")
    for field in ("mean", "scale", "weights"):
        numbers = textwrap.fill(", ".join(f"{v:.4g}" for v in getattr(model, field)) + ",", 104)
        print(f"    {field}=(\n{textwrap.indent(numbers, ' ' * 8)}\n    ),")
    print(")\n# fmt: on")
    ranked = sorted(zip(model.weights, features, strict=True), key=lambda pair: -abs(pair[0]))
    print("\n".join(f"  {weight:+.3f}  {feature}" for weight, feature in ranked))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/citebot-tuning"))
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "questions.jsonl")
    args = parser.parse_args()
    settings = Settings()
    embedder = load_settings_embedder(settings)
    # With the application's options: the passage features weigh terms as the bot does.
    library = Library(args.work / "eval-library", embedder, **library_options(settings))
    if library.stats().articles == 0:
        library.ingest(load_articles(args.questions.with_name("articles.jsonl")))
    questions = load_questions(args.questions)
    with tempfile.TemporaryDirectory(dir=args.work) as scratch:
        data = collect(library, questions) + collect_small(library, questions, Path(scratch))
    library.close()

    articles = sorted({q.article for q in data})
    random.Random(0).shuffle(articles)
    folds = [set(articles[i::5]) for i in range(5)]
    totals: dict[str, float] = {}
    for held_out in folds:
        train = [q for q in data if q.article not in held_out]
        test = [q for q in data if q.article in held_out]
        quote_model = fit_quote_model(train)
        passage_model = fit_passage_model(train, quote_model)
        for name, value in figures(test, quote_model, passage_model).items():
            totals[name] = totals.get(name, 0.0) + value * len(test) / len(data)
    print("cross-validated (5 folds over articles):", {k: round(v, 3) for k, v in totals.items()})

    quote_model = fit_quote_model(data)
    passage_model = fit_passage_model(data, quote_model)
    print("fitted on everything:", {k: round(v, 3) for k, v in figures(data, quote_model, passage_model).items()})
    print_model("QUOTE_MODEL", quote_model, FEATURES)
    print_model("PASSAGE_MODEL", passage_model, PASSAGE_FEATURES)


if __name__ == "__main__":
    main()
