"""How long a status change takes to reach every watcher of a floor.

Starts one eventlet server process (`python wsgi.py`, SQLite), connects N python-socketio
AsyncClients over WebSocket spread across a few client processes, joins them all to
floor 1, then sends status changes through the HTTP API one at a time and measures

  (a) per client: from sending the HTTP request to that client's receipt, and
  (b) per change: from sending the HTTP request until the last client has it.

Run from the repository root:
    .venv/bin/python bench/broadcast_latency.py --clients 100
    .venv/bin/python bench/broadcast_latency.py --clients 1000 --batch-window-ms 0
"""

import argparse
import asyncio
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SOCKETS_PER_VIEWER = 40  # under the server's 50 sockets per user
CONNECT_AT_ONCE = 50


def raise_open_files() -> None:
    """Each socket is a file descriptor; lift the soft limit to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


# ---- client processes -----------------------------------------------------------------


async def _watch(url: str, tokens: list[str], ready, stop, results) -> None:
    import socketio

    receipts: dict[str, list[float]] = {}
    clients = []

    def on_change(data) -> None:
        now = time.monotonic()
        for item in data if isinstance(data, list) else [data]:
            notes = item.get("notes")
            if notes and notes.startswith("bench-"):
                receipts.setdefault(notes, []).append(now)

    async def open_one(token: str) -> None:
        client = socketio.AsyncClient(reconnection=False)
        client.on("table:status_changed", on_change)
        client.on("tables:batch_update", on_change)
        await client.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=30)
        ack = await client.call("tables:join", {"floor": 1}, timeout=30)
        assert ack["ok"], ack
        clients.append(client)

    for start in range(0, len(tokens), CONNECT_AT_ONCE):
        await asyncio.gather(*(open_one(token) for token in tokens[start : start + CONNECT_AT_ONCE]))
    ready.put(len(clients))
    while not stop.is_set():
        await asyncio.sleep(0.1)
    results.put(receipts)
    await asyncio.gather(*(client.disconnect() for client in clients), return_exceptions=True)


def client_process(url: str, tokens: list[str], ready, stop, results) -> None:
    """One process holding a share of the clients on one asyncio loop."""
    raise_open_files()
    asyncio.run(_watch(url, tokens, ready, stop, results))


# ---- the run --------------------------------------------------------------------------


def start_server(directory: Path, clients: int, window_ms: int):
    from tests.support.database import add_staff
    from tests.support.live_server import PASSWORD, LiveServer, base_env, prepare_database

    database_url = f"sqlite:///{directory / 'bench.db'}"
    prepare_database(database_url)
    viewers = [f"watcher{n}" for n in range(-(-clients // SOCKETS_PER_VIEWER))]
    add_staff(database_url, viewers, "viewer", PASSWORD)
    env = base_env(
        database_url,
        BATCH_WINDOW_MS=str(window_ms),
        STATUS_RATE_LIMIT="1000 per second",
        LOGIN_RATE_LIMIT="10000 per minute",
        # Every watcher connects from 127.0.0.1, its token only in the Socket.IO CONNECT packet:
        # the per-address limit on handshakes not yet signed in would refuse them with 429.
        MAX_UNAUTHENTICATED_PER_ADDRESS="100000",
        HEAD_INTERVAL_SECONDS="5",
        RESERVATION_POLL_SECONDS="5",
    )
    server = LiveServer(env, directory / "server.log").start(timeout=60)
    return server, viewers


def start_profiler(pid: int, output: str):
    """py-spy recording the server process while the changes go out (--profile)."""
    import subprocess

    kind = "raw" if output.endswith(".txt") else "speedscope"
    py_spy = str(Path(sys.executable).parent / "py-spy")
    command = [py_spy, "record", "--pid", str(pid), "--output", output, "--format", kind, "--nonblocking"]
    return subprocess.Popen(command)


def run(clients: int, changes: int, spacing: float, window_ms: int, processes: int, profile: str | None) -> dict:
    """Measure one configuration; return the figures."""
    from tests.support.api import StaffApi

    raise_open_files()
    directory = Path(tempfile.mkdtemp(prefix="tableside-bench-"))
    server, viewers = start_server(directory, clients, window_ms)
    try:
        tokens = [StaffApi(server.url, name).token for name in viewers]
        sockets = [tokens[n // SOCKETS_PER_VIEWER] for n in range(clients)]
        manager = StaffApi(server.url, "manager")
        table = manager.create_table(floor=1)

        context = multiprocessing.get_context("spawn")
        ready, results, stop = context.Queue(), context.Queue(), context.Event()
        shares = [sockets[n::processes] for n in range(processes)]
        workers = [
            context.Process(target=client_process, args=(server.url, share, ready, stop, results))
            for share in shares
            if share
        ]
        connect_started = time.monotonic()
        for worker in workers:
            worker.start()
        connected = sum(ready.get(timeout=300) for _ in workers)
        connect_seconds = time.monotonic() - connect_started
        time.sleep(1)
        profiler = start_profiler(server.process.pid, profile) if profile else None

        sent_at: dict[str, float] = {}
        http_seconds = []
        for index in range(changes):
            notes = f"bench-{index}"
            sent_at[notes] = time.monotonic()
            response = manager.set_status(table["tableId"], ("occupied", "available")[index % 2], notes=notes)
            http_seconds.append(time.monotonic() - sent_at[notes])
            response.raise_for_status()
            time.sleep(spacing)
        time.sleep(2)
        if profiler is not None:
            profiler.send_signal(2)
            profiler.wait(timeout=60)
        stop.set()
        receipts: dict[str, list[float]] = {}
        for _ in workers:
            for notes, times in results.get(timeout=60).items():
                receipts.setdefault(notes, []).extend(times)
        for worker in workers:
            worker.join(timeout=30)
    finally:
        server.stop()

    each = [at - sent_at[notes] for notes, times in receipts.items() for at in times]
    last = [max(times) - sent_at[notes] for notes, times in receipts.items() if len(times) == connected]
    return {
        "clients": connected,
        "connect_seconds": connect_seconds,
        "changes": changes,
        "delivered": len(each),
        "expected": connected * changes,
        "complete_changes": len(last),
        "each": each,
        "last": last,
        "http": http_seconds,
        "window_ms": window_ms,
    }


def report(figures: dict) -> None:
    """Print the figures as the README quotes them."""

    def row(name: str, values: list[float]) -> str:
        if not values:
            return f"  {name:34} (no data)"
        ms = [value * 1000 for value in values]
        return (
            f"  {name:34} p50 {percentile(ms, 0.50):7.1f}  p95 {percentile(ms, 0.95):7.1f}  "
            f"p99 {percentile(ms, 0.99):7.1f}  max {max(ms):7.1f}  mean {statistics.fmean(ms):7.1f} ms"
        )

    print(
        f"clients {figures['clients']} (connected in {figures['connect_seconds']:.1f} s), "
        f"changes {figures['changes']}, BATCH_WINDOW_MS {figures['window_ms']}, "
        f"deliveries {figures['delivered']}/{figures['expected']}, "
        f"changes reaching every client {figures['complete_changes']}/{figures['changes']}"
    )
    print(row("HTTP request -> response", figures["http"]))
    print(row("HTTP request -> each client", figures["each"]))
    print(row("HTTP request -> last client", figures["last"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--spacing", type=float, default=0.25, help="seconds between changes (keep > the window)")
    parser.add_argument("--batch-window-ms", type=int, default=50)
    parser.add_argument("--processes", type=int, default=3, help="client processes")
    parser.add_argument("--profile", help="record the server with py-spy into this file (.txt: collapsed stacks)")
    args = parser.parse_args()
    figures = run(args.clients, args.changes, args.spacing, args.batch_window_ms, args.processes, args.profile)
    report(figures)


if __name__ == "__main__":
    main()
