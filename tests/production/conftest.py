"""A small production-shaped cluster: two web processes and the worker on PostgreSQL and Redis."""

import subprocess
import sys

import pytest

from tests.support.backing_services import postgres_url, redis_url
from tests.support.live_server import ROOT, LiveServer, base_env, prepare_database
from tests.support.sockets import LiveSocket


class Cluster:
    """Web processes and the reservation worker sharing one PostgreSQL and one Redis."""

    def __init__(self, directory, web_processes: int = 2, **settings: str) -> None:
        self.database_url = postgres_url()
        self.redis_url = redis_url()
        prepare_database(self.database_url)
        self.env = base_env(self.database_url, self.redis_url, **settings)
        self.directory = directory
        self.webs = [LiveServer(self.env, directory / f"web{n}.log").start() for n in range(web_processes)]
        self.worker_log = open(directory / "worker.log", "ab")  # noqa: SIM115 - closed in stop()
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "reservations", "run"],
            cwd=ROOT,
            env=self.env,
            stdout=self.worker_log,
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        for web in self.webs:
            web.stop()
        self.worker.terminate()
        self.worker.wait(timeout=10)
        self.worker_log.close()


@pytest.fixture
def cluster(tmp_path):
    """Two `python wsgi.py` processes and `flask reservations run`, on PostgreSQL and Redis."""
    live = Cluster(tmp_path)
    yield live
    live.stop()


@pytest.fixture
def sockets():
    """Factory: connected LiveSockets, closed after the test."""
    opened: list[LiveSocket] = []

    def open_socket(url: str, token: str) -> LiveSocket:
        socket = LiveSocket(url, token=token)
        opened.append(socket)
        return socket.connect()

    yield open_socket
    for socket in opened:
        socket.close()
