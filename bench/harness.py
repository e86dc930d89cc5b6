"""What the benchmarks under bench/ share: servers to start, light clients, and the measuring.

Clients speak the Engine.IO 4 / Socket.IO 5 wire protocol directly over aiohttp WebSockets
(`0` open, `40{auth}` connect, `2`/`3` ping/pong, `42[...]` events, `43[...]` acks). That is
what the official clients send, costs a client process far less than python-socketio's
AsyncClient, and is the same for Tableside and the Node.js reference, so the clients are
never what a comparison measures. Client processes are spawned; each runs one asyncio loop.

Tableside runs on PostgreSQL database `bench` (reset every run) and Redis db 7, so benchmark
runs never touch the test suite's `test` database or Redis db 0.
"""

import asyncio
import json
import multiprocessing
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
NODE_DIR = ROOT / "bench" / "node-reference"
# BENCH_DATABASE_URL and BENCH_REDIS_URL keep two benchmark runs on one machine apart.
BENCH_DATABASE = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench")
BENCH_REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
# The Python that runs `wsgi.py`. A deployed process has only requirements.txt installed; the dev
# venv adds aiohttp and requests, which python-socketio's client modules then import at every
# start (about 0.15 s). BENCH_SERVER_PYTHON names a venv with requirements.txt alone.
SERVER_PYTHON = os.environ.get("BENCH_SERVER_PYTHON", sys.executable)
SOCKETS_PER_USER = 45  # under Tableside's 50 sockets per user
CONNECT_AT_ONCE = 100
CONNECT_ATTEMPTS = 4
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def raise_open_files() -> None:
    """Each socket is a file descriptor; lift the soft limit to the hard one."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_kb(pid: int) -> int:
    """Resident set size of one process in KiB, from /proc/<pid>/statm."""
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KB


def load_average() -> str:
    """The 1/5/15-minute load averages, as `uptime` shows them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# ---- servers ------------------------------------------------------------------------------


def empty_bench_stores() -> None:
    """Drop everything in database `bench` and flush Redis db 7 (or BENCH_DATABASE_URL, BENCH_REDIS_URL)."""
    import redis

    subprocess.run(
        ["psql", "-q", "-d", BENCH_DATABASE, "-c", "DROP SCHEMA public CASCADE"],
        check=False,
        capture_output=True,
    )
    subprocess.run(["psql", "-q", "-d", BENCH_DATABASE, "-c", "CREATE SCHEMA public"], check=True)
    redis.Redis.from_url(BENCH_REDIS).flushdb()


def reset_bench_database() -> None:
    """Empty database `bench` and Redis db 7, then migrate and add floors and staff."""
    from tests.support.live_server import prepare_database

    empty_bench_stores()
    prepare_database(BENCH_DATABASE)


@dataclass
class Server:
    """Some server processes serving one floor room, and how to change a table on them."""

    name: str
    urls: list[str]
    processes: list[subprocess.Popen]
    change_url: str = ""
    headers: dict = field(default_factory=dict)
    tokens: list[str] = field(default_factory=list)
    table_id: int = 1
    pids: list[int] = field(default_factory=list)
    per_user: int = SOCKETS_PER_USER
    # (command, environment, log) of each process, to start it again on the same port.
    launches: list[tuple[list[str], dict, Path]] = field(default_factory=list)

    def socket_tokens(self, count: int) -> list[str]:
        """One auth token per socket, spread so no user passes the per-user socket cap."""
        return [self.tokens[n // self.per_user % len(self.tokens)] for n in range(count)] if self.tokens else []

    def change(self, index: int, session: requests.Session) -> None:
        """Change the table's status with notes `bench-<index>` (how clients match receipts)."""
        body = {"status": ("occupied", "available")[index % 2], "notes": f"bench-{index}"}
        response = session.patch(f"{self.change_url}/api/tables/{self.table_id}/status", json=body, timeout=30)
        response.raise_for_status()

    def relaunch(self) -> None:
        """Start every process again with its command, environment and port (after it exited)."""
        self.processes = [launch(command, env, log) for command, env, log in self.launches]
        self.pids = [process.pid for process in self.processes]

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def launch(command: list[str], env: dict, log: Path, cwd: Path = ROOT) -> subprocess.Popen:
    """Start one server process in `cwd`, its output appended to `log`."""
    with open(log, "ab") as output:
        return subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    """Return once `url`/healthz answers; raise with the log's tail if the process exits or never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            requests.get(f"{url}/healthz", timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not start:\n{log.read_text()[-3000:]}")


def _worker_pid(master: int) -> int:
    """gunicorn's single worker: the master's child process."""
    for _ in range(100):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def start_tableside(
    mode: str = "eventlet",
    processes: int = 1,
    redis: bool = False,
    window_ms: int = 0,
    sockets: int = 1000,
    database: str = BENCH_DATABASE,
    per_user: int = SOCKETS_PER_USER,
    **settings: str,
) -> Server:
    """Tableside on PostgreSQL `bench` (or `database`): `python wsgi.py` (eventlet) or gunicorn's gevent worker."""
    from tests.support.database import add_staff
    from tests.support.live_server import base_env, free_port, prepare_database

    if database == BENCH_DATABASE:
        reset_bench_database()
    else:
        prepare_database(database)
    viewers = [f"watcher{n}" for n in range(-(-sockets // per_user))]
    add_staff(database, viewers, "viewer", "correct-horse-battery")
    defaults = {
        "ASYNC_MODE": mode,
        "BATCH_WINDOW_MS": str(window_ms),
        "STATUS_RATE_LIMIT": "1000 per second",
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "HEAD_INTERVAL_SECONDS": "5",
        "RESERVATION_POLL_SECONDS": "5",
        # Every benchmark client comes from 127.0.0.1, standing in for thousands of tablets on
        # their own addresses: the per-address allowance for sockets still signing in must not
        # turn them away as it would one attacker.
        "MAX_UNAUTHENTICATED_PER_ADDRESS": "100000",
    }
    env = base_env(database, BENCH_REDIS if redis else None, **{**defaults, **settings})
    # A deployed process loads compiled bytecode; PYTHONDONTWRITEBYTECODE (set on some
    # machines) would make every start compile the app again, a fifth of a second.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    directory = Path(tempfile.mkdtemp(prefix=f"tableside-bench-{mode}-"))
    urls, started, launches = [], [], []
    for number in range(processes):
        port = free_port()
        process_env = {**env, "PORT": str(port), "HOST": "127.0.0.1"}
        log = directory / f"server{number}.log"
        if mode == "gevent":
            command = [str(Path(sys.executable).parent / "gunicorn"), "-k", "gevent", "-w", "1"]
            command += ["--worker-connections", "20000", "-b", f"127.0.0.1:{port}", "wsgi:app"]
        else:
            command = [SERVER_PYTHON, "wsgi.py"]
        process = launch(command, process_env, log)
        urls.append(f"http://127.0.0.1:{port}")
        started.append(process)
        launches.append((command, process_env, log))
        wait_until_up(urls[-1], process, log)
    pids = [_worker_pid(p.pid) if mode == "gevent" else p.pid for p in started]
    name = f"tableside-{mode}" + (f" x{processes} (Redis)" if processes > 1 else " +Redis" if redis else "")
    server = Server(name, urls, started, change_url=urls[0], pids=pids, per_user=per_user, launches=launches)
    server.tokens = [sign_in(urls[0], viewer) for viewer in viewers]
    manager = sign_in(urls[0], "manager")
    server.headers = {"Authorization": f"Bearer {manager}"}
    response = requests.post(
        f"{urls[0]}/api/tables",
        json={"tableNumber": "T-001", "floor": 1, "capacity": 4},
        headers=server.headers,
        timeout=10,
    )
    response.raise_for_status()
    server.table_id = response.json()["tableId"]
    return server


def sign_in(url: str, username: str) -> str:
    """A bearer token for one of the benchmark's staff (all share one password)."""
    response = requests.post(
        f"{url}/api/auth/token", json={"username": username, "password": "correct-horse-battery"}, timeout=30
    )
    response.raise_for_status()
    return response.json()["token"]


def start_node(window_ms: int = 0, commits: bool = False) -> Server:
    """The Node.js Socket.IO 4.8 reference under bench/node-reference (after `npm ci` there).

    `commits`: each status change first does Tableside's database work in the freshly migrated
    `bench` database (bench/node-reference/commits.js); otherwise nothing is written.
    """
    from tests.support.live_server import free_port

    if not (NODE_DIR / "node_modules" / "socket.io").exists():
        raise SystemExit("run `npm ci` in bench/node-reference first")
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="tableside-bench-node-")) / "node.log"
    env = {**os.environ, "PORT": str(port), "BATCH_WINDOW_MS": str(window_ms)}
    env.pop("DATABASE_URL", None)
    if commits:
        reset_bench_database()
        env["DATABASE_URL"] = BENCH_DATABASE
    process = launch(["node", "server.js"], env, log, cwd=NODE_DIR)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url, process, log)
    again = (["node", str(NODE_DIR / "server.js")], env, log)
    name = "node-socket.io-4.8" + (" +PostgreSQL" if commits else "")
    return Server(name, [url], [process], change_url=url, pids=[process.pid], tokens=["any"], launches=[again])


# ---- client processes -------------------------------------------------------------------


async def _one_socket(session, url: str, token: str, floor: int, receipts: dict, opened: list) -> None:
    """Connect, join `floor:<floor>`, then answer pings and note each bench change's arrival."""
    ws_url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    ws = await session.ws_connect(ws_url, autoping=True, max_msg_size=0)
    joined = asyncio.get_running_loop().create_future()
    opened.append(ws)

    async def read() -> None:
        async for message in ws:
            text = message.data
            if text == "2":
                await ws.send_str("3")
            elif text.startswith("0"):
                await ws.send_str("40" + json.dumps({"token": token}))
            elif text.startswith("40"):
                await ws.send_str('420["tables:join",' + json.dumps({"floor": floor}) + "]")
            elif text.startswith("430"):
                if not joined.done():
                    joined.set_result(json.loads(text[3:])[0])
            elif text.startswith("42") and "bench-" in text:
                now = time.monotonic()
                _, data = json.loads(text[2:])
                for item in data if isinstance(data, list) else [data]:
                    receipts.setdefault(item.get("notes"), []).append(now)
            elif text.startswith("44") and not joined.done():
                joined.set_exception(RuntimeError(f"refused: {text}"))
        if not joined.done():
            joined.set_exception(RuntimeError("closed before joining"))

    asyncio.get_running_loop().create_task(read())
    ack = await asyncio.wait_for(joined, 60)
    if not ack.get("ok"):
        raise RuntimeError(f"join refused: {ack}")


async def _one_socket_retrying(session, url: str, token: str, floor: int, receipts: dict, opened: list) -> None:
    """`_one_socket`, tried again after a refusal (`503 server_busy` while many sign in), as clients do."""
    for attempt in range(CONNECT_ATTEMPTS):
        try:
            return await _one_socket(session, url, token, floor, receipts, opened)
        except Exception:  # noqa: BLE001 - any failed attempt is retried; the last one is counted
            if attempt == CONNECT_ATTEMPTS - 1:
                raise
            await asyncio.sleep(0.25 + random.random())


async def _hold(jobs: list[tuple[str, str, int]], ready, stop, results) -> None:
    import aiohttp

    receipts: dict[str, list[float]] = {}
    opened: list = []
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        failures = 0
        for start in range(0, len(jobs), CONNECT_AT_ONCE):
            batch = jobs[start : start + CONNECT_AT_ONCE]
            outcomes = await asyncio.gather(
                *(_one_socket_retrying(session, url, token, floor, receipts, opened) for url, token, floor in batch),
                return_exceptions=True,
            )
            failures += sum(isinstance(outcome, BaseException) for outcome in outcomes)
        ready.put((len(jobs) - failures, failures))
        while not stop.is_set():
            await asyncio.sleep(0.1)
        results.put(receipts)
        await asyncio.gather(*(ws.close() for ws in opened), return_exceptions=True)


def client_process(jobs: list[tuple[str, str, int]], ready, stop, results) -> None:
    """One client process: its share of the sockets on one asyncio loop."""
    raise_open_files()
    asyncio.run(_hold(jobs, ready, stop, results))


class Clients:
    """Sockets spread over several client processes; `watch` them, then `collect` receipts."""

    def __init__(self, processes: int) -> None:
        self.context = multiprocessing.get_context("spawn")
        self.processes = processes
        self.groups: list[tuple[list, object, object, object]] = []

    def open(self, server: Server, count: int, floor: int, start: int = 0) -> tuple[int, float]:
        """Open `count` sockets joined to `floor` round-robin over the server's URLs; (connected, seconds)."""
        tokens = server.socket_tokens(start + count)[start:] or ["any"] * count
        jobs = [(server.urls[n % len(server.urls)], tokens[n], floor) for n in range(count)]
        ready, stop, results = self.context.Queue(), self.context.Event(), self.context.Queue()
        workers = [
            self.context.Process(target=client_process, args=(jobs[n :: self.processes], ready, stop, results))
            for n in range(self.processes)
            if jobs[n :: self.processes]
        ]
        began = time.monotonic()
        for worker in workers:
            worker.start()
        outcomes = [ready.get(timeout=600) for _ in workers]
        self.groups.append((workers, ready, stop, results))
        failed = sum(f for _, f in outcomes)
        if failed:
            print(f"  warning: {failed} of {count} sockets failed to connect", flush=True)
        return sum(c for c, _ in outcomes), time.monotonic() - began

    def close(self) -> dict[str, list[float]]:
        """Stop every client process and merge what they received."""
        receipts: dict[str, list[float]] = {}
        for workers, _, stop, results in self.groups:
            stop.set()
            for _ in workers:
                for notes, times in results.get(timeout=120).items():
                    receipts.setdefault(notes, []).extend(times)
            for worker in workers:
                worker.join(timeout=30)
        self.groups = []
        return receipts
