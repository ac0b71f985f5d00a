"""The quality bar, measured on ../shared/eval with the default model (`python -m bot eval`)."""

import pytest

from index.embeddings import RememberingEmbedder
from index.evaluation import load_eval_set, run_evaluation
from index.library import Library
from tests.conftest import SHARED_EVAL

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (SHARED_EVAL / "questions.jsonl").exists(), reason="../shared/eval is not beside the repo"),
]


def test_hybrid_retrieval_and_quotes_meet_the_quality_bar_and_libraries_of_every_size_decide_well(tmp_path, embedder):
    # As `python -m bot eval` does: each question embedded once, for every mode and size.
    library = Library(tmp_path / "index", RememberingEmbedder(embedder), max_words=200)
    report = run_evaluation(library, load_eval_set(SHARED_EVAL / "questions.jsonl"), sizes=(1, 10, 160))
    library.close()
    figures = {f.mode: f for f in report.retrieval}
    hybrid = figures["hybrid"]
    print(report.to_dict())
    assert hybrid.questions == 3727
    assert hybrid.hit_at_1 >= 0.78 and hybrid.hit_at_5 >= 0.92 and hybrid.quote_at_1 >= 0.62
    assert hybrid.sentence_precision >= 0.78
    assert hybrid.hit_at_1 > max(figures["dense"].hit_at_1, figures["lexical"].hit_at_1)
    assert [size.articles for size in report.by_size] == [1, 10, 160]
    for size in report.by_size:
        assert size.found >= 0.80 and size.declined >= 0.88, size
