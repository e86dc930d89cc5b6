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
its table is cleared (`PATCH /api/tables/<id>/status available`) at its arrival plus its sitting,
the same moment in both ways: a party that waited longer in one way eats for that much less, so
both ways have the same parties, tables, arrivals and departures and differ only in where the
host seats. Time moves honestly without waiting: arrivals and departures are played in the order
they happen, the server's clock set to each one's moment.

For each evening the bench prints each server's covers this shift (read back from
`GET /api/rotation`), their spread (max - min) and standard deviation for both ways, whether the
rotation's spread is at most half of round-robin's, and the spread the rule itself would give if
no server ever lacked a fitting free table (every party to the fewest covers, ties by longest
since seated; worked out here, not played): where even that misses, the evening cannot meet the
target under the rule, whatever the tables. Then the means, and whether the mean spread meets
the target (the exit status). `--detail` prints every seating of every evening, both ways.

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench \
        .venv/bin/python bench/rotation.py [--seed 26] [--evenings 5] [--detail]
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
    sits: timedelta  # from arriving to leaving
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

    def choose(self, floor: dict, size: int) -> int | None:
        servers = {server["userId"]: server for server in floor["servers"]}
        for step in range(len(self.order)):
            user_id = self.order[(self.turn + step) % len(self.order)]
            free = [t for t in servers[user_id]["tables"] if t["status"] == "available" and t["capacity"] >= size]
            if free:
                self.turn = (self.turn + step + 1) % len(self.order)
                return min(free, key=lambda table: (table["capacity"], table["tableNumber"]))["tableId"]
        return None


def suggested(floor: dict, size: int) -> int | None:
    """The rotation's table for a party of `size` (`GET /api/rotation?size=N`'s `nextUp`), or None."""
    next_up = floor["nextUp"]
    return None if next_up is None else next_up["tableId"]


@dataclass
class Seating:
    """One party seated, as the host saw the floor just before: for the per-evening detail."""

    at: datetime
    party: int  # its place in the evening's arrivals
    size: int
    waited: timedelta
    covers: dict[str, int]  # each server's covers this shift before it
    fewest: list[str]  # the servers with the fewest covers (not cut)
    fewest_fit: bool  # whether one of them had a free table that fits
    given_to: str
    table: str
    free_tables: dict[str, str]  # each server's free tables' capacities, e.g. "244"


def seating(floor: dict, at: datetime, number: int, party: Party, waited: timedelta, table_id: int) -> Seating:
    """What the host saw when seating `party` at `table_id`."""
    servers = [server for server in floor["servers"] if not server["cut"]]
    low = min(server["coversThisShift"] for server in servers)
    fewest = [server for server in servers if server["coversThisShift"] == low]
    fits = [t for s in fewest for t in s["tables"] if t["status"] == "available" and t["capacity"] >= party.size]
    owner = next(s for s in servers if any(t["tableId"] == table_id for t in s["tables"]))
    return Seating(
        at=at,
        party=number,
        size=party.size,
        waited=waited,
        covers={server["name"]: server["coversThisShift"] for server in servers},
        fewest=[server["name"] for server in fewest],
        fewest_fit=bool(fits),
        given_to=owner["name"],
        table=next(t["tableNumber"] for t in owner["tables"] if t["tableId"] == table_id),
        free_tables={
            s["name"]: "".join(str(t["capacity"]) for t in s["tables"] if t["status"] == "available") for s in servers
        },
    )


def play(door: Door, day: datetime, parties: list[Party], choose) -> tuple[dict[str, int], list[Seating]]:
    """One evening: arrivals join the line and are seated where `choose` says, tables cleared as parties
    leave, in the order it all happens. Returns each server's covers this shift, as the API reads them,
    and each seating as the host saw it."""
    line: list[tuple[int, Party]] = []
    leaving: list[tuple[datetime, int]] = []
    seatings: list[Seating] = []
    coming = iter(enumerate(parties, 1))
    arriving = next(coming, None)
    while arriving is not None or line or leaving:
        if leaving and (arriving is None or leaving[0][0] <= day + arriving[1].arrives):
            now, table_id = heapq.heappop(leaving)
            door.at(now)
            door.call("PATCH", f"/api/tables/{table_id}/status", status="available")
        else:
            now = day + arriving[1].arrives
            door.at(now)
            arriving[1].party_id = door.call("POST", "/api/parties", size=arriving[1].size)["partyId"]
            line.append(arriving)
            arriving = next(coming, None)
        for number, waiting in list(line):
            floor = door.call("GET", f"/api/rotation?size={waiting.size}")
            table_id = choose(floor, waiting.size)
            if table_id is None:
                continue
            seated = door.call("POST", f"/api/parties/{waiting.party_id}/seat", tableIds=[table_id])
            line.remove((number, waiting))
            seatings.append(seating(floor, now, number, waiting, now - (day + waiting.arrives), table_id))
            sat = datetime.fromisoformat(seated["seatedAt"].replace("Z", "+00:00"))
            # Never cleared before it is seated (no party waits that long on these evenings: --detail).
            heapq.heappush(leaving, (max(day + waiting.arrives + waiting.sits, sat), table_id))
    covers = {server["name"]: server["coversThisShift"] for server in door.call("GET", "/api/rotation")["servers"]}
    return covers, seatings


def print_detail(seed: int, way: str, seatings: list[Seating]) -> None:
    """Every seating of one evening: who had the fewest covers, who got the party, at which table."""
    print(f"seed {seed}, {way}: time, party (size), waited, covers before, fewest, given to, table, free tables")
    for s in seatings:
        covers = " ".join(f"{s.covers[name]:>3}" for name in SERVERS)
        free = " ".join(f"{s.free_tables[name] or '-':<4}" for name in SERVERS)
        passed = "" if s.given_to in s.fewest else (" <- fewest had no fitting table" if not s.fewest_fit else " <-")
        print(
            f"  {s.at.astimezone():%H:%M} #{s.party:<2} ({s.size}) {s.waited.total_seconds() / 60:>3.0f}m  {covers}"
            f"  {','.join(s.fewest):<12} {s.given_to:<6} {s.table}  {free}{passed}"
        )


def unhindered(parties: list[Party]) -> dict[str, int]:
    """Each server's covers if the rule always found the party a table: every party, on arrival, to the server
    with the fewest covers, ties by longest since seated (never seated first), then by name."""
    covers = dict.fromkeys(SERVERS, 0)
    seated: dict[str, timedelta] = {}
    for party in parties:
        up = min(SERVERS, key=lambda name: (covers[name], seated.get(name, timedelta.min), name))
        covers[up] += party.size
        seated[up] = party.arrives
    return covers


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
    parser.add_argument("--detail", action="store_true", help="print every seating of every evening, both ways")
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
    # The token is stamped on the bench's clock, days back, and checked on the real one: it outlives the history.
    lifetime = str((len(days) + 2) * 86400)
    env.update(PORT=str(port), HOST="127.0.0.1", LOGIN_RATE_LIMIT="100000 per minute", TOKEN_LIFETIME_SECONDS=lifetime)
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
            by_rotation, rotation_seatings = play(door, days[2 * evening], parties, suggested)
            by_turn, turn_seatings = play(door, days[2 * evening + 1], parties, RoundRobin(order).choose)
            results.append((args.seed + evening, parties, by_rotation, by_turn))
            if args.detail:
                print_detail(args.seed + evening, "rotation", rotation_seatings)
                print_detail(args.seed + evening, "round-robin", turn_seatings)
    finally:
        server.terminate()
        server.wait(timeout=15)
    print(f"bench/rotation.py: {args.evenings} evenings (seeds {args.seed}-{args.seed + args.evenings - 1}),")
    print(f"  {PARTIES} parties each, {len(SERVERS)} servers with {len(SECTION_TABLES)} tables each {SECTION_TABLES}")
    print(f"  {'seed':<5} {'covers':>6}  {'rotation: covers by server':<28} {'spread':>6} {'sd':>5}"
          f"  {'round-robin: covers by server':<30} {'spread':>6} {'sd':>5}"
          f"  {'target':<7} {'no table short':>14}")  # fmt: skip
    spreads = {"rotation": [], "round-robin": []}
    met_evenings = 0
    for seed, parties, by_rotation, by_turn in results:
        row = f"  {seed:<5} {sum(p.size for p in parties):>6}"
        for way, covers in (("rotation", by_rotation), ("round-robin", by_turn)):
            wide, sd = spread(covers)
            spreads[way].append((wide, sd))
            row += f"  {' '.join(f'{covers[name]:>3}' for name in SERVERS):<28} {wide:>6} {sd:>5.2f}"
        met = spreads["rotation"][-1][0] <= spreads["round-robin"][-1][0] / 2
        met_evenings += met
        print(f"{row}  {'met' if met else 'missed':<7} {spread(unhindered(parties))[0]:>14}")
    means = {way: [statistics.mean(column) for column in zip(*found, strict=True)] for way, found in spreads.items()}
    print(f"  evenings where the rotation's spread is at most half of round-robin's: {met_evenings} of {len(results)}")
    print(f"  mean spread (max-min): rotation {means['rotation'][0]:.1f}, round-robin {means['round-robin'][0]:.1f}")
    print(f"  mean std dev:          rotation {means['rotation'][1]:.2f}, round-robin {means['round-robin'][1]:.2f}")
    met = means["rotation"][0] <= means["round-robin"][0] / 2
    print("target (rotation's mean spread at most half of round-robin's): " + ("met" if met else "NOT met"))
    if not met:
        sys.exit(1)


if __name__ == "__main__":
    main()
