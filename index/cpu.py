"""What the CPU can run, from the feature flags Linux lists: read once where a choice depends on it."""

from __future__ import annotations

import ctypes
import functools
import math
import os
from pathlib import Path


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


@functools.cache
def usable_cores() -> int:
    """The cores this process may keep busy: its affinity mask, or fewer when its container's
    CPU quota allows fewer (`container_cores`)."""
    return container_cores() or _affinity_cores()


def container_cores(cgroup: Path = Path("/sys/fs/cgroup")) -> int | None:
    """The cores a container's CPU quota allows when that is fewer than the CPUs the process
    sees (`docker run --cpus=2` on a 64-core host still shows 64, and threads sized by that
    count then queue for two cores' worth of time); None without such a quota. `cgroup`: where
    the process's control group is mounted (the container's own, inside one)."""
    quota = _read_words(cgroup / "cpu.max") or [
        *_read_words(cgroup / "cpu" / "cpu.cfs_quota_us"),
        *_read_words(cgroup / "cpu" / "cpu.cfs_period_us"),
    ]
    allowed = quota_cores(*quota) if len(quota) == 2 else None
    return allowed if allowed is not None and allowed < _affinity_cores() else None


def _affinity_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def quota_cores(quota: str, period: str) -> int | None:
    """The cores a CPU quota allows, rounded up ("150000" per "100000" µs: 2); None when there
    is no quota ("max" in cgroup v2, "-1" in v1) or it cannot be read."""
    try:
        allowed, every = int(quota), int(period)
    except ValueError:
        return None
    return math.ceil(allowed / every) if allowed > 0 and every > 0 else None


def _read_words(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="ascii", errors="replace").split()
    except OSError:
        return []


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
