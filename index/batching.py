"""Length-sorted batches: texts of similar length padded together waste less compute."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

Progress = Callable[[int, int], None]


def encode_sorted(
    texts: Sequence[str],
    encode: Callable[[list[str]], np.ndarray],
    *,
    dimension: int,
    batch_size: int,
    progress: Progress | None = None,
) -> np.ndarray:
    """`encode` over batches of texts of similar length; rows come back in input order."""
    out = np.empty((len(texts), dimension), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for begin in range(0, len(order), batch_size):
        chosen = order[begin : begin + batch_size]
        out[chosen] = encode([texts[i] for i in chosen])
        if progress:
            progress(min(begin + batch_size, len(order)), len(order))
    return out
