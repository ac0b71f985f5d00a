"""The console chat in this process: what `python -m bot chat` shows around its replies."""

from __future__ import annotations

import contextlib
import unicodedata

from bot.console import Conversation, greeting, respond


def test_adding_articles_in_the_console_shows_the_work_as_it_goes(library, settings, tmp_path, sample_text):
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(3):
        (folder / f"article-{n}.txt").write_text(
            f"Article {n}\n\nLe numéro {n} de la série. {sample_text}", encoding="utf-8"
        )
    shown: dict[str, list[tuple[int, int]]] = {}

    @contextlib.contextmanager
    def display(stage: str, unit: str):
        steps = shown.setdefault(f"{stage} ({unit})", [])
        yield lambda done, total: steps.append((done, total))

    reply = respond(library, f"/ingest {folder}", settings, progress=display)
    assert reply.count("Ajouté") == 3, reply
    assert shown["Lecture (fichier)"] == [(1, 3), (2, 3), (3, 3)]  # the files read, one by one
    added = shown["Ajout (phrase)"]  # then their sentences, read by the model
    assert added and added[-1][0] == added[-1][1] > 0
    assert [done for done, _ in added] == sorted(done for done, _ in added)


def test_a_question_typed_with_decomposed_accents_is_read_as_with_composed_ones(fast_library, settings, sample_text):
    """Some keyboards and PDFs give "é" as "e" and a combining accent: "Qui a écrit
    l'article ?" so typed found nothing, and the question's words did not match the articles'."""
    respond(fast_library, f"/ingest {sample_text}", settings)
    conversation = Conversation(settings.follow_up_minutes)
    respond(fast_library, "Qui est le secrétaire général de l'OTAN ?", settings, conversation)
    decomposed = unicodedata.normalize("NFD", "Quand l'article a-t-il été publié ?")
    assert decomposed != "Quand l'article a-t-il été publié ?"
    reply = respond(fast_library, decomposed, settings, conversation)
    assert reply.startswith("L'article « ") and "» est daté de février 2023." in reply.splitlines()[0], reply


def test_ingest_dash_in_the_console_says_where_standard_input_is_read(fast_library, settings):
    """`/ingest -` was read as a pasted text "-", and refused as an empty one."""
    reply = respond(fast_library, "/ingest -", settings)
    assert "python -m bot ingest -" in reply and "collez le texte" in reply, reply
    assert "vide" not in reply and fast_library.stats().articles == 0


def test_a_text_with_a_title_only_is_not_said_to_be_empty(fast_library, settings):
    reply = respond(fast_library, "/ingest Juste un titre", settings)
    assert reply.startswith("Erreur (texte collé) : ce texte de 3 mots est bien court pour un article"), reply
    assert "le texte est vide" not in reply


def test_articles_with_words_lists_those_whose_title_holds_them_as_the_bot_and_the_cli_do(fast_library, settings):
    """`/articles castor` in the console, as `/articles castor` to the bot: an id found without
    reading the whole list."""
    respond(fast_library, "/ingest Le castor revient\n\nLe castor d'Europe est de retour sur la Dordogne.", settings)
    respond(fast_library, "/ingest Un nouveau préfet\n\nLa préfète prendra ses fonctions le 22 septembre.", settings)
    assert len(respond(fast_library, "/articles", settings).splitlines()) == 2
    found = respond(fast_library, "/articles CASTOR", settings)
    assert len(found.splitlines()) == 1 and "Le castor revient" in found, found
    assert respond(fast_library, "/articles loutre", settings) == (
        "Aucun article ne contient « loutre » dans son titre ou son adresse."
    )


def test_a_file_dropped_on_the_terminal_is_added_however_the_terminal_quotes_its_path(
    fast_library, settings, tmp_path, sample_text
):
    """Dropping a file on a terminal types its path quoted, its spaces escaped or as a file://
    address: each was read as a pasted text, and refused as one without a paragraph, or
    stored as an article whose text was the path."""
    article = tmp_path / "mes articles" / "l'OTAN à Bruxelles.txt"
    article.parent.mkdir()
    article.write_text(sample_text, encoding="utf-8")
    quoted = "'" + str(article).replace("'", "'\\''") + "' "  # GNOME Terminal, and a space after it
    assert respond(fast_library, f"/ingest {quoted}", settings).startswith("Ajouté : « "), quoted
    assert [a.source for a in fast_library.articles()] == [str(article)]
    escaped = str(article).replace(" ", "\\ ").replace("'", "\\'")  # macOS Terminal, iTerm
    address = article.as_uri()  # file:///…/mes%20articles/l%27OTAN%20%C3%A0%20Bruxelles.txt
    for typed in (escaped, f'"{article}"', address):
        reply = respond(fast_library, f"/ingest {typed}", settings)
        assert reply.startswith("Déjà présent : « ") and reply.endswith(", article 1."), (typed, reply)
    missing = respond(fast_library, f"/ingest '{tmp_path}/mes articles/absent.txt'", settings)
    assert missing == (
        f"Erreur ({tmp_path}/mes articles/absent.txt) : introuvable : {tmp_path}/mes articles/absent.txt "
        "(ni fichier, ni dossier, ni URL http(s))"
    )
    assert fast_library.stats().articles == 1


def test_an_admin_command_of_the_bot_typed_in_the_console_names_the_command_line_that_does_it(fast_library, settings):
    """The bot's /help lists /delete, /follow…: typed in the console, they were only
    "Commande inconnue", and the article stayed with no way to remove it named."""
    respond(fast_library, "/ingest Le castor revient\n\nLe castor d'Europe est de retour sur la Dordogne.", settings)
    assert respond(fast_library, "/delete 1", settings) == (
        "/delete n'est pas une commande de la conversation : dans un autre terminal, tapez python -m bot delete 1"
    )
    assert respond(fast_library, "/follow@citebot_bot", settings).endswith("tapez python -m bot follow URL")
    assert respond(fast_library, "/feeds", settings).endswith("tapez python -m bot feeds")
    assert fast_library.stats().articles == 1
    assert respond(fast_library, "/supprimer 1", settings) == "Commande inconnue : /supprimer. Tapez /help pour l'aide."


def test_a_page_on_this_machine_refused_says_which_setting_accepts_it(fast_library, settings):
    """Trying `/ingest` on a page served by `python -m http.server` was refused with no way
    named: the one who runs the console is the one who may allow it (a chat user is not told)."""
    from tests.http_fixtures import Site
    from tests.test_documents import ARTICLE_PAGE

    with Site({"/reforme.html": (200, "text/html; charset=utf-8", ARTICLE_PAGE.encode())}) as site:
        page = site.origin + "/reforme.html"
        refused = respond(fast_library, f"/ingest {page}", settings)
        assert refused.startswith(f"Erreur ({page}) : adresse refusée : 127.0.0.1 est une adresse locale"), refused
        assert refused.endswith("Pour les accepter, réglez INGEST_ALLOW_PRIVATE_URLS=true."), refused
        assert fast_library.stats().articles == 0
        allowed = settings.model_copy(update={"ingest_allow_private_urls": True})
        assert respond(fast_library, f"/ingest {page}", allowed).startswith("Ajouté : « Le Conseil vote la réforme »")


def test_a_command_after_a_character_no_one_sees_is_still_the_command(fast_library, settings):
    """A questions file saved with a byte order mark, piped to the chat, began with "\\ufeff/articles",
    and a zero-width space copied with a command hid it too: each was searched as a question."""
    respond(fast_library, "/ingest Le castor revient\n\nLe castor d'Europe est de retour sur la Dordogne.", settings)
    listed = respond(fast_library, "\ufeff/articles castor", settings)
    assert "Le castor revient" in listed and "«" not in listed, listed
    assert respond(fast_library, "\u200b /help", settings) == respond(fast_library, "/help", settings)
    assert respond(fast_library, "Et /help ?", settings) != respond(fast_library, "/help", settings)


def test_the_chat_opened_on_an_empty_library_says_how_to_add_a_first_article():
    assert greeting(0, 0) == (
        "La bibliothèque est vide : ajoutez un article avec /ingest suivi d'un chemin, d'une URL ou du texte, "
        "ou relancez avec python -m bot chat --sample pour l'article d'exemple. Tapez /help pour l'aide."
    )
    assert greeting(3, 12) == "Bibliothèque : 3 articles, 12 passages. Tapez /help pour l'aide."
    assert greeting(1, 1).startswith("Bibliothèque : 1 article, 1 passage.")  # French counts below two in the singular


def test_the_other_article_of_a_library_of_one_is_said_to_be_none_whatever_is_asked_of_it(
    fast_library, settings, sample_text
):
    """ "Qui a écrit l'autre article ?" in a library of one article was answered "De quel article ?
    Nommez son sujet…", where "De quoi parle l'autre article ?" is told there is none."""
    respond(fast_library, f"/ingest {sample_text}", settings)
    for question in (
        "De quoi parle l'autre article ?",
        "Qui a écrit l'autre article ?",
        "De quand date l'autre article ?",
    ):
        conversation = Conversation(settings.follow_up_minutes)
        assert "OTAN" in respond(fast_library, "De quoi parle l'article ?", settings, conversation)
        reply = respond(fast_library, question, settings, conversation)
        assert reply == "La bibliothèque ne compte aucun autre article.", question


def test_the_other_article_refused_the_conversation_stays_on_its_topic(fast_library, settings, sample_text):
    """Told the library holds no other article, the asker goes on with the one they were
    reading: their topic was dropped, and "La suite ?" had nothing to read on from."""
    respond(fast_library, f"/ingest {sample_text}", settings)
    conversation = Conversation(settings.follow_up_minutes)
    opening = respond(fast_library, "De quoi parle l'article ?", settings, conversation)
    assert "sont réunis à Bruxelles ce mardi" in opening
    other = respond(fast_library, "De quoi parle l'autre article ?", settings, conversation)
    assert other == "La bibliothèque ne compte aucun autre article."
    read_on = respond(fast_library, "La suite ?", settings, conversation)
    assert read_on.startswith("(suite de « Les membres de l'Organisation du traité")
    assert "Ils cherchent notamment à accélérer les livraisons d'armes" in read_on


def test_a_line_of_four_questions_gets_three_answers_and_names_the_fourth_to_ask_again(
    fast_library, settings, sample_text
):
    """A fourth question in one line was searched with the other three as one, without a word:
    one answer, to none of them in particular."""
    respond(fast_library, f"/ingest {sample_text}", settings)
    line = "Qui est le secrétaire général de l'OTAN ? Où se réunissent-ils ? Que veut Poutine ? Que fait l'Allemagne ?"
    reply = respond(fast_library, line, settings)
    assert reply.count("❓ ") == 3 and "❓ Que veut Poutine ?" in reply
    assert reply.endswith(
        "Je réponds à 3 questions par message au plus : posez à part la suivante, « Que fait l'Allemagne ? »."
    )


def test_a_short_line_typed_after_ingest_is_refused_as_no_article(fast_library, settings):
    """ "/ingest Ceci est court." was added as an article of three words."""
    assert respond(fast_library, "/ingest Ceci est court.", settings) == (
        "Erreur (texte collé) : ce texte de 3 mots est bien court pour un article ; collez l'article entier "
        "après /ingest (son titre sur la première ligne, au besoin), ou l'adresse de sa page."
    )
    assert respond(fast_library, "/ingest Qui dirige l'OTAN ?", settings).endswith("posez-la sans /ingest.")
    assert fast_library.stats().articles == 0
