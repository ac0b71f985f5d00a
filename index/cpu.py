"""What the CPU can run, from the feature flags Linux lists: read once where a choice depends on it."""

from __future__ import annotations

import ctypes


def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags as Linux lists them; none elsewhere."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("flags"):
                    return frozenset(line.partition(":")[2].split())
    except OSError:
        pass
    return frozenset()


# OpenBLAS's kernels for each class of x86 CPU, best first, with the flags they need.
OPENBLAS_KERNELS = (
    ("SkylakeX", frozenset({"avx512f", "avx512dq", "avx512bw", "avx512vl"})),
    ("Haswell", frozenset({"avx2", "fma"})),
)


def openblas_kernels(flags: frozenset[str]) -> str | None:
    """The OpenBLAS core type whose matrix kernels this CPU runs fastest; None when it has
    neither AVX-512 nor AVX2 (OpenBLAS's own detection is then as good as any)."""
    return next((name for name, needed in OPENBLAS_KERNELS if needed <= flags), None)


def faiss_blas_kernels() -> str | None:
    """The kernels of the OpenBLAS that the loaded FAISS brought (e.g. "SkylakeX"), for
    benchmarks and tests; None when FAISS is not loaded or uses another BLAS (a build linked
    to MKL, or outside Linux)."""
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
