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
from index.calendar_words import FRENCH_MONTHS
from index.cleaning import (
    ENDS_SENTENCE,
    MARKDOWN_HEADING,
    Block,
    clean_blocks,
    is_credit_line,
    is_heading,
    join_blocks,
    normalise_whitespace,
    without_edge_credits,
)
from index.errors import EmptyInput, UnsupportedInput
from index.metadata import (
    PageMetadata,
    byline_names,
    clean_byline,
    opening_byline,
    page_metadata,
)
from index.numbers import french
from index.page_rewrites import rewritten_for_extraction

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
        and not is_credit_line(first_line.strip())  # "Avec AFP" opening a dispatch: no title
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
    page_tree = rewritten_for_extraction(html)
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
    # A credit line under them ("Par Jeanne Martin", then "Avec AFP") opens the text once they go.
    blocks = (
        tuple(
            without_edge_credits(
                [b for b in document.blocks if _squeezed(b.text) not in repeated and not _is_byline_of(b.text, author)]
            )
        )
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
