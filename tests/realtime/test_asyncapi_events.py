"""Each kind of Socket.IO event, sent through a live server to real python-socketio clients, is what
/api/asyncapi.json says it is; so is each acknowledgement. On SQLite, and on PostgreSQL with Redis.

Every live test's clients are judged against the document already (tests/support/asyncapi.py);
these tests make sure that every event the document names is actually provoked and received,
and say by name which one drifted.
"""

from datetime import UTC, datetime, timedelta

import pytest

from app.shapes.events import CLIENT_EVENTS, SERVER_EVENTS
from tests.support import asyncapi
from tests.support.backing_services import postgres_url, redis_url
from tests.support.live_server import LiveServer, prepare_database
from tests.support.servers import live_env, start_sqlite_server
from tests.support.sockets import LiveSocket, signed_in_cookie

pytestmark = pytest.mark.live
# A wide batch window, so the second and third of three changes made one after another are
# batched on a busy machine; a room head every second.
SETTINGS = {"BATCH_WINDOW_MS": "1000", "HEAD_INTERVAL_SECONDS": "1"}


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres-redis", marks=[pytest.mark.postgres, pytest.mark.redis])]
)
def server(request, tmp_path_factory):
    """The module's server: on SQLite in-process, then on PostgreSQL with Redis as the message queue."""
    directory = tmp_path_factory.mktemp("asyncapi")
    if request.param == "sqlite":
        live = start_sqlite_server(directory, **SETTINGS)
    else:
        database_url, queue_url = postgres_url(), redis_url()
        prepare_database(database_url)
        live = LiveServer(live_env(database_url, queue_url, **SETTINGS), directory / "server.log").start()
    yield live
    live.stop()


def problems(sockets: list[LiveSocket]) -> list[str]:
    """What the document says is wrong with each frame these sockets received."""
    found = (asyncapi.problem_with_event(name, data) for socket in sockets for name, data, _ in list(socket.frames))
    return [problem for problem in found if problem is not None]


def provoke_every_table_event(server, staff, on_floor: LiveSocket) -> None:
    """Create tables on floor 1, change one alone, then three in one batch window; edit one, delete one."""
    manager, host = staff("manager"), staff("host")
    first, second, third = (manager.create_table(floor=1) for _ in range(3))
    hold = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    host.set_status(first["tableId"], "reserved", reservedUntil=hold, notes="Birthday").raise_for_status()
    on_floor.wait_for("table:status_changed", lambda data: data["tableId"] == first["tableId"])
    host.set_status(second["tableId"], "occupied", covers=2).raise_for_status()
    host.set_status(third["tableId"], "maintenance", notes=None).raise_for_status()
    host.set_status(first["tableId"], "available").raise_for_status()
    batch = on_floor.wait_for("tables:batch_update")
    assert {item["tableId"] for item in batch} <= {first["tableId"], second["tableId"], third["tableId"]}
    assert manager.update_table(first["tableId"], capacity=6, notes="By the window").status_code == 200
    assert manager.delete_table(third["tableId"]).status_code == 204
    on_floor.wait_for("table:deleted", lambda data: data["tableId"] == third["tableId"])


def provoke_every_floor_and_section_event(server, staff, on_floor: LiveSocket) -> None:
    """Change floor 1's turn time; add a section, rename it, assign the host to it, keep the floor's sections as a
    preset, delete the section and the preset."""
    manager = staff("manager")
    api = manager.http
    assert api.patch(f"{server.url}/api/floors/1", json={"turnMinutes": 75}, timeout=10).status_code == 200
    created = api.post(f"{server.url}/api/floors/1/sections", json={"name": "Patio"}, timeout=10)
    assert created.status_code == 201, created.text
    section = f"{server.url}/api/sections/{created.json()['sectionId']}"
    assert api.patch(section, json={"name": "Patio East", "colour": "#2a9d8f"}, timeout=10).status_code == 200
    host_id = next(person["userId"] for person in manager.get("/api/staff").json() if person["username"] == "host")
    assert api.put(f"{section}/assignee", json={"userId": host_id}, timeout=10).status_code == 200
    preset = api.post(f"{server.url}/api/floors/1/presets", json={"name": "Patio shift"}, timeout=10)
    assert preset.status_code == 201, preset.text
    assert api.delete(section, timeout=10).status_code == 204
    assert api.delete(f"{server.url}/api/presets/{preset.json()['presetId']}", timeout=10).status_code == 204
    on_floor.wait_for("preset:deleted")


def provoke_every_door_event(server, staff, on_floor: LiveSocket, guest: LiveSocket) -> None:
    """A party joins the line, its guest's page opens, it is notified, and is seated at a table of floor 1; the
    seating is undone (the party back in line) and made again."""
    host = staff("host")
    table = staff("manager").create_table(floor=1)
    party = host.http.post(f"{server.url}/api/parties", json={"size": 2, "tags": ["vip"]}, timeout=10)
    assert party.status_code == 201, party.text
    guest.auth = {"guest": party.json()["guestUrl"].removeprefix("/w/")}
    guest.connect()
    path = f"{server.url}/api/parties/{party.json()['partyId']}"
    assert host.http.patch(path, json={"state": "notified"}, timeout=10).status_code == 200
    seated = host.http.post(f"{path}/seat", json={"tableIds": [table["tableId"]]}, timeout=10)
    assert seated.status_code == 200, seated.text
    undone = host.http.post(f"{path}/unseat", json={"expectedVersion": seated.json()["version"]}, timeout=10)
    assert undone.status_code == 200, undone.text
    on_floor.wait_for("party:unseated")
    assert host.http.post(f"{path}/seat", json={"tableIds": [table["tableId"]]}, timeout=10).status_code == 200
    on_floor.wait_for("party:seated", lambda data: data["version"] == undone.json()["version"] + 1)


def provoke_every_rotation_event(server, staff, on_floor: LiveSocket) -> None:
    """The host looks after a section; another host cuts, uncuts and skips them; the section goes."""
    manager, host = staff("manager"), staff("host")
    created = manager.http.post(f"{server.url}/api/floors/1/sections", json={"name": "Rotation"}, timeout=10)
    section = f"{server.url}/api/sections/{created.json()['sectionId']}"
    host_id = next(person["userId"] for person in manager.get("/api/staff").json() if person["username"] == "host")
    assert manager.http.put(f"{section}/assignee", json={"userId": host_id}, timeout=10).status_code == 200
    for action in ("cut", "uncut", "skip"):
        assert host.http.post(f"{server.url}/api/rotation/{host_id}/{action}", timeout=10).status_code == 200
    on_floor.wait_for("server:skipped")
    assert manager.http.delete(section, timeout=10).status_code == 204


def test_every_server_event_reaches_a_client_as_the_document_says(server, staff, connect, watcher):
    """A watcher of floor 1 and one of every floor receive each event of the document, each valid by it:
    table changes, a batch, floor and section changes, room heads, both kinds of sync answer, and
    `tables:error` for a socket over its rate limit and for a tab whose sign-in ended, and the door's events."""
    on_floor, every_floor = watcher(1), watcher(None, "manager")
    guest = LiveSocket(server.url)
    provoke_every_table_event(server, staff, on_floor)
    provoke_every_floor_and_section_event(server, staff, on_floor)
    provoke_every_door_event(server, staff, on_floor, guest)
    provoke_every_rotation_event(server, staff, on_floor)
    guest.wait_for("guest:update", lambda data: data["state"] == "seated")
    guest.close()
    on_floor.wait_for("tables:head")
    assert on_floor.call("presence:watch", {"floor": 1})["ok"] is True
    assert on_floor.call("presence:claim", {"floor": 1, "tableId": 1})["ok"] is True
    on_floor.wait_for("presence:update", lambda data: any(viewer["tableId"] == 1 for viewer in data["viewers"]))

    syncing = connect("viewer")
    syncing.join(1)
    since = on_floor.received("table:created")[0]["eventId"]
    assert syncing.sync(since)["recovered"] is True
    assert syncing.sync(None)["recovered"] is False
    assert [answer["recovered"] for answer in syncing.received("tables:sync_response")] == [True, False]

    flooding = connect("viewer")
    answers = [flooding.call("tables:leave", {"floor": 3}) for _ in range(25)]
    assert {"ok": False, "error": "rate_limited"}.items() <= answers[-1].items()
    assert flooding.wait_for("tables:error")["code"] == "rate_limited"
    browser, cookie = signed_in_cookie(server.url, "host")
    tab = connect(cookie=cookie)
    browser.post(f"{server.url}/logout", allow_redirects=False)
    assert tab.wait_for("tables:error")["code"] == "session_ended"

    sockets = [on_floor, every_floor, syncing, flooding, tab, guest]
    received = {name for socket in sockets for name in socket.names("")}
    assert set(SERVER_EVENTS) - received == set(), "events of the document no client received"
    assert problems(sockets) == []


def test_every_acknowledgement_is_one_of_its_events_replies(server, connect):
    """Each client event answered yes and no, for each reason it can be refused, validates against one of its
    operation's replies in the document: the one for yes or the refusal."""
    viewer, limited, manager = connect("viewer"), connect("floor2host"), connect("manager")
    asked = [
        (viewer, "tables:join", {"floor": 1}, True),
        (manager, "tables:join", {"floor": None}, True),
        (viewer, "tables:join", {"floor": 999}, False),
        (limited, "tables:join", {"floor": 1}, False),
        (limited, "tables:join", {"floor": None}, False),
        (viewer, "tables:join", {"floor": "one"}, False),
        (viewer, "tables:leave", {"floor": 1}, True),
        (viewer, "tables:leave", {}, False),
        (viewer, "tables:sync", {"lastEventId": None}, True),
        (viewer, "tables:sync", {"lastEventId": "0"}, True),
        (viewer, "tables:sync", {}, False),
        (viewer, "presence:claim", {"floor": 1, "tableId": 2}, False),
        (viewer, "presence:watch", {"floor": 1}, True),
        (limited, "presence:watch", {"floor": 1}, False),
        (viewer, "presence:watch", {"floor": 999}, False),
        (viewer, "presence:claim", {"floor": 1, "tableId": 2}, True),
        (viewer, "presence:claim", {"floor": 1, "tableId": None}, True),
        (viewer, "presence:claim", {"floor": 1, "tableId": "two"}, False),
    ]
    assert {event for _, event, _, _ in asked} == set(CLIENT_EVENTS)
    for socket, event, data, accepted in asked:
        answer = socket.call(event, data)
        assert answer["ok"] is accepted, (event, data, answer)
        assert asyncapi.problem_with_answer(event, answer) is None, (event, data)


def test_a_payload_that_drifts_from_its_shape_fails_the_test_that_received_it(server, staff, watcher):
    """A real `table:status_changed` with a field added, one left out, a date that is none, or under an
    undocumented name is caught; handed to a client's handler, it fails the running test."""
    on_floor = watcher(2)
    table = staff("manager").create_table(floor=2)
    staff("host").set_status(table["tableId"], "occupied").raise_for_status()
    change = on_floor.wait_for("table:status_changed")
    assert asyncapi.problem_with_event("table:status_changed", change) is None
    left_out = {name: value for name, value in change.items() if name != "updatedBy"}
    for name, payload in [
        ("table:status_changed", {**change, "vip": True}),
        ("table:status_changed", left_out),
        ("table:status_changed", {**change, "updatedAt": "yesterday"}),
        ("table:vip_arrived", change),
    ]:
        assert asyncapi.problem_with_event(name, payload) is not None, (name, payload)
    handled = []
    client = asyncapi.JudgedClient()
    client.on("table:status_changed", handled.append)
    client.handlers["/"]["table:status_changed"]({**change, "vip": True})  # as python-socketio hands it over
    assert handled == [{**change, "vip": True}]
    with pytest.raises(asyncapi.Drift, match="'vip' was unexpected"):
        asyncapi.fail_on_drift("now")
