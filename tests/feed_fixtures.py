"""Real-looking French news feeds (RSS 2.0 and Atom) and the article pages they link to,
for tests that follow feeds served by a local site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    published: datetime
    paragraphs: tuple[str, ...]
    teaser: str

    def page(self) -> str:
        body = "".join(f"<p>{escape(p)}</p>" for p in self.paragraphs)
        return (
            '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
            f"<title>{escape(self.title)} - La Gazette de l'Ouest</title>"
            f'<meta property="og:title" content="{escape(self.title)}">'
            f'<meta property="article:published_time" content="{self.published.isoformat()}">'
            '</head><body><nav><a href="/">Accueil</a> <a href="/region">Région</a></nav>'
            f"<article><h1>{escape(self.title)}</h1>{body}</article>"
            "<footer>© La Gazette de l'Ouest — Mentions légales — Gérer les cookies</footer></body></html>"
        )


STORIES = [
    Story(
        "pont-de-saint-nazaire",
        "Le pont de Saint-Nazaire fermé deux nuits pour travaux",
        datetime(2025, 3, 3, 7, 30, tzinfo=UTC),
        (
            "Le pont de Saint-Nazaire sera fermé à la circulation les nuits du 10 et du 11 mars, de 21 heures à "
            "6 heures, a annoncé le département de Loire-Atlantique.",
            "Les équipes remplaceront les joints de dilatation du tablier, usés par le passage de quelque "
            "30 000 véhicules par jour. Une déviation est prévue par Nantes, soit une heure de trajet en plus.",
            "Les transports scolaires et les bus de nuit emprunteront la déviation. Les cyclistes pourront "
            "traverser l'estuaire par la navette fluviale, gratuite pendant les travaux.",
        ),
        "Le pont sera fermé deux nuits en mars.",
    ),
    Story(
        "festival-de-cornouaille",
        "Le festival de Cornouaille dévoile sa programmation",
        datetime(2025, 3, 4, 9, 0, tzinfo=UTC),
        (
            "Le festival de Cornouaille, à Quimper, accueillera cette année quarante bagadoù et plus de "
            "deux cents concerts du 22 au 27 juillet, ont annoncé ses organisateurs mardi.",
            "La soirée d'ouverture sera confiée à la chanteuse Nolwenn Korbell, originaire de Douarnenez, "
            "accompagnée du bagad Kemper sur la place Saint-Corentin.",
            "Les billets seront mis en vente le 1er avril. Le festival avait accueilli l'an dernier près de "
            "deux cent cinquante mille spectateurs, un record depuis sa création en 1923.",
        ),
        "Quarante bagadoù attendus à Quimper.",
    ),
    Story(
        "marais-salants",
        "Les paludiers de Guérande inquiets après un printemps pluvieux",
        datetime(2025, 3, 6, 12, 15, tzinfo=UTC),
        (
            "Les paludiers de la presqu'île de Guérande craignent une récolte de sel réduite de moitié après "
            "un printemps exceptionnellement pluvieux, selon la coopérative Les Salines.",
            "La récolte de fleur de sel commence d'ordinaire fin juin ; elle pourrait être repoussée de trois "
            "semaines si le soleil ne revient pas, explique le président de la coopérative.",
            "Les marais salants couvrent près de deux mille hectares entre Guérande et Le Croisic. Trois cents "
            "paludiers y récoltent chaque année entre dix et quinze mille tonnes de sel.",
        ),
        "La récolte de sel pourrait être réduite de moitié.",
    ),
]


def rss(
    origin: str, stories: list[Story], *, title: str = "La Gazette de l'Ouest - Région", oldest_first: bool = False
) -> str:
    """An RSS 2.0 feed, newest first, as French news sites publish them (teasers only), or
    oldest first, as some others do."""
    items = "".join(
        "<item>"
        f"<title>{escape(s.title)}</title>"
        f"<link>{origin}/articles/{s.slug}</link>"
        f'<guid isPermaLink="true">{origin}/articles/{s.slug}</guid>'
        f"<pubDate>{format_datetime(s.published)}</pubDate>"
        f"<description>{escape(s.teaser)}</description>"
        "</item>"
        for s in sorted(stories, key=lambda s: s.published, reverse=not oldest_first)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{origin}/</link><language>fr</language>"
        f"<description>Toute l'actualité de la région</description>{items}</channel></rss>"
    )


def atom(origin: str, stories: list[Story], *, title: str = "La Gazette de l'Ouest - Culture") -> str:
    """An Atom feed carrying each article's full text (`content`), as some blogs do."""
    entries = "".join(
        "<entry>"
        f"<title>{escape(s.title)}</title>"
        f'<link rel="alternate" href="{origin}/articles/{s.slug}"/>'
        f"<id>tag:gazette-ouest.example,2025:{s.slug}</id>"
        f"<updated>{s.published.isoformat()}</updated>"
        f"<summary>{escape(s.teaser)}</summary>"
        f'<content type="html">{escape("".join(f"<p>{escape(p)}</p>" for p in s.paragraphs))}</content>'
        "</entry>"
        for s in sorted(stories, key=lambda s: s.published, reverse=True)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>{origin}/atom.xml</id>"
        f"<updated>{datetime(2025, 3, 6, tzinfo=UTC).isoformat()}</updated>{entries}</feed>"
    )


def home_page(origin: str) -> str:
    """A site's home page that declares its feeds, as news sites do."""
    return (
        "<!doctype html><html><head><title>La Gazette de l'Ouest</title>"
        f'<link rel="alternate" type="application/rss+xml" title="Région" href="{origin}/rss/region.xml">'
        '<link rel="alternate" type="application/atom+xml" title="Culture" href="/atom.xml">'
        "</head><body><h1>La Gazette de l'Ouest</h1></body></html>"
    )


def publish_site(site, stories: list[Story]) -> None:
    """The site's pages, its RSS feed listing `stories`, its Atom feed and home page."""
    for story in STORIES:
        site.publish(f"/articles/{story.slug}", "text/html; charset=utf-8", story.page())
    site.publish("/rss/region.xml", "application/rss+xml; charset=utf-8", rss(site.origin, stories))
    site.publish("/atom.xml", "application/atom+xml", atom(site.origin, stories))
    site.publish("/", "text/html; charset=utf-8", home_page(site.origin))
