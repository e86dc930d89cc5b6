"""CPU per socket handshake signed in by session cookie, and the statements it sends to the database.

A browser's socket signs in with its session cookie; since sign-ins are kept on the server
(app/services/sign_ins.py) each such handshake checks its sign-in, in the same query that
reads the user. In-process (Flask-SocketIO's test client, SQLite), one signed-in session opens
and closes N sockets per round; CPU time (not wall time: the machine may be shared) per
handshake is printed per round, with the statements per handshake.

    python bench/cookie_handshakes.py [--handshakes 400] [--rounds 5]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event  # noqa: E402

from app import create_app  # noqa: E402
from app.config import TestConfig  # noqa: E402
from app.extensions import db, socketio  # noqa: E402
from app.models import Floor, User  # noqa: E402

PASSWORD = "correct-horse-battery"


def signed_in_app(directory: Path):
    """An app on a fresh migrated SQLite file with one host, and a test client signed in as them."""

    class BenchConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{directory / 'bench.db'}"

    app = create_app(BenchConfig)
    with app.app_context():
        upgrade()
        db.session.add(Floor(number=1, name="Main", sort_order=1))
        host = User(username="host", role="host")
        host.set_password(PASSWORD)
        db.session.add(host)
        db.session.commit()
    browser = app.test_client()
    csrf = browser.get("/api/auth/csrf").get_json()["csrfToken"]
    response = browser.post("/login", data={"username": "host", "password": PASSWORD, "csrf_token": csrf})
    assert response.status_code == 302, response.status_code
    return app, browser


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--handshakes", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    app, browser = signed_in_app(Path(tempfile.mkdtemp()))
    with app.app_context():
        engine = db.engine
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda conn, cursor, statement, *rest: statements.append(statement))
    per_round = []
    for _ in range(options.rounds):
        started = time.process_time()
        for _ in range(options.handshakes):
            socket = socketio.test_client(app, flask_test_client=browser)
            assert socket.is_connected()
            socket.disconnect()
        per_round.append((time.process_time() - started) / options.handshakes * 1e6)
    print(f"{options.handshakes} cookie handshakes x {options.rounds} rounds")
    print(f"CPU per handshake: median {statistics.median(per_round):.0f} us, min {min(per_round):.0f} us")
    print(f"statements per handshake: {len(statements) / (options.rounds * options.handshakes):.2f}")


if __name__ == "__main__":
    main()
