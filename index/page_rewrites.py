"""What trafilatura would misread in a page, rewritten before it reads it (`index.documents.read_page`):
ordinals and footnote calls in superscript, dates inside sentences, galleries' captions, author
boxes, data tables, chapter numbers, key figures and definition lists. Each step works on the
tree the step before it parsed, and a page no step changes reaches the extractor as its text."""

from __future__ import annotations

import re

from index.cleaning import CLOCK_TIME, is_noise, table_row
from index.metadata import SENTENCE_AROUND_A_DATE_WORDS

_WORDS = re.compile(r"\w+")
_TIME_ELEMENT = re.compile(r"<time\b", re.IGNORECASE)


def rewritten_for_extraction(html: str):
    """`html` as the extractor should read it: its text when no step changed the page, else
    the tree the steps changed."""
    page = _without_footnote_calls(_ORDINAL_SUPERSCRIPT.sub(r"\1", html))
    for step in (
        _with_dates_in_text_kept,
        _gallery_captions_as_text,
        _without_author_boxes,
        _data_tables_as_paragraphs,
        _chapter_numbers_apart,
        _key_figures_as_sentences,
        _definition_lists_as_rows,
    ):
        page = step(page)
    return page


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
