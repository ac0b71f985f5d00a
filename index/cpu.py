"""What the CPU can run, from the feature flags Linux lists: read once where a choice depends on it."""

from __future__ import annotations


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
