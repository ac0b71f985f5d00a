"""The rules of follow-ups that point back at the last answer ("Quel âge a-t-il ?", "Qu'a-t-elle
dit ?", "Qu'est-ce qui l'inquiète ?"): the pronoun stands for whom or what that answer's quote
spoke of, so the passage it quoted comes first, quoting the sentence nearest that quote that
says what is asked (a quantity, the question's words, someone's words). Pure functions over
the candidates an answer weighs (`index.candidates`), which the reading rules apply
(`index.reading_rules`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from index.analysis import terms
from index.candidates import Candidate, first_quoting
from index.measures import holds_quantity
from index.sentences import same_paragraph, sentence_at
from index.speakers import quotes_words, spoken_by


def measured_near_last_quote(
    candidates: Sequence[Candidate], last_quote: tuple[int, int], measure: str
) -> list[Candidate]:
    """For a follow-up asking a quantity of whom or what its pronoun stands for ("Quel âge
    a-t-il ?" after « Le capitaine, Axel Nguema, a salué le travail de l'entraîneur sortant »):
    the passage the last answer quoted first, quoting the sentence of that quote's paragraph
    stating one (`measures.holds_quantity`, `near_last_quote`): « … », a reconnu l'ailier de
    31 ans. Another paragraph speaks of someone else (« … depuis trois ans », a-t-il dénoncé, of
    the supporters' spokesman just before), as another passage's « Sofiane Merzouk, 39 ans »
    does."""
    return near_last_quote(candidates, last_quote, lambda sentence: holds_quantity(sentence, measure))


def near_last_quote(
    candidates: Sequence[Candidate],
    last_quote: tuple[int, int],
    holds: Callable[[str], bool],
    prefer: Callable[[str], bool] | None = None,
) -> list[Candidate]:
    """For a follow-up whose pronoun stands for whom or what the last answer spoke of ("Quel âge
    a-t-il ?", "Qui les représente ?"): the passage the last answer quoted first (`last_quote`:
    its id, and where that quote ended), quoting the sentence of that quote's paragraph that
    `holds` accepts: the quote itself or the nearest after it, else the nearest before; among
    them those `prefer` accepts, when there are (a count of the very noun asked, « avait disputé
    241 matches », before one of another, « après huit saisons »). As they were when that
    paragraph has none."""
    found = _where_last_quote_ended(candidates, last_quote)
    if found is None:
        return list(candidates)
    at, ended = found
    text, spans = candidates[at].row.text, candidates[at].spans
    holding = [i for i, (a, b) in enumerate(spans) if same_paragraph(text, (a, b), spans[ended]) and holds(text[a:b])]
    if not holding:
        return list(candidates)
    preferred = [i for i in holding if prefer(text[spans[i][0] : spans[i][1]])] if prefer is not None else []
    holding = preferred or holding
    return first_quoting(candidates, at, min(holding, key=lambda i: (i < ended, abs(i - ended))))


def last_quoted(candidates: Sequence[Candidate], last_quote: tuple[int, int]) -> tuple[int | None, int]:
    """Where among `candidates` the passage the last answer quoted is (None when it is not
    among them), and where that quote ended: `last_quote` is that passage's id and the end."""
    passage_id, quote_end = last_quote
    return next((i for i, c in enumerate(candidates) if c.row.id == passage_id), None), quote_end


def last_quoted_sentence(candidates: Sequence[Candidate], last_quote: tuple[int, int]) -> tuple[Candidate, int] | None:
    """The passage the last answer quoted, among `candidates`, and its sentence where that quote
    ended (`last_quote`: that passage's id and the end): what a follow-up's pronoun points back
    to is read from there. None when that passage is not among them (or has no sentences)."""
    found = _where_last_quote_ended(candidates, last_quote)
    return None if found is None else (candidates[found[0]], found[1])


def _where_last_quote_ended(candidates: Sequence[Candidate], last_quote: tuple[int, int]) -> tuple[int, int] | None:
    """`last_quoted_sentence` as the passage's place among `candidates` (which `first_quoting`
    takes) and that sentence."""
    at, quote_end = last_quoted(candidates, last_quote)
    if at is None or not candidates[at].spans:
        return None
    return at, sentence_at(candidates[at].spans, quote_end - 1)


def last_quoted_first(candidates: Sequence[Candidate], last_quote: tuple[int, int], question: str) -> list[Candidate]:
    """For a follow-up asked in its own words that points back with a pronoun ("Qu'est-ce qui
    l'inquiète ?" after "Qui est Zineb ?"), the passage the last answer quoted first
    (`last_quote`: its id, and where that quote ended), quoting its sentence holding every term
    of `question` nearest that quote: the pronoun stands for whom it just spoke of (« la jeune
    femme s'inquiète des conséquences… », right after « …, glisse Zineb, étudiante »), where a
    sentence with the same word further on may say it of someone else (« Je suis très inquiet
    pour mon avenir, glisse-t-il »). The candidates as they were when that passage has none:
    a word it lacks is looked for in the others."""
    at, quote_end = last_quoted(candidates, last_quote)
    wanted = set(terms(question))
    if not wanted or at is None:
        return list(candidates)
    last = candidates[at]
    holding = [i for i, (a, b) in enumerate(last.spans) if wanted <= set(terms(last.row.text[a:b]))]
    if not holding:
        return list(candidates)
    nearest = min(holding, key=lambda i: abs(last.spans[i][0] - quote_end))
    return first_quoting(candidates, at, nearest)


def nearest_quotation_first(
    candidates: Sequence[Candidate], last_quote: tuple[int, int], speaker: str | None = None
) -> list[Candidate]:
    """For a follow-up asking what the one just spoken of said ("Qu'a-t-il dit ?" after "Qui
    défend l'encadrement des loyers ?", `conversation.asks_what_was_said`), the passage the last
    answer quoted first (`last_quote`: its id, and where that quote ended), quoting its sentence
    holding a quotation nearest the last quote's, that one itself or the next ones before the
    earlier: news gives a speaker's words in the sentence that names them or right after it
    (« Sans lui, … », affirme-t-il); not a name in « … » (« Pont-Audemer en commun », a list's),
    nor words said by one of the other gender than the question's pronoun (`speaker`, "elle" or
    "il"). When that passage holds none, the nearest passage of its article holding words said
    by one of the pronoun's gender (`said_by_first`). The candidates as they were when there
    is none."""
    found = _where_last_quote_ended(candidates, last_quote)
    if found is None:
        return list(candidates)
    at, ended = found
    last = candidates[at]
    quoting = [i for i, (a, b) in enumerate(last.spans) if _may_be_said_by(last.row.text[a:b], speaker)]
    if not quoting:
        return said_by_first(candidates, last, speaker) if speaker else list(candidates)
    return first_quoting(candidates, at, min(quoting, key=lambda i: (abs(i - ended), i < ended)))


def _may_be_said_by(sentence: str, speaker: str | None) -> bool:
    """Whether `sentence` holds someone's words (`speakers.quotes_words`) that one of the `speaker`'s
    gender may have said: none of the other gender says them (`spoken_by`)."""
    if not quotes_words(sentence):
        return False
    genders = spoken_by(sentence)
    return speaker is None or not genders or speaker in genders


def said_by_first(candidates: Sequence[Candidate], last: Candidate, speaker: str) -> list[Candidate]:
    """For "Et elle, qu'a-t-elle dit ?" when the passage `last` quoted holds no quotation (« La
    nouvelle équipe obtient 22 des 29 sièges »): the passage of its article nearest it, the
    next ones before the earlier, quoting its first sentence holding words said by one of the
    `speaker`'s gender (« …, on la gardera », a-t-elle lancé; not « … », a-t-il déclaré, nor
    a list's name in « … »). The candidates as they were when none does."""
    said = [
        (i, j)
        for i, candidate in enumerate(candidates)
        if candidate.row.article.id == last.row.article.id and candidate.row.id != last.row.id
        for j, (a, b) in enumerate(candidate.spans)
        if speaker in spoken_by(candidate.row.text[a:b])
    ]
    if not said:
        return list(candidates)

    def distance(found: tuple[int, int]) -> tuple[int, bool, int]:
        position = candidates[found[0]].row.position
        return abs(position - last.row.position), position < last.row.position, found[1]

    at, sentence = min(said, key=distance)
    return first_quoting(candidates, at, sentence)
