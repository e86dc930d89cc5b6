"""TR-006 under faults: whatever breaks, every client ends equal to the database and no change is lost."""

import time

import pytest

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis]
WRITING = 4


def verdict_of(chaos, fault: str, started: float):
    """Check after the fault and fail with everything that went wrong."""
    verdict = chaos.check(fault, started)
    print(verdict.line())
    assert verdict.problems == [], "\n".join(verdict.problems)
    assert verdict.outcomes.get("ok", 0) > 0, "no change went through at all"
    return verdict


def seatings_and_assignments(chaos) -> tuple[bool, bool]:
    """Whether the log holds a seating with covers, and a section given to someone."""
    events = chaos.cluster.events()
    seated = any(kind == "table:status_changed" and payload.get("covers") for _, kind, payload in events)
    assigned = any(kind == "section:assigned" and payload.get("assignee") for _, kind, payload in events)
    return seated, assigned


def test_covers_and_assignments_reach_every_client(chaos):
    """Seatings with covers and sections given to hosts while changes flow: every client ends with the
    database's covers and assignees."""
    started = time.monotonic()
    chaos.writers.resume()
    time.sleep(WRITING)
    # On a slow machine a few seconds may hold no assignment yet; write on until there is one.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not all(seatings_and_assignments(chaos)):
        time.sleep(0.5)
    verdict_of(chaos, "covers and assignments", started)
    assert seatings_and_assignments(chaos) == (True, True)


def test_a_killed_web_process_loses_nothing(chaos):
    """SIGKILL of one web process while changes flow: clients move over and end equal to the database."""
    started = time.monotonic()
    chaos.kill_a_web_process(WRITING)
    verdict_of(chaos, "SIGKILL web process", started)


def test_a_change_acknowledged_just_before_its_process_dies_reaches_every_client(chaos):
    """Killed right after its 200, the change is in the database once and every client shows it."""
    started = time.monotonic()
    keys = chaos.kill_between_commit_and_broadcast(WRITING)
    verdict_of(chaos, "SIGKILL after 200", started)
    notes = {table["notes"] for table in chaos.cluster.tables().values()}
    assert keys[-1] in notes
    for replica in chaos.replicas:
        shown = {table["notes"] for table in replica.snapshot().values()}
        visible = {t["notes"] for t in chaos.expected(replica, chaos.cluster.tables()).values()}
        assert (keys[-1] in shown) == (keys[-1] in visible), replica.name


def test_a_redis_restart_loses_nothing(chaos):
    """Redis down for two seconds and back empty: broadcasts missed meanwhile reach clients by sync."""
    started = time.monotonic()
    chaos.restart_redis(WRITING)
    verdict_of(chaos, "Redis restart", started)


def test_a_postgres_restart_loses_nothing(chaos):
    """PostgreSQL restarts under load: changes fail or succeed cleanly, never half, never twice."""
    started = time.monotonic()
    chaos.restart_postgres(WRITING)
    verdict_of(chaos, "PostgreSQL restart", started)


@pytest.mark.parametrize("stall", [2, 6])
def test_stalled_client_links_lose_nothing(chaos, stall):
    """Client links that hang (shorter and longer than the 4 s liveness limit) catch up once they flow."""
    started = time.monotonic()
    chaos.stall_links(WRITING, stall)
    verdict_of(chaos, f"links stalled {stall}s", started)


def test_cut_client_links_lose_nothing(chaos):
    """Every client connection reset twice while changes flow: they reconnect and sync."""
    started = time.monotonic()
    chaos.cut_links(WRITING)
    verdict_of(chaos, "links cut", started)


def test_a_client_away_past_the_log_retention_gets_a_snapshot(chaos):
    """A client cut off while the pruned log moves past it is sent the whole state and matches the database."""
    started = time.monotonic()
    snapshots_before = chaos.cut_off_past_retention(WRITING)
    verdict_of(chaos, "away past retention", started)
    assert chaos.replicas[-1].stats["snapshots"] > snapshots_before
