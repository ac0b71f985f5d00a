"""The per-user question limit, counted over every process sharing the state."""

from __future__ import annotations

from bot.state.part import Run, StatePart


class QuestionLimitState(StatePart):
    def allow_question(self, user_id: int, per_minute: int) -> bool:
        """Whether `user_id` may ask now: fewer than `per_minute` questions in the last 60 s
        (a sliding minute, counted over every process sharing this state). Counted if so."""
        now = self._clock()
        with self._transaction() as run:
            asked = run("SELECT count(*) FROM questions_asked WHERE user_id = ? AND at > ?", (user_id, now - 60))[0][0]
            if asked >= per_minute:
                return False
            run("INSERT INTO questions_asked(user_id, at) VALUES (?, ?)", (user_id, now))
        return True

    def _forget_questions_counted(self, run: Run) -> None:
        """The questions no limit counts any more (asked over a minute ago), in the caller's transaction."""
        run("DELETE FROM questions_asked WHERE at < ?", (self._clock() - 60,))
