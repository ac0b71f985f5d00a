"""What the model folder's sentence-transformers modules do around the network, for the
runtimes that run it without PyTorch (`index.openvino_encoder`, `index.onnx_encoder`):
tokenise and pad (its Transformer module), mean-pool over real tokens (Pooling), normalise
(Normalize)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def load_tokenizer(folder: Path):
    """The folder's fast tokenizer, truncating at the model's length and padding with its pad token."""
    from tokenizers import Tokenizer

    config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(int(config.get("model_max_length", 512)))
    pad = config["pad_token"]
    tokenizer.enable_padding(pad_id=tokenizer.token_to_id(pad), pad_token=pad)
    return tokenizer


def network_inputs(tokenizer, texts: list[str]) -> dict[str, np.ndarray]:
    """The BERT network's three inputs for a batch of texts, padded to the longest."""
    encodings = tokenizer.encode_batch(texts)
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}


def pooled_unit_vectors(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Each text's token states averaged over its real tokens (not the padding), as unit vectors."""
    pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
    return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)
