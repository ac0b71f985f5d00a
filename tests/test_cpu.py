"""Each CPU runs the kernels it has: FAISS's matrix products (layout training and filling) included."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from index.cpu import cpu_flags, openblas_kernels

ROOT = Path(__file__).resolve().parents[1]
# Flags of the two CPU classes this project is measured on, as Linux lists them (abridged).
AMX_XEON = frozenset("avx avx2 fma f16c avx512f avx512dq avx512bw avx512vl avx512_bf16 amx_bf16 amx_tile".split())
AVX2_EPYC = frozenset("sse4_2 avx avx2 fma f16c".split())


def test_openblas_kernels_are_the_best_the_cpu_flags_allow():
    assert openblas_kernels(AMX_XEON) == "SkylakeX"
    assert openblas_kernels(AVX2_EPYC) == "Haswell"
    assert openblas_kernels(AVX2_EPYC | {"avx512f"}) == "Haswell"  # AVX-512 without its byte and word ops
    assert openblas_kernels(frozenset({"sse4_2", "avx"})) is None  # OpenBLAS's own detection then


def faiss_kernels_in_a_new_process(environment: dict[str, str]) -> str:
    """The kernels FAISS's OpenBLAS runs in a process that imports the vector index as citebot
    does; that process's environment is as it was given."""
    script = (
        "import os, index.vectors\n"
        "from index.faiss_loader import faiss_blas_kernels\n"
        "print(faiss_blas_kernels(), os.environ.get('OPENBLAS_CORETYPE'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    kernels, left = done.stdout.split()
    assert left == environment.get("OPENBLAS_CORETYPE", "None")
    if kernels == "None":
        pytest.skip("FAISS here does not use the OpenBLAS of the faiss-cpu wheel")
    return kernels


def test_faiss_multiplies_matrices_with_the_kernels_of_this_cpu():
    expected = openblas_kernels(cpu_flags())
    if expected is None:
        pytest.skip("a CPU with neither AVX2 nor AVX-512: OpenBLAS chooses alone")
    environment = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    assert faiss_kernels_in_a_new_process(environment) == expected


def test_kernels_an_operator_names_are_kept():
    environment = {**os.environ, "OPENBLAS_CORETYPE": "Prescott"}
    assert faiss_kernels_in_a_new_process(environment) == "Prescott"
