"""Who says the words a sentence quotes in « … »: whether they are someone's words at all, not a
name or a title, and the speaker's gender when a person is named saying them. Read outside the
quotation, from the verb of saying that follows it (« … », dénonce le maire; « … », poursuit-elle):
news gives a speaker's words so, and a follow-up asking what "elle" said wants a woman's."""

from __future__ import annotations

import re

from index.analysis import terms

_QUOTATION_MARKS = re.compile("[«»“”]")
_WHOLE_QUOTATION = re.compile(r"«[^»]*»|“[^”]*”")
# A name or a title in « … », not someone's words: a few words, the first capitalised, no stop
# (« Pont-Audemer en commun », « Les Arts sous la toile »).
_NAMED_IN_QUOTATION = re.compile(r"[«“]\s*[A-ZÀ-Þ][^»”\s]*(?:\s+[^»”\s]+){0,4}\s*[»”]")
_ENDS_SPEECH = re.compile(r"[.!?…]\s*[»”]$")
# What follows a quotation's closing mark when a verb of saying comes next: a comma, then the
# verb's first words (« », a-t-elle lancé », « », se souvient la directrice », « », dénonce le maire »).
_AFTER_QUOTATION = re.compile(r"\s*,\s*((?:[\w'’-]+\s*){1,4})")
# After words ending in a stop (« C'est fini ! » lance-t-il), the comma may be left out.
_AFTER_STOPPED_QUOTATION = re.compile(r"\s*,?\s*((?:[\w'’-]+\s*){1,4})")
# The clause announcing a quotation with a colon (« La directrice prévient : « … » »).
_BEFORE_QUOTATION = re.compile(r"(?:^|[.;!?»”]\s*)([^.;!?«»“”]*?)\s*:\s*$")
_SUBJECT_PRONOUNS = {"il": "il", "ils": "il", "elle": "elle", "elles": "elle"}
_WORD = re.compile(r"[\w’'-]+")
# A subject pronoun inverted after its verb (« dit-il », « poursuit-elle », « a-t-elle lancé »).
_INVERTED_PRONOUN = re.compile(r"^[\w’'-]*\w-(?:t-)?(il|elle)s?$", re.I)
# The verbs news writes after someone's words, by their stems (present and past participle).
_SAYING = frozenset(
    terms(
        "dit déclare explique dénonce regrette estime affirme assure souligne indique précise ajoute poursuit "
        "reconnaît reconnu insiste tranche lance confie résume alerte avertit prévient prévenu martèle rappelle "
        "note observe commente constate raconte témoigne souvient agace inquiète indigne félicite réjouit déplore "
        "juge ironise sourit soupire plaide répond réagit conclut annonce promet admet admis concède glisse lâche "
        "souffle détaille relève accuse fustige salue espère craint demande étonne nuance tempère avance défend "
        "justifie reprend continue enchaîne renchérit abonde confirme rassure répète écrit emporte tempête "
        "interroge analyse rapporte raille cingle appuie complète signale lance lancé"
    )
)
# Nouns of a person's role or state, "masculine/feminine", or once when both genders share it
# ("maire", "ministre": the determiner's gender then tells). Institutions (« la préfecture »,
# « le parquet », « la CGT ») are none of them.
_ROLES = (
    "maire président/présidente vice-président/vice-présidente directeur/directrice avocat/avocate "
    "élu/élue adjoint/adjointe préfet/préfète procureur/procureure député/députée sénateur/sénatrice "
    "conseiller/conseillère habitant/habitante riverain/riveraine agriculteur/agricultrice "
    "éleveur/éleveuse viticulteur/viticultrice chercheur/chercheuse professeur/professeure "
    "enseignant/enseignante entraîneur/entraîneuse joueur/joueuse commerçant/commerçante gérant/gérante "
    "fondateur/fondatrice délégué/déléguée représentant/représentante militant/militante "
    "infirmier/infirmière policier/policière voisin/voisine auteur/autrice écrivain/écrivaine "
    "organisateur/organisatrice étudiant/étudiante retraité/retraitée patron/patronne chef/cheffe "
    "docteur/docteure médecin ministre secrétaire porte-parole responsable syndicaliste capitaine juge "
    "père/mère homme/femme pêcheur/pêcheuse salarié/salariée ouvrier/ouvrière employé/employée "
    "technicien/technicienne ingénieur/ingénieure artisan/artisane coordinateur/coordinatrice "
    "animateur/animatrice expert/experte spécialiste scientifique historien/historienne économiste "
    "sociologue biologiste vétérinaire pharmacien/pharmacienne architecte élève bénévole propriétaire "
    "locataire témoin gendarme pompier/pompière"
).split()
_MEN = frozenset(role.split("/")[0] for role in _ROLES)
_WOMEN = frozenset(role.split("/")[-1] for role in _ROLES)
# Every form of the role nouns, as a pattern's alternatives: « l'élu », « la présidente ».
ROLE_NOUNS = "|".join(sorted(_MEN | _WOMEN, key=len, reverse=True))
_DETERMINER_GENDER = {"le": "il", "un": "il", "la": "elle", "une": "elle"}


def quotes_words(sentence: str) -> bool:
    """Whether `sentence` holds someone's words in « … », not only a name or a title: a
    quotation followed by a verb of saying is speech whatever its length (« C'est un
    scandale », dénonce le maire), and so is one that is no name (more than five words, or ending
    in a stop, or in lower case); one name-like quotation said by no one is a name
    (« Pont-Audemer en commun »)."""
    outside = _WHOLE_QUOTATION.sub(" ", sentence)
    if _QUOTATION_MARKS.search(outside):  # opened or closed here, the rest in the next sentence
        return True
    return any(
        not _NAMED_IN_QUOTATION.fullmatch(quotation.group())
        or _ENDS_SPEECH.search(quotation.group())
        or _said_after(sentence[quotation.end() :]) is not None
        for quotation in _WHOLE_QUOTATION.finditer(sentence)
    )


def spoken_by(sentence: str) -> set[str]:
    """The genders ("elle", "il") of who says the quotations `sentence` holds, read from the verb
    of saying after each: its inverted pronoun (« … », poursuit-elle: "elle") or the person
    whose role noun follows it (« … », tranche la directrice; « … », regrette l'élu: "il"); none
    for a name in « … », an institution (« … », indique la préfecture) or a pronoun of
    something else in the sentence (« …, pour qui il est urgent … »)."""
    genders = set()
    for quotation in _WHOLE_QUOTATION.finditer(sentence):
        said = _said_after(sentence[quotation.end() :], bool(_ENDS_SPEECH.search(quotation.group())))
        if said:
            genders |= _speakers_gender(said)
        else:
            genders |= _announcer_gender(sentence[: quotation.start()])
    return genders


def attributed(after: str) -> bool:
    """Whether what follows a quotation ending on a stop attributes it, a verb of saying coming
    next (« ? », s'agace le maire », « ! » lance-t-il); not « ? », reste culte »."""
    return _said_after(after, stopped=True) is not None


def _said_after(after: str, stopped: bool = False) -> list[str] | None:
    """The words after a quotation's closing mark, from the verb of saying that follows it on,
    when one does (« », a-t-il déclaré », « », se souvient la directrice »; after a stop, with
    no comma: « ! » lance-t-il); None otherwise (« », a remporté dimanche le second tour »)."""
    found = (_AFTER_STOPPED_QUOTATION if stopped else _AFTER_QUOTATION).match(after)
    if found is None:
        return None
    words = _WORD.findall(found.group(1))
    for at, word in enumerate(words[:3]):
        if _INVERTED_PRONOUN.match(word) or set(terms(word)) & _SAYING:
            return words[at:]
    return None


def _speakers_gender(said: list[str]) -> set[str]:
    """The gender of who says, from `said` (the verb of saying on): an inverted pronoun among its
    first two words, else the role noun of a person right after a determiner."""
    for word in said[:2]:
        pronoun = _INVERTED_PRONOUN.match(word)
        if pronoun:
            return {pronoun.group(1).casefold()}
    return _role_gender(said[1:5])


def _role_gender(words: list[str]) -> set[str]:
    """The gender of the person whose role noun follows the first determiner among `words` (« la
    directrice », « l'élu »; « la préfecture »: none)."""
    for at, word in enumerate(words):
        lowered = word.casefold().replace("’", "'")
        if lowered in _DETERMINER_GENDER and at + 1 < len(words):
            noun = words[at + 1].casefold()
            gender = _DETERMINER_GENDER[lowered]
            return {gender} if noun in (_WOMEN if gender == "elle" else _MEN) else set()
        if lowered.startswith("l'") and len(lowered) > 2:
            noun = lowered[2:]
            both = (noun in _MEN) + (noun in _WOMEN)
            return {"il" if noun in _MEN else "elle"} if both == 1 else set()
    return set()


def _announcer_gender(before: str) -> set[str]:
    """The gender of who announces a quotation with a colon, the clause before it a subject
    pronoun or a person's role noun, then a verb of saying (« Elle prévient : », « La directrice
    explique : »); none otherwise."""
    found = _BEFORE_QUOTATION.search(before)
    if found is None:
        return set()
    words = _WORD.findall(found.group(1))
    verb = next((at for at, word in enumerate(words) if set(terms(word)) & _SAYING), None)
    if verb is None:
        return set()
    subject = [word.casefold() for word in words[:verb] if word.casefold() not in _AUXILIARIES]
    if subject and subject[-1] in _SUBJECT_PRONOUNS:
        return {_SUBJECT_PRONOUNS[subject[-1]]}
    return _role_gender(words[max(0, verb - 2) : verb])


# What may stand between a subject and its verb of saying (« Elle lui a expliqué : »).
_AUXILIARIES = frozenset("a ont avait avaient lui leur nous vous l' l’ s' s’ se".split())
