"""When the rate-limit store (Redis) is unreachable, staff can still change tables."""

import pytest

from app.extensions import db
from app.models import Floor, User
from tests.conftest import PASSWORD, app_on_copy


@pytest.fixture
def app_without_limit_store(tmp_path, migrated_template):
    """An app whose rate limits live in a Redis that does not answer."""
    app = app_on_copy(tmp_path, migrated_template, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    with app.app_context():
        db.session.add(Floor(number=1, name="Main", sort_order=1))
        user = User(username="host", role="host")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
    return app


def test_status_change_succeeds_while_the_limit_store_is_down(app_without_limit_store):
    """A host's change is saved (200), not refused with a 500, while Redis is away."""
    from app.services.tables import create_table

    app = app_without_limit_store
    with app.app_context():
        table = create_table({"table_number": "T-1", "floor": 1, "capacity": 2}, by="test")
        table_id = table.id
    client = app.test_client()
    token = client.post("/api/auth/token", json={"username": "host", "password": PASSWORD}).get_json()["token"]
    response = client.patch(
        f"/api/tables/{table_id}/status", json={"status": "occupied"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    assert response.get_json()["status"] == "occupied"
