"""How right the door's quotes are: a generated evening replayed through the HTTP API (issue 25).

One Tableside process (bench/virtual_clock.py: `python wsgi.py` with its clock set by this
bench) on PostgreSQL `bench` (BENCH_DATABASE_URL). One floor of 19 tables (six 2-tops, eight
4-tops, three 6-tops, two 8-tops). Thirty evenings of history are played first, then more,
all the same way and all through the API, each request sent at its moment of the evening
(`--tonights` evenings are measured, 5 unless told, each with its 30 days before it):

- parties arrive from 17:00 to 22:30 on a curve that peaks at 19:30 (seeded random; about 65 an
  evening, a third more on Fridays and Saturdays, a fifth fewer on Mondays), sizes 1-8
  (mostly 2s and 4s), and each joins the line: `POST /api/parties {size}`, quoted by the server;
- the host seats the line in order, each party at the smallest free table that fits it
  (`POST /api/parties/<id>/seat`), skipping a party no free table fits;
- a party sits a time that depends on its size (2s about 45 minutes, 6s about 90) times a
  random factor (log-normal, sigma 0.25), then its table is cleared (`PATCH .../status available`).

Before the measured evenings the floor's turn time is set to the mean sitting of the thirty evenings (rounded
to 5 minutes): the best a manager could set a flat turn time to. For each party that joined
the line on a measured evening the bench keeps the server's quote, the flat quote (the placeholder's method:
0 when a free table fits and nobody is in line, otherwise the turn time, worked out here from
the same evening's state) and the wait it had (`seatedAt - joinedAt`), and prints the absolute
errors' mean, median and p90 for both, for every party and for the parties that waited or were
told to. No row is written to the database other than through the API.

    .venv/bin/python bench/quotes.py [--evenings 30] [--tonights 5] [--seed 25]
"""

import argparse
import heapq
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (  # noqa: E402
    BENCH_DATABASE,
    ROOT,
    SERVER_PYTHON,
    empty_bench_stores,
    launch,
    percentile,
    sign_in,
    wait_until_up,
)
from tests.support.live_server import base_env, free_port, prepare_database  # noqa: E402

TABLES = [2] * 6 + [4] * 8 + [6] * 3 + [8] * 2
SIZES = {1: 4, 2: 40, 3: 14, 4: 24, 5: 7, 6: 6, 7: 3, 8: 2}  # share of parties, in percent
SITTING = {1: 40, 2: 45, 3: 55, 4: 65, 5: 75, 6: 90, 7: 100, 8: 110}  # median minutes by size
NOISE = 0.25
PARTIES_AN_EVENING = 65
BUSY = {0: 0.8, 4: 1.3, 5: 1.35}  # by weekday: Monday quiet, Friday and Saturday full
OPENING, LAST_ARRIVAL, PEAK, SPREAD = 17 * 60, 22 * 60 + 30, 19 * 60 + 30, 75  # minutes of the day


@dataclass
class Party:
    size: int
    arrives: datetime
    sits: timedelta
    party_id: int = 0
    quote: int = 0
    flat: int = 0
    joined: datetime | None = None
    seated: datetime | None = None


def evening(day: datetime, rng: random.Random) -> list[Party]:
    """One evening's arrivals in order: times on the curve, sizes and sittings by size."""
    count = max(1, round(rng.gauss(PARTIES_AN_EVENING * BUSY.get(day.weekday(), 1), 8)))
    minutes = []
    while len(minutes) < count:
        at = rng.gauss(PEAK, SPREAD)
        if OPENING <= at <= LAST_ARRIVAL:
            minutes.append(at)
    sizes = rng.choices(list(SIZES), weights=list(SIZES.values()), k=count)
    return [
        Party(size, day + timedelta(minutes=at), timedelta(minutes=SITTING[size] * rng.lognormvariate(0, NOISE)))
        for at, size in zip(sorted(minutes), sizes, strict=True)
    ]


class Door:
    """The server, its clock and a manager's session: each call made at its moment of the evening."""

    def __init__(self, url: str, clock: Path) -> None:
        self.url, self.clock, self.session = url, clock, requests.Session()
        self.add_seconds: list[float] = []

    def at(self, moment: datetime) -> None:
        self.clock.write_text(moment.isoformat())

    def sign_in(self) -> None:
        # Server-kept sign-ins age with the bench's clock: a new one each evening.
        self.session.headers["Authorization"] = f"Bearer {sign_in(self.url, 'manager')}"

    def call(self, method: str, path: str, **body) -> dict:
        response = self.session.request(method, f"{self.url}{path}", json=body or None, timeout=30)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path} {body}: {response.status_code} {response.text}")
        return response.json()


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def play(door: Door, parties: list[Party], tables: dict[int, int], turn: int) -> None:
    """One evening through the API: arrivals join the line, the host seats it, tables are cleared."""
    free = set(tables)
    line: list[Party] = []
    leaving: list[tuple[datetime, int]] = []  # (when, table id)
    arrivals = iter(parties)
    arriving = next(arrivals, None)
    door.at(parties[0].arrives)
    door.sign_in()
    while arriving is not None or line or leaving:
        if leaving and (arriving is None or leaving[0][0] <= arriving.arrives):
            when, table_id = heapq.heappop(leaving)
            door.at(when)
            door.call("PATCH", f"/api/tables/{table_id}/status", status="available", critical=True)
            free.add(table_id)
        elif arriving is not None:
            when, party = arriving.arrives, arriving
            door.at(when)
            fits = any(tables[table_id] >= party.size for table_id in free)
            party.flat = 0 if fits and not line else turn
            started = time.perf_counter()
            added = door.call("POST", "/api/parties", size=party.size)
            door.add_seconds.append(time.perf_counter() - started)
            party.party_id, party.quote = added["partyId"], added["quotedMinutes"]
            party.joined = moment(added["joinedAt"])
            line.append(party)
            arriving = next(arrivals, None)
        else:
            raise RuntimeError(f"{len(line)} parties left in line with every table free: none fits")
        for waiting in list(line):
            fitting = [table_id for table_id in free if tables[table_id] >= waiting.size]
            if not fitting:
                continue
            table_id = min(fitting, key=lambda table_id: (tables[table_id], table_id))
            seated = door.call("POST", f"/api/parties/{waiting.party_id}/seat", tableIds=[table_id])
            waiting.seated = moment(seated["seatedAt"])
            free.discard(table_id)
            line.remove(waiting)
            heapq.heappush(leaving, (waiting.seated + waiting.sits, table_id))


def errors(parties: list[Party], quote: str) -> list[float]:
    return [abs(getattr(party, quote) - (party.seated - party.joined) / timedelta(minutes=1)) for party in parties]


def report(label: str, parties: list[Party]) -> None:
    print(f"\n{label}: {len(parties)} parties")
    print(f"  {'':<28} {'mean':>6} {'median':>7} {'p90':>6}  (absolute error, minutes)")
    for name, quote in (("history (suggest_quote)", "quote"), ("flat turn time (old)", "flat")):
        found = errors(parties, quote)
        mean, median, p90 = statistics.mean(found), statistics.median(found), percentile(found, 0.9)
        print(f"  {name:<28} {mean:6.1f} {median:7.1f} {p90:6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--evenings", type=int, default=30, help="evenings of history before tonight")
    parser.add_argument("--tonights", type=int, default=5, help="evenings measured, each after the history")
    parser.add_argument("--seed", type=int, default=25)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tonight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)
    folder = Path(tempfile.mkdtemp(prefix="tableside-quotes-"))
    clock = folder / "clock"
    clock.write_text((tonight - timedelta(days=args.evenings + args.tonights)).isoformat())
    empty_bench_stores()
    prepare_database(BENCH_DATABASE)
    port = free_port()
    env = base_env(BENCH_DATABASE, None, BENCH_CLOCK_FILE=str(clock), STATUS_RATE_LIMIT="100000 per second")
    env.update(PORT=str(port), HOST="127.0.0.1", LOGIN_RATE_LIMIT="100000 per minute")
    # A token's expiry is stamped on the bench's clock and checked on the real one: outlive the history.
    env["TOKEN_LIFETIME_SECONDS"] = str((args.evenings + args.tonights + 5) * 86400)
    log = folder / "server.log"
    server = launch([SERVER_PYTHON, str(ROOT / "bench" / "virtual_clock.py")], env, log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, server, log)
        door = Door(url, clock)
        door.sign_in()
        tables = {}
        for number, seats in enumerate(TABLES, start=1):
            made = door.call("POST", "/api/tables", tableNumber=f"T-{number:02d}", floor=1, capacity=seats)
            tables[made["tableId"]] = seats
        turn = door.call("GET", "/api/floors")[0]["turnMinutes"]
        started, sat = time.monotonic(), []
        for day in range(args.evenings + args.tonights - 1, args.tonights - 1, -1):
            parties = evening(tonight - timedelta(days=day), rng)
            play(door, parties, tables, turn)
            sat += [party.sits / timedelta(minutes=1) for party in parties]
        if sat:
            turn = max(5, 5 * round(statistics.mean(sat) / 5))  # the best flat turn time a manager could set
            door.call("PATCH", "/api/floors/1", turnMinutes=turn)
        history_seconds = time.monotonic() - started
        door.add_seconds.clear()
        parties = []
        for day in range(args.tonights - 1, -1, -1):
            measured = evening(tonight - timedelta(days=day), rng)
            play(door, measured, tables, turn)
            parties += measured
        waits = [(party.seated - party.joined) / timedelta(minutes=1) for party in parties]
        print(f"bench/quotes.py: seed {args.seed}, {args.evenings} evenings of history ({len(sat)} parties,")
        print(f"  played in {history_seconds:.0f} s), then {args.tonights} evenings measured; {len(TABLES)} tables;")
        print(f"  flat turn time {turn} min (the history's mean sitting)")
        print(f"measured evenings' waits: mean {statistics.mean(waits):.1f} min, longest {max(waits):.0f} min,")
        print(f"  {sum(wait > 0 for wait in waits)} of {len(waits)} parties waited")
        report("every party that joined the line", parties)
        report("parties that waited or were quoted a wait", [p for p in parties if p.seated > p.joined or p.quote])
        p50, p90 = (percentile(door.add_seconds, share) * 1000 for share in (0.5, 0.9))
        print(f"\nPOST /api/parties, measured evenings (real time, quote included): p50 {p50:.1f} ms, p90 {p90:.1f} ms")
        better = statistics.mean(errors(parties, "quote")) < statistics.mean(errors(parties, "flat"))
        print("the history's quotes are " + ("better" if better else "NOT better") + " than the flat turn time")
    finally:
        server.terminate()
        server.wait(timeout=15)
    if not better:
        sys.exit(1)


if __name__ == "__main__":
    main()
