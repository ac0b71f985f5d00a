"""Passages: whole sentences, exact slices of the article, under the word budget."""

from hypothesis import given, settings
from hypothesis import strategies as st

from index.chunking import chunk_blocks, word_count
from index.cleaning import Block, join_blocks
from index.documents import parse_text
from index.sentences import sentence_spans

sentence = st.builds(
    lambda words, end: " ".join(words).capitalize() + end,
    st.lists(
        st.sampled_from(["le", "conseil", "a", "voté", "M.", "3,5", "«", "»", "l'OTAN", "vite"]),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from([".", " !", " ?", "…"]),
)
paragraph = st.lists(sentence, min_size=1, max_size=8).map(" ".join)
blocks = st.lists(
    st.one_of(paragraph.map(lambda t: Block("paragraph", t)), st.just(Block("heading", "Un intertitre"))),
    min_size=1,
    max_size=8,
)


@settings(max_examples=200)
@given(blocks, st.integers(min_value=5, max_value=120))
def test_chunks_are_ordered_exact_slices_of_whole_sentences_within_budget(blocks, max_words):
    text = join_blocks(blocks)
    chunks = chunk_blocks(text, blocks, max_words)
    previous_end = 0
    for chunk in chunks:
        assert previous_end <= chunk.start < chunk.end <= len(text)
        passage = text[chunk.start : chunk.end]
        sentences = sentence_spans(passage)
        assert "Un intertitre" not in passage  # headings are context, never quoted
        # within budget, unless the passage is one sentence that alone exceeds it
        assert word_count(passage) <= max_words or len(sentences) == 1
        previous_end = chunk.end
    body = [b for b in blocks if b.kind == "paragraph"]
    assert sum(word_count(text[c.start : c.end]) for c in chunks) == sum(word_count(b.text) for b in body)


def test_a_passage_never_crosses_a_section_heading_and_carries_it(sample_text):
    document = parse_text(sample_text)
    text = document.text
    chunks = chunk_blocks(text, list(document.blocks), 200)
    assert [c.heading for c in chunks] == [
        None,
        "La question du Donbass",
        "Craintes de nouvelles offensives",
        "L'Allemagne accélère sa production de munitions",
    ]
    assert text[chunks[0].start : chunks[0].end].startswith("Les membres de l'Organisation")


def test_a_long_paragraph_is_split_into_balanced_runs():
    paragraph = " ".join(f"Phrase numéro {i} avec quelques mots de plus." for i in range(30))  # 240 words
    chunks = chunk_blocks(paragraph, [Block("paragraph", paragraph)], 100)
    sizes = [word_count(paragraph[c.start : c.end]) for c in chunks]
    assert len(chunks) == 3 and max(sizes) - min(sizes) <= 8
