"""Saving a floor's layout in one transaction, and reading the event log."""

from sqlalchemy import func, select

from app.models import Event


def event_count(app) -> int:
    with app.app_context():
        from app.extensions import db

        return db.session.scalar(select(func.count(Event.id)))


def test_layout_save_moves_tables_and_logs_one_update_each(app, manager, make_table):
    """Two moved tables come back moved, with one table:updated event each."""
    a, b = make_table(floor=1), make_table(floor=1)
    before = event_count(app)
    response = manager.put(
        "/api/floors/1/layout",
        json={"tables": [{"tableId": a["tableId"], "x": 100, "y": 200, "rotation": 45},
                         {"tableId": b["tableId"], "x": 300, "y": 50, "width": 120, "height": 90}]},
    )  # fmt: skip
    assert response.status_code == 200
    moved = {t["tableId"]: t for t in response.get_json()}
    assert (moved[a["tableId"]]["x"], moved[a["tableId"]]["y"], moved[a["tableId"]]["rotation"]) == (100, 200, 45)
    assert (moved[b["tableId"]]["width"], moved[b["tableId"]]["height"]) == (120, 90)
    assert event_count(app) == before + 2


def test_layout_save_is_all_or_nothing(app, manager, make_table):
    """One bad item (a table of another floor) rejects the whole save and moves nothing."""
    here, elsewhere = make_table(floor=1), make_table(floor=2)
    before = event_count(app)
    response = manager.put(
        "/api/floors/1/layout",
        json={"tables": [{"tableId": here["tableId"], "x": 500, "y": 500},
                         {"tableId": elsewhere["tableId"], "x": 10, "y": 10}]},
    )  # fmt: skip
    assert response.status_code == 422
    assert manager.get(f"/api/tables/{here['tableId']}").get_json()["x"] == here["x"]
    assert event_count(app) == before


def test_layout_save_validates_every_item(manager, make_table):
    """Missing coordinates, unknown keys and out-of-range numbers are named per item."""
    a = make_table(floor=1)
    response = manager.put(
        "/api/floors/1/layout",
        json={"tables": [{"tableId": a["tableId"], "x": -1, "y": 5}, {"tableId": a["tableId"], "x": 1, "y": 1},
                         {"x": 1, "y": 1}, {"tableId": 5, "x": 1}]},
    )  # fmt: skip
    assert response.status_code == 422
    fields = response.get_json()["fields"]
    assert {"tables.0.x", "tables.1", "tables.2", "tables.3"} <= set(fields)


def test_layout_for_unknown_floor_is_404(manager):
    """Saving a layout for a floor that does not exist is a 404."""
    assert manager.put("/api/floors/9/layout", json={"tables": []}).status_code == 404


def test_events_after_an_id_come_oldest_first(viewer, make_table):
    """GET /api/events?after=N returns later events in order with the newest id."""
    tables = [make_table(floor=1) for _ in range(3)]
    body = viewer.get("/api/events?after=1").get_json()
    assert [e["data"]["tableId"] for e in body["events"]] == [t["tableId"] for t in tables[1:]]
    assert body["lastEventId"] == body["events"][-1]["eventId"]
    assert all(e["event"] == "table:created" for e in body["events"])


def test_events_filtered_by_floor(viewer, make_table):
    """?floor=N keeps only that floor's events."""
    make_table(floor=1)
    upstairs = make_table(floor=2)
    body = viewer.get("/api/events?after=0&floor=2").get_json()
    assert [e["data"]["tableId"] for e in body["events"]] == [upstairs["tableId"]]


def test_events_with_bad_after_is_400(viewer):
    """A non-numeric `after` is a 400."""
    assert viewer.get("/api/events?after=abc").status_code == 400


def test_floors_list_counts_tables(viewer, make_table):
    """GET /api/floors gives each floor's name and table count."""
    make_table(floor=1)
    make_table(floor=1)
    floors = viewer.get("/api/floors").get_json()
    assert floors[0] == {"floor": 1, "name": "Main room", "turnMinutes": 90, "tableCount": 2}
