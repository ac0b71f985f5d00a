"""`python -m bot …` and the `citebot` command."""

import os
import sys

from bot.native_libraries import prepare_native_libraries
from index.cpu import container_cores, cpu_flags


def run() -> int:
    prepare_native_libraries(os.environ, cpu_flags(), container_cores())  # before anything loads FAISS or ONNX Runtime
    from bot.cli import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
