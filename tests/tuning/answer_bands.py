"""What `SURE_ANSWER_THRESHOLD` is chosen from: the answers given, by the relevance policy's
probability, in libraries of every size.

    python -m tests.tuning.answer_bands [--questions ../shared/eval/questions.jsonl] [--sizes 1 3 10 50 160]

Draws libraries from a library of all the set's articles (as `python -m bot eval` does: the
same seeds) and asks each the questions about its articles and others. Among the questions
answered (the probability at or above the relevance threshold), it counts, by band of
probability: the answers whose first passage answers, those to a question the library can
answer whose first passage does not, those to a question about another article, and near
misses (the same questions judged again without the passages that answer them:
`index.evaluation.near_miss_declined`). Then, for each threshold, the share of each kind that
would be marked uncertain. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from collections import Counter
from pathlib import Path

from bot.service import library_options, load_settings_embedder
from bot.settings import Settings
from index.evaluation import LIBRARY_SIZES, answers_question, load_eval_set, near_miss_evidence, sized_answers
from index.library import Library

ROOT = Path(__file__).resolve().parents[2]
BANDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)
THRESHOLDS = (0.7, 0.8, 0.9, 0.95)
KINDS = ("answers", "wrong passage", "other article", "near miss")


def answered_probabilities(library: Library, eval_set, size: int, scratch: Path) -> list[tuple[str, float]]:
    """(kind, probability) of each answer given in the libraries of `size` articles."""
    policy, given = library.policy, []
    for drawn in sized_answers(library, eval_set, size, scratch):
        for question, answer in zip(drawn.asked, drawn.inside, strict=True):
            if answer.found:
                right = answers_question(answer.results[0].article.source, answer.results[0].passage, question)
                given.append(("answers" if right else "wrong passage", answer.relevance))
            near = near_miss_evidence(question, answer)
            if near is not None and policy.is_relevant(near):
                given.append(("near miss", policy.probability(near)))
        given += [("other article", a.relevance) for a in drawn.outside if a.found]
    return given


def report(size: int, given: list[tuple[str, float]]) -> None:
    print(f"{size} article(s): answers given, by probability")
    for low, high in itertools.pairwise(BANDS):
        inside = Counter(kind for kind, p in given if low <= p < high or (high == 1.0 and p == 1.0))
        print(f"  [{low:.2f}, {high:.2f}{']' if high == 1.0 else ')'}  " + "  ".join(f"{k} {inside[k]}" for k in KINDS))
    totals = Counter(kind for kind, _ in given)
    for threshold in THRESHOLDS:
        below = Counter(kind for kind, p in given if p < threshold)
        shares = "  ".join(f"{k} {below[k] / max(totals[k], 1):.0%}" for k in KINDS)
        print(f"  marked uncertain at {threshold}: {shares}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "questions.jsonl")
    parser.add_argument("--sizes", type=int, nargs="*", default=list(LIBRARY_SIZES))
    args = parser.parse_args()
    settings = Settings()
    eval_set = load_eval_set(args.questions)
    with tempfile.TemporaryDirectory() as scratch:
        library = Library(Path(scratch) / "full", load_settings_embedder(settings), **library_options(settings))
        library.ingest(eval_set.documents)
        for size in args.sizes:
            report(size, answered_probabilities(library, eval_set, size, Path(scratch)))
        library.close()


if __name__ == "__main__":
    main()
