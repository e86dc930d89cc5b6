"""A process at its open-file limit keeps serving: 700 silent sessions against a limit of 600 files.

The server accepts until accept() fails with EMFILE, says so in one log line and no
traceback, waits, and accepts again once the sessions that never signed in are closed by
AUTH_DEADLINE_SECONDS; then a real client connects and gets a change. Run in both ways of
writing WebSockets, and under gevent too (`make test-modes`), where each WebSocket also
takes one file and gevent's accept loop logs the same line (app/realtime/transport/accepting.py).
"""

import resource
import shutil
import subprocess

import pytest
import requests

from tests.support.metrics import metric
from tests.support.servers import server_in_each_write_mode
from tests.support.sockets import LiveSocket
from tests.support.strangers import Strangers

pytestmark = pytest.mark.live
FILE_LIMIT = 600
SESSIONS = 700


def lower_open_file_limit(pid: int, limit: int) -> None:
    """Lower a running process's open-file limit, as `prlimit --nofile` does."""
    if shutil.which("prlimit"):
        subprocess.run(["prlimit", f"--pid={pid}", f"--nofile={limit}:{limit}"], check=True)
    else:
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (limit, limit))


# Silent sessions are closed after 10 s, longer than opening all 700 takes (about 3 s), so
# the limit is reached however fast a server closes them; every one of them comes from this
# one address, and they must reach the file limit, so neither admission limit may turn them
# away first.
server = server_in_each_write_mode(
    AUTH_DEADLINE_SECONDS="10", MAX_UNAUTHENTICATED_PER_ADDRESS="5000", MAX_SIGNING_IN="5000", PING_INTERVAL="25"
)


def test_a_process_out_of_files_serves_again_once_silent_sessions_are_closed(server, staff):
    """700 silent sessions at a 600-file limit: the process lives, closes them all, and then serves a change."""
    lower_open_file_limit(server.process.pid, FILE_LIMIT)
    silent = Strangers(server.url)
    try:
        silent.open(SESSIONS)
        assert silent.read(lambda them: them.closed == SESSIONS, 180), (silent.answered, silent.closed)
        print(f"\nsessions held at once: {silent.most_held}; answered {silent.answered}; held now: {silent.held}")
    finally:
        silent.close()
    assert server.process.poll() is None, server.log()[-3000:]
    assert "accepting a connection failed" in server.log()  # the limit was reached, and outlived
    assert "Traceback" not in server.log()
    assert silent.answered == SESSIONS and silent.most_held < FILE_LIMIT
    assert requests.get(f"{server.url}/healthz", timeout=10).status_code == 200
    assert metric(server.url, "tableside_sessions_unauthenticated") == 0
    socket = LiveSocket(server.url, token=staff("viewer").token).connect()
    try:
        assert socket.join(1)["ok"] is True
        table = staff("manager").create_table(floor=1)
        assert socket.wait_for("table:created", lambda data: data["tableId"] == table["tableId"])
    finally:
        socket.close()
