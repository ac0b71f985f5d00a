"""Whether a text is written as a web address: a question or a chat message is told from a link
to add with it, so it lives apart from the document readers (`index.documents`, which bring
lxml's HTML parser), where answering a question does not load them. And a link as every user
may be shown it (`without_credentials`), which an answer shows too."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit


def is_url(value: str) -> bool:
    """Whether `value` is written as a web address (http or https)."""
    return value.lower().startswith(("http://", "https://"))


# A site's address typed without its scheme, as people write it: "lemonde.fr/rss/une.xml",
# "www.ouest-france.fr/rss". A dot in a name of letters, digits and dashes, then a path.
_WITHOUT_SCHEME = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d{1,5})?(?:[/?#]\S*)?", re.IGNORECASE)


def typed_address(text: str) -> str | None:
    """The web address a person means by `text`: as given when it has its scheme, through
    https when it has none ("lemonde.fr/rss"); None when it is no address."""
    if is_url(text):
        return text
    return f"https://{text}" if _WITHOUT_SCHEME.fullmatch(text) else None


def without_credentials(url: str) -> str:
    """`url` without the name and password it may carry ("https://moi:secret@site.fr/…"):
    they are never sent (a request goes to the address checked, `index.sources._Target.url_for`),
    and the address a page was fetched from is its article's source, a feed entry's link its
    article's, a followed feed's address what `/feeds` lists: every user may be shown them. An
    article an earlier version stored with them is shown without them (`index.store.article_row`)."""
    try:
        parts = urlsplit(url)
    except ValueError:  # unreadable: refused as such where it is fetched
        return url
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
