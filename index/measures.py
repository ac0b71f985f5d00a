"""Quantities of a kind: what a question asks to measure ("Combien pèse le castor ?": a weight;
"Quel est le prix du ticket ?": an amount of money), and where a text states such a quantity
("peut peser jusqu'à trente kilos", "215 millions d'euros").

A "combien" question asks for a number, but not any number: "quatorze familles" does not
answer "Combien pèse-t-il ?", nor "une trentaine de kilomètres" "Quel est son poids ?". A
quantity of the kind asked is a number, in digits or in words ("trente", "une vingtaine de"),
with a unit of that kind after it. News writes small numbers in words, which is why they count
here. Pure functions of the text: French surface rules.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from index.analysis import STOPWORDS, WHICH, terms

# The units of each kind of quantity, as written after a number (lower-cased text). Symbols and
# one-letter abbreviations ("5 m", "30 kg", "12 €") stand after digits only: after a word they
# would be read in ordinary text ("trois g…").
_WORD_UNITS = {
    "weight": r"kilos?|kilogrammes?|grammes?|milligrammes?|tonnes?|quintaux|quintal",
    "length": r"(?:kilo|centi|milli)?mètres?|pieds|pouces|miles|milles|lieues?|années-lumière|parsecs?"
    r"|unités astronomiques",
    "area": r"hectares?|acres?|(?:kilo|centi)?mètres? carrés",
    "money": r"euros?|dollars?|francs?|livres? sterling|yens?|yuans?|roubles?|centimes?|cents",
    "duration": r"secondes?|minutes?|heures?|jours?|journées?|nuits?|semaines?|mois|ans?|années?|siècles?|décennies?"
    r"|millénaires?",
    "age": r"ans",
    "speed": r"(?:kilo)?mètres? (?:à l'heure|par heure|par seconde)|nœuds|noeuds",
    "percent": r"pour ?cent|points?|quarts?|tiers",
    "temperature": r"degrés?",
    # A score is a candidate's share of the vote ("50,8 % des suffrages", "12 400 voix") or a
    # match's points, which news writes digits to digits with no unit ("(27-24)", "menaient 16-9").
    "score": r"pour ?cent|voix|suffrages",
    # Said of a volume (`index.rates`: « le volume moyen »), never asked: "Combien de litres…" stays a count.
    "volume": r"(?:centi|milli|hecto)?litres?|mètres? cubes?",
}
_SIGN_UNITS = {
    "weight": r"kg|g|mg|t",
    "length": r"km|m|cm|mm|pc|kpc|ua|a\.l\.",
    "area": r"km²|km2|m²|m2|ha",
    "money": r"€|\$|£|¥|m€|md€|mds? ?€|k€|usd|eur|chf|fr|f",
    "duration": r"h|min|s",
    "age": r"ans",
    "speed": r"km/h|km/s|m/s|mph",
    "percent": r"%",
    "temperature": r"°c|°",
    "score": r"%",
    "volume": r"l|cl|ml|hl|m³|m3",
}
KINDS = tuple(_WORD_UNITS)

_NUMBER_WORDS = (
    "un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingts?|"
    "trente|quarante|cinquante|soixante|cents?|mille|demi|quelques|plusieurs"
)
_ABOUT_WORDS = "dizaine|douzaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine|soixantaine|centaine|millier"
# "une vingtaine de", "des centaines de", "quelques milliers d'".
_ABOUT = rf"(?:une |des |la |quelques )?(?:{_ABOUT_WORDS})s? d(?:e |['’])"


def _words_of(alternatives: str) -> set[str]:
    """The words of a `|`-separated list, "vingts?" as "vingt" and "vingts"."""
    return {form for word in alternatives.split("|") for form in {word.removesuffix("s?"), word.removesuffix("?")}}


# The words that give a count in letters, as news writes small numbers and rough ones ("onze
# fours", "trois individus", "une soixantaine d'opérations"): not "un"/"une", most often an
# article, nor "quelques", "plusieurs" or "demi", which give no number.
COUNT_WORDS = frozenset(_words_of(_NUMBER_WORDS) | _words_of(_ABOUT_WORDS.replace("|", "s?|") + "s?")) - {
    "un",
    "une",
    "demi",
    "quelques",
    "plusieurs",
}
# "neuf" is new as often as nine: "un bâtiment neuf", "du neuf", "remis à neuf".
_NEW_OR_NINE = "neuf"


def gives_a_count(words: Sequence[str], at: int) -> bool:
    """Whether `words[at]` (a sentence's words, hyphens apart) gives a count in letters
    (`COUNT_WORDS`): "neuf" only where it is nine, in a number ("dix-neuf", "neuf cents") or
    before a plural noun, a unit's included ("neuf blessés", "neuf euros"), not where it is new."""
    word = words[at].lower()
    if word != _NEW_OR_NINE:
        return word in COUNT_WORDS
    before = words[at - 1].lower() if at > 0 else ""
    after = words[at + 1].lower() if at + 1 < len(words) else ""
    return before in COUNT_WORDS or after in COUNT_WORDS or looks_plural(after)


def looks_plural(word: str) -> bool:
    """Whether `word` (lower case) reads as a plural noun or adjective, what a number before it
    counts: "-s" or "-x", not a function word ("blessés", "euros"; not "des", "sous")."""
    return word.endswith(("s", "x")) and word not in STOPWORDS


_DIGITS = r"\d+(?:[ \u00a0\u202f]\d{3})*(?:[,.]\d+)?"
_IN_WORDS = rf"(?:{_NUMBER_WORDS})(?:[- ](?:et[- ])?(?:{_NUMBER_WORDS}))*"
# "215 millions d'", "1,5 milliard de": the scale between a number and its unit.
_SCALE = r"(?:[ \u00a0\u202f](?:millions?|milliards?|mille))?(?: d(?:e |['’])|[ \u00a0\u202f])?"
# News gives an amount's currency once: "215 millions d'euros, dont 40 millions apportés par
# l'État". Millions alone are money, unless they are millions of something else.
_MILLIONS = rf"(?:{_DIGITS}|{_IN_WORDS})[ \u00a0\u202f](?:millions?|milliards?)(?! d(?:e |['’]))"
# A share in words: "près de la moitié", "le quart", "les deux tiers".
_FRACTIONS = r"(?:la|une) moitié|(?:le|un|les trois) quarts?|(?:le|un|les deux) tiers"
# A match's score: one to three digits each side of a dash, joined ("27-24", "3–1"), which a
# span of years ("2017-2022") is not.
_MATCH_SCORE = r"\d{1,3}[-–]\d{1,3}"
# A duration or an age said in words with no number before its unit: « un quart d'heure », « une
# demi-heure », « une demi-journée »; « une quarantaine d'années », « la quarantaine » (not « la
# quarantaine de trois jours », « mis en quarantaine »).
_DURATION_IN_WORDS = r"(?:un|trois) quarts? d['’]heure|(?:une )?demi-(?:heure|journée)"
_AGE_IN_WORDS = (
    r"une (?:vingt|trent|quarant|cinquant|soixant)aine d['’]années"
    r"|la (?:trent|quarant|cinquant|soixant)aine(?=\s*(?:[,.;)]|$|passée|bien))"
)
_ALONE = {
    "money": _MILLIONS,
    "percent": _FRACTIONS,
    "score": _MATCH_SCORE,
    "duration": _DURATION_IN_WORDS,
    "age": _AGE_IN_WORDS,
}


# Compiled the first time a question asks for a quantity of the kind: most questions ask for
# none, and the ten patterns took 20 of the 30 ms (CPU) of this module's import, in every
# question's cold start (README, "Model", "Start-up").
@functools.cache
def _quantity_pattern(kind: str) -> re.Pattern[str]:
    words, signs = _WORD_UNITS[kind], _SIGN_UNITS[kind]
    amounts = f"|{_ALONE[kind]}" if kind in _ALONE else ""
    return re.compile(
        rf"(?<![\w,.])(?:(?:{_DIGITS}|{_IN_WORDS}){_SCALE}(?:{words})|{_DIGITS}{_SCALE}(?:{signs})"
        rf"|{_ABOUT}(?:{words}){amounts})(?![\w'’])"
    )


# What a question says to ask for a quantity of a kind (lower-cased, apostrophes straight). A verb
# asks it beside "combien" ("Combien pèse…", "Ça coûte combien ?"; not "Quel risque pèse sur…"),
# a noun when it is what the question asks about ("Quel est le poids…", "À quel prix…", "Et le
# prix du ticket ?"; not "Quelle est la fonction de la hauteur…"). "prix" is a price when it
# is the price *of* something, not an award ("Quel prix a-t-il reçu ?", "le prix Goncourt").
_VERBS = (
    ("weight", r"p[eè]s(?:e|es|ent|ait|aient|era|eront|é|ée|er)"),
    (
        "money",
        r"co[uû]t(?:e|ent|ait|aient|era|eront|é|ée|és|ées|er)|pay(?:e|é|ée|és|er|ent|ait)|vaut|valent|valait"
        r"|gagne|gagnent|gagnait|rapporte|rapportent|rapporté|dépense|dépensent|dépensé",
    ),
    ("length", r"mesur(?:e|ent|ait|aient|era|eront)"),
    ("duration", r"dur(?:e|ent|ait|aient|era|eront|é)"),
)
# The nouns that name a measure, by kind, and whether saying one asks for it: "Quel est le poids…",
# "Quelle est la masse au décollage ?" ask a weight. « taille » and « volume » name a measure
# (`index.rates` reads its average: « la taille moyenne des fleurs ») but ask none alone: "Quelle
# est la taille de l'armée ?" asks a count of men, "À quel volume beuglent-elles ?" a loudness,
# "En combien de volumes… ?" a count of books. « la masse salariale » is an amount of money.
_NOUNS = (
    ("weight", r"poids|masse(?! salariale)", True),
    (
        "money",
        r"prix (?:moyens? )?(?:de|du|des|d')|co[uû]t|tarif|montant|budget|salaire|loyer|facture|masse salariale",
        True,
    ),
    ("length", r"longueur|hauteur|distance|profondeur|largeur|altitude|épaisseur|envergure|diamètre", True),
    ("length", r"taille", False),
    ("area", r"superficie|surface", True),
    ("duration", r"durée", True),
    ("age", r"âge", True),
    ("speed", r"vitesse", True),
    ("temperature", r"température", True),
    ("percent", r"pourcentage|taux|proportion", True),
    ("score", r"score", True),
    ("volume", r"volume", False),
)
_ASKING_NOUNS = tuple((kind, nouns) for kind, nouns, asks in _NOUNS if asks)
_DETERMINER = r"(?:le |la |les |l'|son |sa |ses |leur |leurs |un |une )?"
_ASKING_PATTERNS = tuple(
    [(kind, re.compile(rf"\bcombien\b.*\b(?:{verbs})\b|\b(?:{verbs})\b.*\bcombien\b")) for kind, verbs in _VERBS]
    + [
        (
            kind,
            re.compile(
                rf"\bquel(?:le)?s? (?:(?:est|sont|était|étaient|fut|sera) )?{_DETERMINER}(?:{nouns})"
                rf"|\bà quel(?:le)? (?:{nouns})|^\s*(?:et|mais) {_DETERMINER}(?:{nouns})|\bcombien de (?:{nouns})"
            ),
        )
        for kind, nouns in _ASKING_NOUNS
    ]
    + [("money", re.compile(r"\bà quel prix\b"))]
)
# "Combien de kilos…", "Combien d'années…", "Combien d'euros…": the unit named.
_COUNTED = re.compile(r"\bcombien (?:de |d')(\w+)")
# (Not "Combien de points de vente…": a count. "ans" is a duration there.)
_UNIT_KINDS = tuple(
    (kind, re.compile(_WORD_UNITS[kind])) for kind in KINDS if kind not in ("age", "percent", "score", "volume")
)
_ASKED_TIME = re.compile(r"\bcombien de temps\b")


# What every way of asking for a measure below holds: "combien", "quel", or "Et"/"Mais" first.
_ASKING_CUE = re.compile(r"combien|quel|^\s*(?:et|mais)\b")


def asked_measure(question: str) -> str | None:
    """The kind of quantity (one of `KINDS`) `question` asks for, or None: "Combien pèse un
    castor ?" a weight, "Quelle est la longueur de la ligne ?" a length, "Et le prix du
    ticket ?" money, "Combien de temps dure le trajet ?" a duration."""
    text = question.lower().replace("’", "'")
    if _ASKING_CUE.search(text) is None:  # most questions: none of the ways of asking below
        return None
    if _ASKED_TIME.search(text):
        return "duration"
    said = next((kind for kind, pattern in _ASKING_PATTERNS if pattern.search(text)), None)
    if said is not None:
        return said
    counted = _COUNTED.search(text)
    if counted is None:
        return None
    return next((kind for kind, units in _UNIT_KINDS if units.fullmatch(counted.group(1))), None)


# Each row of nouns naming a measure (`_NOUNS`), asked or not, a group of its own: the group
# found gives the kind.
_NAMED = re.compile(r"\b(?:" + "|".join(f"({nouns})" for _, nouns, _ in _NOUNS) + r")s?\b")


# An amount of money named by a noun before « moyen » ("Quel est le salaire moyen d'un docker ?",
# "Quelle est la facture moyenne … ?"), and the words a sentence states that amount with: the
# noun, or the verbs news says it by, any of their forms (« Un repas coûte / revient en moyenne à
# 15 euros » for "le prix moyen d'un repas", « Les dockers touchaient en moyenne 3 500 euros »
# for their "salaire moyen", « Les studios sont loués … » for the rent). An average cost of
# another thing (« Chaque jour d'immobilisation coûte en moyenne 25 000 euros ») is no salary.
# The verbs are spelt out by their endings, not by a stem: a stem reads other words (« pays »,
# « paix », « vendeurs », « gagnants », « les ports touchés ») as the verb.
_AVERAGED_MONEY = re.compile(r"\b(salaire|loyer|prix|co[uû]t|tarif|facture|budget)s?\s+moyen(?:ne)?s?\b")
_PRICE_WORDS = (
    r"prix|co[uû]t\w*|tarif\w*|va(?:ut|lent|lait)|factur\w*|rev(?:ien|enai)\w*"
    r"|vend(?:s|u|ue|us|ues|ent|ait|aient|ra|ront|re)?"
)
_MONEY_NOUN_WORDS = {
    "salaire": r"salair\w*|salarial\w*|per[çc](?:oi|ev)\w*|pay[ée]\w*|rémunér\w*"
    r"|gagn(?:e|es|ent|ait|aient|é|er|era|eront)|touch(?:e|es|ent|ait|aient|é|ée|er|era|eront)",
    "loyer": r"loyers?|lou(?:e|ent|ait|aient|é|ée|és|ées|er)",
    "prix": _PRICE_WORDS,
    "coût": _PRICE_WORDS,
    "cout": _PRICE_WORDS,
    "tarif": _PRICE_WORDS,
    "facture": r"factur\w*|pa(?:ie|ies|ient|iera|ieront|yent|yait|yaient|yé|yée|yés|yées|yer)",
    "budget": r"budg[eé]t\w*|dépens\w*|consacr\w*",
}


def averaged_money_noun(question: str) -> str | None:
    """The noun of money whose average `question` asks ("Quel est le loyer moyen d'un étudiant
    ?": "loyer"), or None."""
    found = _AVERAGED_MONEY.search(question.lower().replace("’", "'"))
    return found.group(1) if found is not None else None


def states_money_noun(sentence: str, noun: str) -> bool:
    """Whether `sentence` says the amount `noun` names (`averaged_money_noun`), by the noun or a
    verb news says it by, in any of its forms (« coûte » a price, « touchaient » a salary,
    « dépenses » a budget)."""
    said = re.compile(rf"(?<![\w-])(?:{_MONEY_NOUN_WORDS[noun]})(?![\w-])")
    return said.search(sentence.lower()) is not None


def named_measure(text: str) -> str | None:
    """The kind (one of `KINDS`) of the first measure `text` names, whether or not naming it asks
    for it (« la taille moyenne des fleurs »: "length"; « le salaire moyen »: "money"), or None."""
    found = _NAMED.search(text.lower().replace("’", "'"))
    return _NOUNS[found.lastindex - 1][0] if found is not None and found.lastindex else None


def without_asking_words(question: str) -> str:
    """`question` without the words that ask for a measure ("Combien pèse un castor
    adulte ?": "un castor adulte ?"), nor the auxiliary of a near future ("Combien ça va
    coûter ?"): what is left names what is measured."""
    asked = _CUES.sub(" ", question.lower().replace("’", "'"))
    return _INTERROGATIVES.sub(" ", _NEAR_FUTURE.sub(" ", asked))


def asking_words(question: str) -> str:
    """The words of `question` that name the measure it asks for ("Quel est le salaire du
    préfet ?": "salaire"; "Combien pèse-t-il ?": "pèse"), which a passage may use to say it
    without a figure ("un salaire de misère")."""
    return " ".join(_CUES.findall(question.lower().replace("’", "'")))


_CUES = re.compile(r"\b(?:" + "|".join(words for _, words in (*_VERBS, *_ASKING_NOUNS)) + r")s?\b")
# Only the words that ask for a measure: "que", "quand", "où"… ask for none, `asked_measure` says.
_INTERROGATIVES = re.compile(rf"\b(?:combien|{WHICH})\b")
# "aller" before the verb of a measure, which `_CUES` has taken out: "ça va coûter", "vont-ils payer".
_NEAR_FUTURE = re.compile(r"\b(?:va|vont|allait|allaient)(?:-t-(?:il|elle|on)|-(?:ils|elles))?\s+(?=\s|\?|$)")


# "Combien coûte un ticket de tram ?", "Quel est le prix du billet ?": the thing priced, just
# after the verb or noun of cost ("Combien a coûté le chantier ?": the works').
_PRICED = re.compile(
    r"\b(?:co[uû]t(?:e|ent|ait|aient|era|eront|é|ée|és|ées)?|prix|tarif)\s+"
    r"(?:de la |de l'|d'un |d'une |du |des |de |d'|le |la |les |l'|un |une )([\w-]+)"
)


def priced_item(question: str) -> str | None:
    """The thing whose price `question` asks ("Combien coûte un ticket de tram à Brest ?":
    "ticket"), or None: the cost of something else ("Le chantier a coûté 215 millions
    d'euros") does not answer it."""
    if asked_measure(question) != "money":
        return None
    match = _PRICED.search(question.lower().replace("’", "'"))
    return match.group(1) if match else None


# What states what a thing cost, its subject before it: « Le projet a coûté … », « La piscine
# … a représenté 420 000 euros », « Le scanner a été acheté 1,2 million d'euros ».
_COST_VERB = re.compile(
    r"(?<![\w-])(?:(?:a|avait|aurait|ont|avaient|auraient|aura|auront|va|vont|doit|devrait)\s+(?:été\s+)?)?"
    r"(?:co[uû]t(?:e|ent|ait|aient|era|eront|erait|eraient|é)|représent(?:e|ent|é|era)|achet(?:é|ée|és|ées)"
    r"|pay(?:é|ée|és|ées)|estim(?:é|ée|és|ées) à|chiffr(?:é|ée|és|ées) à|factur(?:é|ée|és|ées))(?![\w-])"
)
# A deed and what it was done to, an amount after « pour »: « rénové la cantine en 2024 pour 85 000 euros ».
_DEED_FOR = re.compile(
    r"(?<![\w-])([\w-]+(?:é|ée|és|ées|i|is|ie|ies|it|ite|uit|uite))\s+"
    r"(?:le |la |les |l'|son |sa |ses |leur |leurs |un |une |ce |cet |cette |ces )([\w-]+)[^.;:]{0,60}?"
    r"(?<![\w-])pour\s+(?=\d|(?:un|une|deux|trois|quatre|cinq|dix|cent|mille|près|environ|plus|quelque)(?![\w-]))"
)
# An amount set on a thing: « Le conseil estime le surcoût des nouveaux circuits à 120 000 euros ».
_APPRAISED = re.compile(
    r"(?<![\w-])(?:estim|évalu|chiffr)\w*\s+"
    r"(?:le |la |les |l'|son |sa |ses |leur |leurs |un |une |ce |cet |cette |ces )([\w-]+)[^.;:]{0,60}?"
    r"(?<![\w-])à\s+(?=\d|(?:un|une|deux|trois|quatre|cinq|dix|cent|mille|près|environ|plus|quelque)(?![\w-]))"
)
_DETERMINERS = frozenset("le la les l' un une son sa ses leur leurs ce cet cette ces".split())
# What stands between a determiner and the noun it opens: « le nouveau scanner ».
_BEFORE_NOUN = frozenset(
    "nouveau nouvel nouvelle nouveaux nouvelles premier première seul seule grand grande petit petite "
    "ancien ancienne futur future dernier dernière".split()
)
# Words for the whole of what is paid for, and for making it, which any question on its cost
# may be asking: « Le projet a coûté 3,4 millions d'euros », « Sa construction a coûté … » for
# "Combien a coûté le hameau ?".
_THE_WHOLE = frozenset(
    stem
    for word in (
        "projet opération chantier travaux ensemble total programme investissement facture coût montant tout "
        "construction réalisation achat acquisition aménagement création installation rénovation "
        "réhabilitation extension agrandissement prix tarif budget somme bâtiment édifice ouvrage établissement "
        "équipement site structure infrastructure"
    ).split()
    for stem in terms(word)
)
# What is done to a thing, whose cost a question may ask instead of the thing's: one of them is
# not another (« la rénovation est estimée à 7 millions » is no price of its upkeep).
_DEEDS_ON_A_THING = frozenset(
    terms(
        "construction réalisation achat acquisition aménagement création installation rénovation réhabilitation "
        "extension agrandissement entretien fonctionnement exploitation location réparation maintenance"
    )
)
_PHRASE_WORDS = re.compile(r"l'|[\w-]+")


def _priced_subject(phrase: str) -> tuple[str, list[str], bool] | None:
    """The noun (or the infinitive) heading `phrase`, the subject of a verb of cost, the words
    after it in its part, and whether a relative « dont » gives it a complement: its last part
    between commas a determiner opens, the nearest the verb (« La piscine chauffée du hameau, à
    elle seule, »: "piscine"; « Au hameau, la location d'un chalet »: "location"; « Le tarif
    plein passera de 9,50 euros à 8 euros, et une place »: "place"; « …, dont la rénovation »:
    "rénovation", of what « dont » stands for), else an infinitive opening it (« Rénover le
    bâtiment »: "rénover"); None when it opens otherwise (a pronoun: « Il a coûté »)."""
    parts = [_PHRASE_WORDS.findall(part) for part in phrase.split(",")]
    for words in reversed(parts):
        while words and words[0] in _COORDINATORS:
            words = words[1:]
        whose = words[:1] == ["dont"]
        words = words[1:] if whose else words
        if words and words[0] in _DETERMINERS:
            noun = 1
            while noun < len(words) and words[noun] in _BEFORE_NOUN:
                noun += 1
            return (words[noun], words[noun + 1 :], whose) if noun < len(words) else None
    first = parts[0] if parts else []
    if first and first[0].endswith(("er", "ir", "re")) and first[0] not in STOPWORDS:
        return first[0], first[1:], False
    return None


# What a thing is sold by, whose price is the thing's: « Le gobelet de vin chaud coûte 4 euros »,
# « Le kilo de comté … », « Le ticket de tram … »; not « La location d'un chalet », a service
# (`_sold_by` reads the rest).
_PORTIONS = frozenset(
    "gobelet gobelets verre verres bouteille bouteilles tasse tasses part parts portion portions kilo kilos litre "
    "litres boîte boîtes paquet paquets sac sacs assiette assiettes bol bols pot pots pichet carafe plateau "
    "tranche tranches ticket tickets".split()
)
_COST_ASKED_IN_THE_PAST = re.compile(
    r"(?<![\w'’-])(?:a|ont|avait|avaient|aura|auront)(?:-t-\w+|-ils|-elles)?\s+co[uû]t[ée]"
)


def _sold_by(head: str, after: list[str], question: str) -> bool:
    """Whether the subject of a cost, `head` and the words `after` it, is a portion the thing asked
    is sold by: a noun of portion then « de » and a bare noun, or « du », « des » (« Le gobelet de
    vin chaud », « La part de tarte », « Le ticket du musée »), its price asked in the present
    ("Combien coûte … ?"). Not « La part de la région dans le stade », a share of its funding, nor
    for what a thing has cost ("Combien a coûté le tram ?": its building, not a ride)."""
    if head not in _PORTIONS or len(after) < 2 or _COST_ASKED_IN_THE_PAST.search(question.lower()):
        return False
    return after[0] in ("du", "des") or (after[0] in ("de", "d") and after[1] not in _DETERMINERS | {"l"})


# « la location d'un chalet », « le surcoût des circuits »: a noun's complement, after at most
# two adjectives (« La piscine chauffée du hameau »).
_OF = frozenset("de d du des".split())
_INFINITIVE_ENDINGS = ("er", "ir", "re", "oir")


def _has_complement(after: list[str]) -> bool:
    """Whether the words `after` a noun open a complement naming something (« d'un chalet »,
    « du hameau »; « à gagner » in « le manque à gagner »), not a number (« de 550 à 980
    euros »)."""
    for at, word in enumerate(after[:3]):
        following = after[at + 1] if at + 1 < len(after) else ""
        if word in _OF:
            return bool(following) and not following[:1].isdigit()
        if word == "à":
            return following.endswith(_INFINITIVE_ENDINGS) and following not in STOPWORDS
        if word in _DETERMINERS or not word.isalpha():
            return False
    return False


_COORDINATORS = frozenset("et mais puis or".split())


def amount_of_another_thing(sentence: str, question: str) -> bool:
    """Whether `sentence` states the cost of something clearly other than the one whose price
    `question` asks (`priced_item`): the subject of its verb of cost, what it sets the amount on
    (« estime le surcoût des circuits de car à 120 000 euros ») or what its deed was done to
    (« rénové la cantine de l'école pour 85 000 euros »), being neither that thing, nor a word of
    the question, nor the whole (« Le projet a coûté … », « L'ouvrage a coûté … »), and being a
    noun with a complement (« La location d'un chalet coûte 550 euros », « La piscine chauffée
    du hameau a représenté 420 000 euros » for "Combien a coûté le hameau ?"), the subject of a
    sentence naming the thing before it as somewhere else (« Au bloc opératoire, le nouveau
    scanner a été acheté … ») or what the very deed asked was done to (« rénové la cantine » for
    "Combien a coûté la rénovation de l'école ?"); and the thing not named after the amount's
    verb (« Le scanner a été acheté 1,2 million d'euros, l'IRM 1,8 million » states the IRM's).
    Otherwise a bare noun (« L'ouvrage », « L'appareil », « Le restaurant scolaire ») may be the
    thing in other words: no other thing."""
    item = priced_item(question)
    if item is None:
        return False
    lowered = sentence.lower().replace("’", "'")
    asked = set(terms(without_asking_words(question)))
    item_named = re.compile(rf"(?<![\w-]){re.escape(item)}s?(?![\w-])")

    item_deed = set(terms(item)) & _DEEDS_ON_A_THING

    def is_it(word: str) -> bool:
        stems = set(terms(word))
        if item_deed and stems & _DEEDS_ON_A_THING:  # "l'entretien ?": not its renovation
            return bool(stems & item_deed)
        return bool(stems & (asked | set(terms(item)) | _THE_WHOLE))

    verb = _COST_VERB.search(lowered)
    if verb is not None:
        start = max(lowered.rfind(";", 0, verb.start()), lowered.rfind(":", 0, verb.start())) + 1
        subject = _priced_subject(lowered[start : verb.start()])
        if subject is not None:
            head, after, whose = subject
            if _sold_by(head, after, question) and set(terms(" ".join(after))) & set(terms(item)):
                return False  # « Le gobelet de vin chaud coûte 4 euros »: a vin chaud's price
            other = whose or _has_complement(after) or item_named.search(lowered, start, verb.start()) is not None
            return not is_it(head) and other and item_named.search(lowered, verb.start()) is None
    appraised = _APPRAISED.search(lowered)
    if appraised is not None:
        thing, after = appraised.group(1), _PHRASE_WORDS.findall(lowered[appraised.end(1) :])
        return not is_it(thing) and _has_complement(after) and item_named.search(lowered) is None
    deed = _DEED_FOR.search(lowered)
    if deed is None:
        return False
    done, thing = deed.groups()
    asking = question.lower().replace("’", "'")
    of_whom = _COMPLEMENT.match(asking, asking.find(item) + len(item))
    asked_deed = bool(set(terms(done)) & set(terms(item)))
    if asked_deed and of_whom is None:  # "la rénovation ?": whatever was renovated
        return False
    after = _PHRASE_WORDS.findall(lowered[deed.end(2) :])
    # "la rénovation de l'école ?": the deed asked, done to a thing neither the one asked nor
    # the whole (« rénové la cantine … pour 85 000 euros »), is another's, bare noun or not: a
    # part of the thing is said so as often as the thing in other words (« le groupe scolaire »,
    # then declined: the safe side).
    other = asked_deed or _has_complement(after)
    return not is_it(thing) and other and item_named.search(lowered, deed.end(2)) is None


# What the thing priced is of, right after it in the question: "la rénovation de l'école".
_COMPLEMENT = re.compile(r"\s+(?:de la |de l'|du |des |de |d')")


def quantity_spans(text: str, kind: str) -> list[tuple[int, int]]:
    """Where `text` states a quantity of `kind` ("trente kilos", "5,1 km", "215 millions
    d'euros"): offsets of each, number and unit."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer: offsets would move
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return [
        m.span()
        for m in _quantity_pattern(kind).finditer(lowered)
        if not _millions_of_another_thing(lowered, m) and not (kind == "duration" and _an_age(text, m))
    ]


# An age in apposition or said as one: « Laura Mercier, 34 ans, est … », « âgé de 51 ans ».
_AGE_BEFORE = re.compile(r"(?:(?<![\w])âgée?s? d(?:e |['’])|(?<![\w])à l['’]âge de |[A-ZÀ-Þ][\w'’-]+,\s)$")
_AGE_AFTER = re.compile(r"\s*(?:[,)]|$)")
# How far before a number of years its words of age are read (« à l'âge de », a name and a comma).
_AGE_WORDS_SPAN = 60


def _an_age(text: str, quantity: re.Match[str]) -> bool:
    """Whether `quantity`, in years, is someone's age, not how long something lasted: "Depuis
    combien de temps est-elle secouriste ?" is not answered by « Laura Mercier, 34 ans, est la
    première femme … » (« Il pêche depuis 27 ans » still is)."""
    start, end = quantity.span()
    if not quantity.group().endswith("ans"):
        return False
    # The words just before and after, within bounds: searching all the text before each « ans »
    # for an ending, or copying all after it, is quadratic in a long article.
    return _AGE_BEFORE.search(text, max(0, start - _AGE_WORDS_SPAN), start) is not None and (
        _AGE_AFTER.match(text, end) is not None or "âg" in text[max(0, start - 12) : start]
    )


def holds_quantity(text: str, kind: str) -> bool:
    """Whether `text` states a quantity of `kind` (`quantity_spans`)."""
    return bool(quantity_spans(text, kind))


# Millions with no unit take the unit of the millions said before them in their sentence:
# "5,2 millions de passagers, et les ports 3,8 millions" are passengers, as "215 millions
# d'euros, dont 40 millions" are euros. (A sentence ends at its stop, or at the NUL joining the
# sentences `index.quotes` scans at once; its clause at a semicolon or a colon: "2 millions
# d'habitants ; le budget atteint 40 millions" states money.)
_MILLIONS_OF = re.compile(r"\b(?:millions?|milliards?) d(?:e |['’])(\w+)")
_SENTENCE_END = re.compile(r"[.!?;:]\s|\x00")  # a clause after ";" or ":" counts afresh
_BARE_MILLIONS = re.compile(_MILLIONS)


def _millions_of_another_thing(lowered: str, quantity: re.Match[str]) -> bool:
    """Whether `quantity` is millions with no unit (`_MILLIONS`) after millions of something
    other than money in its sentence, which it counts too."""
    if not _BARE_MILLIONS.fullmatch(quantity.group()):
        return False
    start = quantity.start()
    sentence_start = max((end.end() for end in _SENTENCE_END.finditer(lowered, 0, start)), default=0)
    said = _MILLIONS_OF.findall(lowered, sentence_start, start)
    return bool(said) and re.fullmatch(_WORD_UNITS["money"], said[-1]) is None
