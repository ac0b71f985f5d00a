"""Answers in plain text (console and command line), and what is said when there is none: the
library empty, nothing found, a question in English, a follow-up its articles do not answer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from bot.chat_input import MAX_QUESTIONS
from bot.replies.cards import SENTENCE_FIELD_CHARS, format_details, link_of
from bot.replies.wording import french_date, in_guillemets, shorten
from bot.small_talk import not_in_french
from index.library import Answer, Result
from index.numbers import french
from index.store import ArticleRow

NOTHING_FOUND = (
    "Je n'ai rien trouvé sur ce sujet dans la bibliothèque. "
    "Essayez de reformuler la question, ou ajoutez un article qui en parle avec /ingest."
)
EMPTY_LIBRARY = (
    "La bibliothèque est vide. Ajoutez un premier article avec /ingest suivi d'une URL, "
    "d'un chemin de fichier ou du texte de l'article."
)
# The same, said by the one-shot commands (`python -m bot ask`, `articles`), where /ingest is
# not a command the reader can type.
NOTHING_FOUND_COMMAND_LINE = (
    "Je n'ai rien trouvé sur ce sujet dans la bibliothèque. Essayez de reformuler la question, "
    "ou ajoutez un article qui en parle avec python -m bot ingest."
)
EMPTY_LIBRARY_COMMAND_LINE = (
    "La bibliothèque est vide. Ajoutez un premier article avec python -m bot ingest suivi d'un "
    "fichier, d'un dossier ou d'une URL (- pour le texte de l'entrée standard)."
)
NO_QUESTION = (
    "Je ne vois pas de question dans ce message : posez-la avec des mots, "
    "par exemple « Qui est le secrétaire général de l'OTAN ? »."
)
PASTED_ARTICLE = (
    "Ce texte ressemble à un article plutôt qu'à une question : pour l'ajouter, tapez /ingest suivi "
    "du texte ; pour poser une question, écrivez-la en une phrase."
)
BARE_LINK = (
    "Pour ajouter cette page à la bibliothèque, envoyez /ingest suivi de son adresse ; pour poser "
    "une question sur ce qu'elle dit, écrivez-la en une phrase."
)
QUESTION_LEFT_CHARS = 100  # a question named back, as said at its start


def questions_left(left: Sequence[str]) -> str:
    """What is said of the questions of a message after the ones answered (`bot.chat_input.Said`):
    the asker knows which were not, and asks them again on their own."""
    first = in_guillemets(shorten(left[0], QUESTION_LEFT_CHARS))
    which = f"la suivante, {first}" if len(left) == 1 else f"les {len(left)} suivantes, à partir de {first}"
    return f"Je réponds à {MAX_QUESTIONS} questions par message au plus : posez à part {which}."


WHICH_ARTICLE = (
    "De quel article ? Nommez son sujet (par exemple « Qui a écrit l'article sur le castor ? »), "
    "ou posez d'abord une question sur ce sujet, puis redemandez."
)
# "La suite ?" with no quote to read on from, and at the end of the article read.
NOTHING_TO_READ_ON = (
    "Je ne sais pas quelle lecture poursuivre : posez d'abord une question, puis demandez « La suite ? » "
    "pour lire ce que l'article dit après la citation."
)
# A question in English, or in another alphabet, that found nothing (`bot.small_talk.not_in_french`).
IN_ENGLISH = (
    "Je n'ai rien trouvé : je ne comprends que les questions en français, la langue des articles. "
    "Posez-la en français. (I only understand questions in French.)"
)
# Under the uncertainty of an answer to a question in English (`suggests_french`): the same
# question in French, the articles' language, is likelier to be answered surely.
ASK_IN_FRENCH = (
    "Les articles sont en français : posez la question en français pour une réponse plus sûre. "
    "(Ask in French for better answers.)"
)
# After a follow-up whose own words its article does not hold ("Et en 2020 ?").
ASK_IT_WHOLE = "Posez la question en entier pour chercher dans toute la bibliothèque."
END_OF_ARTICLE = "C'est tout : l'article s'arrête là. Posez une autre question pour en savoir plus."
# "La suite ?" after a quote whose article was deleted since.
READ_ON_GONE = (
    "L'article que je citais a été retiré de la bibliothèque depuis : je ne peux plus en lire la suite. "
    "Posez une autre question."
)
# Said before an answer less likely to answer than SURE_ANSWER_THRESHOLD: on the development
# questions, most such answers are to questions the library cannot answer (README, "How it
# works", step 8).
UNSURE = "(réponse incertaine : voici les passages les plus proches de la question, qui n'y répondent peut-être pas)"


# Said above a passage after the first, of another article, less likely than SURE_ANSWER_THRESHOLD
# to answer had it come first (`is_less_related`).
LESS_RELATED = "Moins lié à la question, dans un autre article :"


def is_less_related(answer: Answer, result: Result, sure_from: float) -> bool:
    """Whether `result`, a passage of another article shown after a sure answer's, is marked as
    less related: the relevance policy, judging it as if it came first, would not have answered
    it surely (`Result.alone_relevance` under `sure_from`, SURE_ANSWER_THRESHOLD). Shown plain,
    "Qui préside l'association des commerçants ?" answered from the Nantes article read on to
    a Wagner quote from the OTAN article as if it answered too. Left in view, not left out: the
    floor that leaves passages out (`index.search.FURTHER_RESULT_FLOOR`) was set low so that
    none holding the answer goes. An uncertain answer is marked whole (`is_unsure`)."""
    alone = result.alone_relevance
    return alone is not None and alone < sure_from and not is_unsure(answer, sure_from)


def reference(article: ArticleRow) -> str:
    """`« Title », février 2023 — https://…`"""
    parts = [f"« {article.title} »"]
    if date := french_date(article.date):
        parts.append(date)
    line = ", ".join(parts)
    if link := link_of(article):
        line += f" — {link}"
    return line


def format_result(result: Result) -> str:
    return f"{in_guillemets(result.quote)}\n    — {reference(result.article)} [article {result.article.id}]"


def is_unsure(answer: Answer, sure_from: float) -> bool:
    """Whether `answer` is shown as the closest passages rather than as an answer: found, but
    less likely than `sure_from` (SURE_ANSWER_THRESHOLD) to answer."""
    return answer.found and answer.relevance < sure_from


def suggests_french(answer: Answer, sure_from: float) -> bool:
    """Whether `answer` is told, in one line, that asked in French its question would find
    better: an uncertain answer (`is_unsure`) to a question in English or in another alphabet
    (`not_in_french`). A declined one says it instead of "rien trouvé" (`IN_ENGLISH`); a sure one needs nothing
    more. Each place that shows answers says it in its own way: the console and the command
    line, Telegram's chats, inline mode."""
    return is_unsure(answer, sure_from) and not_in_french(answer.question)


def respelled_note(answer: Answer) -> str:
    """Which words of the question were read as others (`Answer.respelled`): « lu « Stutthof »
    pour « Strutthof » »."""
    return "lu " + ", ".join(f"« {read} » pour « {typed} »" for typed, read in answer.respelled)


def format_answer(
    answer: Answer,
    *,
    shown: int = 3,
    empty_library: bool = False,
    sure_from: float,
    command_line: bool = False,
    zone: tzinfo,
) -> str:
    """`command_line`: for a one-shot command, whose reader adds articles with `python -m bot
    ingest` rather than /ingest; `zone`: TIME_ZONE, for the days shown."""
    if empty_library:
        return EMPTY_LIBRARY_COMMAND_LINE if command_line else EMPTY_LIBRARY
    if answer.detail is not None:
        if not answer.found:
            return which_article(answer)
        return format_details(answered_articles(answer), answer.detail, zone=zone)
    if not answer.found:
        return declined_reply(answer) or (NOTHING_FOUND_COMMAND_LINE if command_line else NOTHING_FOUND)
    lines = []
    if answer.follows and answer.topic is not None:  # say what it was read with
        lines.append(f"(suite de « {answer.topic.question} »)")
    if answer.respelled:
        lines.append(f"({respelled_note(answer)})")
    if is_unsure(answer, sure_from):
        lines.append(UNSURE)
    if suggests_french(answer, sure_from):
        lines.append(f"({ASK_IN_FRENCH})")
    results = [
        (f"({LESS_RELATED})\n" if is_less_related(answer, r, sure_from) else "") + format_result(r)
        for r in answer.results[:shown]
    ]
    return "\n".join([*lines, "\n\n".join(results)])


def declined_reply(answer: Answer) -> str | None:
    """Why a declined answer quotes nothing, when more is known than that nothing answers:
    "La suite ?" at the end of the article or with no quote to read on from, a follow-up whose
    own numbers or names its articles do not hold ("Et en 2020 ?"), or that its articles do not
    answer; None otherwise."""
    meant = set(answer.topic.articles) if answer.topic else set()
    if not_in_french(answer.question):  # first: what else it is told is in French
        return IN_ENGLISH
    if answer.other_articles is not None:
        return other_articles_unknown(answer.other_articles)
    if answer.unheld:
        named = " ni ".join(in_guillemets(shorten(word, SENTENCE_FIELD_CHARS)) for word in answer.unheld)
        if not meant:  # its topic was declined: it was searched in the whole library
            return f"Je n'ai rien trouvé sur {named} dans la bibliothèque."
        return f"Je n'ai rien trouvé sur {named} dans {_searched_in(answer, meant)}. {ASK_IT_WHOLE}"
    if answer.read_on:
        return {"end": END_OF_ARTICLE, "gone": READ_ON_GONE, "nowhere": NOTHING_TO_READ_ON}.get(answer.read_on)
    if answer.follows and meant:
        # Read in its topic's article only ("Elle enseigne quoi ?"): "rien trouvé dans la
        # bibliothèque" would be untrue, and would not say that asking it whole searches more.
        return f"Je n'ai rien trouvé qui y réponde dans {_searched_in(answer, meant)}. {ASK_IT_WHOLE}"
    return None


def which_article(answer: Answer) -> str:
    """Why a question on a detail ("Qui a écrit l'article ?") shows no article's: "l'autre
    article" where the library cannot tell it (`other_articles_unknown`), as a question on what
    it is about is told; otherwise no article named, which its subject must say."""
    return WHICH_ARTICLE if answer.other_articles is None else other_articles_unknown(answer.other_articles)


def other_articles_unknown(others: int) -> str:
    """Why "l'autre article" cannot be told: the library holds no article besides the
    conversation's, or so many (`others`) that "l'autre" does not say which."""
    if others == 0:
        return "La bibliothèque ne compte aucun autre article."
    return (
        f"Lequel ? La bibliothèque compte {french(others)} autres articles : nommez son sujet "
        "(« De quoi parle l'article sur … ? »)."
    )


def _searched_in(answer: Answer, meant: set[int]) -> str:
    """The article a follow-up was read in, named by its title when one of its passages was
    weighed, or "les articles de cette conversation" when it was read in several."""
    if len(meant) > 1:
        return "les articles de cette conversation"
    titles = [a.title for a in answered_articles(answer) if a.id in meant]
    return f"l'article {in_guillemets(shorten(titles[0], SENTENCE_FIELD_CHARS))}" if titles else "l'article cité"


def answered_articles(answer: Answer) -> list[ArticleRow]:
    """The articles of `answer`'s results, each once, in their order."""
    return list({r.article.id: r.article for r in answer.results}.values())
