"""Setting a floor's turn time on the floors page."""

import re

from tests.conftest import csrf_token


def post_turn_time(manager, floor: int, minutes: str):
    """Submit the floor's turn-time form as the manager."""
    data = {"csrf_token": csrf_token(manager.client), "turn_minutes": minutes}
    return manager.client.post(f"/floors/{floor}/turn-time", data=data)


def turn_times_shown(manager) -> list[tuple[str, str]]:
    """(floor, minutes) as the floors page's turn-time fields hold them."""
    html = manager.get("/floors").get_data(as_text=True)
    return re.findall(r'id="turn-(\d+)" name="turn_minutes"[^>]*\s+value="(\d+)"', html)


def test_each_floor_shows_its_turn_time_in_a_form(manager):
    """Every floor row has a turn-time field holding 90 minutes by default."""
    assert turn_times_shown(manager) == [("1", "90"), ("2", "90"), ("3", "90")]


def test_a_manager_sets_a_turn_time_and_the_api_shows_it(manager, viewer):
    """75 minutes for floor 1 redirects back, shows in the form and in GET /api/floors."""
    response = post_turn_time(manager, 1, "75")
    assert response.status_code == 302
    assert turn_times_shown(manager)[0] == ("1", "75")
    assert {f["floor"]: f["turnMinutes"] for f in viewer.get("/api/floors").get_json()}[1] == 75


def test_a_bad_turn_time_is_explained_beside_its_field(manager, viewer):
    """Four minutes is refused with a 422 page naming the range, and nothing changes."""
    response = post_turn_time(manager, 2, "4")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="turn-error-2"' in html and "between 5 and 600" in html
    assert post_turn_time(manager, 2, "ninety").status_code == 422
    assert {f["floor"]: f["turnMinutes"] for f in viewer.get("/api/floors").get_json()}[2] == 90


def test_hosts_cannot_set_turn_times(host):
    """The form's route is a manager's."""
    data = {"csrf_token": csrf_token(host.client), "turn_minutes": "60"}
    assert host.client.post("/floors/1/turn-time", data=data).status_code == 403
