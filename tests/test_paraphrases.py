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
        ("Qui s'indigne ?", "elle dénonce une usine à gaz"),
        ("Qui va lui succéder ?", "pour le remplacer"),
        ("Combien d'établissements scolaires ?", "dans ses 85 écoles"),
        ("Combien de voitures ?", "5 000 véhicules"),
        ("Qui veut élargir la vaccination ?", "plaide pour l'étendre"),
        ("De combien les prix ont-ils grimpé ?", "une augmentation de 8 %"),
        ("Qui défend le plan ?", "a-t-elle défendu"),  # a verb in « -dre »: infinitive, participle, present
        ("Qui est attendu ?", "le club attend ses supporters"),
        ("Qui défendras-tu ?", "il défend sa ville"),
        ("Qui va le défendre ?", "il défend le projet"),
    ],
)
def test_one_term_for_words_news_writes_for_one_another(asked, written):
    assert set(terms(asked)) & set(terms(written)) - {"syndicat", "usin", "prix", "4", "8", "150", "vaccin"}


@pytest.mark.parametrize("singular, plural", [("la poudre", "des poudres"), ("la cendre", "les cendres")])
def test_a_noun_in_dre_is_one_term_with_its_plural(singular, plural):
    assert terms(singular) == terms(plural)


@pytest.mark.parametrize("word", ["vers", "vent", "poste", "estime"])
def test_words_that_only_look_alike_stay_apart(word):
    """« vers » (towards) is not « versé », « vent » (wind) not « vente »."""
    assert not set(terms(word)) & set(terms("la somme versée, les ventes, le paiement"))
