"""A user limited to some floors can neither read nor change the others."""


def test_limited_host_sees_only_their_floor(as_staff, make_table):
    """Listing tables and floors shows only floor 2 to a floor-2 host."""
    make_table(floor=1)
    mine = make_table(floor=2)
    staff = as_staff("floor2host")
    assert [t["tableId"] for t in staff.get("/api/tables").get_json()] == [mine["tableId"]]
    assert [f["floor"] for f in staff.get("/api/floors").get_json()] == [2]


def test_limited_host_is_refused_other_floors(as_staff, make_table):
    """Reading or changing a floor-1 table is 403 for a floor-2 host, and nothing changes."""
    other = make_table(floor=1)
    staff = as_staff("floor2host")
    assert staff.get("/api/tables?floor=1").status_code == 403
    assert staff.get(f"/api/tables/{other['tableId']}").status_code == 403
    assert staff.patch(f"/api/tables/{other['tableId']}/status", json={"status": "occupied"}).status_code == 403
    assert staff.get("/api/events?floor=1").status_code == 403


def test_limited_manager_cannot_create_or_move_tables_off_their_floors(as_staff, make_table):
    """A floor-2 manager may not create on floor 1 or move a table there."""
    staff = as_staff("floor2manager")
    assert staff.post("/api/tables", json={"tableNumber": "X-1", "floor": 1, "capacity": 2}).status_code == 403
    mine = make_table(floor=2)
    assert staff.patch(f"/api/tables/{mine['tableId']}", json={"floor": 1}).status_code == 403
    assert staff.get(f"/api/tables/{mine['tableId']}").get_json()["floor"] == 2
    assert staff.put("/api/floors/1/layout", json={"tables": []}).status_code == 403


def test_limited_user_events_cover_only_their_floors(as_staff, make_table):
    """The event log over HTTP leaves out other floors' events."""
    make_table(floor=1)
    mine = make_table(floor=2)
    events = as_staff("floor2host").get("/api/events?after=0").get_json()["events"]
    assert [e["data"]["tableId"] for e in events] == [mine["tableId"]]
