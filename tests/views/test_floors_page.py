"""The floors page: add, rename, reorder and delete an empty floor."""

import re

import pytest

from tests.conftest import csrf_token


@pytest.fixture
def post(manager):
    """POST a form as the manager with a valid CSRF token."""
    token = csrf_token(manager.client)
    return lambda url, **data: manager.client.post(url, data={"csrf_token": token, **data})


def floor_order(manager) -> list[int]:
    html = manager.get("/floors").get_data(as_text=True)
    return [int(n) for n in re.findall(r'data-floor-row="(\d+)"', html)]


def test_manager_sees_floors_with_table_counts(manager, make_table):
    """Each floor is listed in order with how many tables it has."""
    make_table(floor=2)
    html = manager.get("/floors").get_data(as_text=True)
    assert floor_order(manager) == [1, 2, 3]
    assert "1 table ·" in html and "0 tables ·" in html


def test_add_a_floor(manager, post):
    """A new floor goes to the end of the order."""
    response = post("/floors", number="4", name="Garden room")
    assert response.status_code == 302
    assert floor_order(manager) == [1, 2, 3, 4]
    assert "Garden room" in manager.get("/floors").get_data(as_text=True)


def test_add_floor_errors_are_shown_in_place(manager, post):
    """A taken number is 409 and a missing name 422, each beside its field."""
    response = post("/floors", number="2", name="Again")
    assert response.status_code == 409
    assert "Floor 2 already exists." in response.get_data(as_text=True)
    response = post("/floors", number="5", name="")
    assert response.status_code == 422
    assert re.search(r'id="new-name-error">A floor needs a name.<', response.get_data(as_text=True))
    assert floor_order(manager) == [1, 2, 3]


def test_rename_a_floor(manager, post):
    """Renaming changes the name the floor switcher shows."""
    assert post("/floors/2/rename", name="Upstairs").status_code == 302
    assert re.search(r'data-floor="2"\s*>Upstairs<', manager.get("/tables").get_data(as_text=True))
    assert post("/floors/2/rename", name=" ").status_code == 422


def test_reorder_floors(manager, post):
    """Moving a floor up swaps it with the one before."""
    post("/floors/3/move", direction="up")
    assert floor_order(manager) == [1, 3, 2]
    post("/floors/1/move", direction="down")
    assert floor_order(manager) == [3, 1, 2]
    html = manager.get("/tables").get_data(as_text=True)
    assert [int(n) for n in re.findall(r'class="floor-tab"[^>]*data-floor="(\d+)"', html)] == [3, 1, 2]


def test_delete_only_an_empty_floor(manager, post, make_table):
    """An empty floor can go; one with tables stays, with the reason shown."""
    make_table(floor=1)
    assert post("/floors/3/delete").status_code == 302
    response = post("/floors/1/delete")
    assert response.status_code == 409
    assert "still has tables" in response.get_data(as_text=True)
    assert floor_order(manager) == [1, 2]


def test_a_deleted_floors_number_is_not_given_to_a_new_floor(manager, post):
    """Floor 3 deleted, "add floor 3" is refused with the reason: a number names one floor for ever."""
    assert post("/floors/3/delete").status_code == 302
    response = post("/floors", number="3", name="Winter garden")
    assert response.status_code == 409
    assert "Floor 3 (Terrace) was deleted, and a floor number is never given to another floor." in response.get_data(
        as_text=True
    )
    assert floor_order(manager) == [1, 2]
    assert post("/floors", number="4", name="Winter garden").status_code == 302
    assert floor_order(manager) == [1, 2, 4]


def test_floors_page_is_for_managers_of_every_floor(host, viewer, as_staff):
    """Hosts, viewers and floor-limited managers are refused."""
    for staff in (host, viewer, as_staff("floor2manager")):
        assert staff.get("/floors").status_code == 403
        assert staff.post("/floors", data={"number": "9", "name": "X"}).status_code == 403


def test_a_taken_number_and_a_missing_name_are_shown_together(post):
    """Both of the new floor's problems are shown after one submit."""
    response = post("/floors", number="2", name="")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="new-number-error">Floor 2 already exists.<', html)
    assert re.search(r'id="new-name-error">A floor needs a name.<', html)


def test_floors_are_numbered_by_their_place_in_the_order(manager, post):
    """After a reorder the page reads 1, 2, 3 down the list, each floor keeping its own number beside it."""
    post("/floors/3/move", direction="up")
    html = manager.get("/floors").get_data(as_text=True)
    assert re.findall(r'class="floor-number"[^>]*>(\d+)<', html) == ["1", "2", "3"]
    assert re.findall(r"Floor number (\d+) ·", html) == ["1", "3", "2"]
