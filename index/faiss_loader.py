"""FAISS, loaded with the matrix kernels the CPU has.

The faiss-cpu wheel brings its own OpenBLAS, which picks its kernels by CPU model and does not
know recent ones: on the Xeons with AMX it falls back to its generic SSE3 kernels
("Prescott"), several times slower than the AVX-512 ones the CPU runs (README, "Performance").
FAISS computes with BLAS what the maintenance thread spends its time on: the k-means that
trains a layout's cells and the assignment of every vector to a cell when a layout is filled.
OpenBLAS reads its core type from the process's environment once, when it is loaded, so the
kernels are named there from the CPU's flags while FAISS is first imported, unless an
operator has named some already (their choice is kept). Questions' searches run FAISS's own
code and are unaffected. Every module of `index` imports FAISS from here.
"""

from __future__ import annotations

import ctypes
import os
import sys

from index.cpu import cpu_flags, openblas_kernels

OPENBLAS_CORE_TYPE = "OPENBLAS_CORETYPE"


def _load():
    """FAISS. The kernels' name is in the environment only while FAISS loads: other libraries,
    and processes started later, choose their own."""
    kernels = openblas_kernels(cpu_flags())
    if kernels is None or "faiss" in sys.modules or OPENBLAS_CORE_TYPE in os.environ:
        import faiss

        return faiss
    os.environ[OPENBLAS_CORE_TYPE] = kernels  # read once, as FAISS's OpenBLAS loads
    try:
        import faiss
    finally:
        del os.environ[OPENBLAS_CORE_TYPE]
    return faiss


faiss = _load()


def faiss_blas_kernels() -> str | None:
    """The kernels of the OpenBLAS that FAISS brought (e.g. "SkylakeX"), for benchmarks and
    tests; None when FAISS uses another BLAS (a build linked to MKL, or outside Linux)."""
    try:
        with open("/proc/self/maps", encoding="ascii", errors="replace") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line and "faiss" in line}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            corename = ctypes.CDLL(path).openblas_get_corename
        except (OSError, AttributeError):
            continue
        corename.restype = ctypes.c_char_p
        return corename().decode()
    return None
