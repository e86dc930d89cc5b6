"""How evenly the rotation spreads covers between servers: one evening played twice through the HTTP API (issue 26).

One Tableside process (bench/virtual_clock.py: `python wsgi.py` with its clock set by this bench)
on PostgreSQL `bench` (BENCH_DATABASE_URL). One floor, five servers, a section each of four tables
(a 2-top, two 4-tops and a 6-top). Sixty parties arrive from 17:00 to 22:00 (seeded random: sizes
1-6, mostly 2s and 4s; each sits 45-90 minutes by size, times a log-normal factor), and the same
arrivals are played twice, each on a day of its own (so each is a shift of its own); `--evenings`
such evenings are played (seeds `--seed`, `--seed`+1, ...), as one evening's spread is mostly luck:

- rotation: for each party in line, in order, the host asks `GET /api/rotation?size=N` and always
  seats the party where it says (`nextUp`), or leaves it in line when nobody has a fitting table;
- round-robin: the host takes the servers in a fixed turn, giving the party to the next server in
  turn with any free table that fits (their smallest), and moves the turn past them.

Every party joins the line (`POST /api/parties`) and is seated (`POST /api/parties/<id>/seat`);
when its sitting is over its table is cleared (`PATCH /api/tables/<id>/status available`). Time
moves honestly without waiting: arrivals and departures are played in the order they happen, the
server's clock set to each one's moment. The bench prints each server's covers this shift (read
back from `GET /api/rotation`), their spread (max - min) and standard deviation for both ways,
and whether the rotation's spread (mean over the evenings) is at most half of round-robin's.

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench \
        .venv/bin/python bench/rotation.py [--seed 26] [--evenings 5]
"""

import argparse
import heapq
import random
import statistics
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import BENCH_DATABASE, ROOT, SERVER_PYTHON, empty_bench_stores, launch, wait_until_up  # noqa: E402
from bench.quotes import Door  # noqa: E402
from tests.support.database import migrate_and_seed  # noqa: E402
from tests.support.live_server import PASSWORD, STAFF, base_env, free_port  # noqa: E402

SERVERS = ("maria", "ben", "aisha", "tomas", "yuki")
SECTION_TABLES = (2, 4, 4, 6)
SIZES = {1: 5, 2: 40, 3: 15, 4: 25, 5: 8, 6: 7}  # share of parties, in percent
SITTING = {1: 45, 2: 50, 3: 60, 4: 65, 5: 80, 6: 90}  # median minutes by size
PARTIES = 60
OPENING, LAST_ARRIVAL = 17 * 60, 22 * 60


@dataclass
class Party:
    size: int
    arrives: timedelta  # after midnight
    sits: timedelta
    party_id: int = 0


def arrivals(rng: random.Random) -> list[Party]:
    """The evening's parties in order of arrival."""
    minutes = sorted(rng.uniform(OPENING, LAST_ARRIVAL) for _ in range(PARTIES))
    sizes = rng.choices(list(SIZES), weights=list(SIZES.values()), k=PARTIES)
    return [
        Party(size, timedelta(minutes=at), timedelta(minutes=SITTING[size] * rng.lognormvariate(0, 0.2)))
        for at, size in zip(minutes, sizes, strict=True)
    ]


class RoundRobin:
    """The host's fixed turn: the next server in turn with a fitting free table."""

    def __init__(self, order: list[int]) -> None:
        self.order, self.turn = order, 0

    def choose(self, door: Door, size: int) -> int | None:
        servers = {server["userId"]: server for server in door.call("GET", f"/api/rotation?size={size}")["servers"]}
        for step in range(len(self.order)):
            user_id = self.order[(self.turn + step) % len(self.order)]
            free = [t for t in servers[user_id]["tables"] if t["status"] == "available" and t["capacity"] >= size]
            if free:
                self.turn = (self.turn + step + 1) % len(self.order)
                return min(free, key=lambda table: (table["capacity"], table["tableNumber"]))["tableId"]
        return None


def suggested(door: Door, size: int) -> int | None:
    """The rotation's table for a party of `size`, or None."""
    next_up = door.call("GET", f"/api/rotation?size={size}")["nextUp"]
    return None if next_up is None else next_up["tableId"]


def play(door: Door, day: datetime, parties: list[Party], choose) -> dict[str, int]:
    """One evening: arrivals join the line and are seated where `choose` says, tables cleared as parties
    leave, in the order it all happens. Returns each server's covers this shift, as the API reads them."""
    line: list[Party] = []
    leaving: list[tuple[datetime, int]] = []
    coming = iter(parties)
    arriving = next(coming, None)
    while arriving is not None or line or leaving:
        if leaving and (arriving is None or leaving[0][0] <= day + arriving.arrives):
            when, table_id = heapq.heappop(leaving)
            door.at(when)
            door.call("PATCH", f"/api/tables/{table_id}/status", status="available")
        else:
            door.at(day + arriving.arrives)
            arriving.party_id = door.call("POST", "/api/parties", size=arriving.size)["partyId"]
            line.append(arriving)
            arriving = next(coming, None)
        for waiting in list(line):
            table_id = choose(door, waiting.size)
            if table_id is None:
                continue
            seated = door.call("POST", f"/api/parties/{waiting.party_id}/seat", tableIds=[table_id])
            line.remove(waiting)
            sat = datetime.fromisoformat(seated["seatedAt"].replace("Z", "+00:00"))
            heapq.heappush(leaving, (sat + waiting.sits, table_id))
    return {server["name"]: server["coversThisShift"] for server in door.call("GET", "/api/rotation")["servers"]}


def spread(covers: dict[str, int]) -> tuple[int, float]:
    """(max - min, population standard deviation) of the servers' covers."""
    return max(covers.values()) - min(covers.values()), statistics.pstdev(covers.values())


def set_up(door: Door) -> list[int]:
    """Five sections of four tables on floor 1, one per server; the servers' ids in the host's turn."""
    staff = {member["username"]: member["userId"] for member in door.call("GET", "/api/staff")}
    number = 0
    for name in SERVERS:
        section = door.call("POST", "/api/floors/1/sections", name=name.title())
        for capacity in SECTION_TABLES:
            number += 1
            door.call(
                "POST", "/api/tables", tableNumber=f"T-{number:02d}", floor=1, capacity=capacity,
                sectionId=section["sectionId"],
            )  # fmt: skip
        door.call("PUT", f"/api/sections/{section['sectionId']}/assignee", userId=staff[name])
    return [staff[name] for name in SERVERS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=26)
    parser.add_argument("--evenings", type=int, default=5, help="evenings played, seeds seed, seed+1, ...")
    args = parser.parse_args()
    # Midnights in the server's zone, one day per way and evening: each play is a shift of its own.
    midnight = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    days = [(midnight - timedelta(days=n)).astimezone(UTC) for n in range(2 * args.evenings, 0, -1)]
    folder = Path(tempfile.mkdtemp(prefix="tableside-rotation-"))
    clock = folder / "clock"
    clock.write_text((days[0] + timedelta(hours=12)).isoformat())
    empty_bench_stores()
    servers = tuple((name, "viewer", None) for name in SERVERS)
    migrate_and_seed(BENCH_DATABASE, (1, 2, 3), (*STAFF, *servers), PASSWORD)
    port = free_port()
    env = base_env(BENCH_DATABASE, None, BENCH_CLOCK_FILE=str(clock), STATUS_RATE_LIMIT="100000 per second")
    env.update(PORT=str(port), HOST="127.0.0.1", LOGIN_RATE_LIMIT="100000 per minute", TOKEN_LIFETIME_SECONDS="2592000")
    log = folder / "server.log"
    server = launch([SERVER_PYTHON, str(ROOT / "bench" / "virtual_clock.py")], env, log)
    url = f"http://127.0.0.1:{port}"
    results = []
    try:
        wait_until_up(url, server, log)
        door = Door(url, clock)
        door.sign_in()
        order = set_up(door)
        for evening in range(args.evenings):
            parties = arrivals(random.Random(args.seed + evening))
            by_rotation = play(door, days[2 * evening], parties, suggested)
            by_turn = play(door, days[2 * evening + 1], parties, RoundRobin(order).choose)
            results.append((args.seed + evening, parties, by_rotation, by_turn))
    finally:
        server.terminate()
        server.wait(timeout=15)
    print(f"bench/rotation.py: {args.evenings} evenings (seeds {args.seed}-{args.seed + args.evenings - 1}),")
    print(f"  {PARTIES} parties each, {len(SERVERS)} servers with {len(SECTION_TABLES)} tables each {SECTION_TABLES}")
    print(f"  {'seed':<5} {'covers':>6}  {'rotation: covers by server':<28} {'spread':>6} {'sd':>5}"
          f"  {'round-robin: covers by server':<30} {'spread':>6} {'sd':>5}")  # fmt: skip
    spreads = {"rotation": [], "round-robin": []}
    for seed, parties, by_rotation, by_turn in results:
        row = f"  {seed:<5} {sum(p.size for p in parties):>6}"
        for way, covers in (("rotation", by_rotation), ("round-robin", by_turn)):
            wide, sd = spread(covers)
            spreads[way].append((wide, sd))
            row += f"  {' '.join(f'{covers[name]:>3}' for name in SERVERS):<28} {wide:>6} {sd:>5.2f}"
        print(row)
    means = {way: [statistics.mean(column) for column in zip(*found, strict=True)] for way, found in spreads.items()}
    print(f"  mean spread (max-min): rotation {means['rotation'][0]:.1f}, round-robin {means['round-robin'][0]:.1f}")
    print(f"  mean std dev:          rotation {means['rotation'][1]:.2f}, round-robin {means['round-robin'][1]:.2f}")
    met = means["rotation"][0] <= means["round-robin"][0] / 2
    print("target (rotation's mean spread at most half of round-robin's): " + ("met" if met else "NOT met"))
    if not met:
        sys.exit(1)


if __name__ == "__main__":
    main()
