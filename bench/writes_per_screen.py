"""What the server writes to each screen that connects, joins and syncs: `send(2)` calls and their sizes.

Screens are the official Socket.IO JS client 4.8 (`tests/support/screens.js`), opened at a
steady RATE a second, so no storm muddles the count, and pings and the room head's broadcast
are put off past the run (PING_INTERVAL 60 s, HEAD_INTERVAL_SECONDS 300 s) so that what is
counted is what a screen's connect, join and sync cost. strace follows the server process
and records every `sendto` with the connection it went to; printed: writes per screen to the
screens and to PostgreSQL, the most common sequences of frame sizes on a screen's connection
(the upgrade's 101, engine.io's open, then the answers to connect, join and sync), and the
server's CPU per screen while they connected (under strace, so only to compare runs of this
script). Needs strace (`apt-get install strace`).

    .venv/bin/python bench/writes_per_screen.py --screens 1000
    .venv/bin/python bench/writes_per_screen.py --screens 1000 --postgres
"""

import argparse
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import cpu_seconds, raise_open_files, start_tableside  # noqa: E402
from tests.support.screens import Screens  # noqa: E402

SOCKETS_PER_ACCOUNT = 50
SENT = re.compile(r"TCP:\[[\d.]+:(\d+)->[\d.]+:(\d+)\]>, \"\"\.\.\., (\d+)")
POSTGRES_PORT, REDIS_PORT = "5432", "6379"


def count_writes(trace: Path) -> tuple[Counter, dict[tuple[str, str], list[int]]]:
    """Writes by destination ('screens', 'postgres', 'redis'), and each screen connection's sizes in order."""
    destinations: Counter = Counter()
    screens: dict[tuple[str, str], list[int]] = defaultdict(list)
    for line in trace.read_text().splitlines():
        found = SENT.search(line)
        if found is None:
            continue
        local, remote, size = found.groups()
        if remote == POSTGRES_PORT:
            destinations["postgres"] += 1
        elif remote == REDIS_PORT:
            destinations["redis"] += 1
        else:
            destinations["screens"] += 1
            screens[(local, remote)].append(int(size))
    return destinations, screens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--screens", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=300, help="screens opened a second")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL `bench` instead of SQLite")
    parser.add_argument("--first", type=int, default=8, help="writes of each screen's sequence compared")
    args = parser.parse_args()
    raise_open_files()
    directory = Path(tempfile.mkdtemp(prefix="tableside-writes-"))
    accounts = {
        "sockets": args.screens,
        "per_user": SOCKETS_PER_ACCOUNT,
        "PING_INTERVAL": "60",
        "HEAD_INTERVAL_SECONDS": "300",
    }
    if args.postgres:
        server = start_tableside("eventlet", 1, **accounts)
    else:
        server = start_tableside("eventlet", 1, database=f"sqlite:///{directory / 'writes.db'}", **accounts)
    trace = directory / "sendto.txt"
    try:
        command = ["strace", "-f", "-yy", "-s", "0", "-e", "trace=sendto", "-e", "signal=none"]
        tracer = subprocess.Popen([*command, "-o", str(trace), "-p", str(server.pids[0])])
        time.sleep(1)  # strace attached
        cpu_from = cpu_seconds(server.pids[0])
        screens = Screens(server.urls, server.socket_tokens(args.screens), args.screens, args.rate)
        took = screens.wait_all_ready(args.screens, 120)
        cpu = cpu_seconds(server.pids[0]) - cpu_from
        tracer.send_signal(signal.SIGINT)
        tracer.wait(timeout=30)
        screens.close()
    finally:
        server.stop()
    if took is None:
        raise SystemExit(f"not every screen was ready in 120 s; see {trace}")
    destinations, connections = count_writes(trace)
    count = len(connections)
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{args.screens} screens ready in {took:.1f} s ({database}), strace {trace}")
    print(f"  writes to screens {destinations['screens']} ({destinations['screens'] / count:.2f} per screen),")
    print(f"  to PostgreSQL {destinations['postgres']}, to Redis {destinations['redis']}")
    print(f"  server CPU under strace {cpu:.2f} s ({1000 * cpu / args.screens:.2f} ms per screen)")
    sequences = Counter(tuple(sizes[: args.first]) for sizes in connections.values())
    print(f"  first {args.first} writes on a screen's connection, bytes each (how many screens):")
    for sequence, screens_with_it in sequences.most_common(5):
        print(f"    {', '.join(map(str, sequence))}  ({screens_with_it})")


if __name__ == "__main__":
    main()
