"""Idle connections held by one process, memory per idle connection, and the room meanwhile.

Opens IDLE sockets that join floor 2 and then only answer pings (a tablet left on another
floor), reads the server's RSS before and after (growth / sockets = memory per idle
connection), then measures the 1,000-watcher floor 1 room with the idle sockets still open.
Targets: at least 5,000 idle held, the room's last-client p95 within 100 ms, at most 30 KB
per idle connection.

    .venv/bin/python bench/idle_connections.py                      # eventlet, 5,000 idle
    .venv/bin/python bench/idle_connections.py --servers eventlet,gevent,node
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import Clients, load_average, percentile, raise_open_files, rss_kb  # noqa: E402
from bench.measure import arguments, measure_room, print_figures, start  # noqa: E402


def held(kind: str, idle: int, args) -> None:
    """Idle sockets, then the room, on one server."""
    server = start(kind, args.batch_window_ms, idle + args.clients)
    idle_clients, room_clients = Clients(args.idle_processes), Clients(args.processes)
    try:
        time.sleep(2)
        before = sum(rss_kb(pid) for pid in server.pids)
        connected, seconds = idle_clients.open(server, idle, floor=2)
        time.sleep(10)  # let the young collections and the first full ones settle
        after = sum(rss_kb(pid) for pid in server.pids)
        per_socket = (after - before) / max(1, connected)
        print(
            f"{server.name}: {connected}/{idle} idle sockets open in {seconds:.1f} s; RSS {before / 1024:.0f} -> "
            f"{after / 1024:.0f} MiB = {per_socket:.1f} KiB per idle connection "
            f"(target <= 30: {'met' if per_socket <= 30 else 'NOT met'}); load average {load_average()}",
            flush=True,
        )
        figures = measure_room(server, room_clients, args.clients, args.changes, args.spacing, first_socket=idle)
        idle_clients.close()
    finally:
        server.stop()
    print_figures(figures)
    p95 = percentile(figures.last, 0.95) * 1000 if figures.last else float("inf")
    print(
        f"  room of {figures.watchers} with {connected} idle: last-client p95 {p95:.1f} ms "
        f"(target <= 100: {'met' if p95 <= 100 and connected >= 5000 else 'NOT met'})",
        flush=True,
    )


def main() -> None:
    """Run the idle-connection measurement on each server named."""
    parser = arguments(__doc__)
    parser.add_argument("--idle", type=int, default=5000)
    parser.add_argument("--idle-processes", type=int, default=3, help="client processes for the idle sockets")
    parser.add_argument("--servers", default="eventlet")
    args = parser.parse_args()
    raise_open_files()
    for kind in args.servers.split(","):
        held(kind, args.idle, args)
        time.sleep(2)


if __name__ == "__main__":
    main()
