"""A news page's title, date and byline, as its publisher states them.

Most news pages describe themselves for search engines and social networks: schema.org
JSON-LD (`NewsArticle`: `headline`, `datePublished`, `author`) and OpenGraph / meta tags.
Those are the most authoritative sources, in that order, before the page's visible
`<h1>` and `<title>`. Titles lose the site name that `<title>` and `og:title` often carry
("… - Gala", "… | PSL"); bylines lose "Par " and never name the publisher itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice, takewhile
from urllib.parse import urlsplit

from lxml import html as lxml_html

from index.calendar_words import FRENCH_MONTHS
from index.cleaning import ROLE_BEFORE_NAMES

_ARTICLE_TYPES = re.compile(
    r"(?:News|Analysis|Opinion|Reportage|Review|Background|Report|Satirical)?Article$|BlogPosting$"
)
# What a radio's or a television's page describes itself as (schema.org `RadioEpisode`,
# `PodcastEpisode`, `TVEpisode`, `Episode`): its author, date and text, read when the page
# states no article (one that does is about its article, an episode it embeds aside).
_EPISODE_TYPES = re.compile(r"(?:Radio|Podcast|TV)?Episode$")
_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")
_BYLINE_PREFIX = re.compile(
    rf"^\s*(?:{ROLE_BEFORE_NAMES}\s*|(?:par|by|de|texte|propos recueillis par)\s*:?\s+)", re.IGNORECASE
)


@dataclass(frozen=True)
class PageMetadata:
    title: str | None = None
    date: str | None = None  # as the page writes it (ISO or not)
    author: str | None = None
    url: str | None = None
    site_name: str | None = None
    lead: str | None = None  # the standfirst ("chapô") set apart above the text, when the page marks one
    # The article's whole text as the page states it for search engines (JSON-LD `articleBody`),
    # one paragraph a line: what a page drawn by a script shows once it has run.
    body: str | None = None
    # The publication day the page shows its reader ("Publié le 3 décembre 2026 à 14h05", else
    # a `<time>` of its own apart from any sentence: `_time_apart`), ISO.
    dateline: str | None = None


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def page_metadata(page: str, url: str | None = None) -> PageMetadata:
    try:  # an XHTML page's declaration names an encoding its text, decoded already, no longer has
        tree = lxml_html.fromstring(_XML_DECLARATION.sub("", page, count=1))
    except (ValueError, lxml_html.etree.ParserError):
        return PageMetadata()
    items = _json_ld_items(tree)
    article = next((i for i in items if _is_of(i, _ARTICLE_TYPES)), None)
    article = article or next((i for i in items if _is_of(i, _EPISODE_TYPES)), {})
    tags = _meta_tags(tree)

    def meta(*keys: str) -> str | None:
        return next((tags[k][0] for k in keys if k in tags), None)

    publisher = _name(article.get("publisher"))
    site = meta("og:site_name") or publisher or _site_from_url(url or meta("og:url"))
    title = _text(article.get("headline")) or meta("og:title", "twitter:title") or _first_h1(tree)
    title = title or _text("".join(tree.xpath("//title//text()")))

    def people(names: list[str]) -> list[str]:  # never the publisher itself
        return [n for n in names if not _same_name(n, site) and not _same_name(n, publisher)]

    authors = people(_authors(article.get("author"))) or people(_meta_authors(tags)) or people(_visible_byline(tree))
    return PageMetadata(
        title=strip_site_name(title, site) if title else None,
        date=_text(article.get("datePublished"))
        or meta("article:published_time", "date", "dc.date", "dc.date.issued", "datepublished")
        or _marked_publication_time(tree)
        or _text(article.get("dateCreated")),
        author=", ".join(dict.fromkeys(authors)) or None,
        url=meta("og:url") or _text(article.get("url")),
        site_name=site,
        lead=_lead(tree) or _lead_described(tree, meta("og:description", "description", "twitter:description")),
        body=_article_body(article.get("articleBody")),
        dateline=_dateline(tree) or _time_apart(tree),
    )


def strip_site_name(title: str, site: str | None) -> str:
    """ "Title - Site" → "Title": the site's name, or a last part that names a site."""
    title = " ".join(title.split())
    for separator in _SEPARATORS:
        if separator not in title:
            continue
        head, _, tail = title.rpartition(separator)
        if site and (_same_name(tail, site) or _same_name(tail.split(separator)[0], site)):
            return _without_rubric(strip_site_name(head, site))
        if head and _looks_like_a_site(tail, site):
            return strip_site_name(head, site)
    return title


# The section a page's <title> names between the headline and the site ("… | Actualités |
# Ouest-France", "… - Actualité - Le Point"): never a headline's second half.
_RUBRICS = frozenset(
    (
        "actualite", "actualites", "actu", "actus", "info", "infos", "information", "informations",
        "direct", "en direct", "video", "videos", "accueil", "a la une", "la une", "article", "articles",
    )
)  # fmt: skip


def _without_rubric(title: str) -> str:
    for separator in _SEPARATORS:
        head, found, tail = title.rpartition(separator)
        if found and head and _fold(tail) in _RUBRICS:
            return head
    return title


def _looks_like_a_site(part: str, site: str | None) -> bool:
    words = part.split()
    if not words or len(words) > 4:
        return False
    folded = _fold(part)
    return bool(
        (site and (_fold(site) in folded or folded in _fold(site)))
        or re.search(r"\.(?:fr|com|net|org|be|ch|ca|info)$", folded)
        # A name like "Le Parisien", when the page does not say its site's: with it, "Le bilan
        # s'alourdit" is the title's second half.
        or (not site and folded.startswith(("le ", "la ", "les ", "l'")) and part[:1].isupper() and len(words) <= 3)
    )


def _json_ld_items(tree) -> list[dict]:
    """The page's JSON-LD items, in page order: parsed once for both searches (an article, then
    an episode), since a page's JSON-LD can be megabytes."""
    items: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content().strip() or "null", strict=False)
        except (ValueError, RecursionError):  # RecursionError: nested past what the parser reads
            continue
        items.extend(_walk(data))
    return items


def _article_body(value) -> str | None:
    """JSON-LD's `articleBody`, one paragraph a line: plain text keeps its line breaks, markup
    ("<p>…</p>", as some publishers write it) gives a line per paragraph element."""
    if isinstance(value, list):
        value = "\n".join(v for v in value if isinstance(v, str))
    if not isinstance(value, str) or not value.strip():
        return None
    if re.search(r"<(?:p|br|div|h[1-6]|li)\b", value, re.IGNORECASE):
        fragment = lxml_html.fragment_fromstring(value, create_parent="div")
        for element in fragment.iter("br"):
            element.tail = "\n" + (element.tail or "")
        blocks = fragment.xpath(".//p|.//h1|.//h2|.//h3|.//h4|.//h5|.//h6|.//li") or [fragment]
        value = "\n".join(block.text_content() for block in blocks)
    elif "&" in value:  # entities in plain text
        value = lxml_html.fragment_fromstring(value, create_parent="p").text_content()
    lines = (" ".join(line.split()) for line in value.splitlines())
    return "\n".join(line for line in lines if line) or None


JSON_LD_DEPTH = 20  # lists and graphs a page's JSON-LD nests its article in; deeper is not a page's


def _walk(data, depth: int = 0) -> Iterator[dict]:
    if depth > JSON_LD_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if isinstance(data.get(key), list | dict):
                yield from _walk(data[key], depth + 1)


def _is_of(item: dict, kinds: re.Pattern) -> bool:
    stated = item.get("@type")
    stated = stated if isinstance(stated, list) else [stated]
    return any(isinstance(k, str) and kinds.search(k) for k in stated)


def _meta_tags(tree) -> dict[str, list[str]]:
    """Every meta tag's values by lower-cased property, name or itemprop, in page order."""
    found: dict[str, list[str]] = {}
    for element in tree.xpath("//meta[@content or @value]"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        value = " ".join((element.get("content") or element.get("value") or "").split())
        if key and value:
            found.setdefault(key, []).append(value)
    return found


# What a reader writes under an article (schema.org `Comment`, `UserComments`, an `Answer`):
# its microdata date is when the reader wrote it.
_READER_TYPES = re.compile(r"(?:Comment|UserComments|Answer)$")
_MARKED_TIME_RANKS = {"article": 0, "none": 1, "other": 2}


def _marked_publication_time(tree) -> str | None:
    """The publication time a page's microdata marks on the element that shows it (Joomla's
    `<time datetime="…" itemprop="datePublished">Publication : 2 décembre 2026</time>`), where
    others state it in a `<meta>`. The article's own first, marked in an item typed as an article
    (`NewsArticle`, `BlogPosting`…), then one in no item, then one in an item of another type (a
    teaser's); one outside a teaser or a related list before one inside. Never a reader's: a
    `Comment`'s date is when the comment was written, wherever it stands on the page."""
    marked = []
    for at, element in enumerate(tree.xpath('//*[@itemprop="datePublished"][@datetime]')):
        if not (stated := _text(element.get("datetime"))):
            continue
        item = element.xpath("ancestor::*[@itemscope][1]")
        types = (item[0].get("itemtype") or "").split() if item else []
        if any(_READER_TYPES.search(kind) for kind in types):
            continue
        if any(_ARTICLE_TYPES.search(kind) or _EPISODE_TYPES.search(kind) for kind in types):
            rank = _MARKED_TIME_RANKS["article"]
        else:
            rank = _MARKED_TIME_RANKS["other" if types else "none"]
        marked.append((rank, _in_other_content(element), at, stated))
    return min(marked)[-1] if marked else None


def _meta_authors(meta: dict[str, list[str]]) -> list[str]:
    values = meta.get("author", []) + meta.get("article:author", []) + meta.get("og:article:author", [])
    return [clean_byline(v) for v in values if "://" not in v and clean_byline(v)]


_BYLINE_CLASS = re.compile(r"auth|auteur|byline|signature|writer|journalist", re.IGNORECASE)
# Bylines inside these belong to other articles (teasers, related links) or to readers.
_ELSEWHERE = re.compile(
    r"snippet|related|teaser|recommend|suggest|card|list|popular|most-|aside|footer|comment|outbrain|"
    r"taboola|widget|newsletter|push|other|more|similar|sidebar|nav",
    re.IGNORECASE,
)
_PERSON = re.compile(r"^[A-ZÀ-Þ][\w'’.-]+(?:\s+(?:[A-ZÀ-Þ][\w'’.-]*|de|du|des|d'|d’|van|von|le|la|ben|el)){1,4}$")


def _visible_byline(tree) -> list[str]:
    """The names the page shows in the first byline element of its own article: all of them
    ("Par Anne Martin, Paul Girard et Inès Haddad"), up to the first that is no name (a role,
    "Jean Dupont, Rédacteur en chef")."""
    for element in tree.xpath("//body//*[@class or @itemprop or @rel]"):
        marks = " ".join(element.get(a) or "" for a in ("class", "itemprop", "rel"))
        if not _BYLINE_CLASS.search(marks) or _in_other_content(element):
            continue
        # Its parts apart: a name in its own element runs into the date after it ("LeclercLe 27/11").
        text = clean_byline(" ".join(element.itertext()))
        names = list(takewhile(_is_a_name, _authors(re.split(r"\s*[|(–—]\s*|\s+-\s+", text)[0])))
        if names:
            return names
    return []


def _is_a_name(text: str) -> bool:
    return bool(_PERSON.match(text)) and len(text) <= 60


# The standfirst's class: "chapo" in French CMSs, "standfirst", "lead"…; "subheadline" in Arc XP's
# (`b-subheadline`, set in an <h2> under the headline), "sous-titre", "subtitle", "deck" in others.
_LEAD_CLASS = re.compile(
    r"(?:^|[\s_-])(?:chapo|chapeau|standfirst|lead|intro|faits|accroche|summary|subheadline|subhead|sous-titre|"
    r"subtitle|deck)(?:$|[\s_-])",
    re.I,
)


def _lead(tree) -> str | None:
    """The standfirst, marked by its class, which text extractors sometimes leave out: after
    the headline when the page has one (before it: the site's teasers, consent and newsletter
    boxes, whose classes may say "intro" or "summary" too)."""
    headlines = tree.xpath("//body//h1")
    for element in headlines[0].xpath("following::*[@class]") if headlines else tree.xpath("//body//*[@class]"):
        own = f"{element.get('class') or ''} {element.get('id') or ''}"
        if (
            _LEAD_CLASS.search(element.get("class") or "")
            and not _ELSEWHERE.search(own)
            and not _in_other_content(element)
        ):
            text = " ".join(element.text_content().split())
            if len(text.split()) >= 12 and text[-1:] in ".!?…»":
                return text
    return None


def _lead_described(tree, description: str | None) -> str | None:
    """The standfirst whatever its class: the element of the page that shows the page's own
    description (`og:description`), which news sites fill with it."""
    wanted = " ".join((description or "").split())
    if len(wanted.split()) < 12 or wanted[-1:] not in ".!?…»":
        return None
    # A <div> holding no other block: the innermost one that shows it (each <div> of a nested
    # page holds the text of all those it wraps: read each, a deep 10 MB page took seconds).
    for element in tree.xpath("//body//p | //body//div[not(.//div) and not(.//p)] | //body//h2"):
        if " ".join(element.text_content().split()) == wanted and not _in_other_content(element):
            return wanted
    return None


_MONTH_NAMES = "|".join(sorted(FRENCH_MONTHS, key=len, reverse=True))
# "Publié le 3 décembre 2026 à 14h05", "Article publié le mardi 24 novembre 2026", "Publié le
# 02/12/2026 à 18:40", "Mis en ligne le 01/12/26": the date right after the word, never the one
# after "modifié le" or "mis à jour le".
_PUBLISHED_ON = re.compile(
    r"\b(?:publié|publiée|mis en ligne|mise en ligne|paru|parue)\s*(?:le|:)?\s+"
    r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
    rf"(?:(?P<day>\d{{1,2}})(?:er)?\s+(?P<month>{_MONTH_NAMES})\.?\s+(?P<year>\d{{4}})"
    r"|(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4}|\d{2})\b)",
    re.IGNORECASE,
)
_PUBLISHED_WORD = re.compile(r"\b(?:publiée?|mise? en ligne|parue?)\b", re.IGNORECASE)


DATELINE_WORDS = 30  # a dateline is short: "Par Jean Dupont - Publié le …, modifié le … à …"
# What may come before "Publié le" in a dateline: nothing, "Article", or a byline and its
# separator ("Par Jean Dupont - ", "Jean Dupont | "); never the start of a sentence ("Le rapport, ").
_DATELINE_OPENING = re.compile(r"^\s*(?:article\s*|.{1,60}[|•·–—-]\s*)?$", re.IGNORECASE)
DATELINE_TRIES = 20  # texts saying "publié" looked at, in page order: a dateline is near the top


def _dateline(tree) -> str | None:
    """The day the page's dateline says the article was published, ISO `YYYY-MM-DD`: the
    first short text of the page's own (not a teaser's, not a comment's) that opens on
    "Publié le …". A sentence that says "le rapport publié le 3 mars" dates the report."""
    said = (node for node in tree.xpath("//body//text()[normalize-space()]") if _PUBLISHED_WORD.search(node))
    for node in islice(said, DATELINE_TRIES):
        element = node.getparent()
        if element is None or element.tag in ("script", "style") or _in_other_content(element):
            continue
        # The date may be in the next element ("<span>Publié le</span> <time>01/12/26</time>").
        for around in (element, element.getparent()):
            text = " ".join(around.text_content().split()) if around is not None else ""
            found = _PUBLISHED_ON.search(text)
            if found and _DATELINE_OPENING.match(text[: found.start()]) and len(text.split()) <= DATELINE_WORDS:
                break
        else:
            continue
        if found["month"]:
            day, month, year = int(found["day"]), FRENCH_MONTHS[found["month"].lower()], int(found["year"])
        else:
            day, month, year = int(found["d"]), int(found["m"]), int(found["y"])
            year += 2000 if year < 100 else 0
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


SENTENCE_AROUND_A_DATE_WORDS = 6  # a dateline's own words are fewer: "Mis en ligne le", "Publié le … à"
TIMES_TRIED = 20  # `<time>` elements looked at, in page order: the article's own is near the top
_ISO_DAY = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")
_WORD = re.compile(r"\w+")
_INLINE = frozenset("span strong b em i a small mark abbr u font".split())


def _time_apart(tree) -> str | None:
    """The day of the page's own first `<time datetime="…">` that stands apart from any
    sentence (a dateline's, a byline's: "Le <time>…</time>", a `<time>` alone under the
    headline), ISO `YYYY-MM-DD`: the article's own date where the page states it no other way.
    Without it, trafilatura's fallback (htmldate) dated such a page by a reader's comment,
    whose block it reads as a post's details ("comment-meta") before any `<time>`. Never a
    comment's, a teaser's (`_in_other_content`, or a reader's microdata item), nor a date a
    sentence says ("se tiendra le <time>12 avril</time> à Paris": an event's)."""
    for element in islice(tree.xpath("//body//time[@datetime]"), TIMES_TRIED):
        if _in_other_content(element) or _a_readers(element):
            continue
        # The words around it in its block, through the inline elements it may sit in
        # (« se tiendra le <strong><time>…</time></strong> au parc »); a block that ends as a
        # sentence ends (« Le conseil se réunira <time>le 15 janvier</time>. ») says an event's date.
        block = element.getparent()
        while block is not None and block.tag in _INLINE:
            block = block.getparent()
        if block is None:
            continue
        around = " ".join(block.text_content().replace(element.text_content(), " ", 1).split())
        if len(_WORD.findall(around)) >= SENTENCE_AROUND_A_DATE_WORDS or around.endswith((".", "!", "?", "…")):
            continue
        stated = _ISO_DAY.match(element.get("datetime") or "")
        if stated is None:
            continue
        try:
            return date(*map(int, stated.groups())).isoformat()
        except ValueError:
            continue
    return None


def _a_readers(element) -> bool:
    """Whether `element` stands in what a reader wrote, as its microdata types it (`Comment`…)."""
    return any(
        _READER_TYPES.search(kind)
        for item in element.xpath("ancestor::*[@itemtype]")
        for kind in item.get("itemtype").split()
    )


def _in_article(element) -> bool:
    return any(ancestor.tag in ("article", "main") for ancestor in element.iterancestors())


def _in_other_content(element) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in ("body", "html"):  # their classes describe the whole page
            return False
        if ancestor.tag in ("aside", "footer", "nav", "dialog"):
            return True
        if ancestor.tag == "header" and not ancestor.xpath(".//h1") and not _in_article(ancestor):
            return True  # the site's header, not the article's (whose headline may be an <h2>)
        marks = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        if _ELSEWHERE.search(marks):
            return True
    return False


def _authors(value) -> list[str]:
    if isinstance(value, list):
        return [a for item in value for a in _authors(item)]
    if isinstance(value, dict):
        if str(value.get("@type", "")).lower() == "organization":
            return []
        return _authors(value.get("name"))
    if isinstance(value, str) and value.strip() and "://" not in value:
        parts = [clean_byline(part) for part in re.split(r"\s*(?:,| et | and |;)\s*", value)]
        # A role after the name ("Jean Dupont, envoyé spécial à Kiev") is no second author.
        return [part for at, part in enumerate(parts) if part and (at == 0 or not part[0].islower())]
    return []


def byline_names(text: str) -> str:
    """The names a byline line gives, as `PageMetadata.author` says them: "Par Jean Dupont et
    Marie Curie" → "Jean Dupont, Marie Curie"; "Marie Roy, La Presse Canadienne" → "Marie Roy"."""
    return ", ".join(_authors(text))


OPENING_BLOCKS = 4  # paragraphs at the top of an article where its byline may be written as text
_WRITTEN_BYLINE = re.compile(r"^\s*par\s+\S", re.IGNORECASE)


def opening_byline(text: str) -> str | None:
    """The names a byline written as the text's own paragraph gives, near its top ("Par Léa
    Fontaine", "Par Jean Dupont et Marie Curie, envoyés spéciaux"), for a page that marks none:
    names only, each capitalised ("Par ailleurs, …" and "Par le passé" are text)."""
    for paragraph in text.split("\n\n")[:OPENING_BLOCKS]:
        if not _WRITTEN_BYLINE.match(paragraph) or len(paragraph) > 120:
            continue
        names = _authors(clean_byline(paragraph))
        if names and all(_PERSON.match(name) for name in names):
            return ", ".join(names)
    return None


# What a byline element often runs into: when the article was published or updated.
_BYLINE_TAIL = re.compile(
    rf"\s*[-–—|•,]?\s*(?:\b(?:publié|mis à jour|modifié|actualisé)\b|\b(?:le\s+)?\d{{1,2}}(?:er)?"
    rf"(?:\s*[/.]\s*\d{{1,2}}\s*[/.]\s*\d{{2,4}}|\s+(?:{'|'.join(FRENCH_MONTHS)})\b)).*$",
    re.IGNORECASE,
)


# Agencies French-language papers take dispatches from: Quebec's sign theirs "name, La Presse Canadienne".
_AGENCY = r"(?:AFP|Reuters|AP|ANSA|Belga|DPA|ATS|Agence France-Presse|(?:la\s+)?Presse\s+canadienne|agences?)"
# A dispatch's credit after the names: "Jean Dupont avec AFP", "Jean Dupont (avec l'AFP)".
_WITH_AGENCY = re.compile(rf"\s*\(?\s*(?:avec|et|&)\s+(?:l['’]\s*)?{_AGENCY}\s*\)?$", re.IGNORECASE)
_AGENCY_ALONE = re.compile(rf"^\(?{_AGENCY}\)?$", re.IGNORECASE)
# The newsroom as a whole ("La rédaction", "La rédaction du Parisien", "Rédaction web", a local
# one by its town, "La Rédaction Limoges"): no person. No one's name opens on "Rédaction".
_NEWSROOM = re.compile(r"^(?:la\s+)?r[ée]daction\b.*$", re.IGNORECASE)


def clean_byline(value: str) -> str:
    """A byline's names: without "Par ", without the date it runs into ("Jean Dupont Publié
    le 05/03/2024 à 10h12", "Jean Dupont - 5 mars 2024") and without the agency its dispatch
    came with ("Jean Dupont avec AFP"; "Le Figaro avec AFP" is then the publisher, no person;
    an agency alone, or the newsroom, "La rédaction", is none either)."""
    value = _BYLINE_PREFIX.sub("", " ".join(value.split()))
    value = _WITH_AGENCY.sub("", _BYLINE_TAIL.sub("", value).strip(" ,;|-")).strip(" ,;|-")
    return "" if _AGENCY_ALONE.match(value) or _NEWSROOM.match(value) else value


def _name(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return _text(value)


def _text(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str) and value.strip():
        if "<" in value or "&" in value:  # markup or entities inside a JSON string
            value = lxml_html.fromstring(f"<p>{value}</p>").text_content()
        return " ".join(value.split())
    return None


def _first_h1(tree) -> str | None:
    for h1 in tree.xpath("//h1"):
        text = " ".join(h1.text_content().split())
        if text:
            return text
    return None


def _site_from_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # an `og:url` Python cannot split ("http://[castor"): no site read from it
        return None
    parts = [p for p in host.split(".") if p not in {"www", "m", "amp"}]
    return parts[-2] if len(parts) >= 2 else None


def _fold(text: str) -> str:
    from index.analysis import fold_accents

    return fold_accents(" ".join(text.lower().replace("’", "'").split()))


def _same_name(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    squeeze = re.compile(r"[^a-z0-9]")
    return squeeze.sub("", _fold(a)) == squeeze.sub("", _fold(b))
