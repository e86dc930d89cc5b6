"""A closed socket is freed when it closes, even when the collector has frozen it.

app/serve.py freezes whatever survives a full garbage collection, so anything a closed socket
leaves in a reference cycle would stay until the next thaw (GC_THAW_SECONDS). The test hook
(GC_FREEZE_HOOK) freezes the open sockets; `tableside_sockets_not_freed` counts socket
objects not yet freed.
"""

import time

import pytest
import requests

from tests.support.metrics import metric
from tests.support.servers import server_in_each_write_mode, start_sqlite_server, writes_directly

pytestmark = pytest.mark.live
SOCKETS = 20
PING_INTERVAL = 2


server = server_in_each_write_mode(GC_FREEZE_HOOK="1", PING_INTERVAL=str(PING_INTERVAL))


def settles_at(server, name: str, value: float, timeout: float = 20) -> bool:
    """Whether a metric reaches `value` within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while metric(server.url, name) != value and time.monotonic() < deadline:
        time.sleep(0.2)
    return metric(server.url, name) == value


def collect(server, step: str) -> dict:
    """Run the server's test hook: `freeze` (a full collection, then freeze) or `young`."""
    answer = requests.post(f"{server.url}/debug/gc/{step}", headers={"Authorization": "Bearer test"}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_closed_sockets_are_freed_although_the_collector_froze_them(server, connect):
    """Twenty tablets connect, are frozen by a full collection, and leave: none of their sockets stays in memory."""
    tablets = [connect("viewer") for _ in range(SOCKETS)]
    for tablet in tablets:
        assert tablet.join(1)["ok"] is True
    assert metric(server.url, "tableside_sockets_not_freed") >= SOCKETS
    assert metric(server.url, "tableside_wires") == (SOCKETS if writes_directly(server) else 0)
    assert collect(server, "freeze")["frozen"] > 0
    for tablet in tablets:
        tablet.close()
    assert settles_at(server, "tableside_ws_connections", 0)
    time.sleep(PING_INTERVAL + 1)  # the pinger lets go of each socket at its next ping
    # Young garbage (python-engineio's own exceptions, with their frames) goes; frozen would stay.
    collect(server, "young")
    # python-engineio's service task (its own writer only: =0, or gevent) keeps the last socket it checked in a
    # loop variable while it sleeps: one object, whatever the number of sockets that closed.
    held_by_engineio = 0 if writes_directly(server) else 1
    assert metric(server.url, "tableside_sockets_not_freed") <= held_by_engineio
    assert metric(server.url, "tableside_wires") == 0  # the transport let go of every closed socket's wire


def test_the_freezing_hook_is_off_by_default(tmp_path):
    """Without GC_FREEZE_HOOK the debug route does not exist."""
    server = start_sqlite_server(tmp_path)
    try:
        answer = requests.post(f"{server.url}/debug/gc/freeze", headers={"Authorization": "Bearer x"}, timeout=10)
        assert answer.status_code == 404
    finally:
        server.stop()
