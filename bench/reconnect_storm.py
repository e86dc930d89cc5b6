"""A reconnect storm: every screen back, joined and synced after a restart (issue 15).

Screens are the official Socket.IO JS client 4.8 (`tests/support/screens.js`, several Node
processes): CLIENTS sockets over accounts of 50 sockets, opened at about RATE a second, each
joining floor 2 and calling `tables:sync` on every connect, reconnection delay 250 ms up to
2 s. Once all are ready, every server process is stopped (SIGKILL, or SIGTERM as a deploy
does, waiting for it to exit) and started again on the same port. Printed per server: the
time from the signal until every screen was back, joined and synced, p50/p95 of each
screen's own time, and what went wrong meanwhile (connect errors by message, disconnects by
reason, refused joins, acknowledgements never answered; the restarted server's own count of
disconnects by reason and of refusals).

    (cd bench/node-reference && npm ci)
    .venv/bin/python bench/reconnect_storm.py --clients 2000
    .venv/bin/python bench/reconnect_storm.py --clients 5000 --servers node,eventlet --stops kill
"""

import argparse
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import requests
from prometheus_client.parser import text_string_to_metric_families

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (  # noqa: E402
    Server,
    cpu_seconds,
    load_average,
    percentile,
    raise_open_files,
    start_node,
    start_tableside,
)
from tests.support.screens import Screens  # noqa: E402

SOCKETS_PER_ACCOUNT = 50  # Tableside's cap per account and process, as a venue's 50 screens per login
SCREENS_PER_RUNNER = 1250
COUNTED = {"tableside_disconnects_total": "disconnect", "tableside_sessions_refused_total": "refused"}
GROUPS = (("connectErrors", "connect_error"), ("disconnects", "disconnect"), ("refusedJoins", "refused"))
SIGNALS = {"kill": signal.SIGKILL, "term": signal.SIGTERM}


def stop_and_start(server: Server, how: str) -> None:
    """Signal every process; once all have exited, start each again on its port."""
    for process in server.processes:
        process.send_signal(SIGNALS[how])
    for process in server.processes:
        process.wait(timeout=60)
    server.relaunch()


def server_counts(server: Server) -> Counter:
    """What the restarted servers counted: disconnects by reason and refusals."""
    counts: Counter = Counter()
    for url in server.urls:
        try:
            if server.name.startswith("node"):
                for reason, n in requests.get(f"{url}/stats", timeout=5).json()["disconnects"].items():
                    counts[f"disconnect: {reason}"] += n
                continue
            text = requests.get(f"{url}/metrics", timeout=5).text
        except requests.RequestException as error:
            counts[f"unreadable: {type(error).__name__}"] += 1
            continue
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name in COUNTED:
                    counts[f"{COUNTED[sample.name]}: {sample.labels['reason']}"] += int(sample.value)
    return counts


def storm(server: Server, args: argparse.Namespace, how: str) -> dict:
    """All screens ready, then the stop and start; what the screens and the server saw."""
    screens = Screens(server.urls, server.socket_tokens(args.clients), args.clients, args.rate)
    try:
        first = screens.wait_all_ready(args.clients, args.timeout)
        if first is None:
            return {"how": how, "first": None, "ready": screens.ready(), "counts": screens.report()[2]}
        time.sleep(args.settle)
        load = load_average()
        screens.ask("epoch")
        signalled = time.monotonic()
        stop_and_start(server, how)
        restarted = time.monotonic() - signalled
        cpu_from = sum(cpu_seconds(pid) for pid in server.pids)
        back, left, _, _ = screens.wait_all_back(args.timeout)
        cpu = sum(cpu_seconds(pid) for pid in server.pids) - cpu_from
        time.sleep(args.settle)  # anything that drops just after everyone is back is counted too
        _, left_after, counts, _ = screens.report()
        return {
            "how": how,
            "first": first,
            "load": load,
            "restarted": restarted,
            "settle": args.settle,
            "cpu": cpu,
            "back": back,
            "left": left,
            "left_after": left_after,
            "counts": counts + server_counts(server),
        }
    finally:
        screens.close()


def start(kind: str, clients: int, directory: Path) -> Server:
    """node, eventlet (one process on SQLite) or eventlet-x2 (two processes on Redis and PostgreSQL)."""
    if kind == "node":
        return start_node()
    accounts = {"sockets": clients, "per_user": SOCKETS_PER_ACCOUNT}
    if kind == "eventlet":
        return start_tableside("eventlet", 1, database=f"sqlite:///{directory / 'storm.db'}", **accounts)
    if kind == "eventlet-pg":
        return start_tableside("eventlet", 1, **accounts)
    if kind == "eventlet-x2":
        return start_tableside("eventlet", 2, redis=True, **accounts)
    raise SystemExit(f"unknown server {kind}")


def print_result(name: str, clients: int, result: dict) -> None:
    counts = ", ".join(f"{key} {n}" for key, n in sorted(result["counts"].items()))
    if result["first"] is None:
        print(f"{name}: only {result['ready']} of {clients} ever ready at once; {counts}", flush=True)
        return
    back = result["back"] or [float("nan")]
    every = f"{max(back):.2f} s" if not result["left"] and back else f"NOT all: {result['left']} left behind"
    print(
        f"{name}, {result['how']}: {clients} ready in {result['first']:.1f} s; after the signal all back in {every} "
        f"(p50 {percentile(back, 0.5):.2f} s, p95 {percentile(back, 0.95):.2f} s; old processes gone and new ones "
        f"launched after {result['restarted']:.2f} s; {result['left_after']} not ready {result['settle']} s later; "
        f"server CPU {result['cpu']:.1f} s); load {result['load']}",
        flush=True,
    )
    print(f"  {counts}", flush=True)


def main() -> None:
    """Run the storms on each server named, one after the other."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=1600, help="screens opened per second")
    parser.add_argument("--servers", default="node,eventlet,eventlet-x2")
    parser.add_argument("--stops", default="kill,term", help="kill (SIGKILL) and/or term (SIGTERM, a deploy)")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--settle", type=float, default=3.0)
    args = parser.parse_args()
    raise_open_files()
    for kind in args.servers.split(","):
        for how in args.stops.split(","):
            server = start(kind, args.clients, Path(tempfile.mkdtemp(prefix="tableside-storm-")))
            try:
                result = storm(server, args, how)
            finally:
                server.stop()
            print_result(server.name, args.clients, result)
            time.sleep(2)


if __name__ == "__main__":
    main()
