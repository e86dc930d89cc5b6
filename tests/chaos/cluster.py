"""Two web processes and the worker on PostgreSQL and Redis, with a faulty link before each web.

Faults: SIGKILL of a web process, a Redis restart, a PostgreSQL restart, stalled and cut
client links. PostgreSQL and Redis are restarted only through the commands below, and
`ensure_services_running` puts them back whatever happened.
"""

import contextlib
import subprocess
import sys
import time
from pathlib import Path

import redis
import requests
from sqlalchemy import create_engine, text

from tests.support.live_server import PASSWORD, ROOT, STAFF, LiveServer, base_env
from tests.support.proxy import FaultyLink, wait_until

PG_RESTART = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main restart"
PG_START = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
REDIS_STOP = ["redis-cli", "-p", "6379", "shutdown", "nosave"]
REDIS_START = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379"]
REDIS_START += ["--save", "", "--appendonly", "no"]
CHAOS_SETTINGS = {
    "LOGIN_RATE_LIMIT": "1000 per minute",
    # The writers are several people at once; the per-user limit is not under test here.
    "STATUS_RATE_LIMIT": "1000 per second",
    "HEAD_INTERVAL_SECONDS": "1",
    "EVENT_LOG_MAX_ROWS": "40",
    # The tests prune at the moment they choose, after saving the log: a worker prune in
    # between would take events the test has not seen yet.
    "EVENT_LOG_PRUNE_SECONDS": "0",
}


def redis_answers() -> bool:
    try:
        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def postgres_answers() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False).returncode == 0


def restart_redis(down_seconds: float = 2.0) -> None:
    """Stop Redis without saving, keep it down a while, start it again (empty)."""
    subprocess.run(REDIS_STOP, check=False, capture_output=True, timeout=10)
    wait_until(lambda: not redis_answers(), 5)
    time.sleep(down_seconds)
    subprocess.run(REDIS_START, check=True, capture_output=True, timeout=10)
    assert wait_until(redis_answers, 10), "Redis did not come back"


def restart_postgres() -> None:
    """Restart the PostgreSQL cluster (every connection is cut)."""
    subprocess.run(PG_RESTART, shell=True, check=True, capture_output=True, timeout=60)
    assert wait_until(postgres_answers, 30), "PostgreSQL did not come back"


def ensure_services_running() -> None:
    """Leave PostgreSQL and Redis running, whatever a fault did to them."""
    if not redis_answers():
        subprocess.run(REDIS_START, check=False, capture_output=True, timeout=10)
        wait_until(redis_answers, 10)
    if not postgres_answers():
        subprocess.run(PG_START, shell=True, check=False, capture_output=True, timeout=60)
        wait_until(postgres_answers, 30)


class ChaosCluster:
    """`python wsgi.py` × N and `flask reservations run`, each web behind its own FaultyLink."""

    def __init__(self, directory: Path, database_url: str, redis_url: str, webs: int = 2, **settings: str) -> None:
        from tests.support.database import migrate_and_seed

        migrate_and_seed(database_url, (1, 2, 3), STAFF, PASSWORD)
        self.database_url = database_url
        self.engine = create_engine(database_url, pool_pre_ping=True)
        self.env = base_env(database_url, redis_url, **{**CHAOS_SETTINGS, **settings})
        self.directory = directory
        self.webs = [LiveServer(self.env, directory / f"web{n}.log").start() for n in range(webs)]
        self.links = [FaultyLink(web.port) for web in self.webs]
        self._worker_log = open(directory / "worker.log", "ab")  # noqa: SIM115 - closed in stop()
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "reservations", "run"],
            cwd=ROOT,
            env=self.env,
            stdout=self._worker_log,
            stderr=subprocess.STDOUT,
        )
        self._tokens: dict[str, str] = {}

    @property
    def urls(self) -> list[str]:
        """The web processes' own addresses (the writers' way in)."""
        return [web.url for web in self.webs]

    def token(self, username: str) -> str:
        if username not in self._tokens:
            response = requests.post(
                f"{self.webs[0].url}/api/auth/token", json={"username": username, "password": PASSWORD}, timeout=10
            )
            response.raise_for_status()
            self._tokens[username] = response.json()["token"]
        return self._tokens[username]

    def kill_web(self, index: int) -> None:
        self.webs[index].kill()

    def start_web(self, index: int) -> None:
        """Start a killed web process again on its port (after a crash, as the platform would)."""
        self.webs[index].start(timeout=30)

    def web_alive(self, index: int) -> bool:
        process = self.webs[index].process
        return process is not None and process.poll() is None

    # -- the truth ----------------------------------------------------------------------------
    def tables(self) -> dict[int, dict]:
        """Every table as the database holds it, in the clients' tracked fields."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT t.id, t.table_number, t.floor, t.status, t.notes, t.capacity, t.covers,"
                    " u.username AS assignee FROM tables t LEFT JOIN sections s ON s.id = t.section_id"
                    " LEFT JOIN users u ON u.id = s.assignee_id"
                )
            )
            return {
                row.id: {
                    "tableNumber": row.table_number,
                    "floor": row.floor,
                    "status": row.status,
                    "notes": row.notes,
                    "capacity": row.capacity,
                    "covers": row.covers,
                    "assignee": row.assignee,
                }
                for row in rows
            }

    def events(self, after: int = 0) -> list[tuple[int, str, dict]]:
        """The event log after an id: (id, type, payload), oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, type, payload FROM events WHERE id > :after ORDER BY id"), {"after": after}
            )
            return [(row.id, row.type, row.payload) for row in rows]

    def prune_event_log(self) -> int:
        """Run the worker's prune with the cluster's EVENT_LOG_MAX_ROWS; return how many went."""
        from app.worker import prune_once
        from tests.support.database import app_for

        app = app_for(self.database_url, EVENT_LOG_MAX_ROWS=int(self.env["EVENT_LOG_MAX_ROWS"]))
        try:
            return prune_once(app)
        finally:
            with app.app_context():
                from app.extensions import db

                db.engine.dispose()

    def rss_kib(self) -> list[int]:
        """Resident memory of each web process in KiB (0 for a dead one)."""
        sizes = []
        for web in self.webs:
            size = 0
            with contextlib.suppress(OSError, AttributeError):
                for line in Path(f"/proc/{web.process.pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        size = int(line.split()[1])
            sizes.append(size)
        return sizes

    def stop(self) -> None:
        for link in self.links:
            link.close()
        for web in self.webs:
            web.stop()
        self.worker.terminate()
        try:
            self.worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.worker.kill()
        self._worker_log.close()
        self.engine.dispose()
