"""`python -m bot …` and the `citebot` command."""

import os
import sys

from bot.native_libraries import name_blas_kernels
from index.cpu import cpu_flags


def run() -> int:
    name_blas_kernels(os.environ, cpu_flags())  # before anything loads FAISS
    from bot.cli import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
