"""Real Tableside server processes for tests that talk over real sockets and HTTP."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery"
STAFF = (
    ("manager", "manager", None),
    ("host", "host", None),
    ("viewer", "viewer", None),
    ("floor2host", "host", "2"),
    ("floor2manager", "manager", "2"),
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# A whole run in another serving mode (`make test-modes`): TABLESIDE_TEST_WRITES=stock gives every
# process the tests start DIRECT_WEBSOCKET_WRITES=0, TABLESIDE_TEST_ASYNC=gevent gives it
# ASYNC_MODE=gevent. A test that sets either itself (to prove one mode) keeps its own value.
# Unset, nothing is added: the default run is unchanged.
RUN_MODE_SETTINGS = {
    "TABLESIDE_TEST_WRITES": ("DIRECT_WEBSOCKET_WRITES", {"direct": None, "stock": "0"}),
    "TABLESIDE_TEST_ASYNC": ("ASYNC_MODE", {"eventlet": None, "gevent": "gevent"}),
}


def run_mode_settings() -> dict:
    """The serving settings this test run asks of every server it starts (see RUN_MODE_SETTINGS)."""
    settings = {}
    for switch, (setting, values) in RUN_MODE_SETTINGS.items():
        chosen = os.environ.get(switch) or next(iter(values))
        if chosen not in values:
            raise ValueError(f"{switch}={chosen!r}: expected one of {', '.join(values)}")
        if values[chosen] is not None:
            settings[setting] = values[chosen]
    return settings


def base_env(database_url: str, redis_url: str | None = None, **overrides: str) -> dict:
    """Environment for a server or CLI process: nothing inherited that changes behaviour."""
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DATABASE_URL", "FLASK_APP")}
    env.update(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "live-test-secret-key-long-enough-for-hs256",
            "TABLESIDE_ENV": "development",
            "PYTHONUNBUFFERED": "1",
            "RESERVATION_POLL_SECONDS": "0.5",
            "HEAD_INTERVAL_SECONDS": "1",
        }
    )
    env.update(run_mode_settings())
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(overrides)
    return env


def flask_cli(env: dict, *args: str, input_text: str | None = None) -> subprocess.CompletedProcess:
    """Run `flask ARGS` from the repository root, as an operator would."""
    return subprocess.run(
        [sys.executable, "-m", "flask", *args],
        cwd=ROOT,
        env=env,
        input=input_text,
        capture_output=True,
        text=True,
        timeout=120,
    )


def prepare_database(database_url: str, floors: tuple[int, ...] = (1, 2, 3)) -> None:
    """Migrate, then add floors and the standard staff (in-process: one app, no CLI runs)."""
    from tests.support.database import migrate_and_seed

    migrate_and_seed(database_url, floors, STAFF, PASSWORD)


class LiveServer:
    """One `python wsgi.py` process (or another serving command) on a free port."""

    def __init__(self, env: dict, log_path: Path, command: list[str] | None = None) -> None:
        self.port = free_port()
        # {port} in a command is this server's port; PORT and HOST are in its environment too.
        self.command = [part.format(port=self.port) for part in command or [sys.executable, "wsgi.py"]]
        self.env = {**env, "PORT": str(self.port), "HOST": "127.0.0.1"}
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 20) -> "LiveServer":
        log = open(self.log_path, "ab")  # noqa: SIM115 - kept open for the process's life
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log_path.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).status_code in (200, 503):
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start:\n{self.log_path.read_text()[-3000:]}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def restart(self, timeout: float = 20) -> "LiveServer":
        """Start again on the same port and database, as after a deploy or a crash."""
        self.stop()
        return self.start(timeout)

    def kill(self) -> None:
        self.stop(signal.SIGKILL)

    def token(self, username: str) -> str:
        """A bearer token for a standard member of staff."""
        response = requests.post(f"{self.url}/api/auth/token", json={"username": username, "password": PASSWORD})
        response.raise_for_status()
        return response.json()["token"]

    def api(self, username: str) -> requests.Session:
        """An HTTP session authenticated with a bearer token."""
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.token(username)}"
        return session

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")
