"""A question asking for a weight, a length, a price or a duration is answered by a quantity of
that kind: "trente kilos" answers "Combien pèse le castor ?", "quatorze familles" does not."""

import subprocess
import sys

import numpy as np
import pytest

from index.measures import (
    amount_of_another_thing,
    asked_measure,
    holds_quantity,
    named_measure,
    priced_item,
    quantity_spans,
    without_asking_words,
)
from index.quotes import FEATURES, asked_for, sentence_features
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Combien pèse un castor adulte ?", "weight"),
        ("Quel est le poids d'un éléphant ?", "weight"),
        ("Combien de tonnes de déchets la ville produit-elle ?", "weight"),
        ("Combien mesure la tour Eiffel ?", "length"),
        ("Quelle est la longueur du pont ?", "length"),
        ("À quelle distance se trouve la gare ?", "length"),
        ("Quelle est la superficie du parc ?", "area"),
        ("Combien coûte un abonnement ?", "money"),
        ("Et le prix du ticket ?", "money"),
        ("À quel prix se vend le blé ?", "money"),
        ("Quel est le salaire d'un préfet ?", "money"),
        ("Combien d'euros la commune a-t-elle versés ?", "money"),
        ("Combien de temps dure le trajet ?", "duration"),
        ("Combien d'années de prison a-t-il eues ?", "duration"),
        ("Quel âge a-t-elle ?", "age"),
        ("Quel est le taux de chômage ?", "percent"),
        ("Quelle température fera-t-il ?", "temperature"),
        ("Quelle est la vitesse maximale du train ?", "speed"),
        ("Quel est le score du match ?", "score"),
        ("Avec quel score ?", "score"),
        ("Et le score à la pause ?", "score"),
        ("Quel est le diamètre du cratère ?", "length"),
        ("Quelle est la masse au décollage de l'avion ?", "weight"),
        ("Quelle est la masse salariale de la commune ?", "money"),
        ("Quel est le prix moyen d'un repas ?", "money"),  # « moyen » between « prix » and « de »
        ("Quel est le prix moyen des maisons à Caen ?", "money"),
        # No quantity of a kind: a count, an award, measures taken, a heavy sentence.
        ("Combien de familles vivent sur la Dordogne ?", None),
        ("Quel prix vient-il de recevoir ?", None),
        ("Qui a remporté le prix Goncourt ?", None),
        ("Quel est le prix remporté par le film ?", None),
        ("Qui a reçu le prix moyen métrage du festival ?", None),
        ("Quelles mesures le gouvernement a-t-il prises ?", None),
        ("Qui est le président de la Commission ?", None),
        ("Quel risque pèse sur l'agriculture ?", None),
        ("Quelle est la fonction de la hauteur de la carapace ?", None),
        ("Quelle est la taille de l'armée ?", None),  # a count of men as often as a length
        ("À quel volume beuglent les tortues géantes ?", None),  # a loudness
        ("En combien de volumes ses cours ont-ils été publiés ?", None),  # a count of books
        ("Combien de points de vente compte-t-il ?", None),
        ("Qui a ouvert le score ?", None),  # a scorer, not a score
        ("Combien de voix a-t-elle eues ?", None),  # a count of votes, whatever their share
    ],
)
def test_the_kind_of_quantity_a_question_asks_for_is_read_from_its_words(question, kind):
    assert asked_measure(question) == kind


def test_a_measure_named_has_its_kind_whether_or_not_naming_it_asks_for_it():
    """What `index.rates` reads the average of: « la taille moyenne des fleurs » names a length,
    though "Quelle est la taille de l'armée ?" asks none."""
    assert named_measure("Quelle est la taille moyenne des fleurs ?") == "length"
    assert named_measure("Quel est le volume moyen d'une cuve ?") == "volume"
    assert named_measure("Quelle est la masse moyenne d'un veau ?") == "weight"
    assert named_measure("Quel est le salaire moyen d'un infirmier ?") == "money"
    assert named_measure("Quelle est la masse salariale moyenne ?") == "money"
    assert named_measure("Combien d'élèves y a-t-il en moyenne ?") is None


@pytest.mark.parametrize(
    ("text", "kind", "quantity"),
    [
        ("Le rongeur, qui peut peser jusqu'à trente kilos, construit ses huttes.", "weight", "trente kilos"),
        ("Le rorqual pesait près de 40 t selon les pompiers.", "weight", "40 t"),
        ("Un colis de 2,5 kg a été saisi.", "weight", "2,5 kg"),
        ("Longue de 5,1 kilomètres, elle reliera la gare au plateau.", "length", "5,1 kilomètres"),
        ("Une trentaine de kilomètres de berges.", "length", "Une trentaine de kilomètres"),
        ("Le chantier a coûté 215 millions d'euros.", "money", "215 millions d'euros"),
        ("Le ticket passe à 1,70 € au 1er janvier.", "money", "1,70 €"),
        ("Il gagne quatre mille deux cents euros par mois.", "money", "quatre mille deux cents euros"),
        ("Elle reliera la gare au plateau en seize minutes.", "duration", "seize minutes"),
        ("Il a été condamné à sept ans de prison.", "duration", "sept ans"),
        ("Patron du Kerlaz, Loïc Tanguy pêche depuis 27 ans.", "duration", "27 ans"),
        ("Âgée de 54 ans, elle était préfète de la Gironde.", "age", "54 ans"),
        ("Les trottinettes ont fait 61 % des déplacements.", "percent", "61 %"),
        ("Les deux tiers des élèves choisissent l'apprentissage.", "percent", "Les deux tiers"),
        ("Dont 40 millions apportés par l'État.", "money", "40 millions"),
        ("Près de la moitié de la population vit en ville.", "percent", "la moitié"),
        ("Le territoire est habité depuis onze millénaires.", "duration", "onze millénaires"),
        ("Toulouse a battu Clermont (27-24), au stade Ernest-Wallon.", "score", "27-24"),
        ("À la pause, les visiteurs menaient 16-9.", "score", "16-9"),
        ("Elle l'emporte avec 50,8 % des suffrages exprimés.", "score", "50,8 %"),
        # A duration or an age said in words, no number before its unit.
        ("Une intervention dure un quart d'heure.", "duration", "un quart d'heure"),
        ("Il faut une demi-heure pour traverser.", "duration", "une demi-heure"),
        ("Ils ont une quarantaine d'années.", "age", "une quarantaine d'années"),
        ("La quarantaine passée, il a changé de métier.", "age", "La quarantaine"),
    ],
)
def test_a_quantity_is_a_number_in_digits_or_words_with_a_unit_of_its_kind(text, kind, quantity):
    assert [text[a:b] for a, b in quantity_spans(text, kind)] == [quantity]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Les agents ont recensé cet hiver quatorze familles, contre trois en 2019.", "weight"),
        ("Une trentaine de kilomètres de berges ont été recolonisées.", "weight"),  # a length, not a weight
        ("Le castor est protégé en France depuis 1968.", "duration"),  # a year
        ("L'article 5 s'applique.", "duration"),
        ("La moitié du coût est prise en charge par le département.", "money"),
        ("La ville compte 2 millions d'habitants.", "money"),
        # Millions without a unit count what the millions before them in the sentence count.
        ("Les aéroports ont enregistré 5,2 millions de passagers, et les ports 3,8 millions.", "money"),
        ("Le site a fonctionné de 2017-2022 sans interruption.", "score"),  # a span of years
        ("Les jeunes de 15 à 17 ans dorment moins.", "score"),
        # Someone's age is no time something lasted.
        ("Parmi eux, Laura Mercier, 34 ans, est la première femme de l'unité.", "duration"),
        ("Le suspect, âgé de 51 ans, a été présenté au juge.", "duration"),
        # A quarantine is no age; a quarter of the staff no duration.
        ("Les voyageurs ont été mis en quarantaine.", "age"),
        ("La quarantaine imposée aux passagers a pris fin.", "age"),
        ("Le quart des salariés est en grève.", "duration"),
    ],
)
def test_other_numbers_and_other_units_are_no_quantity_of_the_kind(text, kind):
    assert not holds_quantity(text, kind)


def test_a_measure_is_a_number_with_a_unit_of_its_kind_not_a_count_nor_money():
    """What `index.rates` reads an average of a measure in (« environ 2 cm »): the measure
    of the kind asked, from that kind's units, in digits or words; not a count, an amount of
    money or someone's age."""
    for text, kind in (
        ("Elles ont environ 2 cm de diamètre.", "length"),
        ("Les tiges mesurent une vingtaine de centimètres.", "length"),
        ("Le réservoir contient environ 150 litres.", "volume"),
        ("Le veau pèse environ trente kilos.", "weight"),
        ("La visite dure environ 45 min.", "duration"),
        ("Le vent soufflait à 90 km/h.", "speed"),
        ("Il faisait environ 30 °C.", "temperature"),
    ):
        assert holds_quantity(text, kind), text
    for text, kind in (
        ("Environ 300 agriculteurs ont manifesté devant la préfecture.", "length"),
        ("Le billet coûte environ 40 euros.", "weight"),
        ("Parmi eux, Laura Mercier, 34 ans, est la première femme de l'unité.", "duration"),
        ("Les travaux ont duré de 2017 à 2022.", "duration"),
    ):
        assert not holds_quantity(text, kind), text


def test_what_is_measured_is_what_the_question_says_beside_the_words_asking_it():
    assert without_asking_words("Combien pèse un castor adulte ?").split() == ["un", "castor", "adulte", "?"]
    assert without_asking_words("Et le prix du ticket ?").split() == ["et", "le", "ticket", "?"]
    # The near future's "va" measures nothing ("Combien ça va coûter ?" after a question on the
    # free buses asks their cost); "va" with a verb of its own stays.
    assert without_asking_words("Combien ça va coûter ?").split() == ["ça", "?"]
    assert without_asking_words("Combien vont-ils payer ?").split() == ["?"]
    assert "va" in without_asking_words("Combien de voyageurs va transporter le tram ?").split()


@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("Combien coûte un ticket de tram à Brest ?", "ticket"),
        ("Quel est le prix du billet ?", "billet"),
        ("Et le prix d'une place ?", "place"),
        ("Combien a coûté le chantier du tram ?", "chantier"),
        ("Quel est le tarif de l'abonnement ?", "abonnement"),
        # No thing priced named beside the cost: the question's other words say what is asked.
        ("Combien la commune a-t-elle payé pour le rorqual ?", None),
        ("Quel est le salaire du préfet ?", None),
        ("Combien a-t-elle coûté ?", None),
        ("Quel prix a-t-il reçu ?", None),  # an award
    ],
)
def test_the_thing_whose_price_is_asked_is_the_word_after_the_cost(question, item):
    assert priced_item(question) == item


def test_for_a_weight_the_number_a_sentence_holds_is_a_weight():
    asked = asked_for("Combien pèse un castor ?")
    assert (asked.kind, asked.measure) == ("number", "weight")
    sentences = [
        "Le castor a recolonisé une trentaine de kilomètres de berges.",
        "Les agents ont recensé 14 familles.",
        "Le rongeur peut peser jusqu'à trente kilos.",
    ]
    features = sentence_features(["pes", "castor"], ["castor"], asked, sentences, np.zeros(3, np.float32))
    assert features[:, FEATURES.index("number question, sentence with number")].tolist() == [0.0, 0.0, 1.0]
    # A question that names no kind keeps counting any number that is not a year.
    count = sentence_features(["famill"], [], asked_for("Combien de familles ?"), sentences, np.zeros(3, np.float32))
    assert count[:, FEATURES.index("number question, sentence with number")].tolist() == [0.0, 1.0, 0.0]


def test_a_kind_of_quantity_is_compiled_only_once_a_text_is_read_for_it():
    """Most questions ask for no quantity: the patterns of the kinds, compiled as the module
    loaded, took 20 ms of CPU of every question's cold start (README, "Model", "Start-up").
    In a process of its own, so that nothing compiled them before (another test, or the module
    as it loads)."""
    program = (
        "from index.measures import _quantity_pattern, asked_measure, holds_quantity\n"
        'assert asked_measure("Qui dirige l\'OTAN ?") is None\n'
        "print(_quantity_pattern.cache_info().currsize)\n"
        "assert holds_quantity('Il pèse 30 kg.', 'weight')\n"
        "print(_quantity_pattern.cache_info().currsize)\n"
    )
    ran = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT, check=True)
    assert ran.stdout.split() == ["0", "1"]


def test_millions_without_a_unit_are_money_after_millions_of_euros_or_alone():
    text = "Le chantier a coûté 215 millions d'euros, dont 40 millions apportés par l'État."
    assert [text[a:b] for a, b in quantity_spans(text, "money")] == ["215 millions d'euros", "40 millions"]
    # The passengers' sentence ended: the next one's millions are money again.
    text = "La gare a vu 2 millions de voyageurs. Les travaux ont coûté 40 millions."
    assert [text[a:b] for a, b in quantity_spans(text, "money")] == ["40 millions"]
    # Nor past a semicolon or a colon: a clause of its own.
    for text in (
        "La ville compte 2 millions d'habitants ; le budget atteint 40 millions.",
        "Le salon a reçu 2 millions de visiteurs : il a coûté 40 millions.",
    ):
        assert [text[a:b] for a, b in quantity_spans(text, "money")] == ["40 millions"], text


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        # The subject of the verb of cost is another thing, the one asked only its complement.
        ("Combien a coûté le hameau ?", "La piscine chauffée du hameau, à elle seule, a représenté 420 000 euros."),
        ("Combien a coûté le hameau ?", "La location d'un chalet coûte de 550 à 980 euros la semaine."),
        (
            "Combien coûte l'assurance récolte ?",
            "Pour les 1 800 exploitations de la filière, le manque à gagner est estimé à 25 millions d'euros.",
        ),
        # Another deed on the thing than the one asked, after « dont » standing for its complement.
        (
            "Combien coûte l'entretien de la piscine chaque année ?",
            "Il met en garde contre le coût de la piscine, dont la rénovation est estimée à 7 millions d'euros.",
        ),
        # The subject of a sentence naming the thing asked before it as somewhere else.
        ("Combien a coûté le bloc opératoire ?", "Au bloc opératoire, le nouveau scanner a été acheté 1,2 million."),
        # What the deed was done to, a noun with a complement, when the question says what it asks of.
        (
            "Combien a coûté la rénovation de l'école de Mainsat ?",
            "Sa commune avait pourtant rénové la cantine du collège en 2024 pour 85 000 euros.",
        ),
        # The deed asked done to another thing, a bare noun (« le groupe scolaire », the school in
        # other words, is declined the same way: a part of a thing is said as often).
        (
            "Combien a coûté la rénovation de l'école de Mainsat ?",
            "Sa commune avait pourtant rénové la cantine en 2024 pour 85 000 euros.",
        ),
        (
            "Combien a coûté la rénovation de l'école ?",
            "La commune a rénové le groupe scolaire en 2024 pour 85 000 euros.",
        ),
        # A portion of another thing, or a service on the thing, not what it is sold by.
        ("Combien coûte la bière ?", "Le gobelet de vin chaud coûte 4 euros."),
        ("Combien a coûté le chalet ?", "La location d'un chalet coûte 550 euros la semaine."),
        # A ride or an entry is no price of what a thing has cost, a share no price of the thing.
        ("Combien a coûté le tram ?", "Le ticket de tram coûte désormais 1,70 euro."),
        ("Combien a coûté le musée ?", "Le ticket d'entrée du musée coûte 12 euros."),
        ("Combien coûte le stade ?", "La part de la région dans le stade représente 30 millions d'euros."),
        # What the amount is set on.
        (
            "Combien a coûté la rénovation de l'école ?",
            "Le département estime le surcoût des nouveaux circuits de car à 120 000 euros par an.",
        ),
    ],
)
def test_an_amount_said_of_another_thing_is_not_the_price_asked(question, sentence):
    assert amount_of_another_thing(sentence, question)


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("Combien a coûté le hameau ?", "Le projet a coûté 3,4 millions d'euros."),  # the whole
        ("Combien a coûté le stade ?", "Sa construction a coûté 40 millions d'euros."),  # making it
        ("Combien a coûté la piscine ?", "La piscine chauffée du hameau a représenté 420 000 euros."),
        # Named further in the sentence: « l'IRM 1,8 million ».
        ("Combien a coûté l'IRM ?", "Le scanner a été acheté 1,2 million d'euros, l'IRM 1,8 million."),
        ("Combien coûterait la rénovation ?", "Rénover le bâtiment aurait coûté 14 millions d'euros."),
        # "la rénovation" with nothing said of what: whatever was renovated.
        ("Combien a coûté la rénovation ?", "La commune avait rénové la cantine en 2024 pour 85 000 euros."),
        ("Combien coûte un ticket de tram ?", "Il coûte 1,60 euro."),  # a pronoun: no other thing named
        # The subject nearest the verb, past a comma: « et une place coûtera ».
        (
            "Combien coûtera une place ?",
            "Le tarif plein passera de 9,50 euros à 8 euros, et une place coûtera 5 euros pour les moins de 14 ans.",
        ),
        ("Combien coûteront les circuits de car ?", "Le département estime le surcoût des circuits à 120 000 euros."),
        ("Quel âge a-t-il ?", "La location d'un chalet coûte 550 euros."),  # no price asked
        # A bare noun as subject may be the thing in other words: no other thing.
        ("Combien a coûté le pont sur le Brivet ?", "L'ouvrage a coûté 12 millions d'euros."),
        ("Combien a coûté le stade ?", "L'enceinte a coûté 40 millions d'euros."),
        ("Combien a coûté le scanner ?", "L'appareil a été acheté 1,2 million d'euros."),
        ("Combien a coûté le scanner ?", "La machine a coûté 1,2 million d'euros."),
        ("Combien a coûté la piscine ?", "Le bassin a coûté 3 millions d'euros."),
        ("Combien a coûté la cantine ?", "Le restaurant scolaire a coûté 900 000 euros."),
        ("Combien a coûté la cantine ?", "La mairie a financé les travaux, qui ont coûté 900 000 euros."),
        (
            "Combien a coûté la rénovation de l'école ?",
            "La commune a rénové le bâtiment en 2024 pour 85 000 euros.",
        ),
        ("Combien a coûté l'école ?", "Le bâtiment de l'école a coûté 5 millions d'euros."),
        # What the thing is sold by: its price (« le gobelet de vin chaud », « le kilo de comté »).
        ("Combien coûte un vin chaud ?", "Le gobelet de vin chaud coûte en moyenne 4 euros, plus 2 euros de consigne."),
        ("Combien coûte le comté ?", "Le kilo de comté de 36 mois coûte 41 euros."),
        ("Combien coûte le tram ?", "Le ticket de tram coûte 1,60 euro."),
        ("Combien coûte la tarte ?", "La part de tarte coûte 4 euros."),
        ("Combien coûte le musée ?", "Le ticket du musée coûte 12 euros."),
    ],
)
def test_an_amount_said_of_the_thing_asked_or_of_the_whole_is_its_price(question, sentence):
    assert not amount_of_another_thing(sentence, question)


class _ReadText(str):
    """An article's text that remembers the longest stretch of it read at once."""

    longest_read = 0

    def __getitem__(self, key):  # type: ignore[override]
        part = super().__getitem__(key)
        type(self).longest_read = max(type(self).longest_read, len(part))
        return part


def test_an_age_is_read_from_the_words_just_before_it_not_from_the_whole_article():
    """A long article of durations (« depuis 27 ans », then two thousand more) is read in time
    linear in its length: telling an age (« Laura Mercier, 34 ans, ») from a duration looks at a
    few words before each number, never at all the text before it."""
    filler = "Il pêche sur ce lac depuis 27 ans avec son frère. " * 2000
    text = _ReadText(filler + "Parmi eux, Laura Mercier, 34 ans, est la première femme de l'unité.")
    spans = quantity_spans(text, "duration")
    assert len(spans) == 2000  # every « 27 ans », not the age
    assert _ReadText.longest_read <= 80
