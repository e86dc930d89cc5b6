"""Measuring one floor room of N watchers on a server, and printing the figures.

A change is sent through HTTP every `spacing` seconds (longer than any batching window, so
windows never merge two changes). For each change: the HTTP request's own time, and the
time from sending it until the last watcher of the room has it. Server CPU is read from
/proc before and after; the idle rate measured just before (same sockets, nothing sent)
is what pings and timers cost, and is subtracted for the net figure per delivery.
"""

import argparse
import time
from dataclasses import dataclass, field

import requests

from app.config import Config
from bench.harness import Clients, Server, cpu_seconds, load_average, percentile, rss_kb, start_node, start_tableside


@dataclass
class RoomFigures:
    """What one run of changes to one room gave."""

    name: str
    watchers: int
    changes: int
    http: list[float] = field(default_factory=list)
    # The same request with no watchers yet: the server's own path, before any fan-out.
    alone: list[float] = field(default_factory=list)
    last: list[float] = field(default_factory=list)
    each: list[float] = field(default_factory=list)
    delivered: int = 0
    cpu_gross: float = 0.0
    cpu_idle_rate: float = 0.0
    seconds: float = 0.0
    rss_kb: int = 0
    load: str = ""

    def cpu_per_delivery_us(self, net: bool) -> float:
        """Server CPU microseconds per delivered event (net: idle pings and timers taken out)."""
        cpu = self.cpu_gross - (self.cpu_idle_rate * self.seconds if net else 0)
        return cpu / max(1, self.delivered) * 1e6


def send_changes(server: Server, changes: int, spacing: float, first: int) -> tuple[dict[str, float], list[float]]:
    """Send `changes` status changes `spacing` seconds apart; (sent-at by notes, HTTP seconds)."""
    session = requests.Session()
    session.headers.update(server.headers)
    sent_at, http = {}, []
    for index in range(first, first + changes):
        began = time.monotonic()
        sent_at[f"bench-{index}"] = began
        server.change(index, session)
        http.append(time.monotonic() - began)
        time.sleep(max(0.0, spacing - (time.monotonic() - began)))
    return sent_at, http


def measure_room(
    server: Server,
    clients: Clients,
    watchers: int,
    changes: int,
    spacing: float,
    idle_seconds: float = 4,
    first_socket: int = 0,
    alone: int = 0,
) -> RoomFigures:
    """Open `watchers` sockets on floor 1 (on top of any already open), send changes, collect.

    `alone`: first send that many changes (rounded up to even, so the table ends as it began)
    before any watcher connects: the HTTP answer then is the server's path without a fan-out.
    """
    # Numbered far from the watched changes, whose notes the clients match.
    _, alone_http = send_changes(server, alone + alone % 2, 0.05, first=1_000_000)
    connected, _ = clients.open(server, watchers, floor=1, start=first_socket)
    figures = RoomFigures(server.name, connected, changes, alone=alone_http)
    time.sleep(1)
    idle_from = sum(cpu_seconds(pid) for pid in server.pids)
    time.sleep(idle_seconds)
    figures.cpu_idle_rate = (sum(cpu_seconds(pid) for pid in server.pids) - idle_from) / idle_seconds
    figures.load = load_average()
    cpu_from, began = sum(cpu_seconds(pid) for pid in server.pids), time.monotonic()
    sent_at, figures.http = send_changes(server, changes, spacing, first=0)
    time.sleep(1.5)
    figures.seconds = time.monotonic() - began
    figures.cpu_gross = sum(cpu_seconds(pid) for pid in server.pids) - cpu_from
    figures.rss_kb = sum(rss_kb(pid) for pid in server.pids)
    receipts = clients.close()
    for notes, sent in sent_at.items():
        times = receipts.get(notes, [])
        figures.delivered += len(times)
        figures.each.extend(at - sent for at in times)
        if len(times) >= connected:
            figures.last.append(max(times) - sent)
    return figures


def start(kind: str, window_ms: int, sockets: int) -> Server:
    """A server by name: eventlet, gevent, node, node-commits (node doing Tableside's database work first),
    eventlet-redis (one process), eventlet-x2 (two)."""
    if kind in ("node", "node-commits"):
        return start_node(window_ms, commits=kind == "node-commits")
    if kind == "eventlet-redis":
        return start_tableside("eventlet", 1, redis=True, window_ms=window_ms, sockets=sockets)
    if kind == "eventlet-x2":
        return start_tableside("eventlet", 2, redis=True, window_ms=window_ms, sockets=sockets)
    return start_tableside(kind, 1, redis=False, window_ms=window_ms, sockets=sockets)


def ms(values: list[float], share: float) -> str:
    return f"{percentile(values, share) * 1000:6.1f}" if values else "   n/a"


def print_figures(figures: RoomFigures) -> None:
    """One block of figures per server, as bench/README.md quotes them."""
    print(
        f"{figures.name}: {figures.watchers} watchers, deliveries {figures.delivered}/"
        f"{figures.watchers * figures.changes}, changes reaching all {len(figures.last)}/{figures.changes}, "
        f"load average {figures.load}"
    )
    if figures.alone:
        # p50 only: the first of these are the process's first requests (code and caches warming).
        print(f"  HTTP, no watchers yet        p50 {ms(figures.alone, 0.5)} ms")
    print(f"  HTTP request -> response     p50 {ms(figures.http, 0.5)}  p95 {ms(figures.http, 0.95)} ms")
    print(f"  HTTP request -> each client  p50 {ms(figures.each, 0.5)}  p95 {ms(figures.each, 0.95)} ms")
    print(
        f"  HTTP request -> last client  p50 {ms(figures.last, 0.5)}  p95 {ms(figures.last, 0.95)}  "
        f"p99 {ms(figures.last, 0.99)}  max {ms(figures.last, 1.0)} ms"
    )
    print(
        f"  server CPU per delivery      gross {figures.cpu_per_delivery_us(False):5.1f} us, net of idle "
        f"{figures.cpu_per_delivery_us(True):5.1f} us (idle {figures.cpu_idle_rate * 100:.0f}% of a core); "
        f"RSS {figures.rss_kb / 1024:.0f} MiB",
        flush=True,
    )


def compare(kinds: list[str], args: argparse.Namespace) -> dict[str, RoomFigures]:
    """Measure each kind of server in turn, in this one run, with the same clients and changes."""
    results: dict[str, RoomFigures] = {}
    for _ in range(args.rounds):
        for kind in kinds:
            server = start(kind, args.batch_window_ms, args.clients)
            try:
                clients = Clients(args.processes)
                figures = measure_room(server, clients, args.clients, args.changes, args.spacing, alone=args.alone)
            finally:
                server.stop()
            print_figures(figures)
            if kind in results:
                kept = results[kind]
                kept.last += figures.last
                kept.http += figures.http
                kept.each += figures.each
                kept.alone += figures.alone
            else:
                results[kind] = figures
            time.sleep(2)
    return results


def arguments(description: str, **defaults) -> argparse.ArgumentParser:
    """The options every room benchmark takes."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=defaults.get("clients", 1000), help="watchers of floor 1")
    parser.add_argument("--changes", type=int, default=defaults.get("changes", 50))
    parser.add_argument("--spacing", type=float, default=0.25, help="seconds between changes")
    # What users get unless told: the app's own default window (a lone change goes out at once).
    window = defaults.get("window", Config.BATCH_WINDOW_MS)
    parser.add_argument("--batch-window-ms", type=int, default=window, help=f"default {window}, the app's")
    parser.add_argument("--processes", type=int, default=defaults.get("processes", 4), help="client processes")
    parser.add_argument("--rounds", type=int, default=1, help="alternate the servers this many times")
    parser.add_argument(
        "--alone", type=int, default=20, help="changes sent before any watcher connects (the request's own path)"
    )
    return parser


def ratio_line(label: str, numerator: RoomFigures, denominator: RoomFigures, target: float | None) -> str:
    """`label: a / b = r (target <= t: met|NOT met)` on last-client p95; no verdict without a target."""
    top, bottom = percentile(numerator.last, 0.95), percentile(denominator.last, 0.95)
    value = top / bottom
    line = f"{label}: {top * 1000:.1f} / {bottom * 1000:.1f} ms = {value:.2f}x"
    if target is None:
        return line
    return f"{line} (target <= {target}x: {'met' if value <= target else 'NOT met'})"
