"""The quote: the sentence that answers, and never a piece of a quotation."""

import re

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from index.analysis import stem, terms
from index.candidates import Candidate, without_repeated_quotes
from index.documents import parse_text
from index.quotes import (
    _CENTURIES,
    _DATED,
    _DAY_OR_YEAR_DATED,
    _INNER_NAME,
    _PERSON,
    _QUANTITY,
    FEATURES,
    QUOTE_MODEL,
    READ_ON_WORDS,
    AskedFor,
    PassageSentenceTexts,
    _month_spans,
    _search,
    asked_for,
    asked_noun,
    asks_for_someone,
    deed_asked,
    describes,
    names_person,
    next_quote,
    passages_features,
    persons_named,
    question_type,
    quote_span,
    same_length_lower,
    sentence_features,
    sentence_properties,
    speaks_of_someone,
    who_someone_is,
    without_doer,
)
from index.reordering import TermMatch
from index.sentences import sentence_spans
from index.store import ArticleRow, PassageRow


def test_a_quote_inside_guillemets_is_widened_to_the_whole_quotation_and_its_attribution():
    passage = (
        "Le syndicat a parlé. « Nous avons alerté. Bercy n'a rien fait. Rien du tout », accuse-t-il. Puis il part."
    )
    spans = sentence_spans(passage)
    scores = np.array([0.0, 0.0, 1.0, 0.0, 0.0])  # the answer is the quotation's second sentence
    start, end = quote_span(spans, scores, passage)
    assert passage[start:end] == "« Nous avons alerté. Bercy n'a rien fait. Rien du tout », accuse-t-il."


def test_of_sentences_scored_alike_the_earlier_is_quoted():
    passage = "Le pont ouvre en 2026 après dix ans de travaux. La ville a payé la moitié des travaux du pont."
    spans = sentence_spans(passage)
    assert quote_span(spans, np.array([1.0, 1.0], np.float32), passage) == spans[0]
    assert quote_span(spans, np.array([-np.inf, 0.5], np.float32), passage) == spans[1]


def quoting(passage_id: int, text: str) -> Candidate:
    """A candidate passage of one sentence, which it quotes whole."""
    article = ArticleRow(passage_id, "Titre", None, None, None, None, "2026-01-01T00:00:00Z", 1)
    row = PassageRow(passage_id, passage_id, 0, 0, len(text), None, text, article)
    whole = (0, len(text))
    return Candidate(
        row, 0.0, passage_id, None, None, 0.0, [whole], np.zeros((1, 1)), np.zeros(1), whole, TermMatch(1, 1, 1, 1)
    )


def test_the_quotes_shown_are_the_first_that_say_something_new_up_to_the_number_asked():
    first, again, second, third = (
        quoting(1, "Le pont sera fermé l’été."),
        quoting(2, "Le  pont sera fermé l'été."),  # another paper's copy: other spaces and apostrophe
        quoting(3, "Une déviation sera mise en place."),
        quoting(4, "Les commerçants craignent une baisse."),
    )
    assert without_repeated_quotes([first, again, second, third], 2) == [first, second]
    assert without_repeated_quotes([first, again, second, third], 5) == [first, second, third]


def test_a_sentence_of_a_speech_in_straight_quotes_is_quoted_with_the_whole_speech():
    passage = (
        "Il faut aller vite pour éviter des pertes, insiste Jens Stoltenberg. "
        '"Poutine lance de nouvelles offensives. Nous devons '
        "continuer à fournir l'Ukraine. La rapidité sauvera des vies.\" Puis il est parti."
    )
    spans = sentence_spans(passage)
    assert len(spans) == 5
    first, speech = (
        quote_span(spans, np.array([1.0, 0, 0, 0, 0]), passage),
        quote_span(spans, np.array([0, 0, 1.0, 0, 0]), passage),
    )
    assert passage[first[0] : first[1]] == "Il faut aller vite pour éviter des pertes, insiste Jens Stoltenberg."
    assert passage[speech[0] : speech[1]] == (
        "\"Poutine lance de nouvelles offensives. Nous devons continuer à fournir l'Ukraine. "
        'La rapidité sauvera des vies."'
    )


def test_a_sentence_outside_guillemets_is_quoted_alone():
    passage = "Le syndicat a parlé. « Nous avons alerté », dit-il. Puis le ministre est parti sans un mot."
    spans = sentence_spans(passage)
    start, end = quote_span(spans, np.array([0.0, 0.0, 1.0]), passage)
    assert passage[start:end] == "Puis le ministre est parti sans un mot."


def test_a_short_exclamation_before_the_quote_is_quoted_with_it():
    # A live commentary's entry opens on what happened, the next sentence tells how.
    passage = (
        "Lyon n'a plus que 20 minutes. But de Léo Dubois ! L'OL égalise grâce à un superbe exploit "
        "individuel de son latéral. Il a ensuite repiqué dans l'axe avant de marquer d'une frappe du gauche."
    )
    spans = sentence_spans(passage)
    assert len(spans) == 4
    start, end = quote_span(spans, np.array([0.0, 0.5, 1.0, 0.0]), passage)
    assert passage[start:end] == (
        "But de Léo Dubois ! L'OL égalise grâce à un superbe exploit individuel de son latéral."
    )
    # A sentence that is not an exclamation, or a long one, stays apart.
    for before in ("Puis vint le but.", "Quelle action magnifique des Merlus sur tout le côté gauche !"):
        passage = f"{before} L'OL égalise grâce à un superbe exploit individuel de son latéral."
        spans = sentence_spans(passage)
        start, end = quote_span(spans, np.array([0.0, 1.0]), passage)
        assert passage[start:end] == "L'OL égalise grâce à un superbe exploit individuel de son latéral."


def test_a_post_embedded_in_the_page_is_quoted_through_the_line_that_signs_it():
    # A tweet, as news pages embed it: its author's name on a line of its own after its text.
    passage = (
        "Le ministre a tweeté le 14 mars.\n\n"
        "La prise d'anti-inflammatoires pourrait être un facteur d'aggravation de l'infection. "
        "En cas de fièvre, prenez du paracétamol. — Olivier Véran\n\n"
        "Selon leur étude, la popularité du sujet a explosé suite à ce tweet."
    )
    spans = sentence_spans(passage)
    assert len(spans) == 5
    start, end = quote_span(spans, np.array([0.0, 1.0, 0.0, 0.0, 0.0]), passage)
    assert passage[start:end] == (
        "La prise d'anti-inflammatoires pourrait être un facteur d'aggravation de l'infection. "
        "En cas de fièvre, prenez du paracétamol. — Olivier Véran"
    )
    # Signed with an en dash, as some pages write it, the same.
    en_dash = passage.replace("— Olivier", "– Olivier")
    start, end = quote_span(sentence_spans(en_dash), np.array([0.0, 1.0, 0.0, 0.0, 0.0]), en_dash)
    assert en_dash[start:end].endswith("prenez du paracétamol. – Olivier Véran")
    # A sentence far from any signature, or a dash that opens a sentence, stays as it was.
    start, end = quote_span(spans, np.array([0.0, 0.0, 0.0, 0.0, 1.0]), passage)
    assert passage[start:end] == "Selon leur étude, la popularité du sujet a explosé suite à ce tweet."
    aside = "Le nouveau pont sur la Loire ouvrira à la circulation en 2026. — Le maire a signé."
    spans = sentence_spans(aside)
    start, end = quote_span(spans, np.array([1.0, 0.0]), aside)
    assert aside[start:end] == "Le nouveau pont sur la Loire ouvrira à la circulation en 2026."


def test_question_types_are_read_from_the_question():
    assert question_type("Quand la ligne ouvre-t-elle ?") == "date"
    assert question_type("En quelle année est-il né ?") == "date"
    assert question_type("Combien de voyageurs par jour ?") == "number"
    assert question_type("Qui dirige l'OTAN ?") == "who"
    assert question_type("Où se réunissent-ils ?") == "where"
    assert question_type("Pourquoi la grève ?") is None
    assert question_type("Comment s'appelle le préfet de région ?") == "who"


def test_a_question_asking_who_someone_is_is_told_from_one_asking_who_holds_a_role():
    assert who_someone_is("Qui est-elle ?") == ()
    assert who_someone_is("Qui était ce dernier ?") == ()
    assert who_someone_is("Qui est Aurélie Morand ?") == ("Aurélie", "Morand")
    assert who_someone_is("Qui est Charles de Gaulle ?") == ("Charles", "Gaulle")
    assert who_someone_is("Qui est le secrétaire général de l'OTAN ?") is None
    assert who_someone_is("Qui dirige l'OTAN ?") is None
    assert who_someone_is("Qui est à la tête de l'OTAN ?") is None


def test_a_sentence_saying_who_someone_is_gives_a_role_an_apposition_an_age_or_a_birth():
    for sentence in (
        "Âgée de 54 ans, elle était jusqu'ici préfète de la Gironde.",
        "Il est le secrétaire général de l'Alliance.",
        "Il faut aller vite, insiste Jens Stoltenberg, le secrétaire général de l'OTAN.",
        "Né en 1959 à Oslo, il a dirigé le gouvernement norvégien.",
        # A role in apposition without an article, or after the name.
        "« Il faut agir », estime Park Minwoo, chercheur à l'Ifremer de Brest.",
        "Christine Lagarde, directrice générale du FMI, a jugé « impératif » un apaisement.",
        "« La priorité, ça reste la formation », glisse Zineb, étudiante en littérature française.",
        "Park Minwoo est un architecte aisé.",
    ):
        assert describes(sentence), sentence
    for sentence in (
        "Le Conseil des ministres a nommé mercredi Aurélie Morand à la tête de la préfecture.",
        "Elle est arrivée mardi à Toulouse.",
        "Il est mort en 1920.",
        "Emmanuel Macron, lors de sa visite à Brest, a parlé de la mer.",  # a time, not a role
        "Wissa, seul face au but, tire au-dessus.",
        "À Toulouse, jeudi de la semaine dernière, Aurélie Morand a signé l'arrêté.",
    ):
        assert not describes(sentence), sentence
    # Asked about someone named, the description names them.
    assert describes("Jens Stoltenberg, le secrétaire général, est arrivé.", ("Jens", "Stoltenberg"))
    assert not describes("Elle était jusqu'ici préfète de la Gironde.", ("Jens", "Stoltenberg"))


def test_a_sentence_holding_the_deed_asked_of_without_its_doer_does_not_say_who_did_it():
    assert deed_asked("Qui l'a traduit ?") == "traduit"
    assert deed_asked("Qui a été élu maire ?") == "élu"
    assert deed_asked("Qui est-elle ?") is None and deed_asked("Qui dirige l'OTAN ?") is None
    assert without_doer("Son dernier roman traduit en français paraît en mai.", "traduit")
    assert without_doer("Les lettres traduites en anglais ont été perdues.", "traduit")
    for sentence in (
        "Le roman, traduit en 2019 aux éditions Picquier par Jeong Eun-jin, paraît en mai.",
        "Jeong Eun-jin a traduit le roman.",
        "Jeong Eun-jin traduit ses romans depuis 2005.",
        "C'est Jeong Eun-jin qui l'a traduit.",
        "Le roman paraît en mai.",  # nothing of the deed: judged as usual
    ):
        assert not without_doer(sentence, "traduit"), sentence


def test_what_the_question_itself_says_is_not_what_it_asks_for():
    sentences = ["Les 35 heures ont freiné les salaires.", "Elles ont permis 350 000 embauches."]
    asked = asked_for("Combien d'emplois les 35 heures ont-elles permis de créer ?")
    features = sentence_features(["emplois", "35", "heur"], [], asked, sentences, np.zeros(2, np.float32))
    with_a_number = features[:, FEATURES.index("number question, sentence with number")]
    assert with_a_number.tolist() == [0.0, 1.0]
    asked = asked_for("Où Jeong Uhee travaille-t-elle la nuit ?")
    sentences = ["C'est alors que Jeong Uhee quitte la ville.", "Elle travaille la nuit dans une supérette de Séoul."]
    features = sentence_features(["jeong", "uhee", "travaill", "nuit"], [], asked, sentences, np.zeros(2, np.float32))
    assert features[:, FEATURES.index("where question, sentence with name")].tolist() == [0.0, 1.0]


def test_the_noun_a_question_asks_about_is_read_from_it():
    assert asked_noun("Combien de déplacements ont été faits ?") == stem("déplacements")
    assert asked_noun("Quelles entreprises exploitaient les trottinettes ?") == stem("entreprises")
    assert asked_noun("Quel est le métier de Park Minwoo ?") == stem("métier")
    assert asked_noun("Qui est le secrétaire général de l'OTAN ?") == stem("secrétaire")
    assert asked_noun("Comment s'appelle l'amour de jeunesse de l'architecte ?") == stem("amour")
    assert asked_noun("Pourquoi la grève dure-t-elle ?") is None
    assert asked_noun("Qui dirige l'OTAN ?") is None


def _beside_noun(question: str, sentences: list[str]) -> list[float]:
    features = sentence_features(terms(question), [], asked_for(question), sentences, np.zeros(len(sentences)))
    return features[:, FEATURES.index("asked-for value beside the question's noun")].tolist()


def test_a_value_named_right_beside_the_asked_noun_is_marked():
    assert _beside_noun(
        "Combien de voyageurs la ligne a-t-elle transportés ?",
        ["La ligne a transporté huit voyageurs sur dix en ville.", "Elle a transporté 365 000 voyageurs en un an."],
    ) == [0.0, 1.0]
    assert _beside_noun(
        "Quelle loi les enseignants contestent-ils ?",
        ["Les enseignants contestent la nouvelle loi depuis janvier.", "Ils visent la loi LPPR, votée en mars."],
    ) == [0.0, 1.0]
    assert _beside_noun(
        "Qui est le ministre de la Santé ?",
        ["Le ministre de la Santé, Olivier Véran, a répondu.", "Olivier Véran a répondu aux députés hier."],
    ) == [1.0, 0.0]


def test_a_count_written_in_words_beside_the_asked_noun_is_a_value_a_share_is_not():
    """News writes small and rough numbers in letters: "onze fours" answers "Combien de
    fours… ?" as "11 fours" would; "huit voyageurs sur dix" says a share, not how many."""
    assert _beside_noun(
        "Combien de fours ont été trouvés ?",
        ["Les fours, circulaires, ont été bien conservés.", "Les fouilles ont livré onze fours de cuisson."],
    ) == [0.0, 1.0]
    assert _beside_noun(
        "Combien d'opérations ont été annulées ?",
        ["Les opérations du bloc reprendront en mai.", "Une soixantaine d'opérations ont été reportées."],
    ) == [0.0, 1.0]
    assert _beside_noun("Combien de voyageurs ?", ["Huit voyageurs sur dix prennent le tram."]) == [0.0]


def test_neuf_beside_the_asked_noun_is_a_count_where_it_is_nine_not_where_it_is_new():
    """ "Un bâtiment neuf", "remis à neuf" say new, not how many; "neuf bâtiments", "dix-neuf",
    "neuf cents" say nine."""
    question = "Combien de bâtiments la ville a-t-elle construits ?"
    assert _beside_noun(
        question,
        [
            "La ville a inauguré un bâtiment neuf au centre.",
            "Le bâtiment, remis à neuf, accueille la mairie.",
            "Le bâtiment a fait du neuf avec du vieux.",
        ],
    ) == [0.0, 0.0, 0.0]
    assert _beside_noun(
        question,
        [
            "La ville a construit neuf bâtiments cette année.",
            "Elle compte dix-neuf bâtiments publics.",
            "Les bâtiments, neuf cents en tout, sont anciens.",
        ],
    ) == [1.0, 1.0, 1.0]


def test_since_when_asks_for_the_date_beside_depuis_and_until_when_beside_jusqu():
    assert asked_noun("Depuis quand l'usine existe-t-elle ?") == stem("depuis")
    assert asked_noun("Jusqu'à quand la grève durera-t-elle ?") == stem("jusqu")
    question = "Depuis quand l'université est-elle mobilisée ?"
    sentences = [
        "L'université est mobilisée contre la réforme présentée en janvier.",
        "Depuis la rentrée de janvier, étudiants et enseignants luttent.",
        "Elle lutte depuis longtemps contre la réforme adoptée en 2020.",  # too far from "depuis"
    ]
    assert _beside_noun(question, sentences) == [0.0, 1.0, 0.0]
    # As the library scores them, with each sentence's stored terms ("depuis" is a stop word, not among them).
    stored = [set(terms(sentence)) for sentence in sentences]
    features = sentence_features(terms(question), [], asked_for(question), sentences, np.zeros(3), stored)
    assert features[:, FEATURES.index("asked-for value beside the question's noun")].tolist() == [0.0, 1.0, 0.0]


def test_what_the_question_names_itself_is_not_a_value_beside_its_noun():
    assert _beside_noun(
        "Qui est le secrétaire général de l'OTAN ?",
        ["A dit le secrétaire général de l'Otan ce matin.", "Jens Stoltenberg, secrétaire général de l'Otan, a dit."],
    ) == [0.0, 1.0]


def test_the_sentence_that_holds_what_the_question_asks_for_scores_higher():
    sentences = ["La ligne B du tramway de Brest a été présentée mardi.", "Elle ouvrira le 6 septembre 2025."]
    cosines = np.array([0.86, 0.85], dtype=np.float32)
    features = sentence_features(["ligne", "tramway", "ouvr"], ["tramway"], AskedFor("date"), sentences, cosines)
    assert features.shape == (2, len(FEATURES))
    scores = QUOTE_MODEL.scores(features)
    assert scores[1] > scores[0]


def test_a_day_of_a_month_answers_when_as_a_year_does():
    # News dates what it reports by the day ("le 6 septembre"), encyclopaedias by the year: a
    # "quand" question must not prefer a sentence for an unrelated year over the day it asks for.
    sentences = [
        "La ligne B accueillera ses premiers voyageurs le 6 septembre, a annoncé mardi la métropole.",
        "La métropole espère 30 000 voyageurs par jour, autant que sur la ligne A à son ouverture en 2012.",
        "Le jugement a été mis en délibéré au 1er avril.",
        "L'abbaye fut reconstruite au XVIIe siècle.",
        "Les travaux ont duré six mois.",
    ]
    asked = asked_for("Quand ouvre la nouvelle ligne de tram ?")
    features = sentence_features(["ouvr", "lign", "tram"], [], asked, sentences, np.zeros(5, np.float32))
    assert features[:, FEATURES.index("date question, sentence with date")].tolist() == [1, 1, 1, 1, 0]
    cosines = np.array([0.905, 0.893, 0.85, 0.85, 0.85], dtype=np.float32)
    scores = QUOTE_MODEL.scores(sentence_features(["ouvr", "lign"], [], asked, sentences[:2], cosines[:2]))
    assert scores[0] > scores[1]


def test_a_teaser_line_never_runs_into_the_next_sentence():
    document = parse_text("Titre\n\nLe maire a parlé hier soir.\nLire aussi : Le budget voté\nLe conseil a suivi.")
    assert document.text == "Le maire a parlé hier soir.\n\nLe conseil a suivi."


# The properties in their plain form: what `index.quotes.sentence_properties` must find, written
# there so that the regular-expression engine can skip ahead (this is the specification).
_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
_PLAIN_DATED = (
    rf"\b(?:1[0-9]{{3}}|20[0-9]{{2}})\b|\b(?:1er|[12]?[0-9]|3[01])[ \u00a0](?:{_MONTHS})\b|\b[IVX]+e siècle\b"
)
PLAIN_PROPERTIES = {
    "date": re.compile(rf"{_PLAIN_DATED}|\b(?:{_MONTHS})\b", re.I),
    "number": re.compile(r"(?<![\d,.])(?!(?:1[0-9]{3}|20[0-9]{2})\b)\d+(?:[ \u00a0\u202f]\d{3})*(?:[,.]\d+)?"),
    "month": re.compile(rf"\b(?:{_MONTHS})\b", re.I),
    "name": re.compile(r"(?<=[^.!?\s])\s+[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+"),
    "person": re.compile(
        r"(?<=[^.!?\s])\s+[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)?\s+(?:(?:de|du|d')\s*)?[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+"
    ),
}
# Pieces of news text, dates and numbers in every spelling the patterns care about.
_PIECES = [
    *"0123456789 .,!?'-xXivIVeé\u00a0\u202fAÉzZ\n",
    *_MONTHS.split("|"),
    "Mars",
    "SEPTEMBRE",
    "Août",
    "1er",
    "er",
    " siècle",
    "XVIIe",
    "xixe",
    "2019",
    "1968",
    "20",
    "19",
    "31",
    "32",
    " 000",
    "1,5",
    "Jens",
    " Stoltenberg",
    " de ",
    "d'",
    "Jean-Pierre",
    "İ",
]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
@example("Le 12 mars 2019, le 1er Août, le 31 décembre, le 32 mars et le 45 MARS ; au XVIIe siècle, fin juin.")
@example("Il y a 1 000 000 habitants, 1,5 % de plus, 20 fois, en 2019 000 et 1968.")
@example("Selon Jens Stoltenberg et Jean-Pierre de Gaulle. Bruxelles accueille\nMme Dupont d'Ormesson.")
@example("Fin.  Jens Stoltenberg,  Bruxelles\u00a0 Paris ! \n Jean-Pierre  de  Gaulle")
@example("  Jens Stoltenberg au xixe siècle, au XVe siècle et en l'an 1000")
def test_each_property_is_found_where_its_plain_form_matches(text):
    lowered = same_length_lower(text)
    assert len(lowered) == len(text)
    fast = {
        "number": (_QUANTITY, text),
        "name": (_INNER_NAME, text),
        "person": (_PERSON, text),
        "dated": (_DATED, lowered),  # the date property but a month alone: `_month_spans` adds those
    }
    plain = {**PLAIN_PROPERTIES, "dated": re.compile(_PLAIN_DATED, re.I)}
    for name, (pattern, read) in fast.items():
        # A name's pattern starts at its capital, its plain form at the spaces before.
        expected = [(m.end() - len(m.group().lstrip()), m.end()) for m in plain[name].finditer(text)]
        assert _found(pattern, read) == expected, name
    if not any(century in lowered for century in _CENTURIES):
        assert _found(_DAY_OR_YEAR_DATED, lowered) == _found(_DATED, lowered)
    assert sorted(_month_spans(lowered)) == [m.span() for m in PLAIN_PROPERTIES["month"].finditer(text)]


def _found(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Where `sentence_properties` finds `pattern`'s property in `text`, one match after another."""
    spans: list[tuple[int, int]] = []
    while (match := _search(pattern, text, spans[-1][1] if spans else 0)) is not None:
        spans.append(match.span())
    return spans


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
@example("İstanbul et İzmir, puis Ankara")
def test_text_is_lowered_character_for_character_and_an_i_with_a_dot_kept(text):
    """The properties are read in a lower-cased copy at the same offsets: a character whose
    lower case is longer ("İ" → "i̇") stays as it is."""
    lowered = same_length_lower(text)
    assert lowered == "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


# Words a question may share with a sentence's dates, numbers and names.
_KNOWN = st.frozensets(st.sampled_from(["2019", "mars", "6", "septembre", "1er", "juin", "xviie", "siècle", "jens"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXTS.map(str.strip).filter(bool), min_size=1, max_size=6), _KNOWN)
@example(["Le 6 septembre 2019, en mars."], frozenset({"6", "septembre", "2019"}))
@example(["Le 6 septembre.", "Fin juin."], frozenset({"septembre", "juin"}))
def test_a_passage_is_read_for_properties_as_its_sentences_one_by_one(sentences, known):
    assert sentence_properties(sentences, known).astype(bool).tolist() == _one_by_one(sentences, known)


def _one_by_one(sentences: list[str], known: frozenset[str]) -> list[list[bool]]:
    """Which properties each sentence holds beyond the words `known`, by their plain forms."""
    return [
        [
            any(not known.issuperset(re.findall(r"\w+", m.group().casefold())) for m in plain.finditer(sentence))
            for plain in PLAIN_PROPERTIES.values()
        ]
        for sentence in sentences
    ]


# Sentences of news: words, names, dates and numbers between spaces (several at times) and
# punctuation, as a passage of a hundred thousand holds them.
_NEWS_WORDS = st.sampled_from(
    [
        *"le la de du d' en à un une et qui a été est".split(),
        *"ministre Jens Stoltenberg Jean-Pierre Gaulle Bruxelles Paris Mme Dupont İzmir ÉLYSÉE Xavier".split(),
        *"2019 1968 6 1er 31 12 000 1,5 35 XVIIe xixe siècle mars Août septembre mai juin".split(),
    ]
)
_NEWS_GAPS = st.sampled_from([" ", " ", " ", "  ", ", ", ". ", " ! ", "?  ", "\u00a0", " \n ", " : ", " « ", " » "])
_NEWS_SENTENCES = st.lists(st.tuples(_NEWS_WORDS, _NEWS_GAPS), min_size=1, max_size=25).map(
    lambda pairs: "".join(word + gap for word, gap in pairs).strip()
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_NEWS_SENTENCES.filter(bool), min_size=1, max_size=8), _KNOWN)
@example(["Fin.  Jens Stoltenberg a parlé.", "Le XVIIe siècle ?  Paris  de  Gaulle"], frozenset({"jens"}))
@example(["Au xixe siècle.", "Au XVe siècle", "Au XXe siècle"], frozenset())
def test_sentences_of_news_are_read_for_properties_as_one_by_one(sentences, known):
    """Names after several spaces, or after a sentence's end, centuries written or not: the
    properties found over a whole passage are those of its sentences read one by one."""
    assert sentence_properties(sentences, known).astype(bool).tolist() == _one_by_one(sentences, known)


_QUESTIONS = st.sampled_from(
    [
        "Quand le castor a-t-il construit le barrage ?",
        "Combien de barrages le castor construit-il en mars ?",
        "Qui est Jens Stoltenberg ?",
        "Où le castor vit-il depuis 2019 ?",
        "Depuis quand le barrage tient-il ?",
        "Pourquoi le castor construit-il ?",
    ]
)
_PASSAGES = st.lists(
    st.tuples(
        st.lists(_TEXTS.map(str.strip).filter(bool), max_size=6),  # a passage's sentences (none: possible)
        st.sampled_from(["Le castor", "Jens Stoltenberg à Bruxelles", ""]),  # its title
        st.booleans(),  # whether its sentences' terms are stored
        st.integers(0, 2**32 - 1),  # its cosines' seed
    ),
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(_QUESTIONS, _PASSAGES)
def test_passages_scored_together_get_the_features_each_gets_alone(question, drawn):
    """An answer scores its candidates' sentences together: no feature may cross from one
    passage to the next (the sentence before a passage's first, the passage's mean or best)."""
    passages = [
        PassageSentenceTexts(
            set(terms(title)),
            sentences,
            np.random.default_rng(seed).uniform(0.6, 0.95, len(sentences)).astype(np.float32),
            [set(terms(s)) for s in sentences] if stored else None,
        )
        for sentences, title, stored, seed in drawn
    ]
    together = passages_features(terms(question), asked_for(question), passages)
    assert len(together) == len(passages)
    for passage, features in zip(passages, together, strict=True):
        alone = sentence_features(
            terms(question),
            passage.title_terms,
            asked_for(question),
            passage.sentences,
            passage.cosines,
            passage.sentence_terms,
        )
        assert features.shape == (len(passage.sentences), len(FEATURES))
        assert np.array_equal(features, alone)
        if len(passage.sentences):
            assert features[0, FEATURES.index("first sentence")] == 1.0
            assert features[0, FEATURES.index("previous sentence: cosine above the mean")] == 0.0
            assert features[-1, FEATURES.index("next sentence: question terms beyond the title")] == 0.0


_WORDS = st.sampled_from("le castor construit un barrage sur la rivière en hiver".split())
_SENTENCES = st.lists(
    st.lists(_WORDS, min_size=1, max_size=30),
    min_size=1,
    max_size=12,
)


@given(_SENTENCES, st.sampled_from([" ", "\n\n"]))
def test_la_suite_reads_a_passage_on_in_order_each_sentence_once_to_its_end(sentences, gap):
    """Reading on from the start, again and again, quotes every sentence once, in order, in
    runs of whole sentences of READ_ON_WORDS words at least (but the last), then nothing."""
    texts = [" ".join(words).capitalize() + "." for words in sentences]
    passage = gap.join(texts)
    spans, at = [], 0
    for text in texts:
        spans.append((at, at + len(text)))
        at += len(text) + len(gap)
    quotes, after = [], 0
    for _ in range(len(spans) + 1):  # bounded: each step quotes one sentence at least
        quoted = next_quote(spans, passage, after)
        if quoted is None:
            break
        quotes.append(quoted)
        after = quoted[1]
    assert next_quote(spans, passage, after) is None
    assert [passage[start:end] for start, end in quotes] == [
        gap.join(texts[i] for i, span in enumerate(spans) if start <= span[0] < end) for start, end in quotes
    ]
    assert sum(passage[start:end].count(".") for start, end in quotes) == len(texts)  # all of them, once
    assert all(len(passage[start:end].split()) >= READ_ON_WORDS for start, end in quotes[:-1])


def test_la_suite_quotes_a_quotation_whole_with_its_attribution():
    passage = "Le maire a parlé. « Nous avons alerté Bercy. Rien n'a été fait », accuse le syndicat. Fin."
    spans = sentence_spans(passage)
    assert passage[slice(*next_quote(spans, passage, len("Le maire a parlé.")))].startswith(
        "« Nous avons alerté Bercy. Rien n'a été fait », accuse le syndicat."
    )
    assert next_quote([], "Un passage sans phrases connues", 0) == (0, 31)  # one sentence


def test_la_suite_never_reads_back_into_a_quotation_left_open():
    # A speech over several paragraphs opens each with « and closes only at its end.
    passage = (
        "« Nous devons agir vite. La crue de janvier a inondé quarante maisons du quartier bas.\n\n"
        "« La digue sera relevée d'un mètre avant l'hiver. Les travaux commencent lundi. »"
    )
    spans = sentence_spans(passage)
    shown_to = passage.index("bas.") + len("bas.")
    start, _ = next_quote(spans, passage, shown_to)
    assert start >= shown_to and passage[start:].startswith("« La digue sera relevée")


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Qui le dit ?", True),
        ("Qui l'a annoncé ?", True),
        ("Comment s'appelle-t-elle ?", True),
        ("Qui est Aurélie Morand ?", False),  # who someone named is: a description answers it
        ("Que dit-elle ?", False),
        ("Combien en ont-ils reçu ?", False),
    ],
)
def test_a_question_asking_for_someone_is_told_from_one_asking_who_someone_named_is(question, asks):
    assert asks_for_someone(question) is asks


@pytest.mark.parametrize(
    ("sentence", "named", "pronoun"),
    [
        ("Jérôme Fleury, délégué Force ouvrière, a rejoint le mouvement dimanche.", True, False),
        ("Pour Manon Ribeiro, présidente de l'UNEF à Bordeaux, le problème est aussi celui des bourses.", True, False),
        ("Quand le loyer en prend 600, il ne reste rien pour manger », souligne-t-elle.", False, True),
        ("La CFE-CGC a en revanche refusé de s'associer au mouvement.", False, False),
    ],
)
def test_a_sentence_names_a_person_or_speaks_of_one_by_a_pronoun(sentence, named, pronoun):
    """A name opening the sentence is one too (read as if something stood before it)."""
    assert names_person(sentence) is named
    assert speaks_of_someone(sentence) is pronoun


def test_persons_named_are_people_not_titles_bodies_or_places_with_a_capital():
    """« Maire de Dole », « la Ville de Dole », « Diplômé de Sciences Po », « le Grand Dole »,
    « Le Progrès » name no person; « Françoise Bailly » at a sentence's start does."""
    for sentence in (
        "Maire de Dole depuis 2014, il préside aussi l'agglomération.",
        "Diplômé de Sciences Po, il est maire depuis 2014.",
        "Il est à la tête de la Ville de Dole depuis 2014.",
        "Le Grand Dole compte 50 000 habitants.",
        "Le Progrès l'a annoncé mardi.",
    ):
        assert persons_named(sentence) == [], sentence
    assert persons_named("Françoise Bailly est bénévole depuis 1990.") == ["Françoise Bailly"]


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("Selon Le Monde, le ministre hésite.", []),
        ("Selon La Croix, rien n'est décidé.", []),
        ("Pour Manon Ribeiro, présidente de l'UNEF, c'est trop tard.", ["Manon Ribeiro"]),
        ("Avec Jean-Pierre Denis, la liste a gagné.", ["Jean-Pierre Denis"]),
        ("Selon Paul Roy, maire de Dole, le pont rouvrira.", ["Paul Roy"]),
        ("Entre Dole et Lahr, le jumelage dure.", []),
        ("Et Françoise Bailly a répondu.", ["Françoise Bailly"]),
        ("Olivier Pour, le président, a parlé.", ["Olivier Pour"]),
        ("En Pays de la Loire, 300 exploitations ont fermé.", []),
        ("Aux États-Unis, la Californie impose un horaire.", []),
        ("Au Québec, Paul Roy a parlé.", ["Paul Roy"]),
        ("Par Paul Roy, envoyé spécial à Dole.", ["Paul Roy"]),
    ],
)
def test_persons_named_after_a_word_opening_a_sentence_are_read_whole(sentence, named):
    """« Selon Le Monde » names no « Selon Le », « En Pays de la Loire » no « En Pays », and
    « Pour Manon Ribeiro » names Manon Ribeiro, not « Pour Manon », « Par Paul Roy » Paul Roy;
    a name whose last word is one of those words stays a name."""
    assert persons_named(sentence) == named
    assert persons_named("Le maire, Jean-Baptiste Gagnoux, a accueilli Markus Ibert.") == [
        "Jean-Baptiste Gagnoux",
        "Markus Ibert",
    ]


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("Son avocate, Me Hélène de Saint-Aubin, a annoncé qu'il ferait appel.", ["Hélène de Saint-Aubin"]),
        ("« Nous gèlerons 40 postes », a annoncé le président, Bertrand de La Roncière.", ["Bertrand de La Roncière"]),
        ("Sa directrice générale, Claire de Montlaur, se dit ouverte au dialogue.", ["Claire de Montlaur"]),
        ("Le président du club, Jean-Luc de Meyer, pointe les finances.", ["Jean-Luc de Meyer"]),
        ("Le général Charles de Gaulle a parlé à Londres.", ["Charles de Gaulle"]),
        ("Selon Jean de La Fontaine, rien ne sert de courir.", ["Jean de La Fontaine"]),
        ("Claire de Montlaur et Paul Roy ont signé.", ["Paul Roy"]),
        ("Maire de Dole depuis 2014, il préside aussi l'agglomération.", []),
        ("Il est à la tête de la Ville de Dole depuis 2014.", []),
        ("Il a couru le Tour de France deux fois.", []),
        ("Elle siège au Conseil de Paris depuis 2020.", []),
        ("Dole, Ville de Lumière, accueille le festival.", []),
        ("Il vit à Saint-Jean-de-Luz depuis 2010.", []),
        ("L'avion s'est posé à Charles de Gaulle mardi.", []),
        ("La directrice de La Poste, Anne Roy, a parlé.", ["Anne Roy"]),
        ("La cérémonie aura lieu place Charles de Gaulle, à Dole.", []),
        ("Les élèves du lycée Jean de La Fontaine manifestent.", []),
        ("Le stade Pierre de Coubertin affiche complet.", []),
        ("L'avion a atterri à l'aéroport Charles de Gaulle.", []),
        ("La cathédrale Notre-Dame de Paris a rouvert.", []),
        ("Selon Médecins du Monde, 300 personnes dorment dehors.", []),
        ("Selon Gaz de France, les prix montent.", []),
        ("Il a rejoint la banque Crédit du Nord en 2019.", []),
    ],
)
def test_persons_named_with_a_particle_after_a_comma_a_title_or_a_role(sentence, named):
    """A name with « de », « de La », « du » is a person's after a comma, a title or a word in
    lower case (« Me Hélène de Saint-Aubin », « le général Charles de Gaulle »); not at the
    sentence's start (« Maire de Dole … »: a person there is the rare loss), after a determiner
    or a preposition (« la Ville de Dole », « au Conseil de Paris », « à Charles de Gaulle », the
    airport), nor a place's or a body's name after a comma (« Dole, Ville de Lumière »), nor a
    place or a body named after a person (« place Charles de Gaulle », « lycée Jean de La
    Fontaine », « l'aéroport Charles de Gaulle ») or a body's name (« Médecins du Monde », « Gaz
    de France », « Crédit du Nord »)."""
    assert persons_named(sentence) == named
