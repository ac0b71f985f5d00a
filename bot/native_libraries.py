"""Native libraries told, before they load, what this CPU runs and what they may not do.

The faiss-cpu wheel brings its own OpenBLAS, which picks its matrix kernels by CPU model and
does not know recent ones: on the Xeons with AMX it falls back to its generic SSE3 kernels
("Prescott"), several times slower than the AVX-512 ones the CPU runs (README, "Performance").
FAISS computes with BLAS what the maintenance thread spends its time on: the k-means that trains
a layout's cells and the assignment of every vector to a cell as a layout is filled. OpenBLAS
reads its core type from the environment once, as it loads, so each entry point of the
application names it here before anything imports FAISS; `index` itself never reads the
environment.

ONNX Runtime (1.29 and later, Linux and macOS too) creates a device id and a queue of usage
events under `~/.cache/Microsoft/DeveloperTools/.onnxruntime` as it loads, for its telemetry
client to send to Microsoft. citebot reaches no server it was not told to and writes only where
it is told (for OpenVINO's telemetry, see `index.openvino_encoder.import_openvino`), so
`ORT_DISABLE_TELEMETRY` is set here too: the runtime reads it once, as it loads.

FAISS is loaded here too (`load_faiss`, which each entry point calls before anything imports
FAISS, once it knows it will: `python -m bot health` never does), with `GOMP_SPINCOUNT` set for
as long as it loads: the OpenMP
runtime of the faiss-cpu wheel (a copy of its own) reads it once, then. A question's scan of an
approximate index is shared out over the cores with OpenMP; by default its threads keep
spinning a while after each scan (libgomp's 300,000 rounds), and on two cores that scan's p95
went from about 2 ms to 5–13 ms whenever another thread had just been busy (presumably a
thread the scan waits for sitting behind a spinning one; README, "How it works", step 4). With
the count libgomp itself falls back to when threads outnumber cores, they spin briefly, then
sleep, and the p95 stayed near 2 ms. The variable
is removed once FAISS is loaded: PyTorch's own OpenMP runtime (a hub model through
sentence-transformers) loads later and keeps its default, which it needs (its question took
twice as long with the short count). An operator's own `GOMP_SPINCOUNT` is left as it is.
"""

from __future__ import annotations

import importlib
from collections.abc import MutableMapping
from dataclasses import dataclass

from index.cpu import faiss_blas_kernels, openblas_kernels

OPENBLAS_CORE_TYPE = "OPENBLAS_CORETYPE"
ONNX_RUNTIME_TELEMETRY_OFF = "ORT_DISABLE_TELEMETRY"
OPENMP_SPIN_COUNT = "GOMP_SPINCOUNT"
THREAD_COUNTS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")  # FAISS's OpenMP and BLAS, PyTorch's
FAISS_SPIN_COUNT = "1000"  # libgomp's own count when threads outnumber cores


def prepare_native_libraries(
    environment: MutableMapping[str, str], flags: frozenset[str], container_cores: int | None = None
) -> None:
    """Set in `environment`, before FAISS or ONNX Runtime loads: the OpenBLAS kernels these CPU
    `flags` run fastest, unless an operator named some (their choice is kept) or the CPU has
    neither AVX-512 nor AVX2 (OpenBLAS's own detection is then as good as any); ONNX Runtime's
    telemetry off; and, when a container's CPU quota allows fewer cores than the CPUs the
    process sees (`container_cores`, `index.cpu.container_cores`), that many threads for the
    OpenMP and BLAS runtimes, which count CPUs, not the quota (an operator's counts kept). They
    stay for the processes the bot starts: they run on the same CPU, under the same rules.
    FAISS itself is loaded by `load_faiss`, after this."""
    environment[ONNX_RUNTIME_TELEMETRY_OFF] = "1"
    if container_cores is not None:
        for variable in THREAD_COUNTS:
            environment.setdefault(variable, str(container_cores))
    kernels = openblas_kernels(flags)
    if kernels is not None:
        environment.setdefault(OPENBLAS_CORE_TYPE, kernels)


def load_faiss(environment: MutableMapping[str, str]) -> None:
    """FAISS loaded with `GOMP_SPINCOUNT` at `FAISS_SPIN_COUNT` (an operator's value kept), its
    OpenMP threads then spinning briefly, the variable removed afterwards; a FAISS loaded already
    stays as it was. After `prepare_native_libraries`, which names its BLAS kernels."""
    ours = OPENMP_SPIN_COUNT not in environment
    if ours:
        environment[OPENMP_SPIN_COUNT] = FAISS_SPIN_COUNT
    try:
        importlib.import_module("faiss")  # its OpenMP runtime reads the variable as it loads
    finally:
        if ours:
            del environment[OPENMP_SPIN_COUNT]


@dataclass(frozen=True)
class Computing:
    """How this machine computes, for an operator checking a server: the precision
    `EMBEDDING_PRECISION=auto` chose for the model, and the kernels FAISS's OpenBLAS runs (None
    when unknown: a model run by another library, FAISS linked to another BLAS)."""

    precision: str | None
    faiss_blas: str | None


def computing(embedder: object) -> Computing:
    return Computing(getattr(embedder, "precision", None), faiss_blas_kernels())
