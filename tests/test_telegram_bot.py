"""The real bot (`python -m bot serve`) in conversation with a fake Bot API server.

One bot process serves the whole module (loading the model takes seconds); each
test talks in its own chats, in the order a library fills up.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, SAMPLE
from tests.document_fixtures import make_docx, make_pdf
from tests.fake_telegram import BOT_USERNAME, FakeTelegram
from tests.http_fixtures import Site
from tests.test_documents import ARTICLE_PAGE

pytestmark = pytest.mark.slow

TOKEN = "123456:TEST-token-that-must-never-be-logged"
ADMIN = 1001
USER = 2002
READER = 2003  # another user, with a per-minute question allowance of their own
STRANGER = 2004  # one more, for what is no question
QUESTION = "Qui est le secrétaire général de l'OTAN ?"
PDF_PAGES = [
    ["La piscine du Rhône rouvrira en juin après deux ans de travaux, a annoncé la maire."],
    ["Le bassin olympique a été entièrement refait et un toit ouvrant a été installé."],
]
SLOW_PAGE = (
    "<html><head><title>La crue de la Seine</title></head><body><article><h1>La crue de la Seine</h1>"
    "<p>La Seine a atteint six mètres à Paris mardi, un niveau inédit depuis 2018. Les quais sont fermés "
    "à la circulation et plusieurs stations de RER ont été évacuées par précaution.</p>"
    "<p>La préfecture de police prévoit une décrue lente à partir de jeudi, selon les prévisions de "
    "Vigicrues publiées ce matin.</p></article></body></html>"
)


@pytest.fixture(scope="module")
def site():
    pages = {
        "/article": (200, "text/html; charset=utf-8", ARTICLE_PAGE.encode()),
        "/image.png": (200, "image/png", b"\x89PNG...."),
        "/slow": (200, "text/html; charset=utf-8", SLOW_PAGE.encode()),  # answered after 2 s
    }
    with Site(pages) as running:
        yield running


@pytest.fixture(scope="module")
def telegram():
    with FakeTelegram(TOKEN) as fake:
        yield fake


def bot_environment(telegram: FakeTelegram, data, model_cache, **settings: str) -> dict:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATA_DIR": str(data),
        "MODEL_CACHE_DIR": str(model_cache),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": telegram.base_url,
        "TELEGRAM_BASE_FILE_URL": telegram.base_file_url,
        "ADMIN_USER_IDS": str(ADMIN),
        "INGEST_ALLOW_PRIVATE_URLS": "true",
        "INGEST_MAX_BYTES": "200000",
        "LOG_LEVEL": "DEBUG",
        **settings,
    }


@contextlib.contextmanager
def running_bot(telegram: FakeTelegram, data, model_cache, *options: str, **settings: str):
    """`python -m bot serve` against the fake Bot API, until the block ends (`options`: of
    `serve`, such as --webhook; `settings`: more environment variables)."""
    log_path = data / "bot.log"
    env = bot_environment(telegram, data, model_cache, **settings)
    started = len(telegram.calls_to("setMyCommands"))
    with open(log_path, "a") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", *options], env=env, stderr=log, stdout=log, cwd=data
        )
        try:
            try:
                telegram.wait_for(lambda: len(telegram.calls_to("setMyCommands")) > started, timeout=120)
            except AssertionError:  # a start that hangs says where: each thread's stack (SIGUSR1)
                if process.poll() is None:
                    process.send_signal(signal.SIGUSR1)
                    time.sleep(2)
                pytest.fail(f"the bot did not start within 120 s; its log ends:\n{log_path.read_text()[-20_000:]}")
            yield process, log_path
        finally:
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def bot(telegram, tmp_path_factory, model_cache):
    # One user asks most of this module's questions, and presses its buttons, within a minute:
    # the per-user limit has its own tests (`test_telegram_features`, `test_telegram_buttons`).
    with running_bot(telegram, tmp_path_factory.mktemp("bot-data"), model_cache, QUESTIONS_PER_MINUTE="600") as running:
        yield running


def ask(telegram, chat_id, user_id, text, needle, **kwargs) -> str:
    """Send a message; wait for a reply to it that contains `needle`."""
    after = telegram.last_id()
    telegram.user_message(chat_id, user_id, text, **kwargs)
    return telegram.wait_for_text(chat_id, needle, after=after)


def test_commands_are_registered_with_admin_ones_for_admins_only(bot, telegram):
    calls = telegram.wait_for(
        lambda: len(telegram.calls_to("setMyCommands")) >= 2 and telegram.calls_to("setMyCommands")
    )
    public = next(c for c in calls if "scope" not in c.params)
    admin = next(c for c in calls if "scope" in c.params)
    assert [c["command"] for c in public.params["commands"]] == ["ask", "ingest", "help"]
    assert admin.params["scope"] == {"type": "chat", "chat_id": ADMIN}
    assert {"reindex", "delete", "articles", "stats"} <= {c["command"] for c in admin.params["commands"]}


def test_start_explains_the_bot_with_examples(bot, telegram):
    text = ask(telegram, 11, 11, "/start", "citant des articles")
    assert "Qui est le secrétaire général de l'OTAN ?" in text and "/ingest" in text
    assert "/reindex" not in text
    assert "/reindex" in ask(telegram, ADMIN, ADMIN, "/help", "Administration")


def test_an_empty_library_says_how_to_add_the_first_article(bot, telegram):
    said = ask(telegram, 12, 12, QUESTION, "bibliothèque est vide")
    assert "/ingest" in said and "URL" in said and "fichier" in said and "chemin" not in said  # no path on a server


def test_ingesting_pasted_text_reports_what_was_added(bot, telegram):
    text = "/ingest OTAN : réunion à Bruxelles\n" + SAMPLE.read_text(encoding="utf-8")
    reply = ask(telegram, 13, USER, text, "Ajouté")
    assert "« OTAN : réunion à Bruxelles » (février 2023)" in reply and "4 passages, article 1" in reply
    assert telegram.calls_to("editMessageText", 13)  # one status message, edited as the work progresses
    assert len(telegram.texts(13)) == 1


def test_a_question_gets_quoted_passages_with_highlight_reference_and_buttons(bot, telegram):
    reply = ask(telegram, 14, USER, QUESTION, "blockquote")
    assert reply.count("<blockquote expandable>") == 2
    assert (
        "<b>Il faut donc aller vite pour éviter que des nouveaux territoires soient conquis insiste Jens Stoltenberg"
        in reply
    )
    assert "<i>OTAN : réunion à Bruxelles</i> — février 2023" in reply
    labels = [
        b["text"] for row in telegram.sent_message(14, "blockquote")["reply_markup"]["inline_keyboard"] for b in row
    ]
    assert "Plus de passages ▶" in labels and "📄 OTAN : réunion à Bruxelles" in labels


def test_buttons_page_through_passages_and_show_the_article_reference(bot, telegram):
    ask(telegram, 15, USER, QUESTION, "blockquote")
    message, more = telegram.button(15, "Plus de passages")
    telegram.callback(15, USER, message, more)
    assert "suite (2)" in telegram.wait_for_text(15, "suite (2)")
    assert telegram.calls_to("answerCallbackQuery")
    message, card = telegram.button(15, "📄")
    telegram.callback(15, USER, message, card)
    card = telegram.wait_for_text(15, "Article 1 — 4 passages")
    assert "<b>OTAN : réunion à Bruxelles</b>" in card and "Date : février 2023" in card


def test_buttons_work_only_in_their_chat_and_forged_ones_are_refused(bot, telegram):
    ask(telegram, 33, USER, QUESTION, "blockquote")
    message, more = telegram.button(33, "Plus de passages")
    answered = len(telegram.calls_to("answerCallbackQuery"))
    telegram.callback(34, 3434, {**message, "chat": {"id": 34, "type": "private"}}, more)  # another user's chat
    telegram.callback(34, 3434, message, "p|AAAAAAAAAAAAAAAA|1")  # guessed data
    calls = telegram.wait_for(
        lambda: (
            len(telegram.calls_to("answerCallbackQuery")) >= answered + 2 and telegram.calls_to("answerCallbackQuery")
        )
    )
    alerts = [c.params.get("text", "") for c in calls[answered:]]
    assert any("autre conversation" in text for text in alerts) and any("expiré" in text for text in alerts)
    assert not telegram.texts(34)  # nothing of chat 33's answer was shown in chat 34


def test_an_unrelated_question_is_declined_honestly(bot, telegram):
    reply = ask(telegram, 16, USER, "Quelle est la recette de la tarte Tatin ?", "rien trouvé")
    assert "reformuler" in reply and "/ingest" in reply and "blockquote" not in reply


def test_a_message_without_a_word_is_asked_for_a_question_not_searched(bot, telegram):
    for text in ("?", "🤔", "…"):
        reply = ask(telegram, 16, USER, text, "pas de question")
        assert "posez-la avec des mots" in reply and "rien trouvé" not in reply


def test_a_link_alone_is_answered_with_how_to_add_its_page_not_searched(bot, telegram):
    reply = ask(telegram, 16, USER, "https://www.exemple.fr/actualites/castor-loire.html", "/ingest")
    assert "Pour ajouter cette page à la bibliothèque" in reply and "rien trouvé" not in reply


def test_an_unknown_command_or_a_photo_in_private_gets_told_what_the_bot_reads(bot, telegram):
    assert "/help" in ask(telegram, 17, STRANGER, "/recherche OTAN", "Je ne connais pas cette commande")
    photo = [{"file_id": "p1", "file_unique_id": "p1", "width": 90, "height": 90}]
    reply = ask(telegram, 17, STRANGER, None, "Je ne lis que du texte", photo=photo, caption="Qui dirige l'OTAN ?")
    assert "/ingest" in reply and "rien trouvé" not in reply
    after = telegram.last_id()  # in a group, an unknown command may be another bot's: nothing said
    telegram.user_message(-17, STRANGER, "/recherche OTAN")
    telegram.user_message(-17, STRANGER, f"/ask@{BOT_USERNAME} Qui dirige l'OTAN ?")  # answered well after
    assert not any("Je ne connais pas" in text for text in telegram.wait_for(lambda: telegram.texts(-17, after)))


def test_greetings_thanks_and_help_in_words_get_a_reply_not_a_search(bot, telegram):
    reply = ask(telegram, 16, USER, "Bonjour !", "Posez-moi une question")
    assert "/help" in reply and "rien trouvé" not in reply
    assert "Une autre question" in ask(telegram, 16, USER, "Merci beaucoup 🙏", "Avec plaisir")
    assert "<b>Poser une question</b>" in ask(telegram, 16, USER, "Comment ça marche ?", "citant des articles")
    answer = ask(telegram, 16, USER, f"Bonjour, {QUESTION[0].lower()}{QUESTION[1:]}", "blockquote")
    assert "Jens Stoltenberg" in answer  # a greeting before a question: the question is answered


def test_asked_what_the_article_is_about_the_bot_quotes_its_opening(bot, telegram):
    reply = ask(telegram, 16, USER, "De quoi parle l'article ?", "blockquote")
    assert "<b>Les membres de l'Organisation du traité de l'Atlantique nord (OTAN) sont réunis à Bruxelles" in reply
    assert "<i>OTAN : réunion à Bruxelles</i> — février 2023" in reply and "incertaine" not in reply


def test_asked_who_wrote_the_article_or_when_the_bot_shows_its_card(bot, telegram):
    reply = ask(telegram, 50, READER, "Quelle est la date de l'article ?", "est daté")
    assert "L'article « OTAN : réunion à Bruxelles » est daté de février 2023." in reply
    assert "<b>OTAN : réunion à Bruxelles</b>\nDate : février 2023" in reply and "blockquote" not in reply
    assert "n'est pas indiqué" in ask(telegram, 50, READER, "Qui a écrit l'article ?", "L'auteur de")


def test_asked_what_is_new_the_bot_quotes_the_latest_article_s_opening(bot, telegram):
    reply = ask(telegram, 50, READER, "Salut, quoi de neuf ?", "blockquote")
    assert "<b>Les membres de l'Organisation du traité de l'Atlantique nord (OTAN) sont réunis à Bruxelles" in reply


def test_two_questions_in_one_message_get_an_answer_each_the_second_following_the_first(bot, telegram):
    after = telegram.last_id()
    telegram.user_message(18, USER, f"{QUESTION} Que dit-il de Poutine ?")
    second = telegram.wait_for_text(18, "🔎 <b>Que dit-il de Poutine ?</b>", after=after)
    first = telegram.wait_for_text(18, f"🔎 <b>{QUESTION}</b>", after=after)
    assert "Jens Stoltenberg" in first and "blockquote" in second and f"↪ suite de « {QUESTION} »" in second


def test_a_pasted_article_is_not_searched_the_user_is_told_how_to_add_it(bot, telegram):
    article = " ".join(["Le conseil municipal a voté le budget de la piscine après un long débat."] * 8)
    reply = ask(telegram, 16, USER, article, "ressemble à un article")
    assert "/ingest" in reply and "blockquote" not in reply and "rien trouvé" not in reply


def test_ingesting_a_url_keeps_the_article_and_leaves_the_site_boilerplate(bot, telegram, site):
    reply = ask(telegram, 17, USER, f"/ingest {site.origin}/article", "Ajouté")
    assert "« Le Conseil vote la réforme » (5 mars 2024)" in reply
    answer = ask(
        telegram, 17, USER, "Par combien de voix la réforme du stationnement a-t-elle été adoptée ?", "blockquote"
    )
    assert "32 voix contre 11" in answer and f'<a href="{site.origin}/article">source</a>' not in answer
    # The link opens the page at the quote (a text fragment), on the page's own address.
    assert '<a href="https://www.lequotidien.example/politique/reforme#:~:text=' in answer
    assert "cookies" not in answer and "Mentions légales" not in answer


def test_the_bot_shows_it_is_typing_while_a_slow_ingest_works(bot, telegram, site):
    after = telegram.last_id()
    with site.slow_pages_held() as page_sent:
        telegram.user_message(27, USER, f"/ingest {site.origin}/slow")
        assert telegram.wait_for(lambda: telegram.calls_to("sendChatAction", 27))  # the page still coming
        page_sent.set()
        reply = telegram.wait_for_text(27, "Ajouté", after=after)
    assert "« La crue de la Seine »" in reply


def test_one_person_has_ten_articles_being_added_at_once_at_most_and_the_next_is_asked_to_wait(bot, telegram, site):
    spammer, chat = 2005, 28
    after = telegram.last_id()
    with site.slow_pages_held() as pages_sent:  # none of the ten added until the refusal is seen
        for _ in range(11):
            telegram.user_message(chat, spammer, f"/ingest {site.origin}/slow")
        refusal = telegram.wait_for_text(chat, "en cours d'ajout", after=after)
        assert (
            refusal
            == "Vous avez déjà 10 articles en cours d'ajout : attendez qu'ils soient ajoutés, puis renvoyez celui-ci."
        )
        pages_sent.set()
        outcomes = ("Ajouté", "déjà dans la bibliothèque")
        telegram.wait_for(
            lambda: sum(any(o in t for o in outcomes) for t in telegram.texts(chat, after)) == 10, timeout=60
        )
    # Once they are added, the same person may add more.
    after = telegram.last_id()
    telegram.user_message(chat, spammer, f"/ingest {site.origin}/article")
    assert telegram.wait_for(lambda: any(o in t for t in telegram.texts(chat, after) for o in outcomes))


def test_one_person_s_many_articles_being_added_leave_room_for_another_person_s(bot, telegram, site):
    """The bot adds two articles at a time for everyone; one person's are added one at a time,
    so that someone else's article is not kept waiting behind all of theirs."""
    sender, sender_chat, other, other_chat = 2007, 29, 2008, 30
    after = telegram.last_id()
    outcomes = ("Ajouté", "déjà dans la bibliothèque")
    with site.slow_pages_held() as pages_sent:  # theirs still coming while the other person's is added
        for _ in range(4):
            telegram.user_message(sender_chat, sender, f"/ingest {site.origin}/slow")
        telegram.wait_for(lambda: len(telegram.texts(sender_chat, after)) == 4)  # their four statuses
        telegram.user_message(other_chat, other, f"/ingest {site.origin}/article")
        # Before, theirs took both threads and the other person's article waited behind all four.
        telegram.wait_for(lambda: any(o in t for t in telegram.texts(other_chat, after) for o in outcomes), timeout=60)
        assert sum(any(o in t for o in outcomes) for t in telegram.texts(sender_chat, after)) < 2
        pages_sent.set()
        telegram.wait_for(
            lambda: sum(any(o in t for o in outcomes) for t in telegram.texts(sender_chat, after)) == 4, timeout=60
        )


def test_a_document_sent_with_the_ingest_caption_is_added(bot, telegram):
    document = telegram.add_file(
        "budget.md", "# Le budget voté\n\nLe Sénat a voté le budget de la culture jeudi à l'unanimité.".encode()
    )
    telegram.user_message(
        18,
        USER,
        None,
        document=document,
        caption="/ingest",
        caption_entities=[{"type": "bot_command", "offset": 0, "length": 7}],
    )
    reply = telegram.wait_for_text(18, "Ajouté")
    assert "« Le budget voté »" in reply and telegram.calls_to("getFile")


def test_pdf_word_and_windows_text_documents_are_added(bot, telegram):
    pdf = telegram.add_file("rapport.pdf", make_pdf(PDF_PAGES, title="Rapport sur les piscines"))
    telegram.user_message(37, USER, None, document=pdf, caption="/ingest")
    assert "« Rapport sur les piscines »" in telegram.wait_for_text(37, "Ajouté")
    docx = telegram.add_file(
        "note.docx", make_docx([("paragraph", "Le gymnase Jean-Moulin ferme pour travaux en mars.")])
    )
    telegram.user_message(38, USER, None, document=docx, caption="/ingest")
    assert "Ajouté" in telegram.wait_for_text(38, "Ajouté")
    latin = telegram.add_file(
        "latin.txt", "titre: Élections\n\nLes électeurs ont élu leur maire à 52 %.".encode("cp1252")
    )
    telegram.user_message(39, USER, None, document=latin, caption="/ingest")
    assert "« Élections »" in telegram.wait_for_text(39, "Ajouté")
    assert "piscine du Rhône" in ask(telegram, 37, USER, "Quand la piscine du Rhône rouvrira-t-elle ?", "blockquote")


def test_replying_ingest_to_a_document_adds_it(bot, telegram):
    document = telegram.add_file("note.txt", b"titre: Note de service\n\nLa cantine ferme exceptionnellement vendredi.")
    sent = telegram.user_message(31, USER, None, document=document)
    assert "légende" in telegram.wait_for_text(31, "/ingest")  # a bare document gets a hint, not an ingest
    assert "« Note de service »" in ask(telegram, 31, USER, "/ingest", "Ajouté", reply_to=sent)


def test_an_unexpected_failure_is_reported_once_and_admins_are_told(bot, telegram):
    after = telegram.last_id()
    broken = {"file_id": "vanished", "file_unique_id": "vanished", "file_name": "a.txt", "file_size": 10}
    telegram.user_message(32, USER, None, document=broken, caption="/ingest")
    note = telegram.wait_for_text(ADMIN, "Erreur dans le bot", after=after)
    assert "BadRequest: Invalid file_id" in note
    assert telegram.texts(32, after) == ["⚠️ L'ajout a échoué à cause d'une erreur inattendue ; rien n'a été modifié."]


def test_replying_ingest_to_a_forwarded_channel_post_keeps_its_origin(bot, telegram):
    after = telegram.last_id()
    post = telegram.user_message(
        19,
        USER,
        "Le festival de jazz de Marciac accueillera 250 000 visiteurs cet été, selon les organisateurs.",
        forward_origin={
            "type": "channel",
            "date": int(time.time()),
            "chat": {"id": -100777, "type": "channel", "title": "Info Gers", "username": "infogers"},
            "message_id": 42,
        },
    )
    # Forwarded alone, it is taken for what it is: an article, not a question.
    assert "répondez-y avec <code>/ingest</code>" in telegram.wait_for_text(19, "ressemble à un article", after=after)
    reply = ask(telegram, 19, USER, "/ingest", "Ajouté", reply_to=post)
    assert "article" in reply
    answer = ask(telegram, 19, USER, "Combien de visiteurs pour le festival de jazz de Marciac ?", "blockquote")
    assert "250 000 visiteurs" in answer and 'href="https://t.me/infogers/42#:~:text=' in answer


def test_replying_ingest_to_a_shared_link_adds_the_page_not_the_message(bot, telegram, site):
    title = "Le Conseil vote la réforme"  # the page's, added here or already there
    shared = telegram.user_message(20, USER, f"À lire : {site.origin}/article")
    assert title in ask(telegram, 20, USER, "/ingest", title, reply_to=shared)
    link = {"type": "text_link", "offset": 0, "length": 14, "url": f"{site.origin}/article"}
    hidden = telegram.user_message(21, USER, "Lire l'article", entities=[link])  # the address behind the words
    assert title in ask(telegram, 21, USER, "/ingest", title, reply_to=hidden)


def test_a_short_article_is_counted_in_the_singular(bot, telegram):
    reply = ask(telegram, 35, USER, "/ingest Brève\n\nLe marché de Noël ouvre samedi place Kléber.", "Ajouté")
    assert "\n1 passage, article" in reply


def test_the_card_of_an_uploaded_file_names_the_file_not_a_path(bot, telegram):
    telegram.user_message(
        36,
        USER,
        None,
        document=telegram.add_file(
            "compte-rendu.md", "# Conseil de quartier\n\nLe conseil a voté le budget participatif.".encode()
        ),
        caption="/ingest",
    )
    telegram.wait_for_text(36, "Ajouté")
    ask(telegram, 36, USER, "Qu'a voté le conseil de quartier ?", "blockquote")
    message, card = telegram.button(36, "📄 Conseil de quartier")
    telegram.callback(36, USER, message, card)
    text = telegram.wait_for_text(36, "Source :")
    assert "Source : compte-rendu.md" in text and "telegram:" not in text


def test_an_edited_message_never_runs_a_command_again(bot, telegram):
    sent = telegram.user_message(ADMIN, ADMIN, "/aide")
    stats = ask(telegram, ADMIN, ADMIN, "/stats", "Articles :")
    after = telegram.last_id()
    telegram.edit_user_message(sent, "/delete 1")
    telegram.edit_user_message(sent, "/reindex")
    ask(telegram, ADMIN, ADMIN, "/help", "Administration")  # a later command is still answered
    # Each edit is told it is not run (silent, a link fixed in `/ingest` waited for nothing), and
    # nothing else is sent.
    told, helped = telegram.texts(ADMIN, after)[:-1], telegram.texts(ADMIN, after)[-1:]
    assert len(told) == 2 and all(t.startswith("Je ne relance pas une commande modifiée") for t in told), told
    assert "Administration" in helped[0]
    assert ask(telegram, ADMIN, ADMIN, "/stats", "Articles :") == stats


def test_the_same_article_twice_is_reported_as_already_there(bot, telegram):
    reply = ask(telegram, 20, USER, "/ingest " + SAMPLE.read_text(encoding="utf-8"), "déjà dans la bibliothèque")
    assert "article 1" in reply


@pytest.mark.parametrize(
    ("send", "explanation"),
    [
        (
            lambda t, s: t.user_message(
                22, USER, None, document=t.add_file("photo.jpg", b"\xff\xd8\xff"), caption="/ingest"
            ),
            "non pris en charge",
        ),
        (
            lambda t, s: t.user_message(
                23, USER, None, document={**t.add_file("gros.txt", b"x"), "file_size": 10**7}, caption="/ingest"
            ),
            "au-delà de la limite",
        ),
        (lambda t, s: t.user_message(24, USER, f"/ingest {s.origin}/image.png"), "pas une page d'article"),
        (lambda t, s: t.user_message(25, USER, "/ingest http://127.0.0.1:9/closed"), "impossible de télécharger"),
        (lambda t, s: t.user_message(26, USER, "/ingest Photo : AFP"), "bien court pour un article"),
        (lambda t, s: t.user_message(43, USER, "/ingest Photo : AFP\n\n! ! ! ! ! ! ! ! !"), "aucun paragraphe"),
        (
            lambda t, s: t.user_message(
                28, USER, None, document=t.add_file("scan.pdf", make_pdf([[], []])), caption="/ingest"
            ),
            "numérisé",
        ),
    ],
)
def test_bad_inputs_get_a_clear_french_explanation_and_change_nothing(bot, telegram, site, send, explanation):
    before = ask(telegram, ADMIN, ADMIN, "/stats", "Articles :")
    after = telegram.last_id()
    send(telegram, site)
    chat = telegram.updates[-1]["message"]["chat"]["id"]
    reply = telegram.wait_for_text(chat, explanation, after=after)
    assert reply.startswith("⚠️ Je n'ai pas pu ajouter cet article")
    assert ask(telegram, ADMIN, ADMIN, "/stats", "Articles :") == before


def test_in_groups_the_bot_answers_only_when_addressed(bot, telegram):
    group = -500
    telegram.user_message(group, USER, "On se retrouve à midi pour parler de l'OTAN ?")
    assert "blockquote" in ask(telegram, group, USER, f"/ask@{BOT_USERNAME} {QUESTION}", "blockquote")
    mention = f"@{BOT_USERNAME} où sont réunis les membres de l'OTAN ?"
    telegram.user_message(
        group, USER, mention, entities=[{"type": "mention", "offset": 0, "length": len(BOT_USERNAME) + 1}]
    )
    telegram.wait_for(lambda: len([t for t in telegram.texts(group) if "blockquote" in t]) >= 2)
    ours = telegram.sent_message(group, "blockquote")
    telegram.user_message(group, USER, "Et quelles munitions l'Allemagne produit-elle ?", reply_to=ours)
    telegram.wait_for(lambda: len([t for t in telegram.texts(group) if "blockquote" in t]) >= 3)
    assert len(telegram.texts(group)) == 3  # the first, unaddressed message got no reply


def test_non_admins_are_refused_admin_commands_and_nothing_happens(bot, telegram):
    for command in ("/stats", "/articles", "/reindex", "/delete 1"):
        assert "réservée aux administrateurs" in ask(telegram, 30, USER, command, "réservée")
    assert "Bruxelles" in ask(telegram, ADMIN, ADMIN, "/articles", "Bruxelles")


def test_admins_list_delete_and_reindex(bot, telegram):
    listed = ask(telegram, ADMIN, ADMIN, "/articles", "<b>Articles</b>")
    assert "<code>1</code> OTAN : réunion à Bruxelles (février 2023)" in listed
    said = ask(telegram, ADMIN, ADMIN, "/delete 999", "999")
    assert "Aucun article n'a l'identifiant 999" in said and "/articles" in said  # where the ids are
    asked = ask(telegram, ADMIN, ADMIN, "/delete 2", "Supprimer cet article ?")
    assert "<b>Le Conseil vote la réforme</b>" in asked
    question, delete = telegram.button(ADMIN, "🗑 Supprimer")
    telegram.callback(ADMIN, ADMIN, question, delete)
    deleted = telegram.wait_for_text(ADMIN, "Supprimé", after=question["message_id"] - 1)
    assert "« Le Conseil vote la réforme », article 2" in deleted
    after = telegram.last_id()
    telegram.user_message(ADMIN, ADMIN, "/reindex")
    telegram.user_message(40, USER, QUESTION)  # answered while the index is rebuilt
    telegram.user_message(40, USER, "/ingest Pendant la réindexation\n\nLe pont de Tolbiac rouvre lundi aux piétons.")
    assert "blockquote" in telegram.wait_for_text(40, "blockquote", after=after)
    added = telegram.wait_for_text(40, "Ajouté", after=after)
    done = telegram.wait_for_text(ADMIN, "Bibliothèque reconstruite", timeout=120, after=after)
    assert "Bibliothèque reconstruite :" in done and "passages" in done
    article_id = added.rsplit("article ", 1)[1].rstrip(".")
    listed = ask(telegram, ADMIN, ADMIN, "/articles", "<b>Articles</b>")
    assert f"<code>{article_id}</code> Pendant la réindexation" in listed
    assert "Tolbiac" in ask(telegram, 40, USER, "Quel pont rouvre lundi aux piétons ?", "blockquote")


def test_user_text_is_escaped_and_every_message_is_valid_html(bot, telegram):
    hostile = (
        "titre: <script>alert(1)</script> & Cie\n\n"
        "La société <b>Acme</b> & fils a racheté l'usine de Lyon pour 3 < 4 millions."
    )
    reply = ask(telegram, 41, USER, "/ingest " + hostile, "Ajouté")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Cie" in reply
    answer = ask(telegram, 41, USER, "Qui a racheté l'usine de Lyon ?", "blockquote")
    assert "&lt;b&gt;Acme&lt;/b&gt; &amp; fils" in answer
    # the fake refuses invalid HTML and messages over 4096 characters: no message was refused
    assert not [(call.method, why) for call, why in telegram.refused if call.method != "getFile"]


def test_the_token_never_appears_in_the_log(bot, telegram):
    _, log_path = bot
    log = log_path.read_text()
    assert "getUpdates" in log or "HTTP" in log or "polling" in log
    assert TOKEN not in log


@pytest.mark.skipif(not hasattr(signal, "SIGUSR1"), reason="SIGUSR1 is a POSIX signal")
def test_an_operator_sees_where_each_thread_of_a_running_bot_is_and_it_keeps_serving(bot, telegram):
    process, log_path = bot
    before = len(log_path.read_text())
    process.send_signal(signal.SIGUSR1)
    dump = ""
    for _ in range(100):  # bounded: 10 s
        dump = log_path.read_text()[before:]
        if "run_polling" in dump:
            break
        time.sleep(0.1)
    assert "Current thread" in dump and "run_polling" in dump  # the main thread, where it waits for updates
    assert "Thread 0x" in dump  # and the others (question embedding, maintenance, …)
    assert TOKEN not in dump
    assert process.poll() is None
    ask(telegram, 4242, 4242, "/start", "citant des articles")


def test_serve_without_a_token_explains_what_to_do(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATA_DIR": str(tmp_path), "TELEGRAM_BOT_TOKEN": ""}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve"], env=env, capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert result.returncode == 2 and "TELEGRAM_BOT_TOKEN manquant" in result.stderr and "@BotFather" in result.stderr
    # That line alone: not preceded by FAISS's loader listing the builds it could not load.
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_the_bot_keeps_serving_when_the_command_menu_cannot_be_registered(tmp_path, model_cache):
    with FakeTelegram(TOKEN) as fake:
        fake.failures["setMyCommands"] = 1  # Telegram fails the first registration
        with running_bot(fake, tmp_path, model_cache) as (process, log_path):
            fake.wait_for(lambda: len(fake.calls_to("setMyCommands")) >= 2, timeout=60)  # tried again later
            assert process.poll() is None
            assert "/ingest" in ask(fake, 50, USER, "Qui a gagné le match ?", "bibliothèque est vide")
            assert "could not register the command menu" in log_path.read_text()


def test_an_answer_less_likely_than_the_sure_threshold_is_marked_uncertain(tmp_path, model_cache):
    with FakeTelegram(TOKEN) as fake, running_bot(fake, tmp_path, model_cache, SURE_ANSWER_THRESHOLD="1.0"):
        ask(fake, 60, USER, "/ingest OTAN : réunion à Bruxelles\n" + SAMPLE.read_text(encoding="utf-8"), "Ajouté")
        reply = ask(fake, 60, USER, QUESTION, "blockquote")
        assert "<i>⚠️ Réponse incertaine : voici les passages les plus proches" in reply
        assert "<b>Il faut donc aller vite" in reply  # the passages are shown all the same


def exited(process: subprocess.Popen, timeout: float) -> tuple[str, str]:
    """What `process` printed, once it has exited. If it has not within `timeout`, the test
    fails with the stack of each of its threads (SIGABRT, written by faulthandler: the process
    runs with PYTHONFAULTHANDLER=1), so that a hang says where it is."""
    try:
        return process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)
        _, stderr = process.communicate(timeout=30)
        pytest.fail(f"the process did not exit within {timeout} s; its threads:\n{stderr[-12_000:]}")


def test_a_webhook_address_telegram_refuses_is_said_to_be_refused_not_out_of_reach(tmp_path, model_cache):
    with FakeTelegram(TOKEN) as fake:
        webhook = {"WEBHOOK_URL": "http://bot.example/telegram", "WEBHOOK_SECRET_TOKEN": "s3cret"}
        with socket.socket() as probe:  # a port free on loopback, for the webhook's server
            probe.bind(("127.0.0.1", 0))
            webhook |= {"WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(probe.getsockname()[1])}
        returncode, stdout, stderr = serve_until_it_stops(
            {**bot_environment(fake, tmp_path, model_cache, LOG_LEVEL="INFO"), **webhook}, tmp_path, "--webhook"
        )
    assert returncode == 2, stderr
    assert "Telegram refuse le démarrage du bot" in stderr and "https url must be provided" in stderr.lower()
    assert "injoignable" not in stderr and TOKEN not in stdout + stderr
    assert "Traceback" not in stderr, stderr


def test_a_token_telegram_rejects_is_reported_in_french_without_printing_it(tmp_path, model_cache):
    with FakeTelegram("999:the-token-telegram-knows") as fake:
        env = bot_environment(fake, tmp_path, model_cache, LOG_LEVEL="INFO")
        returncode, stdout, stderr = serve_until_it_stops(env, tmp_path)
    assert returncode == 2 and "refuse le jeton" in stderr
    assert TOKEN not in stdout + stderr
    assert "Traceback" not in stderr, stderr  # PTB's own log of it, before the French line


def test_a_telegram_out_of_reach_at_start_up_is_said_in_one_french_line_without_a_traceback(tmp_path, model_cache):
    with FakeTelegram(TOKEN) as fake, socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))  # a loopback port nobody listens on
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
        env = bot_environment(fake, tmp_path, model_cache, LOG_LEVEL="INFO", TELEGRAM_BASE_URL=f"{closed}/bot")
        returncode, stdout, stderr = serve_until_it_stops(env, tmp_path)
    assert returncode == 2, stderr
    assert stderr.splitlines()[-1].startswith("erreur : Telegram est injoignable au démarrage : "), stderr
    assert "Traceback" not in stderr and TOKEN not in stdout + stderr, stderr


def serve_until_it_stops(env: dict[str, str], data, *options: str) -> tuple[int, str, str]:
    """`python -m bot serve` run until it exits by itself (within 180 s): its exit code and output."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", *options],
        env={**env, "PYTHONFAULTHANDLER": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=data,
    )
    stdout, stderr = exited(process, timeout=180)
    return process.returncode, stdout, stderr


def test_the_command_menu_is_tried_again_however_late_the_job_queue_runs():
    """A busy start (the model warming up, a loaded machine) may run the job queue seconds after
    the retry's time: the retry still runs. APScheduler's default drops a one-off job missed by
    over a second, and the menu stayed unregistered for good ("missed by 0:00:02.9")."""
    import asyncio
    from types import SimpleNamespace

    from telegram.ext import ApplicationBuilder

    from bot.telegram.app import COMMAND_MENU_RETRIES, register_commands

    async def late_start(fake: FakeTelegram) -> None:
        application = ApplicationBuilder().token(TOKEN).base_url(fake.base_url).build()
        application.bot_data["service"] = SimpleNamespace(settings=SimpleNamespace(admin_user_ids=()))
        async with application:
            await register_commands(application)  # fails, and schedules its retry
            await asyncio.sleep(COMMAND_MENU_RETRIES[0] + 2)  # the job queue not yet running
            await application.start()  # its job queue with it
            for _ in range(100):  # 10 s at most
                if len(fake.calls_to("setMyCommands")) >= 2:
                    break
                await asyncio.sleep(0.1)
            await application.stop()

    with FakeTelegram(TOKEN) as fake:
        fake.failures["setMyCommands"] = 1
        asyncio.run(late_start(fake))
        assert len(fake.calls_to("setMyCommands")) >= 2
