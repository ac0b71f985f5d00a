"""`python -m bot …` and the `citebot` command."""

import os
import signal
import sys

from bot.native_libraries import prepare_native_libraries
from index.cpu import container_cores, cpu_flags


def run() -> int:
    # Bytes typed or piped that are not in the terminal's encoding are kept (as lone
    # surrogates, read as "�" by `index.decoding.readable`) rather than ending the program,
    # and text a terminal cannot show ("—" in Latin-1) is replaced rather than raising.
    for stream, errors in ((sys.stdin, "surrogateescape"), (sys.stdout, "replace"), (sys.stderr, "replace")):
        if hasattr(stream, "reconfigure"):  # not closed (`<&-`), not replaced by an embedding program
            stream.reconfigure(errors=errors)
    # SIGTERM (`docker stop`, systemd, `kill`) as Ctrl-C: a command stops as it does for Ctrl-C
    # (130, what was committed kept). As a container's first process, Python was not even
    # stopped by it while it had no handler: `serve` loading its model and library ignored
    # `docker stop` until Docker killed it 10 s later. Serving, the bot's own handler takes over.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        # Before anything loads FAISS or ONNX Runtime (`main` loads FAISS for the commands that use it).
        prepare_native_libraries(os.environ, cpu_flags(), container_cores())
        from bot.cli import main

        return main()
    except KeyboardInterrupt:  # Ctrl-C while the libraries load, before `main` handles it
        print("\ninterrompu.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(run())
