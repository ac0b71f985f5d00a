"""The library with the real model, on both backends: the embedded one (real SQLite, real
FAISS) and PostgreSQL with pgvector (a real server): what users see is the same."""

import logging
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from index.analysis import CONTEXT_WORDS
from index.conversation import Topic
from index.directory import DATABASE
from index.documents import parse_text
from index.embeddings import RememberingEmbedder
from index.errors import DatabaseUnavailable, IndexMismatch, NotFound, database_unavailable
from index.ingest import prepare
from index.library import READY_FOR_QUESTIONS, Library
from index.store import Store
from index.web_addresses import same_page_links
from tests.conftest import HashingEmbedder

QUESTION = "Qui est le secrétaire général de l'OTAN ?"


class PassagesRemembered(RememberingEmbedder):
    """The model, each passage embedded once (`RememberingEmbedder`), each question embedded
    by the model every time it is asked: tests here compare questions asked alone and together,
    and time their embedding."""

    def embed_queries(self, texts):
        return self.model.embed_queries(texts)


@pytest.fixture(scope="module")
def embedder(embedder) -> PassagesRemembered:
    """The model for the module: its tests build the same libraries on both backends (the
    sample's again and again, three long articles twice), each passage embedded once."""
    return PassagesRemembered(embedder)


@pytest.fixture
def library(storage, embedder):
    lib = Library(storage(), embedder, max_words=200)
    yield lib
    lib.close()


@pytest.fixture
def sample_library(library, sample_text):
    library.ingest([parse_text(sample_text, name="otan-bruxelles-2023-02.txt", source="samples/otan.txt")])
    return library


def test_a_question_is_answered_with_exact_quotes_from_the_article(sample_library):
    answer = sample_library.ask(QUESTION)
    assert answer.found
    assert any("Jens Stoltenberg, le secrétaire général de l'OTAN" in r.quote for r in answer.results[:3])
    for result in answer.results:
        assert result.quote in result.passage
        assert result.article.title == "Otan bruxelles" and result.article.date == "2023-02"
        assert result.article.source == "samples/otan.txt"


def test_an_answer_says_how_long_each_stage_took(sample_library):
    started = time.perf_counter()
    timings = sample_library.ask(QUESTION).timings
    took = time.perf_counter() - started
    assert set(timings) == {"lexical", "embedding", "embedding_wait", "dense", "fusion", "quotes"}
    assert all(seconds >= 0 for seconds in timings.values()) and timings["embedding"] > 0
    # the question is embedded beside the lexical search: every stage but the embedding ran in turn
    assert sum(seconds for stage, seconds in timings.items() if stage != "embedding") <= took


def test_questions_asked_together_get_the_answers_they_get_alone(sample_library):
    questions = [QUESTION, "Quelle usine allemande relance la production de munitions ?", "Qui a parlé à Bruxelles ?"]
    alone = [sample_library.ask(q) for q in questions]
    together = sample_library.ask_many(questions)
    for one, many in zip(alone, together, strict=True):
        assert [r.passage_id for r in one.results] == [r.passage_id for r in many.results]
        assert one.found == many.found


def test_the_quote_is_the_sentence_that_answers_not_the_first_one(sample_library):
    answer = sample_library.ask("Que disent les services de renseignement britanniques des forces de Wagner ?")
    best = answer.results[0]
    assert best.quote == (
        "Au cours des trois derniers jours, les forces du groupe Wagner auraient réalisé de nouvelles avancées "
        "en périphérie de la ville selon les services de renseignement britanniques ce mardi."
    )
    assert not best.passage.startswith(best.quote)


def test_photo_credits_are_never_quoted_but_captions_answer(sample_library):
    answer = sample_library.ask("Qui a pris la photo de Boris Pistorius ?", top_k=10)
    assert all("Gambarini" not in r.passage and "MAXPPP" not in r.passage for r in answer.results)
    answer = sample_library.ask("Qui est le ministre allemand de la Défense ?")
    assert answer.found and "Boris Pistorius" in answer.results[0].quote


def test_an_unrelated_question_is_declined(sample_library):
    answer = sample_library.ask("Quelle est la recette de la tarte Tatin ?")
    assert not answer.found
    assert answer.results  # candidates are still listed for --json users


def test_the_same_text_or_url_is_not_ingested_twice(library, sample_text):
    first = library.ingest([parse_text(sample_text, name="a.txt")])[0]
    again = library.ingest([parse_text("\n\n" + sample_text.replace(" Ils ", "  Ils "), name="b.txt")])[0]
    assert first.status == "added" and again.status == "duplicate" and again.article.id == first.article.id
    page = "url: https://example.org/a?utm_source=x\n\nLe premier texte de la page est ici."
    edited = "url: https://example.org/a/\n\nLe texte a changé depuis."
    results = library.ingest([parse_text(page), parse_text(edited)])
    assert [r.status for r in results] == ["added", "duplicate"]
    assert library.stats().articles == 2


def test_a_publication_date_in_the_future_is_no_date_and_never_heads_what_is_new(library):
    today = datetime.now(UTC).date().isoformat()
    future = f"{datetime.now(UTC).year + 5}-01-01"  # a feed's "2099", an event's day read as the page's
    texts = [
        f"titre: Le programme du festival\ndate: {future}\n\nLe festival ouvrira ses portes en juillet.",
        f"titre: Le conseil municipal\ndate: {today}\n\nLe conseil a voté le budget de la ville.",
    ]
    library.ingest([parse_text(text) for text in texts])
    dates = {a.title: a.date for a in library.articles()}
    assert dates == {"Le programme du festival": None, "Le conseil municipal": today}
    latest = library.ask("Quoi de neuf ?")
    assert latest.results[0].article.title == "Le conseil municipal"  # added later, dated today


def test_pages_told_apart_by_a_bare_query_word_are_different_articles_with_their_own_link(library):
    # SPIP, a common French CMS, addresses its articles as "spip.php?article1234".
    first, second = library.ingest(
        [
            parse_text("url: https://journal.example/spip.php?article1234\n\nLe maire a inauguré la médiathèque."),
            parse_text("url: https://journal.example/spip.php?article5678&utm_source=x\n\nLe club a gagné."),
        ]
    )
    assert first.status == second.status == "added"
    assert first.article.url == "https://journal.example/spip.php?article1234"
    assert second.article.url == "https://journal.example/spip.php?article5678"  # tracking still left out


def test_a_dispatch_two_papers_ran_word_for_word_is_quoted_once(library):
    dispatch = (
        "Le pont de Saint-Nazaire sera fermé à la circulation les nuits du 10 et du 11 mars pour des travaux "
        "d'entretien, a annoncé mardi le département de Loire-Atlantique. Une déviation sera mise en place."
    )
    library.ingest(
        [
            parse_text(f"titre: Le pont fermé deux nuits\n\n{dispatch}\n\nLes transporteurs craignent des retards."),
            parse_text(f"titre: Travaux sur le pont\n\n{dispatch}\n\nLes commerçants craignent une baisse."),
        ]
    )
    assert library.stats().articles == 2  # two articles: the same dispatch, each paper's own line after it
    answer = library.ask("Quand le pont de Saint-Nazaire sera-t-il fermé ?")
    quotes = [" ".join(r.quote.split()) for r in answer.results]
    assert answer.found and len(quotes) == len(set(quotes))
    assert any("10 et du 11 mars" in q for q in quotes)


def test_a_deleted_article_is_gone_from_both_searches(sample_library):
    article_id = sample_library.articles()[0].id
    sample_library.delete(article_id)
    assert sample_library.stats().passages == 0
    assert sample_library.ask(QUESTION).results == []
    with pytest.raises(NotFound):
        sample_library.delete(article_id)


def test_the_library_is_persistent(storage, embedder, sample_text):
    first = Library(storage(), embedder, max_words=200)
    first.ingest([parse_text(sample_text)])
    first.close()
    reopened = Library(storage(), embedder, max_words=200)
    assert reopened.ask(QUESTION).found
    manifest = reopened.backend.check(reopened.config)
    assert manifest["model"] == "intfloat/multilingual-e5-small" and manifest["dimension"] == 384
    assert manifest["max_words"] == 200 and reopened.stats().passages == 4
    reopened.close()


def test_the_article_stored_for_a_page_is_found_by_its_link_however_written(storage):
    library = Library(storage(), HashingEmbedder(), max_words=60)
    page = replace(parse_text("Le pont de Saint-Nazaire sera fermé deux nuits."), url="https://www.gazette.fr/pont")
    [stored] = library.ingest([page])
    for written in (
        "https://www.gazette.fr/pont",
        "http://gazette.fr/pont/?utm_source=rss&xtor=RSS-3#xtor=RSS-3",
        "https://www.gazette.fr/pont?at_medium=rss&at_campaign=une",
    ):
        assert library.stored_under((), same_page_links(written)) == stored.article, written
    assert library.stored_under((), same_page_links("https://www.gazette.fr/pont-2")) is None
    assert library.stored_under((), same_page_links("pas une adresse")) is None
    library.close()


def test_a_page_sent_again_with_another_text_is_kept_as_stored_and_said_to_differ(storage):
    """The duplicate rule keeps the version the library has; what it reports tells the same text
    sent again from another version of the page (its text corrected since), in one batch too."""
    library = Library(storage(), HashingEmbedder(), max_words=60)
    url = "https://www.gazette.fr/pont"
    page = replace(parse_text("Le pont de Saint-Nazaire sera fermé deux nuits."), url=url)
    corrected = replace(parse_text("Le pont de Saint-Nazaire sera fermé trois nuits."), url=url)
    [stored] = library.ingest([page])
    again, changed = library.ingest([page, corrected])
    assert (again.status, again.article, again.text_differs) == ("duplicate", stored.article, False)
    assert (changed.status, changed.article, changed.text_differs) == ("duplicate", stored.article, True)
    other = replace(corrected, url="https://www.gazette.fr/pont-2")
    fourth = parse_text("Le pont de Saint-Nazaire sera fermé quatre nuits.").blocks
    first, second = library.ingest([other, replace(other, blocks=fourth)])  # one batch, one link
    assert (first.status, second.status, second.text_differs) == ("added", "duplicate", True)
    assert "deux nuits" in library.article_texts([stored.article.id])[stored.article.id][1]
    library.close()


def test_changed_settings_are_detected_and_reindex_resolves_them(storage, embedder, sample_text):
    first = Library(storage(), embedder, max_words=200)
    first.ingest([parse_text(sample_text)])
    first.close()
    with pytest.raises(IndexMismatch, match="permettent de la reconstruire") as mismatch:
        Library(storage(), embedder, max_words=60)
    assert [d.split(" : ")[0] for d in mismatch.value.differences] == ["taille des passages (mots)"]
    rebuilt = Library.rebuild(storage(), embedder, max_words=60)
    stats = rebuilt.stats()
    assert (stats.articles, stats.max_words) == (1, 60) and stats.passages > 4
    assert rebuilt.articles()[0].id == 1  # ids survive a reindex
    assert rebuilt.ask(QUESTION).found
    rebuilt.close()


def test_reindex_in_place_keeps_ids_and_answers(sample_library):
    sample_library.reindex()
    assert sample_library.ask(QUESTION).found
    assert sample_library.stats().passages == 4


def test_a_process_that_answers_for_long_runs_the_question_model_before_the_first_question(tmp_path, sample_text):
    """The model's first run costs several times a question's usual time, and readying its
    way for questions asked alone takes a moment more: the bot pays both at start, not the
    first person who asks; a one-shot command pays neither."""

    calls: list[str] = []

    class CountingEmbedder(HashingEmbedder):
        def embed_queries(self, texts):
            calls.extend(["question"] * len(texts))
            return super().embed_queries(texts)

        def prepare_for_questions(self, closing):  # the model's own way for questions asked alone
            calls.append("prepared")

    with Library(tmp_path / "idx", CountingEmbedder(), max_words=60) as one_shot:
        one_shot.ingest([parse_text(sample_text)])
        assert calls == []  # ingesting embeds passages, not questions
        one_shot.ask("Qui dirige l'OTAN ?")
    assert calls == ["question"]  # the question asked, nothing readied beforehand
    calls.clear()
    with Library(tmp_path / "idx", CountingEmbedder(), max_words=60) as bot:
        bot.prepare_for_questions()
        for _ in range(500):  # bounded: the warm-up and the readying run in background threads
            if len(calls) == 2:
                break
            time.sleep(0.01)
        assert sorted(calls) == ["prepared", "question"]  # run once, and its way for questions alone readied
        assert bot.ask("Qui dirige l'OTAN ?").results


def test_a_library_closed_while_it_warms_up_skips_the_warm_up_steps_not_yet_begun(tmp_path, sample_text, caplog):
    """A bot stopped right after it started waited for the passage model to load and the
    question network to compile (seconds) before it could exit; and then said it was ready."""
    caplog.set_level(logging.INFO)
    loading, release = threading.Event(), threading.Event()
    steps: list[str] = []

    class SlowToWarmEmbedder(HashingEmbedder):
        def embed_passages(self, texts):
            if not loading.is_set():  # the warm-up's: the first passage run of this library
                loading.set()
                release.wait(10)
            steps.append("passages")
            return super().embed_passages(texts)

        def prepare_for_questions(self, closing):
            steps.append("prepared")

    bot = Library(tmp_path / "idx", SlowToWarmEmbedder(), max_words=60)
    ready = bot.prepare_for_questions()
    assert loading.wait(10)  # the passage model's warm-up under way
    closing = threading.Thread(target=bot.close)
    closing.start()
    for _ in range(500):  # bounded: until `close` has begun (it then waits for the step under way)
        if getattr(bot, "_closing", False):
            break
        time.sleep(0.01)
    release.set()
    closing.join(10)
    assert not closing.is_alive()
    assert steps == ["passages"]  # the step under way ended; the network was not readied after it
    assert ready.done()
    assert READY_FOR_QUESTIONS not in caplog.text


def _question_batches_in_a_burst(tmp_path, sample_text, questions_per_run: int | None) -> list[int]:
    """The sizes of the model's question runs when three questions come while it is busy."""
    sizes: list[int] = []
    busy = threading.Event()

    class SlowEmbedder(HashingEmbedder):
        def embed_queries(self, texts):
            sizes.append(len(texts))
            busy.wait(10)  # the first run lasts until the other questions have come
            return super().embed_queries(texts)

    embedder = SlowEmbedder()
    if questions_per_run is not None:
        embedder.questions_per_run = questions_per_run
    with Library(tmp_path / f"idx-{questions_per_run}", embedder, max_words=60) as library:
        library.ingest([parse_text(sample_text)])
        askers = [threading.Thread(target=library.ask, args=(q,)) for q in (QUESTION, "Où sont-ils réunis ?")]
        first = threading.Thread(target=library.ask, args=("Qui dirige l'OTAN ?",))
        first.start()
        for _ in range(500):  # bounded: until the model is busy with the first question
            if sizes:
                break
            time.sleep(0.01)
        for asker in askers:
            asker.start()
        time.sleep(0.5)  # the two others wait behind the first
        busy.set()
        for thread in (first, *askers):
            thread.join(10)
    return sizes


def test_questions_that_come_together_are_embedded_as_the_model_gains_most(tmp_path, sample_text):
    """A model that says it runs questions alone (`questions_per_run` 1, ONNX Runtime's 8-bit
    network) gets them one by one, so each is answered as soon as its vector is ready; one
    that says nothing gets those that waited together."""
    assert _question_batches_in_a_burst(tmp_path, sample_text, None) == [1, 2]
    assert _question_batches_in_a_burst(tmp_path, sample_text, 1) == [1, 1, 1]


def test_a_question_answered_without_a_search_does_not_run_the_question_model(tmp_path, sample_text):
    """ "Quoi de neuf ?" or "De quoi parle l'article ?" is answered with the articles' openings:
    the model's time (tens of milliseconds on CPUs without AVX-512) would be spent for
    nothing. One whose articles are gone falls back to a search, and has its vector then."""
    calls: list[str] = []

    class CountingEmbedder(HashingEmbedder):
        def embed_queries(self, texts):
            calls.extend(texts)
            return super().embed_queries(texts)

    with Library(tmp_path / "idx", CountingEmbedder(), max_words=60) as library:
        library.ingest([parse_text(sample_text)])
        news, about = library.ask_many(["Quoi de neuf ?", "De quoi parle l'article ?"])
        assert news.found and about.found and calls == []
        gone = Topic("Le castor", (999,))  # the conversation's article, deleted since
        fallback = library.ask("De quoi parle l'article ?", topic=gone)
        assert len(calls) == 1 and fallback.results  # searched, with the question's vector
        asked = library.ask_many(["Quoi de neuf ?", QUESTION])
        assert calls[1:] == [QUESTION] and all(a.results for a in asked)


def test_after_a_reindex_no_id_is_given_again_and_an_old_place_in_an_article_reads_no_other(library):
    """A reindex renumbers the passages; what still names an old one (a conversation's place
    to read on from, kept 30 days behind a button) must find nothing rather than another
    article's passage, and a deleted article's id must not come back for a new one."""
    filler = "avec assez de mots pour que chaque paragraphe pèse dans le passage qui le contient " * 6
    articles = [
        parse_text(
            f"titre: {subject}\n\n" + "\n\n".join(f"{subject} : le fait {i} est établi, {filler}." for i in range(6))
        )
        for subject in ("Castors", "Budget", "Fusée", "Marée")
    ]
    ids = [outcome.article.id for outcome in library.ingest(articles)]
    place = library.ask("Que dit-on du Budget ?").topic
    assert place.articles == (ids[1],) and library.article(ids[1]).passages > 1
    library.delete(ids[0])  # the Budget's passages would be renumbered into the Castors'
    library.delete(ids[3])  # the newest: its id is the highest any article had
    library.reindex()
    read_on = library.ask("La suite ?", topic=place)
    assert read_on.read_on == "nowhere" or {r.article.id for r in read_on.results} == {ids[1]}
    (added,) = library.ingest([parse_text("titre: Volcan\n\nLe volcan s'est réveillé mardi.")])
    assert added.article.id > ids[3]


def test_la_suite_reads_the_article_on_from_the_quote_shown_to_its_end(sample_library):
    assert sample_library.ask("La suite ?").read_on == "nowhere"  # no quote to read on from
    answer = sample_library.ask(QUESTION)
    first = answer.results[0]
    assert answer.says_more  # the article goes on after its quote
    read, said_more = [], []
    for _ in range(50):  # bounded: the sample has a few dozen sentences
        answer = sample_library.ask("La suite ?", topic=answer.topic)
        if answer.read_on != "read":
            break
        read.append(answer.results[0])
        said_more.append(answer.says_more)
    assert answer.read_on == "end" and not answer.found and read
    # Each reading says whether more follows: all but the one that reaches the article's end.
    assert said_more == [True] * (len(read) - 1) + [False]
    # The next sentences, right after the quote, then passage after passage in reading order.
    assert read[0].passage_id == first.passage_id and read[0].quote_start > first.quote_end
    assert first.passage[first.quote_end : read[0].quote_start].strip() == ""
    positions = [(r.passage_id, r.quote_start) for r in read]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    # After an article's card (no quote shown), it reads from the article's start.
    card = sample_library.ask("Qui a écrit l'article ?")
    opening = sample_library.ask("La suite ?", topic=card.topic).results[0]
    article_start = sample_library.ask("De quoi parle l'article ?").results[0]
    assert (opening.passage_id, opening.quote_start) == (article_start.passage_id, 0)
    # The same after the card of the article a subject found in its last passages.
    named = sample_library.ask("Qui a écrit l'article sur les munitions des chars Gepard ?")
    assert named.detail is not None and named.results[0].passage_id != article_start.passage_id
    opening = sample_library.ask("La suite ?", topic=named.topic).results[0]
    assert (opening.passage_id, opening.quote_start) == (article_start.passage_id, 0)


def test_half_an_emoji_in_a_page_or_a_question_is_read_as_a_replacement_character(library):
    """A page's JSON-LD can cut an emoji in two ("\\ud83d"): such text cannot be stored, nor read
    by the model's tokenizer; it failed the whole batch, or every question asked with it."""
    castor = parse_text("Le retour du castor \ud83d\n\nLe castor a recolonisé trente kilomètres de berges de la Loire.")
    loup = parse_text("Le loup dans les Alpes\n\nLe loup a été vu près de Grenoble cet hiver.")
    assert [r.status for r in library.ingest([castor, loup])] == ["added", "added"]
    assert {a.title for a in library.articles()} == {"Le retour du castor \ufffd", "Le loup dans les Alpes"}
    broken, plain = library.ask_many(["Où le castor \udcff est-il revenu ?", "Où le loup a-t-il été vu ?"])
    assert "Loire" in broken.results[0].quote and "Grenoble" in plain.results[0].quote


def test_a_title_of_hundreds_of_words_leaves_each_sentence_its_own_meaning(library):
    headline_block = " ".join(["Dernières nouvelles de la région et des communes voisines"] * 50)  # 400 words
    paragraphs = [
        "Le castor a recolonisé trente kilomètres de berges de la Dordogne.",
        "Les naturalistes ont compté quatorze familles cette année.",
        "Le conseil municipal a voté le budget de la piscine mardi soir.",
    ]
    document = parse_text(f"titre: {headline_block}\n\n" + "\n\n".join(paragraphs))
    # Each sentence is embedded under the title's first words only: the model reads 512
    # tokens, and under the whole title every sentence would be cut away.
    contexts = prepare(document, 200).contexts
    assert [c.split("\n")[1] for c in contexts] == paragraphs
    assert all(len(c.split("\n")[0].split()) == CONTEXT_WORDS for c in contexts)
    library.ingest([document])
    answer = library.ask("Combien de familles de castors les naturalistes ont-ils comptées ?")
    assert answer.found and "quatorze familles" in answer.results[0].quote


def test_what_is_new_in_a_library_of_long_articles_quotes_each_one_s_opening(library):
    for n, topic in enumerate(("la piscine", "le marché", "la gare")):
        body = "\n\n".join(
            f"Paragraphe {i} sur {topic} : le conseil en a débattu longuement mardi." for i in range(300)
        )
        library.ingest([parse_text(f"titre: Dossier {n}\ndate: 2025-0{n + 1}-01\n\nOuverture sur {topic}.\n\n{body}")])
    news = library.ask("Quoi de neuf ?")
    assert [r.article.title for r in news.results] == ["Dossier 2", "Dossier 1", "Dossier 0"]
    assert [r.quote.split("\n")[0] for r in news.results] == [
        "Ouverture sur la gare.",
        "Ouverture sur le marché.",
        "Ouverture sur la piscine.",
    ]


def test_asking_for_fewer_than_one_passage_is_refused(library):
    with pytest.raises(ValueError, match="top_k"):
        library.ask("Qui dirige l'OTAN ?", top_k=0)


def test_the_same_page_however_its_link_is_written_is_one_article_and_another_page_is_not(library):
    body = "Le conseil municipal a voté le plan vélo de quarante millions d'euros mardi soir."
    first = library.ingest([parse_text(f"url: https://www.journal.example/velo\n\n{body}")])[0]
    assert first.status == "added"
    # The same page, its text a little changed between two visits (a counter, an ad).
    links = [
        "https://www.journal.example/velo?xtor=RSS-3208",
        "https://www.journal.example/velo?at_medium=RSS&at_campaign=flux",
        "http://www.journal.example/velo",
        "https://journal.example/velo/",
        "https://m.journal.example/velo#commentaires",
        "https://www.journal.example/velo?outputType=amp",
        "https://www.journal.example/velo?amp=1&mc_cid=abc",
    ]
    for n, link in enumerate(links):
        again = library.ingest([parse_text(f"url: {link}\n\n{body} Mis à jour {n}.")])[0]
        assert again.status == "duplicate" and again.article.id == first.article.id, link
    other = library.ingest([parse_text(f"url: https://www.journal.example/velo-2\n\n{body} Suite.")])[0]
    assert other.status == "added" and other.article.url == "https://www.journal.example/velo-2"
    assert library.stats().articles == 2


def test_the_same_text_typed_with_other_apostrophes_quotes_or_spaces_is_one_article(library):
    text = "Le maire l’a dit : « le plan vélo coûtera 40 millions d’euros », a-t-il précisé mardi."
    first = library.ingest([parse_text(f"titre: Plan vélo\n\n{text}")])[0]
    for typed in (
        text.replace("’", "'"),
        text.replace("« ", '"').replace(" »", '"'),
        text.replace(" ", "\u00a0", 3).replace("40 millions", "40\u202fmillions"),
        text.replace("a-t-il", "a\u2011t\u2011il"),
    ):
        again = library.ingest([parse_text(f"titre: Plan vélo\n\n{typed}")])[0]
        assert again.status == "duplicate" and again.article.id == first.article.id, typed
    changed = library.ingest([parse_text(f"titre: Plan vélo\n\n{text.replace('40', '45')}")])[0]
    assert changed.status == "added"


def test_articles_an_earlier_version_added_are_still_found_and_their_library_still_reindexes(library):
    from index.ingest import earlier_content_hash
    from index.web_addresses import normalise_url

    def as_added_before(text: str, url: str):
        # What an earlier version stored: its text's hash and link made under its rules.
        prepared = prepare(parse_text(f"url: {url}\n\n{text}"), library.config.max_words)
        article = replace(
            prepared.article,
            content_hash=earlier_content_hash(prepared.article.text),
            url=normalise_url(url, earlier=True),
            url_variants=(),
            text_hashes=(),
        )
        vectors = library.embedder.embed_passages(prepared.contexts)
        return library._current().store.add_article(article, vectors)

    old = "Le port de Brest accueillera les grands voiliers en juillet, a annoncé la ville."
    as_added_before(old, "https://www.port.example/voiliers?xtor=RSS-1")
    # Two articles the earlier rule told apart, which today's would take for one page.
    as_added_before("Le premier texte de la page.", "http://www.port.example/page")
    as_added_before("Le second texte de la page.", "https://www.port.example/page")
    again = library.ingest([parse_text(f"url: https://www.port.example/voiliers?xtor=RSS-1\n\n{old}")])[0]
    assert again.status == "duplicate"
    same_text = library.ingest([parse_text(f"url: https://ailleurs.example/x\n\n{old}")])[0]
    assert same_text.status == "duplicate"
    report = library.reindex()
    assert library.stats().articles == 3, report


def test_a_data_dir_gone_under_an_open_library_is_out_of_reach_and_not_made_again(tmp_path, sample_text):
    """DATA_DIR gone from under a process that has its library open (a volume unmounted):
    writes, questions and a reindex say the library is out of reach, and none makes DATA_DIR
    again (its locks sit in it), where the bot's state and beats would then be written and
    the volume's return would hide them. Once it is back, the library answers from it."""
    data, away = tmp_path / "data", tmp_path / "unmounted"
    library = Library(data / "index", HashingEmbedder(), max_words=60)
    library.ingest([parse_text(sample_text)])
    data.rename(away)
    for attempt in (
        lambda: library.ingest([parse_text("Le castor revient dans la vallée du Rhône depuis trois ans.")]),
        lambda: library.ask(QUESTION),
        library.reindex,
    ):
        with pytest.raises(DatabaseUnavailable):
            attempt()
        assert not data.exists()
    away.rename(data)
    assert library.stats().articles == 1
    assert library.ask(QUESTION).results
    library.close()


def test_a_library_folder_unmounted_under_its_store_is_out_of_reach_and_no_empty_database_is_made(tmp_path):
    """The library's folder on a volume unmounted while it is open, its empty mount point left:
    a thread that opens its connection then (a question's, the vector maintenance's) finds the
    database out of reach, rather than making an empty one there whose writes the volume's
    return would hide; once it is back, that thread reads it."""
    folder, away = tmp_path / "index", tmp_path / "unmounted"
    folder.mkdir()
    store = Store(folder / DATABASE)
    folder.rename(away)
    folder.mkdir()  # the mount point, empty
    with ThreadPoolExecutor(1) as thread:  # a thread that has no connection yet
        with pytest.raises(sqlite3.OperationalError) as refused:
            thread.submit(store.counts).result()
        assert database_unavailable(refused.value)
        assert list(folder.iterdir()) == []
        folder.rmdir()
        away.rename(folder)
        assert thread.submit(store.counts).result() == (0, 0)
    store.close()


def test_an_article_stored_with_a_login_in_its_link_is_shown_without_it(library):
    """An article an earlier version stored from "https://lecteur:secret@…" (before a fetch
    dropped the name and password): its link and source, in the list of articles as in an
    answer, which every user may be shown, hold neither."""
    given = "https://lecteur:secret@news.example/port"
    text = f"url: {given}\n\nLe port de Brest accueille cet été un nouveau voilier école de quarante mètres."
    library.ingest([parse_text(text, source=given)])
    (listed,) = library.articles()
    assert (listed.url, listed.source) == ("https://news.example/port", "https://news.example/port")
    answer = library.ask("Quel bateau le port de Brest accueille-t-il cet été ?")
    assert answer.results and answer.results[0].article.source == "https://news.example/port"


def test_a_library_closed_while_its_model_is_readied_tells_the_model_to_give_up(tmp_path):
    """Reading the 8-bit weights into memory took the bot seconds after it was told to stop
    (its close waits for the step under way): the step is told the library is closing."""
    readying, told = threading.Event(), threading.Event()

    class SlowToReadyEmbedder(HashingEmbedder):
        def prepare_for_questions(self, closing):
            readying.set()
            for _ in range(1000):  # bounded: a reading that would outlast the test
                if closing():
                    told.set()
                    return
                time.sleep(0.01)

    bot = Library(tmp_path / "idx", SlowToReadyEmbedder(), max_words=60)
    bot.prepare_for_questions()
    assert readying.wait(10)
    bot.close()
    assert told.is_set()
