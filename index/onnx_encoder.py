"""Questions and passages in 8-bit arithmetic through ONNX Runtime, on CPUs without bfloat16 units.

On a CPU with AVX2 and no AMX, a question's embedding is bound by float32 multiply-adds:
OpenVINO with 8-bit weights still computes in float32, and its own 8-bit arithmetic
(static quantisation) runs slower there than float32. ONNX Runtime's dynamic quantisation
multiplies 8-bit activations (quantised per question as it runs, so no calibration text is
needed) by 8-bit weights with its AVX2 and VNNI integer kernels: a question takes about a
fifth less time than with OpenVINO's 8-bit weights, its vector within cosine ~0.999 of
float32's, the retrieval figures within a point (README, "Model"). Passages (the sentences
ingest embeds, each short) go through it too, one text a run on each core at once: faster
than OpenVINO's batches of float32 arithmetic on such CPUs (README, "Model").

The network is exported when the model is prepared (`write_onnx_export`, then
`ONNX_INT8_STEPS`: 236 MB instead of 470) with its graph already optimised for the CPU
provider and its weights in a file of their own, so that opening it is quick.
"""

from __future__ import annotations

import json
import logging
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from index.batching import Progress
from index.cpu import usable_cores
from index.errors import ModelError
from index.token_io import FolderTokenizer, network_inputs, pooled_unit_vectors

ONNX_INT8_MODEL = Path("onnx") / "model-int8.onnx"
# Its weights, beside it: ONNX Runtime maps this file into memory instead of parsing and
# copying a 236 MB protocol buffer, which opens a session in under a tenth of a second
# instead of nearly half a second (README, "Model").
ONNX_INT8_WEIGHTS = ONNX_INT8_MODEL.with_name("model-int8.onnx.data")
QUESTION_THREADS = min(usable_cores(), 4)  # a question asked alone runs on the cores, up to 4
# How long a question's threads spin for their next operator before they sleep (`_spinning`).
SPIN_MICROSECONDS = 100
_INPUTS = ["input_ids", "attention_mask", "token_type_ids"]


def import_onnxruntime():
    """The `onnxruntime` module, loaded when first needed (questions on CPUs without AMX).

    Its usage telemetry is turned off by the application before it loads
    (`bot.native_libraries`): the runtime reads `ORT_DISABLE_TELEMETRY` from the environment,
    which this library never touches."""
    import onnxruntime

    return onnxruntime


def _intermediate(folder: Path, stage: str) -> Path:
    return (folder / ONNX_INT8_MODEL).with_name(f"model-{stage}.onnx")


@contextmanager
def _without_warnings() -> Iterator[None]:
    """ONNX Runtime's tools' warnings (advice for other uses) kept off the user's terminal."""
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


def _network_shape(folder: Path) -> dict:
    """The model folder's transformers configuration (`config.json`): its heads and sizes."""
    return json.loads((folder / "config.json").read_text(encoding="utf-8"))


def write_onnx_export(bert, folder: Path) -> None:
    """`bert` (a transformers BertModel) traced into an ONNX file (float32) in the model `folder`,
    attention as plain matrix products, for `ONNX_INT8_STEPS` to make the 8-bit network of.

    Its operators are then fused into larger ones (`_fused_for_cpu`); matrix products, the
    attention's included, get per-output-channel 7-bit weights with activations quantised as
    the network runs, except the feed-forward outputs (`_feed_forward_outputs`); the
    word-embedding table, most of the file, is stored in float16
    (`_word_embeddings_in_16_bits`). Each step reads the file the one before wrote and removes
    it, so that the model's preparation can run each in a process of its own."""
    import torch

    class LastHiddenState(torch.nn.Module):
        def __init__(self, model) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    bert = bert.eval()
    if hasattr(bert, "set_attn_implementation"):  # plain matrix products, as for OpenVINO
        bert.set_attn_implementation("eager")
    exported = _intermediate(folder, "export")
    exported.parent.mkdir(parents=True, exist_ok=True)
    example = torch.ones(1, 8, dtype=torch.long)
    # The tracer's notes on data-dependent branches do not apply.
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            LastHiddenState(bert),
            (example, example, torch.zeros_like(example)),
            str(exported),
            input_names=_INPUTS,
            output_names=["last_hidden_state"],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in [*_INPUTS, "last_hidden_state"]},
            opset_version=17,
            dynamo=False,
        )


def fuse_onnx_export(folder: Path) -> None:
    """The export with its operators fused (`_fused_for_cpu`).

    The optimizer keeps a copy of the whole network for each of its shape inferences (2.8 GB
    for this one): it is given the network with its word-embedding table left in a file beside
    it, unread (`_LEFT_ASIDE`: no fusion touches that table), so that each copy holds the rest
    alone. The fused network then takes the table back, in one file, as the quantizer reads it."""
    import onnx

    exported = _intermediate(folder, "export")
    aside = exported.with_name(exported.name + ".data")
    onnx.save(
        onnx.load(str(exported)),
        str(exported),
        save_as_external_data=True,
        location=aside.name,
        size_threshold=_LEFT_ASIDE,
    )
    with _without_warnings():
        model = onnx.load(str(exported), load_external_data=False)
        fused = _fused_for_cpu(model, _network_shape(folder), _intermediate(folder, "fused"))
    onnx.save(onnx.load(str(fused)), str(fused))  # the table read back from beside it
    exported.unlink()
    aside.unlink()


def quantise_onnx_export(folder: Path) -> None:
    """The fused network with 8-bit matrix products (7-bit weights), its feed-forward outputs apart."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fused, quantised = _intermediate(folder, "fused"), _intermediate(folder, "quantised")
    with _without_warnings():  # its advice to "pre-process" is for static quantisation
        model = onnx.load(str(fused))
        excluded = _feed_forward_outputs(model, _network_shape(folder)["intermediate_size"])
        del model
        quantize_dynamic(
            str(fused),
            str(quantised),
            weight_type=QuantType.QInt8,
            per_channel=True,
            # 7-bit weights: CPUs without VNNI multiply u8 by s8 in pairs summed in 16 bits,
            # which 8-bit weights can saturate (ONNX Runtime's advice for them); measured
            # closer to float32 on AVX2, and no slower.
            reduce_range=True,
            # The fused attention too (its query, key and value products, as one 8-bit product).
            op_types_to_quantize=["MatMul", "Attention"],
            nodes_to_exclude=excluded,
            # The fused operators are ONNX Runtime's own, whose outputs shape inference cannot type.
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    fused.unlink()


def finish_onnx_int8(folder: Path) -> None:
    """The quantised network with its word table in float16, optimised by ONNX Runtime for the
    CPU and saved with its weights in a file of their own (`ONNX_INT8_WEIGHTS`)."""
    import onnx

    ort = import_onnxruntime()
    quantised = _intermediate(folder, "quantised")
    onnx.save(_word_embeddings_in_16_bits(onnx.load(str(quantised))), str(quantised))
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    options.optimized_model_filepath = str(folder / ONNX_INT8_MODEL)
    options.add_session_config_entry("session.optimized_model_external_initializers_file_name", ONNX_INT8_WEIGHTS.name)
    options.add_session_config_entry("session.optimized_model_external_initializers_min_size_in_bytes", "1024")
    ort.InferenceSession(str(quantised), options, providers=["CPUExecutionProvider"])
    quantised.unlink()


ONNX_INT8_STEPS = (fuse_onnx_export, quantise_onnx_export, finish_onnx_int8)


# Tables this large (in bytes) are left in a file of their own while operators are fused: the
# word-embedding table alone (250,037 × 384 float32, 384 MB; the next largest is under 1 MB).
_LEFT_ASIDE = 64 * 2**20


def _fused_for_cpu(exported, shape: dict, fused: Path) -> Path:
    """`exported` (an `onnx.ModelProto`) saved at `fused` with each layer's attention, its
    normalisations after a residual sum and its GELU after a bias fused into single operators
    (ONNX Runtime's transformer optimizer). A question runs each operator on all the cores, and
    every operator costs a hand-over between threads that, on a question's few tokens, outlasts
    the arithmetic of the small ones: fewer operators, a quicker question (README, "Model",
    "Fewer, larger operators")."""
    from onnxruntime.transformers import optimizer
    from onnxruntime.transformers.fusion_options import FusionOptions

    options = FusionOptions("bert")
    # The word-embedding lookup stays apart, so that its table can be stored in float16.
    options.enable_embed_layer_norm = False
    model = optimizer.optimize_model(
        exported,
        model_type="bert",
        num_heads=shape["num_attention_heads"],
        hidden_size=shape["hidden_size"],
        optimization_options=options,
        opt_level=0,  # the fusions alone: ONNX Runtime's own passes run once the network is quantised
    )
    model.save_model_to_file(str(fused))
    return fused


def _feed_forward_outputs(model, intermediate_size: int) -> list[str]:
    """The matrix products that bring each layer's feed-forward activations back to the hidden
    size (their weights: intermediate × hidden). Their input, after GELU, has a long tail that
    one 8-bit scale per question serves badly: left in float32 they bring the questions'
    vectors closer to float32's for a little more time a question (README, "Model", has the
    cosines and the times)."""
    weights = {init.name: tuple(init.dims) for init in model.graph.initializer}
    return [
        node.name
        for node in model.graph.node
        if node.op_type == "MatMul" and any(weights.get(i, ())[:1] == (intermediate_size,) for i in node.input)
    ]


def _word_embeddings_in_16_bits(model):
    """`model` (an `onnx.ModelProto`) with its word-embedding table (the largest lookup table,
    most of the file) stored in float16, the rows looked up cast back to float32. In 8 bits
    (ONNX Runtime's lookup quantisation, one scale for the table, or a scale per word) it
    moved close rankings: the sample question's answer fell to second place."""
    from onnx import TensorProto, helper, numpy_helper

    graph = model.graph
    tables = {init.name: init for init in graph.initializer if len(init.dims) == 2}
    lookups = [n for n in graph.node if n.op_type == "Gather" and n.input[0] in tables]
    node = max(lookups, key=lambda n: tables[n.input[0]].dims[0])
    name, ids, out = node.input[0], node.input[1], node.output[0]
    half = numpy_helper.from_array(numpy_helper.to_array(tables[name]).astype(np.float16), f"{name}_float16")
    graph.initializer.remove(tables[name])
    graph.initializer.append(half)
    position = list(graph.node).index(node)
    graph.node.remove(node)
    graph.node.insert(position, helper.make_node("Gather", [half.name, ids], [f"{out}_float16"]))
    graph.node.insert(position + 1, helper.make_node("Cast", [f"{out}_float16"], [out], to=TensorProto.FLOAT))
    return model


def has_onnx_int8(folder: Path) -> bool:
    return (folder / ONNX_INT8_MODEL).is_file() and (folder / ONNX_INT8_WEIGHTS).is_file()


def open_session(path: Path, threads: int, held: HeldWeights | None = None):
    """An ONNX Runtime session on the CPU for the export at `path` (already optimised). Its
    weights file is mapped, unless they are `held` in memory already."""
    ort = import_onnxruntime()

    options = ort.SessionOptions()
    if held is not None:
        held.hand_to(options)
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL  # done at export
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    for key, value in _spinning(threads).items():
        options.add_session_config_entry(key, value)
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    # The session computes from the held weights where they lie: they live as long as it does.
    session.held_weights = held
    return session


def _spinning(threads: int) -> dict[str, str]:
    """How a session's threads wait for their next operator. A question's session (several
    threads) hands each of its operators over between them: a thread asleep is woken for each,
    which on a question's few tokens outlasts the arithmetic of the small ones; spinning
    `SPIN_MICROSECONDS` first catches the next operator awake (measured: README, "Model").
    Bounded, the spin wastes little when the other thread is late (another process has the
    core); stopped when a question ends, the threads never spin between questions, where they
    would take the cores of answers and passages in the same process. A session of one thread
    has no hand-over: it never spins."""
    if threads == 1:
        return {"session.intra_op.allow_spinning": "0"}
    return {
        "session.intra_op.allow_spinning": "1",
        "session.intra_op.spin_duration_us": str(SPIN_MICROSECONDS),
        "session.force_spinning_stop": "1",
    }


# How much of the weights file is read between two looks at whether the process is stopping:
# 16 MiB, a small part of the file, so a stop waits for little of the read.
READ_CHUNK_BYTES = 16 << 20


class Abandoned(Exception):
    """Reading the weights given up: the process that asked for them is stopping."""


def never() -> bool:
    """The default `closing`: a one-shot caller (a benchmark, a test) that never stops it."""
    return False


def _read_unless(path: Path, closing: Callable[[], bool]) -> np.ndarray:
    """The bytes of `path`, read `READ_CHUNK_BYTES` at a time; `Abandoned` once `closing()`
    says so. Read whole, a stopping bot waited seconds for it before it could exit (its
    library's close waits for its maintenance thread, which reads them)."""
    data = np.empty(path.stat().st_size, dtype=np.uint8)
    with path.open("rb") as file:
        done = 0
        while done < len(data):  # bounded: each turn reads at least a byte, or stops
            if closing():
                raise Abandoned(path.name)
            read = file.readinto(memoryview(data)[done : done + READ_CHUNK_BYTES])
            if not read:
                raise OSError(f"{path} ended at {done} of {len(data)} bytes")
            done += read
    return data


class HeldWeights:
    """The export's weights file read once into this process's memory and handed to each session
    as its initializers, which ONNX Runtime then uses where they are: neither mapped from the
    file nor copied (two sessions share them). Mapped, the rows of the word table a question
    needs are read from disk again after a quiet minute on a machine that drops idle file pages
    (a virtual machine reclaiming memory; README, "Model", "Networks held in memory").
    `Abandoned` as soon as `closing()` says the process is stopping."""

    def __init__(self, model: Path, closing: Callable[[], bool] = never) -> None:
        import onnx
        from onnx.helper import tensor_dtype_to_np_dtype

        ort = import_onnxruntime()
        graph = onnx.load(str(model), load_external_data=False).graph
        self._file = _read_unless(model.with_name(ONNX_INT8_WEIGHTS.name), closing)
        self._values = {}
        for tensor in graph.initializer:
            where = {entry.key: entry.value for entry in tensor.external_data}
            if tensor.data_location != onnx.TensorProto.EXTERNAL or where.get("location") != ONNX_INT8_WEIGHTS.name:
                continue  # in the model itself, or elsewhere: left to ONNX Runtime
            start = int(where.get("offset", 0))
            raw = self._file[start : start + int(where["length"])]
            array = raw.view(tensor_dtype_to_np_dtype(tensor.data_type)).reshape(tuple(tensor.dims))
            self._values[tensor.name] = ort.OrtValue.ortvalue_from_numpy(array)

    def hand_to(self, options) -> None:
        """Session `options` that take these weights (they must outlive the session:
        `open_session` ties them to it)."""
        for name, value in self._values.items():
            options.add_initializer(name, value)


class OnnxEncoder:
    """Questions and passages as unit vectors, as `OpenVinoEncoder` makes them, through the
    8-bit export. Every text runs alone: activations are quantised over the whole input of a
    run, so a text's vector would otherwise depend on the texts beside it in a batch (and a
    stored sentence's on the sentences ingested with it)."""

    def __init__(self, folder: Path, *, tokenizer: FolderTokenizer | None = None) -> None:
        """`tokenizer`: the folder's (`index.token_io.FolderTokenizer`), when the caller has it already."""
        try:
            import_onnxruntime()
        except ImportError as exc:  # pragma: no cover - dependencies of the project
            raise ModelError(f"ONNX Runtime indisponible : {exc}") from exc
        self._folder = folder
        self._tokenizer = tokenizer or FolderTokenizer(folder)
        # A question asked alone: a session spreads it over the cores.
        self._questions = open_session(folder / ONNX_INT8_MODEL, QUESTION_THREADS)
        self.dimension = int(self._questions.get_outputs()[0].shape[-1])
        # Several texts at once (passages, or questions asked together): a session of one
        # thread, run by a worker per core, keeps every core busy with a text of its own,
        # which takes less time than the same texts in turn on all the cores (one thread
        # wastes nothing waiting for another). Opened when several texts first come.
        self.passage_workers = min(usable_cores(), 8)
        self._one_thread = None
        self._held: HeldWeights | None = None  # once a process that answers for long asks for it
        self._opening = threading.Lock()

    def hold_weights_in_memory(self, closing: Callable[[], bool] = never) -> None:
        """For processes that answer for long: the weights read into memory (`HeldWeights`),
        and the sessions opened again on them and swapped in (a text running meanwhile
        finishes on the session it started on). Given up, the sessions left mapped on the
        file, once `closing()` says the process is stopping: it need not wait for them, nor
        for sessions opened on them once read."""
        try:
            held = HeldWeights(self._folder / ONNX_INT8_MODEL, closing)
        except Abandoned:
            return
        if closing():  # told during the last chunk
            return
        questions = open_session(self._folder / ONNX_INT8_MODEL, QUESTION_THREADS, held)
        with self._opening:
            self._held, self._questions = held, questions
            reopen = self._one_thread is not None
        if reopen:
            one_thread = open_session(self._folder / ONNX_INT8_MODEL, 1, held)
            with self._opening:
                self._one_thread = one_thread

    def _vector(self, session, text: str) -> np.ndarray:
        feeds = network_inputs(self._tokenizer, [text])
        return pooled_unit_vectors(session.run(None, feeds)[0], feeds["attention_mask"])[0]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Questions: unit vectors, in input order. One question runs on all the cores; several
        (asked at once) run one per core, each alone: the same vectors as one at a time."""
        if len(texts) == 1:
            return self._vector(self._questions, texts[0])[None, :]
        return self.encode_passages(texts)

    def encode_passages(
        self, texts: Sequence[str], progress: Progress | None = None, *, report_every: int = 16
    ) -> np.ndarray:
        """Passages (or questions asked together): unit vectors, in input order, computed
        `passage_workers` at a time; `progress(done, total)` every `report_every` texts and
        at the end."""
        with self._opening:
            if self._one_thread is None:
                self._one_thread = open_session(self._folder / ONNX_INT8_MODEL, 1, self._held)
            session = self._one_thread
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        workers = ThreadPoolExecutor(self.passage_workers, thread_name_prefix="citebot-passages")
        try:
            vectors = workers.map(lambda text: self._vector(session, text), texts)
            for done, vector in enumerate(vectors, start=1):
                out[done - 1] = vector
                if progress and (done % report_every == 0 or done == len(texts)):
                    progress(done, len(texts))
        finally:  # after a failure, the texts not started yet are dropped
            workers.shutdown(cancel_futures=True)
        return out
