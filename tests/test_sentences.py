"""French sentence segmentation: what a reader would call a sentence."""

from hypothesis import given
from hypothesis import strategies as st

from index.sentences import same_paragraph, sentence_at, sentence_spans, split_sentences


def test_titles_and_initials_do_not_end_sentences():
    assert split_sentences("M. Dupont et Mme Durand sont arrivés. J. Martin aussi.") == [
        "M. Dupont et Mme Durand sont arrivés.",
        "J. Martin aussi.",
    ]
    assert split_sentences("Selon J.-L. Mélenchon, le texte est injuste. Il votera contre.") == [
        "Selon J.-L. Mélenchon, le texte est injuste.",
        "Il votera contre.",
    ]
    assert split_sentences("Il a cité J.-M. Le Pen. Elle a répondu à P.-Y. Durand.") == [
        "Il a cité J.-M. Le Pen.",
        "Elle a répondu à P.-Y. Durand.",
    ]


def test_era_abbreviations_and_page_numbers_do_not_end_sentences():
    assert split_sentences("En 52 av. J.-C. César gagne à Alésia. Voir p. 12 du livre.") == [
        "En 52 av. J.-C. César gagne à Alésia.",
        "Voir p. 12 du livre.",
    ]


def test_decimal_commas_and_points_stay_inside_a_sentence():
    assert split_sentences("Le taux est passé à 3,5 % puis à 4.2 points. La hausse continue.") == [
        "Le taux est passé à 3,5 % puis à 4.2 points.",
        "La hausse continue.",
    ]


def test_guillemets_close_with_their_sentence():
    assert split_sentences("Il a déclaré : « La rapidité sauvera des vies. » Puis il est parti.") == [
        "Il a déclaré : « La rapidité sauvera des vies. »",
        "Puis il est parti.",
    ]


def test_a_straight_quotation_opening_after_a_period_starts_a_new_sentence():
    text = (
        'Il faut aller vite, insiste Jens Stoltenberg. "Presque un an après, Poutine ne se prépare pas à la paix", '
        'assurait-il mardi. "Nous devons continuer. La rapidité sauvera des vies." Puis il est parti. '
        'Elle répond : " Non. " Fin.'
    )
    assert split_sentences(text) == [
        "Il faut aller vite, insiste Jens Stoltenberg.",
        '"Presque un an après, Poutine ne se prépare pas à la paix", assurait-il mardi.',
        '"Nous devons continuer.',
        'La rapidité sauvera des vies."',
        "Puis il est parti.",
        'Elle répond : " Non. "',
        "Fin.",
    ]


def test_ellipsis_ends_a_sentence_only_before_a_new_one():
    assert split_sentences("Il attendait… et rien ne vint... Le lendemain, tout changea.") == [
        "Il attendait… et rien ne vint...",
        "Le lendemain, tout changea.",
    ]


def test_question_and_exclamation_marks_end_sentences():
    assert split_sentences("Que faire ? Agir vite ! « Non ? » demanda-t-il.") == [
        "Que faire ?",
        "Agir vite !",
        "« Non ? » demanda-t-il.",
    ]


french_text = st.lists(
    st.sampled_from([*"abcdeéèàMJCp .,!?…«»\"'-0123456789\n", "M. ", "av. J.-C. ", " Le ", "3,5", "\u00a0»"]),
    max_size=120,
).map("".join)


@given(french_text)
def test_spans_are_ordered_trimmed_slices_covering_every_visible_character(text):
    spans = sentence_spans(text)
    covered = set()
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        covered.update(range(start, end))
        previous_end = end
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())


def test_a_cut_mark_inside_a_quotation_does_not_end_it():
    text = "« Nous avons alerté (…) Bercy n'a rien fait », accuse le syndicat. « Rien [...] Personne », dit-il."
    assert split_sentences(text) == [
        "« Nous avons alerté (…) Bercy n'a rien fait », accuse le syndicat.",
        "« Rien [...] Personne », dit-il.",
    ]


def test_legal_references_stay_in_their_sentence():
    assert split_sentences("Selon l'article 3 al. 2 du code, il faut voter. Le juge a tranché.") == [
        "Selon l'article 3 al. 2 du code, il faut voter.",
        "Le juge a tranché.",
    ]


def test_words_that_are_also_abbreviations_end_sentences_before_a_new_one():
    assert split_sentences("Il a été condamné pour vol. Le juge a été clément.") == [
        "Il a été condamné pour vol.",
        "Le juge a été clément.",
    ]
    assert split_sentences("Ils étaient sept. Le huitième est arrivé plus tard.")[0] == "Ils étaient sept."
    assert split_sentences("Il faut un plan B. Il est prêt.") == ["Il faut un plan B.", "Il est prêt."]


def test_an_acronym_that_spells_an_abbreviation_ends_its_sentence():
    assert split_sentences("Angoulême est la capitale de la BD. Le festival attire du monde.") == [
        "Angoulême est la capitale de la BD.",
        "Le festival attire du monde.",
    ]
    assert split_sentences("Le scrutin a été remporté par le PP. Le PSOE est deuxième.")[1] == "Le PSOE est deuxième."
    assert split_sentences("Il joue en Ligue B. Les supporters sont déçus.")[1] == "Les supporters sont déçus."
    assert len(split_sentences("MM. Dupont et Durand sont arrivés.")) == 1  # "MM." is still Messieurs
    assert len(split_sentences("Le ministre B. Le Maire a parlé.")) == 1  # "Le" opens names after an initial


def test_the_same_words_as_abbreviations_do_not():
    assert split_sentences("Le 3 sept. 2023 il pleuvait. Voir le vol. 3 et la p. 12.") == [
        "Le 3 sept. 2023 il pleuvait.",
        "Voir le vol. 3 et la p. 12.",
    ]
    assert split_sentences("M. Le Maire et J. Dupont sont venus.") == ["M. Le Maire et J. Dupont sont venus."]


def test_a_paragraph_break_ends_a_sentence_written_without_a_full_stop():
    text = "Les cours sont remplacés. L'université est en grève\n\nDepuis janvier, ils luttent. Et après ?"
    assert split_sentences(text) == [
        "Les cours sont remplacés.",
        "L'université est en grève",
        "Depuis janvier, ils luttent.",
        "Et après ?",
    ]


def test_a_single_line_break_does_not_end_a_sentence():
    assert split_sentences("Il a dit que la ligne\nouvrira en mai. Puis il est parti.") == [
        "Il a dit que la ligne\nouvrira en mai.",
        "Puis il est parti.",
    ]


def test_sentences_are_in_one_paragraph_until_a_line_break_between_them():
    text = "Le maire, Paul Roux, a parlé. Il a 61 ans.\n\nSon père, 90 ans, est venu. Il a applaudi."
    spans = sentence_spans(text)
    assert len(spans) == 4
    assert same_paragraph(text, spans[0], spans[1]) and same_paragraph(text, spans[1], spans[0])
    assert same_paragraph(text, spans[2], spans[3])
    assert not same_paragraph(text, spans[1], spans[2]) and not same_paragraph(text, spans[3], spans[0])
    # the break right after a sentence's end, or right before its start, is outside it
    assert text[spans[1][1]] == "\n" and same_paragraph(text, spans[1], spans[1])
    assert text[spans[2][0] - 1] == "\n" and same_paragraph(text, spans[2], spans[2])
    # a quote's offsets: a quote of two sentences across the break is in neither paragraph
    quote = (spans[1][0], spans[2][1])
    assert not same_paragraph(text, quote, spans[1]) and not same_paragraph(text, quote, spans[3])
    assert same_paragraph(text, (spans[0][0] + 10, spans[0][1]), spans[1])


def test_the_sentence_at_an_offset_is_the_last_to_start_at_or_before_it():
    text = "Le pont ferme lundi. Les travaux dureront six mois.  Il rouvrira en juin."
    spans = sentence_spans(text)
    assert len(spans) == 3
    assert [sentence_at(spans, a) for a, _ in spans] == [0, 1, 2]
    # a stretch ending with a sentence ends in it, not in the next (ends are exclusive)
    assert [sentence_at(spans, b - 1) for _, b in spans] == [0, 1, 2]
    # the spaces between two sentences belong to the one before; before the first, the first
    assert sentence_at(spans, spans[1][1] + 1) == 1
    assert sentence_at(spans, -1) == 0 and sentence_at([], 5) == 0
    assert sentence_at(spans, len(text) + 10) == 2


@given(st.lists(st.sampled_from(["Il pleut.", "Le maire a 61 ans !", "Pourquoi ?", "\n\n", " "]), max_size=12))
def test_every_character_of_a_sentence_is_at_that_sentence(pieces):
    text = "".join(pieces)
    spans = sentence_spans(text)
    for index, (start, end) in enumerate(spans):
        assert {sentence_at(spans, offset) for offset in range(start, end)} == {index}
