"""What users' 👍 and 👎 become once exported: an evaluation set of questions that stand alone,
and a list to review."""

import json

import pytest

from bot.feedback import export_feedback
from bot.state import BotState
from bot.state.answers import ShownResult, StoredPage
from index.documents import parse_text
from index.errors import InputError

ARTICLE = (
    "titre: Le pont de Saint-Nazaire\n\n"
    "Le pont de Saint-Nazaire sera fermé du 3 au 7 mars pour des travaux sur ses joints de dilatation. "
    "Une déviation par Nantes est mise en place pendant toute la durée du chantier."
)


def answered(state: BotState, article_id: int, question: str, quote: str, *, in_conversation: bool = False):
    passage = parse_text(ARTICLE).text
    shown = [ShownResult(article_id, "Le pont de Saint-Nazaire", None, None, passage, quote)]
    token = state.save_answer(
        1, question, [StoredPage("…", ((article_id, "Le pont"),))], shown, in_conversation=in_conversation
    )
    return state.answer(token)


def test_an_approved_answer_that_followed_the_conversation_goes_to_review_not_to_the_evaluation_set(
    tmp_path, fast_library
):
    [added] = [result.article for result in fast_library.ingest([parse_text(ARTICLE)])]
    state = BotState.open(tmp_path / "bot.sqlite3")
    alone = answered(state, added.id, "Quand le pont de Saint-Nazaire est-il fermé ?", "du 3 au 7 mars")
    follow_up = answered(state, added.id, "La suite ?", "Une déviation par Nantes", in_conversation=True)
    assert (alone.in_conversation, follow_up.in_conversation) == (False, True)
    state.record_vote(alone, 5, +1)
    state.record_vote(follow_up, 5, +1)

    export = export_feedback(state, fast_library, tmp_path / "retours" / "questions.jsonl")

    assert (export.approved, export.rejected, export.approved_in_conversation) == (1, 0, 1)
    questions = [json.loads(line) for line in export.questions.read_text().splitlines()]
    assert [q["question"] for q in questions] == ["Quand le pont de Saint-Nazaire est-il fermé ?"]
    review = [json.loads(line) for line in export.review.read_text().splitlines()]
    assert [(r["question"], r["vote"], r["in_conversation"]) for r in review] == [("La suite ?", 1, True)]
    state.close()


def test_files_already_there_are_named_and_the_verb_agrees_with_how_many(tmp_path, fast_library):
    state = BotState.open(tmp_path / "bot.sqlite3")
    folder = tmp_path / "retours"
    folder.mkdir()
    (folder / "articles.jsonl").write_text("")
    with pytest.raises(InputError, match=r"^articles\.jsonl existe déjà dans "):
        export_feedback(state, fast_library, folder / "questions.jsonl")
    (folder / "questions.jsonl").write_text("")
    with pytest.raises(InputError, match=r"^questions\.jsonl, articles\.jsonl existent déjà dans "):
        export_feedback(state, fast_library, folder / "questions.jsonl")
    state.close()


@pytest.mark.parametrize("replace", [False, True])
def test_a_folder_given_for_the_questions_file_is_said_to_be_one_and_nothing_is_written(
    tmp_path, fast_library, replace
):
    state = BotState.open(tmp_path / "bot.sqlite3")
    folder = tmp_path / "export" / "retours"
    folder.mkdir(parents=True)
    with pytest.raises(InputError) as refused:
        export_feedback(state, fast_library, folder, replace=replace)
    assert str(refused.value) == (
        f"{folder} est un dossier : donnez le nom du fichier des questions (par exemple {folder}/questions.jsonl)"
    )
    assert list(folder.parent.iterdir()) == [folder] and list(folder.iterdir()) == []  # no temporary file left
    state.close()
