"""Table numbers are unique ignoring case, and a table created without a position gets a free spot."""

import math

import pytest


def covered(table: dict) -> tuple[float, float, float, float]:
    """The upright box a table covers on the plan once turned (left, top, right, bottom)."""
    turn = math.radians(table["rotation"])
    half_w = (table["width"] * abs(math.cos(turn)) + table["height"] * abs(math.sin(turn))) / 2
    half_h = (table["width"] * abs(math.sin(turn)) + table["height"] * abs(math.cos(turn))) / 2
    x, y = table["x"] + table["width"] / 2, table["y"] + table["height"] / 2
    return x - half_w, y - half_h, x + half_w, y + half_h


def apart(a: dict, b: dict) -> bool:
    a_left, a_top, a_right, a_bottom = covered(a)
    b_left, b_top, b_right, b_bottom = covered(b)
    return a_right <= b_left or b_right <= a_left or a_bottom <= b_top or b_bottom <= a_top


def create(manager, **fields):
    return manager.post("/api/tables", json={"floor": 1, "capacity": 4, **fields})


def test_a_number_differing_only_in_case_is_refused_with_409(manager):
    """`t-01` beside `T-01` is a conflict that names the table already using it; nothing is created."""
    assert create(manager, tableNumber="T-01").status_code == 201
    response = create(manager, tableNumber="t-01")
    assert response.status_code == 409
    assert response.get_json() == {
        "error": "conflict",
        "message": "Table number t-01 is already used.",
        "fields": {"tableNumber": "t-01 is already used (as T-01)."},
    }
    assert [t["tableNumber"] for t in manager.get("/api/tables").get_json()] == ["T-01"]


def test_renaming_to_another_tables_number_in_other_case_is_refused(manager):
    """An edit cannot take `t-02` from T-02, but a table may change the case of its own number."""
    first = create(manager, tableNumber="T-01").get_json()
    create(manager, tableNumber="T-02")
    response = manager.patch(f"/api/tables/{first['tableId']}", json={"tableNumber": "t-02"})
    assert response.status_code == 409
    assert response.get_json()["fields"] == {"tableNumber": "t-02 is already used (as T-02)."}
    response = manager.patch(f"/api/tables/{first['tableId']}", json={"tableNumber": "t-01"})
    assert response.status_code == 200 and response.get_json()["tableNumber"] == "t-01"


def test_a_taken_number_and_other_bad_fields_come_back_together(manager):
    """One answer lists every problem: the taken number and the bad seat count, as 422."""
    create(manager, tableNumber="T-01")
    response = create(manager, tableNumber="t-01", capacity=80, floor=9)
    assert response.status_code == 422
    assert response.get_json()["fields"] == {
        "tableNumber": "t-01 is already used (as T-01).",
        "capacity": "Must be between 1 and 50.",
        "floor": "Floor 9 does not exist.",
    }


def test_tables_created_without_a_position_never_overlap(manager):
    """Twelve tables of mixed sizes, the first placed by hand, the rest placed by the server: no two overlap."""
    tables = [create(manager, tableNumber="T-00", x=40, y=40, width=120, height=90).get_json()]
    for number in range(1, 12):
        size = {"width": 60 + 15 * (number % 4), "height": 60 + 10 * (number % 3)}
        response = create(manager, tableNumber=f"T-{number:02d}", **size)
        assert response.status_code == 201
        tables.append(response.get_json())
    for index, table in enumerate(tables):
        for other in tables[index + 1 :]:
            assert apart(table, other), (table["tableNumber"], other["tableNumber"])
    inside = [t for t in tables if t["x"] + t["width"] <= 800 - 40 and t["y"] + t["height"] <= 480 - 40]
    assert len(inside) == len(tables)  # all of them fit the plan's area, which is not full yet


def test_a_turned_table_is_avoided_by_what_it_covers(manager):
    """A long table turned upright covers a column, not a row: the new table keeps clear of that column."""
    long = create(manager, tableNumber="L-01", x=0, y=40, width=300, height=40, rotation=90).get_json()
    new = create(manager, tableNumber="T-01", width=80, height=80).get_json()
    assert apart(long, new)
    assert (new["x"], new["y"]) != (40, 40)


def test_a_full_plan_puts_the_new_table_on_a_row_below(manager):
    """When the plan's area has no room, the table goes below everything, where the plan grows to show it."""
    create(manager, tableNumber="BIG", x=40, y=40, width=720, height=400)
    new = create(manager, tableNumber="T-01").get_json()
    assert new["x"] == 40 and new["y"] >= 440


@pytest.mark.parametrize("given", [{"x": 500}, {"y": 300}])
def test_a_coordinate_given_is_kept(manager, given):
    """With only x (or only y) given, the server keeps it and finds the other, clear of the table there."""
    there = create(manager, tableNumber="T-00", x=500, y=300, width=80, height=80).get_json()
    new = create(manager, tableNumber="T-01", **given).get_json()
    name, value = next(iter(given.items()))
    assert new[name] == value and apart(there, new)
