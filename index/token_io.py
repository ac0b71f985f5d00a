"""What the model folder's sentence-transformers modules do around the network, for the
runtimes that run it without PyTorch (`index.openvino_encoder`, `index.onnx_encoder`):
tokenise and pad (its Transformer module), mean-pool over real tokens (Pooling), normalise
(Normalize)."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import numpy as np

# A copy of the folder's tokenizer that knows only the word pieces written in the scripts of
# French text and of most text beside it in the news (Latin, Greek, punctuation, symbols,
# emoji): 118,000 of its 250,000 pieces, so it loads in about a third of the time, where
# loading the tokenizer was the largest part of a cold start (README, "Model"). For a text
# whose normalised characters are all in those scripts it gives exactly the full tokenizer's
# ids: a unigram tokenizer only weighs pieces that occur in the text, and the copy keeps
# every such piece and the lowest score (which sets the unknown piece's). Any other text
# (Cyrillic, Arabic, Chinese…) goes to the full tokenizer, loaded the first time one comes.
SUBSET_TOKENIZER = "tokenizer-subset.json"
SUBSET_IDS = "tokenizer-subset-ids.npy"  # the full tokenizer's id of each of the copy's pieces
_OUTSIDE_SUBSET = re.compile(r"[^\x00-\u03ff\u1e00-\u1eff\u2000-\u2bff\ufe00-\ufe0f\U0001f000-\U0001faff]")


def write_subset_tokenizer(folder: Path) -> None:
    """Write the copy (`SUBSET_TOKENIZER`, `SUBSET_IDS`) beside the folder's tokenizer.json."""
    full = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    vocab = full["model"]["vocab"]
    added = {token["id"] for token in full["added_tokens"]}  # <s>, <pad>, </s>, <unk>: their ids stay
    lowest = min(range(len(vocab)), key=lambda i: vocab[i][1])
    kept = [i for i, (piece, _) in enumerate(vocab) if i in added or i == lowest or not _OUTSIDE_SUBSET.search(piece)]
    if kept[: len(added)] != sorted(added):
        raise ValueError("the special tokens are expected first in the vocabulary")
    subset = {**full, "model": {**full["model"], "vocab": [vocab[i] for i in kept]}}
    (folder / SUBSET_TOKENIZER).write_text(json.dumps(subset, ensure_ascii=False), encoding="utf-8")
    np.save(folder / SUBSET_IDS, np.array(kept, dtype=np.int64))


def has_subset_tokenizer(folder: Path) -> bool:
    return (folder / SUBSET_TOKENIZER).is_file() and (folder / SUBSET_IDS).is_file()


class FolderTokenizer:
    """The model folder's tokenizer, truncating at the model's length and padding with its pad
    token: the subset copy for the texts it covers, the full tokenizer for the others."""

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer

        self._folder = folder
        config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
        self._max_length = int(config.get("model_max_length", 512))
        self._pad = config["pad_token"]
        self._subset = self._configured(Tokenizer.from_file(str(folder / SUBSET_TOKENIZER)))
        self._subset_to_full = np.load(folder / SUBSET_IDS)
        self._full = None
        self._loading_full = threading.Lock()

    def _configured(self, tokenizer):
        tokenizer.enable_truncation(self._max_length)
        tokenizer.enable_padding(pad_id=tokenizer.token_to_id(self._pad), pad_token=self._pad)
        return tokenizer

    def covers(self, text: str) -> bool:
        """True when the subset copy gives `text` the full tokenizer's ids."""
        return not _OUTSIDE_SUBSET.search(self._subset.normalizer.normalize_str(text))

    def full(self):
        """The full tokenizer, loaded at first need. The lock is held only while it loads, by the
        first text that needs it; texts the copy covers never wait for it."""
        with self._loading_full:
            if self._full is None:
                from tokenizers import Tokenizer

                self._full = self._configured(Tokenizer.from_file(str(self._folder / "tokenizer.json")))
            return self._full

    def encode(self, texts: list[str], min_tokens: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Token ids and attention mask of a batch of texts, padded to the longest, and to
        `min_tokens` at least (the padding is masked out: the vectors stay the same)."""
        if all(self.covers(text) for text in texts):
            encodings = self._subset.encode_batch(texts)
            ids = self._subset_to_full[np.array([e.ids for e in encodings], dtype=np.int64)]
        else:
            encodings = self.full().encode_batch(texts)
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        missing = min_tokens - ids.shape[1]
        if missing > 0:
            ids = np.pad(ids, ((0, 0), (0, missing)), constant_values=self.full_pad_id)
            mask = np.pad(mask, ((0, 0), (0, missing)))
        return ids, mask

    @property
    def full_pad_id(self) -> int:
        """The padding token's id in the full vocabulary (the network's)."""
        return int(self._subset_to_full[self._subset.token_to_id(self._pad)])


def network_inputs(tokenizer: FolderTokenizer, texts: list[str], min_tokens: int = 0) -> dict[str, np.ndarray]:
    """The BERT network's three inputs for a batch of texts, padded to the longest and to
    `min_tokens` at least."""
    ids, mask = tokenizer.encode(texts, min_tokens)
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}


def pooled_unit_vectors(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Each text's token states averaged over its real tokens (not the padding), as unit vectors."""
    pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
    return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)
