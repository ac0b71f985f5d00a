"""A question asking when something will happen speaks of the future, which a sentence dating
the past does not answer: French future and near future, told from past tenses."""

import pytest

from index.tenses import looks_ahead, speaks_of_future, tells_past


@pytest.mark.parametrize(
    "text",
    [
        "Quand sera-t-il exposé ?",
        "Quand la production reprendra-t-elle ?",
        "Quand va-t-il ouvrir ?",
        "L'œuvre sera présentée au public à partir du 14 mars.",
        "La remise des prix aura lieu le 29 novembre.",
        "Les élèves pourront choisir leur option.",
        "Le chantier finira en 2028.",
        "Le tram viendra jusqu'à la gare.",
        "Les travaux vont commencer en juin.",
    ],
)
def test_the_future_and_the_near_future_speak_of_what_is_to_come(text):
    assert speaks_of_future(text)


@pytest.mark.parametrize(
    "text",
    [
        "Il avait été exposé une seule fois, en 1886.",
        "Quand a-t-il été exposé ?",
        "Il entra à l'école polytechnique en 1920.",  # past tenses of verbs in "-rer"
        "Le roi déclara la guerre.",
        "Le musée prévoit de lui consacrer une exposition en 2027.",
        "Vera et Sandra sont arrivées.",  # names
        "Il va à Paris.",  # "aller" with no infinitive
        "Le bus va au centre-ville.",  # nor with a noun after a word
    ],
)
def test_past_and_present_tenses_do_not(text):
    assert not speaks_of_future(text)


@pytest.mark.parametrize(
    ("text", "past"),
    [
        ("Il avait été exposé une seule fois, en 1886.", True),
        ("Il a annoncé sa démission mardi.", True),
        ("Elle a pris la tête à 600 milles de l'arrivée.", True),
        # The present dates what is to come as well: no past there.
        ("Le syndicat appelle à une journée de grève le 27 novembre.", False),
        ("L'ouverture est prévue le 14 mars.", False),  # a passive, not a past
        ("La remise des prix a lieu le 29 novembre.", False),
    ],
)
def test_a_compound_past_tells_what_has_been(text, past):
    assert tells_past(text) is past


@pytest.mark.parametrize(
    ("text", "ahead"),
    [
        ("Des analyses ont été confiées au laboratoire, et les résultats sont attendus au printemps prochain.", True),
        ("La réouverture est prévue en juin.", True),
        ("Le vote aura lieu d'ici la fin de l'année.", True),
        ("Il avait été exposé une seule fois, en 1886.", False),
    ],
)
def test_what_is_awaited_or_scheduled_looks_ahead_whatever_its_tense(text, ahead):
    """« … ont été confiées au laboratoire, et les premiers résultats sont attendus au printemps
    prochain » answers "Quand les résultats seront-ils connus ?" though its verb is a past."""
    assert looks_ahead(text) is ahead
