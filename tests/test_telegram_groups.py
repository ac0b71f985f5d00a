"""What a busy group meets: Telegram's flood limits (a chat refused for sending too much
waits alone, its messages sent once its wait is over, every other chat answered meanwhile),
no typing indicator spent on its 20 messages a minute, anonymous admins."""

from __future__ import annotations

import asyncio
import json
import time

from bot.telegram import messages as msg
from bot.telegram.group_share import MEMBER_SHARE
from index.documents import parse_text
from index.library import Library
from index.ranking import RelevancePolicy
from tests.conftest import HashingEmbedder
from tests.fake_telegram import BOT_ID, BOT_USERNAME, FakeTelegram
from tests.telegram_html import visible_text
from tests.telegram_in_process import (
    ADMIN,
    BEAVER,
    PREFECT,
    PREFECT_QUESTION,
    TOKEN,
    bot_in_process,
    chat_message,
    delete_as_admin,
    handle,
    pressed,
    private_message,
    two_article_library,
)

GROUP = {"id": -100777, "type": "supergroup", "title": "Rédaction"}
RETRY_AFTER = 3  # seconds Telegram tells the group's sender to wait
BEAVER_QUESTION = "Combien de familles de castors les naturalistes ont-ils compté ?"


def test_one_group_s_flood_limit_keeps_no_other_chat_waiting(tmp_path):
    library = two_article_library(tmp_path)

    async def scenario(telegram: FakeTelegram) -> tuple[float, float]:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            started = time.monotonic()
            in_group = asyncio.create_task(handle(application, chat_message(GROUP, 42, f"/ask {PREFECT_QUESTION}")))
            for _ in range(1_000):  # the group's answer refused: it must wait
                if telegram.refused:
                    break
                await asyncio.sleep(0.01)
            await handle(application, private_message(7, PREFECT_QUESTION))
            private_answered = time.monotonic() - started
            await in_group
            return private_answered, time.monotonic() - started

    with FakeTelegram(TOKEN) as telegram:
        telegram.flooded[GROUP["id"]] = (1, RETRY_AFTER)
        private_answered, group_answered = asyncio.run(scenario(telegram))
        assert private_answered < RETRY_AFTER / 2  # not held by the group's wait
        assert group_answered >= RETRY_AFTER  # the group's answer, sent once its wait was over
        refused, answer = telegram.calls_to("sendMessage", GROUP["id"])  # no apology after the refusal
        assert refused.params == answer.params and "Marie Dupont" in answer.params["text"]
        assert [reason for _, reason in telegram.refused] == ["flood limit"]
        assert not telegram.calls_to("sendMessage", ADMIN)  # nothing went wrong
    library.close()


def test_a_chat_that_keeps_refusing_gets_no_apology_and_the_admins_no_note(tmp_path):
    """Its answer given up after three retries: an apology there would be refused the same
    way, and the admins can do nothing about a group's flood limit (a log line says it)."""
    library = two_article_library(tmp_path)

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            await handle(application, chat_message(GROUP, 42, f"/ask {PREFECT_QUESTION}"))

    with FakeTelegram(TOKEN) as telegram:
        telegram.flooded[GROUP["id"]] = (100, 1)
        asyncio.run(scenario(telegram))
        sent = telegram.calls_to("sendMessage", GROUP["id"])
        assert len(sent) == 4 and all("Marie Dupont" in call.params["text"] for call in sent)  # the answer, 3 retries
        assert not telegram.calls_to("sendMessage", ADMIN)
    library.close()


class SlowToAnswer:
    """The library, taking `seconds` more over each answer."""

    def __init__(self, library, seconds: float) -> None:
        self.library, self.seconds = library, seconds

    def __getattr__(self, name):
        return getattr(self.library, name)

    def ask(self, *args, **kwargs):
        time.sleep(self.seconds)
        return self.library.ask(*args, **kwargs)


def test_a_slow_answer_shows_typing_in_a_private_chat_but_spends_none_of_a_group_s_messages(tmp_path):
    library = two_article_library(tmp_path)

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, SlowToAnswer(library, 1.0), tmp_path) as (application, _):
            await handle(application, chat_message(GROUP, 42, f"/ask {PREFECT_QUESTION}"))
            await handle(application, private_message(7, PREFECT_QUESTION))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert telegram.calls_to("sendChatAction", 7) and not telegram.calls_to("sendChatAction", GROUP["id"])
        assert "Marie Dupont" in telegram.calls_to("sendMessage", GROUP["id"])[0].params["text"]
    library.close()


def test_an_anonymous_group_admin_is_told_to_use_a_private_chat_for_admin_commands(tmp_path):
    """Telegram shows an anonymous admin as the group itself: who they are cannot be known."""
    library = two_article_library(tmp_path)
    anonymous = {"sender_chat": GROUP, "from": {"id": 1087968824, "is_bot": True, "first_name": "Group"}}

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            await handle(application, chat_message(GROUP, ADMIN, "/stats"))
            message = chat_message(GROUP, ADMIN, "/stats")
            message["message"] |= anonymous
            await handle(application, message)

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        signed, anonymously = [c.params["text"] for c in telegram.calls_to("sendMessage", GROUP["id"])]
        assert "Articles" in signed and "écrivez-moi en privé" in anonymously
    library.close()


def test_a_quote_a_member_posts_from_inline_mode_in_reply_to_an_answer_is_not_taken_for_a_question(tmp_path):
    """Replying to one of the bot's answers with `@bot question` and a result chosen posts that
    result as a reply to it: an answer already, which searched would only be quoted back."""
    library = two_article_library(tmp_path)
    member = 42

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            await handle(application, chat_message(GROUP, member, f"/ask {PREFECT_QUESTION}"))
            answer = telegram.calls_to("sendMessage", GROUP["id"])[0]
            ours = {"message_id": 1, "date": 0, "chat": GROUP, "from": telegram.bot_user(), "text": "🔎"}
            posted = "« Marie Dupont a été nommée préfète de la région Bretagne mercredi. »\nLe préfet de région nommé"
            via_us = {"reply_to_message": ours, "via_bot": telegram.bot_user()}
            await handle(application, chat_message(GROUP, member, posted, **via_us))
            assert telegram.calls_to("sendMessage", GROUP["id"]) == [answer]
            await handle(application, chat_message(GROUP, member, PREFECT_QUESTION, reply_to_message=ours))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        assert len(telegram.calls_to("sendMessage", GROUP["id"])) == 2  # a reply typed is answered
    library.close()


def test_a_member_addressing_the_bot_by_name_asks_what_follows_the_name(tmp_path):
    """Addressed as "@bot, la suite ?": the comma that sets the name apart is not part of the question (", la
    suite ?" was searched as one, and shown so)."""
    library = two_article_library(tmp_path)
    member = 42
    mention = f"@{BOT_USERNAME}"

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            asked = f"{PREFECT_QUESTION.removesuffix(' ?')}, {mention} ?"
            entity = {"type": "mention", "offset": len(asked) - len(mention) - 2, "length": len(mention)}
            await handle(application, chat_message(GROUP, member, asked, entities=[entity]))
            read_on = f"{mention}, la suite ?"
            entity = {"type": "mention", "offset": 0, "length": len(mention)}
            await handle(application, chat_message(GROUP, member, read_on, entities=[entity]))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        answer, read_on = [c.params["text"] for c in telegram.calls_to("sendMessage", GROUP["id"])]
        assert answer.startswith(f"🔎 <b>{PREFECT_QUESTION}</b>"), answer
        assert f"↪ suite de « {PREFECT_QUESTION} »" in read_on, read_on
    library.close()


def test_ask_or_the_bot_s_name_alone_in_reply_to_a_member_s_question_asks_that_question(tmp_path):
    library = two_article_library(tmp_path)
    asker, helper = 42, 43
    mention = f"@{BOT_USERNAME}"

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            member = {"id": asker, "is_bot": False, "first_name": "Léa"}
            question = {"message_id": 900, "date": 0, "chat": GROUP, "from": member, "text": PREFECT_QUESTION}
            await handle(application, chat_message(GROUP, helper, "/ask", reply_to_message=question))
            entity = {"type": "mention", "offset": 0, "length": len(mention)}
            named = chat_message(GROUP, helper, mention, entities=[entity], reply_to_message=question)
            await handle(application, named)

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        answers = [c.params["text"] for c in telegram.calls_to("sendMessage", GROUP["id"])]
        assert len(answers) == 2 and all(a.startswith(f"🔎 <b>{PREFECT_QUESTION}</b>") for a in answers), answers
    library.close()


async def answered_in_the_group(application, telegram: FakeTelegram, asker: int) -> dict:
    """The bot's answer to `asker`'s `/ask` on the prefect in `GROUP`, as a message a member may
    reply to (its buttons with it)."""
    await handle(application, chat_message(GROUP, asker, f"/ask {PREFECT_QUESTION}"))
    sent = telegram.calls_to("sendMessage", GROUP["id"])[0].params
    markup = sent["reply_markup"]
    answer = {"message_id": 1, "date": 0, "chat": GROUP, "from": telegram.bot_user(), "text": sent["text"]}
    answer["reply_markup"] = json.loads(markup) if isinstance(markup, str) else markup
    return answer


def test_a_follow_up_sent_in_reply_to_an_answer_follows_that_answer_whoever_asks_and_whatever_came_since(tmp_path):
    """ "La suite ?" in reply to the answer on the prefect reads on there, for its asker who has
    asked about beavers since, and for another member who never asked anything."""
    library = two_article_library(tmp_path)
    asker, other = 42, 43

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            answer = await answered_in_the_group(application, telegram, asker)
            await handle(application, chat_message(GROUP, asker, "/ask Combien de familles de castors ?"))
            for member in (asker, other):
                await handle(application, chat_message(GROUP, member, "La suite ?", reply_to_message=answer))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        read_on = [c.params["text"] for c in telegram.calls_to("sendMessage", GROUP["id"])][2:]
        assert len(read_on) == 2 and all(f"suite de « {PREFECT_QUESTION} »" in text for text in read_on), read_on
    library.close()


def test_an_answer_in_a_group_is_a_reply_to_its_question_and_in_a_private_chat_it_is_not(tmp_path):
    """Among members' messages, which question an answer is for; in a private chat, plain."""
    library = two_article_library(tmp_path)
    asked = chat_message(GROUP, 42, f"/ask {PREFECT_QUESTION}")

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            await handle(application, asked)
            await handle(application, private_message(42, PREFECT_QUESTION))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        [in_group] = telegram.calls_to("sendMessage", GROUP["id"])
        [in_private] = telegram.calls_to("sendMessage", 42)
        replied = in_group.params["reply_parameters"]
        replied = json.loads(replied) if isinstance(replied, str) else replied
        assert replied["message_id"] == asked["message"]["message_id"]
        assert "reply_parameters" not in in_private.params
    library.close()


def test_the_bot_s_name_alone_is_told_to_put_the_question_after_the_name(tmp_path):
    """ "@bot" with nothing after it was told to put the question "after the command", which the
    member had not typed: the example names the bot as they did."""
    library = two_article_library(tmp_path)
    mention = f"@{BOT_USERNAME}"

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            entity = {"type": "mention", "offset": 0, "length": len(mention)}
            await handle(application, chat_message(GROUP, 42, mention, entities=[entity]))
            await handle(application, chat_message(GROUP, 42, "/ask"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        named, command = [c.params["text"] for c in telegram.calls_to("sendMessage", GROUP["id"])]
        assert "après mon nom" in named and f"<code>{mention} Qui" in named and "commande" not in named, named
        assert "après la commande" in command and "<code>/ask Qui" in command, command
    library.close()


def test_what_one_member_says_to_the_bot_on_and_on_takes_no_more_than_their_share_of_the_group(tmp_path):
    """ "@bot", "@bot merci", "/ask" and "/help" over and over were each answered: one member
    spent the group's 20 messages a minute. Every reply the bot sends a member there (its
    reaction to a thanks too) is counted in their share; beyond it they are told once to wait,
    and the others are still answered."""
    library = two_article_library(tmp_path)
    mention = f"@{BOT_USERNAME}"
    entity = {"type": "mention", "offset": 0, "length": len(mention)}

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            for text in [mention, f"{mention} merci", "/ask", "/help"] * 4:
                entities = [] if text.startswith("/") else [entity]
                message = chat_message(GROUP, 42, text)
                message["message"]["entities"] = message["message"].get("entities", entities)
                await handle(application, message)
            await handle(application, chat_message(GROUP, 43, f"/ask {PREFECT_QUESTION}"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        sent = [c.params["text"] for c in telegram.calls_to("sendMessage", GROUP["id"])]
        reactions = len(telegram.calls_to("setMessageReaction", GROUP["id"]))
        assert reactions == 2 and len(sent) + reactions == MEMBER_SHARE + 2, sent  # their share, "patientez", …
        assert sent[MEMBER_SHARE - reactions] == msg.e(msg.SLOW_DOWN)  # … once, and the other's answer
        assert "Marie Dupont" in sent[-1]
    library.close()


def test_reading_on_from_an_answer_whose_article_was_deleted_says_so(tmp_path):
    """After an admin deletes the article an answer quotes, its "📖 La suite" button posted
    "posez d'abord une question" in the group, and "La suite ?" typed in reply said the same,
    to members who had asked one: the button now says in its box that the article is gone,
    and the question typed is told so."""
    library = two_article_library(tmp_path)
    asker, other = 42, 43

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            answer = await answered_in_the_group(application, telegram, asker)
            buttons = {b["text"]: b["callback_data"] for row in answer["reply_markup"]["inline_keyboard"] for b in row}
            prefect = next(a.id for a in library.articles() if "préfet" in a.title)
            await delete_as_admin(application, telegram, prefect)
            await handle(application, pressed(other, answer, buttons["📖 La suite"], query_id="read-on"))
            await handle(application, chat_message(GROUP, other, "La suite ?", reply_to_message=answer))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        [press] = [
            c.params for c in telegram.calls_to("answerCallbackQuery") if c.params["callback_query_id"] == "read-on"
        ]
        assert press["text"] == msg.ARTICLE_GONE and press["show_alert"] in (True, "true", "True")
        sent = [c.params["text"] for c in telegram.calls_to("sendMessage", GROUP["id"])]
        assert len(sent) == 2, sent  # the answer, and what "La suite ?" typed is told
        assert "retiré de la bibliothèque" in sent[1] and "posez d'abord une question" not in sent[1], sent[1]
    library.close()


def test_a_reply_to_an_answer_that_names_another_member_is_left_to_them(tmp_path):
    """ "@max regarde ça" in reply to an answer shows it to Max: it was searched as a question.
    A member named without a username (a name linked to their account) is another member too,
    and a question in reply that names no one is still answered."""
    library = two_article_library(tmp_path)
    member = 42

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            answer = await answered_in_the_group(application, telegram, member)
            to_max = "@max regarde ça"
            entity = {"type": "mention", "offset": 0, "length": 4}
            await handle(application, chat_message(GROUP, member, to_max, entities=[entity], reply_to_message=answer))
            to_lea = "Léa, tu as vu ?"
            lea = {"id": 44, "is_bot": False, "first_name": "Léa"}
            entity = {"type": "text_mention", "offset": 0, "length": 3, "user": lea}
            await handle(application, chat_message(GROUP, member, to_lea, entities=[entity], reply_to_message=answer))
            await handle(application, chat_message(GROUP, member, "La suite ?", reply_to_message=answer))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        sent = [c.params["text"] for c in telegram.calls_to("sendMessage", GROUP["id"])]
        assert len(sent) == 2 and "<b>La suite ?</b>" in sent[1], sent  # the answer, and the question in reply
    library.close()


def test_the_bot_asked_to_answer_a_member_s_question_answers_that_question_and_a_question_its_own(tmp_path):
    """ "@bot tu peux répondre ?", "@bot une idée ?" or "@bot ?" in reply to a member's question
    searched "tu peux répondre": it answers the question replied to. A question typed after the
    name, in reply to anything, is still the one answered; the request with nothing replied to is
    told how to ask."""
    library = two_article_library(tmp_path)
    asker, helper = 42, 43
    mention = f"@{BOT_USERNAME}"
    entity = {"type": "mention", "offset": 0, "length": len(mention)}

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            member = {"id": asker, "is_bot": False, "first_name": "Léa"}
            question = {"message_id": 900, "date": 0, "chat": GROUP, "from": member, "text": PREFECT_QUESTION}
            for said in ("tu peux répondre ?", "une idée ?", "?", BEAVER_QUESTION):
                named = chat_message(GROUP, helper, f"{mention} {said}", entities=[entity], reply_to_message=question)
                await handle(application, named)
            await handle(application, chat_message(GROUP, helper, f"{mention} tu peux répondre ?", entities=[entity]))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        *answers, own, alone = [c.params["text"] for c in telegram.calls_to("sendMessage", GROUP["id"])]
        assert len(answers) == 3 and all(a.startswith(f"🔎 <b>{PREFECT_QUESTION}</b>") for a in answers), answers
        assert own.startswith(f"🔎 <b>{BEAVER_QUESTION}") and "quarante familles" in own, own
        assert "après mon nom" in alone, alone
    library.close()


def test_thanks_or_an_ok_to_the_bot_in_a_group_gets_a_reaction_not_a_message(tmp_path):
    """ "Merci !" in reply to an answer got "Avec plaisir ! Une autre question ?", read by every
    member and taken from the group's 20 messages a minute: the bot reacts to it instead. A
    group whose admins turned reactions off sees nothing (and the admins get no error note)."""
    library = two_article_library(tmp_path)
    member = 42
    quiet = {"id": -100888, "type": "supergroup", "title": "Sans réactions"}
    mention = f"@{BOT_USERNAME}"

    async def scenario(telegram: FakeTelegram) -> tuple[dict, dict, dict]:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            answer = await answered_in_the_group(application, telegram, member)
            thanks = chat_message(GROUP, member, "Merci beaucoup 🙏", reply_to_message=answer)
            await handle(application, thanks)
            entity = {"type": "mention", "offset": 0, "length": len(mention)}
            ok = chat_message(GROUP, member, f"{mention} ok", entities=[entity])
            await handle(application, ok)
            elsewhere = chat_message(quiet, member, "merci", reply_to_message=answer | {"chat": quiet})
            await handle(application, elsewhere)
            return thanks["message"], ok["message"], elsewhere["message"]

    with FakeTelegram(TOKEN) as telegram:
        telegram.reactions_off.add(quiet["id"])
        thanks, ok, elsewhere = asyncio.run(scenario(telegram))
        assert len(telegram.calls_to("sendMessage", GROUP["id"])) == 1  # the answer alone
        reactions = [(c.params["message_id"], c.params["reaction"]) for c in telegram.calls_to("setMessageReaction")]
        reacted = [(int(id_), json.loads(r) if isinstance(r, str) else r) for id_, r in reactions]
        assert reacted[:2] == [
            (thanks["message_id"], [{"type": "emoji", "emoji": "🤗"}]),
            (ok["message_id"], [{"type": "emoji", "emoji": "👌"}]),
        ]
        assert [int(call.params["message_id"]) for call, _ in telegram.refused] == [elsewhere["message_id"]]
        assert not telegram.calls_to("sendMessage", quiet["id"]) and not telegram.calls_to("sendMessage", ADMIN)
    library.close()


def test_a_follow_up_in_reply_to_a_quote_a_member_posted_from_inline_mode_reads_in_that_quote(tmp_path):
    """A quote posted with "@bot question" carries no answer of ours to follow: "La suite ?" in
    reply to it was not answered at all, and "@bot et quand ?" read the asker's own conversation.
    Both now read in the quote's article, from where it ends, for any member, whatever they
    asked before; what is said to its poster (a thanks, a question of one's own) is left alone."""
    library = two_article_library(tmp_path)
    poster, reader, other = 42, 43, 44
    mention = f"@{BOT_USERNAME}"

    async def scenario(telegram: FakeTelegram) -> dict:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            who = {"id": poster, "is_bot": False, "first_name": "Paul"}
            typed = {"inline_query": {"id": "typed", "from": who, "query": PREFECT_QUESTION, "offset": ""}}
            await handle(application, typed)
            results = telegram.calls_to("answerInlineQuery")[0].sent["results"]
            chosen = (json.loads(results) if isinstance(results, str) else results)[0]
            posted_text = visible_text(chosen["input_message_content"]["message_text"])  # as Telegram gives it back
            posted = {"message_id": 500, "date": 0, "chat": GROUP, "from": who, "via_bot": telegram.bot_user()}
            posted["text"] = posted_text
            await handle(application, chat_message(GROUP, reader, f"/ask {BEAVER_QUESTION}"))
            await handle(application, chat_message(GROUP, reader, "La suite ?", reply_to_message=posted))
            entity = {"type": "mention", "offset": 0, "length": len(mention)}
            asked = chat_message(GROUP, other, f"{mention} et quand ?", entities=[entity], reply_to_message=posted)
            await handle(application, asked)
            for said in ("Merci Paul !", "Qui dirige l'OTAN ?"):
                await handle(application, chat_message(GROUP, other, said, reply_to_message=posted))
            return posted

    with FakeTelegram(TOKEN) as telegram:
        posted = asyncio.run(scenario(telegram))
        assert posted["text"].startswith("« Marie Dupont a été nommée préfète de la région Bretagne mercredi. »")
        _beavers, read_on, when = [c.params["text"] for c in telegram.calls_to("sendMessage", GROUP["id"])]
        followed = "↪ suite de « Marie Dupont a été nommée préfète de la région Bretagne mercredi. »"
        assert followed in read_on and "<b>Elle occupait auparavant le poste" in read_on, read_on
        assert followed in when and "Marie Dupont" in when, when
        assert not telegram.calls_to("setMessageReaction")  # "Merci Paul !" is Paul's
    library.close()


def test_help_in_a_group_says_how_to_address_the_bot_there(tmp_path):
    """A question typed plainly in a group goes unanswered: the help read there must not say
    "écrivez-la simplement ici", as it does in a private chat."""
    library = two_article_library(tmp_path)

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            await handle(application, chat_message(GROUP, 42, "/help"))
            await handle(application, private_message(42, "/help"))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        (in_group,) = map(visible_text, telegram.texts(GROUP["id"]))
        (in_private,) = map(visible_text, telegram.texts(42))
        assert "simplement ici" not in in_group and "/ask Qui est le secrétaire général de l'OTAN ?" in in_group
        assert "en répondant à ma réponse" in in_group and "En privé, écrivez-moi simplement la question." in in_group
        assert "Écrivez-la simplement ici" in in_private and "Dans un groupe : /ask votre question" in in_private
    library.close()


def test_the_bot_added_to_a_group_says_once_how_to_ask_there_and_others_joining_get_nothing(tmp_path):
    """Members of a new group type their question plainly, which the bot never answers there:
    it says how to address it when it arrives (added, or in the group created with it)."""
    library = two_article_library(tmp_path)
    bot = {"id": BOT_ID, "is_bot": True, "first_name": "Citebot", "username": BOT_USERNAME}
    member = {"id": 43, "is_bot": False, "first_name": "Max"}
    created = {"id": -100778, "type": "group", "title": "Veille"}

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path) as (application, _):
            await handle(application, chat_message(GROUP, 42, new_chat_members=[bot]))
            await handle(application, chat_message(GROUP, 42, new_chat_members=[member]))
            await handle(application, chat_message(created, 42, group_chat_created=True))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        (welcome,) = map(visible_text, telegram.texts(GROUP["id"]))
        assert welcome.startswith("Bonjour ! Je réponds aux questions sur les articles de la bibliothèque")
        assert "commencez par /ask ou par mon nom" in welcome and "/help en dit plus." in welcome
        assert list(map(visible_text, telegram.texts(created["id"]))) == [welcome]
    library.close()


def test_an_uncertain_answer_to_a_question_in_english_says_to_ask_in_french_in_private_and_in_groups(tmp_path):
    """A library that quotes whatever comes closest (as the real model may, to a question in
    English, with little likelihood): its quotes are shown, marked uncertain, and the line
    under that says French questions find better; a question in French is told nothing of it."""
    library = Library(tmp_path / "index", HashingEmbedder(), max_words=30, policy=RelevancePolicy(threshold=0.0))
    library.ingest([parse_text(text) for text in (PREFECT, BEAVER)])
    english = "Who was named prefect of the Bretagne region?"

    async def scenario(telegram: FakeTelegram) -> None:
        async with bot_in_process(telegram, library, tmp_path, sure_answer_threshold=1.0) as (application, _):
            await handle(application, private_message(42, english))
            await handle(application, chat_message(GROUP, 42, f"/ask {english}"))
            await handle(application, private_message(43, PREFECT_QUESTION))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario(telegram))
        for chat_id in (42, GROUP["id"]):
            (answer,) = [c.params["text"] for c in telegram.calls_to("sendMessage", chat_id)]
            assert "<blockquote" in answer  # the quotes are shown all the same
            notes = answer.split("\n\n")[0].splitlines()[1:]  # under the question
            assert notes == [f"<i>{msg.UNSURE_HEADER}</i>", f"<i>{msg.ASK_IN_FRENCH_NOTE}</i>"]
        (in_french,) = [c.params["text"] for c in telegram.calls_to("sendMessage", 43)]
        assert "<blockquote" in in_french and "Ask in French" not in in_french
    library.close()
