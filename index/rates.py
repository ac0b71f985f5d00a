"""Rates and averages: a question asking how many or how much *per* something ("Combien d'enfants
y a-t-il par classe en moyenne ?", "Combien chaque donateur a-t-il versé ?", "Combien d'heures
de vol fait-il par an ?") is not answered by a total (« les neuf enfants de l'école », « a réuni
120 000 euros auprès de 1 800 donateurs »): the division is not the article's to leave to the
reader, and a total said in the question's words reads as a sure answer. News states a rate
with a word of it beside the number: « en moyenne », « par classe », « chacun », « chaque
année », « annuels », « le kilo ». The reverse holds too: a count per something (« 17 élèves
par classe ») is no total ("Combien de touristes sont attendus ?").

Pure functions of the text: French surface rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.analysis import STOPWORDS, stem, terms
from index.measures import COUNT_WORDS

# Units of time, each with the words news rates by it (« par an », « chaque année », « chaque
# matin »): a question asking a yearly figure is not answered by one per outing.
_TIME_UNITS = {
    "an": "an ans année années",
    "mois": "mois",
    "semaine": "semaine semaines week-end week-ends",
    "jour": "jour jours journée journées matin matins soir soirs nuit nuits",
    "heure": "heure heures",
    "saison": "saison saisons été hiver printemps automne",
}
_TIME_OF = {word: unit for unit, words in _TIME_UNITS.items() for word in words.split()}
# Adjectives and adverbs of a rate in time (« 30 000 visiteurs annuels », « deux trains
# quotidiens »), and « l'an » or « l'heure » after a number (« 90 km à l'heure », « 1 000 euros
# l'an »; not « l'an dernier »).
_TIME_RATE_WORDS = {
    "an": re.compile(r"(?<![\w])(?:annuel\w*|l['’]an(?! (?:dernier|prochain|passé))(?![\w]))", re.I),
    "mois": re.compile(r"(?<![\w])mensuel\w*", re.I),
    "semaine": re.compile(r"(?<![\w])hebdomadaires?(?![\w])", re.I),
    "jour": re.compile(r"(?<![\w])quotidien\w*", re.I),
    "heure": re.compile(r"(?<![\w])(?:à )?l['’]heure(?![\w])", re.I),
}

# « par » or « chaque » before a bare noun: a rate (« par classe », « par an », « chaque année »,
# « tous les jours »); « payé par l'État » names a doer, « par exemple » nothing.
_PER = re.compile(
    r"(?<![\w])(?:par|chaque|pour chaque|dans chaque|tous les|toutes les)\s+(?!l['’]|d['’]|(?:le|la|les|un|une|des|du|"
    r"son|sa|ses|leur|leurs|ce|cet|cette|ces|mon|ma|mes|lui|eux|elle|elles|ailleurs|contre|exemple|hasard|rapport"
    r"|ici|là|où|deux|trois|quatre|cinq|six|sept|huit|dix|combien|quel|quelle|quels|quelles|qui|quoi)(?![\w]))"
    r"([^\W\d_][\w-]*)",
    re.I,
)
# An average: « en moyenne », or « moyen(ne) » after what is measured (« la durée moyenne », « le
# salaire moyen »); not « Quel moyen … ? », « la classe moyenne », « le Moyen Âge ».
_AVERAGE = re.compile(
    r"(?<![\w])(?:en moyenne|(?:durée|taille|hauteur|longueur|largeur|profondeur|distance|âge|prix|salaire|coût"
    r"|nombre|poids|température|vitesse|temps|revenu|montant|loyer|budget|consommation|production|effectif|débit"
    r"|don|panier|tarif|note|score|rendement|retraite|pension)s? moyen(?:ne)?s?)(?![\w])",
    re.I,
)
_EACH = re.compile(r"(?<![\w])(?:chacun|chacune)(?![\w])", re.I)
# What says a measure is about so, as an average is: « environ », « entre 100 et 200 mètres ».
_ABOUT = re.compile(
    r"(?<![\w])(?:environ|approximativement|en général|généralement|habituellement|d'ordinaire|entre \d[\d ,.]* et)"
    r"(?![\w])",
    re.I,
)
# A price per unit, after an amount: « 14 euros le kilo », « de 550 à 980 euros la semaine »,
# « 6,50 euros le mètre carré ».
_PRICE_PER = re.compile(r"(?:euros?|€|dollars?|centimes?)\s+(?:le|la|l['’])\s*([^\W\d_][\w-]*)", re.I)
# What asks a quantity: a rate is asked only of one ("Combien … par classe ?", or an average,
# "Quel est le salaire moyen ?"), not by "Qui a été élu par les habitants ?".
_QUANTITY_ASKED = re.compile(r"(?<![\w])combien(?![\w])", re.I)


@dataclass(frozen=True)
class Rate:
    """What a question asks per: `unit`, a unit of time (« an », « jour », …, `_TIME_UNITS`), the
    stem of a noun (« classe », « donateur »), or None when it asks only an average or a share of
    each (« en moyenne », « chacun »)."""

    unit: str | None
    timed: bool


def asked_rate(question: str) -> Rate | None:
    """The rate `question` asks, or None when it asks none (a total, or no quantity)."""
    if not _QUANTITY_ASKED.search(question) and not _AVERAGE.search(question):
        return None
    per = next((m for m in _PER.finditer(question) if m.group(1)[0].islower()), None)  # not « par LO »
    if per is not None:
        noun = per.group(1).lower()
        if noun in _TIME_OF:
            return Rate(_TIME_OF[noun], True)
        return Rate(stem(noun), False)
    if _AVERAGE.search(question) or _EACH.search(question):
        return Rate(None, False)
    return None


def states_rate(sentence: str, rate: Rate) -> bool:
    """Whether `sentence` states a quantity at the `rate` asked: asked by a unit of time, that
    unit's rate (« par an », « chaque année », « annuels »: « en moyenne 45 minutes » a sortie is
    no yearly figure); else an average, a share of each, a rate per a thing (« en moyenne »,
    « chacun », « par classe », « le kilo »), not one in time (« chaque matin »: « les neuf enfants
    … chaque matin » say nothing per class)."""
    units = {m.group(1).lower() for m in _PER.finditer(sentence) if m.group(1)[0].islower()} | {
        m.group(1).lower() for m in _PRICE_PER.finditer(sentence)
    }
    timed = {_TIME_OF[unit] for unit in units if unit in _TIME_OF}
    timed |= {unit for unit, words in _TIME_RATE_WORDS.items() if words.search(sentence)}
    if rate.timed:
        return rate.unit in timed
    per_thing = any(unit not in _TIME_OF for unit in units)
    if per_thing or _AVERAGE.search(sentence) or _EACH.search(sentence):
        return True
    # An average of a measure asked with no unit ("Quelle est la taille moyenne des fleurs ?")
    # is said as a measure about so: « Elles ont environ 2 cm de diamètre ».
    return rate.unit is None and _ABOUT.search(sentence) is not None


def counts_per(words: list[str], counted: int) -> bool:
    """Whether the number counting `words[counted]` (a sentence's words) counts it per a thing,
    not per a time: « 17 élèves par classe », « 50 litres par personne », « trois médecins pour
    chaque hôpital », « six places chacun »: no total; not « 30 000 voyageurs par jour », which
    news gives for how many take a line."""
    after = [w.lower() for w in words[counted + 1 : counted + 4]]
    if after[:1] in (["chacun"], ["chacune"]):
        return True
    for per in (("par",), ("pour", "chaque"), ("dans", "chaque"), ("chaque",)):
        if tuple(after[: len(per)]) == per and len(after) > len(per):
            unit = after[len(per)]
            return unit not in STOPWORDS and unit not in _TIME_OF and bool(terms(unit))
    return False


# A number, in digits or in words (« quatre marins », « un seul petit »).
_NUMBER = re.compile(rf"\d|(?<![\w])(?:{'|'.join(sorted(COUNT_WORDS))}|une? seule?)(?![\w])", re.I)


def holds_a_number(sentence: str) -> bool:
    """Whether `sentence` holds a number, in digits or in words, which a rate stated is."""
    return _NUMBER.search(sentence) is not None
