"""Turn an article body into clean blocks: paragraphs and section headings.

News text carries furniture that must never be quoted as an answer: photo credits
(`… Image : Philippe De Poulpiquet/MAXPPP/dpa`), bylines, "à lire aussi" and "en vidéo"
teasers, share, newsletter and subscription prompts, embedded tweets' signatures,
live-match fragments ("74'"), rubric labels glued to the first word. A caption's own
sentences are kept (they are often the only place a fact is stated: "Le ministre
allemand de la Défense Boris Pistorius a annoncé…"); only its credit goes. Section
headings stay in the text (they give context to what follows) but are marked so that
the chunker never makes a passage of them alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import partial
from typing import Literal

BlockKind = Literal["heading", "paragraph"]

# Format characters (Unicode category Cf) a text may carry unseen, copied from a page or typed
# by a keyboard: soft hyphen, zero widths, direction marks, embeddings, overrides and isolates,
# word joiner and invisible operators, byte-order mark. Inside a word they made it another one,
# which a question's could not find ("vo\u200fté"); a right-to-left override in an article
# showed its title and quotes backwards. A question's are taken off as an article's
# (`bot.chat_input.typed`).
INVISIBLE_FORMATS = "".join(
    map(
        chr,
        [
            0xAD,
            0x61C,
            *range(0x200B, 0x2010),
            *range(0x202A, 0x202F),
            *range(0x2060, 0x2065),
            *range(0x2066, 0x2070),
            0xFEFF,
        ],
    )
)
# Those, and control characters other than tab and line breaks: none is ever meant to be read,
# and a NUL would cut a stored passage short.
_CONTROLS = [*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F]
_INVISIBLE = dict.fromkeys([*map(ord, INVISIBLE_FORMATS), *_CONTROLS], None)
_SPACES = re.compile(r"[^\S\n]+")
_CREDIT = re.compile(
    r"(?:^|\s)\(?(?:Images?(?: d'illustration| illustrative)?|Photos?(?: d'illustration)?|Photographie|"
    r"Illustration|Crédits?(?: photo)?|Copyright|Source photo|Vidéo|Capture d'écran)\s*:\s*[^.!?]{0,160}$"
    r"|\s*©[^.!?]{0,160}$|(?:^|\s)\(?(?:AFP|Reuters|AP)\s*(?:PHOTO|/)\s*[^.!?]{0,80}\)?$"
    # A regional paper's or a blog's credit in brackets ending its caption: "(Photo DR)", "(photo de l'auteur)".
    # One that names no one, "(photos)", is the line's own word: a regional paper's mark that a
    # gallery goes with it ("Samedi, 3 000 personnes ont défilé à Granville (photos)"), whose line is text.
    r"|\s*\((?:photos?|crédits? photos?|illustration)\b\s*[:,.]?\s*[^()\s][^()]{0,79}\)$",
    re.IGNORECASE,
)
# What opens a link to another article: "À lire aussi", "Lire également" (a Drupal daily's box
# and paragraphs inside its text), a Belgian daily's "Lisez aussi", "Voir aussi", "Sur le même sujet".
# "Lisez" only before what a teaser box sets after it, a colon, a bar, a quote mark or a title's
# capital ("Lisez aussi Tram de Liège…"): "Lisez également les conditions générales…" is advice.
_TEASER = (
    r"(?:(?:(?:à|a) )?lire (?:aussi|également)|lisez (?:aussi|également)(?=\s*[:|«\"“]|\s+(?-i:[A-ZÀ-Þ]))|"
    r"voir (?:aussi|également)|sur le même sujet)"
)
# A byline that names the role before the names ("De notre correspondante à Bruxelles, Anne-Sophie
# Leclerc", "Par nos envoyés spéciaux à Kiev, …"): the role and its place, up to the comma.
ROLE_BEFORE_NAMES = (
    r"(?:de|par)\s+(?:notre|nos)\s+(?:envoyée?s?\s+spéci(?:ale?s?|aux)|correspondante?s?|reporters?)"
    r"(?:\s+(?:à|en|au|aux|dans|sur)\s+[^,]{1,40})?\s*,"
)
_LICENCE = re.compile(r"licen[cs]e creative commons|\bCC[ -]BY\b", re.IGNORECASE)
# How long a piece takes to read ("Lecture : 3 min"), or its video or episode to play after its
# dateline ("Diffusé le … · Durée : 2 min"; a "Durée : 90 min" of its own is a show's, in a box of dates).
_READING_TIME = r"(?:temps de )?lecture\s*:?\s*\d+\s*min"
_PLAYING_TIME = rf"(?:{_READING_TIME}|durée\s*:?\s*\d+\s*min)"
# The press agencies a dispatch names as its source, and a paper's name ("Le Parisien", "L'Équipe").
_AGENCY = r"(?:afp|reuters|ap|ansa|belga|dpa|ats|efe)"
_CREDITED = rf"(?:{_AGENCY}|(?-i:(?:Le|La|Les|L['’])\s*[A-ZÀ-Þ][\w-]+(?:\s+[A-ZÀ-Þ][\w-]+)?))"
_NOISE = re.compile(
    r"^[|•·]?\s*(?:"  # after the separator of a date the extractor dropped ("| Par Jeanne Martin")
    rf"{_TEASER}\b.*|"
    # "Article publié le mardi 24 …"; a television's or a radio's "Diffusé le 01/12/2026 19:20"
    r"(?:article )?(?:publié|mis à jour|modifié|actualisé|diffusée?)(?: le)?\s*:?\s+"
    r"(?:(?:lun|mar|mercre|jeu|vendre|same)di\s+|dimanche\s+)?\d.*|"
    # "Le 3 décembre 2026 à 14h05, modifié le …", "Le 05/12/2026 à 08:47": a dateline, where a
    # sentence goes on after the time ("Le 3 décembre 2026 à 14h05, la fusée a décollé.").
    r"le\s+(?:\d{1,2}(?:er)?\s+\w+\.?\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4})\s+à\s+\d{1,2}\s*[h:]\s*\d{2}"
    r"(?:\s*[,|–—-]?\s*(?:modifié|mis à jour|actualisé)\b.*)?|"
    rf"{_READING_TIME}.*|"
    r"\d{1,3}\s*min(?:\.|utes?)?\s+(?:de\s+)?lecture|"  # the same after its figure ("4 min de lecture")
    r"partager(?: sur| cet article| l'article)?\b.{0,40}|"
    # An ad slot's label, which an AMP page's `<amp-ad>` shows as its fallback text.
    r"(?:publicité|annonce|contenus? sponsorisés?)(?:\s*[-–—:|]?\s*la suite après cette publicité)?|"
    r"la suite après cette publicité|"
    r"se connecter|connectez-vous|s['’]identifier|"  # a site's login link, set in a box of its text
    r"suivez-nous\b.{0,120}|"  # calls to subscribe: `_PROMPT`, `_PROMPT_OPENING`
    # A byline: "Par Jeanne Martin, envoyée spéciale", "Par Jean Dupont et Marie Curie", "Par Maëlle
    # Guérin · Publié le" (its <time> dropped); names capitalised ("Par ailleurs, …" is text).
    r"par\s+(?:la\s+)?rédaction\b.{0,60}|"
    rf"{ROLE_BEFORE_NAMES}.{{0,60}}|"
    r"par\s+(?-i:[A-ZÀ-Þ][\w'’.\-]+(?:\s+(?:[A-ZÀ-Þ][\w'’.\-]+|de|du|des|le|la|et))*)\s*(?:[,|–—·•-].{0,60})?|"
    rf"\(?(?:avec )?{_AGENCY}(?:\s*(?:,|/|et)\s*{_AGENCY})*\)?|"
    # A dispatch's closing credit, "Source : AFP", "Sources : AFP, Reuters", "Source : Le Parisien": whose
    # words it took, where a longer attribution ("Source : publication Facebook du …") says what the text is about.
    rf"sources?\s*:\s*{_CREDITED}(?:\s*(?:,|/|et)\s*{_CREDITED})*\.?"
    r")$",
    re.IGNORECASE,
)
# What a dateline leaves once the extractor has dropped its `<time>` ("Publié le", "Mis à jour le",
# "Le", a video's "Diffusé le · Durée : 2 min"): a heading of its own otherwise, heading the
# paragraphs after it.
_DATELINE_REMNANT = re.compile(
    r"^[\s|•·,:–—-]*(?:(?:le|la|à|et|publié|publiée|mis|mise|en|ligne|jour|modifié|modifiée|actualisé|actualisée|"
    rf"dernière|diffusé|diffusée)(?!\w)[\s|•·,:–—-]*)+(?:{_PLAYING_TIME}\w*\.?)?$",
    re.IGNORECASE,
)
_FURNITURE = re.compile(
    r"^(?:"
    r"\(?\d{1,3}(?:'|’|e minute)(?:\s*\+\s*\d{1,2})?\)?(?:\s.{0,60})?|"  # live match: "74'", "(73') Léo Dubois"
    r"(?:en )?vidéo\s*[,:.\-–—]\s*.{0,200}|"  # a video teaser
    r"the wayback machine\b.*|https?://\S+|"  # an archive's banner, a bare link
    r"\d+(?:[,.]\d+)?\s*(?:€|euros?)\b.{0,40}"  # a price
    r")$",
    re.IGNORECASE,
)
# An embedded tweet's signature: its author stays, as the attribution of the tweet above.
_TWEET_SIGNATURE = re.compile(r"^([—–-]\s*[^()]{1,80}?)\s*\(@\w{1,15}\)\s+\S+\s+\d{1,2},\s+\d{4}$")
# A publisher's call to subscribe or download: words only such calls use, anywhere in a short
# block; words a news sentence may use too ("un tarif réduit", "« Inscrivez-vous sur les listes
# électorales »", "l'application se télécharge gratuitement"), only to open the block.
_PROMPT = re.compile(
    r"abonnez-vous|^réservée?s? aux abonnés|(?:la suite|cet article|ce contenu)(?: est)? réservée? aux abonnés|"
    r"article (?:est )?réservé|je m['’]abonne|déjà abonné|"
    r"cet article est paru dans|pour lire la suite|acrobat reader|(?:notre|nos|votre) newsletters?\b|"
    r"inscrivez-vous (?:à notre|gratuitement|ici|dès maintenant)|recevez(?:-la|-le|-les)? (?:gratuitement|chaque) |"
    # An offer, a call for donations, an opinion page's disclaimer ("Les tribunes publiées par …
    # n'engagent que leurs auteurs"; a minister's "ces propos n'engagent que leur auteur" is news).
    r"profitez de (?:notre|cette) offre|soutenez-nous (?:dès|à partir de)\b|"
    # A call to write to the newsroom (a fact-checker's "Signalez-la à notre équipe, nous la vérifierons").
    r"\b(?:signalez|envoyez|soumettez|transmettez|écrivez)(?:-(?:la|le|les|nous))*\s+à\s+(?:notre|la)\s+"
    r"(?:équipe|rédaction)\b|"
    # A radio's or a magazine's call to its other programmes ("Retrouvez tous les épisodes du …").
    r"retrouvez (?:tous |toutes )?(?:les|nos) (?:autres )?(?:épisodes|émissions|chroniques|podcasts)\b|"
    # A newsletter box's promise: when it comes, a few words before the reader's mailbox ("l'essentiel
    # de l'actualité vaudoise, chaque matin dans votre boîte mail", "directement dans votre boîte mail");
    # a warning that names the mailbox ("Si vous recevez ce courriel dans votre boîte mail, ne cliquez
    # pas…") is news. And a site's question under its article ("Cet article vous a-t-il été utile ?").
    r"(?:chaque (?:matin|jour|soir|semaine|mois|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)|"
    r"tous les (?:matins|jours|soirs|mois)|toutes les semaines|gratuitement|directement|quotidiennement)\b"
    r"[^.!?]{0,60}?\bdans (?:votre|vos) boîtes? (?:mail|e-mail|email|de réception)\b|"
    r"(?:cet article|cette page|ce contenu) vous a-t-(?:il|elle) (?:été )?utile|"
    r"(?:tribunes?|textes?|opinions?|contributions?|chroniques?) publié(?:e|s|es)?\b.{0,80}"
    r"n['’]engagen?t que (?:leurs?|son|ses) auteur",
    re.IGNORECASE,
)
# What only a publisher says of its own article, however long the block that says it goes on
# (Le Monde's closing note on its newsletter runs past 50 words; a paywall's count of what is
# left to read).
_PUBLISHER_NOTE = re.compile(
    r"cet article est paru dans (?:notre|la) newsletter|il vous reste \d+(?:[.,]\d+)?\s*% de cet article",
    re.IGNORECASE,
)
# A site's copyright line, ending a page its extractor read to the footer ("Le Courrier du Var –
# Tous droits de reproduction réservés", "© 2026 … Reproduction interdite sans autorisation"):
# a short block that ends on it. A sentence that quotes it goes on past it (« … », dit l'étiquette).
_RIGHTS_RESERVED = re.compile(
    r"""(?:tous droits (?:de reproduction )?réservés|reproduction interdite|all rights reserved)[^.!?»”",]{0,40}"""
    r"[.!]?$",
    re.IGNORECASE,
)
RIGHTS_LINE_WORDS = 20
_PROMPT_OPENING = re.compile(
    # A paywall's offer ("Offre spéciale : 1 € le premier mois, sans engagement"); a shop's
    # ("Tarifs réduits à partir de 4 exemplaires"), where an events box's price list states its
    # price after its label ("Tarif réduit : 5 € pour les étudiants"), which is the article's.
    r"(?:newsletter|inscrivez-vous|téléchargez|télécharger gratuitement|tarifs? réduits?(?!\s*:\s*\d)|"
    r"offre (?:spéciale|découverte|d['’]essai|de bienvenue|d['’]abonnement))\b",
    re.IGNORECASE,
)
# An embedded tweet's shortened links and picture address, which no reader follows from a quote.
_TWEET_LINK = re.compile(r"\s*\b(?:https?://t\.co/\w+|pic\.twitter\.com/\w+)")
# A rubric label run into the first word: "AgricultureL'Office fédéral…" → "L'Office fédéral…".
_GLUED_LABEL = re.compile(
    r"^[A-ZÀ-Þ][a-zà-ÿ]{3,}(?=(?:[LD]['’]|(?:Le|La|Les|Un|Une|Des|Il|Elle|Au|Aux|En|Selon|Pour|Dans|Après)\s)"
    r"[A-ZÀ-Þa-zà-ÿ])"
)
_CUT_SHORT = re.compile(r"(?:[&,:;–—-]|\s(?:et|de|du|des|la|le|les|à))\s*$", re.IGNORECASE)  # a line that goes on
# A line that opens a list item: a dash, a bullet or a number, then a space and text
# (`is_list_item`: a symbol such as "✅" or "🔹" too, as posts on Telegram write them).
_LIST_ITEM = re.compile(r"^\s*(?:[-–—•·*]|\d{1,2}[.)]|(?P<symbol>\S)\uFE0F?)\s+\S")
# A line after which a list may start: it ends a sentence, or announces what follows.
_ENDS_LINE = re.compile(r"[.!?…:;]['’\"»”)\]]*\s*$")
ENDS_SENTENCE = re.compile(r"[.!?…]['’\"»”)\]]*$")
_HEADING_END = re.compile(r"[.!?…:;,»\"”)]$")
# A line that says where what is around it comes from ("Source : publication Facebook du 30 novembre
# 2026", a fact-check's claim; "Sources : Insee, Dares", under a chart's figures): an attribution,
# never the name of a section, whatever its length and punctuation.
_ATTRIBUTION = re.compile(r"^(?:sources?|d['’]après)\s*:\s*\S", re.IGNORECASE)
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*$")


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str


def normalise_whitespace(text: str) -> str:
    """NFC, no invisible characters, single spaces, `\\n\\n` between blocks."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _SPACES.sub(" ", text)


CLOCK_TIME = re.compile(r"^\d{1,2} ?[hH:] ?\d{2}$")  # "16h45", "16 h 45", "16:45"
LIVE_ENTRIES = 3  # times of day standing alone on this many lines: a live report's entries

_TEASER_LINE = re.compile(rf"^\s*{_TEASER}\b", re.IGNORECASE)


def raw_blocks(text: str) -> list[str]:
    """Blank-line separated blocks, each folded onto one line. A "Lire aussi" line is a
    block of its own even without blank lines around it, so that it never runs into the
    sentence that follows; a list item ("- une hausse de 2 %", "• …", "1. …") starts one, as
    a web page's items are paragraphs of their own, so that a pasted list is not quoted as
    one long sentence: after a line that ends a sentence or announces the list (":"), or
    after another item (the lines after an item, without a mark, are that item's). A dash
    that opens a line in the middle of a sentence ("le déficit\n- selon Bercy - atteindra")
    is an aside, not an item."""
    text = normalise_whitespace(text)
    blocks = []
    for part in re.split(r"\n\s*\n", text):
        lines: list[str] = []
        for line in part.split("\n"):
            if _TEASER_LINE.match(line):
                blocks.extend([" ".join(lines).strip(), line.strip()])
                lines = []
            elif is_list_item(line) and (not lines or is_list_item(lines[0]) or _ENDS_LINE.search(lines[-1])):
                blocks.append(" ".join(lines).strip())
                lines = [line.strip()]
            else:
                lines.append(line.strip())
        blocks.append(" ".join(lines).strip())
    return [block for block in blocks if block]


def is_list_item(line: str) -> bool:
    """Whether `line` opens a list item: "- …", "• …", "1. …", "2) …", "✅ …", "🔹 …"."""
    match = _LIST_ITEM.match(line)
    if match is None:
        return False
    symbol = match.group("symbol")
    return symbol is None or unicodedata.category(symbol) == "So"


def without_credit(block: str) -> str | None:
    """A caption's own text without its credit (None: the block has no credit)."""
    match = _CREDIT.search(block)
    if match:
        return block[: match.start()].strip()
    if _LICENCE.search(block) and len(block.split()) <= 30:
        return ""
    return None


def is_noise(block: str) -> bool:
    words = len(block.split())
    return (
        (words <= 25 and bool(_NOISE.match(block) or _DATELINE_REMNANT.match(block)))
        or (words <= 40 and bool(_FURNITURE.match(block)))
        or (words <= RIGHTS_LINE_WORDS and bool(_RIGHTS_RESERVED.search(block)))
        or (words <= 50 and bool(_PROMPT.search(block) or _PROMPT_OPENING.match(block)))
        or (words <= 150 and bool(_PUBLISHER_NOTE.search(block)))
    )


def is_heading(block: str) -> bool:
    if MARKDOWN_HEADING.match(block):
        return True
    words = block.split()
    if "://" in block:  # a line with a link (a reference, a post's) is text, not a section's name
        return False
    return 0 < len(words) <= 12 and block[0].isupper() and not _HEADING_END.search(block)


def clean_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    teaser_open = False
    raw = raw_blocks(text)
    # A live report's entries each open on their time ("16h45"): the time stays, as the start of
    # its entry's first block, where a line of its own would be dropped as a fragment.
    live = sum(1 for block in raw if CLOCK_TIME.match(block)) >= LIVE_ENTRIES
    entry_time = None
    for block in raw:
        time_of_entry, entry_time = entry_time, None
        if live and CLOCK_TIME.match(block):
            entry_time = block
            continue
        stamped = partial(_entry_block, entry_time=time_of_entry)
        # The rest of a "Lire aussi" teaser cut over two lines ("Lire aussi Martine Bulard &").
        if teaser_open and len(block.split()) <= 30:
            teaser_open = False
            continue
        teaser_open = False
        marked = MARKDOWN_HEADING.match(block)  # "## À lire aussi…": a page's <h3> is noise as well
        if is_noise(marked.group(1) if marked else block):
            teaser_open = bool(_TEASER_LINE.match(block) and _CUT_SHORT.search(block))
            continue
        if signature := _TWEET_SIGNATURE.match(block):
            if blocks and blocks[-1].kind == "paragraph":
                blocks[-1] = Block("paragraph", f"{blocks[-1].text} {signature.group(1).strip()}")
            continue
        if block.endswith(",") and len(block.split()) <= 20:  # a fragment cut mid-sentence
            continue
        caption = without_credit(block)
        if caption is not None:  # a caption: its sentences are text, its credit is not
            if len(caption.split()) >= 3:
                blocks.append(stamped("paragraph", caption))
            continue
        block = _GLUED_LABEL.sub("", block)
        text = _TWEET_LINK.sub("", block).strip()  # a line that held one is a tweet's, not a heading
        markdown = MARKDOWN_HEADING.match(block)
        if markdown:
            blocks.append(stamped("heading", markdown.group(1)))
        elif text == block and is_heading(block) and not _ATTRIBUTION.match(block):
            blocks.append(stamped("heading", block))
        elif len(text.split()) >= 3 or ENDS_SENTENCE.search(text) or is_list_item(text):
            # "-", "2-1": fragments, not text; "- Paris-Lyon", "- Nantes": a list's items
            blocks.append(stamped("paragraph", text))
    blocks = _without_press_contacts(blocks)
    blocks = without_edge_credits(blocks)
    # A heading with nothing after it gives context to nothing; a long one is the article's
    # closing line, written without a full stop, and so is a cast or a line-up (`is_cast_line`).
    while blocks and blocks[-1].kind == "heading":
        last = blocks.pop()
        if len(last.text.split()) >= 6 or is_cast_line(last.text):
            blocks.append(Block("paragraph", last.text))
            break
    return blocks


# A communiqué's closing "Contact presse" (a ministry's, a company's): whom journalists call, its
# office, phone and e-mail, short lines to the end of the text; no reader's question is answered there.
_PRESS_CONTACT = re.compile(r"^(?:contacts?|relations?|service|attachée?s?)\s+(?:de\s+)?(?:presse|médias?)\b", re.I)
CONTACT_LINE_WORDS = 20


def _without_press_contacts(blocks: list[Block]) -> list[Block]:
    """`blocks` without the press contacts that end them: from a "Contact presse" line on, when
    every line from it to the end is as short as a contact's (a text that goes on is the article's)."""
    for at, block in enumerate(blocks[1:], start=1):  # a text that opens on it is about the press
        if _PRESS_CONTACT.match(block.text) and all(
            len(after.text.split()) <= CONTACT_LINE_WORDS for after in blocks[at:]
        ):
            return blocks[:at]
    return blocks


# A line that credits whom an article's words come from, standing alone: "Source : Ouest-France",
# "Sources : AFP, Le Télégramme", "Avec AFP.", "(Avec Reuters)", "— Avec l'AFP", "Le Monde avec
# AFP", "franceinfo avec AFP", "La rédaction avec AFP", "Le Parisien, avec AFP", "Avec AFP (mise à
# jour à 18h)". After "avec" or "d'après", only an agency, a paper or a channel (`_PRESS_TITLE`):
# "Avec Sandra Hüller, Swann Arlaud et Milo Machado-Graner." ends a film's review with its cast,
# text. Beside an agency, any names (capitalised); after "Source :", a newspaper's or a channel's:
# a press title, or a name in two or more words ("Sud Ouest", "20 Minutes", "Ouest-France").
# "Sources : Insee, Dares" under figures names where they come from, and stays (one word each, no
# paper's); "Selon l'AFP, le bilan s'alourdit." is a sentence that names its source: text.
_NAME_WORD = r"(?-i:[A-ZÀ-Þ][\w'’.&]*|\d+)"
_ANY_NAME = rf"(?:l['’]\s*)?(?:{_AGENCY}\b|agences?\b|{_NAME_WORD}(?:[\s-]+{_NAME_WORD}){{0,3}})"
_ONE_WORD_TITLES = (
    r"(?:franceinfo|bfmtv|bfm|lci|tf1|rtl|rfi|libération|mediapart|huffpost|konbini|euronews|"
    r"france ?(?:2|3|5|24|inter|bleu|culture|info)|europe ?1)"
)
# Papers named without an article, in more than one word, which no person's name looks like to
# this reading ("Avec Ouest-France", "Avec Sud Ouest", "Avec 20 Minutes").
_PAPERS = (
    r"(?:ouest-france|sud[ -]ouest|20 ?minutes|nice-matin|var-matin|corse-matin|midi libre|paris-normandie"
    r"|presse océan|centre presse|sud radio|actu\.fr|metronews)"
)
# An agency ("l'agence Reuters"), a channel and its region ("France 3 Occitanie"), a paper by
# its name or its article ("Le Parisien", "L'Équipe", "La Voix du Nord").
_PRESS_TITLE = (
    rf"(?:l['’]\s*)?(?:agences?\s+(?:{_AGENCY}\b|{_NAME_WORD})|{_AGENCY}\b|agences?\b|{_PAPERS}(?![\w-])|"
    rf"{_ONE_WORD_TITLES}\b(?:\s+(?-i:[A-ZÀ-Þ][\w'’-]*))?|"
    rf"(?-i:(?:Le|La|Les|L['’])\s*[A-ZÀ-Þ][\w'’.&-]*(?:\s+(?:(?:du|de|des|de\s+la|d['’])\s*)?{_NAME_WORD})?))"
)
_PRESS_NAME = rf"(?:{_PRESS_TITLE}|{_NAME_WORD}(?:[\s-]+{_NAME_WORD}){{1,3}})"
# Who wrote it, before "avec AFP": a press title or its newsroom ("La rédaction de Sud Ouest"),
# not anyone named ("Didier Deschamps avec Les Bleus." is a caption).
_NEWSROOM = rf"(?:la\s+rédaction(?:\s+(?:de|d['’])\s*{_PRESS_NAME})?|{_PRESS_TITLE})\s*,?\s*"
_SEPARATOR = r"\s*(?:,|/|\+|\bet\b|\bavec\b)\s*"
_OPENING = r"^[(\[]?\s*(?:[—–-]\s*)?"
# A credit may say when the piece was last updated: "Avec AFP (mise à jour à 18h)", "Avec AFP,
# mis à jour le 3 mars".
_UPDATED = (
    r"(?:\s*[(\[](?:mise?\s+à\s+jour|actualisée?|modifiée?)\b[^()\[\]]{0,40}[)\]]"
    r"|\s*[,—–-]\s*(?:mise?\s+à\s+jour|actualisée?|modifiée?)\b[^()\[\].]{0,40})?"
)
_CLOSING = rf"{_UPDATED}\s*[)\]]?\s*\.?$"
_CREDIT_LINES = (
    re.compile(
        rf"{_OPENING}(?:{_NEWSROOM})?(?:avec|d['’]après)\s+{_PRESS_TITLE}(?:{_SEPARATOR}{_PRESS_TITLE})*{_CLOSING}",
        re.IGNORECASE,
    ),
    re.compile(rf"{_OPENING}sources?(?:\s*:\s*|\s+){_PRESS_NAME}(?:{_SEPARATOR}{_PRESS_NAME})*{_CLOSING}", re.I),
)
_AGENCY_CREDIT = re.compile(
    rf"{_OPENING}(?:sources?(?:\s*:\s*|\s+))?{_ANY_NAME}(?:{_SEPARATOR}{_ANY_NAME})*{_CLOSING}", re.IGNORECASE
)
_NAMES_AGENCY = re.compile(rf"\b{_AGENCY}\b|\bagences\b", re.IGNORECASE)
CREDIT_LINE_WORDS = 12


def is_credit_line(text: str) -> bool:
    """Whether `text` is a line that only says whom the article's words come from."""
    if len(text.split()) > CREDIT_LINE_WORDS:
        return False
    if any(line.match(text) for line in _CREDIT_LINES):
        return True
    return bool(_NAMES_AGENCY.search(text) and _AGENCY_CREDIT.match(text))


# People named after « Avec », closing a text without a full stop: a film's or a play's cast
# (« Avec Sandra Hüller, Swann Arlaud et Milo Machado-Graner »), a match's line-up (« Avec
# Mbappé, Dembélé et Barcola »), two people or more. Each a name of capitalised words, its
# particles between them (« Valéry Giscard d'Estaing », « Ludwig van Beethoven »). One name alone
# is not told apart from a co-author's credit (« Avec Marie Dupont »): a heading, as before.
_PERSON = (
    rf"{_NAME_WORD}(?:[\s-]+(?:(?:de|du|des|van|von|der|da|di|del|dos|ben|el|al)\s+|d['’]\s*)?{_NAME_WORD}){{0,4}}"
)
_CAST_LINE = re.compile(rf"^avec\s+{_PERSON}(?:\s*(?:,|\bet\b)\s*{_PERSON})+\s*\.?$", re.IGNORECASE)
# Agencies, newsrooms and broadcasters that a credit names after « Avec » the way a cast names
# people (« Avec Agence France-Presse », « Avec ICI Isère », « Avec Radio France et Reuters »):
# never a cast.
_NEWSROOMS = re.compile(
    r"\b(?:agences?|correspondants?|rédactions?|afp|reuters|bloomberg|xinhua|kyodo|efe|ansa|dpa|belga|ats"
    r"|associated\s+press|france[\s-]presse|keystone|radio\s+france|radio[\s-]canada|france\s+télévisions?"
    r"|franceinfo|france\s*info|ici|france\s+bleu|rmc|cnews|bfm\w*|tf1|m6|arte|tv5\s*monde|lci|france\s*24|rfi"
    r"|europe\s*1|rtl|france\s*[2-5]|france\s+inter|france\s+culture|euronews|sud\s+radio|rts|rtbf|ap)\b",
    re.IGNORECASE,
)


def is_cast_line(text: str) -> bool:
    """Whether `text` names people after « Avec » (`_CAST_LINE`), two or more: the article's
    words, which a reader may ask about (who plays, who is on the team), not a heading left
    with nothing after it; never a credit (« Avec AFP », « Avec Agence France-Presse », « Avec
    ICI Isère »: `is_credit_line`, `_NEWSROOMS`)."""
    return bool(_CAST_LINE.match(text)) and not _NEWSROOMS.search(text) and not is_credit_line(text)


def without_edge_credits(blocks: list[Block]) -> list[Block]:
    """`blocks` without the credit lines (`is_credit_line`) that end or open them: a dispatch's
    "Source : Ouest-France" or "(Avec Reuters)", which would be quoted as an answer otherwise.
    Between paragraphs such a line says whose figures these are (a chart's sources), and stays."""
    start, end = 0, len(blocks)
    while end > start and is_credit_line(blocks[end - 1].text):
        end -= 1
    while start < end and is_credit_line(blocks[start].text):
        start += 1
    return blocks[start:end]


# What `_entry_block` puts before a live report's entry: its time, which the page shows apart
# (a link to the page at a quote leaves it out: `bot.replies.quote_link`).
ENTRY_TIME = re.compile(r"^\d{1,2} ?[hH:] ?\d{2} – ")


def _entry_block(kind: str, text: str, entry_time: str | None) -> Block:
    return Block(kind, f"{entry_time} – {text}" if entry_time else text)


def table_row(cells: list[str]) -> str:
    """A table's row as one paragraph, its cells in order and its empty ones left out: a
    result's figures ("Vierzon ensemble (Nadia Perrot) – 4 127 – 47,3 % – 25") are quoted
    with the name they belong to, as a reader reads them across."""
    return " – ".join(cell for cell in cells if cell)


def join_blocks(blocks: list[Block]) -> str:
    return "\n\n".join(block.text for block in blocks)


def block_offsets(text: str, blocks: list[Block]) -> list[tuple[int, int]]:
    """Offsets of each block in `join_blocks(blocks)` (== `text`)."""
    spans, cursor = [], 0
    for block in blocks:
        start = text.index(block.text, cursor)
        spans.append((start, start + len(block.text)))
        cursor = start + len(block.text)
    return spans
