"""The model and the precision a user may choose, apart from the code that runs them: the
application's settings, which every command reads (`health` too, every 30 s in Docker), name
their defaults and values without loading NumPy or the model's modules."""

from __future__ import annotations

from typing import Literal

MODEL_ID = "intfloat/multilingual-e5-small"
Precision = Literal["float32", "bfloat16", "int8"]
# What a user may ask for (`EMBEDDING_PRECISION`): a precision, or `auto`
# (`index.embeddings.choose_precision`).
PrecisionChoice = Literal["auto", Precision]
