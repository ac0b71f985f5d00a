"""Whether a text is written as a web address: a question or a chat message is told from a link
to add with it, so it lives apart from the document readers (`index.documents`, which bring
lxml's HTML parser), where answering a question does not load them."""

from __future__ import annotations


def is_url(value: str) -> bool:
    """Whether `value` is written as a web address (http or https)."""
    return value.lower().startswith(("http://", "https://"))
