"""The rotation over JSON: every screen reads who is next up; hosts cut and skip servers."""

import pytest

from app.extensions import db
from app.models import Event, User


def user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(User.id).where(User.username == username))


@pytest.fixture
def floor_with_servers(app, manager, make_table):
    """The host looks after Window (T-01, a 4-top), the viewer after Bar (T-02, a 2-top)."""
    for name, username, capacity in (("Window", "host", 4), ("Bar", "viewer", 2)):
        section = manager.post("/api/floors/1/sections", json={"name": name}).get_json()
        make_table(capacity=capacity, section_id=section["sectionId"])
        body = {"userId": user_id(app, username)}
        assert manager.put(f"/api/sections/{section['sectionId']}/assignee", json=body).status_code == 200
    return {"host": user_id(app, "host"), "viewer": user_id(app, "viewer")}


def test_every_screen_reads_the_servers_and_who_is_next_up(viewer, floor_with_servers):
    """A viewer sees both servers with their tables and figures; a party of 3 only fits the host's 4-top."""
    body = viewer.get("/api/rotation?size=3&floor=1").get_json()
    assert body["size"] == 3
    assert {server["name"] for server in body["servers"]} == {"host", "viewer"}
    server = next(s for s in body["servers"] if s["name"] == "viewer")
    assert (server["coversNow"], server["coversThisShift"], server["lastSeatedAt"], server["cut"]) == (
        0,
        0,
        None,
        False,
    )
    assert [t["tableNumber"] for t in server["tables"]] == ["T-02"]
    assert body["nextUp"]["name"] == "host" and body["nextUp"]["tableNumber"] == "T-01"


def test_a_server_passed_over_for_want_of_a_table_is_next_up_again_once_it_frees(
    host, viewer, make_table, floor_with_servers
):
    """The host (2 covers) is fewest but their only table is taken: the party goes to the viewer. When the
    host's party leaves, its covers still count for the shift and the host is next up again, at T-01."""

    def seat(size: int, number: str) -> None:
        table_id = next(t["tableId"] for t in host.get("/api/tables").get_json() if t["tableNumber"] == number)
        party = host.post("/api/parties", json={"size": size}).get_json()
        assert host.post(f"/api/parties/{party['partyId']}/seat", json={"tableIds": [table_id]}).status_code == 200

    def seen(size: int) -> tuple[tuple[str, str] | None, dict[str, tuple[int, int]]]:
        """Next up (name, table) and each server's (covers now, covers this shift), as a screen reads them."""
        body = viewer.get(f"/api/rotation?size={size}").get_json()
        up = body["nextUp"] and (body["nextUp"]["name"], body["nextUp"]["tableNumber"])
        return up, {s["name"]: (s["coversNow"], s["coversThisShift"]) for s in body["servers"]}

    bar = next(s for s in viewer.get("/api/rotation").get_json()["servers"] if s["name"] == "viewer")
    make_table(capacity=4, section_id=bar["sectionIds"][0])  # T-03, the viewer's 4-top
    seat(2, "T-01")
    seat(4, "T-03")
    assert seen(2) == (("viewer", "T-02"), {"host": (2, 2), "viewer": (4, 4)})
    seat(2, "T-02")
    t01 = next(t["tableId"] for t in host.get("/api/tables").get_json() if t["tableNumber"] == "T-01")
    assert host.patch(f"/api/tables/{t01}/status", json={"status": "available"}).status_code == 200
    assert seen(2) == (("host", "T-01"), {"host": (0, 2), "viewer": (6, 6)})


def test_a_host_cuts_and_skips_a_server_and_it_is_logged(host, viewer, app, floor_with_servers):
    """Cut: never next up and logged as server:cut; uncut brings them back; skip is logged as server:skipped."""
    response = host.post(f"/api/rotation/{floor_with_servers['viewer']}/cut")
    assert response.status_code == 200 and response.get_json()["cut"] is True
    body = viewer.get("/api/rotation?size=2").get_json()
    assert body["nextUp"]["name"] == "host"
    with app.app_context():
        event = db.session.scalars(db.select(Event).order_by(Event.id.desc())).first()
        assert (event.type, event.payload["userId"], event.payload["cut"]) == (
            "server:cut",
            floor_with_servers["viewer"],
            True,
        )
    assert host.post(f"/api/rotation/{floor_with_servers['viewer']}/skip").status_code == 409
    assert host.post(f"/api/rotation/{floor_with_servers['viewer']}/uncut").get_json()["cut"] is False
    skipped = host.post(f"/api/rotation/{floor_with_servers['host']}/skip").get_json()
    assert skipped["skipped"] is True
    assert viewer.get("/api/rotation?size=2").get_json()["nextUp"]["name"] == "viewer"


@pytest.mark.parametrize("action", ["cut", "uncut", "skip"])
def test_viewers_may_not_change_the_rotation(viewer, floor_with_servers, action):
    """Only hosts and managers cut and skip: 403 for a viewer."""
    response = viewer.post(f"/api/rotation/{floor_with_servers['host']}/{action}")
    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden"


def test_an_unknown_user_or_one_without_a_section_is_not_found(host, app, floor_with_servers):
    """404 names why: no such user, or nobody's section."""
    assert host.post("/api/rotation/99999/cut").status_code == 404
    response = host.post(f"/api/rotation/{user_id(app, 'manager')}/skip")
    assert response.status_code == 404
    assert "no section" in response.get_json()["message"]


@pytest.mark.parametrize("query", ["size=0", "size=100", "size=two", "floor=x"])
def test_bad_queries_are_refused_with_the_field_named(viewer, floor_with_servers, query):
    """A size outside 1-99 or a floor that is no number: 400 naming the parameter (queries are 400 here,
    as `GET /api/parties?state=sitting` is)."""
    response = viewer.get(f"/api/rotation?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.get_json()["fields"]


def test_the_rotation_is_in_the_api_documents(viewer):
    """/api/openapi.json has the rotation's paths; the AsyncAPI document has its events."""
    paths = viewer.get("/api/openapi.json").get_json()["paths"]
    assert {"/api/rotation", "/api/rotation/{user_id}/cut", "/api/rotation/{user_id}/skip"} <= set(paths)
    assert "server:cut" in viewer.get("/api/asyncapi.json").get_data(as_text=True)
