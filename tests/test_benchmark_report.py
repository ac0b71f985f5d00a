"""The benchmark's report puts each figure beside its target: here, answer latency against txtai's."""

import json
from pathlib import Path

from tests.benchmarks.report import markdown

# A real run's figures (AMX Xeon, 2026-12-01), its answer latencies set by each test.
MEASURED = Path(__file__).parent / "benchmarks" / "results" / "amx-100k-kernels" / "report.json"


def report_at_100k(ours: tuple[float, float], txtai: tuple[float, float], same_encoder: tuple[float, float]) -> str:
    report = json.loads(MEASURED.read_text(encoding="utf-8"))
    scale = report["scale"]["100000"]
    for figures, (p50, p95) in (
        (scale, ours),
        (scale["peers"]["txtai"], txtai),
        (scale["peers"]["txtai, our question encoder"], same_encoder),
    ):
        figures["answer_ms"] = {"p50": p50, "p95": p95}
    return markdown(report)


def row(report: str, starting: str) -> str:
    return next(line for line in report.splitlines() if line.startswith(starting))


def test_answers_are_compared_with_txtai_and_with_txtai_given_our_question_encoder():
    report = report_at_100k(ours=(20.0, 25.0), txtai=(40.0, 50.0), same_encoder=(25.0, 40.0))
    assert row(report, "| … against txtai on the same corpus, p50 | 0.500×").endswith("❌ | ≤ 0.4× |")
    assert row(report, "| … away from the model").startswith(
        "| … away from the model: against txtai given our question encoder, p50 / p95 | 0.800× / 0.625×"
    )
    assert row(report, "| … away from the model").endswith("❌ | ≤ 0.7× |")

    faster = report_at_100k(ours=(10.0, 12.0), txtai=(40.0, 50.0), same_encoder=(20.0, 20.0))
    assert row(faster, "| … against txtai on the same corpus").endswith("✅ | ≤ 0.4× |")
    assert row(faster, "| … away from the model").endswith("✅ | ≤ 0.7× |")


def test_the_report_says_how_much_cpu_time_the_hypervisor_took_during_the_run():
    report = json.loads(MEASURED.read_text(encoding="utf-8"))
    assert "hypervisor" not in markdown(report)  # runs from before it was recorded
    report["machine"]["stolen"] = 0.213
    assert "CPU time taken by the hypervisor for other machines during the run: 21.3%." in markdown(report)


def test_answers_taken_alternately_with_txtai_given_our_question_encoder_get_a_row_of_their_own():
    report = json.loads(MEASURED.read_text(encoding="utf-8"))
    assert "question by question alternately" not in markdown(report)  # runs from before they were taken
    report["scale"]["100000"]["alternately"] = {
        "citebot": {"p50": 9.0, "p95": 12.0},
        "txtai, our question encoder": {"p50": 12.0, "p95": 15.0},
    }
    alternately = row(markdown(report), "| … the same, question by question alternately")
    assert "(9.0 / 12.0 ms against 12.0 / 15.0) | 0.750× / 0.800×" in alternately
    assert alternately.endswith("❌ | ≤ 0.7× |")


def test_each_class_of_cpu_is_held_to_the_avx2_targets_and_amx_keeps_its_ingest_rate():
    report = json.loads(MEASURED.read_text(encoding="utf-8"))
    report["real"]["ingest"]["pipeline_passages_per_s"] = 40.0
    report["scale"]["100000"]["answer_ms"] = {"p50": 19.0, "p95": 31.0}

    report["machine"]["cpu_flags"] = ["avx2", "fma"]
    avx2 = markdown(report)
    assert "Targets of the AVX2 and up class of CPU." in avx2
    assert row(avx2, "| ingest, real eval articles").endswith("40.0 passages/s ✅ | ≥ 15 /s |")
    assert row(avx2, "| answer at 100,").endswith("19.0 / 31.0 ms ❌ | ≤ 20 / ≤ 30 ms |")  # p95 over

    report["machine"]["cpu_flags"] = ["avx2", "avx512f", "amx_bf16", "amx_tile"]
    amx = markdown(report)
    assert "Targets of the AMX class of CPU." in amx
    assert row(amx, "| ingest, real eval articles").endswith("40.0 passages/s ❌ | ≥ 60 /s |")
    assert row(amx, "| answer at 100,").endswith("❌ | ≤ 20 / ≤ 30 ms |")
    assert row(amx, "| … the question's embedding in those answers, p50 |").endswith("| ≤ 10 ms |")
