"""The quality bar of the issue, measured on ../shared/eval with the default model."""

import pytest

from index.evaluation import run_evaluation
from tests.conftest import SHARED_EVAL

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (SHARED_EVAL / "questions.jsonl").exists(), reason="../shared/eval is not beside the repo"),
]


def test_hybrid_retrieval_meets_the_quality_bar(library):
    report = run_evaluation(library, SHARED_EVAL / "questions.jsonl")
    figures = {f.mode: f for f in report.retrieval}
    hybrid = figures["hybrid"]
    print(report.to_dict())
    assert hybrid.questions == 3727
    assert hybrid.hit_at_5 >= 0.90 and hybrid.hit_at_1 >= 0.72 and hybrid.quote_at_1 >= 0.50
    assert hybrid.hit_at_1 > max(figures["dense"].hit_at_1, figures["lexical"].hit_at_1)
    assert report.decision.library_articles == 160 and report.decision.held_out_articles == 80
    assert report.decision.found_in_library >= 0.85
    assert report.decision.declined_held_out >= 0.50
