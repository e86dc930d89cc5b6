"""Serving one process: stopping on SIGTERM, owning its port, and timing out unfinished requests.

Each runs against real `python wsgi.py` processes, in both ways of writing WebSockets.
"""

import json
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests

from tests.support.asyncapi import JudgedClient
from tests.support.live_server import PASSWORD, ROOT, free_port
from tests.support.servers import server_in_each_write_mode, start_sqlite_server
from tests.support.sockets import USER_AGENT, LiveSocket
from tests.support.strangers import open_polling_session, polling_sid

pytestmark = pytest.mark.live
DRAIN_SECONDS = 5
# Short deadlines, and a ping interval longer than all: a long-poll waits that long for news.
TIMEOUTS = {
    "REQUEST_HEADER_TIMEOUT_SECONDS": "1",
    "KEEPALIVE_IDLE_SECONDS": "1.5",
    "REQUEST_BODY_TIMEOUT_SECONDS": "2",
    "PING_INTERVAL": "4",
}


# Each way of serving a process, pinned: every run proves the drain in all three.
SERVINGS = pytest.mark.parametrize(
    "serving",
    [
        {"ASYNC_MODE": "eventlet", "DIRECT_WEBSOCKET_WRITES": "1"},
        {"ASYNC_MODE": "eventlet", "DIRECT_WEBSOCKET_WRITES": "0"},
        {"ASYNC_MODE": "gevent"},
    ],
    ids=["eventlet-direct-writes", "eventlet-engineio-writes", "gevent"],
)


@SERVINGS
def test_sigterm_ends_the_process_with_an_idle_long_poll_and_a_websocket_open(tmp_path, serving):
    """A polling session nobody polls any more and a connected tablet do not keep a stopping process alive."""
    server = start_sqlite_server(tmp_path, DRAIN_SECONDS=str(DRAIN_SECONDS), **serving)
    try:
        polling_sid(open_polling_session(server.url))
        tablet = LiveSocket(server.url, token=server.token("viewer")).connect()
        assert tablet.join(1)["ok"] is True
        signalled = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=DRAIN_SECONDS + 20) == 0
        print(f"\nSIGTERM to exit ({'/'.join(serving.values())}): {time.monotonic() - signalled:.2f} s")
        assert tablet.disconnected.wait(5)
        assert '"draining"' in server.log() and '"stopped"' in server.log()
    finally:
        server.kill()


@SERVINGS
def test_sigterm_answers_the_request_in_flight_closes_sockets_at_once_and_exits_0(tmp_path, serving):
    """On SIGTERM: new connections are refused, a tablet sees its disconnect at once, a sign-in whose body
    is still coming is answered, an idle kept-alive connection is let go, and the process exits 0 before
    the drain deadline."""
    server = start_sqlite_server(tmp_path, DRAIN_SECONDS=str(DRAIN_SECONDS), **serving)
    sign_in, idle = link_to(server), link_to(server)
    sign_in.settimeout(DRAIN_SECONDS + 5)
    try:
        tablet = LiveSocket(server.url, token=server.token("viewer")).connect()
        assert tablet.join(1)["ok"] is True
        idle.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert idle.recv(65536).startswith(b"HTTP/1.1 200")
        body = json.dumps({"username": "viewer", "password": PASSWORD}).encode()
        sign_in.sendall(
            b"POST /api/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body[:10]
        )
        time.sleep(0.2)  # the request is being read
        signalled = time.monotonic()
        server.process.send_signal(signal.SIGTERM)

        assert tablet.disconnected.wait(3), "a connected tablet is told at once, not after the requests in flight"
        assert refuses_connections(server, timeout=3)
        sign_in.sendall(body[10:])
        answer = read_to_the_end(sign_in)
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        assert b'"token"' in answer
        assert server.process.wait(timeout=DRAIN_SECONDS + 10) == 0
        assert time.monotonic() - signalled < DRAIN_SECONDS, "nothing left in flight: no wait for the deadline"
        lines = [json.loads(line)["message"] for line in server.log().splitlines() if line.startswith("{")]
        drain = [line for line in lines if line in ("draining", "closed every session", "stopped")]
        assert drain == ["draining", "closed every session", "stopped"]
        assert not any("drain deadline" in line or "unexpectedly" in line for line in lines)
        # Under gevent the drain imports nothing of eventlet (whose import warns; filtered under eventlet).
        assert "Eventlet is deprecated" not in server.log()
    finally:
        sign_in.close()
        idle.close()
        server.kill()


def read_to_the_end(link: socket.socket) -> bytes:
    """Everything the server sends on this connection until it closes it (a stopping server reads no next request)."""
    received = b""
    while chunk := link.recv(65536):
        received += chunk
    return received


def read_one_answer(link: socket.socket) -> bytes:
    """One whole answer on a kept connection: its head, then as many bytes as its Content-Length says
    (gevent's server writes the head and the body apart, so one recv may hold the head alone)."""
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = link.recv(65536)
        if not chunk:
            return received
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(
        (int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0
    )
    while len(body) < length:
        chunk = link.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def refuses_connections(server, timeout: float) -> bool:
    """Whether, within `timeout`, a new connection to the server's port is refused."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
        except ConnectionRefusedError:
            return True
        time.sleep(0.05)
    return False


# gevent's server closed by gevent itself, as after an accept error it cannot go on after (EBADF).
SERVER_CLOSED_BY_GEVENT = """
from gevent import monkey
monkey.patch_all()
import gevent
from flask import Flask
from app import serve
from app.realtime.transport.gevent_server import PatientServer
server = PatientServer.on(("127.0.0.1", 0), Flask("closed"), 30, 10)
gevent.spawn_later(0.2, server.close)
drain = serve.Drain(5, gevent.spawn, gevent.spawn_later, server.drain, server.stop)
drain.serve(server.serve_until_stopped)
print("serve returned")
"""


def test_gevents_server_ending_without_a_drain_exits_1_and_says_so():
    """A crash must look like one to a supervisor: not exit 0, and not serving on as if nothing happened."""
    ended = subprocess.run(
        [sys.executable, "-c", SERVER_CLOSED_BY_GEVENT], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert ended.returncode == 1, ended.stdout + ended.stderr
    assert "the serving loop ended unexpectedly" in ended.stderr
    assert "serve returned" not in ended.stdout


# A pool of 100 connections and short request deadlines.
server = server_in_each_write_mode(MAX_CONNECTIONS="100", **TIMEOUTS)


def link_to(server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=30)


def hung_up(link: socket.socket) -> bool:
    """Whether the server closed this connection (read to its end; a reset counts)."""
    try:
        while link.recv(65536):
            pass
    except ConnectionResetError:
        pass
    except TimeoutError:
        return False
    return True


def test_a_second_server_on_a_busy_port_refuses_to_start(server, tmp_path):
    """Starting on a port another server listens on exits with code 1 and says why; the first serves on."""
    log = tmp_path / "second.log"
    with open(log, "wb") as output:
        second = subprocess.run(
            [sys.executable, "wsgi.py"], cwd=ROOT, env=server.env, stdout=output, stderr=subprocess.STDOUT, timeout=60
        )
    assert second.returncode == 1
    assert "already in use" in log.read_text()
    assert requests.get(f"{server.url}/healthz", timeout=10).status_code == 200


# `python wsgi.py` with its loading held up for 3 s where it first imports Flask, announced on stdout.
SLOW_LOADING_SERVER = """
import runpy, sys, time
class HoldUpFlask:
    def find_spec(self, name, path, target=None):
        if name == "flask":
            print("loading flask", flush=True)
            time.sleep(3)
            print("flask loaded", flush=True)
sys.meta_path.insert(0, HoldUpFlask())
sys.argv = ["wsgi.py"]
runpy.run_path("wsgi.py", run_name="__main__")
"""


def test_screens_reconnecting_while_a_server_loads_are_held_and_answered_not_refused(server):
    """The port is bound before the app loads: a connection made meanwhile waits in the queue and is served."""
    port = free_port()
    starting = subprocess.Popen(
        [sys.executable, "-c", SLOW_LOADING_SERVER],
        cwd=ROOT,
        env={**server.env, "PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    printed = []
    threading.Thread(target=lambda: printed.extend(starting.stdout), daemon=True).start()
    try:
        link = _first_connection(port, timeout=30)
        assert "flask loaded\n" not in printed
        link.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert link.recv(65536).startswith(b"HTTP/1.1 200")
        link.close()
        assert "flask loaded\n" in printed
    finally:
        starting.kill()
        starting.wait()


def _first_connection(port: int, timeout: float) -> socket.socket:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=30)
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def test_unfinished_request_heads_do_not_lock_everyone_out(server):
    """100 connections that stop half-way through their headers are dropped; the next visitor is served."""
    stuck = [link_to(server) for _ in range(100)]
    try:
        for link in stuck:
            link.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        assert requests.get(f"{server.url}/healthz", timeout=30).status_code == 200
        assert all(hung_up(link) for link in stuck)
    finally:
        for link in stuck:
            link.close()


def test_an_idle_connection_is_closed(server):
    """A connection that sends nothing, or nothing more after a response, is closed by the server."""
    silent, kept_alive = link_to(server), link_to(server)
    try:
        kept_alive.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert kept_alive.recv(65536).startswith(b"HTTP/1.1 200")
        assert hung_up(silent)
        assert hung_up(kept_alive)
    finally:
        silent.close()
        kept_alive.close()


def test_a_body_sent_in_pieces_within_its_deadline_is_served_and_the_connection_kept(server):
    """A sign-in whose body comes in three pieces over a second is answered, and the connection serves again."""
    body = json.dumps({"username": "viewer", "password": PASSWORD}).encode()
    link = link_to(server)
    try:
        link.sendall(
            b"POST /api/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
        )
        for piece in (body[:10], body[10:20], body[20:]):
            time.sleep(0.4)
            link.sendall(piece)
        answer = read_one_answer(link)
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        assert b'"token"' in answer
        link.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert link.recv(65536).startswith(b"HTTP/1.1 200")
    finally:
        link.close()


@pytest.mark.parametrize(
    ("declared", "status"), [(10_000_000, b"413"), (100, b"408")], ids=["over-the-limit", "too-slow"]
)
def test_a_refused_body_ends_its_connection_without_waiting_for_the_rest(server, declared, status):
    """Announcing 10 MB and sending 10 bytes gets 413 at once, and 10 of 100 bytes 408 at the body's deadline;
    the answer says the connection ends, and it ends: nobody waits for the rest."""
    link = link_to(server)
    try:
        link.sendall(
            b"POST /api/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {declared}\r\n\r\n".encode()
            + b'{"usernam'
        )
        link.settimeout(10)
        answer = link.recv(65536)
        assert answer.startswith(b"HTTP/1.1 " + status), answer[:200]
        assert b"\r\nconnection: close\r\n" in answer.lower(), answer[:400]
        assert hung_up(link)
    finally:
        link.close()


def test_websockets_and_long_polls_outlive_the_request_deadlines(server):
    """A WebSocket and a long-polling client, idle longer than every deadline, still get a change."""
    token = server.token("viewer")
    tablet = LiveSocket(server.url, token=token).connect()
    poller = JudgedClient(reconnection=False)
    changes = []
    poller.on("table:created", changes.append)
    try:
        poller.connect(server.url, auth={"token": token}, headers={"User-Agent": USER_AGENT}, transports=["polling"])
        assert tablet.join(1)["ok"] is True
        assert poller.call("tables:join", {"floor": 1}, timeout=10)["ok"] is True
        time.sleep(6)  # longer than both deadlines, and than one long-poll
        manager = requests.Session()
        manager.headers["Authorization"] = f"Bearer {server.token('manager')}"
        created = manager.post(f"{server.url}/api/tables", json={"tableNumber": "IDLE-1", "floor": 1, "capacity": 2})
        table_id = created.json()["tableId"]
        assert tablet.wait_for("table:created", lambda data: data["tableId"] == table_id, timeout=10)
        deadline = time.monotonic() + 10
        while not any(change["tableId"] == table_id for change in changes) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert any(change["tableId"] == table_id for change in changes)
        assert tablet.connected and poller.connected
    finally:
        tablet.close()
        poller.disconnect()


def test_a_serving_app_starts_without_alembic_and_the_flask_cli_still_migrates():
    """`python wsgi.py` leaves out `flask db` (Alembic is a fifth of a second of every start); `flask db` has it."""
    check = "import sys; from app import create_app; app = create_app(serving=True); "
    check += "print('alembic' in sys.modules, 'db' in app.cli.commands, 'users' in app.cli.commands)"
    serving = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert serving.stdout.split() == ["False", "False", "True"], serving.stderr
    flask_db = [sys.executable, "-m", "flask", "--app", "wsgi", "db", "--help"]
    listed = subprocess.run(flask_db, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0 and "upgrade" in listed.stdout, listed.stderr
