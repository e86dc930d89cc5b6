"""The list of every table: filters, sorting and counts, for each role."""

import re

from tests.views.test_floor_plan import initial_state


def rows(html: str) -> list[str]:
    """Table numbers in the order the list shows them."""
    return re.findall(r'<tr class="row[^"]*" data-table-id="\d+"[^>]*>.*?data-open-table>([^<]+)<', html, re.S)


def test_list_shows_every_table_of_every_floor(viewer, make_table):
    """All floors' tables are listed, each with data-table-id and data-status."""
    numbers = {make_table(floor=floor)["tableNumber"] for floor in (1, 2, 3)}
    html = viewer.get("/tables?view=list").get_data(as_text=True)
    assert set(rows(html)) == numbers
    assert html.count('data-status="available"') == 3
    assert initial_state(html)["view"] == "list"


def test_list_filters_by_floor_and_status(viewer, host, make_table):
    """Query parameters filter the rows; the counts cover the chosen floor."""
    first = make_table(floor=1)
    second = make_table(floor=1)
    make_table(floor=2)
    host.patch(f"/api/tables/{first['tableId']}/status", json={"status": "occupied"})
    html = viewer.get("/tables?view=list&floor=1&status=occupied").get_data(as_text=True)
    assert rows(html) == [first["tableNumber"]]
    assert re.search(r'data-count="occupied".*?data-count-value>1<', html, re.S)
    assert re.search(r'data-count="available".*?data-count-value>1<', html, re.S)
    html = viewer.get("/tables?view=list&floor=1").get_data(as_text=True)
    assert sorted(rows(html)) == sorted([first["tableNumber"], second["tableNumber"]])


def test_list_sorts_by_seats_both_ways(viewer, make_table):
    """Sorting by capacity puts the biggest table first when descending."""
    small = make_table(capacity=2)["tableNumber"]
    large = make_table(capacity=8)["tableNumber"]
    medium = make_table(capacity=4)["tableNumber"]
    assert rows(viewer.get("/tables?view=list&sort=capacity").get_data(as_text=True)) == [small, medium, large]
    html = viewer.get("/tables?view=list&sort=capacity&order=desc").get_data(as_text=True)
    assert rows(html) == [large, medium, small]
    assert re.search(r'aria-sort="descending">\s*<a class="sort-link" data-sort="capacity"', html)


def test_list_refuses_an_unknown_status(viewer):
    """A status outside the four is a 400, not an empty list."""
    assert viewer.get("/tables?view=list&status=dirty").status_code == 400


def test_floor_limited_user_lists_only_their_floors(as_staff, make_table):
    """A host limited to floor 2 lists floor 2 only and may not filter to floor 1."""
    make_table(floor=1)
    mine = make_table(floor=2)
    host = as_staff("floor2host")
    html = host.get("/tables?view=list").get_data(as_text=True)
    assert rows(html) == [mine["tableNumber"]]
    assert initial_state(html)["me"]["floors"] == [2]
    assert host.get("/tables?view=list&floor=1").status_code == 403


def test_hosts_get_bulk_selection_and_viewers_do_not(host, viewer, make_table):
    """Bulk status changes are offered to hosts only."""
    make_table()
    assert "data-bulk-status" in host.get("/tables?view=list").get_data(as_text=True)
    html = viewer.get("/tables?view=list").get_data(as_text=True)
    assert "data-bulk-status" not in html and "data-set-status" not in html
