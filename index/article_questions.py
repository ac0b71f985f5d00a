"""Questions about the articles themselves rather than about what they report: what an article
is about ("De quoi parle l'article ?", answered with its opening lines), its details ("Quelle
est la date de l'article ?", "Qui a écrit l'article ?", "Tu as le lien ?", answered with its
card), what is new ("Quoi de neuf ?", answered with the latest articles' opening lines) and
what the article says next ("La suite ?", "Dis-m'en plus", answered with the sentences after
the last quote).
Searched like other questions, each found nothing, or quoted unrelated sentences marked
uncertain; a conversation says which article the first two mean (`index.conversation`).

Pure functions of the text: French surface rules, no model.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

# Typographic apostrophes as the plain one, which the rules of this module and of
# `index.conversation` are written with.
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})


class _LetterUnaccented(dict[int, str]):
    """Each letter (by its code, as `str.translate` asks) as its first character once decomposed
    (NFD: "é" -> "e", "ç" -> "c", "œ" -> "œ"), worked out the first time a letter is met: every
    question is read through six rules' `_plain`, where a decomposition a letter in Python cost
    more than the rest of reading the question. Letters past `_KEPT_BELOW` are not kept, so that
    text of every script cannot grow it without end."""

    def __missing__(self, code: int) -> str:
        letter = unicodedata.normalize("NFD", chr(code))[0]
        if code < _KEPT_BELOW:
            self[code] = letter
        return letter


_KEPT_BELOW = 0x3000  # Latin, Greek, Cyrillic, punctuation, symbols: what French text is written in
_LETTERS_UNACCENTED = _LetterUnaccented()


def _unaccented(text: str) -> str:
    """`text` without its accents, letter for letter, so that a match's positions hold in
    `text`: the rules below are matched so, since people type on phones without them ("Qui a
    ecrit l'article ?", "resume l'article" found nothing)."""
    text = unicodedata.normalize("NFC", text)
    return text if text.isascii() else text.translate(_LETTERS_UNACCENTED)


@lru_cache(maxsize=64)  # the rules below read each question in turn, six of them before it is searched
def _plain(question: str) -> tuple[str, str]:
    """`question` as the rules read it (plain apostrophes), and that without accents, to match."""
    text = unicodedata.normalize("NFC", question.translate(APOSTROPHES))
    return text, _unaccented(text)


def _rule(pattern: str) -> re.Pattern[str]:
    """A rule written with its accents, matched without them."""
    return re.compile(_unaccented(pattern), re.I)


def _words(words: str) -> frozenset[str]:
    return frozenset(_unaccented(words).split())


# "De quoi parle l'article ?", "Résume l'article", "De quoi parlent les articles ?": what the
# articles are about, which news says in its opening lines. Only the article itself, or "ça",
# as the subject: in "De quoi parle-t-il ?" the "il" may be the person the topic is about.
_ARTICLE = r"(?:article|articles|texte|textes|document|documents)"
_THE_ARTICLE = rf"(?:l'|cet |ce |les |ces |la |le ){_ARTICLE}"
_ABOUT = _rule(
    r"^\s*(?:"
    rf"(?:de quoi|sur quoi) (?:parle|parlent|traite|traitent|porte|portent) {_THE_ARTICLE}"
    r"|de quoi (?:ça|ca) (?:parle|traite)|(?:ça|ca) parle de quoi"
    r"|(?:résume|résumez|résume-moi|résumez-moi)(?: (?:ça|ca|tout ça|le tout))?"
    r"(?: (?:stp|svp|s'il te plaît|s'il vous plaît))?"
    r"|(?:un |le )?résumé|(?:fais|faites)-moi un résumé|(?:tu peux|peux-tu|pouvez-vous) (?:me )?(?:le )?résumer"
    r"|(?:résume|résumez|résume-moi|résumez-moi|fais-moi un résumé de|donne-moi un résumé de|un résumé de|résumé de"
    rf"|quel est le résumé de) {_THE_ARTICLE}"
    rf"|(?:quel est|quels sont) (?:le|les) sujets? (?:de {_THE_ARTICLE}|(?:du|des) {_ARTICLE})"
    rf"|que (?:dit|disent|raconte|racontent|contient|contiennent) {_THE_ARTICLE}"
    rf"|qu'(?:y a-t-il|est-ce qu'il y a) dans {_THE_ARTICLE}|c'est quoi (?:cet|ce|l') ?(?:article|texte|document)"
    r")\s*+[?.!]*+\s*+$"
)


def asks_what_it_is_about(question: str) -> bool:
    """Whether `question` asks what the article (or the articles) is about, naming nothing
    else: "De quoi parle l'article ?", "Résume l'article", but not "Que dit l'article de
    Poutine ?" (what the whole library holds is `asks_whats_new`'s)."""
    return _ABOUT.match(_plain(question)[1]) is not None


# "Quoi de neuf ?", "Les dernières nouvelles ?", "Quels sont les derniers articles ?", and what
# the whole library holds ("Que contient la bibliothèque ?", "Quels articles as-tu ?"): what a
# news library was last told, whatever the conversation was about; "Quoi de neuf sur la
# réforme ?" asks about its subject. A greeting may come first ("Salut, quoi de neuf ?").
_NEWS_WORDS = r"(?:nouvelles|infos|informations|actus|actualités|news)"
_SHOW = r"(?:donne-moi |donnez-moi |montre-moi |montrez-moi |envoie-moi )"
# Spaces are read possessively (`\s*+`, `\s++`) wherever a run of them could be split in
# several ways: a message of thousands of spaces, each split tried, held the bot for minutes.
_WHATS_NEW = _rule(
    r"^\s*(?:(?:bonjour|bonsoir|salut|coucou|hello|alors|et|bon)(?:\s*+[,!])?\s++)?(?:"
    r"(?:il )?(?:y a )?quoi de (?:neuf|nouveau)|qu'est-ce qu'il y a de (?:neuf|nouveau)|qu'y a-t-il de (?:neuf|nouveau)"
    r"|(?:que se passe-t-il|qu'est-ce qui se passe|il se passe quoi) (?:aujourd'hui|en ce moment|dans le monde)"
    r"|(?:il y a|y a-t-il|y a) du nouveau|du nouveau"
    rf"|{_SHOW}?(?:quelles sont )?(?:les |des )?(?:toutes )?(?:dernières )?{_NEWS_WORDS}"
    rf"|{_SHOW}?(?:quels sont )?les (?:derniers|plus récents) articles(?: ajoutés)?"
    rf"|{_SHOW}?(?:quel est )?le (?:dernier|plus récent) article(?: ajouté)?"
    r"|(?:quelle est |c'est quoi )?l'actu(?:alité)?|(?:quelles sont )?les actus|les (?:gros )?titres"
    r"|(?:quoi|qu'est-ce qu'il y a) à la une"
    r"|(?:que (?:contient|a|raconte)|qu'(?:y a-t-il|est-ce qu'il y a) dans|c'est quoi|(?:quels sont )?les sujets de) "
    r"(?:la|ta|votre) bibliothèque"
    r"|(?:quels sont (?:les|tes|vos) |quels )articles(?: (?:as-tu|avez-vous|connais-tu|connaissez-vous|y a-t-il))?"
    r"|(?:la )?liste des articles|de quoi (?:parles-tu|tu parles|parlez-vous)"
    r")(?:\s+(?:du jour|d'aujourd'hui|aujourd'hui|de la semaine|de la journée|ce matin|ce soir))?"
    r"(?:\s+(?:sur|à propos d(?:e|u|es|')|concernant|du côté d(?:e|u|es|')|de|du|des|d')\s*(?P<subject>\w.*?(?<!\s)))?"
    r"\s*+[?.!]*+\s*+$"
)


@dataclass(frozen=True)
class NewsAsked:
    """A question on what is new: in the library, or on `subject` ("Quoi de neuf sur la
    réforme ?")."""

    subject: str | None = None


def asks_whats_new(question: str) -> NewsAsked | None:
    """Whether `question` asks what is new ("Quoi de neuf ?", "Les dernières nouvelles ?") or
    what the library holds ("Quels articles as-tu ?"), naming nothing else or only a subject;
    None for any other question ("Quoi de neuf dans la loi ?" names what it asks about in
    another way, and is searched)."""
    text, unaccented = _plain(question)
    match = _WHATS_NEW.match(unaccented)
    if match is None:
        return None
    return NewsAsked(text[match.start("subject") : match.end("subject")] if match["subject"] else None)


Detail = Literal["date", "author", "source", "title"]

# A question asks for a detail of its article when it is made of these words only: one that
# says which detail, and the words of asking for it. Any other word names something the
# articles may report ("Quand a été publié le rapport ?", "Qui a écrit la lettre ?"), and the
# question is searched as before. A noun says which detail before an interrogative does
# ("Qui est l'auteur ?"), in this order ("le nom de l'auteur").
_NOUNS: tuple[tuple[Detail, frozenset[str]], ...] = (
    ("date", _words("date dates datent daté datée jour année mois")),
    ("source", _words("source sources lien liens url adresse site journal média provenance origine")),
    (
        "author",
        _words("auteur auteurs autrice auteure journaliste journalistes rédacteur rédactrice signataire"),
    ),
    ("title", _words("titre intitulé appelle nom")),
)
_INTERROGATIVES: dict[str, Detail] = {"quand": "date", _unaccented("où"): "source", "qui": "author"}
# The article named as such; "ça" names it only with a verb of writing or of getting it ("Qui
# a écrit ça ?", "C'est paru quand ?", "D'où tu tiens ça ?"): "Ça date de quand ?" may ask
# when the castle the conversation is about was built.
_NAMES_ARTICLE = _words("article articles dépêche dépêches info infos information informations")
_THAT = _words("ça ca cela c'")
_WRITTEN = _words(
    "écrit écrite écrits publié publiée publiés paru parue parus rédigé rédigée signé signée sorti sortie "
    "ligne publication parution tiens tenez sors sortez tiré tirée"
)
# Words that, without the article named, can only mean the answer's source: "Tu as le lien ?",
# "Quelles sont tes sources ?" ("Quelle est la source ?" may ask where a river rises), and
# "Source ?" said alone, as "La source ?" and "Et la source ?" are, the noun and nothing asked
# of it: a chat user's way of asking where the quote comes from.
_UNAMBIGUOUS = _words("lien liens url journaliste journalistes ta tes ton votre vos")
_ALONE = (["source"], ["sources"], ["la", "source"], ["les", "sources"])
_TO_THE_BOT = _words("tu vous")
# Where the bot found or read what it quoted ("Tu l'as trouvé où ?", "Où as-tu lu ça ?"): a verb
# of finding or reading, asked of the bot with "où", can only mean the answer's source.
_FOUND = _words("trouvé trouvée trouvés trouvées lu lue lus lues vu vue vus vues")
_WHERE = _unaccented("où")
_ASKING = _words(
    "le la les l' un une de d' du des ce cet cette ces à a au en dans par et ou y "
    "quel quelle quels quelles comment quoi qu' que est "
    "est sont était été t il elle ils elles s' se "
    "tu vous je j' me m' moi te t' peux pouvez puis peut on as avez ai "
    "donne donnez donner envoie envoyez envoyer montre montrez montrer dis dites dire "
    "connais connaissez connaître sais savez savoir veux voudrais aimerais voir lire trouver retrouver consulter "
    "vient viennent provient mis mise exact exacte exactement précis précise original originale "
    "complet complète entier intégral intégrale svp stp plaît plait merci"
)
_KNOWN = frozenset().union(
    _ASKING, _NAMES_ARTICLE, _THAT, _WRITTEN, _UNAMBIGUOUS, _INTERROGATIVES, _FOUND, *(nouns for _, nouns in _NOUNS)
)
# "C'est quel article ?", "Quel est l'article ?": which article, answered with its card.
_WHICH = frozenset("quel quelle".split())
_WORDS = re.compile(r"\w+'|\w+")


@dataclass(frozen=True)
class DetailAsked:
    """A question on an article's detail: which detail, and the subject that says which
    article when the question names one ("Qui a écrit l'article sur le castor ?"); without
    one, the conversation's article is meant."""

    detail: Detail
    subject: str | None = None


# What introduces the subject of the article a question on its details means. The subject
# ends on no space (`(?<!\s)`): tried at each space of a long run, the end's `\s*+` read the
# rest of the run each time, and thousands of spaces took seconds.
_SUBJECT = _rule(
    r"(?<!\s)\s+(?:sur|à propos d(?:e|u|es|')|au sujet d(?:e|u|es|')|concernant|qui (?:parle|traite) d(?:e|u|es|'))"
    r"\s*(?P<subject>\w.*?(?<!\s))\s*+[?.!]*+\s*+$"
)


def asks_for_detail(
    question: str, *, pronoun_means_article: bool = False, article_is_topic: bool = False
) -> DetailAsked | None:
    """Which detail of its article `question` asks for: its date ("De quand date l'article
    ?", "Quand a été publié l'article ?"), author ("Qui a écrit l'article ?"), source ("Tu as
    le lien ?", "Quelles sont tes sources ?") or title, naming nothing else or only the
    article's subject ("Qui a écrit l'article sur le castor ?"); None for any other question
    ("Qui a écrit la lettre ?", "Quelle est la source de la Seine ?").
    `pronoun_means_article`: the conversation names no other written work, so that a pronoun
    with a verb of writing means the article, as "ça" does ("Qui l'a écrit ?", "Quand est-il
    paru ?"). `article_is_topic`: the conversation's last question was asked of the article
    itself ("Qui a écrit l'article sur le sommeil ?"), so that a pronoun alone means it
    whatever its verb ("De quand date-t-il ?")."""
    text, unaccented = _plain(question)
    detail = _detail_of(unaccented, pronoun_means_article, article_is_topic)
    if detail is not None:
        return DetailAsked(detail)
    about = _SUBJECT.search(unaccented)
    if about is not None and (detail := _detail_of(unaccented[: about.start()])) is not None:
        return DetailAsked(detail, text[about.start("subject") : about.end("subject")])
    return None


def subject_asked_about(question: str) -> str | None:
    """The subject of the article `question` asks what it is about, when it names one ("De
    quoi parle l'article sur Montréal ?", "Résume l'article sur le castor"): the article that
    subject finds is meant, as for its details (`asks_for_detail`). None for any other question,
    and for "Que dit l'article sur Poutine ?", which asks what it says of him."""
    text, unaccented = _plain(question)
    about = _SUBJECT.search(unaccented)
    if about is None or _SAYS.match(unaccented) or not asks_what_it_is_about(text[: about.start()]):
        return None
    return text[about.start("subject") : about.end("subject")]


# "Que dit l'article sur …", "Que raconte …": what it says of that subject, which is searched.
_SAYS = re.compile(r"^\s*que\s+(?:dit|disent|raconte|racontent|contient|contiennent)\b", re.I)


# What may stand for the article written ("Qui l'a écrit ?", "Quand est-il paru ?") when the
# conversation names no other written work (`names_a_work`).
_IT = _words("l' le il")
_PRONOUNS = _words("l' le la il elle ils elles")
# Written works a conversation may be about besides its article: after "Qui a écrit ce roman
# ?", "Quand est-il paru ?" asks of the novel.
_WORKS = _words(
    "livre livres roman romans ouvrage ouvrages essai essais recueil bd album étude études rapport rapports "
    "lettre lettres tribune tribunes thèse thèses texte textes loi lois décret projet pétition tract tracts "
    "tweet tweets message messages post communiqué courrier livre-blanc enquête enquêtes sondage revue revues "
    "journal film films chanson pièce poème œuvre"
)


def names_a_work(question: str) -> bool:
    """Whether `question` names a written work other than the article (`_WORKS`), or asks of
    something written that it does not say is the article ("Qui a écrit Au soleil couchant ?")."""
    words = {w.casefold() for w in _WORDS.findall(_plain(question)[1])}
    return bool(words & _WORKS) or bool(words & _WRITTEN and not words & _NAMES_ARTICLE)


def _detail_of(question: str, pronoun_means_article: bool = False, article_is_topic: bool = False) -> Detail | None:
    """The detail `question` (without accents) asks for when it is made only of words `_KNOWN`
    holds and names the article (or can only mean it)."""
    words = [w.casefold() for w in _WORDS.findall(question)]
    if not words or any(w not in _KNOWN for w in words):
        return None
    written = any(w in _WRITTEN for w in words)
    # The pronoun alone: in "Quand l'a-t-il écrit ?" someone ("il") wrote something ("l'").
    alone = len(_PRONOUNS.intersection(words)) == 1 and bool(_IT.intersection(words))
    it = (pronoun_means_article or article_is_topic) and alone
    # Right after a question on the article, "il" is the article whatever the verb ("De quand
    # date-t-il ?"); elsewhere "Ça date de quand ?" may ask when a castle was built.
    named = any(w in _NAMES_ARTICLE or w in _UNAMBIGUOUS for w in words) or (
        (written or article_is_topic) and (it or (written and bool(_THAT.intersection(words))))
    )
    # "Source ?" alone, or asked of the bot ("Tu as la source ?"): the answer's.
    to_the_bot = bool(_TO_THE_BOT.intersection(words))
    named = (
        named
        or (words[1:] if words[0] == "et" else words) in _ALONE
        or (to_the_bot and bool({"source", "sources"}.intersection(words)))
        or (to_the_bot and _WHERE in words and bool(_FOUND.intersection(words)))
    )
    if not named:
        return None
    noun = next((detail for detail, nouns in _NOUNS if nouns.intersection(words)), None)
    if noun is not None:
        return noun
    asked = next((_INTERROGATIVES[w] for w in words if w in _INTERROGATIVES), None)
    if asked is None and _WHICH.intersection(words) and _NAMES_ARTICLE.intersection(words):
        return "title"
    if asked == "author" and not written:
        return None  # "Qui est l'article ?" asks nothing
    return asked


# "La suite ?", "Dis-m'en plus", "Tu peux développer ?", "Et ensuite ?": the article read on from
# the last quote. Said alone (a politeness at most): "Et après la guerre ?" asks a question.
_POLITE = r"(?:\s*+,?\s*+(?:s'il (?:te|vous) plaît|stp|svp|merci|please))?"
_MORE = r"(?:plus|davantage|un peu plus|plus de détails)"
_READ_ON = _rule(
    r"^\s*(?:(?:ok|d'accord|merci|super|intéressant|bien|bon|et)(?:\s*+[,!.])?\s++)?(?:"
    rf"dis-m'en {_MORE}|dites-m'en {_MORE}|dis m'en {_MORE}|dis-moi en {_MORE}|raconte-m'en {_MORE}"
    rf"|(?:tu peux|peux-tu|pourrais-tu|vous pouvez|pouvez-vous|pourriez-vous) m'en dire {_MORE}"
    rf"|(?:je veux|j'aimerais|je voudrais) en savoir {_MORE}|en savoir {_MORE}|{_MORE} de détails"
    r"|(?:et )?(?:la |quelle est la |c'est quoi la )?suite(?: de l'article)?|(?:et )?ensuite|et après|et puis"
    r"|(?:lis|lisez|raconte|racontez|raconte-moi|racontez-moi|donne-moi|donnez-moi|montre-moi) la suite"
    r"|continue|continuez|continue à lire|continue la lecture|vas-y|allez-y"
    r"|développe|développez|(?:tu peux|peux-tu|pourrais-tu|vous pouvez|pouvez-vous|pourriez-vous) développer"
    r"|encore|quoi d'autre|qu'est-ce qu'il dit d'autre|que dit-il d'autre|que dit l'article d'autre"
    rf"){_POLITE}\s*+[?.!…]*+\s*+$"
)


def asks_to_read_on(question: str) -> bool:
    """Whether `question` asks for what the article says next ("La suite ?", "Dis-m'en plus",
    "Tu peux développer ?", "Et ensuite ?"), asking nothing else: "Et après la guerre ?" or
    "Encore une question : …" are questions of their own."""
    return _READ_ON.match(_plain(question)[1]) is not None


# "Et l'article sur l'incendie, de quand date-t-il ?", "Et dans l'autre article, de quoi
# parle-t-on ?": the article named before a comma, then the question, whose pronoun stands for
# it. Read as the question asked of that article ("De quand date l'article sur l'incendie ?").
_ARTICLE_SET_BEFORE = _rule(
    r"^\s*(?:(?:et|mais)\s+)?(?:dans\s+)?(?P<article>(?:l'|le |cet |ce )(?:autre )?(?:article|texte|document)"
    r"(?:\s+(?:sur|à propos d(?:e|u|es|')|au sujet d(?:e|u|es|')|concernant)\s*\w[^,]*)?)\s*,\s*(?P<rest>\S.*)$"
)
# The pronoun of an inverted verb ("date-t-il", "parle-t-on"), where the article named goes.
_INVERTED_PRONOUN = re.compile(r"-(?:t-)?(?:il|elle|on)\b", re.I)


def with_article_set_before(question: str) -> str | None:
    """`question` as asked of the article it names before a comma ("Et l'article sur
    l'incendie, de quand date-t-il ?": "de quand date l'article sur l'incendie ?"; "Et l'autre
    article, qui l'a écrit ?": "qui l'a écrit ?", its pronoun the article's); None when it names
    none so."""
    text, unaccented = _plain(question)
    match = _ARTICLE_SET_BEFORE.match(unaccented)
    if match is None:
        return None
    article = text[match.start("article") : match.end("article")]
    rest = text[match.start("rest") :]
    replaced = _INVERTED_PRONOUN.sub(f" {article}", rest, count=1)
    return replaced if replaced != rest else f"{rest.rstrip(' ?!.')} ({article}) ?"


# "l'autre article", "les autres textes": in a conversation on one article, those it was not on.
_OTHER_ARTICLE = _rule(r"\b(?:l'autre|les autres) (?P<noun>article|articles|texte|textes|document|documents)\b")


def without_other(question: str) -> str | None:
    """`question` naming "the article" where it names the other one ("De quoi parle l'autre
    article ?": "De quoi parle l'article ?"), for the articles of a conversation it was not on;
    None when it names no other article."""
    text, unaccented = _plain(question)
    match = _OTHER_ARTICLE.search(unaccented)
    if match is None:
        return None
    noun = match["noun"]
    determiner = "les " if noun.endswith("s") else "l'" if noun.startswith("a") else "le "
    return f"{text[: match.start()]}{determiner}{text[match.start('noun') :]}"
