"""Shared fixtures: an app on a fresh migrated database, staff of every role, clients."""

import shutil
from pathlib import Path

import pytest
from flask_migrate import upgrade

from app import create_app
from app.config import TestConfig
from app.extensions import db as _db
from app.models import Floor, User
from app.realtime import connections
from tests.support import asyncapi
from tests.support.browser import browser  # noqa: F401 - the one Chromium every browser test shares

PASSWORD = "correct-horse-battery"
STAFF = {
    "manager": ("manager", None),
    "host": ("host", None),
    "viewer": ("viewer", None),
    "floor2host": ("host", [2]),
    "floor2manager": ("manager", [2]),
}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a test whose clients received an event or acknowledgement /api/asyncapi.json does not allow."""
    __tracebackhide__ = True
    asyncapi.FINDINGS.take()  # what arrived between tests belongs to none
    try:
        return (yield)
    finally:
        asyncapi.fail_on_drift("during the test")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """The same for what arrives while the test's clients and servers are closed."""
    __tracebackhide__ = True
    try:
        return (yield)
    finally:
        asyncapi.fail_on_drift("while the test was torn down")


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """A SQLite file migrated once through Alembic; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "tableside.db"

    class TemplateConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"

    app = create_app(TemplateConfig)
    with app.app_context():
        upgrade()
        _db.engine.dispose()
    return path


def app_on_copy(directory: Path, template: Path, **settings):
    """An app on a fresh copy of the migrated template database, with config overrides."""
    path = directory / "tableside.db"
    shutil.copy(template, path)
    config = type("Config", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", **settings})
    return create_app(config)


@pytest.fixture
def app(tmp_path, migrated_template):
    """The app on its own copy of the migrated database, with floors 1-3 and staff."""
    app = app_on_copy(tmp_path, migrated_template)
    with app.app_context():
        for number, name in ((1, "Main room"), (2, "Mezzanine"), (3, "Terrace")):
            _db.session.add(Floor(number=number, name=name, sort_order=number))
        for username, (role, floors) in STAFF.items():
            user = User(username=username, role=role, allowed_floors=floors)
            user.set_password(PASSWORD)
            _db.session.add(user)
        _db.session.commit()
    yield app
    connections._connections.clear()
    connections._per_user.clear()
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def either_app(request):
    """The app with floors 1-3 and the standard staff: on SQLite, then on PostgreSQL at TEST_DATABASE_URL."""
    if request.param == "sqlite":
        yield request.getfixturevalue("app")
        return
    from tests.support.backing_services import postgres_url
    from tests.support.database import app_for
    from tests.support.live_server import prepare_database

    url = postgres_url()
    prepare_database(url)
    application = app_for(url, PASSWORD_HASH_FAST=True)
    yield application
    with application.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    """The database session inside an app context."""
    with app.app_context():
        yield _db


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(client) -> str:
    """A CSRF token bound to this client's session."""
    return client.get("/api/auth/csrf").get_json()["csrfToken"]


def sign_in(client, username: str, password: str = PASSWORD):
    """Sign in through the login form, as a person would."""
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_token(client)})


class StaffClient:
    """A test client signed in as one member of staff, sending the CSRF header on writes."""

    def __init__(self, client, username: str) -> None:
        self.client = client
        self.username = username
        response = sign_in(client, username)
        assert response.status_code == 302, response.get_data(as_text=True)
        self.token = csrf_token(client)

    def __getattr__(self, name):
        method = getattr(self.client, name)
        if name in ("post", "put", "patch", "delete"):

            def with_csrf(*args, headers=None, **kwargs):
                return method(*args, headers={"X-CSRFToken": self.token, **(headers or {})}, **kwargs)

            return with_csrf
        return method


@pytest.fixture
def as_staff(app):
    """Factory: a signed-in client for a username from STAFF."""
    return lambda username: StaffClient(app.test_client(), username)


@pytest.fixture
def manager(as_staff):
    return as_staff("manager")


@pytest.fixture
def host(as_staff):
    return as_staff("host")


@pytest.fixture
def viewer(as_staff):
    return as_staff("viewer")


@pytest.fixture
def bearer(client):
    """Factory: Authorization headers carrying a fresh token for a username."""

    def headers(username: str) -> dict:
        response = client.post("/api/auth/token", json={"username": username, "password": PASSWORD})
        assert response.status_code == 200
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    return headers


@pytest.fixture
def make_table(app):
    """Factory: create a table through the service layer and return its JSON."""
    from app.services.tables import create_table
    from app.shapes.tables import Table

    counter = {"n": 0}

    def make(floor: int = 1, **fields) -> dict:
        counter["n"] += 1
        values = {"table_number": f"T-{counter['n']:02d}", "floor": floor, "capacity": 4, **fields}
        with app.app_context():
            return Table.of(create_table(values, by="fixture")).wire()

    return make
