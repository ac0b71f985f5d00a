"""Turn an article body into clean blocks: paragraphs and section headings.

News text carries noise that must never be quoted as an answer: photo captions
ending in a credit (`… Image : Philippe De Poulpiquet/MAXPPP/dpa`), bylines,
"à lire aussi" teasers, share and subscription prompts. Section headings stay in
the text (they give context to what follows) but are marked so that the chunker
never makes a passage of them alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["heading", "paragraph"]

# Invisible characters, and control characters other than tab and line breaks: none is
# ever meant to be read, and a NUL would cut a stored passage short.
_CONTROLS = [*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F]
_INVISIBLE = dict.fromkeys([*map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), *_CONTROLS], None)
_SPACES = re.compile(r"[^\S\n]+")
_CREDIT = re.compile(
    r"(?:^|\s)(?:Image|Images|Photo|Photos|Photographie|Illustration|Crédits?(?: photo)?|"
    r"Copyright|Source photo|Vidéo)\s*:\s*[^.!?]{0,120}$|©[^.!?]{0,120}$",
    re.IGNORECASE,
)
_NOISE = re.compile(
    r"^(?:"
    r"(?:à|a) lire aussi\b.*|lire aussi\b.*|voir aussi\b.*|sur le même sujet\b.*|"
    r"(?:publié|mis à jour|modifié|actualisé)(?: le)?\s+\d.*|"
    r"(?:temps de )?lecture\s*:?\s*\d+\s*min.*|"
    r"partager(?: sur| cet article| l'article)?\b.{0,40}|"
    r"(?:abonnez-vous|inscrivez-vous|newsletter|suivez-nous)\b.{0,120}|"
    r"par\s+[A-ZÀ-Þ][\w'’.\-]+(?:\s+(?:[A-ZÀ-Þ][\w'’.\-]+|de|du|des|le|la))*\s*(?:[,|–—-].{0,60})?|"
    r"\(?(?:avec )?(?:afp|reuters|ap|ansa|belga|dpa)(?:\s*(?:,|/|et)\s*(?:afp|reuters|ap|ansa|belga|dpa))*\)?"
    r")$",
    re.IGNORECASE,
)
_HEADING_END = re.compile(r"[.!?…:;,»\"”)]$")
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


_TEASER_LINE = re.compile(r"^\s*(?:(?:à|a) lire aussi|lire aussi|voir aussi|sur le même sujet)\b", re.IGNORECASE)


def raw_blocks(text: str) -> list[str]:
    """Blank-line separated blocks, each folded onto one line. A "Lire aussi" line is a
    block of its own even without blank lines around it, so that it never runs into the
    sentence that follows."""
    text = normalise_whitespace(text)
    blocks = []
    for part in re.split(r"\n\s*\n", text):
        lines: list[str] = []
        for line in part.split("\n"):
            if _TEASER_LINE.match(line):
                blocks.extend([" ".join(lines).strip(), line.strip()])
                lines = []
            else:
                lines.append(line.strip())
        blocks.append(" ".join(lines).strip())
    return [block for block in blocks if block]


def is_caption(block: str) -> bool:
    return bool(_CREDIT.search(block))


def is_noise(block: str) -> bool:
    return len(block.split()) <= 25 and bool(_NOISE.match(block))


def is_heading(block: str) -> bool:
    if MARKDOWN_HEADING.match(block):
        return True
    words = block.split()
    return 0 < len(words) <= 12 and block[0].isupper() and not _HEADING_END.search(block)


def clean_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for block in raw_blocks(text):
        if is_caption(block) or is_noise(block):
            continue
        markdown = MARKDOWN_HEADING.match(block)
        if markdown:
            blocks.append(Block("heading", markdown.group(1)))
        elif is_heading(block):
            blocks.append(Block("heading", block))
        else:
            blocks.append(Block("paragraph", block))
    # a heading with nothing after it gives context to nothing
    while blocks and blocks[-1].kind == "heading":
        blocks.pop()
    return blocks


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
