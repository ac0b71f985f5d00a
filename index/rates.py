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
from index.measures import COUNT_WORDS, named_measure, quantity_spans
from index.tenses import looks_ahead, speaks_of_future

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
# quotidiens »), « l'an » or « l'heure » after a number (« 90 km à l'heure », « 1 000 euros
# l'an »), a season (« 400 000 skieurs l'hiver »).
_TIME_RATE_WORDS = {
    "an": re.compile(r"(?<![\w])(?:annuel\w*|l['’]an(?! (?:dernier|prochain|passé))(?![\w]))", re.I),
    "mois": re.compile(r"(?<![\w])mensuel\w*", re.I),
    "semaine": re.compile(r"(?<![\w])hebdomadaires?(?![\w])", re.I),
    "jour": re.compile(r"(?<![\w])quotidien\w*", re.I),
    "heure": re.compile(r"(?<![\w])(?:à )?l['’]heure(?![\w])", re.I),
    "saison": re.compile(
        r"(?<![\w])(?:l['’](?:été|hiver|automne)|(?:en|chaque) (?:été|hiver|automne)|au printemps)(?![\w])", re.I
    ),
}
# A year's count, for a yearly rate: « 120 000 visiteurs l'an dernier », « en 2025 »; not
# « toute l'année », « l'année prochaine », nor a year to come (« dès sa mise en service en 2030 »).
_YEAR_COUNT = re.compile(
    r"(?<![\w])(?:l['’]an dernier|l['’]année (?:dernière|passée)|en (?:19|20)\d\d(?!\d))(?![\w])", re.I
)


def _counts_a_year(sentence: str) -> bool:
    """Whether `sentence` gives a past year's count: a year's words (`_YEAR_COUNT`), no word of
    another time (« 30 000 voyageurs par jour … en 2030 » is a figure per day) and none of the
    future."""
    if not _YEAR_COUNT.search(sentence) or speaks_of_future(sentence) or looks_ahead(sentence):
        return False
    words = re.findall(r"[^\W\d_][\w-]*", sentence.lower())
    return not any(_TIME_OF.get(word, "an") != "an" for word in words)


# « par » or « chaque » before a bare noun: a rate (« par classe », « par an », « chaque année »);
# « payé par l'État » names a doer, « par exemple » nothing.
_PER = re.compile(
    r"(?<![\w])(par|chaque|pour chaque|dans chaque|tous les|toutes les)\s+(?!l['’]|d['’]|(?:le|la|les|un|une|des|du|"
    r"son|sa|ses|leur|leurs|ce|cet|cette|ces|mon|ma|mes|lui|eux|elle|elles|ailleurs|contre|exemple|hasard|rapport"
    r"|ici|là|où|deux|trois|quatre|cinq|six|sept|huit|dix|combien|quel|quelle|quels|quelles|qui|quoi)(?![\w]))"
    r"([^\W\d_][\w-]*)",
    re.I,
)
# Nouns « par » puts a means, a manner or a cause before, never a unit: « inscrit par Internet »,
# « mort par noyade », « vote par procuration », « par erreur ». No vehicle nor place: « 50
# passagers par bus », « places par avion » are rates.
_MEANS = set(
    "internet téléphone courrier courriel mail mails e-mail sms fax écrit oral voie route autoroute mer air terre "
    "erreur accident défaut principe précaution prudence crainte peur souci manque faute suite conséquent "
    "ailleurs endroits moments surprise chance miracle décret ordonnance arrêté référendum vote procuration "
    "correspondance visioconférence noyade pendaison strangulation balle arme contrat tirage sort respect amour "
    "solidarité nature définition essence excellence avance anticipation intérim".split()
)


def _per_unit(match: re.Match[str], after_a_count: bool = False) -> str | None:
    """The unit of a `_PER` match, lower-cased, or None when it rates by none: after « tous les »
    only a time (« tous les jours »; « tous les travaux » are all of them), after « par » no name
    (« supprimés par Renault », « par LO ») nor means (« par Internet », « par noyade ») unless
    right after a count (`after_a_count`: « 25 élèves par section », whatever the noun)."""
    word, noun = match.group(1).lower(), match.group(2)
    unit = noun.lower()
    if word in ("tous les", "toutes les"):
        return _TIME_OF.get(unit) and unit
    if word == "par" and unit not in _TIME_OF and (noun[0].isupper() or (unit in _MEANS and not after_a_count)):
        return None
    return unit


def _units_per(text: str) -> list[str]:
    """The units `text` rates by after « par », « chaque », « tous les » (`_per_unit`)."""
    return [unit for unit in map(_per_unit, _PER.finditer(text)) if unit is not None]


# An average: « en moyenne », « une moyenne de », « la moyenne d'âge », or « moyen » after a
# quantity noun (« salaire moyen », « l'âge moyen », « le nombre moyen d'élèves »); not the noun
# « moyens » (« Quels moyens la préfecture a-t-elle déployés ? »), « par quel moyen », « le Moyen
# Âge », « la classe moyenne », « de taille moyenne » nor « une moyenne entreprise ».
_QUANTITY_NOUNS = (
    "prix|salaire|âge|coût|montant|revenu|temps|durée|taux|nombre|poids|taille|loyer|débit|vitesse|consommation"
    "|budget|panier|effectif|score|note|rendement|tarif|chiffre|hauteur|profondeur|distance|retard|température"
    "|pension|retraite|dépense|facture|surface|superficie|valeur|volume|production|fréquentation|trafic|prime"
    "|indemnité|rémunération|gain|perte|dette|épargne|niveau|durée|longueur|attente|délai|quantité|hausse|baisse"
)
_AVERAGE = re.compile(
    rf"(?<![\w])(?:en moyenne|une moyenne(?= d(?:e |['’]))|la moyenne d['’]|moyenne d['’]âge"
    rf"|(?<!de )(?:{_QUANTITY_NOUNS})s?(?:\s+(?:de\s+|d['’])?[^\W\d_][\w-]*)?\s+moyen(?:ne)?s?)(?![\w])",
    re.I,
)
_EACH = re.compile(r"(?<![\w])(?:chacun|chacune)(?![\w])", re.I)
# What says a measure is about so, as an average is: « environ », « entre 100 et 200 mètres »;
# only of the kind of measure asked (`measures.named_measure`) said with its unit (`measures.quantity_spans`):
# « Environ 300 agriculteurs ont manifesté » says no average age, « environ 45 000 m³ » no size.
_ABOUT = re.compile(
    r"(?<![\w])(?:environ|approximativement|en général|généralement|habituellement|d'ordinaire|entre \d[\d ,.]* et)"
    r"(?![\w])",
    re.I,
)
# What a number of years after it is not the measure asked: a time ago is no duration of anything
# (« Il y a environ un an, le gîte a rouvert »); nor, for an age, a time since or for (« engagés
# depuis environ dix ans », « pendant environ vingt ans »): the measure is how long, not how old.
_APPROXIMATELY = r"\s+(?:environ\s+|près de\s+|plus de\s+|moins de\s+)?$"
_AGO = re.compile(rf"(?<![\w])il y a{_APPROXIMATELY}", re.I)
_TIME_BEFORE = {"age": re.compile(rf"(?<![\w])(?:il y a|depuis|pendant|durant){_APPROXIMATELY}", re.I)}
# Kinds of measure whose one-off figure is a total, which only a rate in time makes average-like:
# « Un infirmier gagne environ 2 000 euros par mois » answers "Quel est le salaire moyen … ?",
# « Le nouvel hôpital coûtera environ 120 millions d'euros » no average of anything.
_TOTAL_UNLESS_RATED = {"money"}
# A price per unit, after an amount: « 14 euros le kilo », « de 550 à 980 euros la semaine »,
# « 6,50 euros le mètre carré ».
_PRICE_PER = re.compile(r"(?:euros?|€|dollars?|centimes?)\s+(?:le|la|l['’])\s*([^\W\d_][\w-]*)", re.I)
# A rate in symbols, after a number: « 70 km/h », « 3 €/jour », « 12 €/m² ».
_SLASH_PER = re.compile(r"\d\s*(?:[^\W\d_]+|€|%)?\s*/\s*([^\W\d_][\w²]*)")
_SLASH_UNITS = {"h": "heure", "j": "jour", "an": "an", "mois": "mois", "sem": "semaine"}
# « un x pour N y »: « un médecin généraliste pour 1 500 habitants », « une place pour 3
# candidats » rate by the inhabitant, the candidate: one thing named before « pour » (a noun and
# perhaps its adjective), a plural noun after the number. Not « 12 pour cent », « prévu pour
# 2027 », « condamné pour 3 vols », nor « un repas de gala pour 1 000 personnes » (no one per).
_FOR_EVERY = re.compile(
    r"(?<![\w])(?:un|une)\s+(?!(?:de|du|des|d|pour)(?![\w]))[^\W\d_][\w'’-]*"
    r"(?:\s+(?!(?:de|du|des|d|pour)(?![\w]))[^\W\d_][\w-]*)?"
    rf"\s+pour\s+(?:\d[\d\s\u00a0\u202f.,]*|(?:{'|'.join(sorted(COUNT_WORDS))})\s+)([^\W\d_][\w-]*[sx])(?![\w])",
    re.I,
)
_NOT_PER = set("euro euros dollar dollars million millions milliard milliards mille cent centimes".split())
# What asks a quantity: a rate is asked only of one ("Combien … par classe ?", "Quel est le
# salaire moyen ?"), not by "Qui a été élu par les habitants ?".
_COMBIEN = re.compile(r"(?<![\w])combien(?![\w])", re.I)


@dataclass(frozen=True)
class Rate:
    """What a question asks per: `unit`, a unit of time (« an », « jour », …, `_TIME_UNITS`), the
    stem of a noun (« classe », « donateur »), or None when it asks only an average or a share of
    each (« en moyenne », « chacun »)."""

    unit: str | None
    timed: bool
    # The kind (`measures.KINDS`) of the measure the question names (`measures.named_measure`:
    # « la taille moyenne »: "length", « la durée moyenne »: "duration"), or None: said about so
    # with a unit of that kind (« environ 2 cm »), it is an average.
    measure_kind: str | None = None


def asked_rate(question: str) -> Rate | None:
    """The rate `question` asks, or None when it asks none (a total, or no quantity)."""
    average = _AVERAGE.search(question) is not None
    if not (average or _COMBIEN.search(question)):
        return None
    units = _units_per(question)
    if units:
        noun = units[0]
        if noun in _TIME_OF:
            return Rate(_TIME_OF[noun], True)
        return Rate(stem(noun), False)
    if average or _EACH.search(question):
        return Rate(None, False, measure_kind=named_measure(question))
    return None


def states_rate(sentence: str, rate: Rate) -> bool:
    """Whether `sentence` states a quantity at the `rate` asked: asked by a unit of time, that
    unit's rate (« par an », « chaque année », « annuels », « 70 km/h », « l'hiver »; a year's
    count, « l'an dernier », « en 2025 », for a yearly one: « en moyenne 45 minutes » a sortie is
    no yearly figure); else an average, a share of each, a rate per a thing (« en moyenne »,
    « chacun », « par classe », « le kilo », « un médecin pour 1 500 habitants »), not one in time
    (« chaque matin »: « les neuf enfants … chaque matin » say nothing per class)."""
    units = set(_units_per(sentence)) | {m.group(1).lower() for m in _PRICE_PER.finditer(sentence)}
    slashed = {m.group(1).lower() for m in _SLASH_PER.finditer(sentence)}
    units |= {_SLASH_UNITS.get(unit, unit) for unit in slashed}
    every = {m.group(1).lower() for m in _FOR_EVERY.finditer(sentence)}
    units |= every - _NOT_PER - set(_TIME_OF) - STOPWORDS - {"ans", "années"}
    timed = {_TIME_OF[unit] for unit in units if unit in _TIME_OF}
    timed |= {unit for unit, words in _TIME_RATE_WORDS.items() if words.search(sentence)}
    rated_in_time = bool(timed)
    if _counts_a_year(sentence):
        timed.add("an")
    if rate.timed:
        return rate.unit in timed
    per_thing = any(unit not in _TIME_OF for unit in units)
    if per_thing or _AVERAGE.search(sentence) or _EACH.search(sentence):
        return True
    # An average of a measure asked with no unit ("Quelle est la taille moyenne des fleurs ?")
    # is said as a measure about so: « Elles ont environ 2 cm de diamètre »; an amount of money
    # only by a rate in time (« environ 2 000 euros par mois », « un loyer mensuel d'environ… »),
    # a year's count (« en 2025 ») being a total still.
    kind = rate.measure_kind
    if rate.unit is not None or kind is None or _ABOUT.search(sentence) is None:
        return False
    return (rated_in_time or kind not in _TOTAL_UNLESS_RATED) and _measures(sentence, kind)


def _measures(sentence: str, kind: str) -> bool:
    """Whether `sentence` states a quantity of the `kind` of measure asked, not a time before it
    (`_TIME_BEFORE`): « environ trente centimètres » a length; « Il y a environ un an » no
    duration of anything, « depuis environ dix ans » no age."""
    before = _TIME_BEFORE.get(kind, _AGO)
    return any(before.search(sentence[:start]) is None for start, _ in quantity_spans(sentence, kind))


def counts_per(words: list[str], counted: int) -> bool:
    """Whether the number counting `words[counted]` (a sentence's words) counts it per a thing,
    not per a time: « 17 élèves par classe », « 50 litres par personne », « trois médecins pour
    chaque hôpital », « six places chacun »: no total; not « 30 000 voyageurs par jour », which
    news gives for how many take a line."""
    after = words[counted + 1 : counted + 4]
    if [w.lower() for w in after[:1]] in (["chacun"], ["chacune"]):
        return True
    per = _PER.match(" ".join(after))
    unit = _per_unit(per, after_a_count=True) if per is not None else None
    return unit is not None and unit not in STOPWORDS and unit not in _TIME_OF and bool(terms(unit))


# A number, in digits or in words (« quatre marins », « un seul petit »).
_NUMBER = re.compile(rf"\d|(?<![\w])(?:{'|'.join(sorted(COUNT_WORDS))}|une? seule?)(?![\w])", re.I)


def holds_a_number(sentence: str) -> bool:
    """Whether `sentence` holds a number, in digits or in words, which a rate stated is."""
    return _NUMBER.search(sentence) is not None
