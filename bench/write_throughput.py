"""Status changes per second on one process: managers' critical changes, as fast as answers come (issue 24).

One `python wsgi.py` in production mode on PostgreSQL and Redis with every setting at its
default (`BATCH_WINDOW_MS` 50 included): what users get. Each of `--managers` managers signs
in, then sends `PATCH /api/tables/<id>/status` with `critical: true` (exempt from the per-user
limit) to a table of its own over one keep-alive connection, the next as soon as the answer
is read. After `--warmup` seconds the server's CPU is read and answers are counted for
`--seconds`. Printed per run: changes per second, p50/p95/p99 of a change (request sent to
answer read), the server's CPU seconds per change, and every answer that was not a 200.
The tables are in one section that a manager looks after, as on a floor in service
(`--no-sections` leaves them without; a tree without sections always does).

    .venv/bin/python bench/write_throughput.py
    .venv/bin/python bench/write_throughput.py --trees /work/wt/old-6147a9c,. --rounds 2

`--trees` serves other checkouts' `wsgi.py` (each migrates and seeds the database with its
own code), alternating tree by tree for `--rounds`, while the client stays this one, so two
versions are measured side by side on one machine. `--profile DIR` records the server with
py-spy over each measured window and prints where its samples went; py-spy stops the
process for each sample, so a profiled run's figures are not comparable with others.
"""

import argparse
import asyncio
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (  # noqa: E402
    BENCH_DATABASE,
    BENCH_REDIS,
    ROOT,
    SERVER_PYTHON,
    cpu_seconds,
    empty_bench_stores,
    launch,
    load_average,
    percentile,
    sign_in,
    wait_until_up,
)
from tests.support.live_server import PASSWORD, free_port  # noqa: E402

# Run inside the served tree, with that tree's own migrations, models and services.
SEED = """
import sys
from tests.support.database import add_staff, migrate_and_seed

url, password, managers = sys.argv[1], sys.argv[2], int(sys.argv[3])
migrate_and_seed(url, (1,), (), password)
add_staff(url, [f"manager{n}" for n in range(managers)], "manager", password)
"""
# What a deployed process is given; nothing else of this shell's environment (a stray
# BATCH_WINDOW_MS or DATABASE_URL) reaches the server.
KEPT_ENVIRONMENT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
STATUSES = ("occupied", "available")


@dataclass
class Run:
    """One server's measured window: answers, their latencies, errors and the server's CPU."""

    label: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    load: str = ""

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds

    def line(self) -> str:
        """The run's figures on one line."""
        changes = len(self.latencies)
        p50, p95, p99 = (percentile(self.latencies, share) * 1000 for share in (0.5, 0.95, 0.99))
        errors = ", ".join(f"{kind} x{count}" for kind, count in sorted(self.errors.items())) or "none"
        return (
            f"{self.label}: {self.per_second:.1f} changes/s ({changes} in {self.seconds:.0f} s), "
            f"p50 {p50:.1f} / p95 {p95:.1f} / p99 {p99:.1f} ms, "
            f"server CPU {self.server_cpu / changes * 1000:.2f} ms per change "
            f"({self.server_cpu / self.seconds * 100:.0f}% of a core), "
            f"client CPU {self.client_cpu / self.seconds * 100:.0f}% of a core, errors: {errors}, load {self.load}"
        )


def tree_label(tree: Path) -> str:
    """The checkout's short commit, and `+` if it has uncommitted changes."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=tree, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=tree, capture_output=True)
    return commit.stdout.strip() + ("+" if dirty.stdout.strip() else "")


def server_environment(port: int) -> dict:
    """Production mode on the bench database and Redis; every other setting at its default."""
    env = {name: os.environ[name] for name in KEPT_ENVIRONMENT if name in os.environ}
    env.update(
        {
            "TABLESIDE_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "METRICS_TOKEN": secrets.token_hex(16),
            "DATABASE_URL": BENCH_DATABASE,
            "REDIS_URL": BENCH_REDIS,
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def start_server(tree: Path, managers: int) -> tuple[subprocess.Popen, str, Path]:
    """Empty the stores, migrate and seed with the tree's code, then start its `wsgi.py`."""
    empty_bench_stores()
    seed_env = {**os.environ, "PYTHONPATH": str(tree)}
    seeding = subprocess.run(
        [SERVER_PYTHON, "-c", SEED, BENCH_DATABASE, PASSWORD, str(managers)],
        cwd=tree,
        env=seed_env,
        capture_output=True,
        text=True,
    )
    if seeding.returncode:
        raise SystemExit(f"seeding with {tree}'s code failed:\n{seeding.stderr[-3000:]}")
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="tableside-write-throughput-")) / "server.log"
    process = launch([SERVER_PYTHON, "wsgi.py"], server_environment(port), log, cwd=tree)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url, process, log)
    return process, url, log


def lay_tables(url: str, managers: int, sections: bool) -> list[tuple[str, int]]:
    """Sign every manager in and give each a table of its own on floor 1: (token, table id).

    With `sections`, every table is in one section that manager0 looks after, as on a floor in
    service; a tree without sections (404) gets tables without one.
    """
    import requests

    tokens = [sign_in(url, f"manager{n}") for n in range(managers)]
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {tokens[0]}"
    section = None
    if sections:
        response = api.post(f"{url}/api/floors/1/sections", json={"name": "Terrace"}, timeout=30)
        if response.status_code != 404:
            response.raise_for_status()
            section = response.json()["sectionId"]
            staff = api.get(f"{url}/api/staff", timeout=30).json()
            manager = next(member["userId"] for member in staff if member["username"] == "manager0")
            api.put(f"{url}/api/sections/{section}/assignee", json={"userId": manager}, timeout=30).raise_for_status()
    seats = []
    for n, token in enumerate(tokens):
        body = {"tableNumber": f"W-{n + 1:02d}", "floor": 1, "capacity": 4, "x": 100 * (n % 8), "y": 100 * (n // 8)}
        if section is not None:
            body["sectionId"] = section
        response = api.post(f"{url}/api/tables", json=body, timeout=30)
        response.raise_for_status()
        seats.append((token, response.json()["tableId"]))
    return seats


async def one_manager(url: str, token: str, table_id: int, until: float, answers: list, errors: Counter) -> None:
    """Change one table back and forth until `until`, noting (time answered, latency) of each 200."""
    import aiohttp

    bodies = [json.dumps({"status": status, "critical": True}).encode() for status in STATUSES]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=1)  # one keep-alive connection, as one tablet has
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        target = f"{url}/api/tables/{table_id}/status"
        sent = 0
        while time.monotonic() < until:
            began = time.monotonic()
            try:
                async with session.patch(target, data=bodies[sent % 2]) as response:
                    await response.read()
                    code = response.status
            except (TimeoutError, aiohttp.ClientError) as error:
                errors[type(error).__name__] += 1
                await asyncio.sleep(0.1)
                continue
            answered = time.monotonic()
            if code == 200:
                answers.append((answered, answered - began))
            else:
                errors[f"HTTP {code}"] += 1
            sent += 1


async def drive(url: str, seats: list, run: Run, warmup: float, pid: int, profile: Path | None) -> None:
    """Run every manager for warmup + the run, reading the server's CPU at the window's edges."""
    answers: list[tuple[float, float]] = []
    errors: Counter = Counter()
    start = time.monotonic()
    opens, closes = start + warmup, start + warmup + run.seconds
    managers = [asyncio.create_task(one_manager(url, token, table, closes, answers, errors)) for token, table in seats]
    await asyncio.sleep(max(0.0, opens - time.monotonic()))
    server_before, client_before = cpu_seconds(pid), time.process_time()
    spy = None
    if profile is not None:
        command = [str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid), "--format", "raw"]
        command += ["--duration", str(round(run.seconds)), "--output", str(profile)]
        spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    await asyncio.sleep(max(0.0, closes - time.monotonic()))
    run.server_cpu, run.client_cpu = cpu_seconds(pid) - server_before, time.process_time() - client_before
    await asyncio.gather(*managers)
    if spy is not None:
        await asyncio.to_thread(spy.wait)
    # A change counts where its answer came: the window is [opens, closes).
    run.latencies = [latency for answered, latency in answers if opens <= answered < closes]
    run.errors = errors


def profile_summary(path: Path, top: int) -> str:
    """Each function's share of the samples it appears in (once per stack), the biggest first."""
    inclusive: Counter = Counter()
    own: Counter = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        samples = int(count)
        frames = [frame.rsplit(":", 1)[0] + ")" if ":" in frame else frame for frame in stack.split(";")]
        total += samples
        for frame in set(frames):
            inclusive[frame] += samples
        own[frames[-1]] += samples
    lines = [f"  {total} samples; share of samples a function is in (inclusive), then where they were (own):"]
    lines += [f"    {count / total:6.1%}  {frame}" for frame, count in inclusive.most_common(top)]
    lines += ["  own:"] + [f"    {count / total:6.1%}  {frame}" for frame, count in own.most_common(top // 2)]
    return "\n".join(lines)


def measure(tree: Path, label: str, args: argparse.Namespace, profile: Path | None) -> Run:
    """Start the tree's server, drive it, stop it; the run's figures."""
    process, url, log = start_server(tree, args.managers)
    try:
        seats = lay_tables(url, args.managers, args.sections)
        run = Run(label, args.seconds, load=load_average())
        asyncio.run(drive(url, seats, run, args.warmup, process.pid, profile))
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if not run.latencies:
        raise SystemExit(f"{label}: no change answered 200 (errors {dict(run.errors)}); server log {log}")
    return run


def main() -> None:
    """Measure each tree in turn, round after round, then print every run again together."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trees", default=str(ROOT), help="comma-separated checkouts whose wsgi.py to serve")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--managers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument(
        "--sections", action=argparse.BooleanOptionalAction, default=True, help="tables in a section with an assignee"
    )
    parser.add_argument("--profile", type=Path, help="directory for py-spy's raw profiles (slows the server)")
    parser.add_argument("--top", type=int, default=40, help="functions listed per profile")
    args = parser.parse_args()
    trees = [Path(tree).resolve() for tree in args.trees.split(",")]
    labels = {tree: f"{tree.name} ({tree_label(tree)})" for tree in trees}
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    runs = []
    for number in range(1, args.rounds + 1):
        for tree in trees:
            label = f"{labels[tree]} #{number}"
            profile = args.profile / f"{tree.name}-{number}.txt" if args.profile else None
            run = measure(tree, label, args, profile)
            runs.append(run)
            print(run.line(), flush=True)
            if profile is not None:
                print(profile_summary(profile, args.top), flush=True)
            time.sleep(2)
    if len(runs) > 1:
        tables = "in a section with an assignee" if args.sections else "without a section"
        print(f"\nAll runs ({args.managers} managers, {args.seconds:.0f} s each, one process, tables {tables}):")
        for run in runs:
            print(f"  {run.line()}")


if __name__ == "__main__":
    main()
