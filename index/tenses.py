"""Whether a question or a sentence speaks of what is to come: French future tense ("sera",
"reprendra", "ouvriront") or near future ("va ouvrir", "vont être"); and whether a sentence
tells what has been, in a compound past ("a été exposé", "avait annoncé"). "Quand sera-t-il
exposé ?" asks when something will happen, which « L'œuvre sera présentée au public à partir
du 14 mars » answers and « Il avait été exposé une seule fois, en 1886 » does not, though it
holds the question's word; « Le syndicat appelle à une journée de grève le 27 novembre », in
the present, may well answer it. Pure functions of the text: French surface rules.
"""

from __future__ import annotations

import re

# The future's third persons, by the letter before their "-ra"/"-ront": "-era" (sera, fera,
# déclarera), "-ira" (finira, ira), "-dra" (prendra, viendra, faudra), "-vra" (devra, suivra),
# "-rra" (pourra, verra), and "aura", "saura". Not the past tense of verbs in "-rer" ("déclara",
# "entra", "opéra"), which news rarely writes and encyclopaedias often do. Lower-case words
# only: a name ("Vera") is no verb.
_FUTURE = re.compile(
    r"(?<![\w-])(?:[a-zàâçéèêëîïôûùüÿœ]*[eidvr]r|s?aur)(?:a|ont)(?![\w])"
    # The near future: "aller" in the present and an infinitive ("va ouvrir", "vont-ils être").
    # Between them a pronoun or an adverb at most: "va au centre-ville", "va en guerre" are no
    # future.
    r"|(?<![\w-])(?:va|vont)(?:-t-(?:il|elle|on)|-(?:ils|elles))?\s+"
    r"(?:(?:bientôt|enfin|donc|pas|y|en|se|le|la|les|lui|leur|nous|vous|me|te)\s+|[lms]')?"
    r"[a-zàâçéèêëîïôûùüÿœ]+(?:er|ir|re)(?![\w-])"
)


# What is awaited or scheduled, in any tense: « les premiers résultats sont attendus au printemps
# prochain », « la réouverture est prévue en juin » date what is to come as a future does.
_AHEAD = re.compile(r"(?<![\w-])(?:prochaine?s?|à venir|(?:prévu|attendu|programmé)e?s?|d'ici)(?![\w])", re.IGNORECASE)


def looks_ahead(text: str) -> bool:
    """Whether `text` says what is awaited or scheduled ("attendus au printemps prochain",
    "prévue en juin"), whatever its verbs' tense."""
    return _AHEAD.search(text.replace("’", "'")) is not None


def speaks_of_future(text: str) -> bool:
    """Whether `text` holds a verb in the future ("sera-t-il", "reprendra", "vont ouvrir")."""
    return _FUTURE.search(text.replace("’", "'")) is not None


# A compound past: "avoir" in a past or the present, then a past participle ("a annoncé",
# "avait été exposé", "ont pris", "a fait"), a few adverbs between. Not "être" in the present,
# which is a passive as often ("est prévue le 14 mars" dates what is to come), nor "a lieu".
_PAST = re.compile(
    r"(?<![\w-])(?:a|ont|avait|avaient|eut|eurent|était|étaient|fut|furent)(?:-t-(?:il|elle|on)|-(?:ils|elles))?\s+"
    r"(?:(?:été|eu|pas|déjà|jamais|plus|bien|aussi|encore|toujours|ensuite|alors|notamment)\s+)*"
    r"(?!(?:lieu|du|peu)(?![\w]))[a-zàâçéèêëîïôûùüÿœ]+(?:é|ée|és|ées|i|ie|is|ise|it|ite|u|ue|us|ert|erte|int|ait)(?![\w])"
)


def tells_past(text: str) -> bool:
    """Whether `text` holds a verb in a compound past ("avait été exposé", "a annoncé")."""
    return _PAST.search(text.replace("’", "'")) is not None


# What has just happened: "venir de" and an infinitive ("Qu'est-ce qui vient d'ouvrir ?"), or
# « être » / « avoir » and a participle ("Qui vient d'être réélu maire ?").
_JUST_DONE = re.compile(
    r"(?<![\w-])(?:vient|viennent|venait|venaient)\s+d(?:e\s+|')"
    r"((?:(?:être|avoir)\s+)?[a-zàâçéèêëîïôûùüÿœ]+)(?![\w-])",
    re.I,
)
# The same verb said only as possible or to come: « pourrait ouvrir », « devrait ouvrir », « va
# ouvrir », « doit ouvrir », « pourrait être réélu ».
_MAY_HAPPEN = (
    r"(?<![\w-])(?:pourrai(?:t|ent)|devrai(?:t|ent)|va|vont|doit|doivent|pourra|pourront|devra|devront)"
    r"\s+(?:\w+\s+)?{verb}(?![\w-])"
)
# The same verb said done: « vient d'ouvrir », « vient d'être réélu », or a participle sharing its
# stem after « avoir » or « être » (« a ouvert », « a été réélu », « est ouverte »).
_DONE = (
    r"(?<![\w-])(?:(?:vient|viennent|venait|venaient)\s+d(?:e\s+|'){verb}(?![\w-])"
    r"|(?:a|ont|avait|avaient|est|sont|était|étaient)\s+(?:(?:été|déjà|bien|enfin)\s+)*(?:{participle})"
    r"(?:e|s|es)?(?![\w-]))"
)


def _participles(infinitive: str) -> list[str]:
    """The past participles an infinitive may have, in the masculine singular, on its whole stem:
    « fermer », fermé (not « fermement »); « partir », parti (not « parfois »); « ouvrir »,
    ouvert; « construire », construit; « prendre », pris; « élire », élu."""
    if infinitive.endswith("er"):
        return [infinitive[:-2] + "é"]
    stem = infinitive[:-2]
    if infinitive.endswith("ir"):
        return [stem + "i", stem + "u"] + ([infinitive[:-3] + "ert"] if infinitive.endswith("rir") else [])
    if infinitive.endswith("re"):
        forms = [stem + "u", stem + "t", infinitive[:-3] + "u"]
        return forms + ([infinitive[:-4] + "is"] if infinitive.endswith(("ndre", "ttre")) else [])
    return [infinitive]


def just_done(question: str) -> str | None:
    """The verb of what `question` asks has just happened, in the infinitive, or after « être » or
    « avoir » with its participle ("Qu'est-ce qui vient d'ouvrir à Méaudre ?": "ouvrir"; "Qui
    vient d'être réélu maire ?": "être réélu"), or None."""
    done = _JUST_DONE.search(question.replace("’", "'"))
    if done is None:
        return None
    verb = " ".join(done.group(1).lower().split())
    infinitive = verb.endswith(("er", "ir", "re"))
    return verb if " " in verb or (infinitive and verb not in ("être", "avoir")) else None


def only_to_come(sentence: str, verb: str) -> bool:
    """Whether `sentence` says `verb` (`just_done`) only as what may or will happen (« Une
    classe supplémentaire pourrait ouvrir à la rentrée 2027 »): no answer to what has just
    happened. Not when it also tells it done (« Une boulangerie vient d'ouvrir, et une pharmacie
    pourrait ouvrir »): the auxiliary alone (« il pourrait être candidat » for "vient d'être
    réélu") is no saying of the verb."""
    text = sentence.replace("’", "'")
    spelled = r"\s+".join(map(re.escape, verb.split()))
    if re.search(_MAY_HAPPEN.format(verb=spelled), text, re.I) is None:
        return False
    last = verb.split()[-1]
    participle = "|".join(map(re.escape, [last] if " " in verb else _participles(last)))
    return re.search(_DONE.format(verb=spelled, participle=participle), text, re.I) is None
