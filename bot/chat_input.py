"""How a chat message is taken, the same way in the console and on Telegram: the questions it
asks (one to three, answered in turn), or what it is instead: nothing to search ("?", "…"),
small talk (`bot.small_talk`), or an article pasted where a question was expected."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.small_talk import Kind as SmallTalk
from bot.small_talk import plain_words, small_talk
from index.cleaning import INVISIBLE_FORMATS
from index.conversation import Topic, read
from index.decoding import plain_letters
from index.web_addresses import is_url

# Far more words than any question of the development sets: a pasted article.
ARTICLE_WORDS = 80
# A message of at most this many words besides one link shares that link: "/ingest" with it, or
# in reply to it, adds the page, not the message ("À lire : https://…", a channel's post of a
# headline and its link).
SHARED_LINK_WORDS = 25
# Spaces on its line only: `\s*` from each of 4,000 line starts ran through every newline after it.
_METADATA_LINK = re.compile(r"^[^\S\n]*(?:url|lien)[^\S\n]*:", re.IGNORECASE | re.MULTILINE)


def holds_words(text: str) -> bool:
    """Whether `text` has a letter or a digit: "?", "…" or "👍" alone asks nothing that a
    search could answer (it would only be told that nothing was found); "2023 ?" may follow
    a question on another year."""
    return any(character.isalnum() for character in text)


# What a member says to the bot, in reply to someone's question, to have it answer that question
# ("@bot tu peux répondre ?", "@bot une idée ?"), read as `small_talk` reads: searched, its words
# found passages on answering and ideas. "Tu peux" with the verb, or the verb alone, "à ça" after it.
_TO_THEM = r"(?:(?:lui|leur|nous|y|me) )?"
_ANSWER_IT = re.compile(
    rf"(?:et )?(?:(?:tu|vous) (?:peux|pourrais|pouvez|pourriez) {_TO_THEM}(?:repondre|aider)"
    rf"|(?:peux|pourrais) tu {_TO_THEM}(?:repondre|aider)|(?:pouvez|pourriez) vous {_TO_THEM}(?:repondre|aider)"
    r"|repond(?:s|ez)?(?: lui| leur| nous| y)?|une idee|des idees|une reponse|la reponse"
    r"|(?:tu as|t as|vous avez|as tu|avez vous) (?:une idee|des idees|la reponse|une reponse)"
    r"|(?:t en|tu en) (?:penses|dis) quoi|qu en (?:penses|dis) tu|qu en (?:pensez|dites) vous|ton avis|votre avis"
    r"|tu sais|vous savez|tu (?:sais|connais) (?:ca|la reponse)|a toi|a vous|toi|vous)"
    r"(?: (?:a ca|a cette question|a sa question|a leur question|la dessus))?"
    r"(?: (?:stp|svp|s il te plait|s il vous plait|please))?"
)


def asks_to_answer(text: str) -> bool:
    """Whether `text`, said to the bot, only asks it to answer what it replies to: "tu peux
    répondre ?", "une idée ?", "?" (a thanks or an "ok", even as an emoji, is no such request)."""
    if small_talk(text) is not None:
        return False
    return not holds_words(text) or _ANSWER_IT.fullmatch(plain_words(text)) is not None


def is_bare_link(text: str) -> bool:
    """Whether `text` is a web address alone: someone who wants the page added, or asked
    about, is told how (searched, its words quoted a passage with "www" or "fr" in it)."""
    words = text.split()
    return len(words) == 1 and is_url(words[0])


def shared_link(text: str, links: Sequence[str] = ()) -> str | None:
    """The page a message shares: its one link (`links`: those its entities carry, a text link's
    hidden address included), when the rest of it is a few words; None otherwise."""
    found = shared_links(text, links)
    return found[0] if len(found) == 1 else None


def shared_links(text: str, links: Sequence[str] = ()) -> list[str]:
    """The pages a message shares, in the order it gives them: its links, when the rest of it is
    a few words ("Deux articles : https://… et https://…"); none when it is a text of its own."""
    if _METADATA_LINK.search(text):  # pasted text that names its own address ("url: https://…")
        return []
    words = [w.rstrip(".,;:!?)»\"'") if is_url(w) else w for w in text.split()]
    if sum(not is_url(w) for w in words) > SHARED_LINK_WORDS:
        return []
    return list(dict.fromkeys([*(w for w in words if is_url(w)), *(link for link in links if is_url(link))]))


def reads_as_article(text: str) -> bool:
    """Whether `text` is as long as an article: someone pasting one to add it, who is told how
    (searching it would quote it back, or find nothing). Its words only are counted: "Quoi"
    followed by 80 spaced "!" was told it looked like an article."""
    return sum(holds_words(word) for word in text.split()) > ARTICLE_WORDS


# Questions of one message answered each in turn at most; those after them are named back to the
# asker rather than searched (`Said.left`): searched whole with them, four questions found a
# passage for none of them in particular, and the asker was not told why.
MAX_QUESTIONS = 3
_AFTER_QUESTION_MARK = re.compile(r"(?<=\?)\s+(?![»”\"])")  # not inside a quotation: « Que faire ? » de Lénine
_WORD = re.compile(r"\w+")


def questions_in(text: str) -> list[str]:
    """The questions of a message that asks several in a row ("Qui est Jens Stoltenberg ? Que
    dit-il de Poutine ?"), each to be answered in turn, the later ones following the earlier
    (`index.conversation`); otherwise the message itself. Several means each ends with "?" and
    the first holds two words at least: "Pourquoi ? Parce que…" and "Vraiment ? Qui l'a dit ?"
    are one message; a word alone after a question asks it further ("Où se réunit-elle ?
    Quand ?"), one question with it."""
    text = text.strip()
    parts = _AFTER_QUESTION_MARK.split(text)
    if len(parts) < 2 or len(_WORD.findall(parts[0])) < 2 or not all(part.endswith("?") for part in parts):
        return [text]
    questions = [parts[0]]
    for part in parts[1:]:
        if len(_WORD.findall(part)) < 2:
            questions[-1] += " " + part
        else:
            questions.append(part)
    # The same question twice (pasted twice, typed again) is answered once, not the same
    # answer under itself.
    once: dict[str, str] = {}
    for question in questions:
        once.setdefault(" ".join(question.casefold().split()), question)
    return list(once.values())


# What a message is when it asks the library nothing: empty, without a word, an article pasted
# where a question was expected, or small talk (`bot.small_talk`).
Aside = Literal["blank", "no words", "pasted article", "link"] | SmallTalk


@dataclass(frozen=True)
class Said:
    """What one chat message says: the questions to answer in turn, or `aside`, what it is
    when it asks none."""

    questions: tuple[str, ...] = ()
    aside: Aside | None = None
    left: tuple[str, ...] = ()  # the questions after the first `MAX_QUESTIONS`, not answered


def what_is_said(text: str, *, may_be_article: bool) -> Said:
    """How a chat message is taken, the same way in the console and on Telegram: nothing to
    search ("?", "Merci !", "aide"), an article pasted to be added (only where one may be
    sent: `may_be_article`), or one to three questions (`questions_in`), with those after them
    left to be asked again."""
    text = typed(text)
    if not text:
        return Said(aside="blank")
    if is_bare_link(text):
        return Said(aside="link")
    if not holds_words(text):  # "?", "…"; but "👍" is an "ok", "🙏" a thanks
        return Said(aside=small_talk(text) or "no words")
    talk = small_talk(text)  # "Bonjour", "Merci !", "aide": nothing to search
    if talk is not None:
        return Said(aside=talk)
    if may_be_article and reads_as_article(text):
        return Said(aside="pasted article")
    asked = without_courtesies(text)
    if is_bare_link(asked) or (shared_link(asked) and not _asks_beside_its_links(asked)):
        # "Bonjour, https://…", "À lire : https://…": a page shared, not a question (searched, the
        # address's words would find passages that share them, shown as an uncertain answer).
        return Said(aside="link")
    questions = questions_in(asked)
    return Said(questions=tuple(questions[:MAX_QUESTIONS]), left=tuple(questions[MAX_QUESTIONS:]))


def _asks_beside_its_links(text: str) -> bool:
    """Whether a message with a link in it asks a question: it ends with "?", or its words do
    without the link after them ("Qui a marqué ? https://…/lorient"), a question that names its
    page, read without the address (`index.conversation.read`), not a page shared to be added."""
    words = [word for word in text.split() if not is_url(word.rstrip(".,;:!?)»\"'"))]
    return text.endswith("?") or " ".join(words).endswith("?")


def typed(text: str) -> str:
    """A message's text as the library's is stored: accents composed ("e" then a combining
    acute, as some keyboards and PDFs give them, is "é": decomposed, "Qui a écrit l'article ?"
    was not recognised, and a question's words did not match the articles'), in plain letters
    rather than a phone's styled ones ("𝐐𝐮𝐢 ?", `plain_letters`), without the invisible
    characters below, trimmed."""
    return plain_letters(unicodedata.normalize("NFC", _INVISIBLE.sub("", text))).strip()


# Format characters a message may carry unseen, copied with a link or typed by a keyboard:
# between two words they would make one of them. The same an article's text is read without.
_INVISIBLE = re.compile(f"[{re.escape(INVISIBLE_FORMATS)}]")


# A clause that opens a message, up to its punctuation: "Bonjour, ", "Merci ! ", "Ok. ".
_OPENING_CLAUSE = re.compile(r"(?P<clause>[^,;:.!?…]+)[,;:.!?…]+\s*(?P<rest>.*)", re.DOTALL)
_COURTESIES = frozenset({"greeting", "thanks", "parting", "agreement"})


def without_courtesies(text: str) -> str:
    """The message without the greeting, thanks or "ok" it opens with ("Bonjour, la suite ?",
    "Merci ! Quel âge a-t-elle ?", "Ok, et en 2020 ?", "ok et en 2020 ?"): what follows is read as if asked alone,
    so that it follows the conversation as it would have (with the greeting, "Bonjour" was
    taken for the name of what the question is about)."""
    while (opening := _OPENING_CLAUSE.fullmatch(text)) is not None:
        rest = opening["rest"]
        if small_talk(opening["clause"]) not in _COURTESIES or not holds_words(rest):
            break
        text = rest[0].upper() + rest[1:]
    return _without_unpunctuated_courtesy(text)


# The words a question may open with after a courtesy typed without punctuation ("ok et en
# 2020 ?", "bonjour qui dirige l'OTAN ?", "merci la suite ?"): only before one of them is the
# courtesy taken off, so that "Super U est où ?" or "Top 14 qui a gagné ?" keep their first word.
_QUESTION_OPENERS = frozenset(
    {"et", "mais", "qui", "que", "qu", "quoi", "quand", "où", "comment", "combien", "pourquoi"}
    | {"quel", "quelle", "quels", "quelles", "lequel", "laquelle", "lesquels", "lesquelles", "est"}
)
_COURTESY_WORDS = 3  # "ok merci beaucoup et …" at most


def _without_unpunctuated_courtesy(text: str) -> str:
    """`text` without the courtesy of up to `_COURTESY_WORDS` words it opens with, unpunctuated,
    when a question's opening word follows it."""
    for count in range(_COURTESY_WORDS, 0, -1):
        opening = re.match(rf"\s*((?:\S+\s+){{{count}}})(\S.*)", text, re.DOTALL)
        if opening is None:
            continue
        first = re.split(r"[\s'’-]", opening[2].casefold(), maxsplit=1)[0]
        opens = first in _QUESTION_OPENERS or opening[2].casefold().startswith("la suite")
        if opens and small_talk(opening[1]) in _COURTESIES:
            rest = opening[2]
            return rest[0].upper() + rest[1:]
    return text


def follows_on(text: str, topic: Topic) -> bool:
    """Whether `text`, sent in reply to what `topic` is about, only means something with it:
    "La suite ?", "Et quand ?", "Qui l'a écrit ?" (`index.conversation.read`). A thanks, a remark
    or a question of its own ("Qui dirige l'OTAN ?") is not: said to whoever it replies to."""
    said = what_is_said(text, may_be_article=False)
    if said.aside is not None or not said.questions:
        return False
    reading = read(said.questions[0], topic)
    return reading.follows or reading.read_on
