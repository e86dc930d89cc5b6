"""Soak: many clients and steady changes for a given time; delivered, lost, latency and memory.

Two web processes and the worker on PostgreSQL and Redis. CLIENTS python-socketio clients
(viewers on all_tables, hosts on one floor each, split over both processes) keep the floor
plan; one writer sends RATE changes a second through the API. Every REPORT seconds it prints
events delivered so far, latency percentiles (from sending the HTTP request to a client
receiving the event) and each process's resident memory, so a leak shows as growth. At the
end every client must hold what the database holds and have applied every event of its
floors: `lost` counts the ones that never reached a client, live or by sync (must be 0).

    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test_chaos REDIS_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/soak.py 600 --clients 60 --rate 5
"""

import argparse
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.chaos.cluster import ChaosCluster  # noqa: E402
from tests.chaos.faults import ChaosRun  # noqa: E402
from tests.chaos.history import Writers  # noqa: E402
from tests.chaos.replica import Replica  # noqa: E402
from tests.support.backing_services import postgres_url, redis_url  # noqa: E402
from tests.support.proxy import wait_until  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def latencies(replicas: list[Replica], sent: dict[int, float]) -> list[float]:
    """Milliseconds from a change's request to each client's live receipt of its event."""
    return [
        (arrived - sent[event_id]) * 1000
        for replica in replicas
        for event_id, arrived in list(replica.arrivals.items())
        if event_id in sent
    ]


def sent_at(cluster: ChaosCluster, writers: Writers) -> dict[int, float]:
    """Event id -> when its change was sent, matched through the change's key."""
    by_key = {change.key: change.sent_at for change in list(writers.changes)}
    sent = {}
    for event_id, kind, payload in cluster.events():
        key = {
            "table:status_changed": payload.get("notes"),
            "table:created": payload.get("tableNumber"),
            "table:updated": payload.get("changes", {}).get("notes"),
            "table:deleted": f"delete:{payload.get('tableId')}",
        }[kind]
        if key in by_key:
            sent[event_id] = by_key[key]
    return sent


def lost_events(cluster: ChaosCluster, replicas: list[Replica]) -> int:
    """Events of a client's floors, after its first snapshot, that it never applied."""
    events = cluster.events()
    missing = 0
    for replica in replicas:
        for event_id, _, payload in events:
            if event_id > replica._mark and replica._shows(payload["floor"]) and event_id not in replica._seen:
                missing += 1
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("seconds", type=float, help="how long to run")
    parser.add_argument("--clients", type=int, default=60)
    parser.add_argument("--rate", type=float, default=5, help="changes a second")
    parser.add_argument("--report", type=float, default=60, help="seconds between progress lines")
    args = parser.parse_args()

    cluster = ChaosCluster(
        Path(tempfile.mkdtemp(prefix="soak-")), postgres_url(), redis_url(), EVENT_LOG_MAX_ROWS="100000"
    )
    urls = [link.url for link in cluster.links]
    people = [("viewer", (None,)), ("host", (1,)), ("manager", (2,)), ("floor2host", (2,)), ("floor2manager", (2,))]
    replicas = []
    for n in range(args.clients):
        username, floors = people[n % len(people)]
        replicas.append(Replica(f"{username}-{n}", urls[n % 2 :] + urls[: n % 2], cluster.token(username), floors))
    writers = Writers(cluster.urls, cluster.token("manager"), run=f"s{int(time.time()) % 100000}", threads=1)
    writers.pace = 1 / args.rate
    try:
        for n in range(12):
            writers.create(cluster.urls[0], floor=n % 3 + 1)
        for replica in replicas:
            replica.start()
        assert wait_until(lambda: all(r.connected for r in replicas), 60), "clients did not connect"
        print(f"{args.clients} clients connected; {args.rate}/s changes for {args.seconds:.0f}s", flush=True)
        print(
            f"{'t(s)':>6} {'changes':>8} {'delivered':>10} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}  RSS KiB web0/web1"
        )
        writers.start()
        writers.resume()
        began = time.monotonic()
        first_rss = cluster.rss_kib()
        print(f"{0:>6} {0:>8} {0:>10} {'-':>7} {'-':>7} {'-':>7}  {first_rss}", flush=True)
        while (elapsed := time.monotonic() - began) < args.seconds:
            time.sleep(min(args.report, args.seconds - elapsed))
            values = latencies(replicas, sent_at(cluster, writers))
            delivered = sum(r.stats["live"] + r.stats["synced"] for r in replicas)
            print(
                f"{time.monotonic() - began:>6.0f} {len(writers.changes):>8} {delivered:>10} "
                f"{percentile(values, 0.5):>7.1f} {percentile(values, 0.95):>7.1f} {percentile(values, 0.99):>7.1f}"
                f"  {cluster.rss_kib()}",
                flush=True,
            )
        writers.pause()
        truth = cluster.tables()
        settled = wait_until(lambda: all(r.snapshot() == ChaosRun.expected(r, truth) for r in replicas), 30, 0.2)
        outcomes = writers.outcomes()
        delivered = sum(r.stats["live"] + r.stats["synced"] for r in replicas)
        live = sum(r.stats["live"] for r in replicas)
        lost = lost_events(cluster, replicas)
        values = latencies(replicas, sent_at(cluster, writers))
        print(
            f"\nchanges ok={outcomes.get('ok', 0)} failed={outcomes.get('failed', 0)}"
            f" unknown={outcomes.get('unknown', 0)}"
            f"\ndelivered={delivered} (live {live}, by sync {delivered - live})  lost={lost}"
            f"  clients equal to the database: {settled}"
            f"\nlatency ms p50={percentile(values, 0.5):.1f} p95={percentile(values, 0.95):.1f}"
            f" p99={percentile(values, 0.99):.1f} max={max(values, default=0):.1f}"
            f"\nRSS KiB at start {first_rss}, at end {cluster.rss_kib()}",
            flush=True,
        )
        return 0 if lost == 0 and settled else 1
    finally:
        writers.stop()
        for replica in replicas:
            replica.close()
        cluster.stop()


if __name__ == "__main__":
    # SIGTERM unwinds like Ctrl+C, so the servers stop and PostgreSQL and Redis are left running.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    sys.exit(main())
