"""The reading rules about the kind of answer a question asks (`index.reading_rules` runs them
in their order): a rate or an average stated (`rate_stated`, `index.rates`), a head, a count or a
date given (`answer_type_given`, `index.answer_types`), and a count of those that did something
that is not a standing total (`count_not_a_standing_total`), with the reading of a question's
deed they share. Pure functions over the candidates (`index.candidates`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial

from index.analysis import STOPWORDS, stem, terms
from index.answer_types import (
    HAVING_BEFORE_COUNT,
    AnswerType,
    asked_answer_type,
    counts_all_of,
    dates_only_the_past,
    dates_the_other_end,
    gives_answer_type,
)
from index.candidates import Candidate, quoting_a_sentence_that, said_in_its_article_first
from index.conversation import has_pronoun_subject
from index.follow_ups import near_last_quote
from index.measures import (
    COUNT_WORDS,
    averaged_money_noun,
    holds_quantity,
    states_money_noun,
    without_asking_words,
)
from index.rates import asked_rate, holds_a_number, states_rate
from index.rulings import Ruling, WhatIsAsked
from index.tenses import speaks_of_future


def rate_stated(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question asking a rate or an average ("Combien d'enfants y a-t-il par classe en moyenne
    ?", "Combien chaque donateur a-t-il versé ?", "… par an ?", `index.rates`): a first quote
    stating no rate (« les neuf enfants de l'école », a total; « en moyenne 45 minutes » a sortie
    for a yearly figure) does not answer it; the sentence of its article stating one, with a
    number and a word of the question, is quoted instead (« Avec 17 élèves par classe en moyenne
    … »; per a thing, one naming it; per a time, for a count, one counting the noun asked), and
    when there is none, no answer: a total divided is not what the article says. An average of a
    kind of measure ("Quelle est la température moyenne … ?", "Quelle est la vitesse moyenne … ?")
    is one stating a quantity of that kind (`measures.holds_quantity`): « 35 % en moyenne » is
    no temperature, « en moyenne 13 700 par jour » no speed."""
    own = asked.reading.own
    rate = asked_rate(own)
    if rate is None or not ordered:
        return Ruling(list(ordered))
    kind = asked.wants.measure  # "Quelle est la température moyenne … ?": an average in degrees
    money = averaged_money_noun(own)  # "Quel est le salaire moyen … ?": a salary, not any cost

    def of_its_kind(sentence: str) -> bool:
        """« 35 % en moyenne » is no average temperature, « en moyenne 13 700 par jour » no speed,
        « coûte en moyenne 25 000 euros à un armateur » no docker's salary."""
        return (kind is None or holds_quantity(sentence, kind)) and (
            money is None or states_money_noun(sentence, money)
        )

    start, end = ordered[0].quote
    if states_rate(ordered[0].row.text[start:end], rate) and of_its_kind(ordered[0].row.text[start:end]):
        return Ruling(list(ordered))
    asking = set(terms(own)) - set(terms(without_asking_words(own))) | set(terms("moyenne moyen chaque chacun"))
    words = set(terms(without_asking_words(own))) - asking - ({rate.unit} if rate.timed else set())

    counted = asked_answer_type(own)
    by_name = counted is not None and counted.kind == "count"

    def states_it(sentence: str, in_its_words: bool = True) -> bool:
        said = set(terms(sentence))
        if not (states_rate(sentence, rate) and holds_a_number(sentence) and (words & said or not in_its_words)):
            return False
        if not of_its_kind(sentence):
            return False
        if rate.unit is not None and not rate.timed:
            return rate.unit in said  # « 17 élèves par classe » for "… par classe"
        # « quatre trains quotidiens, … faute de voyageurs » counts no travellers a day.
        return not by_name or gives_answer_type(sentence, counted, own, by_name=True)

    stating = said_in_its_article_first(ordered, states_it)
    if stating is None:  # its own passage's, in other words (« 7 500 stagiaires » for "élèves formés par an")
        in_passage = quoting_a_sentence_that(ordered[0], partial(states_it, in_its_words=False))
        stating = in_passage if in_passage.quote != ordered[0].quote else None
    if stating is not None:
        return Ruling([stating, *(c for c in ordered if c.row.id != stating.row.id)])
    return Ruling(list(ordered), False, f"no rate per {rate.unit or 'each'} in the first quote")


def answer_type_given(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question saying plainly what kind of answer it wants ("Qui dirige EDF ?", "Combien de
    manifestants … ?", "Quand … ?": `index.answer_types`): a first quote that does not hold one
    (no name beside a head's role, no number counting what is asked, no time at all) does not answer it,
    however many of its words it holds: the relation asked is not stated there. For a date or
    a head, the sentence of that passage giving one is quoted instead, when there is one: a
    passage dates its events in a sentence of their own, beside the one naming them (not when
    the quote dates the other end of what is asked: « Les travaux doivent débuter en janvier »
    for "Quand seront-ils terminés ?"), and names an office's holder where he speaks, a sentence
    after the one naming his town (« …, dénonce le maire, Jean-Luc Collet. »): for "Qui est le
    maire de Serquigny ?", whose office is asked, which the holder's role is checked against
    (« l'avocate des locataires » is not the owner's); not for "Qui dirige SNCF Voyageurs ?",
    whose passage may name the head of another (« son président », the users' association's).
    Not for a count: another sentence's number mostly counts another event (« 38 conducteurs
    recrutés » for "Combien en manque-t-il ?"). A head asked of a pronoun ("Qui les représente ?")
    after an answer is whom the last quote's paragraph names (`near_last_quote`), and a count
    asked of a pronoun subject ("Combien de logements compte-t-il ?") is said where the last
    quote spoke of it, in other words than the question's noun at need (« une douzaine de
    chalets »), unless the first quote counts the very noun asked. Asked when something will
    happen, a time all over (« depuis 2019 », « en 2024 ») does not answer; "En quelle année
    … ?" wants a year."""
    own = asked.reading.own
    wanted = None if asked.as_its_topic else asked_answer_type(own)
    if wanted is None or not ordered:
        return Ruling(list(ordered))
    topic = asked.reading.topic
    counts_of_pronoun = (
        wanted.kind == "count" and has_pronoun_subject(own) and not _counts_by_name(ordered[0], wanted, own)
    )
    # "Quand ?", "C'était quand ?" after an answer, with no word of its own (searched with its
    # topic's): when what the last quote said happened, the quote itself or its paragraph's
    # sentence dating it (« … à la fin du mois de juin 2028. Les 186 salariés du site seront
    # licenciés »), not another paragraph's date of another event (« perdu 14 millions depuis 2023 »).
    # One naming an event of its own ("Et pour la réouverture, quand ?", "Et pour la route, c'est
    # prévu quand ?") asks that event's date, which the search found, not the last quote's.
    date_of_last_quote = wanted.kind in ("date", "year") and asked.reading.search != own and not terms(own)
    if (
        (wanted.of_pronoun or counts_of_pronoun or date_of_last_quote)
        and topic is not None
        and topic.read_to is not None
    ):
        # "Qui les représente ?" after « La CGT … demande … », "Combien de logements compte-t-il ?"
        # after « Le hameau … a accueilli ses premiers vacanciers »: what the last quote spoke
        # of, in its paragraph (« … a fait construire une douzaine de chalets »).
        # A count of the very noun asked first (« Le Belge … avait disputé 241 matches » for
        # "Combien de matches a-t-il joués ?"), before the quote's count of another (« après huit
        # saisons »), which may be it in other words when there is none.
        by_name = partial(gives_answer_type, asked=wanted, question=own, by_name=True) if counts_of_pronoun else None
        ordered = near_last_quote(
            ordered, topic.read_to, partial(gives_answer_type, asked=wanted, question=own), prefer=by_name
        )
    first = ordered[0]
    start, end = first.quote
    dated = wanted.kind in ("date", "year")
    moves = (wanted.kind == "head" and wanted.whose is not None) or (
        dated and not dates_the_other_end(first.row.text[start:end], own)
    )
    gives = partial(_gives, wanted, own, _year_of(first) if dated and speaks_of_future(own) else None)
    if moves:
        first = quoting_a_sentence_that(first, gives)
    start, end = first.quote
    given = gives(first.row.text[start:end])
    if not given and wanted.kind == "count":
        # « Leurs occupants … ont dû quitter les lieux sous 48 heures » for "Combien de logements
        # ont été évacués ?": the sentence of its article counting what the question's verb says
        # was done (« un arrêté d'évacuation pour douze chalets »), whatever noun it counts by,
        # when the article never names the noun asked; else only a sentence naming it (« plus de
        # 2500 chercheur·eus·e·s annoncent … »): the article naming it uncounted (« Les ingénieurs
        # recrutés rejoindront … »), another noun's count by the same deed (« a recruté 45
        # techniciens ») is another thing's.
        done = set(terms(" ".join(_deed_words(own)))) - {*wanted.nouns, *_ASKING_COUNT, *_HAVING}
        in_other_words = not _names_the_noun_counted(ordered, wanted)
        # Whose total is asked: the question's other words (« car », « festival », « conseil »).
        owners = frozenset(terms(own)) - {*wanted.nouns, *_ASKING_COUNT, *_HAVING}

        def counts_the_deed(sentence: str) -> bool:
            if not done:
                # No deed asked, a total ("Combien de bénévoles compte le festival ?"): a sentence
                # counting the whole of the noun asked by name (« Les 230 bénévoles du festival
                # seront consultés »), not another noun, nor a part (« onze élus de sa majorité
                # ont voté contre » for "Combien d'élus compte le conseil ?").
                return counts_all_of(sentence, wanted.nouns, owners) and gives(sentence)
            said = set(terms(sentence))
            return bool(done & said) and (in_other_words or bool(wanted.nouns & said)) and gives(sentence)

        counted = said_in_its_article_first([first, *ordered[1:]], counts_the_deed)
        if counted is not None:
            return Ruling([counted, *(c for c in ordered if c.row.id != counted.row.id)])
    # "Qui les représente ?": a representative named in the article the conversation is on is
    # the one it asks for, whatever the relevance policy makes of the words (« Sa présidente,
    # Fatima Benali, … » of the tenants, where "représente" is no word of the article).
    said = (
        given
        and wanted.kind == "head"
        and wanted.of_pronoun
        and topic is not None
        and first.row.article.id in topic.articles
    )
    why = "" if given else f"no {wanted.kind} in the first quote"
    return Ruling([first, *ordered[1:]], given, why, by_conversation=said)


def count_not_a_standing_total(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question counting those that did something ("Combien d'entreprises ont fait faillite ?",
    "Combien de bateaux ont manifesté ?", a deed in a compound past) is not answered by a first
    quote giving only how many there are (« Le bassin compte 315 entreprises », « La flottille
    compte 86 bateaux », « L'usine emploie 45 salariés »: a verb of having before the number)
    when it does not say the deed (« L'usine compte 260 salariés licenciés » does) nor count what
    is asked beside that total (« qui regroupe 230 boutiques, a lancé une pétition qui a recueilli
    8 400 signatures » for "Combien de personnes ont signé … ?"; not a year, « En 2024 », a day,
    « le 3 mars », nor what restates or divides the total, « soit 4 000 emplois »): that count is
    all of them, not those that did it. Not a deed of counting or having ("Combien de grues ont
    été comptées ?", "… recensées ?"), nor a question in the present ("Combien de pêcheurs
    travaillent … ?", answered by « compte 250 marins »; "Combien de communes sont desservies ?", a
    present passive, answered by « Le réseau compte 25 communes »)."""
    counted = _past_deed_counted(ordered, asked)
    if counted is None:
        return Ruling(list(ordered))
    own, wanted, deed, quote = counted
    if _STANDING_TOTAL.search(quote) is None or set(_deed_terms(own, deed)) & set(terms(quote)):
        return Ruling(list(ordered))
    if gives_answer_type(_STANDING_TOTAL_CLAUSE.sub(" ", quote), wanted, own):
        return Ruling(list(ordered))  # « qui regroupe 230 boutiques, … a recueilli 8 400 signatures »
    return Ruling(list(ordered), False, f"a total, not those « {deed.group(3)} », in the first quote")


# A deed in a compound past, its participle: "ont fait faillite", "ont manifesté", "ont été
# vendues", "sont mortes", "a-t-elle licenciés". The participle in lower case: "Combien
# d'habitants a Paris ?", "… a Lactalis ?" name a place, a firm.
_PAST_DEED = re.compile(
    r"(?<![\w'’-])(?P<aux>(?i:ont|a|avaient|avait|sont|est|étaient|était))(?i:-t-(?:il|elle|on)|-ils|-elles)?\s+"
    r"(?P<between>(?i:(?:déjà|été|pas|encore)\s+)*)"
    r"([a-zàâçéèêëîïôûùüÿœ]+(?:é|ée|és|ées|i|ie|is|ies|u|ue|us|ues|t|te|ts|tes))(?![\w-])"
)
# The verbs whose compound past takes « être » ("sont morts", "sont partis", "sont nés"): after
# « sont » any other participle is a state in the present ("Combien de communes sont desservies ?",
# "… sont concernés ?"), which a total answers. The whole participle, not its start: « allégés »,
# « partagés », « mortifiés », « passionnés » are no « allé », « parti », « mort », « passé ».
_PAST_WITH_ETRE = re.compile(
    r"(?:(?:re|de|inter|par|sur|pro)?venu|arrivé|parti|mort|né|décédé|resté|tombé|r?entré|sorti|allé|retourné"
    r"|passé|monté|descendu|apparu|disparu)e?s?$"
)
_NEXT_WORD = re.compile(r"\s+([\w'’-]+)")


def _deed_terms(question: str, deed: re.Match[str]) -> list[str]:
    """The terms saying the deed: its participle's, or, for a participle that is a stopword
    ("ont fait faillite", "ont eu peur"), the word after it (« qui ont fait faillite », « en
    faillite » say it). The one deed whose doers are counted, for `count_not_a_standing_total`,
    where a quote saying it is no bare total: not every verb of the question (`_deed_words`), whose
    participles may qualify a noun ("… la pétition lancée par le maire", "… le quartier rénové"),
    so that « Le quartier rénové compte 300 familles » would pass as saying the deed."""
    said = terms(deed.group(3))
    after = _NEXT_WORD.match(question, deed.end())
    return said or (terms(after.group(1)) if after else [])


_REFLEXIVE_BEFORE = re.compile(r"(?<![\w'’-])(?:se|s['’])\s*$", re.I)


def _past_deed(question: str) -> re.Match[str] | None:
    """The first deed in a compound past `question` asks of (`_PAST_DEED`, its participle group 3):
    with « avoir », « été » ("ont été licenciés"), a reflexive ("se sont mobilisés") or a verb
    taking « être » ("sont partis"); not a present passive ("sont desservies")."""
    for deed in _PAST_DEED.finditer(question):
        of_etre = deed.group("aux").lower() in ("sont", "est", "étaient", "était")
        if (
            not of_etre
            or "été" in deed.group("between").lower()
            or _REFLEXIVE_BEFORE.search(question, 0, deed.start())
            or _PAST_WITH_ETRE.match(deed.group(3))
        ):
            return deed
    return None


# A deed that counts or has what it counts ("ont été comptées", "recensés", "ont eu"): a total answers it.
_COUNTING_DEED = re.compile(
    r"(?:compt|recens|dénombr|enregistr|inscrit|possédé|eu$|eus$|eue|été$|totalis|regroup|réuni|accueilli|employé)",
    re.I,
)
# A verb of having before a number: « compte 315 entreprises », « emploie environ 800 personnes ».
_STANDING_TOTAL = re.compile(
    HAVING_BEFORE_COUNT + r"(?:\d|(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt"
    r"|trente|quarante|cinquante|soixante|cent|mille)\b)",
    re.I,
)
# … and the rest of its clause (« compte 86 bateaux et 250 marins »), what it counts, across a
# number's decimal comma (« 2,5 milliers »), with what restates or divides that total (« , soit
# 4 000 emplois », « , dont 60 % de PME »).
_STANDING_TOTAL_CLAUSE = re.compile(
    _STANDING_TOTAL.pattern + r"(?:[^,;:.!?]|[,.](?=\d))*(?:,\s*(?:soit|dont)\b(?:[^,;:.!?]|[,.](?=\d))*)*", re.I
)


def _names_the_noun_counted(ordered: Sequence[Candidate], wanted: AnswerType) -> bool:
    """Whether a passage found of the first one's article names the noun `wanted` counts (its
    stems), in the words of the question."""
    article = ordered[0].row.article.id
    return any(wanted.nouns & set(terms(c.row.text)) for c in ordered if c.row.article.id == article)


# The terms that ask for a count, which say nothing of what was counted.
_ASKING_COUNT = frozenset(terms("combien nombre"))
# Verbs of having, which say of nothing what was done to it: "Combien d'habitants compte Millau ?"
# is not answered by « L'opposition, qui compte six élus, … ».
_HAVING = frozenset(
    terms("compte comptent possède possèdent comprend comprennent contient contiennent abrite totalise")
)
_QUESTION_WORDS = re.compile(r"[\w-]+(?:['’])?")
_OPENS_NOUN = frozenset("le la les l' l’ un une des du de d' d’ son sa ses leur leurs ce cet cette ces chaque".split())


def _deed_words(question: str) -> list[str]:
    """The words of `question` that may say what was done, not whom to: verbs, none a determiner
    opens and none capitalised ("Combien de salariés la start-up a-t-elle embauchés ?":
    "embauchés", not "start-up"; "Combien de campeurs accueille le camping chaque été ?":
    "accueille"; "Combien d'élus compte le conseil municipal ?": none, "compte" a verb of
    having, `_HAVING`). A loose sieve for `answer_type_given`, which looks for a sentence counting
    what was done in other words than the noun asked: any verb may be the one the article says;
    not the one deed `count_not_a_standing_total` checks a quote for (`_deed_terms`), which
    takes no present ("accueille") and reads a stopword participle by the word after it ("ont
    eu peur": « peur », which this sieve drops)."""
    words = _QUESTION_WORDS.findall(question)
    return [
        word
        for at, word in enumerate(words)
        if at
        and word[0].islower()
        and words[at - 1].lower() not in _OPENS_NOUN
        and word.split("-t-")[0].split("-")[0].endswith(_MAY_END_A_VERB)
    ]


# The endings a conjugated verb or a participle may have ("évacués", "accueille", "recrutent"):
# a loose sieve, since "e" (the present of the verbs in -er) ends most French words; it keeps out
# words ending otherwise ("municipal", "combien", "ont", "dans"). What keeps nouns out is the
# determiner before them (`_OPENS_NOUN`) and the capital of a name.
_MAY_END_A_VERB = ("é", "és", "ées", "er", "ir", "e", "ent", "is", "it", "ts", "u", "us", "ues")


def _gives(wanted: AnswerType, question: str, future_of: int | None, sentence: str) -> bool:
    """Whether `sentence` gives the answer type `wanted`; for a question asking when something
    will happen (`future_of`: the year of the article read, None for any other question), a time
    that is not all past (`answer_types.dates_only_the_past`: « depuis 2019 », « en 2024 » in an
    article of 2026 say nothing of what is to come)."""
    if not gives_answer_type(sentence, wanted, question):
        return False
    # Not « told in the past »: news dates what is to come in a past sentence (« Le jugement a été
    # mis en délibéré au 24 avril », « Le groupe a confirmé la fermeture à la fin du mois de juin »).
    return future_of is None or not dates_only_the_past(sentence, future_of, years_only=wanted.kind == "year")


def _counts_by_name(candidate: Candidate, wanted: AnswerType, question: str) -> bool:
    """Whether the candidate's quote counts the very noun asked (« 22 des 29 sièges » for
    "Combien de sièges aura-t-elle ?"): it answers, whatever the pronoun stands for."""
    start, end = candidate.quote
    return gives_answer_type(candidate.row.text[start:end], wanted, question, by_name=True)


def _year_of(candidate: Candidate) -> int:
    """The year of the candidate's article, 0 when it is not dated (then only « depuis … » is past)."""
    date = candidate.row.article.date or ""
    return int(date[:4]) if date[:4].isdigit() else 0


def _past_deed_counted(
    ordered: Sequence[Candidate], asked: WhatIsAsked
) -> tuple[str, AnswerType, re.Match[str], str] | None:
    """What the two count rules read: a question counting those that did or underwent a deed in
    a compound past (not one of counting or having, "… ont été comptées ?"), as the question's
    own words, the count asked, the deed and the first quote's text; None for any other."""
    own = asked.reading.own
    wanted = None if asked.as_its_topic else asked_answer_type(own)
    deed = _past_deed(own)
    if wanted is None or wanted.kind != "count" or deed is None or not ordered:
        return None
    if _COUNTING_DEED.match(deed.group(3)):
        return None
    start, end = ordered[0].quote
    return own, wanted, deed, ordered[0].row.text[start:end]


def count_not_by_another_deed(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question counting what was done in the past ("Combien de postes ont été supprimés ?", a
    deed in a compound past) is not answered by a first quote counting the very noun asked as the
    object of a verb in the future, the deed unsaid (« Nous gèlerons 40 postes »): what will be
    is not what was. A verb in the past may say the deed in other words (« Les fouilles ont livré
    onze fours » for "… trouvés ?", « Nous avons hébergé 230 personnes » for "… ont dormi dans les
    gymnases ?": both lost by first versions reading any other verb, review-68 and review-74), so
    « Le club a encaissé 51 buts » for "… marqués ?" and « a indemnisé 41 victimes » for "… ont
    porté plainte ?" are left as they came. Not a verb of counting or having (`count_not_a_
    standing_total` reads those), a count with no verb right before it, nor a quote saying the
    deed."""
    counted = _past_deed_counted(ordered, asked)
    if counted is None:
        return Ruling(list(ordered))
    own, wanted, deed, quote = counted
    done = set(_deed_terms(own, deed))
    if not done or done & set(terms(quote)):
        return Ruling(list(ordered))
    verb = _future_counting(quote, wanted.nouns)
    if verb is None:
        return Ruling(list(ordered))
    return Ruling(list(ordered), False, f"« {verb} », not « {deed.group(3)} », in the first quote")


# A verb in the future: « gèlerons », « supprimeront », « recrutera ». Not -ra, -ront or -rez
# after another letter than e (« perdra », « recevront »): « dura », « entra » are a past too.
_FUTURE = re.compile(r"[a-zà-ÿ]+(?:rons|eront|erez|era)")


_SENTENCE_WORDS = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:[,.]\d+)?|[^\W\d_][\w'’-]*")
# What may stand between a verb and the number it counts: « recrutera environ 30 salariés », « ne
# gèlera que 20 postes ».
_BEFORE_NUMBER = frozenset("jusqu'à jusqu’à à environ plus moins près de au déjà encore quelque seulement que".split())
# An adverb in -ment, between a verb and its number, never the verb: « gèlerons notamment 40
# postes » is read by « gèlerons ».
_ADVERB = re.compile(r"[a-zà-ÿ]+(?:ement|ément|amment|emment|ument|ûment)")


def _future_counting(sentence: str, nouns: frozenset[str]) -> str | None:
    """The verb in the future whose object is a number counting one of `nouns` (stems) in
    `sentence` (« Nous gèlerons notamment 40 postes »: "gèlerons"), the word right before the
    number past what may stand between (`_BEFORE_NUMBER`, an adverb); None when no count of them
    has one, or only a verb of counting (« recensera ») or « sera », « auront »."""
    words = _SENTENCE_WORDS.findall(sentence)
    for at, word in enumerate(words):
        if at < 2 or stem(word.lower()) not in nouns:
            continue
        number = words[at - 1].lower()
        if not (number[:1].isdigit() or number in COUNT_WORDS):
            continue
        before = at - 2
        while before > 0 and (words[before].lower() in _BEFORE_NUMBER or _ADVERB.fullmatch(words[before])):
            before -= 1
        verb = words[before]
        if _FUTURE.fullmatch(verb) and verb not in STOPWORDS and not _COUNTING_DEED.match(verb):
            return verb
    return None
