"""Whether a question asks why, and whether a sentence gives a cause: a "pourquoi" question is
answered by the sentence giving the cause (« car », « en raison de », « En effet, … »), not by
the one repeating its words."""

from __future__ import annotations

import pytest

from index.causes import asks_why, gives_cause, may_cause


@pytest.mark.parametrize(
    "question",
    [
        "Pourquoi la taxe foncière augmente-t-elle ?",
        "Pourquoi ?",
        "Et pourquoi ?",
        "Pour quelle raison la ville change-t-elle les tarifs ?",
        "Qu'est-ce qui explique la baisse des ventes ?",
        "Comment la mairie justifie-t-elle la hausse d’impôts ?",
        "Comment s'explique ce succès ?",
        "Qu'est-ce qui l'a provoqué ?",
        "Qu'est-ce qui a déclenché l'incendie ?",
    ],
)
def test_questions_asking_why(question):
    assert asks_why(question)


@pytest.mark.parametrize(
    "question",
    [
        "Comment les pompiers ont-ils limité la pollution ?",  # how, not why
        "Quand les urgences rouvriront-elles ?",
        "Qui a pris la décision ?",
        "Que réclame la CFDT pour cause de fermeture ?",  # a cause named, none asked
    ],
)
def test_questions_asking_something_else(question):
    assert not asks_why(question)


@pytest.mark.parametrize(
    "sentence",
    [
        "Les collègues sont épuisés parce qu'ils enchaînent les gardes.",
        "Ces récompenses ont contribué à sa visibilité, car les exploitants l'ont programmé plus largement.",
        "En effet, la plupart d'entre eux préfèrent désormais travailler dans des cliniques privées.",
        "La raison de cette fermeture est simple : il manque des médecins.",
        "Pour Inès Belkacem, le succès s'explique par l'émotion.",
        "La municipalité justifie ce choix par la hausse de ses dépenses.",
        "La piscine, fermée depuis 2024 à cause de fissures dans le bassin, coûtera 14 millions.",
        "Faute de candidats, plusieurs domaines ont fait appel à des équipes venues de Pologne.",
        "Une cuve aurait débordé, à la suite d'une panne de la pompe de relevage.",
        "Les exploitants attribuent cette bonne santé à la diversité de l'offre.",
        "En cause, un épisode de grêle survenu le 17 juin.",
        "Pour absorber la hausse de fréquentation, elle va recruter 25 agents.",  # a purpose
        "Des barrages ont été installés afin de limiter la propagation.",
        "Le ministère l'a classé « trésor national », ce qui a interdit sa sortie du territoire.",
        # Someone's words given as their reasons.
        "« Les 80 km/h ont été vécus comme une punition », a justifié le président du département.",
        "« Nous ne pouvons plus lutter sur ce segment », explique le directeur général.",
        "« Le marché s'est effondré », a-t-elle expliqué.",
        "Une batterie en charge dans le local pourrait être à l'origine du sinistre.",
        # What a result owes to its cause.
        "Cette embellie doit beaucoup à l'hiver dernier, bien enneigé dans les Alpes.",
        # What it owes to an amount named right after « aux »: still a cause.
        "Ce succès doit beaucoup aux 2 millions d'euros investis dans la salle.",
        "Le rebond des ventes doit en partie aux touristes américains.",
        # An amount later in the clause, not right after the creditor: what the cause cost or gave.
        "Ce redressement doit beaucoup à la vente de deux joueurs au Stade toulousain pour 1,2 million d'euros.",
        "Ce redressement doit beaucoup à ses supporters, qui ont donné 200 000 euros.",
        "Ce redressement doit beaucoup au président, qui a injecté 4 millions d'euros.",
        # Without a connector: the cause explains the fact, someone invokes it, a participle's clause.
        "La chaleur explique en grande partie cette hausse.",
        "Le promoteur, Val de Loire Habitat, invoque la faillite de l'entreprise de gros œuvre en janvier.",
        "Les scientifiques de l'Ifremer avancent plusieurs explications.",
        "Vingt communes sont ravitaillées par camion, leurs forages étant à sec.",
        "Les forages étant à sec, vingt communes sont ravitaillées par camion.",
        "La route étant coupée, le village est isolé depuis lundi.",
        "La sécheresse, selon l'expert, explique cette hausse des prix.",
        "Étant donné la sécheresse, la piscine municipale restera fermée.",
        "La sécheresse explique ce choix.",
    ],
)
def test_sentences_giving_a_cause_or_a_purpose(sentence):
    assert gives_cause(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Le taux de la taxe foncière passera de 45,2 % à 47 %, soit une hausse d'environ 4 %.",
        "Montargis n'est pas un cas isolé.",
        "Le film avait reçu le prix du public au festival d'Angers en janvier.",
        "L'enveloppe reste stable pour les associations et pour notre ville.",  # "pour" and a noun
        # "pour" and an infinitive inside a sentence: what a deed is for, mostly no reason asked
        "Agnès Delorme a mené les recherches pour authentifier l'œuvre avec le laboratoire.",
        "Elles craignent de manquer de volumes pour honorer leurs contrats.",
        # Someone's words, not given as reasons.
        "« Je regarderai chaque tronçon avec attention », a-t-il prévenu vendredi.",
        # The coach, not the conjunction.
        "Les neuf enfants de l'école devront faire 14 kilomètres en car chaque matin.",
        "Le car scolaire passera désormais à 7 h 20.",
        "Son car a pris feu sur l'autoroute.",
        "Le nouveau car électrique sera livré en mars.",
        # A debt, not a cause.
        "La commune doit encore 3 millions d'euros à la banque.",
        # The same words as « doit beaucoup à l'hiver », an amount after the creditor: a debt.
        "La commune doit en partie à l'État 2 millions.",
        "Le club doit surtout à l'Urssaf 380 000 euros, selon la DNCG.",
        # What someone explains, not a cause; « en étant », a concession.
        "La guide explique ce qu'il faut emporter en montagne.",
        "Tout en étant prudent, le maire a signé le permis.",
        # Someone explaining, a bare participle: no cause (review of stop 74).
        "Le maire, Jean Morel, a expliqué cette semaine le calendrier des travaux.",
        "Le bus ne passe plus qu'une fois par jour, explique cette habitante.",
        "Deux réunions publiques sont prévues, la première étant fixée au 3 mai.",
        "Le maire, étant absent, a délégué la signature à son adjoint.",
    ],
)
def test_sentences_stating_a_fact_give_no_cause(sentence):
    assert not gives_cause(sentence)


def test_what_may_cause_a_fact_after_it_is_something_that_happened():
    """What news states just before a fact as its cause without a connector: an event past or
    a change, not a state, what is to come, nor someone's words."""
    for happened in (
        "Le vent a soufflé à 90 km/h.",
        "Une averse de grêle s'est abattue sur le col vers 22 heures.",
        "Le nombre d'élèves germanistes a été divisé par deux en quinze ans.",
        "Les automnes sont de plus en plus doux dans le nord de l'Europe.",
    ):
        assert may_cause(happened), happened
    for nothing_happened in (
        "La médiathèque ouvrira ses portes le 4 mars.",
        "Le maire, Paul Roy, 58 ans, est ingénieur.",
        "« C'est une catastrophe », estime Paul Roy.",
    ):
        assert not may_cause(nothing_happened), nothing_happened
