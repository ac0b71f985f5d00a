"""The default model run by OpenVINO: questions and passages, without PyTorch.

One network, exported once when the model is prepared, answers both: a short
question in 4.5–5 ms (ONNX Runtime: 6.8 ms; sentence-transformers: 13 ms) and
64–66 passages per second (sentence-transformers in bfloat16: 57–64), because on
CPUs with AMX OpenVINO runs the matrix products in bfloat16 on the AMX tiles while
keeping layer norms and soft-max in float32: passage vectors stay within cosine
0.99998 of float32, where the model cast to bfloat16 in PyTorch drifts to 0.998.
Loading takes a fraction of a second and does not import torch (README, "Model").
"""

from __future__ import annotations

import json
import os
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np

from index.batching import Progress, encode_sorted
from index.errors import ModelError

OPENVINO_MODEL = Path("openvino") / "model.xml"
_INFERENCE_PRECISION = {"float32": "f32", "bfloat16": "bf16"}


def export_openvino(bert, folder: Path) -> Path:
    """Convert `bert` (a transformers BertModel) into OpenVINO's format in `folder`.

    Weights are stored in float16 (the rebuilt weights come from 4-bit blocks, so
    nothing is lost that matters); attention is exported as plain matrix products,
    which OpenVINO fuses into its own attention kernel: a short question 5% faster than
    from PyTorch's scaled-dot-product attention, ingest throughput the same."""
    import openvino as ov
    import torch

    bert = bert.eval()
    if hasattr(bert, "set_attn_implementation"):  # transformers ≥ 4.5x; older ones export their SDPA, a bit slower
        bert.set_attn_implementation("eager")
    example = torch.ones(2, 8, dtype=torch.long)
    with warnings.catch_warnings(), torch.no_grad():  # the tracer's notes on data-dependent branches do not apply
        warnings.simplefilter("ignore")
        model = ov.convert_model(
            bert, example_input={"input_ids": example, "attention_mask": example, "token_type_ids": example * 0}
        )
    target = folder / OPENVINO_MODEL
    target.parent.mkdir(parents=True, exist_ok=True)
    ov.save_model(model, str(target), compress_to_fp16=True)
    return target


def compiled_cache(folder: Path) -> Path | None:
    """Where OpenVINO keeps the network compiled for this CPU and precision (README, "Model":
    it takes most of a cold start otherwise); None when the model folder is read-only."""
    cache = folder / "openvino" / "compiled"
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return cache if os.access(cache, os.W_OK) else None


def has_openvino(folder: Path) -> bool:
    return (folder / OPENVINO_MODEL).is_file()


class OpenVinoEncoder:
    """Tokenise, run the encoder, mean-pool over real tokens, normalise: what the
    folder's sentence-transformers modules do (Transformer, mean Pooling, Normalize)."""

    def __init__(self, folder: Path, *, precision: Literal["float32", "bfloat16"]) -> None:
        try:
            import openvino as ov
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - dependencies of the project
            raise ModelError(f"OpenVINO indisponible : {exc}") from exc
        config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(int(config.get("model_max_length", 512)))
        pad = config["pad_token"]
        self._tokenizer.enable_padding(pad_id=self._tokenizer.token_to_id(pad), pad_token=pad)
        options = {
            "PERFORMANCE_HINT": "LATENCY",  # one stream using every thread: best for a question and a batch
            "INFERENCE_NUM_THREADS": min(os.cpu_count() or 1, 4),
            "INFERENCE_PRECISION_HINT": _INFERENCE_PRECISION[precision],
        }
        cache = compiled_cache(folder)
        if cache is not None:  # the network compiled for this CPU, kept: later starts load it instead
            options["CACHE_DIR"] = str(cache)
        self._model = ov.Core().compile_model(str(folder / OPENVINO_MODEL), "CPU", options)
        self.dimension = int(self._model.output(0).get_partial_shape()[-1].get_length())
        self._requests = threading.local()  # an infer request serves one thread at a time

    def encode(self, texts: Sequence[str], batch_size: int = 16, progress: Progress | None = None) -> np.ndarray:
        """Unit vectors, in input order; many texts go in length-sorted batches (memory stays flat)."""
        return encode_sorted(
            list(texts), self._encode_batch, dimension=self.dimension, batch_size=batch_size, progress=progress
        )

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        request = getattr(self._requests, "request", None)
        if request is None:
            request = self._requests.request = self._model.create_infer_request()
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = request.infer(feeds)[0]
        pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)
