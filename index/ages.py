"""Whose age a sentence says, and whose a question asks: news gives several people's ages in one
article (« Julie Darrigade, 31 ans », « une habitante âgée de 82 ans »), and an age said of one
is no answer to another's ("Quel âge a Thierry Lafon ?"). Pure functions over text, read by the
reading rule `index.person_rules.age_of_whom_asked`."""

from __future__ import annotations

import re

from index.analysis import STOPWORDS, stem
from index.measures import COUNT_WORDS, quantity_spans
from index.quotes import persons_named

# What stands between a name and the age said of it: « Julie Darrigade, 31 ans »,
# « Françoise Bailly, a 74 ans », « Sylvie Marcadier, âgée de 58 ans », « Paul Roux, qui a 40 ans »,
# « Jean Dupont (52 ans) ».
_NAME_TO_AGE = re.compile(r"\s*,?\s*\(?\s*(?:(?:qui\s+)?(?:a|avait|aura)\s+|âgée?s?\s+d(?:e\s+|['’]\s*))?", re.I)
# A number of years that is a time, not an age: « il y a quatre ans », « depuis dix ans »,
# « pendant trois ans », « en cinq ans », « cinq ans de prison », « deux ans plus tard », « 30 ans
# de carrière », « 20 ans d'expérience ».
_TIME_BEFORE = re.compile(
    r"(?:\b(?:il y a|depuis|pendant|durant|dans|en|après|avant|voici|voilà|fait|sur|tous les|chaque|"
    r"pour)\s+(?:(?:plus|moins) de\s+|près de\s+|environ\s+)?)$",
    re.I,
)
# … unless it is how long ago a thing was made, its age: « Construit il y a 120 ans, le pont … »,
# « l'arbre, planté il y a 300 ans », « le zoo, ouvert il y a 50 ans ».
_MADE_AGO = re.compile(
    r"\b(?:construit|bâti|planté|fondé|créé|ouvert|inauguré|érigé|édifié|creusé|percé|né|mis en service)e?s?"
    r"\s+il y a\s+(?:(?:plus|moins) de\s+|près de\s+|environ\s+)?$",
    re.I,
)
_TIME_AFTER = re.compile(
    r"\s+(?:de (?:prison|réclusion|mandat|travaux|retard|carrière|métier|mariage|service|vie commune)"
    r"|d['’](?:expérience|ancienneté|activité)|ferme|avec sursis|plus (?:tard|tôt)|après|auparavant)",
    re.I,
)
# An average said before an age in its clause, no other number nor comma between: « La moyenne
# d'âge des généralistes libéraux atteint 59 ans », « l'âge moyen des bénévoles est de 67 ans »,
# « Les adhérents ont en moyenne 45 ans ». The age of a group, no person's: not « La moyenne
# d'âge est de 24 ans, mais le capitaine, Paul Roy, a 35 ans », whose 35 is his.
_AVERAGE_BEFORE = re.compile(
    r"(?<![\w-])(?:moyenne\s+d['’]\s*âge|âge\s+moyen|en\s+moyenne|âgée?s\s+en\s+moyenne\s+de)(?![\w'’-])[^,;:.!?\d]*$",
    re.I,
)
# An indefinite noun phrase right before an age, bringing in someone new: « une habitante de
# Désaignes âgée de », « un homme de », « une femme, âgée de ».
_SOMEONE_NEW = re.compile(
    r"(?<![\w'’-])(?:un|une)\s+[a-zà-öø-ÿ-]+(?:\s+(?:de|d['’]|du)\s*[\wÀ-ÿ'’-]+)?\s*,?\s*(?:âgée?\s+)?(?:de\s+|d['’])?$",
    re.I,
)
# An age said in a word: « un septuagénaire », « la quadragénaire ».
_AGE_WORD = re.compile(r"\b(?:quadra|quinqua|sexa|septua|octo|nona)génaires?\b", re.I)
# « trentenaire », « centenaire » as a person: after a determiner only a person takes (« une
# centenaire », « la trentenaire », « cette centenaire », « un trentenaire »: the centenary is
# masculine), or after a comma right after a person's name (« Marie Roux, centenaire, »: checked
# in `ages_said`). Not « le / ce centenaire », a celebration as often (« Le centenaire a été
# célébré en présence du maire », « À l'occasion de ce centenaire »), nor « les trentenaires », a
# group, nor « un centenaire de … » (« le centenaire de l'armistice »), nor a thing's (« un chêne
# centenaire », « Le lycée, centenaire, va fermer »: no name before the comma).
_AGE_NOUN = re.compile(
    r"(?:(?<![\w'’-])(?:un|une|la|cette|jeune)\s+|(?P<comma>,\s*))(?:trentenaire|centenaire)(?![\w'’-])"
    r"(?!\s+(?:de|du|des)(?![\w'’-])|\s+d['’])",
    re.I,
)
# What makes « le centenaire » a celebration: « pour le centenaire », « fêter son centenaire ».
_CELEBRATED = re.compile(r"(?<![\w'’-])(?:pour|fêter|fête|célébrer|depuis|avant|après|lors)\s+(?:du\s+|de\s+)?$", re.I)
_WORD = re.compile(r"[^\W\d_][\w-]*")
# The one whose age the question asks, by a role: "Quel âge a le directeur ?", "Quel est l'âge
# du maire de Lamastre ?", "Quel âge le président a-t-il ?".
_ROLE_ASKED = re.compile(
    r"\bâge\s+(?:a|avait|aura|ont|avaient)\s+(?:(?:le|la|les|leur|leurs|son|sa|ses)\s+|l['’]\s*)([^\W\d_][\w-]*)"
    r"|\bl['’]âge\s+(?:(?:du|des|de\s+la|de\s+leur|de\s+son|de\s+sa)\s+|de\s+l['’]\s*)([^\W\d_][\w-]*)"
    r"|\bâge\s+(?:(?:le|la|les|leur|son|sa)\s+|l['’]\s*)([^\W\d_][\w-]*)\s+(?:a|avait|aura|ont)-t-",
    re.I,
)


def ages_said(sentence: str, of_things: bool = False, role: str | None = None) -> list[str | None]:
    """Each age `sentence` states (`measures.quantity_spans`, or a word: « septuagénaire »), as
    the person's name it is said of when that name stands right before it (« Julie Darrigade,
    31 ans, a perdu … »: "Julie Darrigade"), "" when it is said of someone the sentence brings
    in (« une habitante âgée de 82 ans », « un homme de 45 ans »: nobody spoken of before),
    else None (« À 67 ans, il … », « À 34 ans, la skipper … », « Le père, Kito, a neuf ans »:
    whoever the sentence speaks of). `of_things`: how long ago a thing was made (« Construit il y
    a 120 ans, le pont … ») is its age too, said of whatever the sentence speaks of; of a person
    asked by name it is not (« Le club, fondé il y a 50 ans »). An indefinite phrase describing
    whom the sentence names or speaks of is not someone new (`_whom_described`: « Paul Roux, un
    agriculteur de 54 ans », « La victime, une femme de 82 ans », and for `role` asked, « Un
    homme de 45 ans » when it is "l'homme")."""
    names = [(found, sentence.find(found)) for found in persons_named(sentence)]
    holders: list[str | None] = []
    for start, end in quantity_spans(sentence, "age"):
        made = of_things and _MADE_AGO.search(sentence, max(0, start - 50), start) is not None
        if not made and (_TIME_BEFORE.search(sentence, max(0, start - 30), start) or _TIME_AFTER.match(sentence, end)):
            continue
        if _averaged(sentence, start, names):
            continue  # « La moyenne d'âge des généralistes atteint 59 ans »: nobody's age
        before = [(name, at + len(name)) for name, at in names if at + len(name) <= start]
        holder = max(before, key=lambda pair: pair[1], default=None)
        right_before = holder is not None and _NAME_TO_AGE.fullmatch(sentence, holder[1], start) is not None
        new = _SOMEONE_NEW.search(sentence, max(0, start - 60), start)
        if right_before and holder is not None:
            holders.append(holder[0])
        elif new is None:
            holders.append(None)
        else:
            holders.append(_whom_described(sentence, new.start(), end, names, role))
    holders.extend(None for _ in _AGE_WORD.finditer(sentence))
    holders.extend(
        None
        for found in _AGE_NOUN.finditer(sentence)
        if not _CELEBRATED.search(sentence, 0, found.start())
        and (not found.group("comma") or any(at + len(name) == found.start() for name, at in names))
    )
    return holders


def _averaged(sentence: str, start: int, names: list[tuple[str, int]]) -> bool:
    """Whether the age at `start` is an average (`_AVERAGE_BEFORE`): not when a number in words
    stands between, which the average is of (« marche en moyenne deux heures par jour malgré ses
    80 ans »), nor when a clause opens on a person named between (« Les généralistes voient en
    moyenne trente patients par jour et Hugo Faure a 59 ans », « … mais Paul Roy a 35 ans »)."""
    average = _AVERAGE_BEFORE.search(sentence, max(0, start - 80), start)
    if average is None:
        return False
    between = sentence[average.start() : start]
    if any(word.lower() in COUNT_WORDS for word in _WORD.findall(between)):
        return False
    return not any(
        average.start() <= at < start and _NEW_CLAUSE.search(sentence, average.start(), at) for _, at in names
    )


# A clause opening right before a name: « … et Hugo Faure a 59 ans », « mais Paul Roy ».
_NEW_CLAUSE = re.compile(r"(?<![\w'’-])(?:et|mais|tandis\s+que|alors\s+que)\s+$", re.I)


# Whom a sentence opens on, past an age said first (« À 70 ans, »), when it is someone's kin or
# another's role: a possessive (« Son père », « Leur fille ») or « le X de » another (« le père de
# la skipper », « la fille du maire »); not « la skipper de Lorient », a place.
_OPENS_ON_ANOTHER = re.compile(
    r"^\W*(?:à\s+[\w-]+(?:\s+[\w-]+)?\s+ans\s*,\s*)?"
    r"(?:(?:son|sa|ses|leur|leurs)\s+[^\W\d_]"
    r"|(?:le|la|les|l['’])\s*[^\W\d_][\w-]*\s+(?:de\s+(?:la|l['’]|son|sa|ses|leur|leurs|ce|cette)|du|des)\s)",
    re.I,
)


def _whom_described(sentence: str, phrase: int, end: int, names: list[tuple[str, int]], role: str | None) -> str | None:
    """Whose age an indefinite phrase (« un agriculteur de 54 ans », at `phrase`, its age ending
    at `end`) says: the name it is set beside (« Paul Roux, un agriculteur de 54 ans », « Léa
    Garnier est une skipper de 28 ans », « une Lyonnaise de 28 ans, Léa Garnier »); None, whom
    the sentence speaks of, when it describes a definite one (« La victime, une femme de 82 ans »)
    or holds the word of the `role` asked (« Un homme de 45 ans » for "l'homme interpellé");
    else "", someone the sentence brings in (« Une habitante âgée de 82 ans a attendu »)."""
    after = _NAMED_AFTER.match(sentence, end)
    for name, at in names:
        if _SAID_BY.search(sentence, 0, at):
            continue  # « Selon Paul Roux, un homme de 45 ans … »: his words, another's age
        if _DESCRIBED_AFTER.fullmatch(sentence, at + len(name), phrase) or (after and after.end() == at):
            return name
    if _DEFINITE_BEFORE.search(sentence, 0, phrase):
        return None
    if role and role.lower() in (w.lower() for w in _WORD.findall(sentence[phrase:end])):
        return None
    return ""


# Between a name and the indefinite phrase describing it: « Paul Roux, un … », « Léa Garnier est
# une … », « Léa Garnier, qui est une … ».
_DESCRIBED_AFTER = re.compile(r"\s*(?:,\s*(?:qui\s+(?:est|était)\s+)?|\s+(?:est|était|fut|devient|reste)\s+)", re.I)
# What makes a name before a comma the source or company of what follows: « Selon Paul Roux, … ».
_SAID_BY = re.compile(r"(?<![\w'’-])(?:selon|d['’]après|pour|avec|comme|chez|aux yeux de)\s+$", re.I)
# Between an age and the name it describes after it: « une Lyonnaise de 28 ans, Léa Garnier ».
_NAMED_AFTER = re.compile(r"\s*,\s*(?=[A-ZÀ-Ý])")
# A definite noun phrase the indefinite one describes, set beside it: « La victime, une … »,
# « Le conducteur du camion, un … ».
_DEFINITE_BEFORE = re.compile(r"(?:^|[.;:!?]\s+)\W*(?:le|la|les|l['’])\s*[^\W\d_][^,;:.!?]{0,60},\s*$", re.I)


def opens_on_another(sentence: str) -> bool:
    """Whether `sentence` speaks first of someone kin to or known by another (« Son père, âgé de
    70 ans, … », « À 70 ans, le père de la skipper … »): an age it says of nobody by name is
    that one's, not the age of whom a pronoun asked about stands for."""
    return _OPENS_ON_ANOTHER.search(sentence) is not None


# Adjectives news sets before a role, which are no role: "le nouveau maire", "la jeune skipper",
# "le premier adjoint", "l'ancienne directrice".
_BEFORE_ROLE = frozenset(
    "nouveau nouvel nouvelle jeune vieux vieil vieille ancien ancienne premier première second seconde dernier "
    "dernière futur future actuel actuelle ex".split()
)


def role_asked(question: str) -> str | None:
    """The role or noun of whom a question asks the age ("Quel âge a le directeur ?": "directeur"),
    None when it asks it of a name or a pronoun ("Quel âge a Thierry Lafon ?", "Quel âge a-t-il ?")."""
    found = _ROLE_ASKED.search(question)
    if found is None:
        return None
    role = next(group for group in found.groups() if group)
    if role.lower() in _BEFORE_ROLE or role.lower().endswith("ième"):
        # "Quel âge a le nouveau maire ?", "… le premier adjoint ?": the noun after the adjective.
        after = _WORD.findall(question[found.end() :])
        return after[0] if after and after[0].lower() not in ("de", "du", "des", "d") else None
    if role.lower() not in ("plus", "moins"):
        return role
    # "Quel âge a la plus jeune victime ?": the noun after the superlative, "victime"; "Quel âge
    # a le plus jeune ?" names none (whom the article calls so is not known).
    after = _WORD.findall(question[found.end() :])
    return after[1] if len(after) > 1 and after[1].lower() not in ("des", "de", "du", "d") else None


def of_the_role_asked(sentences: list[str], question: str, role: str) -> list[str]:
    """Of `sentences` naming the `role` asked, those naming it with the question's complement
    ("Quel âge a le président de l'université ?": « le président de l'université, Bertrand de
    La Roncière », not « la présidente de l'Unef Caen, Inès Morvan »), when one does; else all of
    them (« le maire, Paul Roy » for "… le maire de la ville ?": the article may not repeat it).
    A complement a word in lower case qualifies that the question does not is another's: « le
    maire de la commune voisine », « la directrice de l'entreprise sous-traitante »."""
    complement = re.search(rf"\b{re.escape(role)}\s+{_OF}\s*([^\W\d_][\w-]*)(?:\s+([^\W\d_][\w-]*))?", question, re.I)
    if complement is None:
        return sentences
    role_stem, whose = stem(role.lower()), stem(complement.group(1).lower())
    asked_after = (complement.group(2) or "").lower()

    def with_complement(sentence: str) -> bool:
        pattern = rf"([^\W\d_][\w-]*)\s+{_OF}\s*([^\W\d_][\w-]*)(?:[ \u00a0]([^\W\d_][\w-]*))?"
        for found in re.finditer(pattern, sentence):
            if stem(found.group(1).lower()) == role_stem and stem(found.group(2).lower()) == whose:
                qualifier = found.group(3) or ""
                if qualifier.islower() and qualifier not in STOPWORDS and qualifier != asked_after:
                    continue  # « le maire de la commune voisine »: another commune's
                return True
        return False

    return [sentence for sentence in sentences if with_complement(sentence)] or sentences


# What opens a role's complement: « de la », « de l' », « du », « des », « de », « d' ».
_OF = r"(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])"


# Roles news names in other words, the one for the other (« L'attaquant rennais, Mahamadou
# Nagida, 19 ans » for "Quel âge a le buteur rennais ?"): an apposition naming one is not
# another role than the other.
_ROLES_IN_OTHER_WORDS = (
    frozenset({"buteur", "buteuse", "attaquant", "attaquante", "avant-centre"}),
    frozenset({"chauffeur", "chauffeuse", "conducteur", "conductrice", "chauffard"}),
    frozenset({"patron", "patronne", "directeur", "directrice", "pdg", "dirigeant", "dirigeante"}),
)


def holds_another_role(sentence: str, name: str | None, role: str = "") -> bool:
    """Whether `sentence` sets the person `name` in apposition after a noun phrase a determiner or
    a possessive opens (« Son fromager, Lucas Jeunet, 29 ans », « Samedi, la victime, Marie
    Roux, »): the role the article gives that person, another than the `role` asked, which no
    passage names; not « le jeune Mahamadou Nagida, 19 ans », an adjective, no comma. The phrase
    opens a clause (the sentence's start, or after a comma, « ; », « : »): after a preposition
    (« Selon les gendarmes, Marc Roy, 34 ans », « À l'arrivée, Paul Roy, ») it is fronted, no
    role; nor is the role asked said in other words (« L'attaquant rennais, » for « le buteur
    rennais »)."""
    if not name:
        return False
    apposed = re.search(
        rf"(?:^|(?<=[.!?;:…,]))[\s«\"“(]*(?:son|sa|ses|leur|leurs|le|la|les|l['’])\s*"
        rf"([^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){{0,4}})\s*,\s*{re.escape(name)}",
        sentence,
        re.I,
    )
    if apposed is None:
        return False
    asked = next((roles for roles in _ROLES_IN_OTHER_WORDS if role.lower() in roles), frozenset({role.lower()}))
    return not asked & set(apposed.group(1).lower().split())


def same_person(name: str, names: list[str]) -> bool:
    """Whether `name` is one of `names`: by its last word when either is a last name alone
    (« Maëlle Guivarc » and « Guivarc »), whole when both give a first name (« Jean Dupont » is
    not « Marie Dupont », her husband)."""
    return any(_same_name(name.split(), other.split()) for other in names)


# Titles before a last name, which give no first name: « Mme Dupont » may be « Marie Dupont ».
_TITLES = frozenset({"M.", "Mme", "Mlle", "Me", "Mgr", "Dr", "Pr"})


def _same_name(one: list[str], other: list[str]) -> bool:
    one, other = [w for w in one if w not in _TITLES] or one, [w for w in other if w not in _TITLES] or other
    if len(one) > 1 and len(other) > 1:
        return one == other
    return one[-1] == other[-1]
