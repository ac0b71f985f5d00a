"""Whether a text is written as a web address: a question or a chat message is told from a link
to add with it, so it lives apart from the document readers (`index.documents`, which bring
lxml's HTML parser), where answering a question does not load them. And a link as every user
may be shown it (`without_credentials`, `article_source`), which an answer shows too, and the
page a link names, however written (`normalise_url`, `same_page_links`): the key an article is
found under when it is added again or a feed lists it."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit, urlunsplit


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
    they are never sent (a request goes to the address checked, `index.fetching._Target.url_for`),
    and the address a page was fetched from is its article's source, a feed entry's link its
    article's, a followed feed's address what `/feeds` lists: every user may be shown them. An
    article an earlier version stored with them is shown without them (`index.store.article_row`)."""
    if "@" not in url:  # most addresses: not parsed (every answer's articles come through here)
        return url
    try:
        parts = urlsplit(url)
    except ValueError:  # unreadable: refused as such where it is fetched
        return url
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def article_source(link: str) -> str:
    """`link` as its article's source, which every user of the library may be shown, whether
    a person gave it or a feed listed it: without a name and password (`without_credentials`)
    nor the tracking parameters a link is tagged with ("?utm_source=rss&xtor=RSS-3", which a
    feed may change from poll to poll)."""
    return without_tracking(without_credentials(link))


# Query parameters that say how a reader came to a page, not which page it is: campaign
# tags (Google's utm_*, AT Internet's xtor and at_*, Mailchimp's, comScore's), click ids
# (Facebook, Google, Microsoft, Yandex, Instagram) and an AMP version's marks.
_TRACKING_PREFIXES = ("utm_", "at_", "mc_", "ns_", "_hs")
_TRACKING = frozenset(
    "fbclid gclid gclsrc dclid wbraid gbraid msclkid yclid igshid twclid ttclid _ga _gl xtor xtref ocid "
    "echobox cmpid sr_share".split()
)
# Hosts of one site that serve its pages: "www.lemonde.fr", "lemonde.fr", "m.lemonde.fr".
_SAME_SITE_HOSTS = ("www.", "m.", "mobile.")


def _tracking(key: str, value: str, *, earlier: bool = False) -> bool:
    key = key.lower()
    if earlier:  # the parameters earlier versions left out
        return key.startswith(("utm_", "fbclid", "gclid"))
    if key in ("amp", "outputtype"):  # "?amp=1", "?outputType=amp": the AMP version of the page
        return (key == "amp" and value in ("", "1", "true")) or value.lower() == "amp"
    return key.startswith(_TRACKING_PREFIXES) or key in _TRACKING


def normalise_url(url: str | None, *, earlier: bool = False) -> str | None:
    """Same page, same key: no fragment, no tracking parameters, no trailing slash (the link
    kept and shown: its scheme and host as written). `earlier`: as earlier versions made it,
    which fewer tracking parameters left out."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 (an unreadable port fails here)
    except ValueError:  # "http://[castor": not a page's address, kept as written
        return url.strip()
    if not parts.scheme or not parts.netloc:
        return url.strip()
    kept = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)  # SPIP's pages: "spip.php?article1234"
        if k and not _tracking(k, v, earlier=earlier)
    ]
    query = "&".join(urlencode([(k, v)]) if v else quote_plus(k) for k, v in kept)
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def without_tracking(url: str) -> str:
    """`url` as written, less its tracking parameters (`url` itself when it has none)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if k and not _tracking(k, v)]
    if len(kept) == len(pairs):
        return url
    query = "&".join(urlencode([(k, v)]) if v else quote_plus(k) for k, v in kept)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def url_variants(url: str | None) -> tuple[str, ...]:
    """Other ways of writing the page at `url` (normalised): http or https, with "www.", "m."
    or neither, and as earlier versions normalised it. No site serves two articles so."""
    if not url:
        return ()
    parts = urlsplit(url)
    try:
        host, port = parts.hostname or "", parts.port
    except ValueError:
        return ()
    if parts.scheme not in ("http", "https") or not host or parts.username or parts.password:
        return ()
    schemes = ("https", "http") if port is None else (parts.scheme,)
    site = host
    for prefix in _SAME_SITE_HOSTS:
        if host.startswith(prefix) and "." in host[len(prefix) :]:
            site = host[len(prefix) :]
            break
    hosts = [site] if _is_address(site) or "." not in site else [site, *(p + site for p in _SAME_SITE_HOSTS)]
    suffix = f":{port}" if port is not None else ""
    variants = [urlunsplit((s, h + suffix, parts.path, parts.query, "")) for s in schemes for h in hosts]
    return tuple(v for v in dict.fromkeys(variants) if v != url)


def same_page_links(url: str | None) -> list[str]:
    """Every link an article stored for the page at `url` may have: `url` normalised first,
    then its variants (`url_variants`) and as earlier versions normalised it."""
    normalised = normalise_url(url)
    if not normalised:
        return []
    return list(dict.fromkeys([normalised, *url_variants(normalised), normalise_url(url, earlier=True) or normalised]))


def _is_address(host: str) -> bool:
    return ":" in host or host.replace(".", "").isdigit()
