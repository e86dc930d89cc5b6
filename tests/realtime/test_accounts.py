"""What a socket's account says: one read of the staff list answers every account for a while."""

import pytest
from sqlalchemy import event, select

from app.models import User
from app.realtime import accounts


@pytest.fixture
def fresh_accounts(app):
    """No answers kept from another test's database (ids repeat between them)."""
    accounts._roster.kept.clear()
    accounts._accounts.kept.clear()
    yield
    accounts._roster.kept.clear()
    accounts._accounts.kept.clear()


@pytest.fixture
def selects(db):
    """The SELECT statements the database receives from here on."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def staff_ids(db) -> dict[str, int]:
    return {user.username: user.id for user in db.session.scalars(select(User))}


def test_every_screens_account_comes_from_one_read_of_the_staff_list(db, fresh_accounts, selects):
    """Screens of every member of staff reconnecting at once cost the database one query."""
    ids = staff_ids(db)
    selects.clear()
    found = {username: accounts.account(user_id) for username, user_id in ids.items()}
    assert len(selects) == 1
    assert {username: account.username for username, account in found.items()} == {name: name for name in ids}
    assert found["viewer"].role == "viewer" and found["viewer"].active


def test_someone_added_after_the_list_was_read_is_found_at_once(db, fresh_accounts):
    """A new member of staff signing in straight away is not refused for a second-old list."""
    assert accounts.account(staff_ids(db)["manager"]) is not None
    newcomer = User(username="newcomer", role="host", allowed_floors=[2])
    newcomer.set_password("correct-horse-battery")
    db.session.add(newcomer)
    db.session.commit()
    found = accounts.account(newcomer.id)
    assert found is not None and found.username == "newcomer" and found.allowed_floors == [2]
    assert found.may_see_floor(2) and not found.may_see_floor(1)


def test_a_change_made_in_this_process_is_seen_at_once(db, fresh_accounts):
    """Deactivating someone here is seen by their sockets' next check, not a few seconds later."""
    host_id = staff_ids(db)["host"]
    assert accounts.account(host_id).active
    db.session.get(User, host_id).active = False
    db.session.commit()
    accounts.forget(host_id)
    assert accounts.account(host_id).active is False


def test_a_staff_list_longer_than_the_roster_max_is_read_account_by_account(db, fresh_accounts, selects, monkeypatch):
    """A very large staff list is not read whole; each account is still right."""
    monkeypatch.setattr(accounts, "ROSTER_MAX", 2)
    ids = staff_ids(db)
    assert len(ids) > 2
    selects.clear()
    found = {username: accounts.account(user_id) for username, user_id in ids.items()}
    assert {username: account.username for username, account in found.items()} == {name: name for name in ids}
    assert len(selects) == 1 + len(ids)


def test_no_such_account_is_none(db, fresh_accounts):
    assert accounts.account(987654) is None


def test_a_handshake_by_session_cookie_reads_the_database_once(app, as_staff):
    """The sign-in is read with its user in one query: keeping sign-ins costs a handshake no extra read."""
    from app.extensions import db as database
    from app.extensions import socketio

    browser = as_staff("host")
    with app.app_context():
        engine = database.engine
    seen: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        socket = socketio.test_client(app, flask_test_client=browser.client)
        assert socket.is_connected()
        assert socket.get_received()[0]["name"] == "tables:connected"
        socket.disconnect()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(seen) == 1 and "sign_ins" in seen[0], seen
