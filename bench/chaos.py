"""Chaos with nothing lost, the long version of tests/chaos/: every fault, longer, several rounds.

Two web processes and the worker on PostgreSQL and Redis; five python-socketio clients hold
the floor plan through TCP proxies while three writers keep changing tables through the
API. Each fault runs while changes flow, then the run checks that every client equals the
database and that every change is in the event log as often as its outcome allows.

PostgreSQL and Redis are restarted (Redis keeps nothing): run it on a machine where that is
fine. Run from the repository root:
    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test_chaos REDIS_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/chaos.py --seconds 20 --rounds 2
"""

import argparse
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.chaos.cluster import ChaosCluster, ensure_services_running  # noqa: E402
from tests.chaos.faults import ChaosRun  # noqa: E402
from tests.support.backing_services import postgres_url, redis_url  # noqa: E402


def faults(run: ChaosRun, seconds: float) -> list[tuple[str, callable]]:
    return [
        ("SIGKILL web process", lambda: run.kill_a_web_process(seconds)),
        ("SIGKILL after 200", lambda: run.kill_between_commit_and_broadcast(seconds, rounds=5)),
        ("Redis restart", lambda: run.restart_redis(seconds)),
        ("PostgreSQL restart", lambda: run.restart_postgres(seconds)),
        ("links stalled 2s", lambda: run.stall_links(seconds, 2)),
        ("links stalled 8s", lambda: run.stall_links(seconds, 8)),
        ("links cut x5", lambda: run.cut_links(seconds, cuts=5)),
        ("away past retention", lambda: run.cut_off_past_retention(seconds)),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20, help="writing time around each fault")
    parser.add_argument("--rounds", type=int, default=1, help="how many times to go through every fault")
    parser.add_argument("--skip", action="append", default=[], help="leave out faults whose name contains this")
    args = parser.parse_args()
    started = time.monotonic()
    failures = 0
    try:
        cluster = ChaosCluster(Path(tempfile.mkdtemp(prefix="chaos-")), postgres_url(), redis_url())
        run = ChaosRun(cluster).start()
        try:
            for round_number in range(1, args.rounds + 1):
                for name, inject in faults(run, args.seconds):
                    if any(word in name for word in args.skip):
                        continue
                    began = time.monotonic()
                    inject()
                    verdict = run.check(f"{name} (round {round_number})", began)
                    print(verdict.line(), flush=True)
                    for problem in verdict.problems:
                        print("   ", problem, flush=True)
                    failures += bool(verdict.problems)
        finally:
            run.stop()
            cluster.stop()
    finally:
        ensure_services_running()
    outcomes = run.writers.outcomes()
    delivered = sum(r.stats["live"] + r.stats["synced"] for r in run.replicas)
    print(
        f"\nchanges: ok={outcomes.get('ok', 0)} failed={outcomes.get('failed', 0)} unknown={outcomes.get('unknown', 0)}"
        f"  events delivered to clients: {delivered}  faults with problems: {failures}"
        f"  ({time.monotonic() - started:.0f}s)"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    # SIGTERM unwinds like Ctrl+C, so the servers stop and PostgreSQL and Redis are left running.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    sys.exit(main())
