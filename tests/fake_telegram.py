"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests of the real bot.

It answers the methods the bot uses, hands out updates through long polling,
serves uploaded files, and records every call. Like Telegram, it refuses
messages over 4096 characters and HTML it could not parse, so a test that
passes here sends nothing Telegram would reject.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote

from tests.http_fixtures import LoopbackServer
from tests.telegram_html import TelegramHTMLError, check_length, check_telegram_html

BOT_ID = 7_000_000
BOT_USERNAME = "citebot_test_bot"
# The emoji Telegram takes as a reaction (a bot sets one at most on a message); any other is refused.
REACTIONS = frozenset(
    "👍 👎 ❤ 🔥 🥰 👏 😁 🤔 🤯 😱 🤬 😢 🎉 🤩 🤮 💩 🙏 👌 🕊 🤡 🥱 🥴 😍 🐳 ❤️‍🔥 🌚 🌭 💯 🤣 ⚡"
    " 🍌 🏆 💔 🤨 😐 🍓 🍾 💋 🖕 😈 😴 😭 🤓 👻 👨‍💻 👀 🎃 🙈 😇 😨 🤝 ✍ 🤗 🫡 🎅 🎄 ☃ 💅 🤪"
    " 🗿 🆒 💘 🙉 🦄 😘 💊 🙊 😎 👾 🤷‍♂️ 🤷 🤷‍♀️ 😡".split()
)
# The largest file Telegram lets a bot download with getFile.
DOWNLOAD_LIMIT = 20 * 1024 * 1024


class Conflict(ValueError):
    """What Telegram answers a request that another one made pointless (HTTP 409)."""


@dataclass
class Call:
    method: str
    params: dict  # as a reader takes them in (`as_read`)
    at: float = field(default_factory=time.monotonic)  # when the request arrived
    sent: dict | None = None  # as sent, French typography's no-break spaces in them


class FakeTelegram(LoopbackServer):
    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.refused: list[tuple[Call, str]] = []  # what Telegram would have rejected, and why
        self.updates: list[dict] = []
        self._confirmed = 0  # updates before this id were confirmed by an offset
        self._polls = 0  # getUpdates requests so far: the newest one alone may wait for updates
        self.conflicts = 0  # getUpdates requests ended by another one (409)
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, content)
        self.messages: dict[tuple[int, int], dict] = {}  # (chat id, message id) -> message
        self.failures: dict[str, int] = {}  # method -> how many more calls fail as if Telegram were down
        # chat id -> (how many more messages sent there are refused for flooding, retry_after in seconds)
        self.flooded: dict[int, tuple[int, int]] = {}
        self.channels: dict[str, dict] = {}  # username -> chat (channels the tests created)
        # Webhook mode: updates are POSTed to these endpoints in turn (a load balancer in front
        # of replicas), with the secret token the bot registered; empty: long polling.
        self.deliver_to: list[str] = []
        self.webhook: dict = {}  # what the bot registered with setWebhook
        self.deliveries: list[tuple[str, int]] = []  # (endpoint, HTTP status)
        self._next_endpoint = itertools.count()
        self.channel_admins: dict[int, set[int]] = {}  # channel id -> user ids that administer it
        self.reactions_off: set[int] = set()  # chats whose admins allow no reaction
        self._ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._changed = threading.Condition()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            # Connections kept open between requests, as Telegram's servers keep them: a bot
            # does not pay a connection per call (every response says its length).
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as two writes

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length).decode()
                fake._respond(self, self.path, body, self.headers.get("Content-Type", ""))

            def do_GET(self):
                fake._serve_file(self, self.path)

            def log_message(self, *args):
                pass

        super().__init__(Handler)

    # --- lifecycle -----------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"{self.origin}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.origin}/file/bot"

    # --- HTTP --------------------------------------------------------------------------
    def _reply(self, handler, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _respond(self, handler, path: str, body: str, content_type: str) -> None:
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", path)
        if not match or match[1] != self.token:
            self._reply(handler, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        method = match[2]
        if "json" in content_type:
            params = json.loads(body or "{}")
        else:
            params = {k: _maybe_json(v[0]) for k, v in parse_qs(body, keep_blank_values=True).items()}
        sent, params = params, as_read(params)
        if method != "getUpdates":
            with self._changed:
                self.calls.append(Call(method, params, sent=sent))
                self._changed.notify_all()
        if self.failures.get(method):
            self.failures[method] -= 1
            self.refused.append((Call(method, params), "simulated outage"))
            self._reply(handler, 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
            return
        chat = str(params.get("chat_id"))
        refusals, retry_after = next(((n, r) for c, (n, r) in self.flooded.items() if str(c) == chat), (0, 0))
        if refusals and method.startswith("send"):
            self.flooded[int(chat)] = (refusals - 1, retry_after)
            self.refused.append((Call(method, params), "flood limit"))
            refusal = {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {retry_after}"}
            self._reply(handler, 429, refusal | {"parameters": {"retry_after": retry_after}})
            return
        try:
            result = getattr(self, f"api_{method}", self.api_default)(params)
        except Conflict as exc:  # two bot processes polling: not a message Telegram would refuse
            self.conflicts += 1
            self._refuse(handler, exc)
            return
        except ValueError as exc:  # TelegramHTMLError included
            self.refused.append((Call(method, params), str(exc)))
            self._refuse(handler, exc)
            return
        self._reply(handler, 200, {"ok": True, "result": result})

    def _refuse(self, handler, exc: ValueError) -> None:
        if isinstance(exc, Conflict):
            self._reply(handler, 409, {"ok": False, "error_code": 409, "description": f"Conflict: {exc}"})
        elif isinstance(exc, TelegramHTMLError):
            self._reply(
                handler,
                400,
                {"ok": False, "error_code": 400, "description": f"Bad Request: can't parse entities: {exc}"},
            )
        else:
            self._reply(handler, 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"})

    def _serve_file(self, handler, path: str) -> None:
        path = unquote(path)
        prefix = f"/file/bot{self.token}/"
        for file_path, content in self.files.values():
            if path == prefix + file_path:
                handler.send_response(200)
                handler.send_header("Content-Length", str(len(content)))
                handler.end_headers()
                handler.wfile.write(content)
                return
        handler.send_response(404)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    # --- Bot API methods ------------------------------------------------------------------
    def bot_user(self) -> dict:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Citebot", "username": BOT_USERNAME}

    def api_getMe(self, params):
        return {**self.bot_user(), "can_join_groups": True, "can_read_all_group_messages": False}

    def api_getUpdates(self, params):
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 1.0)
        with self._changed:
            # As Telegram: an offset confirms every update before it, for good (a restarted
            # bot asking from 0 does not get them again).
            self._confirmed = max(self._confirmed, int(params.get("offset") or 0))
            offset = self._confirmed
            # As Telegram: a request ends the one still waiting (a second bot process polling).
            self._polls += 1
            poll = self._polls
            self._changed.notify_all()
            while True:
                if poll != self._polls:
                    raise Conflict(
                        "terminated by other getUpdates request; make sure that only one bot instance is running"
                    )
                pending = [u for u in self.updates if u["update_id"] >= offset]
                if pending or time.monotonic() >= deadline:
                    return pending
                self._changed.wait(deadline - time.monotonic())

    def _check_text(self, params) -> str:
        text = str(params.get("text", ""))
        if str(params.get("parse_mode", "")).upper() == "HTML":
            check_telegram_html(text)
        else:
            check_length(text)
        return text

    def api_sendMessage(self, params):
        text = self._check_text(params)
        chat_id = int(params["chat_id"])
        message = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": self.bot_user(),
            "text": text,
        }
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        self.messages[(chat_id, message["message_id"])] = message
        return message

    def api_editMessageText(self, params):
        text = self._check_text(params)
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None:
            raise ValueError("message to edit not found")
        if message["text"] == text and "reply_markup" not in params:
            raise ValueError("message is not modified")
        message["text"] = text
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        else:
            message.pop("reply_markup", None)
        return message

    def api_setMessageReaction(self, params):
        """As Telegram: one reaction at most from a bot, among `REACTIONS`, where the chat allows them."""
        reactions = params.get("reaction") or []
        if isinstance(reactions, str):
            reactions = json.loads(reactions)
        if int(params["chat_id"]) in self.reactions_off:
            raise ValueError("REACTION_INVALID")
        if len(reactions) > 1 or any(r.get("type") != "emoji" or r.get("emoji") not in REACTIONS for r in reactions):
            raise ValueError("REACTION_INVALID")
        return True

    def api_getFile(self, params):
        file_id = params["file_id"]
        if file_id not in self.files:
            raise ValueError("invalid file_id")
        file_path, content = self.files[file_id]
        if len(content) > DOWNLOAD_LIMIT:
            raise ValueError("file is too big")
        return {"file_id": file_id, "file_unique_id": file_id, "file_size": len(content), "file_path": file_path}

    def api_answerInlineQuery(self, params):
        """Every result's message must be one Telegram would post."""
        results = params.get("results") or []
        if isinstance(results, str):
            results = json.loads(results)
        for result in results:
            content = result.get("input_message_content") or {}
            if str(content.get("parse_mode", "")).upper() == "HTML":
                check_telegram_html(content.get("message_text", ""))
            elif content:
                check_length(content.get("message_text", ""))
        return True

    def api_getChat(self, params):
        chat_id = str(params["chat_id"])
        chat = self.channels.get(chat_id.removeprefix("@").lower())
        if chat is None:
            chat = next((c for c in self.channels.values() if str(c["id"]) == chat_id), None)
        if chat is None:
            raise ValueError("chat not found")
        return {**chat, "accent_color_id": 0, "max_reaction_count": 11}  # a ChatFullInfo

    def api_getChatMember(self, params):
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        status = "administrator" if user_id in self.channel_admins.get(chat_id, set()) else "member"
        user = self.bot_user() if user_id == BOT_ID else {"id": user_id, "is_bot": False, "first_name": "U"}
        member = {"status": status, "user": user}
        if status == "administrator":
            member.update(
                {
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                    "can_post_messages": True,
                }
            )
        return member

    def api_setWebhook(self, params):
        if not str(params.get("url", "")).startswith("https://"):  # as Telegram answers
            raise ValueError("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = dict(params)
        return True

    def api_getWebhookInfo(self, params):
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False, "pending_update_count": 0}

    def api_default(self, params):
        return True

    # --- what tests do -------------------------------------------------------------------------
    def push(self, update: dict) -> None:
        with self._changed:
            update["update_id"] = next(self._update_ids)
            self.updates.append(update)
            self._changed.notify_all()
            endpoints = list(self.deliver_to)
        if endpoints:
            endpoint = endpoints[next(self._next_endpoint) % len(endpoints)]
            threading.Thread(target=self._deliver, args=(endpoint, update), daemon=True).start()

    def _deliver(self, endpoint: str, update: dict, attempts: int = 20) -> None:
        """POST an update to a webhook as Telegram does, retrying while the endpoint is down."""
        headers = {"Content-Type": "application/json"}
        if secret := self.webhook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = str(secret)
        for _ in range(attempts):  # bounded
            try:
                request = urllib.request.Request(endpoint, json.dumps(update).encode(), headers)
                with urllib.request.urlopen(request, timeout=10) as response:
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:
                time.sleep(0.5)
                continue
            with self._changed:
                self.deliveries.append((endpoint, status))
                self._changed.notify_all()
            return

    def user_message(
        self,
        chat_id: int,
        user_id: int,
        text: str | None = None,
        *,
        chat_type: str | None = None,
        entities: list[dict] | None = None,
        reply_to: dict | None = None,
        **extra,
    ) -> dict:
        """Push a message from a user; returns it (ids filled in)."""
        message = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type or ("private" if chat_id > 0 else "supergroup")},
            "from": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"},
            **extra,
        }
        if text is not None:
            message["text"] = text
            if entities is None and text.startswith("/"):
                command = text.split()[0]
                entities = [{"type": "bot_command", "offset": 0, "length": len(command)}]
            if entities:
                message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        self.push({"message": message})
        return message

    def edit_user_message(self, message: dict, text: str) -> None:
        """The user edits one of their messages: Telegram sends an `edited_message` update."""
        edited = {**message, "text": text, "edit_date": int(time.time())}
        self.push({"edited_message": edited})

    def callback(self, chat_id: int, user_id: int, message: dict, data: str) -> str:
        """A user presses a button of `message`; returns the callback query's id."""
        query_id = str(next(self._ids))
        self.push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"},
                    "chat_instance": str(chat_id),
                    "message": message,
                    "data": data,
                }
            }
        )
        return query_id

    def inline_query(self, user_id: int, query: str) -> str:
        """A user types `@bot query` in some chat; returns the inline query's id."""
        query_id = str(next(self._ids))
        self.push(
            {
                "inline_query": {
                    "id": query_id,
                    "from": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"},
                    "query": query,
                    "offset": "",
                }
            }
        )
        return query_id

    def inline_answer(self, query_id: str, timeout: float = 60.0) -> dict:
        """The bot's answer to an inline query (its parameters)."""
        call = self.wait_for(
            lambda: next(
                (c for c in self.calls_to("answerInlineQuery") if str(c.params["inline_query_id"]) == query_id), None
            ),
            timeout,
        )
        results = call.params.get("results") or []
        return {**call.params, "results": json.loads(results) if isinstance(results, str) else results}

    def chosen_inline_result(self, user_id: int, result_id: str, query: str) -> None:
        self.push(
            {
                "chosen_inline_result": {
                    "result_id": result_id,
                    "from": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"},
                    "query": query,
                }
            }
        )

    def add_channel(self, username: str, title: str, *, bot_is_admin: bool) -> dict:
        chat = {"id": -1_000_000_000_000 - next(self._ids), "type": "channel", "title": title, "username": username}
        self.channels[username.lower()] = chat
        self.channel_admins[chat["id"]] = {BOT_ID} if bot_is_admin else set()
        return chat

    def channel_post(self, chat: dict, text: str) -> dict:
        post = {"message_id": next(self._ids), "date": int(time.time()), "chat": chat, "text": text}
        self.push({"channel_post": post})
        return post

    def add_file(self, name: str, content: bytes) -> dict:
        file_id = f"file{next(self._ids)}"
        self.files[file_id] = (f"documents/{name}", content)
        return {"file_id": file_id, "file_unique_id": file_id, "file_name": name, "file_size": len(content)}

    def button(self, chat_id: int, label: str) -> tuple[dict, str]:
        """The newest message in a chat with a button whose label starts with `label`,
        and that button's callback data."""
        with self._changed:
            for (chat, _), message in sorted(self.messages.items(), reverse=True):
                rows = message.get("reply_markup", {}).get("inline_keyboard", []) if chat == chat_id else []
                for button in (b for row in rows for b in row):
                    if button["text"].startswith(label):
                        return dict(message), button["callback_data"]
        raise AssertionError(f"no button {label!r} in chat {chat_id}")

    def calls_to(self, method: str, chat_id: int | None = None) -> list[Call]:
        with self._changed:
            return [
                c
                for c in self.calls
                if c.method == method and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)
            ]

    def wait_for(self, predicate: Callable[[], object], timeout: float = 60.0):
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError("timed out waiting for the bot")
                self._changed.wait(min(remaining, 0.5))

    def last_id(self) -> int:
        """Messages created after this call have larger ids."""
        with self._changed:
            return max((i for _, i in self.messages), default=0)

    def texts(self, chat_id: int, after: int = 0) -> list[str]:
        """Current text of the messages the bot sent to a chat (after edits), oldest first."""
        with self._changed:
            return [m["text"] for (chat, i), m in sorted(self.messages.items()) if chat == chat_id and i > after]

    def wait_for_text(self, chat_id: int, needle: str, timeout: float = 60.0, after: int = 0) -> str:
        return self.wait_for(lambda: next((t for t in self.texts(chat_id, after) if needle in t), None), timeout)

    def sent_message(self, chat_id: int, needle: str, after: int = 0) -> dict:
        with self._changed:
            return next(
                m
                for (chat, i), m in sorted(self.messages.items(), reverse=True)
                if chat == chat_id and i > after and needle in m["text"]
            )


def as_read(value):
    """What the bot sent as a reader takes it in, and as the tests compare it: the no-break
    spaces of French typography (before "?", inside « »: `bot.telegram.typography`) read as
    spaces, in every text of a request. The texts as sent stay in `Call.sent`, which the
    typography's own tests read."""
    if isinstance(value, str):
        return value.replace("\u00a0", " ").replace("\u202f", " ")
    if isinstance(value, dict):
        return {key: as_read(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_read(item) for item in value]
    return value


def _maybe_json(value: str):
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
