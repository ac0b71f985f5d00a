"""The Telegram bot (python-telegram-bot v22), one module per feature.

`app` only wires: it builds the `Application` with its `Defaults` and registers the
handlers of `questions`, `ingest` and `admin`; `errors` holds the one error handler and
the token redaction; `sending` the helpers every handler uses to reply; `messages` every
text the bot sends, as Telegram HTML.
"""
