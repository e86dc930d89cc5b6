"""How long another user's requests take while slow request bodies come in (issue 23, item 1).

Starts one `python wsgi.py` (SQLite under a temporary directory, or PostgreSQL at
BENCH_DATABASE_URL, emptied), signs in a viewer limited to floor 2 and has it keep SLOW form
POSTs to /api/tables going, each announcing 100 bytes and sending one a second (a new one as
soon as the server answers or hangs up). Meanwhile, once a second, another user asks in turn:
GET /healthz, a sign-in (POST /api/auth/token), GET /api/tables and `tables:sync` over a
python-socketio WebSocket. Printed: p50, p95 and the slowest time of each, how many were not
answered 2xx/ok (and with what), and how the slow bodies ended.

    .venv/bin/python bench/slow_bodies.py                          # SQLite, 24 slow bodies, 30 s
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/slow_bodies.py \\
        --database postgres
"""

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import BENCH_DATABASE, percentile  # noqa: E402
from tests.support.backing_services import postgres_url  # noqa: E402
from tests.support.database import add_staff  # noqa: E402
from tests.support.live_server import PASSWORD, LiveServer, prepare_database  # noqa: E402
from tests.support.servers import live_env  # noqa: E402
from tests.support.slow_bodies import SlowBodies  # noqa: E402
from tests.support.sockets import LiveSocket, signed_in_cookie  # noqa: E402

# Long enough to see a pool checkout time out (SQLite's 30 s) rather than cut it short.
PATIENCE_SECONDS = 40


def start_server(database: str, directory: Path, settings: dict[str, str]) -> LiveServer:
    """`python wsgi.py` on a fresh database with the standard staff and a viewer limited to floor 2."""
    if database == "sqlite":
        url = f"sqlite:///{directory / 'bench.db'}"
    else:
        os.environ["TEST_DATABASE_URL"] = BENCH_DATABASE
        url = postgres_url()
    prepare_database(url)
    add_staff(url, ["floor2viewer"], "viewer", PASSWORD, floors="2")
    return LiveServer(live_env(url, **settings), directory / "server.log").start(timeout=60)


def timed(ask) -> tuple[float, str]:
    """How long one request took, and "ok" or what came back instead."""
    started = time.monotonic()
    try:
        outcome = ask()
    except Exception as error:  # noqa: BLE001 - a timeout is a figure here, not a crash
        outcome = type(error).__name__
    return time.monotonic() - started, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--slow", type=int, default=24, help="slow bodies kept going at once")
    parser.add_argument("--seconds", type=float, default=30, help="how long the attack runs")
    parser.add_argument("--body-timeout", help="REQUEST_BODY_TIMEOUT_SECONDS for the server (default: its own)")
    args = parser.parse_args()
    settings = {"REQUEST_BODY_TIMEOUT_SECONDS": args.body_timeout} if args.body_timeout else {}
    server = start_server(args.database, Path(tempfile.mkdtemp(prefix="tableside-slow-bodies-")), settings)
    viewer_session, cookie = signed_in_cookie(server.url, "floor2viewer")
    other = server.api("viewer")
    token = other.headers["Authorization"].split(" ", 1)[1]
    tablet = LiveSocket(server.url, token=token).connect()
    assert tablet.join(1)["ok"]

    def status(response: requests.Response) -> str:
        return "ok" if response.ok else str(response.status_code)

    probes = {
        "GET /healthz": lambda: status(requests.get(f"{server.url}/healthz", timeout=PATIENCE_SECONDS)),
        "sign-in": lambda: status(
            requests.post(
                f"{server.url}/api/auth/token",
                json={"username": "viewer", "password": PASSWORD},
                timeout=PATIENCE_SECONDS,
            )
        ),
        "GET /api/tables": lambda: status(other.get(f"{server.url}/api/tables", timeout=PATIENCE_SECONDS)),
        "tables:sync": lambda: (
            "ok" if tablet.call("tables:sync", {"lastEventId": None}, timeout=PATIENCE_SECONDS)["ok"] else "refused"
        ),
    }
    headers = {"Cookie": cookie, "X-CSRFToken": viewer_session.headers["X-CSRFToken"]}
    attack = SlowBodies(server.url, "/api/tables", args.slow, headers).start()
    took: dict[str, list[float]] = {name: [] for name in probes}
    failed: dict[str, Counter] = {name: Counter() for name in probes}
    ends = time.monotonic() + args.seconds
    try:
        time.sleep(1)  # every slow body's headers in
        while time.monotonic() < ends:
            round_ends = time.monotonic() + 1
            for name, ask in probes.items():
                seconds, outcome = timed(ask)
                took[name].append(seconds)
                if outcome != "ok":
                    failed[name][outcome] += 1
            time.sleep(max(0.0, round_ends - time.monotonic()))
    finally:
        attack.stop()
        tablet.close()
        server.stop()
    print(f"{args.database}, {args.slow} slow bodies, {args.seconds:.0f} s ({settings or 'server defaults'})")
    for name, times in took.items():
        print(
            f"  {name:16} n={len(times):3}  p50 {percentile(times, 0.5) * 1000:8.1f} ms  "
            f"p95 {percentile(times, 0.95) * 1000:8.1f} ms  slowest {max(times) * 1000:8.1f} ms  "
            f"not ok: {dict(failed[name]) or 0}"
        )
    cut = attack.cut()
    answers = Counter(attempt.answer for attempt in cut)
    lasted = [attempt.lasted for attempt in cut]
    print(f"  slow bodies sent {len(attack.attempts)}, ended by the server {len(cut)} {dict(answers)}", end="")
    print(f", after {percentile(lasted, 0.5):.2f} s (p50) to {max(lasted):.2f} s" if lasted else "")


if __name__ == "__main__":
    main()
