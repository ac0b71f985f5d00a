"""Small libraries answer what one passage clearly answers, reworded questions too, and
still decline what they cannot answer (articles and questions in tests/data/small-library)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.service import library_options
from index.embeddings import RememberingEmbedder
from index.library import Library
from index.sources import parse_bytes, read_file

pytestmark = pytest.mark.slow
DATA = Path(__file__).parent / "data" / "small-library"
QUESTIONS = [json.loads(line) for line in (DATA / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
UNANSWERABLE = [q["question"] for q in QUESTIONS if q["file"] is None]


@pytest.fixture(scope="module")
def embedder(embedder) -> RememberingEmbedder:
    """The model, each sentence and question embedded once for the module: its tests build
    libraries of the same few articles again and again, and ask some questions in several."""
    return RememberingEmbedder(embedder)


def library_of(tmp_path, embedder, settings, *names: str) -> Library:
    library = Library(tmp_path / "idx", embedder, **library_options(settings))
    library.ingest([read_file(DATA / name, max_bytes=1_000_000) for name in names])
    return library


def first_quote(library: Library, question: str) -> str | None:
    answer = library.ask(question)
    return answer.results[0].quote if answer.found else None


def test_the_sample_alone_answers_who_leads_nato_in_bold(tmp_path, embedder, settings):
    library = library_of(tmp_path, embedder, settings, "otan-bruxelles-2023-02.txt")
    for question in ("Qui dirige l'OTAN ?", "Qui est le secrétaire général de l'OTAN ?"):
        assert "Jens Stoltenberg" in (first_quote(library, question) or ""), question
    # Reworded ("avions de chasse" for "avions de combat", "priorité" for "la plus urgente"):
    # its sentence is among the three quotes the console and the command line show. Not yet
    # first (issue 9), nor always on Telegram's first page of two: its passage came second on
    # an AVX2-only EPYC, third on an AVX-512 Xeon in every precision (scores 2.82 against 2.90).
    planes = library.ask("Les avions de chasse sont-ils la priorité de l'OTAN pour l'Ukraine ?")
    assert planes.found
    assert any("pas la question la plus urgente" in r.quote for r in planes.results[:3])
    for question in UNANSWERABLE:
        assert not library.ask(question).found, question
    library.close()


def test_a_library_of_a_few_articles_answers_reworded_questions_and_declines_the_rest(tmp_path, embedder, settings):
    names = sorted(p.name for p in DATA.glob("*.txt"))
    library = library_of(tmp_path, embedder, settings, *names)
    for question, answer in [
        ("Comment s'appelle le préfet de région ?", "Aurélie Morand"),
        ("Qui est le prédateur du castor ?", "le loup"),
        ("Combien de familles de castors vivent sur la Dordogne ?", "quatorze familles"),
        ("Combien a coûté la ligne B ?", "215 millions"),
        ("Quand ouvre la nouvelle ligne de tram à Brest ?", "6 septembre"),  # a day, not another line's year
        ("Où se réunissent les pays de l'Alliance atlantique ?", "Bruxelles"),
    ]:
        assert answer in (first_quote(library, question) or ""), question
    answered = [q for q in QUESTIONS if q["file"] and first_quote(library, q["question"])]
    assert len(answered) >= 0.8 * len([q for q in QUESTIONS if q["file"]])
    for question in UNANSWERABLE:
        assert not library.ask(question).found, question
    library.close()


def test_an_answer_shows_more_of_its_article_and_not_the_articles_it_has_nothing_to_do_with(
    tmp_path, embedder, settings
):
    names = sorted(p.name for p in DATA.glob("*.txt"))
    library = library_of(tmp_path, embedder, settings, *names)
    for question, article in [
        ("Combien a coûté la ligne B ?", "tramway-brest.txt"),
        ("Combien de familles de castors vivent sur la Dordogne ?", "castors-dordogne.txt"),
    ]:
        answer = library.ask(question)
        assert answer.found, question
        # Before, the castors, the OTAN or the prefect filled the other three places.
        assert {Path(r.article.source).name for r in answer.results} == {article}, question
        assert len(answer.results) >= 2, question  # the article's other passages still come after
    library.close()


def test_an_article_alone_declines_a_question_on_what_it_does_not_name(tmp_path, embedder, settings):
    # The prefect "est à la tête de la préfecture": close to "dirige", but the question names
    # the OTAN ("l'OTAN", elided), which the article never does.
    library = library_of(tmp_path, embedder, settings, "prefet-occitanie.txt")
    assert not library.ask("Qui dirige l'OTAN ?").found
    assert library.ask("Qui dirige la préfecture de région ?").found
    library.close()


# Articles where the follow-ups' own words fit as well: only the conversation tells them apart.
DISTRACTORS = [
    "titre: La doyenne des Bretons fête ses 111 ans\ndate: 2025-04-02\n\nJeanne Le Gall a fêté dimanche ses "
    "111 ans à Quimper. Quel âge a-t-elle ? Elle répond en riant qu'elle a l'âge de ses artères.\n\nNée en 1914 "
    "à Douarnenez, elle a été couturière pendant quarante ans.",
    "titre: Le nouveau pont de Nantes mesure 320 mètres\ndate: 2025-02-11\n\nLe pont qui enjambera la Loire à "
    "Nantes aura une longueur de 320 mètres et une largeur de 24 mètres. Sa longueur en fait le plus grand "
    "ouvrage de la ville.\n\nLes travaux commenceront à l'automne.",
]


def test_a_follow_up_question_is_answered_from_the_article_its_conversation_is_about(tmp_path, embedder, settings):
    names = sorted(p.name for p in DATA.glob("*.txt"))
    library = library_of(tmp_path, embedder, settings, *names)
    library.ingest([parse_bytes(text.encode(), name=None, source=None, max_bytes=100_000) for text in DISTRACTORS])
    for opening, follow_up, answer in [
        ("Quand la ligne B du tramway de Brest ouvrira-t-elle ?", "Quelle est sa longueur ?", "5,1 kilomètres"),
        ("Comment s'appelle le préfet de région ?", "Quel âge a-t-elle ?", "54 ans"),
    ]:
        first = library.ask(opening)
        assert first.found and not first.follows and first.topic.question == opening
        then = library.ask(follow_up, topic=first.topic)
        assert then.follows and then.found, follow_up
        assert answer in then.results[0].quote and then.results[0].article.id == first.results[0].article.id
        # The conversation is still about the opening question; "La suite ?" would read on from here.
        assert (then.topic.question, then.topic.articles) == (first.topic.question, first.topic.articles)
        assert then.topic.read_to == (then.results[0].passage_id, then.results[0].quote_end)
    elsewhere = library.ask("Qui a gagné la finale de la Coupe du monde de football ?", topic=first.topic)
    assert not elsewhere.follows and not elsewhere.found
    # The topic's article deleted since: the follow-up is answered from the whole library.
    library.delete(first.results[0].article.id)
    orphan = library.ask("Quel âge a-t-elle ?", topic=first.topic)
    assert orphan.follows and all(r.article.id != first.results[0].article.id for r in orphan.results)
    library.close()


def test_a_follow_up_quotes_what_it_adds_to_its_topic_or_says_its_article_does_not_hold_it(
    tmp_path, embedder, settings
):
    names = ["castors-dordogne.txt", "otan-bruxelles-2023-02.txt", "tramway-brest.txt"]
    library = library_of(tmp_path, embedder, settings, *names)
    families = library.ask("Combien de familles de castors ont été recensées cet hiver ?")
    assert families.found and "quatorze familles" in families.results[0].quote
    then = library.ask("Et en 2019 ?", topic=families.topic)
    assert then.found and then.follows and "trois en 2019" in then.results[0].quote
    # A year the article never names: its other years are not an answer, whatever its topic.
    never = library.ask("Et en 2010 ?", topic=families.topic)
    assert not never.found and never.unheld == ("2010",) and never.topic == families.topic
    assert never.held_by == ("no passage holds 2010",)  # which reading rule declined it, and why
    # Its own date counts: the article on the OTAN is of February 2023.
    leader = library.ask("Qui est le secrétaire général de l'OTAN ?")
    assert library.ask("Et en 2023 ?", topic=leader.topic).found
    # "Combien de munitions ?": the article on the OTAN's leader names munitions, quoted first.
    ammunition = library.ask("Combien de munitions ?", topic=leader.topic)
    assert ammunition.found and ammunition.follows and "munitions" in ammunition.results[0].quote
    # "Combien de voyageurs ?" after the castors: their article has none, the tramway's does.
    travellers = library.ask("Combien de voyageurs ?", topic=families.topic)
    assert travellers.found and not travellers.follows and "30 000 voyageurs" in travellers.results[0].quote
    assert travellers.topic.question == "Combien de voyageurs ?"
    library.close()


WHALE = (
    "titre: Un rorqual échoué sur la plage de Quiberon\ndate: 2025-03-14\n\n"
    "Un rorqual commun s'est échoué jeudi sur la grande plage de Quiberon. Adulte, l'animal était déjà mort à "
    "l'arrivée des secours, a indiqué la préfecture maritime.\n\n"
    "Long de dix-huit mètres, il pesait une quarantaine de tonnes, selon les pompiers. Son dépeçage a duré "
    "trois jours. La commune a payé 60 000 euros pour l'enlever et réclame l'aide de l'État."
)


def test_a_question_asking_for_a_weight_a_length_or_a_price_quotes_a_quantity_of_that_kind(
    tmp_path, embedder, settings
):
    names = sorted(p.name for p in DATA.glob("*.txt"))
    library = library_of(tmp_path, embedder, settings, *names)
    library.ingest([parse_bytes(WHALE.encode(), name=None, source=None, max_bytes=100_000)])
    for question, answer in [
        # "Adulte, il n'a presque pas d'ennemis" holds "adulte"; the weight's sentence says "le
        # rongeur", in words: "trente kilos".
        ("Combien pèse un castor adulte ?", "trente kilos"),
        ("Quel est le poids d'un castor ?", "trente kilos"),  # not "une trentaine de kilomètres"
        ("Combien mesure la ligne B ?", "5,1 kilomètres"),  # not "30 000 voyageurs"
        ("Combien pesait le rorqual adulte ?", "quarantaine de tonnes"),
        ("Combien de temps a duré le dépeçage du rorqual ?", "trois jours"),
        ("Combien la commune a-t-elle payé pour le rorqual ?", "60 000 euros"),
    ]:
        assert answer in (first_quote(library, question) or ""), question
    # A price no article gives: its article's other amounts or its dates are no answer.
    opening = library.ask("Quand ouvre la ligne B du tram de Brest ?")
    assert not library.ask("Et le prix du ticket ?", topic=opening.topic).found
    assert not library.ask("Quel est le salaire de la préfète d'Occitanie ?").found
    # Asked alone too: the article on the tram gives the cost of its works, not a ticket's.
    assert not library.ask("Combien coûte un ticket de tram à Brest ?").found
    works = library.ask("Combien a coûté le chantier du tram de Brest ?")
    assert works.found and "215 millions d'euros" in works.results[0].quote
    # Nor does an award's name say what a book costs.
    award = "titre: Un roman primé\ndate: 2018-06-21\n\nSon dernier roman vient de recevoir le prix Émile Guimet."
    library.ingest([parse_bytes(award.encode(), name=None, source=None, max_bytes=100_000)])
    assert not library.ask("Quel est le prix du livre ?").found
    cost = library.ask("Combien a-t-elle coûté ?", topic=opening.topic)
    assert cost.found and "215 millions d'euros" in cost.results[0].quote
    library.close()


NOVEL = (
    "titre: Un roman coréen primé à Paris\ndate: 2018-06-21\n\n"
    "Hwang Sok-yong a écrit « Au soleil couchant », son dernier roman traduit en français. "
    "Le livre suit un architecte de Séoul qui repense à son enfance dans un quartier pauvre. "
    "L'écrivain vient de recevoir le prix Émile Guimet de la littérature asiatique."
)


def test_asked_who_did_something_a_sentence_saying_only_that_it_was_done_does_not_answer(tmp_path, embedder, settings):
    library = library_of(tmp_path, embedder, settings, "castors-dordogne.txt", "tramway-brest.txt")
    library.ingest([parse_bytes(NOVEL.encode(), name=None, source=None, max_bytes=100_000)])
    written = library.ask("Qui a écrit Au soleil couchant ?")
    assert written.found and "Hwang Sok-yong a écrit" in written.results[0].quote
    # "roman traduit en français" says it was translated, not by whom.
    translated = library.ask("Qui l'a traduit ?", topic=written.topic)
    assert translated.follows and not translated.found
    assert translated.held_by == ("no doer of « traduit » in the first quote",)
    assert not library.ask("Qui a traduit Au soleil couchant ?").found
    library.close()


def test_an_elliptical_follow_up_quotes_what_it_asks_of_not_its_topic_again(tmp_path, embedder, settings):
    library = library_of(tmp_path, embedder, settings, "castors-dordogne.txt", "tramway-brest.txt")
    predators = library.ask("Qui s'attaque au castor adulte ?")
    assert "le loup" in predators.results[0].quote
    farmers = library.ask("Et les agriculteurs ?", topic=predators.topic)
    assert farmers.follows and farmers.found and "agriculteurs se plaignent" in farmers.results[0].quote
    stations = library.ask("Combien de stations compte la ligne B ?")
    cable_car = library.ask("Et le téléphérique ?", topic=stations.topic)
    assert (
        cable_car.follows
        and cable_car.found
        and "Le téléphérique, mis en service en 2016" in cable_car.results[0].quote
    )
    library.close()


GLYPHOSATE = (
    "titre: Glyphosate : le danger et le risque\ndate: 2019-05-15\n\n"
    "Le glyphosate devient symbole de l'emprise de Monsanto sur l'agriculture mondiale. C'est vrai, Monsanto "
    "n'est pas une entreprise sympathique. Cela fait-il de son Round up un tueur de masse pour autant ?\n\n"
    "Les effets nocifs sur la santé du glyphosate, pesticide le plus utilisé au monde, ne sont pas démontrés. "
    "Pour ses opposants, le fait que le CIRC l'ait classé « cancérogène probable » en 2015 a clos le débat. "
    "Voilà qui hérisse les scientifiques. « Le danger n'est pas synonyme de risque », précise la toxicologue "
    "Dominique Parent-Massin."
)


def test_a_rhetorical_question_of_the_article_is_not_quoted_as_an_answer(tmp_path, embedder, settings):
    library = library_of(tmp_path, embedder, settings, "castors-dordogne.txt", "tramway-brest.txt")
    library.ingest([parse_bytes(GLYPHOSATE.encode(), name=None, source=None, max_bytes=100_000)])
    classified = library.ask("Quand le CIRC a-t-il classé le glyphosate cancérogène probable ?")
    assert "en 2015" in classified.results[0].quote
    # « Cela fait-il … pour autant ? » asks; it holds none of the follow-up's words.
    contested = library.ask("Qui conteste cet avis ?", topic=classified.topic)
    assert contested.follows and contested.found and "toxicologue" in contested.results[0].quote
    # A question holding the words asked stays a quote: it may say the answer.
    round_up = library.ask("Monsanto est-elle une entreprise sympathique ?")
    killer = library.ask("Son Round up tue-t-il ?", topic=round_up.topic)
    assert "Cela fait-il de son Round up un tueur de masse" in killer.results[0].quote
    library.close()


PARIS_8 = (
    "titre: A Paris-8, un peu de tension, beaucoup d'actions\ndate: 2020-02-17\n\n"
    "Depuis la rentrée de janvier, étudiants, personnels et enseignants luttent contre la réforme des retraites "
    "et contre le projet de réforme de la recherche. Fait inédit, les convergences sont grandes entre étudiants, "
    "personnels et enseignants. « Il faut penser ensemble les moyens de rendre cette mobilisation visible », "
    "glisse Zineb, étudiante en littérature française. Posée à la cafétéria de la fac avec une amie, la jeune "
    "femme s'inquiète toutefois des conséquences de ce mouvement pour les étudiants : « La priorité, ça reste de "
    "recevoir une formation universitaire solide. »\n\n"
    "Dans tous les tracts, la question de la précarité enseignante s'impose. Cette problématique est prégnante à "
    "Paris-8, comme nous le raconte Antoine, 32 ans, chargé de cours. « Je suis très inquiet pour mon avenir, "
    "glisse-t-il devant la bibliothèque. J'avais un contrat de trois mois dans cette fac. Au moment où je vous "
    "parle, je n'ai pas reçu mon salaire. Et mon contrat ne sera pas renouvelé. »\n\n"
    "Ce week-end, la direction de l'université a fait débarrasser le piquet de grève. Mais, dès lundi matin, tout "
    "était réinstallé."
)


def test_a_pronoun_follow_up_quotes_what_is_said_of_the_one_the_last_answer_spoke_of(tmp_path, embedder, settings):
    library = Library(tmp_path / "idx", embedder, **library_options(settings))
    library.ingest([parse_bytes(PARIS_8.encode(), name=None, source=None, max_bytes=100_000)])
    zineb = library.ask("Qui est Zineb ?")
    assert "glisse Zineb, étudiante" in zineb.results[0].quote
    # "l'" is Zineb: what worries her follows her words, not a lecturer's « Je suis très inquiet ».
    worry = library.ask("Qu'est-ce qui l'inquiète ?", topic=zineb.topic)
    assert worry.follows and worry.found
    assert "la jeune femme s'inquiète toutefois des conséquences" in worry.results[0].quote
    library.close()


SCOOTERS = (
    "titre: La fin des trottinettes en libre-service à Montréal\ndate: 2020-02-19\n\n"
    "En raison du taux élevé de délinquance chez les utilisateurs des trottinettes en libre-service, "
    "l'administration de Valérie Plante a décidé de ne pas autoriser ces véhicules dans les rues de la ville en "
    "2020. Ainsi, huit véhicules sur dix étaient garés au mauvais endroit, a constaté la Ville, qui a dressé le "
    "bilan du projet-pilote. Les entreprises de trottinettes et de vélos en libre-service sans ancrage ont "
    "enregistré 365 000 déplacements entre le 21 juin et le 15 novembre 2019, dont 61 % en trottinettes.\n\n"
    "Le règlement de la Ville sera donc modifié. Les vélos en libre-service de Jump seront toutefois autorisés à "
    "Montréal cette année."
)


def test_an_elliptical_follow_up_is_declined_when_no_sentence_says_of_it_what_its_topic_asked(
    tmp_path, embedder, settings
):
    library = Library(tmp_path / "idx", embedder, **library_options(settings))
    library.ingest([parse_bytes(SCOOTERS.encode(), name=None, source=None, max_bytes=100_000)])
    parked = library.ask("Combien de trottinettes étaient mal garées ?")
    assert "huit véhicules sur dix étaient garés" in parked.results[0].quote
    # The bikes are named only beside trips counted: nothing says how many were parked badly.
    bikes = library.ask("Et les vélos ?", topic=parked.topic)
    assert bikes.follows and not bikes.found
    # Of the trips, the sentence that names the bikes says it.
    trips = library.ask("Combien de déplacements ont été enregistrés ?")
    trips_by_bike = library.ask("Et les vélos ?", topic=trips.topic)
    assert trips_by_bike.found and "365 000 déplacements" in trips_by_bike.results[0].quote
    library.close()


def test_asked_who_someone_just_named_is_a_follow_up_quotes_what_the_article_says_of_them(tmp_path, embedder, settings):
    names = sorted(p.name for p in DATA.glob("*.txt"))
    library = library_of(tmp_path, embedder, settings, *names)
    prefect = library.ask("Comment s'appelle le préfet de région ?")
    assert "Aurélie Morand" in prefect.results[0].quote
    # Not the sentence that named her again: what she was until now.
    who = library.ask("Qui est-elle ?", topic=prefect.topic)
    assert who.found and who.follows and "préfète de la Gironde" in who.results[0].quote
    # A sentence that names him and says what he is stays the answer.
    leader = library.ask("Qui dirige l'OTAN ?")
    who = library.ask("Qui est-il ?", topic=leader.topic)
    assert who.found and "Jens Stoltenberg, le secrétaire général" in who.results[0].quote
    library.close()


def test_a_follow_up_s_own_words_are_found_as_news_writes_them_acronyms_and_thousands(tmp_path, embedder, settings):
    text = (
        "titre: Le temps de travail en France\ndate: 2019-05-02\n\n"
        "Les salariés à temps complet ont travaillé 1 456 heures en moyenne en 2018, selon l'Insee. "
        "L'Organisation mondiale de la santé recommande de ne pas dépasser cinquante-cinq heures par "
        "semaine. En Allemagne, la durée moyenne est plus courte."
    )
    library = library_of(tmp_path, embedder, settings, "castors-dordogne.txt")
    library.ingest([parse_bytes(text.encode(), name=None, source=None, max_bytes=100_000)])
    hours = library.ask("Combien d'heures travaillent les salariés français à temps complet ?")
    assert hours.found and "1 456 heures" in hours.results[0].quote
    for follow_up, quoted in (
        ("Et les 1456 heures ?", "1 456 heures"),
        ("Et l'OMS ?", "Organisation mondiale"),
    ):
        then = library.ask(follow_up, topic=hours.topic)
        assert then.follows and then.found and quoted in then.results[0].quote, follow_up
    library.close()


def test_asked_about_the_article_or_its_details_a_small_library_answers_for_each_article(tmp_path, embedder, settings):
    names = ["castors-dordogne.txt", "prefet-occitanie.txt", "tramway-brest.txt"]
    library = library_of(tmp_path, embedder, settings, *names)
    texts = library.article_texts([a.id for a in library.articles()])
    about = library.ask("De quoi parle l'article ?")
    assert about.found and len(about.results) == 3
    for result in about.results:  # each article's first sentence, quoted as answers are
        assert result.quote_start == 0 and result.quote.endswith(".")
        assert texts[result.article.id][1].startswith(result.passage)
    castors = next(r for r in about.results if r.article.title == "Le castor fait son retour sur la Dordogne")
    assert castors.quote.startswith("Absent depuis plus d'un siècle, le castor d'Europe a recolonisé")
    # Its details likewise: each article's, for a question that cannot say which.
    written = library.ask("Qui a écrit l'article ?")
    assert written.found and written.detail == "author" and len(written.results) == 3
    assert "Claire Vidal" in {r.article.author for r in written.results}
    # In a conversation: the article it is about, whatever the library's size.
    library.ingest([parse_bytes(text.encode(), name=None, source=None, max_bytes=100_000) for text in DISTRACTORS])
    first = library.ask("Comment s'appelle le préfet de région ?")
    summary = library.ask("Résume l'article", topic=first.topic)
    assert summary.follows and [r.article.id for r in summary.results] == [first.results[0].article.id]
    assert summary.results[0].quote_start == 0
    dated = library.ask("De quand date cet article ?", topic=first.topic)
    assert dated.detail == "date" and [r.article.id for r in dated.results] == [first.results[0].article.id]
    # "Qui l'a écrit ?" after it: the pronoun stands for the article, as "ça" would.
    # Its subject says which article: its opening, not the passages the subject's words find.
    castor = library.ask("De quoi parle l'article sur le castor ?")
    assert castor.found and [r.quote_start for r in castor.results] == [0]
    assert castor.results[0].quote.startswith("Absent depuis plus d'un siècle, le castor d'Europe a recolonisé")
    written_by = library.ask("Qui l'a écrit ?", topic=castor.topic)
    assert written_by.detail == "author" and {r.article.author for r in written_by.results} == {"Claire Vidal"}
    # Without one, in a library too large for the question to say which: the latest articles,
    # and a question on a detail is told to say which article first (searching would not say).
    latest = library.ask("De quoi parle l'article ?").results
    assert [r.article.date for r in latest] == ["2025-09-03", "2025-06-12", "2025-05-20", "2025-04-02", "2025-02-11"]
    undated = library.ask("De quand date cet article ?")
    assert not undated.found and undated.detail == "date" and not undated.results
    # Unless it names the article's subject: the article that subject finds.
    signed = library.ask("Qui a écrit l'article sur le retour du castor ?")
    assert signed.found and signed.detail == "author" and {r.article.author for r in signed.results} == {"Claire Vidal"}
    unknown = library.ask("Quand a été publié l'article sur la coupe du monde de curling ?")
    assert not unknown.found and unknown.detail is None  # nothing on that subject, as for any question
    library.close()


def test_asked_what_is_new_the_library_quotes_its_latest_articles_openings(tmp_path, embedder, settings):
    library = library_of(tmp_path, embedder, settings, "castors-dordogne.txt", "prefet-occitanie.txt")
    # Added last, but published before the others.
    library.ingest([read_file(DATA / "tramway-brest.txt", max_bytes=1_000_000)])
    news = library.ask("Quoi de neuf ?")
    assert news.found and [r.article.date for r in news.results] == ["2025-09-03", "2025-06-12", "2025-05-20"]
    assert all(r.quote_start == 0 for r in news.results)  # each one's opening, as "De quoi parle l'article ?"
    # What follows is read in the articles shown.
    authors = library.ask("Qui a écrit l'article ?", topic=news.topic)
    assert authors.follows and len(authors.results) == 3
    library.close()


WRITTEN = Path(__file__).parent / "data" / "conversations"


def library_of_written(review: str, tmp_path, embedder, settings, *names: str) -> Library:
    """A library of articles written for a conversation review (`review`: "67", "67b", "68",
    "68b", "69", "69b", "69c", "70", "70b"; `tests/data/conversations/articles-<review>`), which
    no rule was tuned on before."""
    library = Library(tmp_path / f"idx-{review}", embedder, **library_options(settings))
    folder = WRITTEN / f"articles-{review}"
    library.ingest([read_file(folder / f"{name}.txt", max_bytes=1_000_000) for name in names])
    return library


def test_asked_who_said_what_was_just_quoted_the_follow_up_quotes_the_one_who_said_it(tmp_path, embedder, settings):
    library = library_of_written("67", tmp_path, embedder, settings, "conseil-besancon-bus", "resultats-cyclonord")
    blame = library.ask("Que reproche l'opposition à la maire ?")
    assert blame.found and "cadeau électoral" in blame.results[0].quote
    # "ça" is what the answer said; "dit" is not what it is about (the sentence says "a estimé").
    for question in ("Qui a dit ça ?", "Qui l'a dit ?"):
        said = library.ask(question, topic=blame.topic)
        assert said.follows and said.found, question
        assert "Ludovic Fabre" in said.results[0].quote, question
    # "Combien ça va coûter ?": "ça" is what the conversation is about, "va" measures nothing.
    free = library.ask("Quand les transports deviendront-ils gratuits à Besançon ?")
    cost = library.ask("Combien ça va coûter ?", topic=free.topic)
    assert cost.follows and cost.found and "2,3 millions d'euros" in cost.results[0].quote
    library.close()


def test_right_after_a_question_on_an_article_its_pronoun_means_that_article_whatever_the_verb(
    tmp_path, embedder, settings
):
    library = library_of_written("67", tmp_path, embedder, settings, "etude-sommeil-ados", "rugby-toulouse-clermont")
    written = library.ask("Qui a écrit l'article sur le sommeil ?")
    assert written.detail == "author" and {r.article.author for r in written.results} == {"Sophie Garnier"}
    dated = library.ask("De quand date-t-il ?", topic=written.topic)
    assert dated.follows and dated.detail == "date"
    assert [r.article.date for r in dated.results] == ["2025-09-23"]
    library.close()


def test_a_price_asked_of_a_thing_is_not_answered_by_an_amount_said_in_a_paragraph_that_does_not_name_it(
    tmp_path, embedder, settings
):
    library = library_of_written("67", tmp_path, embedder, settings, "expo-vasseur-lyon", "conseil-besancon-bus")
    # The exhibition's "Entrée : 14 euros" shares its passage with a paragraph naming the
    # paintings, not its paragraph.
    assert not library.ask("Combien coûte un tableau d'Hélène Vasseur ?").found
    entry = library.ask("Combien coûte l'entrée de l'exposition Hélène Vasseur ?")
    assert entry.found and "14 euros" in entry.results[0].quote
    library.close()


def test_asked_for_a_score_the_library_quotes_the_match_s_points_or_the_share_of_the_vote(tmp_path, embedder, settings):
    """News writes a match's score digits to digits ("(27-24)") and a candidate's as a share
    of the vote, in sentences that never say "score"; the one that says it ("ont ouvert le
    score") names no score."""
    library = library_of_written("67", tmp_path, embedder, settings, "rugby-toulouse-clermont", "resultats-cyclonord")
    match = library.ask("Quel est le score du match ?")
    assert match.found and "(27-24)" in match.results[0].quote
    library.close()
    election = library_of_written("67b", tmp_path, embedder, settings, "legislative-partielle-vienne")
    winner = election.ask("Qui est Sandrine Morel ?")
    share = election.ask("Avec quel score a-t-elle gagné ?", topic=winner.topic)
    assert share.follows and share.found and "50,8 %" in share.results[0].quote
    election.close()


def test_an_ellipsis_asks_what_its_topic_asked_a_price_of_another_part(tmp_path, embedder, settings):
    """After a price, an ellipsis ("Et l'écran ?") asks the screen's price: the sentence
    stating one, not the one describing the screen ("un écran de 6,4 pouces"); said without the
    ellipsis's words, the answer still counts ("gratuit pour les moins de 18 ans" for the
    children)."""
    library = library_of_written("67b", tmp_path, embedder, settings, "lancement-telephone-fairtek")
    price = library.ask("Combien coûte le Fairtek One ?")
    for question, amount in (("Et une batterie de rechange ?", "29 euros"), ("Et l'écran ?", "79 euros")):
        part = library.ask(question, topic=price.topic)
        assert part.follows and part.found and amount in part.results[0].quote, question
    library.close()
    exhibition = library_of_written("67", tmp_path, embedder, settings, "expo-vasseur-lyon")
    entry = exhibition.ask("Combien coûte l'entrée ?")
    children = exhibition.ask("Et pour les enfants ?", topic=entry.topic)
    assert children.found and "gratuit pour les moins de 18 ans" in children.results[0].quote
    exhibition.close()


def test_an_elliptical_follow_up_asking_a_yes_or_no_question_of_a_place_is_answered_without_its_topic_s_word(
    tmp_path, embedder, settings
):
    library = library_of_written("67", tmp_path, embedder, settings, "resultats-cyclonord")
    layoffs = library.ask("Y a-t-il des licenciements ?")
    assert layoffs.found and "Aucun licenciement" in layoffs.results[0].quote
    # Of the plant, not of layoffs: the sentence that answers never says "licenciement".
    plant = library.ask("Et l'usine de Sarreguemines ?", topic=layoffs.topic)
    assert plant.found and plant.follows and "n'est pas menacé" in plant.results[0].quote
    library.close()


def test_asked_what_the_one_just_named_said_the_follow_up_quotes_their_words_beside_the_answer(
    tmp_path, embedder, settings
):
    """News quotes a speaker « … », affirme-t-il, in the sentence that names them or right
    after it: neither says "dit" nor repeats what the conversation asked."""
    library = library_of_written("68", tmp_path, embedder, settings, "immobilier-nantes", "vol-musee-dijon")
    for opening, follow_up, words in (
        ("Qui défend l'encadrement des loyers ?", "Que dit-il ?", "deux fois plus fortes"),  # the next sentence
        ("Qui dirige le musée ?", "Qu'a-t-elle déclaré ?", "C'est un choc"),  # the one that named her
    ):
        speaker = library.ask(opening)
        said = library.ask(follow_up, topic=speaker.topic)
        assert said.follows and said.found and words in said.results[0].quote, follow_up
    library.close()


def test_asked_what_something_brings_in_the_library_quotes_money_not_millions_of_passengers(
    tmp_path, embedder, settings
):
    """« 5,2 millions de passagers, et les ports 3,8 millions »: the second millions are
    passengers too, no amount of money; the turnover in euros answers."""
    library = library_of_written("68b", tmp_path, embedder, settings, "saison-touristique-corse")
    answer = library.ask("Combien rapporte le tourisme ?")
    assert answer.found and "3,1 milliards d'euros" in answer.results[0].quote
    library.close()


def test_asked_when_something_will_happen_the_library_quotes_what_is_to_come_not_what_was(tmp_path, embedder, settings):
    """« Il avait été exposé une seule fois, en 1886 » holds the question's word but dates the
    past; « L'œuvre sera présentée au public à partir du 14 mars » answers "Quand sera-t-il
    exposé ?", asked alone or after the painting; a date asked in the past keeps its answer, and
    so does a first quote in the present (« appelle à une journée de grève le 27 novembre »)."""
    library = library_of_written("68b", tmp_path, embedder, settings, "acquisition-musee-nantes")
    painting = library.ask("Quel tableau le musée a-t-il acquis ?")
    asked = (("Quand sera-t-il exposé ?", painting.topic), ("Quand le tableau sera-t-il exposé ?", None))
    for question, topic in asked:
        shown = library.ask(question, topic=topic)
        assert shown.found and "à partir du 14 mars" in shown.results[0].quote, question
    shown_before = library.ask("Quand le tableau avait-il été exposé ?")
    assert shown_before.found and "en 1886" in shown_before.results[0].quote
    library.close()
    # A first quote in the present dates what is to come too, and stays.
    reform = library_of_written("67b", tmp_path, embedder, settings, "reforme-brevet")
    strike = reform.ask("Quand aura lieu la grève des enseignants ?")
    assert strike.found and "le 27 novembre" in strike.results[0].quote
    reform.close()
    # Nor does one in a compound past that says what is awaited: « … ont été confiées au
    # laboratoire …, et les premiers résultats sont attendus au printemps prochain ».
    dig = library_of_written("68", tmp_path, embedder, settings, "fouilles-chartres")
    results = dig.ask("Quand les résultats des analyses seront-ils connus ?")
    assert results.found and "printemps prochain" in results.results[0].quote
    dig.close()


def test_a_figure_asked_of_a_year_its_article_never_names_is_declined_and_the_year_named(tmp_path, embedder, settings):
    library = library_of_written("69", tmp_path, embedder, settings, "loups-haut-var", "manifestation-bassines-vienne")
    # The wolf article gives 2024's ceiling and 2023's attacks, every other word is there: no 2021.
    never = library.ask("Combien de loups ont été abattus en 2021 ?")
    assert not never.found and never.unheld == ("2021",)
    # 2022 is in the article on the drought, not in the one on sheep: holding it does not answer.
    other = library.ask("Combien de brebis ont été tuées en 2022 ?")
    assert not other.found and other.unheld == ("2022",)
    # A year the article gives, in its text or as its date, is answered.
    given = library.ask("Quelle était la population de loups en 2018 ?")
    assert given.found and "un peu plus de 500 en 2018" in given.results[0].quote
    dated = library.ask("Combien de brebis ont été tuées en 2024 ?")  # an article of 2024
    assert dated.found and "Vingt-sept brebis tuées" in dated.results[0].quote


def test_a_conversation_switching_subject_with_a_phrase_set_before_a_comma_reads_that_subject_s_article(
    tmp_path, embedder, settings
):
    library = library_of_written("69c", tmp_path, embedder, settings, "incendie-landes", "tour-occitanie-etape")
    stage = library.ask("Qui a remporté l'étape ?")
    assert stage.found and "Lucas Ferrand" in stage.results[0].quote
    # "il" is the fire it names, not the rider the conversation was on.
    fire = library.ask("Et l'incendie, il a commencé quand ?", topic=stage.topic)
    assert fire.found and fire.results[0].article.title.startswith("Incendie dans les Landes")
    firefighters = library.ask("Combien de pompiers ?", topic=fire.topic)
    assert firefighters.found and "650 sapeurs-pompiers" in firefighters.results[0].quote
    library.close()


def test_asked_about_the_other_article_or_an_article_named_before_a_comma_the_library_answers_for_that_one(
    tmp_path, embedder, settings
):
    library = library_of_written(
        "69c", tmp_path, embedder, settings, "deraillement-enquete", "classement-universites", "incendie-landes"
    )
    injured = library.ask("Combien de blessés a fait le déraillement ?")
    assert injured.found and "23 blessés" in injured.results[0].quote
    other = library.ask("Et l'autre article, de quoi parle-t-il ?", topic=injured.topic)
    assert other.found and {r.article.title.split(" :")[0] for r in other.results} == {
        "Classement de Shanghai",
        "Incendie dans les Landes",
    }
    dated = library.ask("Et l'article sur l'incendie, de quand date-t-il ?", topic=injured.topic)
    assert dated.detail == "date" and [r.article.date for r in dated.results][:1] == ["2026-08-14"]


def test_the_other_article_of_a_library_that_cannot_tell_it_is_declined_not_the_conversation_s_own_quoted(
    tmp_path, embedder, settings
):
    """In a library of the conversation's article alone there is no other; in one of five, "l'autre"
    does not say which: the conversation's own article was quoted as if it were the other."""
    from bot.replies.answers import declined_reply

    alone = library_of_written("69c", tmp_path / "one", embedder, settings, "deraillement-enquete")
    injured = alone.ask("Combien de blessés a fait le déraillement ?")
    assert injured.found
    for question in ("De quoi parle l'autre article ?", "Et l'autre article, de quoi parle-t-il ?"):
        other = alone.ask(question, topic=injured.topic)
        assert not other.found and not other.results, question
        assert declined_reply(other) == "La bibliothèque ne compte aucun autre article."
        assert other.topic == injured.topic  # what the conversation goes on about
    alone.close()
    five = library_of_written(
        "69c",
        tmp_path / "five",
        embedder,
        settings,
        "deraillement-enquete",
        "classement-universites",
        "incendie-landes",
        "opera-rouen",
        "sommet-franco-allemand",
    )
    injured = five.ask("Combien de blessés a fait le déraillement ?")
    other = five.ask("De quoi parle l'autre article ?", topic=injured.topic)
    assert not other.found and not other.results
    assert declined_reply(other).startswith("Lequel ? La bibliothèque compte 4 autres articles : nommez son sujet")
    five.close()


def test_asked_why_the_library_quotes_the_cause_beside_the_sentence_repeating_the_question(
    tmp_path, embedder, settings
):
    """« Le taux de la taxe foncière … passera de 45,2 % à 47 % » holds the question's words; the
    cause is two sentences on, « La municipalité justifie ce choix par la hausse de ses
    dépenses »; « Le film avait reçu le prix du public … » names the prizes, the next sentence
    says why they helped (« …, car les exploitants l'ont programmé plus largement »). A question
    asking something else keeps the sentence holding its words."""
    library = library_of_written("69b", tmp_path, embedder, settings, "budget-valence", "box-office-lumiere")
    tax = library.ask("Pourquoi la taxe foncière augmente-t-elle ?")
    assert tax.found and "hausse de ses dépenses" in tax.results[0].quote
    prizes = library.ask("Quelles récompenses le film a-t-il reçues ?")
    helped = library.ask("Pourquoi ces prix ont-ils aidé le film ?", topic=prizes.topic)
    assert helped.found and "car les exploitants" in helped.results[0].quote
    rate = library.ask("De combien la taxe foncière augmente-t-elle ?")
    assert rate.found and "45,2 % à 47 %" in rate.results[0].quote
    library.close()


def test_a_question_in_other_words_than_the_article_s_finds_the_sentence_written_in_them(tmp_path, embedder, settings):
    """« Qu'est-ce qui est interdit ? » meets « un arrêté interdisant la pêche »: Snowball leaves
    « interdit » and « interdisant » apart, the analyser reads them as one term (as it does the
    synonyms news writes for one another: « réclament » and « demande »)."""
    library = library_of_written("69b", tmp_path, embedder, settings, "pollution-loing", "plan-social-valmetal")
    banned = library.ask("Qu'est-ce qui est interdit ?")
    assert banned.found and "interdisant la pêche" in banned.results[0].quote
    library.close()


def test_asked_who_said_words_given_with_elle_the_follow_up_quotes_the_sentence_naming_her(
    tmp_path, embedder, settings
):
    """« … il ne reste rien pour manger », souligne-t-elle: the quotation names nobody, its
    speaker is named the sentence before (« Pour Manon Ribeiro, présidente de l'UNEF … »), as
    « Pharmacienne à Quimper, elle cherche … » follows the one naming Anne-Sophie Le Bihan."""
    library = library_of_written(
        "70b", tmp_path, embedder, settings, "logement-etudiant-bordeaux", "penurie-medicaments"
    )
    grant = library.ask("Combien touche un étudiant boursier à Bordeaux ?")
    assert grant.found and "650 euros" in grant.results[0].quote
    said = library.ask("Qui le dit ?", topic=grant.topic)
    assert said.found and "Manon Ribeiro" in said.results[0].quote
    families = library.ask("Combien de familles la pharmacienne de Quimper a-t-elle renvoyées ?")
    named = library.ask("Comment s'appelle-t-elle ?", topic=families.topic)
    assert named.found and "Anne-Sophie Le Bihan" in named.results[0].quote
    library.close()


def test_and_she_what_did_she_say_quotes_her_words_beside_the_sentence_that_named_her(tmp_path, embedder, settings):
    """ "Et elle, qu'a-t-elle dit ?" after « Sa présidente, Nathalie Roussel, demande un
    moratoire … »: her words come next (« Nous ne sommes pas contre le vélo … », a-t-elle
    déclaré), as they do for "Qu'a-t-elle dit ?"; before, the moratorium was quoted again."""
    library = library_of_written("70b", tmp_path, embedder, settings, "pistes-cyclables-tours", "grippe-aviaire-vendee")
    asked = library.ask("Que demande la CCI ?")
    assert asked.found and "moratoire" in asked.results[0].quote
    said = library.ask("Et elle, qu'a-t-elle dit ?", topic=asked.topic)
    assert said.found and "contre la précipitation" in said.results[0].quote
    library.close()


def test_asked_his_age_the_follow_up_quotes_the_age_said_of_the_one_just_named(tmp_path, embedder, settings):
    """« Le capitaine, Axel Nguema, a salué … », then « … », a reconnu l'ailier de 31 ans: "Quel
    âge a-t-il ?" is his age, not the new coach's « Sofiane Merzouk, 39 ans » of another
    paragraph, nor the spokesman's « depuis trois ans » just before him."""
    library = library_of_written(
        "70b", tmp_path, embedder, settings, "entraineur-limoges-basket", "logement-etudiant-bordeaux"
    )
    captain = library.ask("Qui est le capitaine du CSP ?")
    assert captain.found and "Axel Nguema" in captain.results[0].quote
    age = library.ask("Quel âge a-t-il ?", topic=captain.topic)
    assert age.found and "31 ans" in age.results[0].quote
    coach = library.ask("Qui remplace Yannick Barrault ?")
    age = library.ask("Quel âge a-t-il ?", topic=coach.topic)
    assert age.found and "39 ans" in age.results[0].quote
    library.close()


def test_a_follow_up_naming_what_it_measures_finds_its_own_sentence_not_the_last_quote_s_figure(
    tmp_path, embedder, settings
):
    """ "Combien cela coûtera-t-il à un propriétaire ?" names the owner: « Pour un propriétaire …,
    une cinquantaine d'euros de plus », not the figure beside the last quote (« … réduit sa
    dotation de 2,3 millions d'euros »), as a bare "Combien coûte-t-il ?" would be."""
    library = library_of_written("69b", tmp_path, embedder, settings, "budget-valence")
    why = library.ask("Pourquoi la taxe foncière augmente-t-elle ?")
    cost = library.ask("Combien cela coûtera-t-il à un propriétaire ?", topic=why.topic)
    assert cost.found and "cinquantaine d'euros" in cost.results[0].quote
    library.close()


def test_a_question_whose_words_are_all_in_an_article_but_not_the_relation_it_asks_is_declined(
    tmp_path, embedder, settings
):
    library = library_of_written(
        "70", tmp_path, embedder, settings, "horaires-ter-normandie", "loi-demarchage-telephonique"
    )
    # SNCF Voyageurs is named, nobody at its head; drivers are lacking, how many is not said
    # (« 86 % » is a share); a decree is due, no date is given.
    for question in (
        "Qui dirige SNCF Voyageurs ?",
        "Combien de conducteurs manque-t-il ?",
        "Quand le décret sera-t-il publié ?",
    ):
        assert not library.ask(question).found, question
    # The same kinds of questions the articles do answer are answered.
    mayor = library.ask("Qui est le maire de Serquigny ?")
    assert mayor.found and "Jean-Luc Collet" in mayor.results[0].quote
    drivers = library.ask("Combien de conducteurs ont été recrutés ?")
    assert drivers.found and "38 conducteurs" in drivers.results[0].quote
    adopted = library.ask("Quand le Sénat a-t-il adopté le texte ?")
    assert adopted.found and "Après le Sénat en mars" in adopted.results[0].quote
    library.close()
