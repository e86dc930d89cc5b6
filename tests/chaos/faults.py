"""A chaos run: clients holding the floor plan, writers changing it, one fault at a time, then checks.

Each fault runs while the writers keep going; then the writers pause, the faults heal,
and `check` waits for every client to settle and compares it with the database and the
writers' history with the event log. bench/chaos.py and tests/chaos/ share this.
"""

import time
from dataclasses import dataclass, field

from tests.chaos.cluster import ChaosCluster, restart_postgres, restart_redis
from tests.chaos.history import OK, Writers, keys_in_log, set_test_violations
from tests.chaos.replica import Replica
from tests.support.proxy import FaultyLink, wait_until

SETTLE_SECONDS = 25


@dataclass
class Verdict:
    """What one fault left behind: changes by outcome, deliveries, and anything that went wrong."""

    fault: str
    outcomes: dict
    delivered: int
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"{self.fault:<28} ok={self.outcomes.get('ok', 0):<4} failed={self.outcomes.get('failed', 0):<3} "
            f"unknown={self.outcomes.get('unknown', 0):<3} delivered={self.delivered:<6} "
            f"lost={len(self.problems)} ({self.seconds:.1f}s)"
        )


class ChaosRun:
    """The cluster, five clients on different rooms and links, and the writers."""

    def __init__(self, cluster: ChaosCluster, writers: int = 3, pace: float = 0.08) -> None:
        self.cluster = cluster
        links = cluster.links
        both = [link.url for link in links]
        self.late_link = FaultyLink(cluster.webs[-1].port)
        self.replicas = [
            Replica("viewer-all-a", both, cluster.token("viewer")),
            Replica("viewer-all-b", both[::-1], cluster.token("viewer")),
            # One floor room per client: a socket in two floor rooms can get ids out of order
            # (see bench/CHAOS_AND_SOAK.md, "Bugs"), which the page tolerates but sync cannot.
            Replica("host-floor-3", both, cluster.token("host"), floors=(3,)),
            Replica("floor2-host", both[::-1], cluster.token("floor2host"), floors=(2,)),
            Replica("late-viewer", [self.late_link.url], cluster.token("viewer")),
        ]
        self.archive: dict[int, tuple[int, str, dict]] = {}  # events kept before a prune
        run = f"c{int(time.time()) % 100000}"
        self.writers = Writers(cluster.urls, cluster.token("manager"), run=run, threads=writers, pace=pace)
        self.verdicts: list[Verdict] = []

    def start(self, tables: int = 6) -> "ChaosRun":
        for n in range(tables):
            self.writers.create(self.cluster.urls[0], floor=n % 3 + 1)
        for replica in self.replicas:
            replica.start()
        assert wait_until(lambda: all(r.connected for r in self.replicas), 20), "clients did not connect"
        self.writers.start()
        return self

    def stop(self) -> None:
        self.writers.stop()
        for replica in self.replicas:
            replica.close()
        self.late_link.close()

    # -- the faults ---------------------------------------------------------------------------
    def kill_a_web_process(self, writing: float) -> None:
        """SIGKILL web 0 while changes flow; the platform starts it again a moment later."""
        self._write(writing / 2)
        self.cluster.kill_web(0)
        self._write(writing / 2)
        self.cluster.start_web(0)

    def kill_between_commit_and_broadcast(self, writing: float, rounds: int = 3) -> list[str]:
        """Send a change to web 0 and SIGKILL it the moment its 200 arrives; return those keys."""
        keys = []
        for _ in range(rounds):
            self._write(writing / rounds)
            self.writers.pause()
            table_id = self.writers.table_ids[0]
            change = self.writers.set_status(self.cluster.urls[0], table_id, "occupied")
            self.cluster.kill_web(0)
            assert change.outcome == OK, change.answers
            keys.append(change.key)
            self.cluster.start_web(0)
        return keys

    def restart_redis(self, writing: float) -> None:
        self._write(writing / 2)
        restart_redis(down_seconds=2)
        self._write(writing / 2)

    def restart_postgres(self, writing: float) -> None:
        self._write(writing / 2)
        restart_postgres()
        self._write(writing / 2)

    def stall_links(self, writing: float, stall: float) -> None:
        """Hold every client's bytes for `stall` seconds (beyond 4 s the server drops them)."""
        self._write(writing / 2)
        for link in self.cluster.links:
            link.stall()
        self._write(stall)
        for link in self.cluster.links:
            link.resume()
        self._write(writing / 2)

    def cut_links(self, writing: float, cuts: int = 2) -> None:
        """Reset every client connection, several times while changes flow."""
        for _ in range(cuts):
            self._write(writing / cuts)
            for link in self.cluster.links:
                link.cut()

    def cut_off_past_retention(self, writing: float) -> int:
        """Keep one client away while the log moves past its retention and is pruned; return snapshots."""
        late = self.replicas[-1]
        before = late.stats["snapshots"]
        self.late_link.refuse()
        self.late_link.cut()
        retention = int(self.cluster.env["EVENT_LOG_MAX_ROWS"])
        head = self._head()
        deadline = time.monotonic() + max(writing, 30)
        while self._head() < head + retention + 10 and time.monotonic() < deadline:
            self._write(0.5)
        self.writers.pause()
        self._archive()
        assert self.cluster.prune_event_log() > 0, "the prune deleted nothing"
        self.late_link.restore()
        return before

    # -- running and checking -----------------------------------------------------------------
    def _write(self, seconds: float) -> None:
        self.writers.resume()
        time.sleep(seconds)

    def _head(self) -> int:
        events = self.cluster.events(max(self.archive, default=0))
        return events[-1][0] if events else max(self.archive, default=0)

    def _archive(self) -> None:
        for event in self.cluster.events(max(self.archive, default=0)):
            self.archive[event[0]] = event

    def heal(self) -> None:
        """Pause the writers and undo whatever is still broken."""
        self.writers.pause()
        for link in [*self.cluster.links, self.late_link]:
            link.restore()
        for index in range(len(self.cluster.webs)):
            if not self.cluster.web_alive(index):
                self.cluster.start_web(index)

    def check(self, fault: str, started: float) -> Verdict:
        """Wait for every client to settle, then compare clients, database and history."""
        self.heal()
        truth = self.cluster.tables()
        settled = wait_until(lambda: all(self._agrees(r, truth) for r in self.replicas), SETTLE_SECONDS, 0.2)
        problems = [] if settled else [self._difference(r, truth) for r in self.replicas if not self._agrees(r, truth)]
        self._archive()
        log = keys_in_log(list(self.archive.values()))
        problems += set_test_violations(self.writers.changes, log)
        delivered = sum(r.stats["live"] + r.stats["synced"] for r in self.replicas)
        verdict = Verdict(fault, dict(self.writers.outcomes()), delivered, problems, time.monotonic() - started)
        self.verdicts.append(verdict)
        return verdict

    @staticmethod
    def expected(replica: Replica, truth: dict[int, dict]) -> dict[int, dict]:
        return {table_id: table for table_id, table in truth.items() if replica._shows(table["floor"])}

    def _agrees(self, replica: Replica, truth: dict[int, dict]) -> bool:
        return replica.snapshot() == self.expected(replica, truth)

    def _difference(self, replica: Replica, truth: dict[int, dict]) -> str:
        mine, want = replica.snapshot(), self.expected(replica, truth)
        wrong = {k: (mine.get(k), want.get(k)) for k in set(mine) | set(want) if mine.get(k) != want.get(k)}
        sample = dict(list(wrong.items())[:3])
        return (
            f"{replica.name} differs from the database in {len(wrong)} tables (last id {replica.last_event_id}, "
            f"head seen {replica._head}, connected {replica.connected}, {replica.stats}): {sample}"
        )
