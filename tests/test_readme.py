"""The README is the product's manual: its contents lead to every section."""

from __future__ import annotations

import re

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def headings(text: str) -> list[tuple[int, str]]:
    """(level, title) of each Markdown heading, those inside code blocks left out."""
    found, in_code = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and (match := re.match(r"(#{2,6}) (.+)", line)):
            found.append((len(match[1]), match[2].strip()))
    return found


def github_anchor(title: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def section(title: str) -> str:
    return README.split(f"\n## {title}\n")[1].split("\n## ")[0]


def test_the_contents_lead_to_every_section_and_each_link_to_a_heading():
    contents = section("Contents")
    links = re.findall(r"\]\(#([^)]+)\)", contents)
    anchors = {github_anchor(title) for _, title in headings(README)}
    assert [link for link in links if link not in anchors] == []
    sections = [github_anchor(title) for level, title in headings(README) if level == 2 and title != "Contents"]
    assert [anchor for anchor in sections if anchor not in links] == []
    assert [anchor for anchor in links if anchor in sections] == sections  # in the README's order
