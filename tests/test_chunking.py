"""Passages: whole sentences, exact slices of the article, under the word budget."""

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from index.chunking import CHARACTERS_PER_WORD, chunk_blocks, word_count
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
        assert word_count(passage) <= max_words and len(passage) <= max_words * CHARACTERS_PER_WORD
        assert sentences
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


@settings(max_examples=100)
@given(
    st.lists(st.sampled_from(["mot", "a" * 50, "x" * 700, " ", "\n", ".", "« ", "3,5"]), max_size=200).map("".join),
    st.integers(min_value=5, max_value=60),
)
def test_text_without_sentence_ends_is_still_cut_into_bounded_slices(body, max_words):
    blocks = [Block("paragraph", part) for part in body.split("\n") if part.strip()]
    text = join_blocks(blocks)
    blocks = [Block("paragraph", part) for part in text.split("\n\n")]  # blocks as they sit in the text
    chunks = chunk_blocks(text, blocks, max_words)
    visible = "".join(text.split())
    assert "".join("".join(text[c.start : c.end].split()) for c in chunks) == visible  # nothing lost, in order
    for chunk in chunks:
        passage = text[chunk.start : chunk.end]
        assert passage.strip() == passage and passage
        assert word_count(passage) <= max_words and len(passage) <= max_words * CHARACTERS_PER_WORD


def _processing_seconds(small: str, large: str, rounds: int = 5) -> tuple[float, float]:
    """The best time to parse, clean, split and chunk each text, the two timed in turn round
    after round, so that both see the machine at its fastest (its speed drifts by more than
    the margin below within seconds on a shared machine). This thread's CPU time, not wall
    time: a loaded machine makes the process wait, which says nothing of how the work grows."""
    best = [float("inf"), float("inf")]
    for _ in range(rounds):
        for which, text in enumerate((small, large)):
            started = time.thread_time()
            document = parse_text(text)
            chunk_blocks(document.text, list(document.blocks), 200)
            best[which] = min(best[which], time.thread_time() - started)
    return best[0], best[1]


def test_text_processing_time_grows_linearly_with_the_text(sample_text):
    """Parse, clean, split and chunk 4x the text in well under 16x the time (quadratic)."""
    body = sample_text.split("\n", 2)[2]
    shapes = {
        "article": lambda n: "Titre\n\n" + (body * (n // len(body) + 1))[:n],
        "one line without punctuation": lambda n: "Titre\n\n" + "mot " * (n // 4),
        "a run of full stops and spaces": lambda n: "Titre\n\nDébut " + ". " * (n // 2) + "Fin.",
    }
    for shape, make in shapes.items():
        small, large = _processing_seconds(make(60_000), make(240_000))
        assert large < 6 * small, f"{shape}: {small:.3f} s for 60k characters, {large:.3f} s for 240k"
