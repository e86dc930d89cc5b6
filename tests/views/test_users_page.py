"""The staff page: add staff, change access, reset passwords, deactivate; the last manager stays."""

import re

import pytest

from tests.conftest import PASSWORD, csrf_token, sign_in


@pytest.fixture
def post(manager):
    """POST a form as the manager with a valid CSRF token."""
    token = csrf_token(manager.client)
    return lambda url, **data: manager.client.post(url, data={"csrf_token": token, **data})


def user_id(app, username: str) -> int:
    """The account's id, read in a short app context (a long one would share `g` across requests)."""
    from app.services.users import find_user

    with app.app_context():
        return find_user(username).id


def test_manager_sees_every_account(manager):
    """Each account is listed with a form to change its access."""
    html = manager.get("/users").get_data(as_text=True)
    for username in ("manager", "host", "viewer", "floor2host", "floor2manager"):
        assert f'data-user-row="{username}"' in html


def test_add_staff_who_can_then_sign_in(app, post):
    """A new host signs in with the password the manager set."""
    response = post("/users", username="maria", password="long-enough-pw", role="host", floors="1,2")
    assert response.status_code == 302
    fresh = app.test_client()
    assert sign_in(fresh, "maria", "long-enough-pw").status_code == 302
    assert fresh.get("/tables?floor=3").status_code == 403


def test_add_staff_errors_are_shown_in_place(post):
    """A bad username, short password or taken name are shown beside the fields."""
    response = post("/users", username="a b", password="short", role="host", floors="")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="new-username-error">Use 2-80 letters', html)
    response = post("/users", username="host", password="long-enough-pw", role="host", floors="")
    assert response.status_code == 409
    assert 'id="new-username-error">Already taken.<' in response.get_data(as_text=True)
    response = post("/users", username="newbie", password="short", role="host", floors="")
    assert response.status_code == 422
    assert 'id="new-password-error">At least 8 characters.<' in response.get_data(as_text=True)


def test_change_role_and_floor_limit(app, manager, post):
    """A viewer becomes a host of floor 3 only."""
    response = post(f"/users/{user_id(app, 'viewer')}/access", role="host", floors="3")
    assert response.status_code == 302
    from app.services.users import find_user

    with app.app_context():
        viewer = find_user("viewer")
        assert (viewer.role, viewer.allowed_floors) == ("host", [3])
    response = post(f"/users/{user_id(app, 'viewer')}/access", role="host", floors="7")
    assert response.status_code == 422
    assert "Unknown floors: [7]." in response.get_data(as_text=True)


def test_reset_password(app, post):
    """After a reset the old password fails and the new one works."""
    assert post(f"/users/{user_id(app, 'host')}/password", password="brand-new-pass").status_code == 302
    assert sign_in(app.test_client(), "host", PASSWORD).status_code == 401
    assert sign_in(app.test_client(), "host", "brand-new-pass").status_code == 302
    assert post(f"/users/{user_id(app, 'host')}/password", password="short").status_code == 422


def test_deactivate_an_account(app, manager, post):
    """A deactivated host cannot sign in and is shown as deactivated."""
    assert post(f"/users/{user_id(app, 'host')}/deactivate").status_code == 302
    assert sign_in(app.test_client(), "host", PASSWORD).status_code == 401
    html = manager.get("/users").get_data(as_text=True)
    assert re.search(r'data-user-row="host">.*?Deactivated', html, re.S)


def test_the_last_active_manager_cannot_be_demoted_or_deactivated(app, manager, post):
    """With the other manager gone, demoting or deactivating the last one is refused in place."""
    assert post(f"/users/{user_id(app, 'floor2manager')}/deactivate").status_code == 302
    last = user_id(app, "manager")
    response = post(f"/users/{last}/access", role="host", floors="")
    assert response.status_code == 409
    assert "The last active manager cannot be demoted." in response.get_data(as_text=True)
    response = post(f"/users/{last}/deactivate")
    assert response.status_code == 409
    assert "The last active manager cannot be deactivated." in response.get_data(as_text=True)
    assert manager.get("/users").status_code == 200


def test_staff_page_is_for_managers_of_every_floor(host, viewer, as_staff):
    """Hosts, viewers and floor-limited managers (who could widen their own access) are refused."""
    for staff in (host, viewer, as_staff("floor2manager")):
        assert staff.get("/users").status_code == 403
        new_manager = {"username": "x1", "password": "long-enough-pw", "role": "manager"}
        assert staff.post("/users", data=new_manager).status_code == 403


def test_every_problem_of_new_staff_is_shown_at_once(post):
    """A bad username, a short password and an unknown floor are all shown after one submit."""
    response = post("/users", username="a b", password="short", role="host", floors=["7"])
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="new-username-error">Use 2-80 letters', html)
    assert 'id="new-password-error">At least 8 characters.<' in html
    assert "Unknown floors: [7]." in html


def test_floor_access_is_ticked_by_floor_name(app, manager, post):
    """Each floor is offered by its name; ticking Main room and Terrace limits a new host to floors 1 and 3."""
    html = manager.get("/users").get_data(as_text=True)
    add_form = html[html.index('action="/users"') :]
    ticks = re.findall(r'<input type="checkbox" name="floors" value="(\d)" >\s*([^<]+)</label>', add_form)
    assert ticks == [("1", "Main room"), ("2", "Mezzanine"), ("3", "Terrace")]
    response = post("/users", username="maria", password="long-enough-pw", role="host", floors=["1", "3"])
    assert response.status_code == 302
    from app.services.users import find_user

    with app.app_context():
        assert find_user("maria").allowed_floors == [1, 3]
    row = manager.get("/users").get_data(as_text=True).split('data-user-row="maria"')[1].split("</li>")[0]
    assert re.findall(r'value="(\d)" checked', row) == ["1", "3"]


def test_ticks_survive_a_refused_form(post):
    """When the form comes back with errors, the floors that were ticked are still ticked."""
    response = post("/users", username="maria", password="short", role="host", floors=["2"])
    assert response.status_code == 422
    add_form = response.get_data(as_text=True).split('action="/users"')[1]
    assert re.findall(r'value="(\d)" checked', add_form) == ["2"]
