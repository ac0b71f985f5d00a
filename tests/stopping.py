"""A bot told to stop, as tests of work given up stand it in: the checkpoint long work calls
(`index.fetching.fetch`'s, the PDF reader's), raising once the stop is asked, as the bot's
`StopRequest.check` does."""

from __future__ import annotations

import time
from collections.abc import Callable


class GivenUp(BaseException):
    """What the checkpoint raises once the stop is asked."""


def stop_asked_after(seconds: float) -> Callable[[], None]:
    """A checkpoint that raises `GivenUp` from `seconds` from now on."""
    deadline = time.monotonic() + seconds

    def checkpoint() -> None:
        if time.monotonic() >= deadline:
            raise GivenUp

    return checkpoint
