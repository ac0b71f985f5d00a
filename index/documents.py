"""From what a user gives (a text file, pasted text, an HTML page) to a `Document`.

A text document may start with metadata: YAML front matter, or lines such as
`titre: …`, `date: …`, `url: …`, `auteur: …`. The sample article starts with
` date 2023-02 ` inline, before its first sentence: a publication month, not text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date as Date
from functools import cache
from urllib.parse import urljoin, urlsplit

from index.bounded_reading import READING_LIMITS, Checkpoint, ReadingLimits, read_in_own_process
from index.cleaning import (
    CLOCK_TIME,
    ENDS_SENTENCE,
    MARKDOWN_HEADING,
    Block,
    clean_blocks,
    is_heading,
    is_noise,
    join_blocks,
    normalise_whitespace,
    table_row,
)
from index.errors import EmptyInput, UnsupportedInput
from index.metadata import (
    FRENCH_MONTHS,
    SENTENCE_AROUND_A_DATE_WORDS,
    PageMetadata,
    byline_names,
    clean_byline,
    opening_byline,
    page_metadata,
)
from index.numbers import french

_KEYS = {
    "title": "title",
    "titre": "title",
    "date": "date",
    "url": "url",
    "lien": "url",
    "source": "url",
    "author": "author",
    "auteur": "author",
}
_META_LINE = re.compile(r"^\s*(title|titre|date|url|lien|source|author|auteur)\s*:\s*(.*?)\s*$", re.IGNORECASE)
_BROKEN_SENTENCE = re.compile(r"(?<=[^\s.!?…:»\"”])\n(?=[a-zà-ÿœæ])")
META_VALUE_CHARS = 1_000  # a title, an author, a date or a link is never longer
_INLINE_DATE = re.compile(r"^\s*date\s*:?\s+(\d{4}-\d{2}(?:-\d{2})?)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Document:
    """An article ready to be indexed: metadata and clean body blocks."""

    title: str
    blocks: tuple[Block, ...]
    date: str | None = None
    author: str | None = None
    url: str | None = None
    source: str | None = None

    @property
    def text(self) -> str:
        return join_blocks(list(self.blocks))


def normalise_date(value: str | None) -> str | None:
    """ISO `YYYY-MM-DD` or `YYYY-MM`; None when it cannot be read as a date."""
    if not value:
        return None
    value = value.strip().lower()
    if m := re.match(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", value):
        return _iso(int(m[1]), int(m[2]), int(m[3]) if m[3] else None)
    if m := re.match(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$", value):
        return _iso(int(m[3]), int(m[2]), int(m[1]))
    if m := re.match(r"^(?:\w+\s+)?(\d{1,2})(?:er)?\s+([a-zéû]+)\.?\s+(\d{4})$", value):
        month = FRENCH_MONTHS.get(m[2])
        return _iso(int(m[3]), month, int(m[1])) if month else None
    if m := re.match(r"^([a-zéû]+)\.?\s+(\d{4})$", value):
        month = FRENCH_MONTHS.get(m[1])
        return _iso(int(m[2]), month, None) if month else None
    return None


def _iso(year: int, month: int, day: int | None) -> str | None:
    try:
        Date(year, month, day or 1)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


# The longest front matter read as YAML. A page's holds its title, date, link, author and a
# few more keys, a few hundred characters; YAML is read at about 3 s and 80 MB of memory a
# megabyte, so a text file of 20 MB of "front matter" held an ingest thread for a minute and
# 1.5 GB. Longer, it is read as the text it is, as front matter that is no YAML is.
FRONT_MATTER_MAX_CHARS = 20_000


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4, FRONT_MATTER_MAX_CHARS)
    if end < 0:
        return {}, text
    import yaml  # only texts with front matter pay for the import

    try:
        data = yaml.load(text[4:end], Loader=_plain_scalar_loader())
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return {}, text  # not front matter after all: the text stays as it is
    if not isinstance(data, dict):
        return {}, text
    rest = text[end + 4 :].split("\n", 1)
    meta: dict[str, str] = {}
    for k, v in data.items():
        if isinstance(k, str) and k.lower() in _KEYS and isinstance(v, str | int | float) and v:
            _keep(meta, _KEYS[k.lower()], str(v)[:META_VALUE_CHARS])
    return meta, rest[1] if len(rest) > 1 else ""


def _keep(meta: dict[str, str], key: str, value: str) -> None:
    """The first value of each key, but for the link the first that is a web address: "source :
    AFP" names an agency, and the `url:` line beside it is the link."""
    if key not in meta or (key == "url" and not web_address(meta[key]) and web_address(value)):
        meta[key] = value


@cache
def _plain_scalar_loader() -> type:
    """YAML's safe loader, reading dates and times as the strings they are written as:
    `normalise_date` judges them, so `date: 2023-13-01` is no date rather than an error."""
    import yaml

    class PlainScalarLoader(yaml.SafeLoader):
        def compose_node(self, parent, index):
            # An alias repeats what its anchor names: nested, a few hundred bytes of front
            # matter would expand to gigabytes. Front matter has no use for them.
            if self.check_event(yaml.events.AliasEvent):
                raise yaml.YAMLError("aliases are not read in front matter")
            return super().compose_node(parent, index)

    PlainScalarLoader.yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return PlainScalarLoader


def _metadata_lines(text: str) -> tuple[dict[str, str], str]:
    meta: dict[str, str] = {}
    lines = text.split("\n")
    consumed = 0
    for line in lines:
        if not line.strip() and meta:
            consumed += 1
            break
        match = _META_LINE.match(line)
        if not match:
            break
        _keep(meta, _KEYS[match[1].lower()], match[2])
        consumed += 1
    return meta, "\n".join(lines[consumed:])


def _title_from_name(name: str | None) -> str | None:
    """A file's name as a title ("la-piscine-rouvre.txt": "La piscine rouvre"), cleaned as its text
    is: a name sent through Telegram may hold anything, and one of invisible or control characters
    alone ("\u200b.txt") made an article whose title showed nothing. None for a name without a word."""
    if not name:
        return None
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name.rsplit("/", 1)[-1])
    words = " ".join(re.sub(r"[_\-]+", " ", normalise_whitespace(stem)).split())
    if not any(character.isalnum() for character in words):
        return None
    words = re.sub(r"\s+\d{4}(?:\s+\d{1,2}){0,2}$", "", words) or words  # a trailing date is metadata
    return words[:1].upper() + words[1:] if words else None


def _title_from_text(blocks: list[Block]) -> str:
    """The first block's first twelve words, "…" after them when they stop mid-sentence."""
    words = blocks[0].text.split()
    title = " ".join(words[:12])
    return title + "…" if len(words) > 12 and not ENDS_SENTENCE.search(title) else title


def parse_text(text: str, *, name: str | None = None, source: str | None = None) -> Document:
    """Parse a text or Markdown article with optional leading metadata."""
    text = normalise_whitespace(text).strip("\n")
    meta, body = _front_matter(text)
    if not meta:
        meta, body = _metadata_lines(text)
    title = meta.get("title")
    first_line, _, rest = body.lstrip("\n").partition("\n")
    # Metadata lines under a title line ("La piscine rouvre\ndate: 2024-06-12\n\n…"), as a head
    # is typed in a chat: the title's metadata, not a wrapped sentence going on in lower case.
    below, below_removed = _metadata_lines(rest) if not meta else ({}, rest)
    # A first line that a line in lower case goes on from is a wrapped sentence's start, not a title.
    goes_on = rest[:1].islower() and not below and not MARKDOWN_HEADING.match(first_line.strip())
    if (
        not title
        and rest.strip()
        and is_heading(first_line.strip())
        and not goes_on
        and not _INLINE_DATE.match(first_line)
    ):
        title, body = MARKDOWN_HEADING.sub(r"\1", first_line.strip()), below_removed
        meta = below
    if inline := _INLINE_DATE.match(body.lstrip("\n")):
        meta.setdefault("date", inline[1])
        body = body.lstrip("\n")[inline.end() :]
    blocks = clean_blocks(body)
    # A paragraph of words: "?" or "... !!!" (an /ingest typed by mistake) was added as an article
    # titled "?", and every other text without a letter or a digit then said to be in the library
    # already, as the same text of no words.
    if not any(block.kind == "paragraph" and any(c.isalnum() for c in block.text) for block in blocks):
        # Not "empty" when it holds words: a title alone ("Photo : AFP", "Juste un mot").
        raise EmptyInput(
            "aucun paragraphe d'article dans ce texte (il est vide, n'a qu'un titre, ou ne contient aucun mot)"
        )
    title = title or _title_from_name(name) or _title_from_text(blocks)
    return Document(
        title=title.strip(),
        blocks=tuple(blocks),
        date=normalise_date(meta.get("date")),
        author=meta.get("author"),
        url=web_address(meta.get("url")),
        source=source,
    )


def web_address(value: str | None) -> str | None:
    """`value` when it is a web page's address: "source : AFP" names an agency, not a page
    (as a link it would be none, and every dispatch so marked would share one), nor is
    "http://exemple.fr/a b" (a space, a control character, `"`, `<` or `>` end a link in
    every text that shows it, and Telegram drops such a link)."""
    value = (value or "").strip()
    if value.lower().startswith("www."):
        value = "https://" + value
    if _NOT_IN_LINKS.search(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:  # "http://[castor": no address Python can even split
        return None
    return value if parts.scheme.lower() in ("http", "https") and parts.netloc else None


_NOT_IN_LINKS = re.compile(r'[\s\x00-\x1f\x7f"<>]')


def _page_address(stated: str | None, fetched_from: str | None) -> str | None:
    """The address a page states for itself (`og:url`, canonical link), made absolute against
    where it was fetched from; None when it is no web address ("/castor" alone, "http://[")."""
    if not stated:
        return None
    try:
        return web_address(urljoin(fetched_from, stated) if fetched_from else stated)
    except ValueError:
        return None


# trafilatura's options, chosen by measuring on real news pages (README, "Article formats"):
# favor_precision dropped text after empty inline tags and whole paragraphs; favor_recall
# kept every answer of the development pages, and the cleaning removes what it lets in.
# A page's stated article text (JSON-LD `articleBody`) is read instead of what the extractor
# found only when it is this long at least and twice as long as that.
MIN_STATED_BODY_WORDS = 50
# trafilatura's own rules first (`fast`); its fallback extractors only for a page they read
# fewer words of than this, and only when those read twice as many.
FAST_EXTRACTION_WORDS = 200
# A paragraph this long that a longer one holds word for word repeats it (a pull quote).
PULL_QUOTE_WORDS = (5, 40)
PULL_QUOTE_REACH = 12  # blocks on either side of a short paragraph where its source may be
_WORDS = re.compile(r"\w+")
_TIME_ELEMENT = re.compile(r"<time\b", re.IGNORECASE)
HEADING_MAX_WORDS = 16  # a heading the page marks is one up to this long
EXTRACTION_OPTIONS = {
    "include_comments": False,
    "include_tables": False,
    "favor_precision": False,
    "favor_recall": True,
}


# Attributes one tag may carry. lxml (libxml2) compares each attribute of a tag with the ones
# before it: a tag of 40,000 attributes (a page of 350 KB) took 37 s to parse, and a page is
# parsed several times, on one of the two threads that add articles for everyone. A page's
# tags carry a few dozen at most.
MAX_TAG_ATTRIBUTES = 256
# A start tag with all its attributes, and one attribute: each part read once (possessive
# quantifiers, no backtracking), and a tag read whole before the search goes on past it.
_ATTRIBUTE = r"""[\s/]*+[^\s/>"'=]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>"']++))?+"""
_START_TAG = re.compile(rf"""<(?P<name>[A-Za-z][^\s/>"'=]*+)(?:{_ATTRIBUTE})*+""")
_ONE_ATTRIBUTE = re.compile(_ATTRIBUTE)
_SHORTEST_ATTRIBUTE = 2  # a letter and the space before it


def check_tag_attributes(html: str) -> None:
    """Refuses a page with a tag of more than `MAX_TAG_ATTRIBUTES` attributes, in time linear
    in its length, before a parser spends minutes on it."""
    for tag in _START_TAG.finditer(html):
        if tag.end() - tag.start() > MAX_TAG_ATTRIBUTES * _SHORTEST_ATTRIBUTE:
            attributes = sum(1 for _ in _ONE_ATTRIBUTE.finditer(html, tag.end("name"), tag.end()))
            if attributes > MAX_TAG_ATTRIBUTES:
                raise UnsupportedInput(
                    f"cette page n'est pas lisible comme un article : une de ses balises porte "
                    f"{french(attributes)} attributs (au plus {MAX_TAG_ATTRIBUTES})"
                )


def is_heavy_page(html: str, limits: ReadingLimits = READING_LIMITS) -> bool:
    """Whether reading `html` may take long enough to need a time limit (`ReadingLimits.page_*`)."""
    if len(html) <= limits.page_chars and html.count("<") <= limits.page_tags:
        return False
    if len(html) > limits.page_all_chars:
        return True
    chars, tags = parsed_markup(html)
    return chars > limits.page_chars or tags > limits.page_tags


_UNPARSED_OPENING = re.compile(r"<(script|style)\b", re.IGNORECASE)
_UNPARSED_END = {"script": re.compile(r"</script", re.IGNORECASE), "style": re.compile(r"</style", re.IGNORECASE)}


def parsed_markup(html: str) -> tuple[int, int]:
    """The characters and "<" of `html` its reader parses: all but the bodies of its scripts
    and styles, JSON-LD's apart. Without a parse, each character looked at once or twice: an
    opening never closed ends the count, the rest counted."""
    chars = tags = at = 0
    while (opening := _UNPARSED_OPENING.search(html, at)) is not None:
        body = html.find(">", opening.end()) + 1
        if body == 0:
            break
        ending = _UNPARSED_END[opening[1].lower()].search(html, body)
        if ending is None:
            break
        parsed = ending.start() if "ld+json" in html[opening.end() : body].lower() else body
        chars += parsed - at
        tags += html.count("<", at, parsed)
        at = ending.start()
    return chars + len(html) - at, tags + html.count("<", at)


def parse_html(
    html: str,
    *,
    url: str | None = None,
    source: str | None = None,
    checkpoint: Checkpoint | None = None,
    limits: ReadingLimits = READING_LIMITS,
) -> Document:
    """Main text of a web page, without navigation, banners and footers, with the title,
    date and byline its publisher states (`index.metadata`). A heavy page (`is_heavy_page`)
    is read in a process of its own, given up past `limits`' time or memory with a French
    refusal; `checkpoint` is called as it is read (what it raises ends the reading)."""
    if not is_heavy_page(html, limits):
        return read_page(html, url=url, source=source)
    answer = read_in_own_process(
        "page",
        html.encode("utf-8", "surrogatepass"),
        {"url": url, "source": source},
        too_long="cette page est trop longue à lire (plus de {seconds} secondes) : elle ne peut pas être un article",
        too_heavy="cette page est trop lourde à lire (plus de {memory} octets de mémoire) : "
        "elle ne peut pas être un article",
        checkpoint=checkpoint,
        limits=limits,
    )
    stated = answer["document"]
    return Document(**{**stated, "blocks": tuple(Block(**block) for block in stated["blocks"])})


def read_page(html: str, *, url: str | None = None, source: str | None = None) -> Document:
    """`parse_html`'s reading, in this process, however long it takes."""
    check_tag_attributes(html)
    marked = _without_footnote_calls(_ORDINAL_SUPERSCRIPT.sub(r"\1", html))
    page_tree = marked
    # Each step rewrites what trafilatura would misread, on the tree the one before it parsed.
    for step in (
        _with_dates_in_text_kept,
        _gallery_captions_as_text,
        _without_author_boxes,
        _data_tables_as_paragraphs,
        _chapter_numbers_apart,
        _key_figures_as_sentences,
        _definition_lists_as_rows,
    ):
        page_tree = step(page_tree)
    extracted = _extracted(page_tree, url, fast=True)
    text = _text_of(extracted)
    if len(text.split()) < FAST_EXTRACTION_WORDS:
        # trafilatura's other extractors, for a page its own rules read little of; they keep
        # boxes those rules drop (a newsletter's, an author's bio), so only when they read far more.
        slow = _extracted(page_tree, url, fast=False)
        if len(_text_of(slow).split()) >= 2 * max(len(text.split()), 1):
            extracted, text = slow, _text_of(slow)
    page = page_metadata(html, url)
    if page.body and (
        _squeezed(text) == _squeezed(page.body)  # the extractor's reading of it, run into one paragraph
        or (len(page.body.split()) >= MIN_STATED_BODY_WORDS and len(text.split()) * 2 < len(page.body.split()))
    ):
        # The article as the page states it, a paragraph a line, rather than run together, or
        # rather than a teaser when the page shows little of it (drawn by a script, cut short).
        text = page.body
    if not text:
        raise EmptyInput("aucun texte d'article n'a été trouvé dans cette page (page affichée par JavaScript ?)")
    # A line break inside a sentence (a <br> before a word in lower case) joins its two halves;
    # any other line break is a paragraph's end.
    body = re.sub(r"\n+", "\n\n", _BROKEN_SENTENCE.sub(" ", text))
    body = _headings_marked(body, _marked_headings(extracted))
    body = _from_the_headline(body, page.title or (extracted and extracted.title))
    if page.lead and _squeezed(page.lead[:80]) not in _squeezed(body):
        body = f"{page.lead}\n\n{body}"  # the standfirst the extractor left out
    document = parse_text(body, source=source)
    byline = clean_byline(extracted.author) if extracted is not None and extracted.author else None
    if byline and page.site_name and _same_words(byline, page.site_name):
        byline = None  # the publisher, not a person
    title = (page.title or (extracted and extracted.title) or document.title).strip()
    author = page.author or byline or document.author or opening_byline(body)
    # The headline and the byline repeated inside the text are not text; nor is the byline as the
    # page writes it, with the agency its names run into ("Marie Roy, La Presse Canadienne").
    repeated = {_squeezed(v) for v in (title, author, *(author or "").split(", ")) if v}
    blocks = (
        tuple(b for b in document.blocks if _squeezed(b.text) not in repeated and not _is_byline_of(b.text, author))
        or document.blocks
    )
    blocks = _without_pull_quotes(blocks)
    return replace(
        document,
        blocks=blocks,
        title=title,
        date=_publication_day(page) or stated_date(extracted and extracted.date, html) or document.date,
        author=author,
        url=_page_address(page.url, url)
        or _page_address(extracted and extracted.url, url)
        or web_address(url)  # "javascript:…" from a feed's entry is no page to link to
        or document.url,
    )


def _tree_to_change(page, marker: re.Pattern[str]):
    """The parsed tree of `page` (a page's text, or the tree an earlier step already parsed and
    changed) for a step that rewrites some of its elements; None where that step has nothing to
    do: text without `marker` is not parsed (most pages have no gallery, no author box, no
    table), and text the parser cannot read is left as it is. Each step gives back the text
    untouched unless it changed the tree, so a page no step changes reaches the extractor as text."""
    if not isinstance(page, str):
        return page
    if not marker.search(page):
        return None
    import trafilatura

    return trafilatura.load_html(page)


def _with_dates_in_text_kept(html: str):
    """The page (its text, or its parsed tree when it has to change) with every `<time>` that
    sits in a sentence, or stands alone as a time of day, made an ordinary element: trafilatura
    deletes `<time>` elements with their words, meant for datelines, and "se tiendra le
    <time>12 avril</time> à Paris" lost its date, a live report its entries' times ("16h45":
    `index.cleaning.clean_blocks` keeps them only where there are several). A `<time>` among
    few words of its own ("Le <time>…</time>", "Mis en ligne le <time>…</time>": a dateline,
    a byline's date) is left to it. A time of day alone in a live entry's box becomes a
    paragraph: trafilatura's own rules drop a few inline words that are not in one."""
    tree = _tree_to_change(html, _TIME_ELEMENT)
    if tree is None:
        return html
    words_beside: dict[object, int] = {}  # a parent's own words, counted once however many dates it holds
    kept: list[tuple[object, str]] = []
    for element in tree.iter("time"):
        parent = element.getparent()
        if parent is None:
            continue
        if parent not in words_beside:
            own_text = [parent.text or "", *(child.tail or "" for child in parent)]
            words_beside[parent] = sum(len(_WORDS.findall(part)) for part in own_text)
        words = words_beside[parent]
        if words >= SENTENCE_AROUND_A_DATE_WORDS:
            kept.append((element, "span"))
        elif words == 0 and CLOCK_TIME.match(" ".join((element.text or "").split())):
            kept.append((element, "span" if parent.tag in _TEXT_BLOCKS else "p"))
    for element, tag in kept:
        element.tag = tag
    return tree if kept else html


_FIGCAPTION = re.compile(r"<figcaption\b", re.IGNORECASE)
_CREDIT_CLASS = re.compile(r"credit|copyright|source|photographer|author|auteur", re.IGNORECASE)
_SLIDE_BLOCKS = (".//p", ".//div", ".//h2", ".//h3", ".//li")


def _gallery_captions_as_text(page):
    """The page (its text or its parsed tree) with each figure made the paragraphs of its caption,
    without the caption's credit element, when its captions say more than its paragraphs: a
    photo gallery ("EN IMAGES", "diaporama") tells its story in them. trafilatura deletes
    `<figure>` whole, and what it then fell back to ran the headline, the slides' counters,
    captions and credits into one paragraph. An article's few captions stay out (its credits,
    its pictures' addresses)."""
    tree = _tree_to_change(page, _FIGCAPTION)
    if tree is None:
        return page
    captions = [figure.find(".//figcaption") for figure in tree.iter("figure")]
    captions = [caption for caption in captions if caption is not None]
    credits = [e for c in captions for e in c.iterdescendants() if _CREDIT_CLASS.search(e.get("class") or "")]
    told = sum(len(_WORDS.findall(c.text_content())) for c in captions) - sum(
        len(_WORDS.findall(credit.text_content())) for credit in credits
    )
    written = sum(len(_WORDS.findall(p.text_content())) for p in tree.xpath("//body//p[not(ancestor::figure)]"))
    if told <= written:
        return page
    for credit in credits:
        credit.drop_tree()
    for caption in captions:
        figure = next(a for a in caption.iterancestors() if a.tag == "figure")
        caption.tag = "div" if any(caption.find(path) is not None for path in _SLIDE_BLOCKS) else "p"
        caption.tail = figure.tail
        figure.getparent().replace(figure, caption)
    return tree


# An author box's class (WordPress themes and plugins such as Simple Author Box, news sites' own):
# the author's photo, bio and links, the same under each of their articles.
_AUTHOR_BOX_CLASS = re.compile(
    r"author[-_]?(?:box|card|wrap|widget|about)|about[-_]?(?:the[-_]?)?author|saboxplugin-wrap", re.IGNORECASE
)
_AUTHOR_BOX_ELEMENTS = ("div", "section", "aside")
# An article's information list (Joomla's `article-info` <dl>: "Détails", "Écrit par :", "Catégorie :",
# "Publication :", "Affichages : 312"): what the page says about its article, never the article.
_ARTICLE_INFO_CLASS = re.compile(r"(?:^|\s)article-info(?:\s|$)", re.IGNORECASE)
_BOX_MARKER = re.compile(f"{_AUTHOR_BOX_CLASS.pattern}|article-info", re.IGNORECASE)  # in the page's text


def _without_author_boxes(page):
    """The page (its text or its parsed tree) without its author boxes (`_AUTHOR_BOX_CLASS`) and its
    article's information list (`_ARTICLE_INFO_CLASS`): a WordPress theme sets an author box inside its
    `entry-content`, where trafilatura reads its bio ("Journaliste à … depuis 2019, … suit la vie
    municipale") as the article's last paragraph; Joomla's list ran "Écrit par : …", "Catégorie :
    Actualités", "Affichages : 312" after the text. The byline and the date are read from the page
    itself (`index.metadata`), not from this tree."""
    tree = _tree_to_change(page, _BOX_MARKER)
    if tree is None:
        return page
    boxes = [
        element
        for element in tree.iter(*_AUTHOR_BOX_ELEMENTS, "dl")
        if _AUTHOR_BOX_CLASS.search(element.get("class") or "")
        or (element.tag == "dl" and _ARTICLE_INFO_CLASS.search(element.get("class") or ""))
    ]
    for box in boxes:
        if box.getparent() is not None:
            box.drop_tree()
    return tree if boxes else page


_TABLE = re.compile(r"<table\b", re.IGNORECASE)
# What a layout table's cells hold (an older site's page laid out in a table: its menu, its
# columns, its article) and a data table's never do.
_LAYOUT_IN_CELL = ".//table | .//td//p | .//td//div | .//td//ul | .//td//ol | .//td//br | .//td//h1 | .//td//h2"


def _data_tables_as_paragraphs(page):
    """The page (its text or its parsed tree) with each data table (a header row or a caption,
    cells of a few words: an election's results, a budget's lines) made a paragraph per row
    (`index.cleaning.table_row`): trafilatura leaves tables out, and a results table is often
    the only place a figure is stated ("4 127" votes). A table that lays out the page (cells of
    paragraphs, tables inside tables) is left to the extractor as before: read whole, it ran the
    site's menu and columns into the text."""
    from lxml.etree import SubElement

    tree = _tree_to_change(page, _TABLE)
    if tree is None:
        return page
    data_tables = [
        table
        for table in tree.iter("table")
        if table.find(".//th") is not None or table.find("caption") is not None
        if not table.xpath(_LAYOUT_IN_CELL)
    ]
    for table in data_tables:
        # Its caption a line of its own (a heading, by its shape), its rows a list's items: an
        # item is a paragraph whatever its shape, where a row's few words would read as a heading.
        replacement = table.makeelement("div", {})
        caption = table.find("caption")
        if caption is not None:
            SubElement(replacement, "p").text = " ".join(caption.text_content().split())
        rows = SubElement(replacement, "ul")
        for row in table.iter("tr"):
            if text := table_row([" ".join(cell.text_content().split()) for cell in row.xpath("th|td")]):
                SubElement(rows, "li").text = text
        replacement.tail = table.tail
        table.getparent().replace(table, replacement)
    return tree if data_tables else page


_TERM = re.compile(r"<dt\b", re.IGNORECASE)
TERM_WORDS = 8  # a term a description list names: a year, a date, "Horaires", "Tarifs"


def _definition_lists_as_rows(page):
    """The page (its text or its parsed tree) with each description list (`<dl>`: a "Repères"
    chronology's years and events, a box's "Horaires" and hours) made a list of its rows, each
    term and its description one item ("1984 – Mise en service du barrage."), as a table's row
    (`index.cleaning.table_row`): trafilatura made each an item of its own, and a quote of the
    event lost its year."""
    from lxml.etree import SubElement

    tree = _tree_to_change(page, _TERM)
    if tree is None:
        return page
    lists = []
    for terms in tree.iter("dl"):
        rows: list[list[str]] = []
        for part in terms:
            text = " ".join(part.text_content().split()) if isinstance(part.tag, str) else ""
            if part.tag == "dt" and len(text.split()) <= TERM_WORDS:
                rows.append([text])
            elif part.tag == "dd" and rows:
                rows[-1].append(text)
            elif isinstance(part.tag, str):
                break  # a term too long, or a list that opens on a description: left as it is
        else:
            if rows and all(len(row) > 1 for row in rows):
                # An article's details set as a list ("Temps de lecture" – "3 min", "Publié le" – "2 décembre
                # 2026"): furniture read as its box shows it, which the noise rules know, not once joined.
                lists.append((terms, [row for row in rows if not is_noise(f"{row[0]} : {' '.join(row[1:])}")]))
    for terms, rows in lists:
        replacement = terms.makeelement("ul", {})
        for row in rows:
            SubElement(replacement, "li").text = table_row(row)
        replacement.tail = terms.tail
        terms.getparent().replace(terms, replacement)
    return tree if lists else page


# A key figure: its value in an element of its own ("12 000", "128 millions", "+15 %"), then its label
# in the next, going on in lower case ("habitants vivent en zone inondable"). The marker finds a value
# element closed right before another opens, each part read once, up to a bound.
_KEY_FIGURE_MARKER = re.compile(r">\s*+[+-]?\d[^<]{0,30}+</[a-z]++>\s*+<[a-z]++\b", re.IGNORECASE)
_FIGURE_VALUE = re.compile(r"^[+-]?\d[\d\s,.]*(?:\s*%|\s*€|\s+[^\W\d]+){0,2}$")
_KEY_FIGURE_PARTS = frozenset({"div", "span", "p", "strong", "b", "em"})
KEY_FIGURE_LABEL_WORDS = 25


def _key_figures_as_sentences(page):
    """The page (its text or its parsed tree) with each key figure made one paragraph, its value
    then its label ("12 000 habitants vivent en zone inondable en aval"), as a reader reads the box
    ("Chiffres clés"): trafilatura drops the two short <div>s, and the figure with them, often
    stated nowhere else in the article."""
    tree = _tree_to_change(page, _KEY_FIGURE_MARKER)
    if tree is None:
        return page
    figures = []
    for box in tree.iter("div"):
        parts = list(box)
        if len(parts) != 2 or (box.text or "").strip() or any(p.tag not in _KEY_FIGURE_PARTS for p in parts):
            continue
        # The value's own text first: a label's words are read only after a figure (each <div> of a
        # deep page holds the text of all those it wraps).
        value = " ".join((parts[0].text or "").split())
        if len(parts[0]) or not _FIGURE_VALUE.match(value):
            continue
        label = " ".join(parts[1].text_content().split())
        if label[:1].islower() and len(label.split()) <= KEY_FIGURE_LABEL_WORDS:
            figures.append((box, f"{value} {label}"))
    for box, sentence in figures:
        for part in list(box):
            box.remove(part)
        box.tag, box.text = "p", sentence
    return tree if figures else page


# A heading that opens on a chapter's number ("1", "II"), in an element of its own or before one
# that holds the title: "<h2><span class="chapitre__number">1</span> Le recul</h2>". Each tag's
# attributes read once, up to a bound (possessive quantifiers), in time linear in the page.
_CHAPTER_MARK = r"(?:\d{1,2}|[IVXL]{1,6})\.?"
_NUMBERED_HEADING = re.compile(
    rf"<h[2-6]\b[^>]{{0,300}}+>\s*+(?:<[a-z]++\b[^>]{{0,300}}+>\s*+)?{_CHAPTER_MARK}\s*+<", re.IGNORECASE
)
_CHAPTER_NUMBER = re.compile(rf"^{_CHAPTER_MARK}$")
_HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6")


def _chapter_numbers_apart(page):
    """The page (its text or its parsed tree) with each chapter's number set apart from its
    heading's title, as the page shows it (the number large, above or beside the title; its menu
    "1. Le recul"): the extractor runs the two into one line, « 1 Le recul », or « 1Le recul ».
    The number is the heading's own text before an element, or its first element's whole text;
    the title after it opens on a capital (a count, "3 questions à …", is the heading's words).
    Chapters are numbered in sequence from the first (1, 2, … or I, II, …), two at least: a
    heading's count set apart in bold ("<strong>8</strong> Français sur 10 se disent inquiets")
    is its words, not a chapter's number, on a page of chapters too."""
    tree = _tree_to_change(page, _NUMBERED_HEADING)
    if tree is None:
        return page
    numbered = []
    for heading in tree.iter(*_HEADING_TAGS):
        if not len(heading) or not isinstance(heading[0].tag, str):
            continue
        own = (heading.text or "").strip()
        number = own or " ".join(heading[0].text_content().split())
        title = " ".join(heading.text_content().split())[len(number) :].strip()
        if _CHAPTER_NUMBER.match(number) and title[:1].isupper():
            numbered.append((heading, number, None if own else heading[0]))
    chapters = [numbered[at] for at in numbered_in_sequence([number.rstrip(".") for _, number, _ in numbered])]
    for heading, number, holder in chapters:
        mark = f"{number.rstrip('.')}."
        if holder is None:
            heading.text = f"{mark} "
        else:
            tail = holder.tail
            holder.clear()
            holder.text, holder.tail = mark, " " + (tail or "").lstrip()
    return tree if chapters else page


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
CHAPTERS_IN_SEQUENCE = 2


def chapter_value(mark: str) -> tuple[str, int]:
    """A chapter's number as its kind ("arabic" or "roman") and its value: "12" is 12, "IV" is 4."""
    if mark.isdigit():
        return "arabic", int(mark)
    values = [_ROMAN[letter] for letter in mark.upper()]
    return "roman", sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))


def numbered_in_sequence(marks: list[str]) -> list[int]:
    """The positions of those of `marks` (chapters' numbers, in the page's order) that number
    them 1, 2, 3… (or I, II, III…), each the next after the one before, left out those between
    that break the count; none unless there are `CHAPTERS_IN_SEQUENCE` at least."""
    expected: dict[str, int] = {}
    runs: dict[str, list[int]] = {}
    for at, mark in enumerate(marks):
        kind, value = chapter_value(mark)
        if value == expected.get(kind, 1):
            expected[kind] = value + 1
            runs.setdefault(kind, []).append(at)
    return sorted(at for run in runs.values() if len(run) >= CHAPTERS_IN_SEQUENCE for at in run)


_TEXT_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dt", "dd", "blockquote"})


def _extracted(page, url: str | None, *, fast: bool):
    import trafilatura

    return trafilatura.bare_extraction(
        page,
        url=url,
        with_metadata=True,
        fast=fast,
        deduplicate=False,  # trafilatura's dedup cache is process-wide: a page seen twice would come back empty
        **EXTRACTION_OPTIONS,
    )


def _text_of(extracted) -> str:
    return (extracted.text or "").strip() if extracted is not None else ""


# An ordinal's ending set in superscript ("1<sup>er</sup> décembre", "XIX<sup>e</sup> siècle"),
# which trafilatura sets apart on a line of its own ("1\ner\ndécembre"): written as one word.
_ORDINAL_SUPERSCRIPT = re.compile(r"(?<=[\dIVXLC])<sup>\s*(er|re|ers|res|e|es|ème|èmes|nd|nde|nds|ndes)\s*</sup>", re.I)
# A footnote call: a number in superscript linking to its note further down the page ("71 500
# logements en 2025<sup><a href="#note-1">1</a></sup>", or the link around the <sup>). The
# extractor runs it into the word before it ("en 20251", "un logement social3"), which no
# reader sees and no quote should say. A superscript without such a link (m<sup>2</sup>,
# 10<sup>6</sup>) is an exponent and stays. Each tag's attributes are read once, up to a bound
# (possessive quantifiers), so a page of thousands of unclosed tags is read in linear time.
_NOTE_NUMBER = r"\s*+\[?\d{1,3}\]?\s*+"
_FOOTNOTE_CALL = re.compile(
    rf"<sup\b[^>]{{0,200}}+>\s*+<a\b(?P<inner>[^>]{{0,400}}+)>{_NOTE_NUMBER}</a>\s*+</sup>"
    rf"|<a\b(?P<outer>[^>]{{0,400}}+)>\s*+<sup\b[^>]{{0,200}}+>{_NOTE_NUMBER}</sup>\s*+</a>",
    re.IGNORECASE,
)
_IN_PAGE_LINK = re.compile(r"""\bhref\s*=\s*["']?#""", re.IGNORECASE)


def _without_footnote_calls(html: str) -> str:
    """`html` without its footnote calls (`_FOOTNOTE_CALL` linking within the page)."""
    return _FOOTNOTE_CALL.sub(
        lambda call: "" if _IN_PAGE_LINK.search(call["inner"] or call["outer"]) else call[0], html
    )


SENTENCES_WORDS = 12  # a paragraph of the article's own: this many words at least, and a full stop


def _from_the_headline(body: str, headline: str | None) -> str:
    """`body` from the headline on when what the extractor read before it is only short lines:
    a page laid out in a table (an older site's) is read whole, its menu and side column
    ("Guéret | Aubusson | Nécrologie", "Dernières infos", "Météo") before its headline.
    Kept when a paragraph of sentences comes before it (a standfirst set above the headline)."""
    if not headline:
        return body
    paragraphs = body.split("\n\n")
    wanted = _squeezed(headline)
    at = next((i for i, p in enumerate(paragraphs) if _squeezed(MARKDOWN_HEADING.sub(r"\1", p)) == wanted), 0)
    before = paragraphs[:at]
    if any(len(p.split()) >= SENTENCES_WORDS and ENDS_SENTENCE.search(p) for p in before):
        return body
    return "\n\n".join(paragraphs[at:])


def _marked_headings(extracted) -> set[str]:
    """The texts the page marks as headings (`<h2>`… in its article, trafilatura's `head`):
    French intertitles often end like sentences (« … », "?"), which the shape of a line
    alone would take for paragraphs (`index.cleaning.is_heading`)."""
    body = getattr(extracted, "body", None) if extracted is not None else None
    if body is None:
        return set()
    texts = {" ".join("".join(head.itertext()).split()) for head in body.iter("head")}
    # A standfirst set in an <h2> (L'Opinion's) is a paragraph: headings are short.
    return {text for text in texts if 0 < len(text.split()) <= HEADING_MAX_WORDS}


def _headings_marked(body: str, headings: set[str]) -> str:
    """`body` with each paragraph that is one of `headings` written as a Markdown heading."""
    if not headings:
        return body
    return "\n\n".join(
        f"## {paragraph}" if " ".join(paragraph.split()) in headings else paragraph for paragraph in body.split("\n\n")
    )


_UTC_TIME = re.compile(r"T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]00:?00)$", re.IGNORECASE)


def _publication_day(page: PageMetadata) -> str | None:
    """The day the page states, from its markup, else from the dateline it shows its reader
    ("Publié le 3 décembre 2026 à 14h05"): before the extractor's guess, which may be a
    related post's date or the modification time. A time stated in UTC gives the day of
    the dateline when they are a day apart: 23:30 UTC is already the next day in Paris."""
    stated = normalise_date(page.date)
    if stated and page.dateline and len(stated) == 10 and _UTC_TIME.search(page.date.strip()):
        apart = abs((Date.fromisoformat(stated) - Date.fromisoformat(page.dateline)).days)
        return page.dateline if apart == 1 else stated
    return stated or page.dateline


def stated_date(found: str | None, html: str) -> str | None:
    """The date trafilatura found for a page whose markup states none, unless it is a bare year
    taken for 1 January: htmldate's last resort reads a copyright line ("© 2024") or any year
    in the page (an archive's banner, "Starting in 1996") as that day, which the reader would
    then see as the article's date. Kept when the page does say 1 January of that year."""
    date = normalise_date(found)
    if date is None or not date.endswith("-01-01"):
        return date
    year = date[:4]
    space = r"(?:\s|&nbsp;|&#160;|\xa0)+"
    said = (
        rf"\b(?:1(?:er)?{space}janvier{space}{year}|0?1[/.]0?1[/.]{year}|{year}-01-01"
        rf"|January{space}1,?{space}{year})\b"
    )
    return date if re.search(said, html, re.IGNORECASE) else None


BYLINE_WORDS = 12  # a byline line is short: "Par Jean Dupont et Marie Curie, La Presse Canadienne"


def _is_byline_of(block: str, author: str | None) -> bool:
    return bool(author) and len(block.split()) <= BYLINE_WORDS and byline_names(block) == author


def _without_pull_quotes(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """`blocks` without the short paragraphs that only repeat words of a longer one: a pull
    quote set large beside the paragraph it comes from (« … » in a blockquote, an aside, an
    "exergue"), which would be found, and quoted, twice. Looked for among the
    `PULL_QUOTE_REACH` blocks on either side only: a pull quote sits beside its source, and a
    page of thousands of short paragraphs is read in time proportional to its length."""
    squeezed = [_squeezed(b.text) for b in blocks]
    said = [_WORDS.findall(b.text.casefold()) for b in blocks]
    words = [frozenset(each) for each in said]

    def nearby(at: int) -> range:
        return range(max(at - PULL_QUOTE_REACH, 0), min(at + PULL_QUOTE_REACH + 1, len(blocks)))

    def repeats_another(at: int) -> bool:
        mine, text = words[at], squeezed[at]
        quoted = blocks[at].text[:1] in '«“"' and len(mine) >= 8
        for i in nearby(at):
            if i == at or len(squeezed[i]) <= len(text):
                continue
            if text in squeezed[i]:  # word for word inside a longer block
                return True
            # « … » edited from a longer paragraph: its words in their order, all but one
            if quoted and len(mine - words[i]) <= 1 and _in_order_but_one(said[at], said[i]):
                return True
        return False

    low, high = PULL_QUOTE_WORDS
    kept = tuple(
        block
        for at, block in enumerate(blocks)
        if block.kind != "paragraph" or not low <= len(block.text.split()) <= high or not repeats_another(at)
    )
    return kept or blocks


def _in_order_but_one(quoted: list[str], source: list[str]) -> bool:
    """Whether `source` says the words of `quoted` in their order, all but one: a pull quote
    is cut from its paragraph ("[…]"), not a quote of its own that shares its words (« … dans
    500 villes », a précisé le ministre, after a paragraph on his figures)."""
    missed, at = 0, 0
    for word in quoted:
        try:
            at = source.index(word, at) + 1
        except ValueError:
            missed += 1
            if missed > 1:
                return False
    return True


def _squeezed(text: str) -> str:
    return re.sub(r"\W", "", text.casefold())


def _same_words(a: str, b: str) -> bool:
    return _squeezed(a) == _squeezed(b)


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)
