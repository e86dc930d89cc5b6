"""Preparing and inspecting a live server's database from the test process itself.

One in-process app migrates, adds floors and staff in well under a second, where five
`flask users create` processes took about eight.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask_migrate import upgrade

from app import create_app
from app.config import TestConfig


def app_for(database_url: str, **settings: object) -> Flask:
    """An app bound to a live server's database, for calling services directly."""

    class LiveDatabaseConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        # Staff get the production hash, as `flask users create` would give them.
        PASSWORD_HASH_FAST = False

    for name, value in settings.items():
        setattr(LiveDatabaseConfig, name, value)
    return create_app(LiveDatabaseConfig)


@contextmanager
def app_context(database_url: str, **settings: object) -> Iterator[Flask]:
    """An app context on the live database, releasing its connections afterwards."""
    from app.extensions import db

    app = app_for(database_url, **settings)
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def migrate_and_seed(database_url: str, floors: tuple[int, ...], staff: tuple, password: str) -> None:
    """Run the migrations, then add the floors and staff through the services."""
    from app.extensions import db
    from app.models import Floor
    from app.services.users import create_user

    with app_context(database_url):
        upgrade()
        for number in floors:
            db.session.add(Floor(number=number, name=f"Floor {number}", sort_order=number))
        db.session.commit()
        for username, role, limit in staff:
            create_user(username, password, role, limit or "")


def add_staff(database_url: str, usernames: list[str], role: str, password: str, floors: str = "") -> None:
    """Add more staff of one role (e.g. ten hosts for a burst from ten people), limited to `floors` if given."""
    from app.services.users import create_user

    with app_context(database_url, PASSWORD_HASH_FAST=True):
        for username in usernames:
            create_user(username, password, role, floors)


def last_changed_long_ago(database_url: str, table_id: int, hours: float = 1) -> None:
    """Date a table's last change `hours` back, so that a change tapped offline minutes ago comes after it."""
    from datetime import UTC, datetime, timedelta

    from app.extensions import db
    from app.models import Table

    with app_context(database_url):
        row = db.session.get(Table, table_id)
        row.updated_at = row.status_changed_at = datetime.now(UTC) - timedelta(hours=hours)
        db.session.commit()
