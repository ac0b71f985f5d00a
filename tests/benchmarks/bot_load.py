"""The real bot under load: `python -m bot serve` on a 100k-passage library, against
the fake Bot API on 127.0.0.1, with simulated users asking at the same time.

Each user asks a question, waits for the answer, reads it for a moment, and asks
the next: a closed loop, bounded in questions and in time. What is measured is the
time from the moment the update is available to the bot to the moment its answer
reaches the Bot API.

    python -m tests.benchmarks.bot_load WORK [--runs 4]

runs it alone on the 100k library a benchmark left in `WORK` (`python -m tests.benchmarks.run
--work WORK`), with the questions the benchmark asks, and prints each run's figures with the CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.library import READY_FOR_QUESTIONS
from tests.conftest import ROOT
from tests.fake_telegram import FakeTelegram

TOKEN = "123456:BENCH-token"
ANSWERED = ("<blockquote", "Je n'ai rien trouvé")


def bot_under_load(
    data_dir: Path,
    questions: Sequence[str],
    *,
    users: int = 20,
    questions_per_user: int = 10,
    think_seconds: tuple[float, float] = (0.5, 1.5),
    time_limit: float = 300.0,
    python_path: Sequence[Path] = (),
) -> dict:
    """`python_path`: folders the bot's Python reads first (a benchmark's `sitecustomize`)."""
    with FakeTelegram(TOKEN) as telegram:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(str(folder) for folder in [*python_path, ROOT]),
            "DATA_DIR": str(data_dir),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": telegram.base_url,
            "TELEGRAM_BASE_FILE_URL": telegram.base_file_url,
            "QUESTIONS_PER_MINUTE": "600",
            "LOG_LEVEL": "INFO",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        lexicon_built, prepared = threading.Event(), threading.Event()
        threading.Thread(target=_watch_log, args=(process, lexicon_built, prepared), daemon=True).start()
        try:
            telegram.wait_for(lambda: telegram.calls_to("setMyCommands"), timeout=120)
            # A bot that just started answers its first question cold (first inference, pages
            # of the library not yet read): timed apart, so that the load measures a bot in use.
            sent = time.monotonic()
            telegram.user_message(49_999, 49_999, questions[0])
            first = telegram.wait_for(lambda: _answer_after(telegram, 49_999, sent), timeout=120).at - sent
            # ... and so is the rest of its start-up work in the background: the in-memory
            # lexicon, the vectors read in, the question network compiled (a burst of twenty
            # questions meeting that compilation measured the start, not a bot in use).
            lexicon_ready = lexicon_built.wait(timeout=120)
            start_up_done = prepared.wait(timeout=120)
            latencies: list[float] = []
            failures: list[str] = []
            deadline = time.monotonic() + time_limit
            lock = threading.Lock()

            def user(number: int) -> None:
                rng = random.Random(number)
                chat = 50_000 + number
                for _ in range(questions_per_user):
                    if time.monotonic() > deadline:
                        return
                    question = rng.choice(questions)
                    sent = time.monotonic()
                    telegram.user_message(chat, chat, question)
                    try:
                        call = telegram.wait_for(lambda sent=sent: _answer_after(telegram, chat, sent), timeout=60)
                    except AssertionError:
                        with lock:
                            failures.append(question)
                        return
                    with lock:
                        latencies.append(call.at - sent)
                    time.sleep(rng.uniform(*think_seconds))

            threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
        finally:
            process.terminate()
            process.wait(timeout=30)
    ms = np.asarray(latencies) * 1000
    return {
        "users": users,
        "questions": len(latencies),
        "unanswered": len(failures),
        "seconds": round(elapsed, 1),
        "first_answer_ms": round(first * 1000, 1),
        "lexicon_ready": lexicon_ready,
        "start_up_done": start_up_done,
        "reply_ms": {
            "p50": round(float(np.percentile(ms, 50)), 1),
            "p95": round(float(np.percentile(ms, 95)), 1),
            "max": round(float(ms.max()), 1),
        },
    }


def _watch_log(process: subprocess.Popen, lexicon_built: threading.Event, prepared: threading.Event) -> None:
    """Drain the bot's log (a full pipe would stop it), noting when its lexicon is built and
    when its start-up work for questions is done."""
    for line in process.stderr:
        if "lexicon built" in line:
            lexicon_built.set()
        if READY_FOR_QUESTIONS in line:
            prepared.set()


def _answer_after(telegram: FakeTelegram, chat: int, sent: float):
    for call in reversed(telegram.calls_to("sendMessage", chat)):
        if call.at >= sent and any(mark in str(call.params.get("text", "")) for mark in ANSWERED):
            return call
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("work", type=Path, help="a benchmark's work folder, holding scale-100000")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--questions", type=int, default=300, help="as many as the benchmark times")
    args = parser.parse_args()
    # Imported here: `tests.benchmarks.run` imports this module, and runs as `__main__`.
    from index.evaluation import load_questions
    from tests.benchmarks.corpus import SHARED_EVAL
    from tests.benchmarks.run import machine

    pool = load_questions(SHARED_EVAL / "questions.jsonl")
    asked = [q.question for q in random.Random(0).sample(pool, min(args.questions, len(pool)))]
    cpu = machine()
    print(f"{cpu['cpu']} ({' '.join(cpu['cpu_flags'])})")
    for _ in range(args.runs):
        print(json.dumps(bot_under_load(args.work / "scale-100000", asked)))


if __name__ == "__main__":
    main()
