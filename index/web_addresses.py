"""Whether a text is written as a web address: a question or a chat message is told from a link
to add with it, so it lives apart from the document readers (`index.documents`, which bring
lxml's HTML parser), where answering a question does not load them. And a link as every user
may be shown it (`without_credentials`, `article_source`), which an answer shows too, and the
page a link names, however written (`normalise_url`, `same_page_links`): the key an article is
found under when it is added again or a feed lists it. And a link's host as a person may safely
read it (`shown_link`): in its letters when they cannot pass for another site's, else in the
ASCII form (`xn--…`) DNS knows it by."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

from index.decoding import readable


def is_url(value: str) -> bool:
    """Whether `value` is written as a web address (http or https)."""
    return value.lower().startswith(("http://", "https://"))


# A site's address typed without its scheme, as people write it: "lemonde.fr/rss/une.xml",
# "www.ouest-france.fr/rss". A dot in a name of letters, digits and dashes, then a path.
_WITHOUT_SCHEME = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d{1,5})?(?:[/?#]\S*)?", re.IGNORECASE)


def typed_address(text: str) -> str | None:
    """The web address a person means by `text`: as given when it has its scheme, through
    https when it has none ("lemonde.fr/rss"); None when it is no address, as text holding
    bytes that are no UTF-8 (an argument's, which Python keeps as lone surrogates) is not."""
    if readable(text) != text:
        return None
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


# The dots IDNA reads between labels: a host may be typed with the ideographic full stop.
_LABEL_DOTS = re.compile("[.\u3002\uff0e\uff61]")


def ascii_host(host: str) -> str:
    """`host` as DNS, a `Host` header and TLS name it: a name in accented letters ("élysée.fr",
    as French sites may be named) in its ASCII form ("xn--lyse-9oad.fr", IDNA 2003, as the
    system's resolver reads it). Raises UnicodeError for a name no DNS may hold (a label too
    long, or of characters no name may hold)."""
    return host if host.isascii() else host.encode("idna").decode("ascii")


# A tab or a line break, which `urlsplit` drops (WHATWG's URL parsing): `shown_link` escapes
# them first, or the host parsed is not the one written, and the link was shown raw, a tab and all.
_DROPPED_BY_URLSPLIT = re.compile(r"[\t\r\n]")


def shown_link(url: str) -> str:
    """`url` as a person may be shown it, wherever a link is (an answer's source, an article's
    card, `/feeds`, the command line): its host in letters only when they cannot pass for another
    site's ("élysée.fr", "例え.jp"), else in its ASCII form ("https://xn--lmonde-3of.fr/…" for
    "lеmonde.fr" typed with a Cyrillic « е »), the rest as written. A host spelled `xn--…`
    whose letters are safe is shown in them, as browsers do. What is stored is left as it is:
    this is for the eyes only, and the ASCII form names the same host."""
    if url.isascii() and "xn--" not in url.lower():  # nearly every link: not parsed
        return url
    url = _DROPPED_BY_URLSPLIT.sub(lambda dropped: quote(dropped[0]), url)
    try:
        parts = urlsplit(url)
    except ValueError:  # unreadable: refused as such where it is fetched
        return url
    login, at, place = parts.netloc.rpartition("@")
    host, colon, port = place.rpartition(":")
    if not colon or "]" in port or not (port.isdigit() or not port):
        host, colon, port = place, "", ""
    if host.isascii() and "xn--" not in host.lower():
        return url
    shown = shown_host(host)
    start = url.find(parts.netloc, url.find("//"))
    if shown == host or start < 0:
        return url
    netloc = f"{login}{at}{shown}{colon}{port}"
    return url[:start] + netloc + url[start + len(parts.netloc) :]


# A web address in a sentence: up to a space, a quote or a tag, less the punctuation that ends
# the sentence ("…, et la page n'en déclare aucun").
_LINK_IN_TEXT = re.compile(r"""\b(?:https?|ftp)://[^\s<>"«»]*[^\s<>"«».,;:!?)]""", re.IGNORECASE)


def shown_links(text: str) -> str:
    """`text` (a feed's name, which is its address when it has none; an error that names an
    address) with each web address in it as `shown_link` shows it."""
    if text.isascii() and "xn--" not in text.lower():
        return text
    return _LINK_IN_TEXT.sub(lambda link: shown_link(link[0]), text)


def shown_typed(text: str, typed: str) -> str:
    """`text` (an error about what a person typed as an address, `typed`, which it may name
    whole, by its host alone, "nom de domaine introuvable : lеmonde.fr", or refuse as no address,
    "lеmonde.fr/rss") with `typed`, its host and every web address in it as `shown_link` shows
    them: a look-alike host is never said back in the letters that make it pass for another,
    bytes that are no UTF-8 as "\ufffd" (`readable`)."""
    text, typed = readable(text), readable(typed)
    shown = shown_links(text)
    if typed.isascii() and "xn--" not in typed.lower():  # nearly every address: nothing to show otherwise
        return shown
    scheme = "" if "://" in typed else "https://"  # "lеmonde.fr/rss", read as `typed_address` reads it
    try:
        netloc = urlsplit(scheme + typed).netloc
    except ValueError:  # unreadable: its host is not told apart
        return shown
    host = netloc.rpartition("@")[2]
    host = host.rpartition(":")[0] if ":" in host and "]" not in host else host
    typed_shown = shown_link(scheme + typed).removeprefix(scheme)
    for written, said in ((typed, typed_shown), (host, shown_host(host)), (host.lower(), shown_host(host))):
        if written and said != written:
            shown = shown.replace(written, said)
    return shown


def shown_host(host: str) -> str:
    """`host` in letters (Unicode) when each of its labels is safe to read so (`_readable_label`),
    else its ASCII form, `xn--…` (Chromium's IDN display policy, Mozilla's "moderately restrictive"
    profile); a host no DNS may hold (`_no_name_shown`) so too, label by label, bytes that are no
    UTF-8 as "\ufffd" (`readable`)."""
    try:
        ascii_form = ascii_host(_LABEL_DOTS.sub(".", host))
    except UnicodeError:
        return _no_name_shown(readable(host))
    try:
        letters = ascii_form.encode("ascii").decode("idna")
    except UnicodeError:  # an `xn--` label that decodes to nothing
        return ascii_form
    labels = letters.split(".")
    top = next((label for label in reversed(labels) if label), "")
    return letters if all(_readable_label(label, top) for label in labels) else ascii_form


def _no_name_shown(host: str) -> str:
    """A host no DNS may hold (bytes that are no UTF-8 in it, read as "\ufffd"; a space; a label
    too long), which leads nowhere, as a person may be shown it all the same, label by label: in
    its letters where they are safe to read beside the "\ufffd" (« exemple\ufffd.fr »), else in
    its ASCII form, `xn--…` (« l\u0435monde\ufffd » with a Cyrillic « е »: no look-alike), the
    characters no label is made of %-escaped either way (`_escaped`). Not %-escaped whole:
    « l%D0%B5monde%EF%BF%BD.fr » reads as neither."""
    labels = _LABEL_DOTS.split(host)
    top = next((label for label in reversed(labels) if label), "")
    shown = []
    for label in labels:
        if not label.isascii() and not _readable_label(_named_part(label), _named_part(top)):
            label = "xn--" + label.encode("punycode").decode("ascii")
        shown.append(_escaped(label))
    return ".".join(shown)


def _named_part(label: str) -> str:
    """`label` less what is shown beside its letters: the "\ufffd" of bytes that are no UTF-8,
    the ASCII characters no name is made of (a space, a control) and their %-escapes: its letters
    are what `_readable_label` judges. Else « \u00e9lys\u00e9e\x1bc » passed for a look-alike,
    shown `xn--…`, for its control alone, and « \u00e9lys\u00e9e%1Bc » so when said again."""
    return "".join(c for c in label if (not c.isascii() and c != "\ufffd") or c.isalnum() or c == "-")


def _escaped(label: str) -> str:
    """`label` (of a host no DNS may hold) with its ASCII characters no name is made of
    %-escaped, a space, a control, "/" (« ex%20ample\ufffd »), in its ASCII form or in its
    letters alike: its letters beyond ASCII passed `_readable_label`, which shows none that is
    unsafe to read, but a label's ASCII part is not looked at there. "%" is kept: a host shown
    is shown again where an error naming it is said back (`shown_typed` over a message holding
    it), and must read the same, not « ex%2520ample »."""
    return "".join(quote(character, safe="-:[]%") if character.isascii() else character for character in label)


# The scripts a host's letters are told apart by (Unicode's Script property, through `regex`,
# which `unicodedata` lacks); a letter of none of them (a symbol, an emoji, a historic script)
# makes its label unsafe to read, as do characters common to every script other than digits,
# the hyphen, the Japanese prolonged sound mark and the Catalan middle dot ("col·legi.cat").
_SCRIPTS = (
    "Latin Greek Cyrillic Armenian Hebrew Arabic Syriac Thaana Devanagari Bengali Gurmukhi Gujarati "
    "Oriya Tamil Telugu Kannada Malayalam Sinhala Thai Lao Tibetan Myanmar Georgian Hangul Ethiopic "
    "Cherokee Khmer Mongolian Hiragana Katakana Bopomofo Han"
).split()
# The mixes of scripts a name is written in (UTS #39's "highly restrictive" level): Latin
# with the scripts Japanese, Chinese and Korean are written in; any other mix ("lеmonde",
# Latin and a Cyrillic « е ») is how a look-alike of a known name is made.
_ALLOWED_MIXES = (
    frozenset({"Latin", "Han", "Hiragana", "Katakana"}),
    frozenset({"Latin", "Han", "Bopomofo"}),
    frozenset({"Latin", "Han", "Hangul"}),
)
# Letters of a script that read as Latin ones: a label made only of them ("аррӏе", all
# Cyrillic) passes for a Latin name (Chromium's whole-script confusables), unless its top-level
# domain is a country's that writes that script (or is itself in letters, "рф").
_LATIN_LOOKALIKES = {
    "Cyrillic": (frozenset("асԁеһіјӏорԗԛѕԝхуъьҽпгѵѡ"), frozenset("bg by kz pyc ru su ua uz".split())),
    "Greek": (frozenset("αικνορτυχω"), frozenset("gr cy".split())),
}


# Latin letters beyond ASCII a host may be shown in: the lowercase ones (a host's letters are,
# once read by IDNA) of Latin-1 Supplement and Latin Extended-A, the accented letters of French
# and the other European languages, and Romanian's « ș » and « ț » (Latin Extended-B), less the
# dotless « ı » (« ı » and « ı̇ » read as « i ») and « ĸ » (as « k »). The others (IPA's « ɑ »,
# « ɡ », « ǀ », small capitals « ᴏ », « ꜱ »…) are no letter of a language's names and read as
# ASCII ones (UTS #39's identifier profile).
_LATIN_SHOWN = (frozenset(chr(c) for c in range(0xC0, 0x180) if chr(c).islower()) | frozenset("șț")) - frozenset("ıĸ")
# Letters set apart above that a country's own domain writes its names in: the dotless « ı » of
# Turkish and Azerbaijani, and Azerbaijani's « ə ».
_LATIN_SHOWN_UNDER = {"tr": frozenset("ı"), "az": frozenset("ıə")}
# Japanese characters that read as punctuation ("google.comノlogin.example.com": a slash, a
# dash) beside characters not written in Japanese (Chromium's dangerous patterns); « ー » is
# read so too when no kana comes before it.
_LOOKS_LIKE_PUNCTUATION = "[ノンソゾ一丶乀乁丿ー]"
_NOT_JAPANESE = r"[^\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Han}ー]"
_PUNCTUATION_LOOK_ALIKE = (
    f"{_NOT_JAPANESE}{_LOOKS_LIKE_PUNCTUATION}|{_LOOKS_LIKE_PUNCTUATION}{_NOT_JAPANESE}"
    r"|(?<![\p{sc=Hiragana}\p{sc=Katakana}])ー"
)


def _readable_label(label: str, top: str) -> bool:
    """Whether `label` of a host whose top-level domain is `top` may be shown in its letters:
    in one script (beside digits and hyphens) or an allowed mix, its Latin letters ASCII or
    `_LATIN_SHOWN` (no combining mark beside them), no Japanese character that passes for
    punctuation beside others, and not all of letters that pass for Latin ones."""
    if label.isascii():
        return True
    import regex  # only for hosts in letters: most links never need it

    if regex.search(_UNREADABLE, label) or regex.search(_PUNCTUATION_LOOK_ALIKE, label):
        return False
    latin = regex.findall(r"\p{sc=Latin}", label)
    shown = _LATIN_SHOWN | _LATIN_SHOWN_UNDER.get(top, frozenset())
    if latin and (regex.search(r"\p{sc=Inherited}", label) or not all(c.isascii() or c in shown for c in latin)):
        return False
    scripts = {name for name in _SCRIPTS if regex.search(rf"\p{{sc={name}}}", label)}
    if len(scripts) > 1 and not any(scripts <= mix for mix in _ALLOWED_MIXES):
        return False
    if len(scripts) == 1 and (script := next(iter(scripts))) in _LATIN_LOOKALIKES:
        lookalikes, own_domains = _LATIN_LOOKALIKES[script]
        letters = {c for c in label if c.isalpha()}
        if letters <= lookalikes and top.isascii() and top not in own_domains:
            return False
    return True


# A character of none of `_SCRIPTS`, nor a combining mark, a digit, a hyphen, « ー » or « · ».
_UNREADABLE = "[^" + "".join(rf"\p{{sc={name}}}" for name in _SCRIPTS) + r"\p{sc=Inherited}0-9\-\u30fc\u00b7]"


def _is_address(host: str) -> bool:
    return ":" in host or host.replace(".", "").isdigit()
