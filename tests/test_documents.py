"""What becomes an article: metadata, clean body, headings, and clear refusals."""

import itertools
import json
import random
import re
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.service import read_input
from index.analysis import fold_accents, terms
from index.cleaning import Block
from index.decoding import decode_document
from index.documents import normalise_date, parse_html, parse_text
from index.errors import EmptyInput, InputError, UnsupportedInput
from index.metadata import clean_byline, page_metadata
from index.sources import parse_bytes


def test_the_sample_inline_date_is_its_publication_month_not_text(sample_text):
    document = parse_text(sample_text, name="otan-bruxelles-2023-02.txt")
    assert document.date == "2023-02"
    assert document.text.startswith("Les membres de l'Organisation du traité")
    assert "date 2023-02" not in document.text


def test_a_caption_keeps_its_sentences_and_loses_its_credit(sample_text):
    text = parse_text(sample_text).text
    assert "MAXPPP" not in text and "Gambarini" not in text and "Image :" not in text
    assert "mène l'assaut sur Bakhmout depuis l'été dernier" in text  # the caption above the credit
    assert "Le ministre allemand de la Défense Boris Pistorius a annoncé" in text


@pytest.mark.parametrize(
    ("caption", "read"),
    [
        ("La halle aux grains en septembre (photo de l’auteur)", "La halle aux grains en septembre"),
        ("Le maire devant la nouvelle passerelle (Photo DR)", "Le maire devant la nouvelle passerelle"),
        # A sentence's own mention of the photo beside it goes on after it: text.
        (
            "Le maire a inauguré la passerelle (photo) samedi matin.",
            "Le maire a inauguré la passerelle (photo) samedi matin.",
        ),
    ],
)
def test_a_caption_loses_its_credit_in_brackets(caption, read):
    opening = "La halle sera rénovée en 2027, a voté le conseil municipal lundi soir."
    assert parse_text(f"{opening}\n\n{caption}").text == f"{opening}\n\n{read}"


@pytest.mark.parametrize(
    "line",
    [
        "Samedi, 3 000 personnes ont défilé dans les rues de Granville pour la cavalcade (photos)",
        "Les lauréats (photos)",
    ],
)
def test_a_line_that_says_photos_go_with_it_is_text_not_a_caption_s_credit(line):
    """A regional paper's "(photos)" names no photographer: it tells that a gallery goes with the line."""
    opening = "La cavalcade de Granville a fêté ses 150 ans ce week-end, sous un grand soleil."
    assert parse_text(f"Cavalcade\n\n{opening}\n\n{line}").text == f"{opening}\n\n{line}"


@pytest.mark.parametrize("credit", ["Source : AFP", "Sources : AFP, Reuters", "Source : Le Parisien", "SOURCE : AFP."])
def test_a_dispatch_s_closing_credit_to_an_agency_or_a_paper_is_no_text(credit):
    dispatch = "Le Premier ministre a annoncé mardi un plan pour l'hôpital public.\n\nIl sera présenté en janvier."
    assert parse_text(f"{dispatch}\n\n{credit}").text == dispatch


CREDIT_LINES = [
    "Source : Ouest-France",
    "Sources : Ouest-France, AFP",
    "Source : 20 Minutes",
    "Source : franceinfo.",
    "Avec AFP.",
    "(Avec Reuters)",
    "— Avec l'AFP",
    "Le Monde avec AFP",
    "AFP et Reuters",
    "franceinfo avec AFP",
    "La rédaction avec AFP",
    "Le Parisien, avec AFP",
    "Avec AFP (mise à jour à 18h)",
    "Avec ATS et EFE",
    "Avec Ouest-France",
    "Avec Sud Ouest",
    "Avec 20 Minutes",
    "Avec La Voix du Nord",
    "Avec France 3 Occitanie",
    "Avec AFP et Ouest-France",
    "Avec l'agence Reuters",
    "Avec AFP, mis à jour le 3 mars",
]


@pytest.mark.parametrize("credit", CREDIT_LINES)
def test_a_line_that_credits_a_paper_or_an_agency_is_no_text_when_it_ends_or_opens_the_article(credit):
    """Quoted otherwise: "Source : Ouest-France" answered a question as the article's last passage."""
    dispatch = "Le Premier ministre a annoncé mardi un plan pour l'hôpital public.\n\nIl sera présenté en janvier."
    assert parse_text(f"Hôpital public\n\n{dispatch}\n\n{credit}").text == dispatch
    opened = parse_text(f"Hôpital public\n\n{credit}\n\n{dispatch}")
    assert (opened.title, opened.text) == ("Hôpital public", dispatch)
    assert parse_text(f"{credit}\n\n{dispatch}").text == dispatch  # no title: not taken for one either


@pytest.mark.parametrize(
    "sentence",
    [
        "Selon l'AFP, le bilan s'alourdit.",
        "Avec AFP, le bilan est lourd.",
        "Source : publication Facebook du 30 novembre 2026",
        "Avec la mairie, rien ne change.",
        # a film's or a concert's cast, after "avec": names, not an agency, a paper or a channel
        "Avec Sandra Hüller, Swann Arlaud et Milo Machado-Graner.",
        "Avec Orelsan, Angèle et Stromae.",
        "Avec Kylian Mbappé.",
        # a caption: only a press title or its newsroom credits an agency before « avec »
        "Didier Deschamps avec Les Bleus.",
    ],
)
def test_a_sentence_that_names_its_source_ending_the_article_stays_in_the_text(sentence):
    dispatch = "Le Premier ministre a annoncé mardi un plan pour l'hôpital public.\n\nIl sera présenté en janvier."
    assert parse_text(f"{dispatch}\n\n{sentence}").text == f"{dispatch}\n\n{sentence}"


@pytest.mark.parametrize(
    ("article", "closing"),
    [
        ("Le PSG s'est imposé 3-1 face à Lille samedi soir au Parc des Princes.", "Avec Mbappé, Dembélé et Barcola"),
        ("Le film sort en salles mercredi.", "Avec Sandra Hüller, Swann Arlaud et Milo Machado-Graner"),
        ("Le concert aura lieu le 14 juillet sur le Champ-de-Mars.", "Avec Orelsan, Angèle et Stromae"),
        ("La pièce est reprise au théâtre de l'Atelier jusqu'en mars.", "avec Isabelle Huppert et Vincent Lindon"),
    ],
)
def test_a_cast_or_a_line_up_closing_an_article_without_a_full_stop_stays_in_the_text(article, closing):
    """People named after « Avec » at a culture or sports article's end, two or more, are who
    plays: asked about ("Qui joue dans le film ?"), not a heading with nothing after it."""
    assert parse_text(f"Titre\n\n{article}\n\n{closing}").text == f"{article}\n\n{closing}"


@pytest.mark.parametrize(
    "credit",
    [
        "Avec AFP",
        "avec Reuters",
        "Avec l'AFP et Reuters",
        "Avec Le Parisien",
        "Avec Agence France-Presse",
        "Avec Associated Press",
        "Avec ICI Isère",
        "Avec France Bleu Isère",
        "Avec Radio France",
        "Avec France Télévisions",
        "Avec Bloomberg",
        "Avec Xinhua",
        "Avec Kyodo",
        "Avec Keystone-ATS",
        "Avec RMC Sport",
        "Avec CNews",
        "Avec M6",
        "Avec Arte",
        "Avec TV5Monde",
        "Avec Reuters et Bloomberg",
        "Avec Reuters et Radio France",
        "Avec agences",
        "Avec nos correspondants",
        "Avec Marie Dupont",  # a co-author's credit, which one actor cannot be told from
    ],
)
def test_an_agency_a_newsroom_or_one_name_after_avec_closing_an_article_without_a_full_stop_is_still_no_text(credit):
    """A credit to an agency, a newsroom or a broadcaster, or to one person, is not a cast."""
    article = "Le PSG s'est imposé 3-1 face à Lille samedi soir au Parc des Princes."
    assert parse_text(f"Titre\n\n{article}\n\n{credit}").text == article


def test_a_credit_line_between_paragraphs_stays_and_one_under_a_page_s_headline_and_byline_goes():
    """Between paragraphs, it says whose words or figures these are; under the headline and
    the byline, which are not text either, it opens the article's text."""
    first, second = "Le pont rouvrira en mai, selon la préfecture.", "Les travaux ont coûté 12 millions d'euros."
    assert parse_text(f"{first}\n\nSource : Ouest-France\n\n{second}").text == (
        f"{first}\n\nSource : Ouest-France\n\n{second}"
    )
    headline = "Le pont de Saint-Nazaire rouvrira en mai après sept mois de travaux sur son tablier"
    page = (
        f"<html><head><title>{headline}</title></head><body><article><h1>{headline}</h1>"
        f"<p>Par Jeanne Martin</p><p>Avec AFP</p><p>{first} {second}</p>"
        f"<p>{first.replace('mai', 'juin')} {second}</p><p>Source : Ouest-France</p></article></body></html>"
    )
    document = parse_html(page)
    assert document.text == f"{first} {second}\n\n{first.replace('mai', 'juin')} {second}"


@pytest.mark.parametrize(
    "attribution", ["Sources : Insee, Dares", "Source : le ministère de la Santé, chiffres du 1er décembre 2026"]
)
def test_an_attribution_of_figures_to_their_source_stays_in_the_text(attribution):
    figures = "Le chômage a reculé à 7,1 % au troisième trimestre.\n\nLes jeunes en profitent le moins."
    assert parse_text(f"{figures}\n\n{attribution}").text == f"{figures}\n\n{attribution}"


def test_a_claim_s_source_line_is_text_not_the_heading_of_the_verdict_under_it():
    claim = "« Au 1er février, la facture d'électricité va doubler pour tout le monde, c'est voté. »"
    source = "Source : publication Facebook du 30 novembre 2026"
    verdict = "Le tarif réglementé de l'électricité ne doublera pas au 1er février : le régulateur propose une baisse."
    document = parse_text(f"Vrai ou faux\n\n{claim}\n\n{source}\n\n{verdict}")
    assert [(b.kind, b.text) for b in document.blocks] == [
        ("paragraph", claim),
        ("paragraph", source),
        ("paragraph", verdict),
    ]


@pytest.mark.parametrize(
    "dateline",
    [
        "Article publié le mardi 24 novembre 2026",
        "Publié le samedi 5 décembre 2026 à 10h12",
        "Mis à jour le 3/12/2026",
        "Publié le : 2 décembre 2026",
        "Le 3 décembre 2026 à 14h05, modifié le 3 décembre 2026 à 16h40",
        "Le 05/12/2026 à 08:47 - Mis à jour à 12:03",
    ],
)
def test_a_dateline_left_in_the_text_is_not_text(dateline):
    sentence = "La maternité de Guéret rouvrira le week-end à partir du mois de décembre."
    assert parse_text(f"Titre\n\n{dateline}\n\n{sentence}").text == sentence


def test_a_sentence_that_opens_on_a_date_and_time_is_text():
    sentence = "Le 3 décembre 2026 à 14h05, la fusée Ariane 6 a décollé de Kourou avec deux satellites."
    assert parse_text(f"Titre\n\n{sentence}").text == sentence


def test_news_page_furniture_is_not_article_text():
    body = "\n\n".join(
        [
            "Le match a tourné à la 74e minute, quand Lorient a égalisé sur penalty.",
            "74'",
            "-",
            "(73') Léo Dubois",
            "« Nous livrerons les premières voitures en mars », a écrit le patron de Tesla.",
            "— Elon Musk (@elonmusk) March 16, 2020",
            "Cet article est paru dans notre newsletter du matin. Inscrivez-vous pour la recevoir.",
            "En vidéo, les images du but de la victoire",
            "Lire aussi Martine Bulard &",
            "Sung Il-kwon, « En Corée, la politique du rayon de soleil », Le Monde diplomatique, juin 2018.",
            "The Wayback Machine - https://web.archive.org/web/2007/http://exemple.fr/article.html",
            "7,65 euros, port inclus",
            "Je m’abonne",
            "Image illustrative : un terrain de football, licence Creative Commons by",
            "AgricultureL'Office fédéral de l'agriculture a publié ses chiffres mardi.",
        ]
    )
    document = parse_text("Titre\n\n" + body)
    assert [b.text for b in document.blocks] == [
        "Le match a tourné à la 74e minute, quand Lorient a égalisé sur penalty.",
        "« Nous livrerons les premières voitures en mars », a écrit le patron de Tesla. — Elon Musk",
        "L'Office fédéral de l'agriculture a publié ses chiffres mardi.",
    ]


def test_an_embedded_tweet_keeps_its_words_without_its_shortened_links():
    document = parse_text(
        "Titre\n\nMaybe worth considering chloroquine for C19 https://t.co/LEYob7Jofr\n\n"
        "Le ministre a répondu mardi pic.twitter.com/abc123\n\nhttps://t.co/xyz"
    )
    assert [(b.kind, b.text) for b in document.blocks] == [
        ("paragraph", "Maybe worth considering chloroquine for C19"),  # a tweet's line, not a section's name
        ("paragraph", "Le ministre a répondu mardi"),
    ]


def test_each_item_of_a_pasted_list_is_a_paragraph_as_on_a_web_page():
    pasted = (
        "Budget 2025\n\nLe gouvernement a présenté mardi son budget. Les principales mesures :\n"
        "- une hausse de 2 % des pensions\n• la suppression de la taxe sur les box\n  internet, dès janvier\n"
        "1. 1,5 milliard d'euros pour les hôpitaux\n\nLe texte sera débattu en octobre. En 2025, le déficit\n"
        "- selon Bercy - atteindra 5 %."
    )
    assert [b.text for b in parse_text(pasted).blocks] == [
        "Le gouvernement a présenté mardi son budget. Les principales mesures :",
        "- une hausse de 2 % des pensions",
        "• la suppression de la taxe sur les box internet, dès janvier",  # the item's next line is its own
        "1. 1,5 milliard d'euros pour les hôpitaux",
        "Le texte sera débattu en octobre. En 2025, le déficit - selon Bercy - atteindra 5 %.",  # an aside
    ]
    post = "Ce qui change au 1er janvier :\n✅ les pensions augmentent de 2 %\n🔹 la taxe sur les box disparaît"
    assert [b.text for b in parse_text(post).blocks][1:] == [
        "✅ les pensions augmentent de 2 %",
        "🔹 la taxe sur les box disparaît",
    ]  # as channels write their posts
    page = "<html><body><article><h1>Budget 2025</h1><p>Les principales mesures du budget présenté mardi :</p>"
    page += "<ul><li>une hausse de 2 % des pensions</li><li>la suppression de la taxe sur les box</li></ul>"
    page += "<p>Le texte sera débattu à l'Assemblée nationale en octobre.</p></article></body></html>"
    assert "- une hausse de 2 % des pensions" in [b.text for b in parse_html(page).blocks]
    lines = "Les trains supprimés dimanche sur ces lignes :\n- Paris-Lyon\n- Nantes\n- Bordeaux-Toulouse"
    assert [b.text for b in parse_text(lines).blocks][1:] == ["- Paris-Lyon", "- Nantes", "- Bordeaux-Toulouse"]


def test_section_headings_are_kept_as_headings(sample_text):
    headings = [b.text for b in parse_text(sample_text).blocks if b.kind == "heading"]
    assert headings == [
        "La question du Donbass",
        "Craintes de nouvelles offensives",
        "L'Allemagne accélère sa production de munitions",
    ]


def test_a_page_s_own_headings_are_headings_whatever_their_punctuation_and_a_tweet_s_line_is_none():
    paragraph = (
        "<p>La Commission a revu ses prévisions de croissance à la baisse pour l'ensemble des pays de la zone "
        "euro, une semaine avant le sommet des dirigeants européens.</p>"
    )
    standfirst = " ".join(["L'institution abaisse ses prévisions pour l'année, avec un recul marqué."] * 3)
    page = (
        f"<html><body><article><h1>Croissance</h1><h2>{standfirst}</h2>{paragraph}"
        f"<h2>L'Italie, le « maillon faible »</h2>{paragraph}<h2>Que prévoit Bruxelles ?</h2>{paragraph}"
        "<p>Maybe worth considering chloroquine for C19 https://t.co/LEYob7Jofr</p>"
        f"{paragraph}</article></body></html>"
    )
    blocks = parse_html(page).blocks
    assert [b.text for b in blocks if b.kind == "heading"] == [
        "L'Italie, le « maillon faible »",
        "Que prévoit Bruxelles ?",
    ]
    assert blocks[0] == Block("paragraph", standfirst)  # a standfirst set in an <h2>: a paragraph
    assert any(b.kind == "paragraph" and "chloroquine for C19" in b.text for b in blocks)


CHAPTER_PARAGRAPHS = [
    "<p>Le front du glacier d'Argentière a reculé de 1 050 mètres depuis 1990, selon les relevés du "
    "laboratoire de glaciologie de Grenoble.</p>",
    "<p>La centrale hydroélectrique des Bois a produit 18 % d'électricité de plus en 2025 que vingt ans "
    "plus tôt, un surplus appelé à disparaître.</p>",
    "<p>Les guides de Chamonix ont déplacé trois itinéraires d'accès à la Mer de Glace depuis 2020, faute de "
    "glace assez épaisse pour les cordées.</p>",
    "<p>Un habitant de la vallée sur deux dit avoir vu le glacier reculer depuis son enfance, selon un sondage "
    "réalisé pour la commune en octobre.</p>",
]


def headings_read(headings: list[str]) -> list[str]:
    """The headings read from a page whose paragraphs each follow one of `headings`."""
    body = "".join(f"{heading}{paragraph}" for heading, paragraph in zip(headings, CHAPTER_PARAGRAPHS[1:]))
    page = f"<html><body><article><h1>Le glacier</h1>{CHAPTER_PARAGRAPHS[0]}{body}</article></body></html>"
    return [b.text for b in parse_html(page).blocks if b.kind == "heading"]


@pytest.mark.parametrize(
    ("headings", "read"),
    [
        (
            [
                '<h2 class="chapitre__title"><span class="chapitre__number">1</span> Le recul</h2>',
                '<h2 class="chapitre__title"><span class="chapitre__number">2</span> L\'eau</h2>',
            ],
            ["1. Le recul", "2. L'eau"],
        ),
        (
            [
                '<h2><span class="num">1</span><span class="titre">Le recul</span></h2>',
                '<h2><span class="num">2</span><span class="titre">L\'eau</span></h2>',
            ],
            ["1. Le recul", "2. L'eau"],
        ),
        (["<h2>I <em>Le recul</em></h2>", "<h2>II <em>L'eau</em></h2>"], ["I. Le recul", "II. L'eau"]),
    ],
)
def test_a_chapter_s_number_is_set_apart_from_its_title_as_the_page_shows_it(headings, read):
    assert headings_read(headings) == read


@pytest.mark.parametrize(
    ("headings", "read"),
    [
        (["<h3><b>3</b> questions à Anne Martin</h3>"], ["3 questions à Anne Martin"]),
        (["<h3><strong>8</strong> Français sur 10 se disent inquiets</h3>"], ["8 Français sur 10 se disent inquiets"]),
        (
            ["<h2>2 <em>Parisiens</em> sur 3 prennent les transports</h2>"],
            ["2 Parisiens sur 3 prennent les transports"],
        ),
        (["<h3><strong>3</strong> Questions à Anne Martin</h3>"], ["3 Questions à Anne Martin"]),
        (  # a count among chapters breaks their count: it is no chapter of theirs
            [
                '<h2><span class="num">1</span> Le recul</h2>',
                "<h3><strong>8</strong> Français sur 10 se disent inquiets</h3>",
                '<h2><span class="num">2</span> L\'eau</h2>',
            ],
            ["1. Le recul", "8 Français sur 10 se disent inquiets", "2. L'eau"],
        ),
    ],
)
def test_a_count_a_heading_sets_apart_is_its_words_not_a_chapter_s_number(headings, read):
    """Chapters are numbered from the first, two at least: a lone count is the heading's words."""
    assert headings_read(headings) == read


def test_an_article_s_information_list_is_no_text_and_the_publication_time_it_marks_dates_it():
    """Joomla's "Détails" list: by whom, in which category, when, how many views."""
    page = (
        "<html><body><main><div class='item-page'><h2 itemprop='headline'>La fromagerie rouvre</h2>"
        "<dl class='article-info text-muted'><dt>Détails</dt><dd>Écrit par : Pierre Vuillemin</dd>"
        "<dd>Catégorie : Actualités</dd><dd><time datetime='2026-12-02T08:14:00+01:00' itemprop='datePublished'>"
        "Publication : 2 décembre 2026</time></dd><dd>Affichages : 312</dd></dl>"
        "<div itemprop='articleBody'><p>La fromagerie coopérative de la Vrine a repris la fabrication lundi, "
        "deux ans après l'incendie de son séchoir.</p></div></div></main></body></html>"
    )
    document = parse_html(page)
    assert document.text == (
        "La fromagerie coopérative de la Vrine a repris la fabrication lundi, deux ans après l'incendie de son séchoir."
    )
    assert document.date == "2026-12-02"


MICRODATA_BODY = "".join(
    "<p>La fromagerie coopérative de la Vrine a repris la fabrication lundi, deux ans après l'incendie de son "
    f"séchoir, avec {n} salariés.</p>"
    for n in (12, 14, 15)
)
READER_COMMENT = (
    "<div class='derniers-avis'><div itemscope itemtype='https://schema.org/Comment'>"
    "<span itemprop='author'>Jeannot</span><time itemprop='datePublished' datetime='2026-12-05T21:03:00+01:00'>"
    "5 décembre</time><p itemprop='text'>Enfin une bonne nouvelle pour le village !</p></div></div>"
)
TEASER = (
    "<aside class='a-lire'><div itemscope itemtype='https://schema.org/NewsArticle'><a href='/incendie' "
    "itemprop='headline'>L'incendie du séchoir</a><time itemprop='datePublished' datetime='2024-11-20T07:00:00+01:00'>"
    "20 novembre 2024</time></div></aside>"
)


@pytest.mark.parametrize("before", [READER_COMMENT, TEASER])
def test_the_article_s_own_microdata_time_dates_it_not_a_comment_s_or_a_teaser_s_before_it(before):
    page = (
        f"<html><body>{before}<article itemscope itemtype='https://schema.org/NewsArticle'>"
        "<h1 itemprop='headline'>La fromagerie rouvre</h1>"
        "<time itemprop='datePublished' datetime='2026-12-02T08:14:00+01:00'>2 décembre 2026</time>"
        f"<div itemprop='articleBody'>{MICRODATA_BODY}</div></article></body></html>"
    )
    assert parse_html(page).date == "2026-12-02"


def test_a_reader_s_comment_marks_no_publication_time_for_the_page():
    page = (
        "<html><body><article><h1>La fromagerie rouvre</h1>"
        f"{MICRODATA_BODY}</article><section class='commentaires'>{READER_COMMENT}</section></body></html>"
    )
    assert page_metadata(page).date is None


def test_the_article_s_own_time_dates_it_rather_than_a_reader_s_comment_s():
    """A page that dates its article only by a `<time>` under the headline, its only other
    `<time>` a reader's comment's: the article's dates it (trafilatura's own fallback took the
    comment's, in a block it reads as a post's details)."""
    comment = (
        "<section id='comments'><div class='comment'><div class='comment-meta'>Jeannot, le "
        "<time datetime='2026-12-05T21:03:00+01:00'>05/12/2026 à 21:03</time></div>"
        "<p>Enfin une bonne nouvelle pour le village !</p></div></section>"
    )
    page = (
        "<html><body><article><h1>La fromagerie rouvre</h1>"
        "<p><time datetime='2026-12-02T08:14:00+01:00'>2 décembre 2026</time></p>"
        f"{MICRODATA_BODY}</article>{comment}</body></html>"
    )
    assert parse_html(page).date == "2026-12-02"


@pytest.mark.parametrize(
    "sentence",
    [
        "Le festival se tiendra le <strong><time datetime='2027-04-12'>12 avril</time></strong> au parc.",
        "Le conseil municipal se réunira <time datetime='2027-01-15'>le 15 janvier</time>.",
    ],
)
def test_an_event_s_time_in_a_sentence_does_not_date_the_page(sentence):
    """A `<time>` inside a sentence, even wrapped in bold or in a short sentence, is an event's
    date (in the future here), not the article's: the page stays undated rather than misdated."""
    page = (
        f"<html><body><article><h1>La fromagerie rouvre</h1><p>{sentence}</p>{MICRODATA_BODY}</article></body></html>"
    )
    assert parse_html(page).date is None


def test_a_key_figure_s_value_and_label_are_read_as_one_sentence():
    figures = "".join(
        f"<div class='key-figure'><div class='value'>{value}</div><div class='label'>{label}</div></div>"
        for value, label in [("12 000", "habitants vivent en zone inondable"), ("59 mètres", "de hauteur")]
    )
    # An article of a few hundred words, as the extractor's own rules read it (a shorter one is read
    # by its fallback extractors, which kept the figures' <div>s).
    after = "".join(f"<p>{one} {other}</p>" for one, other in itertools.permutations(GALLERY_CAPTIONS, 2))
    page = (
        "<html><body><article><h1>Le barrage</h1><p>Un rapport recommande d'abaisser de deux mètres le niveau "
        f"du barrage de Villerest, le temps de renforcer ses appuis.</p><div class='key-figures'>{figures}</div>"
        f"{after}</article></body></html>"
    )
    paragraphs = parse_html(page).text.split("\n\n")
    assert paragraphs[1:3] == ["12 000 habitants vivent en zone inondable", "59 mètres de hauteur"]


def test_each_term_of_a_description_list_is_read_with_its_description():
    """A "Repères" chronology: a quote of an event says its year."""
    page = (
        "<html><body><article><h1>Le barrage</h1><p>Un rapport recommande d'abaisser de deux mètres le niveau "
        "du barrage de Villerest, le temps de renforcer ses appuis.</p><h2>Repères</h2><dl>"
        "<dt>1984</dt><dd>Mise en service du barrage.</dd><dt>2025</dt><dd>Des fissures sont relevées.</dd>"
        "</dl></article></body></html>"
    )
    assert parse_html(page).text.split("\n\n")[-2:] == [
        "- 1984 – Mise en service du barrage.",
        "- 2025 – Des fissures sont relevées.",
    ]


def test_an_article_s_details_set_as_a_description_list_are_no_text():
    """Its reading time and publication date, each a term and its description, as the box shows them."""
    page = (
        "<html><body><article><h1>Le barrage</h1><dl class='details'><dt>Temps de lecture</dt><dd>3 min</dd>"
        "<dt>Publié le</dt><dd>2 décembre 2026</dd></dl><p>Un rapport recommande d'abaisser de deux mètres le "
        "niveau du barrage de Villerest, le temps de renforcer ses appuis.</p><h2>Repères</h2><dl>"
        "<dt>1984</dt><dd>Mise en service du barrage.</dd><dt>Mis à jour le</dt><dd>3 décembre 2026</dd>"
        "</dl></article></body></html>"
    )
    assert parse_html(page).text.split("\n\n") == [
        "Un rapport recommande d'abaisser de deux mètres le niveau du barrage de Villerest, le temps de renforcer "
        "ses appuis.",
        "Repères",
        "- 1984 – Mise en service du barrage.",
    ]


def test_a_page_laid_out_in_a_table_is_read_from_its_headline_without_its_menu_and_side_column():
    """An older site's page: menu, side column and article in the cells of one table, which
    the extractor reads whole."""
    page = Path(__file__).parent / "data" / "news-pages" / "12-latin1-meta-charset.html"
    document = parse_html(decode_document(page.read_bytes(), html=True))
    for chrome in ("Aubusson", "Nécrologie", "Dernières infos", "Cité de la tapisserie", "Météo", "SANTÉ"):
        assert chrome not in document.text, chrome
    assert "sept jours sur sept" in document.text and document.text.endswith("attendue l’an prochain.")


def test_a_standfirst_set_above_the_headline_is_kept():
    lead = "La ville relève son impôt pour la première fois depuis 2014 afin de rénover ses écoles et ses gymnases."
    body = "".join(
        f"<p>Le conseil municipal de Rennes a voté lundi une hausse de la taxe foncière de {n} %, la première "
        "depuis dix ans, malgré l'opposition des élus.</p>"
        for n in (3, 4, 5)
    )
    page = f"<html><body><article><p>{lead}</p><h1>Rennes relève la taxe foncière</h1>{body}</article></body></html>"
    assert parse_html(page).text.startswith(lead)


def test_an_ordinal_set_in_superscript_stays_one_word():
    body = (
        "<p>La maternité rouvrira le 1<sup>er</sup> décembre dans les murs de l'hôpital construit au XIX<sup>e</sup> "
        "siècle, a annoncé mardi la direction de l'établissement, après trois mois de fermeture.</p>"
    )
    text = parse_html(f"<html><body><article><h1>La maternité rouvre</h1>{body}</article></body></html>").text
    assert "le 1er décembre" in text and "au XIXe siècle" in text


def test_a_footnote_call_is_not_run_into_the_word_before_it_and_an_exponent_stays():
    body = (
        '<p>Les bailleurs ont mis en chantier 71 500 logements en 2025<sup class="note"><a href="#note-1">1</a>'
        "</sup>, le chiffre le plus faible depuis 2005, et 2,7 millions de ménages attendent un logement social"
        "<a href='#n2'><sup>[2]</sup></a>, un record.</p><p>Un logement neuf de 45 m<sup>2</sup> coûte en moyenne "
        "180 000 euros à construire, selon la fédération des bailleurs sociaux, soit 12 % de plus qu'en 2022.</p>"
        '<ol><li id="note-1">Données provisoires du ministère.</li><li id="n2">Au 1er janvier 2026.</li></ol>'
    )
    text = parse_html(f"<html><body><article><h1>Logement social</h1>{body}</article></body></html>").text
    assert "logements en 2025, le chiffre" in text and "un logement social, un record" in text
    assert "45 m2 coûte" in text


def test_a_short_dispatch_keeps_its_text_and_headings_and_none_of_the_boxes_around_them():
    """A dispatch of 250 words, boxed in as news sites do: trafilatura's fallback extractors,
    run on every page, kept the boxes its own rules drop and lost a heading."""
    page = (Path(__file__).parent / "data" / "pages" / "short-dispatch.html").read_text(encoding="utf-8")
    document = parse_html(page, url="https://quotidien-du-centre.example/politique/retraites")
    assert document.text.startswith("Après trois semaines de débats houleux, les sénateurs ont adopté mardi soir")
    assert [b.text for b in document.blocks if b.kind == "heading"] == [
        "Que prévoit le texte ?",
        "« Une bataille qui n'est pas finie »",
    ]
    assert "commission mixte paritaire" in document.text  # the last paragraph
    for box in ("Newsletter", "Recevez-la", "est journaliste au service politique", "réservé aux abonnés", "cookies"):
        assert box not in document.text, box
    assert (document.title, document.date) == ("Réforme des retraites : le Sénat adopte le texte", "2024-03-05")
    assert document.text.count("C'est une étape importante") == 1  # its pull quote is no second paragraph


def test_a_box_before_the_headline_whose_class_says_intro_or_summary_is_no_standfirst():
    body = "".join(
        f"<p>Le conseil municipal de Rennes a voté lundi une hausse de la taxe foncière de {n} %, la première "
        "depuis dix ans, malgré l'opposition des élus.</p>"
        for n in (3, 4, 5)
    )
    boxes = (
        "<header><p class='newsletter-intro'>Chaque soir, recevez une sélection des meilleurs articles de la "
        "rédaction, directement dans votre boîte mail.</p></header>"
        "<div class='home-faits-divers'>Rennes : un homme interpellé après une course-poursuite dans le "
        "centre-ville dimanche soir, selon la police.</div>"
    )
    lead = "La ville relève son impôt pour la première fois depuis 2014 afin de rénover ses écoles et ses gymnases."
    for standfirst, first in (("", "Le conseil municipal"), (f"<p class='chapo'>{lead}</p>", "La ville relève")):
        page = f"<html><body>{boxes}<h1>Taxe foncière</h1>{standfirst}<article>{body}</article></body></html>"
        assert parse_html(page).text.startswith(first)


def test_a_pull_quote_edited_from_its_paragraph_is_not_a_paragraph_of_its_own():
    said = (
        "<p>D'ailleurs, les 11 agences sanitaires au monde (Efsa en Europe, Anses en France) ont un avis unanime "
        "sur le glyphosate : correctement utilisé, il ne présente pas de risque. L'Efsa l'a confirmé en 2015.</p>"
    )
    pulled = (
        "<p class='exergue'>« Les 11 agences sanitaires au monde ont un avis unanime : correctement utilisé, "
        "il ne présente pas de risque »</p>"
    )
    other = "<p>« Les agences ont tort », répond Greenpeace, qui réclame depuis dix ans l'interdiction du produit.</p>"
    document = parse_html(f"<html><body><article><h1>Glyphosate</h1>{pulled}{said}{other}</article></body></html>")
    assert [b.text[:14] for b in document.blocks] == ["D'ailleurs, le", "« Les agences "]


def test_title_falls_back_to_the_file_name_without_its_date(sample_text):
    assert parse_text(sample_text, name="otan-bruxelles-2023-02.txt").title == "Otan bruxelles"


def test_leading_metadata_lines_are_read_and_removed():
    document = parse_text(
        "titre: Le budget 2024 adopté\ndate: 14/02/2024\nauteur: Jeanne Martin\nurl: https://example.org/budget\n\n"
        "Le Parlement a adopté le budget mardi soir après un long débat."
    )
    assert (document.title, document.date, document.author, document.url) == (
        "Le budget 2024 adopté",
        "2024-02-14",
        "Jeanne Martin",
        "https://example.org/budget",
    )
    assert document.text == "Le Parlement a adopté le budget mardi soir après un long débat."


def test_yaml_front_matter_is_read():
    document = parse_text("---\ntitle: Élections\ndate: 2022-04-24\n---\nLes électeurs ont voté dimanche en masse.")
    assert (document.title, document.date) == ("Élections", "2022-04-24")
    assert document.text == "Les électeurs ont voté dimanche en masse."


def test_an_impossible_front_matter_date_is_no_date_rather_than_an_error():
    document = parse_text("---\ntitle: Élections\ndate: 2023-13-01\n---\nLes électeurs ont voté dimanche en masse.")
    assert (document.title, document.date) == ("Élections", None)


def test_a_source_line_naming_an_agency_is_no_link():
    dispatches = [
        parse_text("Source : AFP\n\nLe Premier ministre a annoncé mardi un plan pour l'hôpital public."),
        parse_text("source: www.example.org/bourse\n\nLa Bourse de Paris a clôturé en hausse vendredi."),
    ]
    assert [d.url for d in dispatches] == [None, "https://www.example.org/bourse"]


@pytest.mark.parametrize(
    "metadata",
    [
        "titre: Grève\nsource: AFP\nurl: https://exemple.fr/greve\n\n",
        "---\nurl: https://exemple.fr/greve\nsource: AFP\n---\n",
    ],
)
def test_a_source_naming_an_agency_beside_the_link_leaves_the_link(metadata):
    document = parse_text(metadata + "La grève a commencé lundi matin dans toute la France.")
    assert document.url == "https://exemple.fr/greve"


def test_a_source_line_that_no_browser_could_open_is_no_link():
    typed = parse_text('url: http://exemple.fr/a b"c<d>\n\nLa Bourse de Paris a clôturé en hausse vendredi.')
    assert typed.url is None and typed.text == "La Bourse de Paris a clôturé en hausse vendredi."


def test_a_pasted_text_s_title_is_its_first_words_with_an_ellipsis_only_when_cut_mid_sentence():
    whole = "Le festival de Rennes a réuni trois cent mille personnes ce lundi."
    assert parse_text(f"{whole} Il revient l'an prochain avec de nouveaux artistes.").title == whole
    cut = parse_text("Le festival de Rennes a réuni trois cent mille personnes ce lundi soir, selon la mairie.")
    assert cut.title == "Le festival de Rennes a réuni trois cent mille personnes ce lundi…"


def test_front_matter_that_repeats_itself_through_aliases_is_not_expanded():
    # Each level names the one before ten times: a million strings here, a billion at nine levels.
    lines = ["---", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 6)]
    document = parse_text("\n".join([*lines, "title: *a5", "---", "Le conseil a voté le budget mardi soir."]))
    assert len(document.title) < 200 and "Le conseil a voté le budget mardi soir." in document.text
    listed = parse_text("---\ntitle: [Un, Deux]\nauteur: Jeanne Martin\n---\nLe conseil a voté le budget mardi.")
    assert listed.author == "Jeanne Martin" and listed.title != "['Un', 'Deux']"  # only plain values are read


def test_front_matter_of_megabytes_is_read_as_text_not_as_yaml():
    """YAML is read at about 3 s and 80 MB a megabyte: 19 MB of it took 51 s and 1.4 GB."""
    keys = "".join(f"cle{i}: valeur {i}\n" for i in range(100_000))  # 2 MB
    started = time.thread_time()
    document = parse_text(f"---\ntitle: Élections\n{keys}---\nLes électeurs ont voté dimanche en masse.")
    assert time.thread_time() - started < 4  # a blow-up guard: read as YAML, 6 s of CPU
    assert "cle99999: valeur 99999" in document.text and "Les électeurs ont voté dimanche" in document.text


def test_control_characters_never_reach_the_text():
    document = parse_text("Titre\n\nLe vote\x00 a eu lieu\x07 mardi.\x1b Il a réuni 32 voix.")
    assert document.text == "Le vote a eu lieu mardi. Il a réuni 32 voix."


def test_one_unreadable_file_is_its_own_error_and_the_others_are_read(tmp_path, settings):
    (tmp_path / "a-date.txt").write_text("---\ntitle: A\ndate: 2023-13-01\n---\nLe premier article parle du budget.")
    (tmp_path / "b-binary.txt").write_bytes(b"Un long texte. " * 1000 + b"\x00")
    (tmp_path / "c-good.md").write_text("# C\n\nLe troisième article parle des retraites.")
    read = dict(read_input(str(tmp_path), settings))
    assert sorted(Path(label).name for label in read) == ["a-date.txt", "b-binary.txt", "c-good.md"]
    by_name = {Path(label).name: item for label, item in read.items()}
    assert by_name["a-date.txt"].title == "A" and by_name["c-good.md"].title == "C"
    assert isinstance(by_name["b-binary.txt"], InputError) and "binaire" in str(by_name["b-binary.txt"])


def test_a_site_address_typed_without_https_on_the_command_line_is_shown_written_whole(tmp_path, settings, monkeypatch):
    """`python -m bot ingest lemonde.fr/…` reads a file by that name first; none there, the error
    shows the address to give, while a mistyped file name is not taken for a site."""
    monkeypatch.chdir(tmp_path)
    [(_, site)] = read_input("lemonde.fr/politique/article", settings)
    assert isinstance(site, InputError)
    assert str(site) == (
        "introuvable : lemonde.fr/politique/article (ni fichier, ni dossier ; une page web ? donnez son "
        "adresse entière : https://lemonde.fr/politique/article)"
    )
    for missing in ("artcle.txt", "photo.jpg", "données.csv", "lettre.rtf"):  # a typo, a file of another kind
        [(_, typo)] = read_input(missing, settings)
        assert str(typo) == f"introuvable : {missing} (ni fichier, ni dossier, ni URL http(s))"


def test_a_first_line_heading_is_the_title():
    document = parse_text("# La réforme des retraites\n\nLe gouvernement a présenté son projet ce matin.")
    assert document.title == "La réforme des retraites"
    assert document.text == "Le gouvernement a présenté son projet ce matin."


def test_a_hard_wrapped_text_keeps_its_first_line_in_its_first_sentence():
    wrapped = (
        "Le Premier ministre a annoncé mardi un plan de deux\nmilliards d'euros pour l'hôpital public.\n\n"
        "Les syndicats ont salué une « première étape »."
    )
    document = parse_text(wrapped, name="hopital.txt")
    assert document.title == "Hopital"
    assert document.text.startswith("Le Premier ministre a annoncé mardi un plan de deux milliards d'euros")
    headline = parse_text("Crue de la Seine\nLa Seine a atteint six mètres à Paris mardi.")
    assert (headline.title, headline.text) == ("Crue de la Seine", "La Seine a atteint six mètres à Paris mardi.")


def test_bylines_and_teasers_are_dropped():
    document = parse_text(
        "Titre: Crue de la Seine\n\nPar Jean Dupont, envoyé spécial\n\nLa Seine a atteint six mètres à Paris.\n\n"
        "À lire aussi : notre dossier sur les inondations\n\nPublié le 12 janvier 2024 à 10h\n\n"
        "Les quais sont fermés jusqu'à nouvel ordre."
    )
    assert document.text == "La Seine a atteint six mètres à Paris.\n\nLes quais sont fermés jusqu'à nouvel ordre."


@pytest.mark.parametrize(
    "sentence",
    [
        "Par ailleurs, la ministre a démissionné mardi soir.",
        "Par la suite, le gouvernement a reculé sur ce point.",
        "Les étudiants bénéficieront d'un tarif réduit de 50 % dans les transports en commun.",
        "Tarif réduit : 5 € pour les étudiants et les demandeurs d’emploi.",  # an events box's price list
        "« Inscrivez-vous sur les listes électorales avant vendredi », a lancé le maire.",
        "L'application peut désormais se télécharger gratuitement sur Android et iPhone.",
        "La newsletter du ministère a été piratée lundi, selon l'Anssi.",
        "Dès janvier, les places du parking relais seront réservées aux abonnés du réseau de bus.",
        "Ces nouveaux tarifs, réservés aux abonnés TGV Max, entreront en vigueur le 1er mars.",
        "« Ces propos n'engagent que leur auteur », a répliqué le porte-parole du gouvernement.",
        "« Soutenez-nous », a lancé le maire aux habitants venus manifester devant la préfecture.",
        "On y retrouve tous les épisodes de la série, restaurés en haute définition par l'Ina.",
        "« Reproduction interdite », prévient l'étiquette.",
        "Durée : 90 min, entracte compris.",  # a show's, in a box of dates and prices
        "Le chèque énergie arrivera dans votre boîte aux lettres en avril, précise le ministère.",
        "Lisez également les conditions générales avant de signer : elles contiennent les frais de résiliation, "
        "prévient l'association.",
        # A warning that names the reader's mailbox, not a newsletter's promise to fill it.
        "Si vous recevez ce courriel dans votre boîte mail, ne cliquez surtout pas sur le lien, avertit la "
        "gendarmerie du Calvados.",
        "« Ne répondez jamais à un message reçu dans votre boîte de réception qui vous demande vos codes », "
        "rappelle la CNIL.",
        "« Se connecter au réseau prendra dix ans », estime l'opérateur.",
        "12 minutes de lecture par jour suffisent à progresser, selon l'étude.",
        "« Signalez-le à la mairie », conseille le maire aux habitants du quartier.",
        "Des lecteurs ont écrit à la rédaction pour signaler la fuite d'eau rue Nationale.",
        "Le photographe réclame 5 000 euros : ses images portaient la mention « tous droits réservés ».",
    ],
)
def test_short_paragraphs_in_a_byline_s_or_a_subscription_prompt_s_words_are_kept(sentence):
    body = f"Le conseil municipal s'est réuni lundi soir.\n\n{sentence}\n\nLa séance a duré trois heures."
    assert sentence in parse_text(body).text


@pytest.mark.parametrize(
    "furniture",
    [
        "Par la rédaction",
        "PAR JEANNE MARTIN, ENVOYÉE SPÉCIALE À KIEV",
        "Par Maëlle Guérin · Publié le",  # the byline's <time> dropped by the extractor
        "De notre correspondante à Bruxelles, Anne-Sophie Leclerc",
        "Abonnez-vous pour lire la suite de cet article.",
        "Recevez chaque matin notre newsletter : inscrivez-vous ici.",
        "Newsletter : l'essentiel de l'actualité, chaque soir.",
        "Tarifs réduits à partir de 4 exemplaires : nous consulter",
        "Il vous reste 74.57% de cet article à lire. La suite est réservée aux abonnés.",
        "La suite de cet article est réservée aux abonnés.",
        "Réservé aux abonnés",
        "Profitez de notre offre : 1 € le premier mois, sans engagement.",
        "Le Courrier est indépendant. Pour que nos enquêtes restent gratuites, soutenez-nous dès 5 euros par mois.",
        "Les tribunes publiées par Le Quotidien des Idées n’engagent que leurs auteurs.",
        "Retrouvez tous les épisodes du décryptage éco chaque samedi à 7h50 et sur l’application Radio Hexagone.",
        "Vous avez vu passer une information douteuse ? Signalez-la à notre équipe, nous la vérifierons.",
        "Diffusé le 01/12/2026 à 19:20",  # a video's or an episode's dateline
        "Diffusé le · Durée : 2 min",  # the same, its <time> dropped by the extractor
        "Le Courrier du Var – Tous droits de reproduction réservés",
        "© 2026 L’Écho comtois. Reproduction interdite sans autorisation.",
        "Chaque matin, l'essentiel de l'actualité dans votre boîte mail. Recevez-la gratuitement ci-dessous.",
        "Retrouvez l’essentiel de l’actualité vaudoise, chaque matin dans votre boîte mail.",  # a newsletter box's
        "Une sélection des meilleurs articles de la rédaction, directement dans votre boîte mail.",
        "Lisez aussi Tram de Liège : un an après, la fréquentation dépasse les prévisions",  # a Belgian daily's
        "Lisez aussi : le tram de Liège, un an après",
        "Se connecter",  # a box's login link
        "4 min de lecture",
        "Cet article vous a-t-il été utile ?",
        "Cet article est paru dans notre newsletter « La lettre éco ». Si vous êtes abonné au Monde, vous "
        "pouvez vous inscrire à cette lettre quotidienne en suivant ce lien. Chaque jour à 12 h 30, vous y "
        "retrouverez les informations du Monde et son regard sur l'actualité économique, à travers notamment "
        "la chronique « Pertes & profits ».",  # a publisher's note, however long
    ],
)
def test_bylines_and_subscription_prompts_are_dropped(furniture):
    body = f"Le conseil municipal s'est réuni lundi soir.\n\n{furniture}\n\nLa séance a duré trois heures."
    assert parse_text(body).text == "Le conseil municipal s'est réuni lundi soir.\n\nLa séance a duré trois heures."


def test_a_communique_s_closing_press_contacts_are_no_text():
    communique = (
        "Le préfet active le plan grand froid à partir de jeudi soir.\n\n"
        "Les maraudes passeront chaque nuit de 20 heures à 2 heures."
    )
    contacts = "Contact presse\n\nBureau de la communication\n\nTél. : 03 20 30 52 52 – pref-communication@nord.gouv.fr"
    assert parse_text(f"{communique}\n\n{contacts}").text == communique
    # What goes on after them at length is the article's ("Service presse" as a subject).
    story = (
        f"{communique}\n\nService de presse\n\nLe service de presse de la préfecture a été renforcé de deux agents "
        "pour répondre aux demandes des journalistes pendant toute la durée de l'épisode de froid."
    )
    assert parse_text(story).text == story
    # A short text that opens on them is about the press.
    note = "Relations presse : la mairie ne répond plus au journal depuis mars.\n\nLe maire refuse de le commenter."
    assert parse_text(note).text == note


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2023-02", "2023-02"), ("14 février 2023", "2023-02-14"), ("1er mars 2021", "2021-03-01"), ("n'importe", None)],
)
def test_dates_are_normalised_to_iso(value, expected):
    assert normalise_date(value) == expected


def test_empty_or_noise_only_text_is_refused():
    with pytest.raises(EmptyInput):
        parse_text("   \n\n  ")
    with pytest.raises(EmptyInput):
        parse_text("Photo : AFP\n\nPar Jean Dupont")


def test_binary_bytes_are_refused_clearly():
    with pytest.raises(UnsupportedInput, match="binaire"):
        decode_document(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(UnsupportedInput, match="binaire"):  # a NUL far into the file too
        decode_document(b"Un long texte. " * 1000 + b"\x00" + b"La suite.")


def test_binary_bytes_without_a_nul_are_refused_and_a_text_s_stray_control_characters_are_not():
    """Compressed or encrypted data, cut short, may hold no NUL byte: decoded, 2 MB of it was
    added as an article of 1.7 million characters of noise (20 MB: 8 s to read, and its noise
    embedded)."""
    noise = random.Random(1).randbytes(200_000).replace(b"\x00", b"\x01")
    with pytest.raises(UnsupportedInput, match="binaire"):
        decode_document(noise)
    with pytest.raises(UnsupportedInput, match=r"non pris en charge \(article\)"):  # a file whose name says nothing
        parse_bytes(noise, name="article", source=None, max_bytes=10**6)
    text = "Le vote\x07 a eu lieu mardi.\x1b Il a réuni 32 voix.\x0c\n" * 30  # an escape, a bell a line
    assert decode_document(text.encode()) == text


def test_french_text_in_any_common_encoding_is_read():
    text = "Élection présidentielle : l'œuvre coûte 3 € à Noël."
    assert decode_document(text.encode("cp1252")) == text  # written on Windows
    assert decode_document(text.encode("utf-8-sig")) == text
    assert decode_document(text.encode("utf-16")) == text
    assert decode_document("Élection à Paris".encode("latin-1")) == "Élection à Paris"


def test_a_page_is_read_in_the_charset_it_declares_even_with_a_stray_byte():
    page = "<html><head><meta charset='iso-8859-1'></head><body>Élection à Paris</body></html>"
    assert "Élection à Paris" in decode_document(page.encode("cp1252") + b"\x81", html=True)
    assert decode_document("Élu à Lyon".encode("cp1252"), declared="ISO-8859-1") == "Élu à Lyon"
    assert decode_document("Élu à Lyon".encode(), declared="ISO-8859-1") == "Élu à Lyon"  # mislabelled UTF-8


def test_an_xhtml_page_is_read_in_the_encoding_its_xml_declaration_states():
    """ISO-8859-15 writes "€" where Windows-1252, the guess for an undeclared page, has "¤"."""
    page = (
        '<?xml version="1.0" encoding="iso-8859-15"?>\n<html><body><p>Le mètre cube passe à 4,59 €.</p></body></html>'
    )
    assert "Le mètre cube passe à 4,59 €." in decode_document(page.encode("iso-8859-15"), html=True)


def test_windows_text_among_much_markup_is_not_taken_for_utf8_and_utf8_keeps_a_stray_byte():
    scripts = "<script>var config = {" + ",".join(f'"k{i}": "v{i}"' for i in range(4000)) + "};</script>"
    page = f"<html><head>{scripts}</head><body><p>Trois écoles fermées à Dijon après la découverte d'amiante.</p>"
    assert "Trois écoles fermées à Dijon" in decode_document(page.encode("cp1252"), html=True)
    written = "Élection à Paris : le préfet a réuni les maires ; le débat a duré."
    assert decode_document(written.encode() + b"\xe9") == written + "\ufffd"  # one stray byte: UTF-8 still


QUESTION = "Qui a rouvert le café ?"
PAGE = (
    "Élection à Paris : le préfet a réuni les maires ; « le débat a duré », dit-il.\n"
    "L’opposition dénonce une hausse déguisée des tarifs et annonce un recours – sans surprise…\n"
) * 40


def with_stray_bytes(text: str, *strays: bytes) -> bytes:
    """`text` in UTF-8 with `strays` put in after its first words, one after each."""
    words = text.encode().split(b" ")
    for place, stray in enumerate(strays, start=1):
        words[place] = stray + words[place]
    return b" ".join(words)


@pytest.mark.parametrize(
    "strays",
    [
        (b"\xff\xfe",),
        (b"\x81",),
        (b"\xe9",),
        (b"\xff\xfe\xfd",),
        (b"\xff\xfe", b"\xc3"),
        (b"\x9d", b"\xe2\x80", b"\xfe"),
    ],
    ids=["utf16-mark", "unassigned", "a-windows-accent", "three-bytes", "mark-and-cut-accent", "three-runs"],
)
def test_a_short_utf8_text_with_a_stray_byte_or_two_keeps_its_accents(strays, tmp_path):
    """user77: a question file (`ask --batch`), a pasted or uploaded line in UTF-8 with a stray
    byte or two was read wholly as Windows-1252: « Qui a rouvert le cafÃ© ? ». Its one accent is
    made as Windows-1252 French never makes one; the stray bytes are lost, not the accent."""
    from bot.cli_library import batch_questions

    data = with_stray_bytes(QUESTION, *strays)
    assert decode_document(data).replace("\ufffd", "") == QUESTION
    assert parse_bytes(data, name="question.txt", source=None, max_bytes=1_000).text.replace("\ufffd", "") == QUESTION
    (tmp_path / "questions.txt").write_bytes(data + b"\nQui dirige la mairie ?\n")
    asked = batch_questions(str(tmp_path / "questions.txt"), max_bytes=10**6)
    assert [question.replace("\ufffd", "") for question in asked] == [QUESTION, "Qui dirige la mairie ?"]
    assert decode_document(with_stray_bytes(PAGE, *strays)).replace("\ufffd", "") == PAGE  # and a page of them


@pytest.mark.parametrize(
    "written",
    [
        "café",
        "Ç’a été dur.",
        "Ç’a marché, à Noël.",
        "« C’est réglé\u00a0», a dit le préfet.",
        "CAFÉ\u00a0! Ç’a été l’ÉTÉ\u00a0» : " + QUESTION,
        PAGE,
        PAGE + "Ç’a été, dit-il, « réglé\u00a0» ; l’ÉTÉ\u00a0» passe.\n",
    ],
    ids=[
        "a-word",
        "ca-a",
        "ca-a-and-an-accent",
        "a-line",
        "accidental-pairs",
        "a-page",
        "a-page-with-accidental-pairs",
    ],
)
def test_french_written_on_windows_is_read_so_at_any_size(written):
    """Windows-1252 writes each accent with a byte UTF-8 cannot read alone, but an accented letter
    directly followed by a sign may make a valid UTF-8 character by accident (« Ç’a » reads "ǒa",
    « réglé » "régl顛"): those are counted for Windows, not against it."""
    assert decode_document(written.encode("cp1252")) == written


def test_a_text_of_both_encodings_is_read_in_the_one_that_keeps_more_of_its_letters():
    """A Windows paragraph pasted into a UTF-8 article loses its own accents, not the article's;
    a UTF-8 quote pasted into a Windows text garbles only the quote."""
    windows_paragraph = "Le maire a été réélu à Lyon.\n"
    read = decode_document(PAGE.encode() + windows_paragraph.encode("cp1252"))
    assert read.startswith(PAGE) and read.endswith("Le maire a \ufffdt\ufffd r\ufffd\ufffdlu \ufffd Lyon.\n")
    quote = "« Ça suffit », a-t-il dit.\n"
    read = decode_document(PAGE.encode("cp1252") + quote.encode())
    assert read.startswith(PAGE) and read.endswith(quote.encode().decode("cp1252"))


FRENCH_WORDS = [
    "café",
    "été",
    "réglé",
    "Noël",
    "où",
    "à",
    "élu",
    "maïs",
    "Ça",
    "cœur",
    "hôpital",
    "forêt",
    "Élysée",
    "ÉTÉ",
]
FRENCH_WORDS += ["Ç’a", "l’école", "CAFÉ", "déjà", "garçon", "le", "maire", "de", "vote", "Paris", "32", "mardi"]
AFTER_A_WORD = [" ", " ", " ", "\u00a0: ", "\u00a0» ", "… ", ", « ", "\u00a0! ", " – ", ".\n", "\u00a0;\u00a0"]


@given(st.lists(st.tuples(st.sampled_from(FRENCH_WORDS), st.sampled_from(AFTER_A_WORD)), min_size=1, max_size=300))
def test_any_french_text_written_on_windows_with_an_accent_unreadable_as_utf8_is_read_back(words):
    written = "".join(word + after for word, after in words)
    data = written.encode("cp1252")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        assert decode_document(data) == written
    # else valid UTF-8 ("Ç’a " alone): read as UTF-8, whatever it says


@given(
    st.text(
        st.sampled_from("abcdefghijklmnopqrstuvwxyz ÀÂÇÉÈÊËÎÏÔÙÛÜàâçéèêëîïôùûüÿœŒ’«»…\u00a0–—€°.,;:!?\n"),
        min_size=1,
        max_size=400,
    ),
    st.integers(min_value=0x80, max_value=0xFF),
    st.integers(min_value=0),
)
def test_any_utf8_text_with_a_stray_byte_keeps_its_accented_letters(written, stray, place):
    if written.isascii() or not written.strip():
        return
    place %= len(written) + 1
    data = written[:place].encode() + bytes([stray]) + written[place:].encode()
    assert decode_document(data).replace("\ufffd", "", 1) == written


@pytest.mark.parametrize("label", ["base64", "rot13", "zlib", "hex", "idna", "x-user-defined"])
def test_a_charset_no_text_is_written_in_is_read_as_if_none_were_declared(label):
    page = f"<html><head><meta charset='{label}'></head><body>Élection à Paris</body></html>"
    assert "Élection à Paris" in decode_document(page.encode("cp1252"), declared=label, html=True)


ARTICLE_PAGE = """<!doctype html><html lang="fr"><head>
<title>Le Conseil vote la réforme | Le Quotidien</title>
<meta property="og:title" content="Le Conseil vote la réforme">
<meta name="author" content="Claire Petit">
<meta property="article:published_time" content="2024-03-05T08:00:00+01:00">
<link rel="canonical" href="https://www.lequotidien.example/politique/reforme">
</head><body>
<div id="cookie-banner">Nous utilisons des cookies pour améliorer votre expérience. Accepter les cookies</div>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/politique">Politique</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<main><article>
<h1>Le Conseil vote la réforme</h1>
<p>Le Conseil municipal a adopté mardi la réforme du stationnement par 32 voix contre 11, après trois heures de débat.</p>
<p>La maire, Sophie Lambert, a salué « une étape décisive pour la ville » et promis une première évaluation dans un an.</p>
<aside><h2>À lire aussi</h2><ul><li><a href="/a">Les parkings relais ouvrent</a></li><li><a href="/b">Le tramway prolongé</a></li></ul></aside>
<p>L'opposition dénonce une hausse déguisée des tarifs et annonce un recours devant le tribunal administratif.</p>
</article></main>
<footer><p>© 2024 Le Quotidien — Mentions légales — Contact — Plan du site</p></footer>
</body></html>"""


def test_a_line_break_inside_a_sentence_of_a_page_keeps_the_sentence_whole():
    paragraphs = [
        "Le conseil municipal de Lyon s'est réuni lundi soir pour voter le budget de l'année prochaine.",
        "Selon le rapport publié mardi par la chambre régionale,<br>les dépenses ont progressé de 4 % en un an.",
        "Adresse :<br>Mairie de Lyon<br>1 place de la Comédie",
    ]
    page = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>"
    text = parse_html(page).text
    assert "la chambre régionale, les dépenses ont progressé de 4 % en un an." in text
    assert "Mairie de Lyon" in text and "Adresse : Mairie" not in text  # a line that starts a line stays one


def test_web_page_main_text_and_metadata_without_site_boilerplate():
    document = parse_html(ARTICLE_PAGE, url="https://www.lequotidien.example/politique/reforme?utm_source=x")
    assert document.title == "Le Conseil vote la réforme"
    assert document.date == "2024-03-05"
    assert document.author == "Claire Petit"
    assert document.url == "https://www.lequotidien.example/politique/reforme"
    assert "32 voix contre 11" in document.text
    assert "recours devant le tribunal administratif" in document.text
    for boilerplate in ("cookies", "Accueil", "Mentions légales", "parkings relais", "À lire aussi"):
        assert boilerplate not in document.text


@pytest.mark.parametrize(
    ("stated", "title"),
    [
        ("Incendie à Marseille - Le bilan s'alourdit", "Incendie à Marseille - Le bilan s'alourdit"),
        ("Incendie à Marseille - Ouest-France", "Incendie à Marseille"),
        ("Incendie à Marseille | Actualités | Ouest-France", "Incendie à Marseille"),  # the section too
        ("Incendie à Marseille - Vidéo", "Incendie à Marseille - Vidéo"),  # no site named: as stated
    ],
)
def test_a_title_loses_its_site_s_name_and_nothing_else(stated, title):
    page = (
        f'<html><head><meta property="og:title" content="{stated}"><meta property="og:site_name" '
        'content="Ouest-France"></head><body><article><p>Le feu a repris dans la nuit de mardi à mercredi '
        "sur les hauteurs de la ville, a indiqué la préfecture.</p></article></body></html>"
    )
    assert parse_html(page).title == title


def test_an_xhtml_page_s_byline_and_date_are_read_despite_its_xml_declaration():
    stated = '{"@type": "NewsArticle", "datePublished": "2024-10-10", "author": {"@type": "Person", "name": "Claire Martin"}}'
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head>'
        f'<script type="application/ld+json">{stated}</script></head><body><article><p>Le gouvernement a '
        "présenté mardi son projet de loi de finances pour l'année prochaine.</p></article></body></html>"
    )
    document = parse_html(page)
    assert (document.author, document.date) == ("Claire Martin", "2024-10-10")


def test_an_author_s_role_stated_after_the_name_is_no_second_author():
    for stated, authors in (
        ("Jean Dupont, envoyé spécial à Kiev", "Jean Dupont"),
        ("Jean Dupont, Marie Durand", "Jean Dupont, Marie Durand"),
    ):
        article = json.dumps({"@type": "NewsArticle", "author": {"@type": "Person", "name": stated}})
        page = (
            f'<html><head><script type="application/ld+json">{article}</script></head><body><article><p>Le '
            "gouvernement a présenté mardi son projet de loi de finances pour l'année prochaine.</p></article></body></html>"
        )
        assert parse_html(page).author == authors


def test_a_radio_episode_s_page_is_signed_and_dated_as_it_states_unless_it_states_an_article_too():
    episode = {
        "@type": "RadioEpisode",
        "name": "Le prix du beurre",
        "datePublished": "2026-11-22T07:50:00+01:00",
        "author": [{"@type": "Person", "name": "Clémence Garnier"}],
    }
    article = {"@type": "NewsArticle", "datePublished": "2026-11-23", "author": {"@type": "Person", "name": "Léa Roy"}}
    text = (
        "<p>La plaquette de beurre de 250 grammes coûte en moyenne 3,12 euros, contre 2,40 euros il y a deux ans, "
        "parce que la collecte de lait baisse et que la demande mondiale augmente.</p>"
    )

    def page(*stated: dict) -> str:
        scripts = "".join(f'<script type="application/ld+json">{json.dumps(item)}</script>' for item in stated)
        return f"<html><head>{scripts}</head><body><main><h1>Le prix du beurre</h1>{text}</main></body></html>"

    assert (parse_html(page(episode)).author, parse_html(page(episode)).date) == ("Clémence Garnier", "2026-11-22")
    assert (parse_html(page(episode, article)).author, parse_html(page(episode, article)).date) == (
        "Léa Roy",
        "2026-11-23",
    )


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("Par <a>Anne Martin</a>, <a>Paul Girard</a> et <a>Inès Haddad</a>", "Anne Martin, Paul Girard, Inès Haddad"),
        ("Par Jean Dupont, Rédacteur en chef adjoint", "Jean Dupont"),
        ("Jean Dupont | Le Quotidien", "Jean Dupont"),
        ("De notre correspondante à Bruxelles,<br><strong>Anne-Sophie Leclerc</strong>", "Anne-Sophie Leclerc"),
        ("Par nos envoyés spéciaux à Kiev, Jean Dupont et Marie Curie", "Jean Dupont, Marie Curie"),
        # A Quebec daily's dispatch: the Canadian agency after the name, as "avec AFP" is.
        ("<span>Marie-Ève Tremblay</span>, <span>La Presse Canadienne</span>", "Marie-Ève Tremblay"),
    ],
)
def test_every_author_a_page_shows_in_its_byline_is_named(byline, authors):
    """A page (an independent site's) that states no author anywhere but in its visible byline."""
    unsigned = ARTICLE_PAGE.replace('<meta name="author" content="Claire Petit">', "")
    page = unsigned.replace("</h1>", f'</h1><div class="story-authors">{byline}</div>')
    assert parse_html(page).author == authors


@pytest.mark.parametrize(
    ("opening", "author"),
    [
        ("<p><strong>Par Léa Fontaine</strong></p>", "Léa Fontaine"),
        ("<p>Par Jean Dupont et Marie Curie, envoyés spéciaux à Kiev</p>", "Jean Dupont, Marie Curie"),
        ("<p>Par ailleurs, le Conseil a reporté le vote du budget annexe des transports.</p>", None),
    ],
)
def test_a_byline_written_as_the_article_s_first_paragraph_names_its_author(opening, author):
    """A page (a blog's, a small site's) that marks no byline but writes it above its text."""
    unsigned = ARTICLE_PAGE.replace('<meta name="author" content="Claire Petit">', "")
    page = unsigned.replace("<h1>Le Conseil vote la réforme</h1>", f"<h1>Le Conseil vote la réforme</h1>{opening}")
    document = parse_html(page)
    assert document.author == author
    assert "Par Léa" not in document.text and "Par Jean" not in document.text


def test_a_page_that_states_no_date_gets_none_not_its_copyright_year():
    undated = re.sub(r'<meta property="article:published_time"[^>]*>', "", ARTICLE_PAGE)
    assert "© 2024" in undated and parse_html(undated).date is None  # not "1er janvier 2024"
    archived = undated.replace("<footer>", "<div id='banner'>Starting in 1996, this data is not public.</div><footer>")
    assert parse_html(archived).date is None


def test_a_date_the_page_shows_in_its_text_is_kept_even_on_the_first_of_january():
    undated = re.sub(r'<meta property="article:published_time"[^>]*>', "", ARTICLE_PAGE)
    byline = '<h1>Le Conseil vote la réforme</h1><p class="date">Publié le 5 mars 2024</p>'
    assert parse_html(undated.replace("<h1>Le Conseil vote la réforme</h1>", byline)).date == "2024-03-05"
    new_year = byline.replace("5 mars", "1er janvier")
    assert parse_html(undated.replace("<h1>Le Conseil vote la réforme</h1>", new_year)).date == "2024-01-01"


def test_the_dateline_a_page_shows_dates_it_rather_than_a_related_post_or_a_sentence():
    undated = re.sub(r'<meta property="article:published_time"[^>]*>', "", ARTICLE_PAGE)
    related = (
        '<div class="related-posts"><a href="/a">Le Conseil avait reporté le vote</a> <span>14 avril 2023</span>'
        "</div></body>"
    )
    dateline = (
        "<h1>Le Conseil vote la réforme</h1><p><em>Publié le 5 mars 2024 à 14h05, modifié le 6 mars 2024</em></p>"
    )
    page = undated.replace("</body>", related).replace("<h1>Le Conseil vote la réforme</h1>", dateline)
    assert parse_html(page).date == "2024-03-05"
    sentence = (
        "<h1>Le Conseil</h1><p>Le rapport, publié le 2 février 2024 par la Cour des comptes, chiffrait son coût.</p>"
    )
    assert page_metadata(undated.replace("<h1>Le Conseil vote la réforme</h1>", sentence)).dateline is None
    # A time in UTC is the instant; the dateline tells the day it was where the page was published.
    utc = '<meta property="article:published_time" content="2024-03-04T23:30:00Z">'
    shown = '<h1>Le Conseil vote la réforme</h1><p class="date">Publié le 05/03/24 à 00h30</p>'
    late = undated.replace("</head>", f"{utc}</head>").replace("<h1>Le Conseil vote la réforme</h1>", shown)
    assert parse_html(late).date == "2024-03-05"


@pytest.mark.parametrize(
    "dateline",
    [
        '<time datetime="2024-03-01">1er mars 2024</time>',
        'Publié le <time datetime="2024-03-01">1er mars 2024</time>',
        'Mis en ligne le <time datetime="2024-03-01">1er mars 2024</time> à <time>10h12</time>',
        'Le <time datetime="2024-03-01">1er mars 2024</time>',
        '<time datetime="2024-03-01">1er mars 2024</time> | Par <a href="/auteurs/jd">Jeanne Dupuis</a>',
    ],
)
def test_a_date_marked_up_inside_a_sentence_stays_in_the_sentence_and_a_dateline_stays_out(dateline):
    dateline = f'<p class="date">{dateline}</p>'
    sentences = (
        '<p>Le sommet sur le climat se tiendra le <time datetime="2024-04-12">12 avril</time> à Paris, a annoncé '
        "l'Élysée dans un communiqué publié mardi soir, sans préciser la liste des invités.</p>"
        "<p>La précédente édition, organisée en <time>juin 2023</time>, avait réuni une trentaine de dirigeants "
        "autour du président de la République et du secrétaire général de l'ONU.</p>"
    )
    document = parse_html(
        f"<html><body><article><h1>Le sommet de Paris</h1>{dateline}{sentences}</article></body></html>"
    )
    assert [block.text for block in document.blocks] == [
        "Le sommet sur le climat se tiendra le 12 avril à Paris, a annoncé l'Élysée dans un communiqué publié mardi "
        "soir, sans préciser la liste des invités.",
        "La précédente édition, organisée en juin 2023, avait réuni une trentaine de dirigeants autour du président "
        "de la République et du secrétaire général de l'ONU.",
    ]
    assert document.date == "2024-03-01"


def test_each_entry_of_a_live_report_keeps_its_time_and_a_lone_time_elsewhere_is_no_text():
    page = (Path(__file__).parent / "data" / "pages" / "live-report.html").read_text(encoding="utf-8")
    blocks = parse_html(page).blocks
    assert [block.text.split(" – ")[0] for block in blocks if " – " in block.text] == [
        "16h45",
        "14:12",
        "11h03",
        "09h30",
    ]
    assert blocks[1] == Block("heading", "16h45 – Le cortège parisien s'élance")
    assert blocks[4].text.startswith("11h03 – La SNCF annonce qu'un TGV sur trois circulera demain")
    one_entry = re.sub(r'<div class="live-entry">(?!<time datetime="2023-03-07T16:45).*?</div>', "", page, flags=re.S)
    assert [block.text for block in parse_html(one_entry).blocks][1:] == [
        "Le cortège parisien s'élance",
        "Le cortège parisien est parti de la place de la République avec plusieurs dizaines de milliers de "
        "manifestants, selon les syndicats qui attendent une affluence record.",
    ]


STATED_BODY = (
    "La Seine a atteint six mètres à Paris mardi, un niveau inédit depuis 2018, et les quais sont fermés à la "
    "circulation.\nPlusieurs stations de RER ont été évacuées par précaution, selon la préfecture de police, qui "
    "prévoit une décrue lente à partir de jeudi.\nLes péniches ont reçu l'ordre de rester à quai jusqu'à nouvel "
    "ordre, et les riverains de l'île Saint-Louis ont été invités à surélever leurs biens."
)


def script_drawn_page(body: object, visible: str = "") -> str:
    """A page whose text a script draws, stating its article in JSON-LD for search engines."""
    article = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "La crue de la Seine"}
    stated = f'<script type="application/ld+json">{json.dumps(article | {"articleBody": body})}</script>'
    return f'<html><head><title>La crue</title>{stated}</head><body><div id="app">{visible}</div></body></html>'


def test_a_page_drawn_by_a_script_is_read_from_the_article_text_it_states():
    document = parse_html(script_drawn_page(STATED_BODY))
    assert document.title == "La crue de la Seine"
    assert [b.text for b in document.blocks] == STATED_BODY.split("\n")  # a paragraph a line
    in_markup = "".join(f"<p>{line}</p>" for line in STATED_BODY.split("\n"))
    assert [b.text for b in parse_html(script_drawn_page(in_markup)).blocks] == STATED_BODY.split("\n")


def test_a_page_that_shows_only_a_teaser_is_read_from_the_whole_article_it_states():
    teaser = "<article><p>La Seine a atteint six mètres à Paris mardi, un niveau inédit depuis 2018.</p></article>"
    document = parse_html(script_drawn_page(STATED_BODY, visible=teaser))
    assert "Les péniches ont reçu l'ordre de rester à quai" in document.text


def test_a_page_that_shows_its_article_keeps_the_text_it_shows_over_a_shorter_stated_one():
    shown = " ".join(f"<p>{line} Les secours restent mobilisés toute la nuit.</p>" for line in STATED_BODY.split("\n"))
    document = parse_html(script_drawn_page(STATED_BODY[:200], visible=f"<article>{shown}</article>"))
    assert "Les secours restent mobilisés toute la nuit." in document.text


def test_a_standfirst_whatever_its_class_is_kept_when_it_is_the_page_s_own_description():
    lead = (
        "La ville relève son impôt pour la première fois depuis 2014 afin de financer la rénovation "
        "de ses écoles et de ses gymnases."
    )
    body = "".join(
        f"<p>Le conseil municipal de Rennes a voté lundi une hausse de la taxe foncière de {n} %, malgré "
        "l'opposition des élus du centre, après trois heures de débat dans la salle du conseil.</p>"
        for n in (3, 4, 5)
    )
    for described in (lead, "Une autre description de la page, qui n'est pas écrite au-dessus de l'article."):
        page = (
            f'<html><head><meta property="og:description" content="{described}"></head><body>'
            f'<h1>Taxe foncière</h1><p class="article__desc">{lead}</p><article>{body}</article></body></html>'
        )
        document = parse_html(page)
        assert document.text.startswith(lead) == (described == lead)  # no class says it is one


def test_a_page_with_no_text_shown_or_stated_is_refused_clearly():
    with pytest.raises(EmptyInput, match="JavaScript"):
        parse_html(script_drawn_page("Trop court."))


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Par Jean Dupont", "Jean Dupont"),
        ("Propos recueillis par Claire Petit", "Claire Petit"),
        ("Par Jean Dupont Publié le 05/03/2024 à 10h12", "Jean Dupont"),
        ("Jean Dupont - 5 mars 2024", "Jean Dupont"),
        ("Par Jean Dupont | Mis à jour le 3 mars", "Jean Dupont"),
        ("Par 20 Minutes avec AFP", "20 Minutes"),  # a number that is no date; the publisher, without its agency
        ("Par Nicolas Fabre (avec l'AFP)", "Nicolas Fabre"),
        ("Jean Dupont et Reuters", "Jean Dupont"),
        ("AFP", ""),
        ("La Presse canadienne", ""),
        ("Par Marc Gagnon avec La Presse Canadienne", "Marc Gagnon"),
        ("La rédaction", ""),
        ("Par la Rédaction du Parisien", ""),
        ("Rédaction web", ""),
        ("Par la Rédaction Limoges", ""),  # a local newsroom, by its town
    ],
)
def test_a_byline_keeps_its_names_without_the_date_it_runs_into(byline, names):
    assert clean_byline(byline) == names


def test_the_same_page_can_be_parsed_again_in_the_same_process():
    first = parse_html(ARTICLE_PAGE)
    assert parse_html(ARTICLE_PAGE).text == first.text


def test_french_terms_are_stemmed_folded_and_free_of_stop_words():
    assert terms("Les membres réunis à Bruxelles") == terms("membre REUNIS bruxelles")
    assert terms("l'OTAN") == ["otan"]


def test_verb_forms_that_are_also_plural_nouns_stay_searchable():
    # "avions" and "sommes" are forms of "avoir" and "être" but, in news, planes and sums.
    assert terms("Les avions de chasse") == ["avion", "chass"]
    assert terms("des sommes versées") == terms("la somme versée")
    assert terms("Il a été élu") == ["elu"]  # "été" stays a stop word: questions say "a été"


def test_accents_fold_away_in_any_text():
    assert fold_accents("Cœur élu à Noël, ex æquo, Ǆ ﬁ") == "Coeur elu a Noel, ex aequo, DZ fi"


@given(st.text() | st.text(min_size=64, max_size=600))  # words, and passages (folded another way)
def test_folding_removes_exactly_the_combining_marks_of_the_decomposed_text(text):
    decomposed = unicodedata.normalize("NFKD", text)
    expected = "".join(c for c in decomposed if not unicodedata.combining(c))
    assert fold_accents(text) == expected.replace("œ", "oe").replace("æ", "ae")


def test_the_address_a_page_states_for_itself_is_made_absolute_or_left_when_unreadable():
    paragraph = "<p>" + "Le castor construit des barrages sur la Dordogne, où quatorze familles vivent. " * 3 + "</p>"
    fetched_from = "https://exemple.fr/nature/castor"
    for stated, kept in [
        ("/nature/castor-dordogne", "https://exemple.fr/nature/castor-dordogne"),  # relative: against the page's
        ("http://[castor", fetched_from),  # no address Python can split: the page's own
        ("https://autre.fr/castor", "https://autre.fr/castor"),
    ]:
        page = f'<html><head><meta property="og:url" content="{stated}"></head><body><article><h1>Castor</h1>'
        assert parse_html(page + paragraph * 4 + "</article></body></html>", url=fetched_from).url == kept
    assert parse_text("url: http://[castor\n\nLe castor construit des barrages. Il vit là.").url is None


@pytest.mark.parametrize(
    "label",
    [
        "À lire aussi : Taxe foncière, ce qui change en 2026",
        "Sur le même sujet",
        "Newsletter",
        "À lire également",
        "Lire également : Taxe d'habitation, ce qui change en 2026",
    ],
)
def test_a_teaser_or_a_box_s_label_the_page_sets_as_a_heading_is_still_noise(label):
    para = (
        "Le conseil municipal de Rennes a voté lundi une hausse de la taxe foncière de {} %, la première depuis dix "
        "ans, malgré l'opposition des élus de droite, qui dénoncent une mesure injuste pour les propriétaires."
    )
    html = (
        f"<html><body><article><h1>Taxe foncière</h1><p>{para.format(4)}</p><h3>{label}</h3>"
        f"<p>{para.format(5)}</p><p>{para.format(6)}</p></article></body></html>"
    )
    document = parse_html(html)
    assert [b.kind for b in document.blocks] == ["paragraph"] * 3 and label.split(" :")[0] not in document.text


def test_a_short_quote_that_shares_a_paragraph_s_words_but_not_their_order_is_kept():
    said = (
        "<p>Le ministre de l'Intérieur a annoncé mardi que 90 000 policiers et gendarmes seraient mobilisés le soir "
        "du 31 décembre, un chiffre record. Les forces de l'ordre seront présentes dans toutes les grandes villes, "
        "a-t-il précisé, et les préfets pourront interdire la vente d'alcool.</p>"
    )
    other = "<p>Les syndicats de police dénoncent depuis des mois un manque d'effectifs et des heures non payées.</p>"
    quote = "<p>« Les forces de l'ordre seront présentes dans 500 villes », a précisé le ministre.</p>"
    document = parse_html(f"<html><body><article><h1>Réveillon</h1>{said}{other}{quote}</article></body></html>")
    assert "dans 500 villes" in document.text


def test_a_standfirst_in_the_article_s_own_header_is_kept_when_its_headline_is_no_h1():
    lead = "Le gouvernement a présenté mardi un plan d'économies de quarante milliards d'euros, sans hausse d'impôts."
    body = "<p>Le texte sera débattu à l'Assemblée nationale à partir du 15 octobre, a précisé Matignon.</p>"
    for site in ("", "<header class='site'><h1 class='logo'>Le Journal</h1></header>"):
        page = (
            f"<html><body>{site}<article><header><h2>Budget 2026</h2><p class='chapo'>{lead}</p></header>"
            f"{body}</article></body></html>"
        )
        assert page_metadata(page).lead == lead


@pytest.mark.parametrize(
    "marked", ['<h2 class="b-subheadline">', '<p class="article-subtitle">', '<p class="sous-titre">']
)
def test_a_standfirst_marked_as_a_subheadline_or_subtitle_is_kept(marked):
    """Arc XP sets the standfirst in an <h2 class="b-subheadline"> between the headline and the
    article, where the extractor does not look."""
    lead = "Pour des raisons de sécurité et de coût, la ville a décidé de limiter la braderie au samedi."
    body = "".join(
        f'<div data-type="text">La braderie de Lille se tiendra sur une seule journée en 2027, a annoncé la maire, '
        f"et {n}000 exposants devront se partager les trottoirs du centre-ville ce jour-là.</div>"
        for n in (8, 9, 10)
    )
    tag = marked[1:3].strip()
    page = f"<html><body><h1>Braderie de Lille</h1>{marked}{lead}</{tag}><article>{body}</article></body></html>"
    assert parse_html(page).text.startswith(lead)


def test_the_standfirst_shown_as_the_page_s_description_is_found_reading_each_text_about_once(monkeypatch):
    import lxml.html

    lead = "Le gouvernement a présenté mardi un plan d'économies de quarante milliards d'euros, sans hausse d'impôts."
    comments = "".join(
        f"<div><span>Commentaire {n} : un avis parmi d'autres sur ce plan.</span></div>" for n in range(2000)
    )
    page = (
        f"<html><head><meta property='og:description' content=\"{lead}\"></head><body><h1>Budget</h1>"
        f"{'<div>' * 50}{comments}{'</div>' * 50}<div class='x'><div>{lead}</div></div></body></html>"
    )
    read = [0]
    text_content = lxml.html.HtmlMixin.text_content

    def counted(element):
        text = text_content(element)
        read[0] += len(text)
        return text

    monkeypatch.setattr(lxml.html.HtmlMixin, "text_content", counted)
    assert page_metadata(page).lead == lead
    assert read[0] < 3 * len(page)  # not the nested <div>s' text once for each of them


def _gallery(slides: list[str]) -> str:
    figures = "".join(
        f'<figure><span class="count">{at} / {len(slides)}</span><img src="/{at}.jpg" alt="">'
        f'<figcaption><p>{caption}</p><span class="credit">Photo Jean Dupont / Le Quotidien</span></figcaption></figure>'
        for at, caption in enumerate(slides, 1)
    )
    return (
        "<html><head><title>EN IMAGES. La crue de la Seine</title></head><body><article>"
        f"<h1>EN IMAGES. La crue de la Seine</h1><p>Retour en images sur une semaine de crue.</p>{figures}"
        "</article></body></html>"
    )


GALLERY_CAPTIONS = [
    "À Paris, la Seine a atteint 5,80 mètres au pont d'Austerlitz mardi soir, un niveau inédit depuis 2018.",
    "Les quais de la rive gauche sont fermés à la circulation jusqu'à nouvel ordre, a annoncé la préfecture.",
    "À Alfortville, une centaine d'habitants ont été évacués en barque par les pompiers du Val-de-Marne.",
]


def test_a_photo_gallery_is_read_from_its_captions_each_a_paragraph_without_counters_or_credits():
    document = parse_html(_gallery(GALLERY_CAPTIONS))
    assert [block.text for block in document.blocks] == ["Retour en images sur une semaine de crue.", *GALLERY_CAPTIONS]


def test_an_article_s_few_captions_stay_out_of_its_text():
    """Its pictures illustrate the paragraphs; their captions are not the story."""
    paragraphs = "".join(f"<p>{text} {text}</p>" for text in GALLERY_CAPTIONS)
    page = _gallery(GALLERY_CAPTIONS[:1]).replace("</figure>", f"</figure>{paragraphs}")
    assert GALLERY_CAPTIONS[0] + " " + GALLERY_CAPTIONS[0] in parse_html(page).text
    assert GALLERY_CAPTIONS[0] not in parse_html(page).text.split("\n\n")
