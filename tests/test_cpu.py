"""Each CPU runs the kernels it has: FAISS's matrix products (layout training and filling) included."""

import json
import os
import subprocess
import sys

import pytest

from bot.native_libraries import (
    FAISS_SPIN_COUNT,
    ONNX_RUNTIME_TELEMETRY_OFF,
    OPENBLAS_CORE_TYPE,
    OPENMP_SPIN_COUNT,
    THREAD_COUNTS,
    prepare_native_libraries,
)
from index.cpu import container_cores, cpu_flags, openblas_kernels, quota_cores
from tests.conftest import ROOT

# Flags of the two CPU classes this project is measured on, as Linux lists them (abridged).
AMX_XEON = frozenset("avx avx2 fma f16c avx512f avx512dq avx512bw avx512vl avx512_bf16 amx_bf16 amx_tile".split())
AVX2_EPYC = frozenset("sse4_2 avx avx2 fma f16c".split())


def test_openblas_kernels_are_the_best_the_cpu_flags_allow():
    assert openblas_kernels(AMX_XEON) == "SkylakeX"
    assert openblas_kernels(AVX2_EPYC) == "Haswell"
    assert openblas_kernels(AVX2_EPYC | {"avx512f"}) == "Haswell"  # AVX-512 without its byte and word ops
    assert openblas_kernels(frozenset({"sse4_2", "avx"})) is None  # OpenBLAS's own detection then


def test_the_kernels_are_named_for_openblas_unless_an_operator_named_some():
    environment = {"HOME": "/home/bot"}
    prepare_native_libraries(environment, AVX2_EPYC)
    assert environment == {"HOME": "/home/bot", OPENBLAS_CORE_TYPE: "Haswell", ONNX_RUNTIME_TELEMETRY_OFF: "1"}

    chosen = {OPENBLAS_CORE_TYPE: "Zen"}
    prepare_native_libraries(chosen, AMX_XEON)
    assert chosen[OPENBLAS_CORE_TYPE] == "Zen"

    older = {}
    prepare_native_libraries(older, frozenset({"sse4_2", "avx"}))
    assert OPENBLAS_CORE_TYPE not in older


def test_onnx_runtime_telemetry_is_off_whatever_the_environment_said():
    environment = {ONNX_RUNTIME_TELEMETRY_OFF: "0"}
    prepare_native_libraries(environment, AMX_XEON)
    assert environment[ONNX_RUNTIME_TELEMETRY_OFF] == "1"


def test_a_container_s_cpu_quota_is_read_from_either_version_of_its_control_group(tmp_path):
    assert quota_cores("150000", "100000") == 2  # a core and a half: two threads
    assert quota_cores("max", "100000") is None and quota_cores("-1", "100000") is None
    assert quota_cores("", "x") is None

    seen = len(os.sched_getaffinity(0))
    one_core = 1 if seen > 1 else None  # a quota is only a limit when it allows fewer than seen
    (tmp_path / "v2").mkdir()
    (tmp_path / "v2" / "cpu.max").write_text("100000 100000\n")
    assert container_cores(tmp_path / "v2") == one_core
    (tmp_path / "v1" / "cpu").mkdir(parents=True)
    (tmp_path / "v1" / "cpu" / "cpu.cfs_quota_us").write_text("50000\n")
    (tmp_path / "v1" / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert container_cores(tmp_path / "v1") == one_core
    (tmp_path / "v2" / "cpu.max").write_text(f"{seen * 100000} 100000\n")
    assert container_cores(tmp_path / "v2") is None
    assert container_cores(tmp_path / "none") is None  # no control group mounted: no limit known


def test_native_threads_follow_a_container_s_quota_unless_an_operator_counted_them():
    environment = {"OMP_NUM_THREADS": "3"}
    prepare_native_libraries(environment, AMX_XEON, container_cores=2)
    assert environment["OMP_NUM_THREADS"] == "3" and environment["OPENBLAS_NUM_THREADS"] == "2"

    without_quota = {}
    prepare_native_libraries(without_quota, AMX_XEON)
    assert not set(THREAD_COUNTS) & set(without_quota)  # the runtimes count the CPUs themselves


def how_the_bot_computes(tmp_path, model_cache, environment: dict[str, str]) -> dict:
    """What `python -m bot stats --json` says of this machine, started with `environment`."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", "stats", "--json"],
        cwd=tmp_path,
        env=environment
        | {"DATA_DIR": str(tmp_path / "data"), "MODEL_CACHE_DIR": str(model_cache), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    computing = json.loads(done.stdout)["computing"]
    if computing["faiss_blas"] is None:
        pytest.skip("FAISS here does not use the OpenBLAS of the faiss-cpu wheel")
    return computing


def test_the_bot_runs_faiss_on_the_kernels_of_this_cpu(tmp_path, model_cache):
    expected = openblas_kernels(cpu_flags())
    if expected is None:
        pytest.skip("a CPU with neither AVX2 nor AVX-512: OpenBLAS chooses alone")
    environment = {k: v for k, v in os.environ.items() if k != OPENBLAS_CORE_TYPE}
    computing = how_the_bot_computes(tmp_path, model_cache, environment)
    assert computing["faiss_blas"] == expected
    assert computing["precision"] in {"float32", "bfloat16", "int8"}


def test_the_bot_keeps_the_kernels_an_operator_names(tmp_path, model_cache):
    environment = {**os.environ, OPENBLAS_CORE_TYPE: "Prescott"}
    assert how_the_bot_computes(tmp_path, model_cache, environment)["faiss_blas"] == "Prescott"


SPIN_SEEN_BY_FAISS = """
import importlib.abc, os, sys

class Watch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "faiss":
            print("faiss loads with", os.environ.get("GOMP_SPINCOUNT"))
        return None

sys.meta_path.insert(0, Watch())
from bot.native_libraries import load_faiss, prepare_native_libraries
from index.cpu import cpu_flags

prepare_native_libraries(os.environ, cpu_flags())
load_faiss(os.environ)
print("afterwards", os.environ.get("GOMP_SPINCOUNT"))
"""


def spin_counts(environment: dict[str, str]) -> list[str]:
    """What a fresh interpreter preparing its native libraries as `python -m bot` does had in
    `GOMP_SPINCOUNT` as FAISS loaded, and afterwards."""
    done = subprocess.run(
        [sys.executable, "-c", SPIN_SEEN_BY_FAISS],
        env=environment | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_faiss_threads_spin_briefly_and_nothing_loaded_later_inherits_the_setting():
    """FAISS's OpenMP runtime reads the count as it loads; PyTorch's, loaded later for a hub
    model, and the processes the bot starts must not see it (a question through PyTorch took
    twice as long with it)."""
    environment = {k: v for k, v in os.environ.items() if k != OPENMP_SPIN_COUNT}
    assert spin_counts(environment) == [f"faiss loads with {FAISS_SPIN_COUNT}", "afterwards None"]
    operator = environment | {OPENMP_SPIN_COUNT: "50000"}
    assert spin_counts(operator) == ["faiss loads with 50000", "afterwards 50000"]
