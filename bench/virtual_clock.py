"""Serve Tableside as `python wsgi.py` does, its clock read from a file a bench writes (bench/quotes.py).

Every time the app stamps (`app.models.time.utcnow`: joined, seated, cleared, events) is the
ISO time in BENCH_CLOCK_FILE when it is read, so a bench can play thirty evenings through the
HTTP API in minutes, each request at the moment it happens in the evening. The app is not
changed: `utcnow` keeps its object (every module imported it by name) and gets this body.
Rate limits and sockets keep real time; a bearer token's expiry is stamped on this clock and
checked on the real one, so the bench gives tokens a lifetime longer than its history.
"""

import os
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    from app.listening import listen_then_patch

    listening = listen_then_patch()

    import app.models.time as clock

    clock_file = Path(os.environ["BENCH_CLOCK_FILE"])

    def bench_now() -> datetime:
        """The bench's time now (a few bytes on a local disk, read each time: the bench moves it often)."""
        return datetime.fromisoformat(clock_file.read_text())

    def utcnow() -> datetime:
        return bench_now()  # looked up in app.models.time's globals, where it is put below

    clock.bench_now = bench_now
    clock.utcnow.__code__ = utcnow.__code__

    from app import create_app
    from app.serve import serve

    serve(create_app(serving=True), listening)
