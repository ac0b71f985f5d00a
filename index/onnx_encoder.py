"""Questions embedded by ONNX Runtime: the same network as the sentence-transformers
folder, run without PyTorch.

A question is one short text. Through sentence-transformers it costs about 13 ms
here, mostly framework overhead for a batch of one, and importing torch makes a
process wait about 5 s before its first answer. The ONNX export of the same
weights embeds a short question in about 5 ms and loads in under a second (README,
"Performance"). Passages, embedded in large batches at ingest, stay with
sentence-transformers, which is the faster of the two for batches on this CPU.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.batching import encode_sorted
from index.errors import ModelError

# Graph already optimised by ONNX Runtime for its CPU provider (fused attention,
# layer norms and GELU), so that opening a session does not redo it.
ONNX_MODEL = Path("onnx") / "model-optimised.onnx"


def export_onnx(bert, folder: Path, *, opset: int = 17) -> Path:
    """Export `bert` (a transformers BertModel) into `folder`, optimised for ONNX Runtime's CPU provider."""
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class LastHiddenState(torch.nn.Module):
        def __init__(self, model) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    target = folder / ONNX_MODEL
    target.parent.mkdir(parents=True, exist_ok=True)
    raw = target.with_name("model-export.onnx")
    with warnings.catch_warnings():  # the tracer's notes about data-dependent branches do not apply here
        warnings.simplefilter("ignore")
        _export(torch, LastHiddenState(bert.eval()), raw, opset)
    # The word-embedding table (250k × 384, 80% of the weights) in int8: the file and the
    # process shrink by 300 MB and load faster; questions' vectors keep cosine ≥ 0.9998.
    # Quantising the matrix products too was measured and not kept (README, "Model").
    smaller = target.with_name("model-int8-embeddings.onnx")
    logging.disable(logging.WARNING)  # its advice to "pre-process" concerns static quantisation
    try:
        quantize_dynamic(str(raw), str(smaller), weight_type=QuantType.QInt8, op_types_to_quantize=["Gather"])
    finally:
        logging.disable(logging.NOTSET)
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    options.optimized_model_filepath = str(target)
    ort.InferenceSession(str(smaller), options, providers=["CPUExecutionProvider"])
    raw.unlink()
    smaller.unlink()
    return target


def _export(torch, module, path: Path, opset: int) -> None:
    example = torch.ones(1, 8, dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    torch.onnx.export(
        module,
        (example, example, torch.zeros_like(example)),
        str(path),
        input_names=names,
        output_names=["last_hidden_state"],
        dynamic_axes={name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]},
        opset_version=opset,
        dynamo=False,
    )


def has_onnx(folder: Path) -> bool:
    return (folder / ONNX_MODEL).is_file()


class OnnxEncoder:
    """Tokenise, run the encoder, mean-pool over real tokens, normalise: what the
    folder's sentence-transformers modules do (Transformer, mean Pooling, Normalize)."""

    def __init__(self, folder: Path, *, threads: int | None = None) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - dependencies of the project
            raise ModelError(f"ONNX Runtime indisponible : {exc}") from exc
        config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
        max_length = int(config.get("model_max_length", 512))
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length)
        pad = config["pad_token"]
        self._tokenizer.enable_padding(pad_id=self._tokenizer.token_to_id(pad), pad_token=pad)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL  # done at export
        options.intra_op_num_threads = threads or min(os.cpu_count() or 1, 4)
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(folder / ONNX_MODEL), options, providers=["CPUExecutionProvider"])
        self.dimension = int(self._session.get_outputs()[0].shape[-1])

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Unit vectors, in input order; many texts go in length-sorted batches (memory stays flat)."""
        return encode_sorted(list(texts), self._encode_batch, dimension=self.dimension, batch_size=batch_size)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, feeds)[0]
        pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
