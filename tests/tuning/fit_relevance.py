"""Fit the relevance policy (answer, or say nothing was found) for libraries of every size.

    python -m tests.tuning.fit_relevance [--work DIR] [--questions ../shared/eval/questions.jsonl]

Draws libraries of 1, 3, 10, 50 and 160 development articles from a library of all of
them (as `python -m bot eval` does), asks each the questions about its articles (to be
answered) and others (to be declined), and fits `index.ranking.RelevancePolicy` by
logistic regression on the evidence of each answer, every size weighing the same and,
within a size, the questions to answer `FOUND_WEIGHT` and those to decline the rest. The policy is fitted on one draw of
libraries and measured on another draw (other articles, other questions), then printed.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

from bot.service import library_options, load_settings_embedder
from bot.settings import Settings
from index.evaluation import LIBRARY_SIZES, load_eval_set, sized_answers
from index.library import Library
from index.ranking import RelevancePolicy

ROOT = Path(__file__).resolve().parents[2]
# Within a size, the questions to answer weigh this much and those to decline the rest. An
# answerable question declined is an answer lost; an unanswerable one answered shows a quote
# the user can see, with its title, date and link, does not answer. The product's targets
# (found ≥ 90 %, declined ≥ 85 %) lean the same way.
FOUND_WEIGHT = 0.55


def evidence_rows(library: Library, eval_set, seed: int, scratch: Path) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """(size, evidence matrix, labels) for each size."""
    rows = []
    for size in LIBRARY_SIZES:
        features, labels = [], []
        for drawn in sized_answers(library, eval_set, size, scratch, seed):
            for answers, label in ((drawn.inside, 1), (drawn.outside, 0)):
                for answer in answers:
                    if answer.evidence is not None:
                        features.append(RelevancePolicy.features(answer.evidence))
                        labels.append(label)
        rows.append((size, np.array(features), np.array(labels)))
    return rows


def fit(rows, l2: float = 1e-3, steps: int = 3000, found_weight: float = FOUND_WEIGHT) -> np.ndarray:
    x = np.concatenate([np.c_[np.ones(len(f)), f] for _, f, _ in rows])
    y = np.concatenate([labels for _, _, labels in rows])
    weight = np.concatenate(
        [
            np.where(labels == 1, found_weight / max(labels.sum(), 1), (1 - found_weight) / max((1 - labels).sum(), 1))
            for _, _, labels in rows
        ]
    )
    weight /= weight.sum()
    mean, scale = x[:, 1:].mean(axis=0), x[:, 1:].std(axis=0) + 1e-9
    z = x.copy()
    z[:, 1:] = (x[:, 1:] - mean) / scale
    w = np.zeros(x.shape[1])
    for _ in range(steps):  # gradient descent on the weighted, convex log-loss
        p = 1 / (1 + np.exp(-(z @ w)))
        w -= 1.0 * (z.T @ (weight * (p - y)) + l2 * np.r_[0, w[1:]])
    coefficients = w[1:] / scale
    return np.r_[w[0] - coefficients @ mean, coefficients]


def report(rows, policy: RelevancePolicy) -> None:
    for size, features, labels in rows:
        found = [policy.probability_of(f) >= policy.threshold for f in features]
        inside = np.mean([f for f, label in zip(found, labels) if label == 1])
        outside = 1 - np.mean([f for f, label in zip(found, labels) if label == 0])
        print(f"  {size:>4} articles: found {inside:.1%}, declined {outside:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/citebot-tuning"))
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "questions.jsonl")
    parser.add_argument(
        "--thresholds", type=float, nargs="*", default=[], help="also measure the fitted policy at these thresholds"
    )
    args = parser.parse_args()
    settings = Settings()
    eval_set = load_eval_set(args.questions)
    options = library_options(settings)
    library = Library(args.work / "eval-library", load_settings_embedder(settings), **options)
    if library.stats().articles == 0:
        library.ingest(eval_set.documents)
    with tempfile.TemporaryDirectory(dir=args.work) as scratch:
        fitting = evidence_rows(library, eval_set, seed=1, scratch=Path(scratch))
        measuring = evidence_rows(library, eval_set, seed=2, scratch=Path(scratch))
    library.close()
    print("today's policy, measured:")
    report(measuring, RelevancePolicy())
    bias, *weights = fit(fitting)
    policy = RelevancePolicy(0.5, bias, tuple(weights))
    print("fitted policy, measured on other libraries:")
    report(measuring, policy)
    for threshold in args.thresholds:
        print(f"the same with RELEVANCE_THRESHOLD={threshold}:")
        report(measuring, RelevancePolicy(threshold, bias, tuple(weights)))
    print(f"\nbias={bias:.3f}, weights=({', '.join(f'{w:.3f}' for w in weights)})")
    print("  " + ", ".join(RelevancePolicy.FEATURES))


if __name__ == "__main__":
    main()
