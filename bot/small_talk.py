"""Messages that ask the library nothing: a greeting, thanks, an "ok", a goodbye, a doubt
("Vraiment ?"), or a request for help written in words ("aide", "comment ça marche ?").
Searched, each got "I found nothing on this subject", which reads as if the bot had
misunderstood; each gets a short reply of its own instead (Telegram and the console chat). A
message that greets and asks ("Bonjour, qui dirige l'OTAN ?") is a question: only a message
made of such words alone is small talk."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

Kind = Literal["greeting", "thanks", "parting", "agreement", "farewell", "doubt", "help"]

_TO_YOU = r"(?: (?:(?:a|pour) )?(?:toi|vous|tous|tout le monde))?"  # "salut toi", "merci à vous"
_BOT = r"(?: (?:le |mon |cher )?(?:bot|robot|citebot))?"
_FAREWELL = (
    r"au revoir|bonne (?:journee|soiree|nuit|fin de journee)|a (?:plus|bientot|la prochaine|demain)"
    r"|bye|bye bye|ciao|tchao|adieu|bonne continuation"
)
# A thanks that also takes leave ("Merci, au revoir", "Merci et bonne journée"): answered as
# one who leaves, not asked for another question.
_TAKES_LEAVE = re.compile(rf"(?:^| )(?:{_FAREWELL})(?: |$)")
_PATTERNS: tuple[tuple[Kind, str], ...] = (
    (
        "help",
        r"aide(?: moi| svp| stp)?|help|au secours|sos|(?:de )?l aide|besoin d aide|j ai besoin d aide"
        r"|comment (?:ca|cela) (?:marche|fonctionne)|comment (?:t |vous )?utiliser(?: (?:le|ce) bot)?|mode d emploi"
        r"|que (?:sais|peux) tu faire|qu est ce que tu (?:sais|peux) faire|tu (?:sers|fais) (?:a )?quoi"
        r"|a quoi (?:tu sers|sers tu|servez vous)|qui es tu|t es qui|tu es qui|qui etes vous|c est quoi ce bot",
    ),
    (
        "greeting",
        r"(?:bonjour|bonsoir|salut|coucou|hello|hey|hi|bjr|slt|yo|re|bonne annee)"
        + _TO_YOU
        + _BOT
        + r"(?: (?:ca|comment) va(?: bien)?| comment allez vous| tu vas bien| vous allez bien)?",
    ),
    (
        "thanks",
        r"(?:(?:super|ok|parfait|top|genial|tres bien|d accord) )?(?:un grand )?(?:encore )?"
        r"(?:merci|mercii+|thanks|thank you|thx|mci|mrc|cimer)(?: (?:beaucoup|bcp|bien|infiniment|encore|mille fois))*"
        + _TO_YOU
        + r"(?: (?:pour (?:tout|ca|cela|la reponse|les reponses|l info|les infos|ces infos|l information"
        r"|les informations|ces informations|ton aide|votre aide|ta reponse|votre reponse|vos reponses|tes reponses)))?"
        + _BOT
        + r"(?: (?:au revoir|bonne (?:journee|soiree|nuit)|a bientot|a plus))?",
    ),
    ("farewell", _FAREWELL),
    (
        "doubt",
        r"(?:ah )?vraiment|ah bon|c est (?:sur|vrai|certain)|(?:t es|tu es|vous etes) (?:sur|certain|certaine)"
        r"|serieux|serieusement|sur et certain|tu en es sur|vous en etes sur|n importe quoi"
        r"|(?:je n y crois pas|j y crois pas)|(?:c est|ca me parait) (?:bizarre|etrange|faux)",
    ),
    (
        "agreement",
        r"ok|okay|oki|okk+|d accord|d acc|dac|daccord|parfait|super|genial|top|cool|tres bien|bien"
        r"|excellent|bravo|nickel|entendu|compris|ca marche|bien recu|c est note|ah ok"
        r"|ok (?:super|parfait|cool|top|d accord|compris)|c est (?:super|parfait|genial|top|clair|bon)"
        r"|(?:ah |oh )?(?:ok |d accord )?(?:je vois|je comprends|d accord)|oui|ouais|ok ca marche"
        r"|(?:tres |super )?interessant|lol|mdr|ha(?:ha)+|ah ah",
    ),
)
_SMALL_TALK = [(kind, re.compile(rf"(?:{pattern})")) for kind, pattern in _PATTERNS]

GREETING = (
    "Bonjour ! Posez-moi une question sur les articles de la bibliothèque : j'y réponds en citant "
    "les passages qui en parlent, avec leur article. Tapez /help pour en savoir plus."
)
THANKS = "Avec plaisir ! Une autre question ?"
PARTING = "Avec plaisir ! Au revoir, et revenez quand vous voulez."
AGREEMENT = "Très bien. Posez une autre question quand vous voulez."
FAREWELL = "Au revoir ! Revenez quand vous voulez."
# "Vraiment ?", "T'es sûr ?": the bot vouches for nothing itself; the article does, and is linked.
DOUBT = (
    "Je ne fais que citer les articles de la bibliothèque : chaque citation est suivie de son "
    "article, de sa date et de son lien, pour la vérifier à la source."
)
REPLIES: dict[Kind, str] = {
    "greeting": GREETING,
    "thanks": THANKS,
    "parting": PARTING,
    "agreement": AGREEMENT,
    "farewell": FAREWELL,
    "doubt": DOUBT,
}


# Courtesies one message may chain ("Ah ok merci", "Merci et bonne journée", "C'est noté,
# merci"), in the order their replies take precedence: the thanks is answered first.
_CHAINED: tuple[Kind, ...] = ("thanks", "farewell", "greeting", "agreement")
_CHAINED_PATTERNS = [(kind, pattern) for kind, pattern in _SMALL_TALK if kind in _CHAINED]
_CHAIN_WORDS = 12  # longer messages are not read as a chain of courtesies
# An emoji sent alone says what its words would: 👍 after an answer is an "ok", 🙏 a thanks.
_EMOJI: dict[str, Kind] = {
    **dict.fromkeys("👍👌👏✅🆗💯🤝🙂😊😀😃😄😁😉", "agreement"),
    **dict.fromkeys("🙏❤♥💙💚🧡💛💜🥰😍", "thanks"),
}
# What an emoji may carry unseen (its colour, a skin tone, a joiner), and what may follow it.
_EMOJI_MARKS = re.compile("[\ufe0e\ufe0f\u200d\U0001f3fb-\U0001f3ff!.\\s]")


def small_talk(message: str) -> Kind | None:
    """What `message` says when it asks the library nothing, or None (a question, or anything
    else): read without case, accents, punctuation or emoji, as people write it in a chat."""
    words = plain_words(message)
    if not words:
        return _emoji_alone(message)
    kind = next((kind for kind, pattern in _SMALL_TALK if pattern.fullmatch(words)), None)
    if kind is None and len(words.split()) <= _CHAIN_WORDS:
        kind = _chained(tuple(words.split()))
    if kind == "thanks" and _TAKES_LEAVE.search(words):
        return "parting"
    return kind


def _chained(words: tuple[str, ...]) -> Kind | None:
    """The kind of reply a chain of courtesies gets ("ok merci", "merci et à bientôt"): each
    part small talk of its own (help and doubt apart), "et" between them; None otherwise."""
    found: set[Kind] = set()

    def chains(start: int) -> bool:
        if start == len(words):
            return True
        if words[start] == "et" and start > 0 and chains(start + 1):
            return True
        for end in range(len(words), start, -1):
            part = " ".join(words[start:end])
            kind = next((k for k, pattern in _CHAINED_PATTERNS if pattern.fullmatch(part)), None)
            if kind is not None and chains(end):
                found.add(kind)
                return True
        return False

    if not chains(0):
        return None
    return next(kind for kind in _CHAINED if kind in found)


def _emoji_alone(message: str) -> Kind | None:
    """What a message of approving emoji alone says ("👍", "🙏🙏"); None for any other."""
    symbols = _EMOJI_MARKS.sub("", message)
    if not symbols or any(symbol not in _EMOJI for symbol in symbols):
        return None
    kinds = {_EMOJI[symbol] for symbol in symbols}
    return "thanks" if "thanks" in kinds else "agreement"


def plain_words(message: str) -> str:
    """Lower case, without accents, every run of what is not a letter or a digit one space
    ("Merci !!! 🙏" → "merci", "D'accord." → "d accord")."""
    decomposed = unicodedata.normalize("NFKD", message.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"[^\W_]+", letters))


# Words English questions are made of and French ones never are (not "a", "on", "in", "est");
# and those of asking an article's details, which are short ("Published when?", "Written by
# whom?"): the French ones are answered with the article's card, the English ones only told
# to ask in French, as any other English question.
_ENGLISH = frozenset(
    "what who whom whose when where why how which is are was were does did do the of for about with "
    "did has have will would can could should this that these those there their it its "
    "author authors wrote written published publish by".split()
)
_FRENCH = frozenset(
    "le la les l un une des du de d est sont qui que qu quoi quel quelle quels quelles ou quand comment "
    "pourquoi combien et en au aux pour avec sur dans il elle ils elles ce c".split()
)


def reads_as_english(message: str) -> bool:
    """Whether `message` is a question in English ("Who scored for Lorient?"): two of its words
    at least are English ones French never uses, and none is French. Searched in French
    articles, it finds nothing; its writer is told why, in both languages."""
    words = plain_words(message).split()
    return sum(w in _ENGLISH for w in words) >= 2 and not any(w in _FRENCH for w in words)


def not_in_french(message: str) -> bool:
    """Whether `message` cannot be a question in French, the articles' language: in English
    (`reads_as_english`), or written without a Latin letter ("Кто генеральный секретарь НАТО?",
    "من هو الأمين العام؟"), whose writer may read no French: "essayez de reformuler", in French,
    told them nothing of why nothing was found. Its writer is told why, in both languages. Letters
    as their compatibility forms read: "𝐐𝐮𝐢 ?" in a phone's bold font, "ｑｕｉ" in full width are Latin."""
    letters = [character for character in unicodedata.normalize("NFKC", message) if character.isalpha()]
    return reads_as_english(message) or (bool(letters) and not any(_is_latin(letter) for letter in letters))


def _is_latin(letter: str) -> bool:
    return unicodedata.name(letter, "").startswith("LATIN")
