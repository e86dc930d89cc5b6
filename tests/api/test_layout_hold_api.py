"""The layout editor is held by one manager at a time (issue 28): a second editor is told who has it,
may take it over, and the editor that lost it can neither renew nor save."""

import pytest

from tests.conftest import StaffClient

FIRST, SECOND = "editor-aaaa-1111", "editor-bbbb-2222"


@pytest.fixture
def managers(either_app):
    """Two managers of floor 2, each with the layout editor open."""
    return StaffClient(either_app.test_client(), "manager"), StaffClient(either_app.test_client(), "floor2manager")


def hold(client, editor: str, **more):
    return client.post("/api/floors/2/layout/hold", json={"editor": editor, **more})


def save(client, editor: str | None, table_id: int):
    body = {"tables": [{"tableId": table_id, "x": 40, "y": 60}], **({"editor": editor} if editor else {})}
    return client.put("/api/floors/2/layout", json=body)


@pytest.fixture
def table_id(managers):
    created = managers[0].post("/api/tables", json={"tableNumber": "L-1", "floor": 2, "capacity": 4})
    return created.get_json()["tableId"]


def test_the_second_editor_is_told_who_has_the_floor(managers):
    first, second = managers
    granted = hold(first, FIRST)
    assert granted.status_code == 200
    assert granted.get_json()["heldBy"]["username"] == "manager" and granted.get_json()["seconds"] > 0
    refused = hold(second, SECOND)
    assert refused.status_code == 409
    body = refused.get_json()
    assert body["heldBy"]["username"] == "manager"
    assert body["message"] == "The layout of floor 2 is being edited by manager."
    assert hold(first, FIRST, renewal=True).status_code == 200  # renewing is no conflict


def test_taking_over_moves_the_hold_and_the_first_editor_can_no_longer_save(managers, table_id):
    first, second = managers
    assert hold(first, FIRST).status_code == 200
    taken = hold(second, SECOND, takeover=True)
    assert taken.status_code == 200 and taken.get_json()["heldBy"]["username"] == "floor2manager"

    renewal = hold(first, FIRST, renewal=True)
    assert renewal.status_code == 409 and renewal.get_json()["heldBy"]["username"] == "floor2manager"
    refused = save(first, FIRST, table_id)
    assert refused.status_code == 409 and "floor2manager" in refused.get_json()["message"]
    assert save(second, SECOND, table_id).status_code == 200


def test_a_closed_editor_frees_the_floor(managers):
    first, second = managers
    assert hold(first, FIRST).status_code == 200
    assert second.delete(f"/api/floors/2/layout/hold/{FIRST}").status_code == 204  # not theirs: nothing happens
    assert hold(second, SECOND).status_code == 409
    assert first.delete(f"/api/floors/2/layout/hold/{FIRST}").status_code == 204
    assert hold(second, SECOND).status_code == 200


def test_the_same_manager_opening_the_editor_again_moves_the_hold_and_the_first_page_is_told(managers):
    first, _ = managers
    assert hold(first, FIRST).status_code == 200
    assert hold(first, SECOND).status_code == 200  # another tab or device of the same manager
    renewal = hold(first, FIRST, renewal=True)
    assert renewal.status_code == 409
    assert renewal.get_json()["message"] == "The layout of floor 2 is being edited by you, in another tab or device."
    assert hold(first, SECOND, renewal=True).status_code == 200


def test_a_save_without_an_editor_id_works_while_nobody_holds_the_floor(managers, table_id):
    first, second = managers
    assert save(first, None, table_id).status_code == 200
    assert hold(second, SECOND).status_code == 200
    assert save(first, None, table_id).status_code == 409


def test_a_hold_not_renewed_ends(managers, either_app):
    first, second = managers
    either_app.config["LAYOUT_HOLD_SECONDS"] = 0.05
    assert hold(first, FIRST).status_code == 200
    import time

    time.sleep(0.1)
    assert hold(second, SECOND).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "editor"),
        ({"editor": "short"}, "editor"),
        ({"editor": "x" * 65}, "editor"),
        ({"editor": "bad id!!x"}, "editor"),
    ],
)
def test_bad_hold_requests_are_422_naming_the_field(managers, body, field):
    refused = managers[0].post("/api/floors/2/layout/hold", json=body)
    assert refused.status_code == 422 and field in refused.get_json()["fields"]


def test_floors_the_manager_may_not_see_or_that_do_not_exist(managers):
    _, limited = managers
    assert limited.post("/api/floors/1/layout/hold", json={"editor": SECOND}).status_code == 403
    assert managers[0].post("/api/floors/99/layout/hold", json={"editor": FIRST}).status_code == 404
