"""The rotation, live: a host's cut and skip reach every other screen's servers panel as it happens.

Every event these real clients receive is judged against /api/asyncapi.json (tests/conftest.py).
"""

import pytest

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def waiter(staff):
    """The viewer looks after a section of floor 1 with one 4-top; their user id."""
    manager = staff("manager")
    users = manager.get("/api/staff").json()
    viewer_id = next(member["userId"] for member in users if member["username"] == "viewer")
    section = manager.http.post(f"{manager.url}/api/floors/1/sections", json={"name": "Patio"}, timeout=10).json()
    manager.create_table(floor=1, capacity=4, sectionId=section["sectionId"])
    assigned = manager.http.put(
        f"{manager.url}/api/sections/{section['sectionId']}/assignee", json={"userId": viewer_id}, timeout=10
    )
    assert assigned.status_code == 200
    return viewer_id


def test_a_cut_reaches_another_screen(connect, watcher, staff, waiter):
    """A host cuts the viewer: a floor-2 host's screen and a socket in no room hear server:cut at once,
    and the viewer is no longer next up on any screen that asks."""
    upstairs, lobby = watcher(2, "floor2host"), connect("manager")
    host = staff("host")
    assert host.get("/api/rotation", size=2).json()["nextUp"]["userId"] == waiter
    response = host.http.post(f"{host.url}/api/rotation/{waiter}/cut", timeout=10)
    assert response.status_code == 200
    for screen in (upstairs, lobby):
        cut = screen.wait_for("server:cut", lambda data: data["userId"] == waiter)
        assert (cut["name"], cut["cut"], cut["updatedBy"]) == ("viewer", True, "host")
    assert staff("manager").get("/api/rotation", size=2).json()["nextUp"] is None
    host.http.post(f"{host.url}/api/rotation/{waiter}/uncut", timeout=10)
    upstairs.wait_for("server:uncut", lambda data: data["userId"] == waiter)


def test_a_skip_reaches_another_screen(watcher, staff, waiter):
    """A skip is news too: server:skipped with skipped true."""
    screen = watcher(1)
    host = staff("host")
    assert host.http.post(f"{host.url}/api/rotation/{waiter}/skip", timeout=10).status_code == 200
    skipped = screen.wait_for("server:skipped", lambda data: data["userId"] == waiter)
    assert skipped["skipped"] is True and skipped["cut"] is False
