"""Questions that lean on an earlier one: "Quel poste occupait-elle avant sa nomination ?"
after "Comment s'appelle le préfet de région ?", "Quelle est sa longueur ?", "Et pour
l'ensemble de l'Union ?".

A conversation is about a *topic*: the last question that stood on its own and the article
its answer quoted first. A question that refers back is answered from that article (its
passages ranked for the question as usual: "elle" is whoever the article is about), and one
that only makes sense with the topic's words ("Et pour l'ensemble de l'Union ?") is searched
with them. A question refers back when it has a pronoun with no subject of its own
("occupait-elle", "elle a dit"), a possessive or demonstrative ("sa longueur", "le titre de
son livre", "ce dernier"), or opens with "Et", "Mais" or "Dont". A question that names its
subject ("Quand la nouvelle préfète arrive-t-elle ?") or changes the subject ("Qui a gagné la
finale ?") starts a new topic, and the impersonal "y a-t-il", "faut-il", "quel temps
fera-t-il" refer to nothing.

A follow-up's own years, figures and names ("Et en 2020 ?", "Et Macron ?") must be in the
passage that answers it: a passage that holds only its topic's words would quote the topic
again (`Reading.required`). An interrogative alone that names what it asks about ("Combien de
munitions ?") is read in its topic's articles when they hold that word, and as a question of
its own when they do not (`Reading.subject`, `Reading.standing_alone`): "Combien de morts ?"
after a question on an attack is the attack's toll, "Combien de voyageurs ?" after one on the
castors is not about them.

Pure functions of the text: French surface rules, no model.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from index.analysis import WHICH, names_in, terms
from index.article_questions import (
    APOSTROPHES,
    Detail,
    asks_for_detail,
    asks_to_read_on,
    asks_what_it_is_about,
    asks_whats_new,
    names_a_work,
    subject_asked_about,
    with_article_set_before,
    without_other,
)
from index.calendar_words import MONTH_NAMES
from index.measures import asked_measure
from index.spelling import respell

_OPENING = re.compile(r"^\s*(?:et|mais|dont)\b", re.I)
# "De quoi parlent les articles ?", "Résume ces textes": the articles in the plural are every
# article the library holds (its latest, in a large one), not the one the conversation was on.
_ARTICLES_PLURAL = re.compile(r"\b(?:les|ces|tes|vos|tous les) (?:articles|textes)\b", re.I)
# "Dont combien pour le casque ?": a relative with nothing before it to relate to, whatever follows.
_RELATIVE_OPENING = re.compile(r"^\s*dont\b", re.I)
# "ce projet", "cette femme": a thing named before; "cette année", "ce matin", "ces prochaines
# semaines", "ces derniers mois" are times, and "ce que", "qu'est-ce qui", "ce dont" name nothing.
_TIME_NOUNS = frozenset(
    "an année années mois semaine semaines jour jours matin midi après-midi soir soirée nuit week-end weekend "
    "été hiver printemps automne saison siècle moment temps lundi mardi mercredi jeudi vendredi samedi dimanche "
    "fois".split()
)
_TIME_ADJECTIVES = frozenset("prochain prochaine prochains prochaines dernier dernière derniers dernières".split())
_TIME_WORDS = _TIME_NOUNS | _TIME_ADJECTIVES  # what may follow a demonstrative in a time
_DEMONSTRATIVE_NOUN = re.compile(r"\b(?:ce|cet|cette|ces)\s+(?!qu|dont\b|quoi\b)([\w-]+)", re.I)
# "Ce dernier", "celle-ci": someone named before; "ces derniers mois" is a time.
_DEMONSTRATIVE = re.compile(
    r"\b(?:(?:ce dernier|cette dernière|ces derniers|ces dernières)(?!\s+(?:"
    + "|".join(sorted(_TIME_NOUNS, key=len, reverse=True))
    + r")\b)|(?:celui|celle|ceux|celles)-(?:ci|là))\b",
    re.I,
)
_POSSESSIVE = re.compile(r"\b(?:son|sa|ses|leur|leurs)\b", re.I)
_BE = r"(?:est|sont|était|étaient|fut|sera|seront)\b"
# "Qui a présenté sa démission ?", "Quel pays a augmenté son budget ?": the asked-about subject
# owns the possessive (but not in "Qui sont ses prédateurs ?", "Quelle est sa longueur ?").
_SUBJECT_OWNS = re.compile(rf"^\s*(?:qui|(?:quel|quelle|quels|quelles)\s+(?!{_BE})[\w-]+)\s+(?!{_BE})\w", re.I)
# "Quel est …", "Qui sont …" with no relative after them: what follows the verb is what is asked.
_ASKS_WHAT_IT_IS = re.compile(
    rf"^\s*(?:quel|quelle|quels|quelles|qui)\s+{_BE}(?!.*(?:\b(?:qui|que|dont)\b|\bqu'))", re.I | re.S
)
# What may follow "Et" / "Mais" in a question that only makes sense with the one before it:
# a few words and no verb ("Et pour l'ensemble de l'Union ?", "Et en 2020 ?").
_FINITE_VERB = re.compile(r"\b(?:est|sont|était|étaient|a|ont|avait|fut|sera|seront|fait|font|peut|doit)\b", re.I)
ELLIPSIS_WORDS = 6
_SUBJECT = re.compile(r"(?<![-\w])(?:il|elle|ils|elles)\b", re.I)
# Verbs whose "il" is nobody, before it ("il faut") or after it ("faut-il").
_IMPERSONAL_VERBS = (
    r"faut|fallait|faudra|faudrait|reste|restait|restera|existe|semble|paraît|vaut|suffit|pleut|neige|passe|passera"
)
_IMPERSONAL = re.compile(
    rf"\bil\s+(?:y\b|s'agit|{_IMPERSONAL_VERBS}"
    r"|fait\s+(?:beau|froid|chaud|nuit|jour)|est\s+(?:possible|vrai|nécessaire|utile|question|temps|interdit|prévu))",
    re.I,
)
_INVERTED = re.compile(r"\b(\w+)-(?:t-)?(il|elle|ils|elles)\b", re.I)
_IMPERSONAL_INVERTED = re.compile(
    rf"\b(?:y (?:a|avait|aura|aurait|eut)|agit|{_IMPERSONAL_VERBS}|temps (?:fait|fera|faisait)|heure est)-(?:t-)?il\b"
    r"|\bs'est-il\s+(?:passé|produit)\b|\bva-t-il\s+(?:se\s+passer|falloir|y\s+avoir)\b|\bqu'est-il\s+(?:arrivé|advenu)\b",
    re.I,
)
# "Combien de bénévoles ont-ils participé ?": a complex inversion, its plural pronoun repeating
# the plural noun counted just before the verb, which is the subject (not someone named before).
_COUNTED_SUBJECT_INVERTED = re.compile(r"^\s*combien\s+(?:de\s+|d')\w+[sx]\s+\w+-(?:t-)?(?:ils|elles)\b", re.I)
_OBJECT = re.compile(r"\b(?:l'|les\s+)(?:a|ont|avait|avaient|aura|auront)\b", re.I)
# "Qui a dit ça ?", "Pourquoi cela ?", "Ça change quoi ?": what was just said, unless a comma
# sets before it a subject of the question's own ("Les lycées qui ouvrent à 8 heures, ça change
# quoi ?"). Not `_POINTING_BACK`, which differs on purpose (on 10 of 4,135 eval and conversation
# questions): a whole question, "C'est quoi le Hunsrückisch ?" asks of a subject it names.
_THAT = re.compile(r"(?<![,\s])\s*\b(?:ça|cela)\b|^\s*(?:ça|cela)\b", re.I)
# "Qu'est-ce qui l'inquiète ?", "Qui la remplace ?", "Qui lui succède ?": the one asked about
# does it to someone named before, the pronoun before a verb in lower case ("Qui la France
# affronte-t-elle ?" names its subject: an inverted verb after it is checked as usual).
_ASKED_DOES_TO_IT = re.compile(r"^\s*(?i:qui|qu'est-ce qui|qu'est ce qui)\s+(?i:l'|(?:le|la|les|lui|leur)\s+)[a-zà-ÿ]")
# What opens a question before its verb: a preposition, then an interrogative word or phrase.
# The words that ask, "quel" and its forms apart (`WHICH`: they come before the noun asked about).
_ASKING = "combien|que|quoi|quand|où|comment|pourquoi|qui|lequel|laquelle|lesquels|lesquelles"
_INTERROGATIVE = re.compile(
    r"^\s*(?:(?:à|a|de|d'|en|dans|pour|par|depuis|jusqu'à|avec|sur|contre|vers|chez|selon|sous|entre|pendant"
    r"|après|avant)\s*)?"
    rf"(?:(?:{WHICH}|combien\s+(?:de|d')\s*)\s*\w[\w-]*(?:\s+(?:de|d'|du|des)\s*\w[\w-]*)*"
    rf"|{_ASKING}|qu')",
    re.I,
)
_CLITICS = frozenset("ne n' se s' y en l' le la les lui leur me m' te t' nous vous".split())
_DETERMINERS = frozenset(
    "le la les l' un une des du au aux ce cet cette ces mon ma mes ton ta tes son sa ses notre nos votre vos "
    "leur leurs chaque plusieurs certains certaines tout toute tous toutes".split()
)
_TOKEN = re.compile(r"\w+'|[\w-]+")
# What an interrogative alone asks for without naming a subject ("Quel âge ?", "En quelle
# année ?", "Combien de temps ?", "Quelle ville ?"): the words of the question before say of what.
_KINDS_ASKED = frozenset(
    "âge temps date jour jours année années heure heures moment mois semaine semaines siècle époque "
    "lieu lieux endroit endroits ville villes pays région département quartier rue adresse "
    "nom noms prénom titre rôle poste fonction métier profession nationalité parti camp équipe "
    "prix montant coût somme nombre chiffre part taux pourcentage quantité durée fois distance "
    "taille poids hauteur longueur surface niveau score résultat bilan "
    "raison raisons cause but moyen façon manière genre type sorte nature origine langue "
    "personne personnes gens peine sanction condamnation maladie minute minutes mot chose sujet".split()
)
_INTERROGATIVE_WORDS = frozenset(
    "quel quelle quels quelles combien que qu' quoi quand où comment pourquoi qui lequel laquelle lesquels "
    "lesquelles de d' du des à a en dans pour par depuis jusqu' avec sur contre vers chez selon sous entre "
    "pendant après avant ça ca donc alors exactement précisément".split()
)
# A number a passage must hold as written: a year or a figure of three digits or more ("1 456"
# as "1456"). Smaller ones are often written in words ("pendant 2 ans": "pendant deux ans").
_NUMBER = re.compile(r"(?<![\d.,])\d(?:[ \u00a0\u202f]?\d){2,}(?![\d.,]\d)")
# "c'" or "ça" in the few words after "Et" (`asks_at_its_end`): there, after a comma too ("les
# 1,5 %, c'était quand ?"), and "c'", since those few words name nothing new; not `_THAT`,
# which reads whole questions.
_POINTING_BACK = re.compile(r"(?:^|[\s,])(?:c'|ça\b|ca\b|cela\b)", re.I)
# Without "Et", only a question opening on it points back ("C'est quand ?", "Ça s'est passé où ?"):
# "La fête de la musique c'est quand ?" names its subject before it.
_OPENS_POINTING_BACK = re.compile(r"\s*(?:c'|ça\b|ca\b|cela\b)", re.I)
_ASKING_AT_END = re.compile(r"\s(?:quand|qui|où|combien|quoi|comment|pourquoi)\s*[?!.…]*\s*$", re.I)
_ASKS_TO_REPEAT = frozenset(["comment", "quoi", "que", "comment ça", "quoi donc", "comment donc"])
# Tried only where a run of spaces starts (the match found is the same): tried from each of
# 4,000 spaces, each split three ways, it took minutes.
_TRAILING_WORD = re.compile(r"(?<!\s)(?:\s*,)?\s+(?:ça|ca|donc|alors|exactement|précisément)$", re.I)


@dataclass(frozen=True)
class Topic:
    """What a conversation is about: the question that opened it, and the articles its answer
    quoted first (none when it was declined); `read_to`, where the last quote shown first ends
    (passage id, offset in its text), which "La suite ?" reads on from."""

    question: str
    articles: tuple[int, ...] = ()
    read_to: tuple[int, int] | None = None


@dataclass(frozen=True)
class Reading:
    """How a question is answered: `search` is the text retrieved and weighed (the question,
    or the topic's question and the question when it only makes sense with it), `articles`
    the articles it is answered from (empty: the whole library) and `topic` the topic it
    follows (None: it stands on its own, and opens a topic)."""

    question: str
    search: str
    articles: tuple[int, ...] = ()
    topic: Topic | None = None
    about: bool = False  # it asks what the articles are about (`asks_what_it_is_about`)
    detail: Detail | None = None  # the article's detail it asks for (`asks_for_detail`)
    # The detail, or what it is about, is of the article its subject finds ("Qui a écrit
    # l'article sur le castor ?", "De quoi parle l'article sur Montréal ?"): `search` is that
    # subject, searched like a question.
    by_subject: bool = False
    latest: bool = False  # it asks what is new (`asks_whats_new`): the latest articles
    read_on: bool = False  # it asks what the article says next (`asks_to_read_on`): `topic.read_to` on
    # Years, figures and names the follow-up adds to its topic ("Et en 2020 ?"): a passage that
    # holds none of them does not answer it (`added_specifics`).
    required: tuple[str, ...] = ()
    # What an interrogative alone names ("Combien de munitions ?": `asked_subject`): passages
    # that hold it come first; when none of the topic's articles does, it stands on its own.
    subject: tuple[str, ...] = ()
    # Words of the question read as the library's (`index.spelling`: "Strutthof" as "Stutthof"),
    # each (as typed, as read); `search` holds them as read.
    respelled: tuple[tuple[str, str], ...] = ()
    # It asks what the one its topic's answer spoke of said (`asks_what_was_said`): the
    # quotation nearest the last quote answers it.
    said: bool = False
    # The conversation's topic, when it asks of "l'autre article" ("De quoi parle l'autre
    # article ?": `index.article_questions.without_other`): it is about other articles than
    # the topic's (`besides`), and the topic stays the conversation's when none can be told.
    other_than: Topic | None = None

    @property
    def of_articles_meant(self) -> bool:
        """Whether it asks about articles it does not search for: what the latest are about,
        what the articles meant are about, what the article read says next, or one of their
        details, naming no subject (the conversation's articles, or a small library's)."""
        return self.latest or self.read_on or ((self.about or self.detail is not None) and not self.by_subject)

    @property
    def besides(self) -> tuple[int, ...]:
        """The articles it is not about: those of the conversation, when it asks of "l'autre article"."""
        return self.other_than.articles if self.other_than is not None else ()

    @property
    def standing_alone(self) -> Reading | None:
        """For an interrogative alone that names its subject, read in its topic's articles
        ("Combien de voyageurs ?" after a question on the castors): the same question asked
        alone of the whole library, its subject still to be held, for when those articles
        never name it. None for any other reading."""
        if not (self.subject and self.articles):
            return None
        return replace(self, search=self.own, articles=(), topic=None, required=())

    @property
    def own(self) -> str:
        """The question in its own words, as read (`respelled`), without its topic's."""
        return respell(self.question, dict(self.respelled))

    @property
    def follows(self) -> bool:
        return self.topic is not None

    @property
    def judged(self) -> str:
        """What the decision to answer weighs the best passage against: the question as it is
        understood, with its topic ("Quelle est sa longueur ?" holds one word of its own)."""
        question = self.own
        if self.topic is None or self.search != question:
            return self.search
        return _with_topic(self.topic, question)


# A web address written in a question ("Que dit cette page https://… sur les travaux ?"), up to
# the space, guillemet or bracket after it, without the punctuation that ends its sentence.
_ADDRESS = re.compile(r"\b(?:https?://|www\.)[^\s«»<>\"()]*[^\s«»<>\"().,;:!?]", re.IGNORECASE)
_EMPTY_BRACKETS = re.compile(r"\(\s*\)")  # what held the address alone


def read(question: str, topic: Topic | None = None) -> Reading:
    """How `question` is answered when its conversation is about `topic` (None: no earlier question)."""
    if _ADDRESS.search(question) and (
        without_address := " ".join(_EMPTY_BRACKETS.sub(" ", _ADDRESS.sub(" ", question)).split())
    ):
        # The page an address names is what the question asks of, not the conversation's article
        # ("cette page" read as a follow-up of it); and the address's port, path or host are no
        # words of the question: read as its own figures, "Je n'ai rien trouvé sur « 8080 »".
        return read(without_address)
    news = asks_whats_new(question)
    if news is not None:  # "Quoi de neuf ?": the latest articles, whatever came before
        return Reading(question, news.subject) if news.subject else Reading(question, question, latest=True)
    if asks_to_read_on(question):  # "La suite ?": where the conversation's last quote ends
        return Reading(question, question, topic.articles if topic else (), topic, read_on=True)
    # "Qui l'a écrit ?": the article's author, unless the conversation is about another written
    # work ("Qui a écrit ce roman ?"), which the pronoun would stand for.
    of_article = topic is not None and bool(topic.articles) and not names_a_work(topic.question)
    # "Et l'article sur l'incendie, de quand date-t-il ?": asked of the article named before it.
    set_before = with_article_set_before(question)
    of_it = set_before or question
    # "De quoi parle l'autre article ?": the library's articles but the conversation's.
    other = without_other(of_it) if topic is not None and topic.articles else None
    of_it, other_than = (other, topic) if other is not None else (of_it, None)
    asked = asks_for_detail(
        of_it,
        pronoun_means_article=of_article or set_before is not None,
        article_is_topic=(of_article and _of_article(topic)) or set_before is not None,
    )
    if asked is not None and asked.subject is not None:  # the article its subject finds
        return Reading(question, asked.subject, detail=asked.detail, by_subject=True)
    subject = subject_asked_about(of_it)
    if subject is not None:  # "De quoi parle l'article sur Montréal ?": the opening of the one it finds
        return Reading(question, subject, about=True, by_subject=True)
    if other_than is not None and (asked is not None or asks_what_it_is_about(of_it)):  # the other articles' openings
        detail = asked.detail if asked is not None else None
        return Reading(question, question, about=asked is None, detail=detail, other_than=other_than)
    if asked is not None or asks_what_it_is_about(of_it):  # the topic's article, if there is one
        of_them_all = asked is None and _ARTICLES_PLURAL.search(of_it) is not None
        articles = topic.articles if topic is not None and not of_them_all else ()
        detail = asked.detail if asked is not None else None
        return Reading(question, question, articles, topic if articles else None, about=asked is None, detail=detail)
    if topic is None or not topic.question.strip():
        return Reading(question, question)
    dislocated = dislocated_subject(question)
    if dislocated:  # "Et la course cycliste, qui l'a gagnée ?": of the topic's articles if they name it
        return Reading(question, question, topic.articles, topic if topic.articles else None, subject=dislocated)
    if not refers_back(question):
        return Reading(question, question)
    required = added_specifics(question, topic.question)
    if topic.articles and asks_what_was_said(question):
        # "Qu'a-t-elle dit ?": what the topic found, her quotation beside it; "dit" is not what
        # it is about, and judged with it, the passage found would no longer be relevant.
        return Reading(question, topic.question.strip(), topic.articles, topic, said=True)
    subject = asked_subject(question) or added_words(question, topic.question)
    elliptical = _OPENING.match(question.translate(APOSTROPHES)) or is_bare_interrogative(question)
    if elliptical or not _own_terms(question) or not topic.articles:
        # Elliptical ("Et pour l'Union ?", "Quand ?"), with no word of its own to search ("Qui
        # est-elle ?": its own words would find "…, a-t-elle déclaré"; "Comment s'appelle-t-il
        # ?", "appelle"), or with no article to read it in: the topic's words.
        search = _with_topic(topic, question)
        return Reading(question, search, topic.articles, topic, required=required, subject=subject)
    return Reading(question, question, topic.articles, topic, required=required)


# "Et la course cycliste, qui l'a gagnée ?", "Le chancelier, qu'a-t-il dit ?": a noun phrase or a
# name set before the question with a comma (a left dislocation), which its pronouns stand for.
# Not a phrase opened by a demonstrative or a possessive ("Et ce projet, il coûte combien ?",
# "Et sa femme, qu'a-t-elle dit ?"), which points back, nor a preposition ("Et pour la France,
# combien ?"), nor a time ("Et l'an dernier, combien étaient-ils ?").
_DISLOCATED = re.compile(
    r"^\s*(?:(?:et|mais)\s+)?(?P<phrase>(?:(?:le|la|les|un|une|des|du)\s+|l')[\w'-]+(?:\s+[\w'-]+){0,4}"
    r"|[A-ZÀ-Ý][\w-]*(?:\s+[A-ZÀ-Ý][\w-]*){0,3})\s*,\s*(?P<rest>\S.*)$",
    re.S,
)
_LEADING = re.compile(r"^\s*(?:(?:et|mais)\s+)", re.I)


def dislocated_subject(question: str) -> tuple[str, ...]:
    """The words of the noun phrase `question` sets before its question with a comma ("Et la
    course cycliste, qui l'a gagnée ?": "course", "cycliste"; "Et Inès Morel, quel rôle
    chante-t-elle ?": "Inès", "Morel"), whom its pronouns stand for: the question names its
    subject, and is read in its topic's articles only when they name it (`Reading.subject`),
    like an interrogative that names what it asks about. None for any other question."""
    text = question.translate(APOSTROPHES)
    opening = _LEADING.match(text)
    body = text[opening.end() :] if opening else text
    match = _DISLOCATED.match(body[:1].lower() + body[1:] if _starts_with_determiner(body) else body)
    if match is None or not match["rest"].strip(" ?!.…"):
        return ()
    phrase = match["phrase"]
    if _FINITE_VERB.search(phrase) or _INVERTED.search(phrase):
        return ()
    # A capital alone that opens the message may only open the sentence ("Bon, et alors ?",
    # "Oui, mais combien ?"): a name is one after "Et", or of two words ("Élise Carpentier, …").
    if phrase[:1].isupper() and opening is None and len(phrase.split()) < 2:
        return ()
    words = [w for w in _TOKEN.findall(phrase) if w.casefold() not in _DETERMINERS | _INTERROGATIVE_WORDS]
    # The article itself ("Et l'article sur l'incendie, de quand date-t-il ?") is no subject the
    # articles name: questions on it are `index.article_questions`'.
    if not words or words[0].casefold() in _TIME_WORDS | _TIME_NEIGHBOURS | _ASPECTS:
        return ()
    if any(w.casefold() in _WRITINGS for w in words):  # "Et l'autre texte, qu'en dit-il ?" too
        return ()
    # Each word of a compound apart, its prepositions left out: "contre-la-montre" is held by
    # "montre", not by any "contre" of the topic's article.
    parts = (p for w in words for p in w.split("-"))
    return tuple(p for p in parts if p.casefold() not in _DETERMINERS | _INTERROGATIVE_WORDS and terms(p))


# Times a phrase may open with besides `_TIME_WORDS` ("Et le lendemain, qu'a-t-il fait ?").
_TIME_NEIGHBOURS = frozenset("lendemain veille surlendemain début fin suite reste".split())
# What a phrase says of the topic itself rather than naming another subject: a filler ("Et du
# coup, qui est leur propriétaire ?", "Et le pire, c'est quoi ?") or an aspect of what the
# conversation is about ("Et la date, c'est quand ?", "Et le bilan, combien de morts ?").
_ASPECTS = frozenset(
    "coup pire mieux principal essentiel important question problème date lieu heure raison cause "
    "bilan résultat chiffre montant nombre total coût".split()
)
_WRITINGS = frozenset("article articles texte textes document documents dépêche dépêches".split())


def _starts_with_determiner(text: str) -> bool:
    first = _TOKEN.match(text.lstrip())
    return first is not None and first.group().casefold() in _DETERMINERS


def _of_article(topic: Topic) -> bool:
    """Whether `topic`'s question was asked of its article itself: one of its details ("Qui a
    écrit l'article sur le sommeil ?") or what it is about."""
    question = topic.question
    return (
        asks_for_detail(question) is not None or asks_what_it_is_about(question) or bool(subject_asked_about(question))
    )


# Words that ask for a name ("Comment s'appelle-t-il ?", "Quel est son nom ?"): the passage
# that answers names the one the topic is about, and seldom says "appelle" or "nom".
_NAMING_TERMS = frozenset(terms("appelle appellent appelait appelaient nomme nomment nommait nom noms prénom prénoms"))


# Verbs of saying in a question asking who said it ("Qui l'a dit ?", "Qui a dit ça ?"): what was
# said is the topic's, and the passage quoting it says "a estimé", "a lancé" as often as "a dit".
_SAYING_TERMS = frozenset(terms("dit dite dits dites déclaré déclarée affirmé affirmée"))
_ASKS_WHO = re.compile(r"^\s*qui\b", re.I)


# "Qu'a-t-elle dit ?", "Que dit-il ?", "Qu'est-ce qu'il a déclaré ?", "Qu'en dit-elle ?": what,
# asked of a subject pronoun.
_ASKS_WHAT = re.compile(r"^\s*(?:qu'|que\b)", re.I)
# "Et elle, qu'a-t-elle dit ?", "Et lui, que dit-il ?": a stressed pronoun set before the question
# (a left dislocation, as `dislocated_subject` reads a noun's) names nobody new: it points, as the
# subject pronoun after it does, to the one the last answer spoke of.
_STRESSED_PRONOUN_FIRST = re.compile(r"^\s*(?:(?:et|mais)\s+)?(?:lui|elle|eux|elles)\s*,\s*", re.I)


def asks_what_was_said(question: str) -> bool:
    """Whether `question` asks only what the one it points to said ("Qu'a-t-elle dit ?", "Que
    dit-il ?", "Qu'a-t-il déclaré ?", "Et elle, qu'a-t-elle dit ?"; not "Que dit-il de
    Poutine ?", which says of what): news reports it as a quotation, seldom with "dit" (« … »,
    affirme-t-il), most often beside the sentence that named the speaker, so its words find
    nothing, and the topic's find that sentence."""
    text = question.translate(APOSTROPHES)
    own = terms(text)
    return (
        _ASKS_WHAT.match(_STRESSED_PRONOUN_FIRST.sub("", text, count=1)) is not None
        and (_SUBJECT.search(text) is not None or _INVERTED.search(text) is not None)
        and bool(own)
        and set(own) <= _SAYING_TERMS
    )


# The subject pronoun of a question asking what someone said: "Qu'a-t-elle dit ?", "Que disent-ils ?".
_SPEAKER_PRONOUN = re.compile(r"(?:-t-|-|(?<![\w'-]))(elles?|ils?)(?![\w'-])", re.I)


def speaker_pronoun(question: str) -> str | None:
    """The gender ("elle" or "il") of the pronoun standing for whom `question` asks about ("Et
    elle, qu'a-t-elle dit ?": "elle"; "Que disent-ils ?": "il"), None when it has none ("Qu'a-t-on
    dit ?")."""
    found = _SPEAKER_PRONOUN.search(question.translate(APOSTROPHES))
    return found.group(1).casefold().rstrip("s") if found else None


def _own_terms(question: str) -> list[str]:
    """The terms of `question` that say what it is about, beyond asking for a name or for who
    said what the topic is about."""
    asked = _NAMING_TERMS | _SAYING_TERMS if _ASKS_WHO.match(question) else _NAMING_TERMS
    return [term for term in terms(question) if term not in asked]


def _with_topic(topic: Topic, question: str) -> str:
    """The question as understood: its topic's words, then its own."""
    return f"{topic.question.strip()} {question.strip()}"


def refers_back(question: str) -> bool:
    """Whether `question` leans on something said before it (see the module docstring)."""
    text = question.translate(APOSTROPHES)
    # "Et …", "Mais et …": each opening word set aside in turn, in a loop (called on what
    # follows each, a thousand "et" in a row went deeper than Python's recursion limit).
    while True:
        if is_bare_interrogative(text) or _RELATIVE_OPENING.match(text):
            return True
        opening = _OPENING.match(text)
        if opening is None:
            break
        text = text[opening.end() :].lstrip(" ,")
        if is_elliptical(text) or asks_at_its_end(text):
            return True
    # "C'était quand ?", "C'est combien ?", "Ça coûte combien ?" without "Et": a few words on what
    # was just said, asking at their end as spoken French does (searched alone, "C'était quand ?"
    # after the answer on a rockfall quoted another year's), when they open on « c' », « ça »,
    # « cela »: "Le nouveau maire c'est qui ?" asks of the subject it names.
    if _OPENS_POINTING_BACK.match(text) and asks_at_its_end(text):
        return True
    if _DEMONSTRATIVE.search(text) or _OBJECT.search(text) or _THAT.search(text):
        return True
    if _ASKED_DOES_TO_IT.match(text) and not _INVERTED.search(text):
        return True
    if any(m.group(1).casefold() not in _TIME_WORDS for m in _DEMONSTRATIVE_NOUN.finditer(text)):
        return True
    if has_pronoun_subject(text):
        return True
    possessive = _POSSESSIVE.search(text)
    return possessive is not None and not _owner_before(text[: possessive.start()])


def has_pronoun_subject(question: str) -> bool:
    """Whether the subject of `question` is a pronoun standing for someone or something named
    before ("Quel âge a-t-il ?", "Elle a quel âge ?"), not an impersonal "il" ("Combien de temps
    faut-il ?") nor one the question names ("Quel âge le président a-t-il ?")."""
    text = question.translate(APOSTROPHES)
    inverted = _INVERTED.search(text)
    if inverted is not None:
        return (
            not _IMPERSONAL_INVERTED.search(text)
            and not _names_subject(text[: inverted.start(1)])
            and not _COUNTED_SUBJECT_INVERTED.match(text)
        )
    return any(m.group().casefold() != "il" or not _IMPERSONAL.match(text, m.start()) for m in _SUBJECT.finditer(text))


def added_specifics(question: str, before: str) -> tuple[str, ...]:
    """The years and figures (digits only: "1 456" as "1456") and the names `question` holds
    that the question `before` it does not ("Et en 2020 ?" after a question on 2023, "Et
    Macron ?")."""
    text, before = question.translate(APOSTROPHES), before.translate(APOSTROPHES)
    said = {w.casefold() for w in _TOKEN.findall(before)} | set(_numbers(before))
    found = _numbers(text) + [name for _, name in names_in(text)]
    return tuple(dict.fromkeys(w for w in found if w.casefold() not in said))


# A year a question names ("… abattus en 2021 ?", "Que s'est-il passé en 1789 ?"); not a decade
# ("les années 1960") nor a bound ("avant 1800", "après 1945"), which the years inside answer
# ("En 1958, …", "À partir du XIXe siècle, …").
_YEAR_NAMED = re.compile(r"(?<!années )(?<!avant )(?<!après )(?<![\d.,])(?:1[0-9]{3}|20[0-9]{2})(?![\d.,]?\d)", re.I)


def years_named(question: str) -> tuple[str, ...]:
    """The years `question` names, once each ("Combien de loups ont été abattus en 2021 ?":
    "2021"). News dates each figure it gives: a year asked that no passage holds is a figure
    the library does not give, even when every other word of the question is there."""
    return tuple(dict.fromkeys(_YEAR_NAMED.findall(question)))


# A month a question dates what it asks by: « en octobre », « au mois d'août », « le 3 mars »,
# « début mai », « mi-juin »; not a name holding one (« la place du 8-Mai »).
_MONTH_NAMED = re.compile(
    rf"(?<![\w'’-])(?:en|au mois de|au mois d['’]|le \d{{1,2}}(?:er)?|début|fin|mi-)\s*({MONTH_NAMES})(?![\w'’-])",
    re.I,
)


def months_named(question: str) -> tuple[str, ...]:
    """The months `question` dates what it asks by, lower case, once each ("Combien de navires
    ont été déchargés en octobre ?": "octobre")."""
    return tuple(dict.fromkeys(month.lower() for month in _MONTH_NAMED.findall(question)))


def _numbers(text: str) -> list[str]:
    return [re.sub(r"\D", "", number) for number in _NUMBER.findall(text)]


def added_words(question: str, before: str) -> tuple[str, ...]:
    """The words of an elliptical "Et …" follow-up that say what it asks of instead of its
    topic's ("Et les vélos ?" after "Combien de trottinettes étaient mal garées ?": "vélos";
    "Et le pouvoir d'achat ?": "pouvoir", "achat"), beyond the names and numbers it adds
    (`added_specifics`); none for any other question."""
    text = question.translate(APOSTROPHES)
    opening = _OPENING.match(text)
    if opening is None:
        return ()
    rest = text[opening.end() :].lstrip(" ,")
    if not is_elliptical(rest):
        return ()
    said = set(terms(before))
    words = [
        w for w in _TOKEN.findall(rest) if w[:1].islower() and w.casefold() not in _INTERROGATIVE_WORDS | _KINDS_ASKED
    ]
    return tuple(w for w in words if (own := terms(w)) and not set(own) <= said)


def asked_subject(question: str) -> tuple[str, ...]:
    """The words an interrogative alone names beyond what it asks for ("Combien de
    munitions ?": "munitions"; "Quel âge ?", "Quand ?": none); none for any other question."""
    text = question.translate(APOSTROPHES)
    if not is_bare_interrogative(text):
        return ()
    words = _TOKEN.findall(text)
    return tuple(w for w in words if w.casefold() not in _INTERROGATIVE_WORDS | _KINDS_ASKED)


# Any word that asks: a question that holds one says what it asks for ("Et combien pour Lyon ?").
_ASKING_WORD = re.compile(rf"\b(?:(?:{WHICH}|{_ASKING}|est-ce)(?!\w)|qu')", re.I)


def asks_as_its_topic(question: str) -> bool:
    """Whether `question` is an ellipsis that asks what its topic asked, of something else:
    it opens on "Et"/"Mais", holds no word that asks and names no measure ("Et l'écran ?"
    after "Combien coûte une batterie ?" asks a price, "Et à Lyon ?" after "Quand ouvre le
    musée ?" a date; "Et le prix du ticket ?" asks a price whatever came before)."""
    text = question.translate(APOSTROPHES)
    return _OPENING.match(text) is not None and _ASKING_WORD.search(text) is None and asked_measure(text) is None


def is_bare_interrogative(question: str) -> bool:
    """An interrogative alone ("Quand ?", "Pourquoi ?", "Depuis quand ?", "Quel âge ?"), which
    asks it of the question before. "Comment ?" and "Quoi ?" ask to repeat, not this."""
    text = question.translate(APOSTROPHES).strip().rstrip("?!. ")
    if text.casefold() in _ASKS_TO_REPEAT or _words_up_to(text, ELLIPSIS_WORDS) > ELLIPSIS_WORDS:
        return False
    return _INTERROGATIVE.fullmatch(_TRAILING_WORD.sub("", text)) is not None


def asks_at_its_end(text: str) -> bool:
    """A few words that point back with "c'" or "ça" and ask at their end, as spoken French
    does ("les 1,5 %, c'était quand ?", "et ça coûte combien ?"): after "Et", a question on
    what the one before said. One that names a new subject ("Et la réforme a été adoptée
    quand ?", "Et Emmanuel Macron est né où ?") stands on its own."""
    return (
        _words_up_to(text, ELLIPSIS_WORDS + 2) <= ELLIPSIS_WORDS + 2
        and _POINTING_BACK.search(text) is not None
        and _ASKING_AT_END.search(text) is not None
    )


def is_elliptical(text: str) -> bool:
    """A few words with no verb, which only the question before completes."""
    words = _words_up_to(text, ELLIPSIS_WORDS)
    return 0 < words <= ELLIPSIS_WORDS and not _INVERTED.search(text) and not _FINITE_VERB.search(text)


def _words_up_to(text: str, most: int) -> int:
    """How many words `text` has, counted up to `most` + 1: whether it is a few words is
    known from its first ones (the rules above ask it of each rest of "Et et et …", and counting
    all the words each time made a long one take seconds)."""
    return sum(1 for _ in itertools.islice(_TOKEN.finditer(text), most + 1))


def _owner_before(before: str) -> bool:
    """Whether the words before a possessive may own it: the subject asked about, a noun
    phrase or a name. After "Quel est" or "Qui est", the noun phrase is what is asked, not an
    owner ("Quel est le titre de son livre ?"), unless a relative gives it a verb ("Quel est
    le pays qui a augmenté son budget ?"): only a name may own it there."""
    if _SUBJECT_OWNS.match(before):
        return True
    words = _TOKEN.findall(before)[1:]
    if _ASKS_WHAT_IT_IS.match(before):
        return any(w[:1].isupper() for w in words)
    return _names_something(words)


def _names_subject(before_verb: str) -> bool:
    """Whether the words before an inverted verb hold its subject ("Quand *la préfète*
    arrive-t-elle ?"), beyond the interrogative that opens the question and the clitics
    just before the verb."""
    opening = _INTERROGATIVE.match(before_verb)
    words = _TOKEN.findall(before_verb[opening.end() :] if opening else before_verb)
    while words and words[-1].casefold() in _CLITICS:
        words.pop()
    return _names_something(words)


def _names_something(words: list[str]) -> bool:
    """A noun phrase (a determiner) or a name (a capital) among `words`."""
    return any(w.casefold() in _DETERMINERS or w[:1].isupper() for w in words)
