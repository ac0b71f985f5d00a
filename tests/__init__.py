"""citebot's tests and benchmarks. Like `python -m bot`, they prepare the native libraries (FAISS's
matrix kernels for this CPU, ONNX Runtime's telemetry off) before anything loads them
(bot.native_libraries), so they run what users run."""

import os

from bot.native_libraries import load_faiss, prepare_native_libraries
from index.cpu import container_cores, cpu_flags

prepare_native_libraries(os.environ, cpu_flags(), container_cores())
load_faiss(os.environ)
