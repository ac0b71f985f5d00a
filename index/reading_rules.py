"""The reading rules: what the words of a question say about which candidate answers it, once the
passage model has ordered them (README, "How it works", steps 7 to 9). Each rule reads the
candidates in their order and the question as read (`WhatIsAsked`), and gives a `Ruling`: the
candidates in a new order (or quoting other sentences), and whether the answer still stands. A
rule that does not apply gives the candidates as they came. They run in the order of
`READING_RULES`, each on the order the one before it gave; the answer stands only if every rule
lets it (and the relevance policy finds it relevant: `index.search`). Adding a rule is adding
one entry there (the rule itself here, or among those about a person asked, `index.person_rules`,
or about the kind of answer asked, `index.answer_type_rules`; what they read and give:
`index.rulings`). Pure functions over the candidates (`index.candidates` holds what they do)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.analysis import terms
from index.answer_type_rules import (
    answer_type_given,
    count_not_a_standing_total,
    count_not_by_another_deed,
    rate_stated,
)
from index.answer_types import asked_answer_type, gives_answer_type
from index.calendar_words import FRENCH_MONTHS, months_said_without_name, years_said_without_number
from index.candidates import (
    Candidate,
    asks_it_of_instead,
    cause_nearest_first,
    future_dated_first,
    held_in_first_article,
    holding_first,
    measured_first,
    quoting_statements,
    said_in_its_article_first,
    saying_it_of_first,
    still_asked,
    with_reasons_before,
)
from index.causes import asks_why
from index.conversation import added_words, has_pronoun_subject, months_named, speaker_pronoun, years_named
from index.follow_ups import last_quoted_first, measured_near_last_quote, nearest_quotation_first
from index.measures import without_asking_words
from index.person_rules import age_of_whom_asked, description_for_who, person_for_who, tenure_of_whom_last_named
from index.quotes import asked_noun, deed_asked, without_doer
from index.rulings import ReadingRule, Ruling, WhatIsAsked
from index.speakers import spoken_by
from index.tenses import just_done, only_to_come, speaks_of_future


def quote_statements(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A quote that is itself a question holding none of the question's words gives way to a
    statement of its passage (not « Cela fait-il … pour autant ? »: `quoting_statements`)."""
    return Ruling(quoting_statements(ordered, asked.reading.own))


def pronoun_for_last_quote(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A follow-up in its own words ("Qu'est-ce qui l'inquiète ?"): its pronoun stands for whom
    the last quote spoke of, so that passage comes first, quoted near it (`last_quoted_first`)."""
    reading = asked.reading
    if reading.topic is None or reading.topic.read_to is None or reading.search != reading.own:
        return Ruling(list(ordered))
    return Ruling(last_quoted_first(ordered, reading.topic.read_to, reading.own))


def quotation_for_said(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A follow-up asking only what someone said ("Qu'a-t-il dit ?"): in the passage the last
    answer quoted, the sentence holding a « … » quotation nearest that quote is quoted
    (`nearest_quotation_first`): news writes « … », affirme-t-il, seldom "dit". When that passage
    holds none, the nearest of its article quoting one of the pronoun's gender (« … »,
    a-t-elle lancé, for "Et elle, qu'a-t-elle dit ?"). Words said by one of the pronoun's gender
    answer it, as the conversation says (`Ruling.by_conversation`)."""
    reading = asked.reading
    if not reading.said or reading.topic is None or reading.topic.read_to is None:
        return Ruling(list(ordered))
    speaker = speaker_pronoun(reading.own)
    order = nearest_quotation_first(ordered, reading.topic.read_to, speaker)
    start, end = order[0].quote
    return Ruling(order, by_conversation=speaker is not None and speaker in spoken_by(order[0].row.text[start:end]))


def future_for_future(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question asking when something will happen ("Quand sera-t-il exposé ?"): a first quote
    dating only what is past gives way to a sentence of its article dating what is to come
    (`future_dated_first`)."""
    own = asked.reading.own
    if asked.wants.kind != "date" or not speaks_of_future(own):
        return Ruling(list(ordered))
    return Ruling(future_dated_first(ordered))


def cause_for_why(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question asking why ("Pourquoi la taxe augmente-t-elle ?", or "Pourquoi ?" after one on
    the taxes): a first quote that only names what is asked about gives way to the sentence near
    it giving the cause (`cause_nearest_first`): the question's words are in the sentence that
    states the fact, its cause in the one after (« En effet », « car »), in the next paragraph,
    or before. A follow-up pointing back ("Pourquoi sont-ils morts ?", "Pourquoi autant ?",
    "Pourquoi ce retard ?") asks the cause of what the last answer quoted: looked for from that
    quote."""
    reading = asked.reading
    if not asks_why(reading.own):
        return Ruling(list(ordered))
    topic = reading.topic
    points_back = (
        topic is not None
        and topic.read_to is not None
        and (
            reading.search != reading.own
            or has_pronoun_subject(reading.own)
            or _WHY_THIS.match(reading.own) is not None
        )
    )
    # « Les rames sont donc bondées »: its reasons are the sentences before (`with_reasons_before`).
    return Ruling(with_reasons_before(cause_nearest_first(ordered, topic.read_to if points_back else None)))


# "Pourquoi ce retard ?", "Pourquoi cette hausse ?", "Pourquoi de tels chiffres ?": a demonstrative
# standing for what the last answer said (« … est repoussée à 2029 »), whose words the article may
# never use (« retard » is only in its title).
_WHY_THIS = re.compile(r"^\W*(?:et\s+)?pourquoi\s+(?:ce|cet|cette|ces|de tels|de telles|un tel|une telle)\s", re.I)


def done_not_to_come(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question asking what has just happened ("Qu'est-ce qui vient d'ouvrir à Méaudre ?") is
    not answered by a first quote saying its verb only as what may or will happen (« Une classe
    supplémentaire pourrait ouvrir à la rentrée 2027 »): it has not happened, and a wrong first
    answer leads the follow-ups astray (`index.tenses.only_to_come`)."""
    verb = just_done(asked.reading.own)
    if verb is None or not ordered:
        return Ruling(list(ordered))
    start, end = ordered[0].quote
    if only_to_come(ordered[0].row.text[start:end], verb):
        return Ruling(list(ordered), False, f"« {verb} » only to come in the first quote")
    return Ruling(list(ordered))


def measure_stated(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question asking for a quantity ("Combien pèse… ?"): the first article's passages stating
    a weight come first; a first passage that neither states one nor names the measure does not
    answer (`measured_first`)."""
    if asked.wants.measure is None:
        return Ruling(list(ordered))
    reading = asked.reading
    measures_own = reading.follows and not asked.as_its_topic
    order, held = measured_first(ordered, reading.own, asked.wants.measure, measures_own)
    return Ruling(order, held, "" if held else f"no {asked.wants.measure} stated")


def measure_of_whom_last_quoted(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A follow-up asking a quantity of whom its pronoun stands for, and naming nothing else
    ("Quel âge a-t-il ?", "Combien pèse-t-il ?"): the one the last quote spoke of, so the
    passage last quoted comes first, quoted at the sentence of its paragraph stating it
    (`measured_near_last_quote`), before another passage's figure said of someone else. Not
    "Combien cela coûtera-t-il à un propriétaire ?": what it names finds its own sentence."""
    reading = asked.reading
    measure = asked.wants.measure
    if (
        measure is None
        or asked.as_its_topic
        or reading.topic is None
        or reading.topic.read_to is None
        or not has_pronoun_subject(reading.own)
        or terms(without_asking_words(reading.own))  # "… cela coûtera-t-il à un propriétaire ?"
    ):
        return Ruling(list(ordered))
    return Ruling(measured_near_last_quote(ordered, reading.topic.read_to, measure))


def subject_named(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """An interrogative alone naming what it asks about ("Combien de munitions ?"): the passages
    naming it come first. When its
    topic's articles never name it, it is asked alone of the whole library, and answered as the
    relevance policy says if that finds nothing; asked of the whole library, it is declined."""
    reading = asked.reading
    if not reading.subject:
        return Ruling(list(ordered))
    order, held = holding_first(ordered, reading.subject)
    if held:
        return Ruling(order)
    why = f"no passage names {' '.join(reading.subject)}"
    if reading.articles:
        return Ruling(order, True, why, instead=reading.standing_alone)
    return Ruling(order, False, why)


def said_of_instead(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """An "Et" and a noun phrase ("Et les vélos ?" after "Combien de trottinettes étaient mal
    garées ?"): the passages saying the topic's question of bikes come first; when none does,
    and the topic asked about a noun (not "Y a-t-il des licenciements ?", which a place's « n'est
    pas menacé » answers), no answer (`saying_it_of_first`)."""
    reading = asked.reading
    topic = reading.topic
    if topic is None or not asks_it_of_instead(reading.own):
        return Ruling(list(ordered))
    instead = added_words(reading.own, topic.question)
    if not instead:
        return Ruling(list(ordered))
    order, said = saying_it_of_first(ordered, instead, still_asked(topic.question, instead))
    stands = said or asked_noun(topic.question) is None
    return Ruling(order, stands, "" if stands else f"nothing said of {' '.join(instead)}")


def required_held(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A follow-up adding years, figures or names to its topic ("Et en 2020 ?"): the passages
    holding them come first; a passage without them does not answer it, and the reply names
    them (`holding_first`)."""
    required = asked.reading.required
    if not required:
        return Ruling(list(ordered))
    order, held = holding_first(ordered, required)
    if held:
        return Ruling(order)
    return Ruling(order, False, f"no passage holds {' '.join(required)}", unheld=required)


def asked_year_held(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question naming a year ("Combien de loups ont été abattus en 2021 ?"), not one its
    topic already named (`required_held` reads those a follow-up adds): a first passage that
    does not hold it gives way to those of its article that do (`held_in_first_article`: one
    dated in it stays first, « Vingt-sept brebis tuées » in an article of 2024 for "… en
    2024 ?"); when none does, no answer, and the reply names the year. An article giving 2023's
    figure does not give 2021's, however close its words."""
    years = tuple(y for y in years_named(asked.reading.own) if y not in asked.reading.required)
    if not years:
        return Ruling(list(ordered))
    if holding_first(ordered[:1], years)[1]:  # the first holds it, or is dated in it: as it was
        return Ruling(list(ordered))
    order, held = held_in_first_article(ordered, years)
    if held:
        return Ruling(order)
    return Ruling(order, False, f"no passage holds {' '.join(years)}", unheld=years)


def asked_month_held(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question dating what it asks by a month ("Combien de navires ont été déchargés en
    octobre ?"), not one its topic already named: when the first passage's article neither names
    that month (its passages found, title or heading) nor is dated in it, no answer, and the reply
    names the month: « Depuis le 8 novembre, plus aucun navire n'est déchargé » says nothing of
    October. One of its passages naming it comes first (`held_in_first_article`). A first passage
    saying the month in other words stands (« Le mois dernier » of an article dated in November,
    « À la rentrée » for September: `months_said_without_name`)."""
    months = tuple(m for m in months_named(asked.reading.own) if m not in asked.reading.required)
    if not months or not ordered:
        return Ruling(list(ordered))
    date = ordered[0].row.article.date or ""
    asked_months = {FRENCH_MONTHS[m] for m in months}
    if date[5:7].isdigit() and int(date[5:7]) in asked_months:
        return Ruling(list(ordered))  # dated in it: « ce mois-ci » may say it
    if months_said_without_name(ordered[0].row.text, date) & asked_months:
        return Ruling(list(ordered))  # « Le mois dernier » of an article dated in November: October
    if holding_first(ordered[:1], months)[1]:
        return Ruling(list(ordered))
    order, held = held_in_first_article(ordered, months)
    if held:
        return Ruling(order)
    return Ruling(order, False, f"no passage holds {' '.join(months)}", unheld=months)


def year_by_the_date_stated(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question asking of a year by the article's date, naming none ("Combien de bébés y sont
    nés l'an dernier ?", « cette année », « l'an prochain »): of the first passage's article,
    dated 2026-11-25, 2025 (`years_said_without_number`). A first quote stating it stands, by
    its number or in the same words (« L'an dernier, 280 bébés y sont nés »), as does one naming
    no year when the article's own is asked; otherwise the first passage of that article with a
    sentence stating it comes first, quoting it: « Elle en a réalisé 296 en 2025 », not « Les
    intérimaires coûtaient 1,4 million d'euros par an ». An article without a date, or none of
    its passages stating the year: as it came. Only for a question saying what kind of answer
    it wants ("Combien … ?": `asked_answer_type`), by a sentence giving one: « Le 14 mai 2025,
    23 enfants avaient été pris de nausées » does not say "Quelle amende a-t-il payée l'an
    dernier ?"."""
    if not ordered or years_named(asked.reading.own):
        return Ruling(list(ordered))
    date = ordered[0].row.article.date or ""
    years = years_said_without_number(asked.reading.own, date)
    wanted = asked_answer_type(asked.reading.own)
    if not years or wanted is None:
        return Ruling(list(ordered))

    def stated(sentence: str) -> bool:
        said = {int(y) for y in years_named(sentence)} | years_said_without_number(sentence, date)
        return bool(years & said) and gives_answer_type(sentence, wanted, asked.reading.own)

    start, end = ordered[0].quote
    quote = ordered[0].row.text[start:end]
    if stated(quote) or (int(date[:4]) in years and not years_named(quote)):
        return Ruling(list(ordered))
    first = said_in_its_article_first(ordered, stated)
    if first is None:
        return Ruling(list(ordered))
    return Ruling([first, *(c for c in ordered if c.row.id != first.row.id)])


def doer_said(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question asking who did something ("Qui l'a traduit ?"): a first quote holding the deed
    only as said of the thing done ("roman traduit en français"), nobody doing it, does not
    answer (`without_doer`)."""
    deed = deed_asked(asked.reading.own)
    if deed is None:
        return Ruling(list(ordered))
    start, end = ordered[0].quote
    said = not without_doer(ordered[0].row.text[start:end], deed)
    return Ruling(list(ordered), said, "" if said else f"no doer of « {deed} » in the first quote")


# The rules, in the order they run, each on the order the one before gave.
READING_RULES: tuple[ReadingRule, ...] = (
    quote_statements,  # a quote that only asks back gives way to a statement of its passage
    pronoun_for_last_quote,  # "Qu'est-ce qui l'inquiète ?": the passage last quoted first
    quotation_for_said,  # "Qu'a-t-il dit ?": the quotation nearest the last quote
    description_for_who,  # "Qui est-elle ?": sentences saying who someone is quoted
    person_for_who,  # "Qui le dit ?": a quote naming nobody, only "elle": the sentence naming her
    future_for_future,  # "Quand sera-t-il exposé ?": a sentence dating what is to come first
    done_not_to_come,  # "Qu'est-ce qui vient d'ouvrir ?": a quote where it « pourrait ouvrir »: no answer
    cause_for_why,  # "Pourquoi … ?": a sentence near the first quote giving the cause quoted
    measure_stated,  # "Combien pèse… ?": passages stating a weight first; none: no answer
    measure_of_whom_last_quoted,  # "Quel âge a-t-il ?": the last quoted passage's age first
    age_of_whom_asked,  # "Quel âge a Thierry Lafon ?": a first quote giving another's age: no answer
    tenure_of_whom_last_named,  # "Depuis combien de temps est-elle … ?": of another than those last named: none
    subject_named,  # "Combien de munitions ?": passages naming them first; none: asked alone
    said_of_instead,  # "Et les vélos ?": passages saying it of bikes first; none: no answer
    required_held,  # "Et en 2020 ?": passages holding 2020 first; none: no answer, 2020 named
    doer_said,  # "Qui l'a traduit ?": a first quote where nobody translated: no answer
    rate_stated,  # "Combien … par classe en moyenne ?": a first quote giving a total: no answer
    asked_year_held,  # "… abattus en 2021 ?": passages holding 2021 first; none: no answer
    asked_month_held,  # "… déchargés en octobre ?": an article never naming October nor dated in it: no answer
    year_by_the_date_stated,  # "… nés l'an dernier ?" of an article of 2026: a sentence stating 2025 first
    answer_type_given,  # "Qui dirige EDF ?": a first quote naming nobody at its head: no answer
    count_not_a_standing_total,  # "… ont fait faillite ?": « Le bassin compte 315 entreprises »: no answer
    count_not_by_another_deed,  # "… ont été supprimés ?": « Nous gèlerons 40 postes »: no answer
)


def read_by_rules(
    ordered: Sequence[Candidate], asked: WhatIsAsked, rules: Sequence[ReadingRule] = READING_RULES
) -> tuple[list[Candidate], list[Ruling]]:
    """The candidates in the order the `rules` leave them, and each rule's ruling."""
    order, rulings = list(ordered), []
    for rule in rules:
        ruling = rule(order, asked)
        order = ruling.order
        rulings.append(ruling)
    return order, rulings
