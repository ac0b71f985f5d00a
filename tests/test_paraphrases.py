"""Words news writes for one another, and derivations Snowball leaves apart, are one term: a
question in one word finds the sentence written in the other."""

from __future__ import annotations

import pytest

from index.analysis import terms


@pytest.mark.parametrize(
    ("asked", "written"),
    [
        ("Que demandent les syndicats ?", "Les syndicats réclament"),
        ("Combien a été payé ?", "la somme versée"),
        ("De combien les prix ont-ils baissé ?", "en recul de 4,8 %"),
        ("Quelle augmentation ?", "une hausse de 4 %"),
        ("Qui a gagné ?", "elle remporte la course"),
        ("Qu'est-ce qui est interdit ?", "un arrêté interdisant la pêche"),
        ("Pourquoi l'usine va-t-elle fermer ?", "la fermeture de l'usine"),
        ("Combien de logements ont été vendus ?", "8 150 ventes"),
        ("Quand est-il mort ?", "son décès"),
    ],
)
def test_one_term_for_words_news_writes_for_one_another(asked, written):
    assert set(terms(asked)) & set(terms(written)) - {"syndicat", "usin", "prix", "4", "8", "150"}


@pytest.mark.parametrize("word", ["vers", "vent", "poste", "estime"])
def test_words_that_only_look_alike_stay_apart(word):
    """« vers » (towards) is not « versé », « vent » (wind) not « vente »."""
    assert not set(terms(word)) & set(terms("la somme versée, les ventes, le paiement"))
