"""Feedback on answers: 👍 and 👎 votes with what was shown, and inline results chosen."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.state.answers import ShownResult, StoredAnswer, result_json
from bot.state.part import StatePart


@dataclass(frozen=True)
class Vote:
    user_id: int
    vote: int
    question: str
    shown: tuple[ShownResult, ...]
    created: float
    in_conversation: bool = False  # as its answer's (`StoredAnswer.in_conversation`)


class FeedbackState(StatePart):
    def record_vote(self, answer: StoredAnswer, user_id: int, vote: int) -> None:
        """A user's 👍 (+1) or 👎 (−1) on an answer; voting again replaces the vote."""
        results = [result_json(r) for r in answer.results]
        # The results alone, as votes were always stored, unless the question needed the ones before it.
        shown = json.dumps(
            {"results": results, "in_conversation": True} if answer.in_conversation else results, ensure_ascii=False
        )
        with self._transaction() as run:
            run(
                "INSERT INTO feedback(token, user_id, vote, question, shown, created) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (token, user_id) DO UPDATE SET vote = excluded.vote, created = excluded.created",
                (answer.token, user_id, vote, answer.question, shown, self._clock()),
            )

    def votes(self, vote: int | None = None, limit: int | None = None) -> list[Vote]:
        """Votes, newest first; only 👍 (+1) or 👎 (−1) when `vote` is given."""
        sql = "SELECT user_id, vote, question, shown, created FROM feedback"
        params: list[object] = []
        if vote is not None:
            sql += " WHERE vote = ?"
            params.append(vote)
        sql += " ORDER BY created DESC, token"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [_vote(*row) for row in self._query(sql, params)]

    def record_inline_choice(self, user_id: int, query: str, result_id: str) -> None:
        with self._transaction() as run:
            run(
                "INSERT INTO inline_choices(user_id, query, result_id, created) VALUES (?, ?, ?, ?)",
                (user_id, query, result_id, self._clock()),
            )

    def feedback_counts(self) -> dict[str, int]:
        up, down = self._query(
            "SELECT coalesce(sum(CASE WHEN vote > 0 THEN 1 ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN vote < 0 THEN 1 ELSE 0 END), 0) FROM feedback"
        )[0]
        chosen = self._query("SELECT count(*) FROM inline_choices")[0][0]
        return {"approved": int(up), "rejected": int(down), "inline_chosen": int(chosen)}


def _vote(user_id: int, vote: int, question: str, shown: str, created: float) -> Vote:
    data = json.loads(shown)
    results = data["results"] if isinstance(data, dict) else data
    in_conversation = isinstance(data, dict) and data.get("in_conversation", False)
    return Vote(user_id, vote, question, tuple(ShownResult(**r) for r in results), created, in_conversation)
