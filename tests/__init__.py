"""citebot's tests and benchmarks. Like `python -m bot`, they name FAISS's matrix kernels for this
CPU before anything loads FAISS (bot.native_libraries), so they run what users run."""

import os

from bot.native_libraries import name_blas_kernels
from index.cpu import cpu_flags

name_blas_kernels(os.environ, cpu_flags())
