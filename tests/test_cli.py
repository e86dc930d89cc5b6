"""The operator's commands: staff accounts, demo data and the reservation worker."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, text

from tests.support.live_server import base_env, flask_cli


def migrated(tmp_path) -> dict:
    env = base_env(f"sqlite:///{tmp_path / 'cli.db'}")
    assert flask_cli(env, "db", "upgrade").returncode == 0
    return env


def rows(env: dict, sql: str) -> list:
    engine = create_engine(env["DATABASE_URL"])
    with engine.connect() as connection:
        result = connection.execute(text(sql)).all()
    engine.dispose()
    return result


def test_seed_demo_and_user_commands(tmp_path):
    """seed-demo makes 3 floors, ~30 tables and a user per role; users create/deactivate work."""
    env = migrated(tmp_path)
    seeded = flask_cli(env, "seed-demo")
    assert seeded.returncode == 0 and "manager" in seeded.stdout
    assert rows(env, "SELECT count(*) FROM floors")[0][0] == 3
    assert 25 <= rows(env, "SELECT count(*) FROM tables")[0][0] <= 35
    assert sorted(r[0] for r in rows(env, "SELECT role FROM users")) == ["host", "host", "host", "manager", "viewer"]
    again = flask_cli(env, "seed-demo", "--if-empty")
    assert again.returncode == 0 and rows(env, "SELECT count(*) FROM floors")[0][0] == 3

    made = flask_cli(env, "users", "create", "sam", "--role", "host", "--password", "long-enough-pw", "--floors", "1,2")
    assert made.returncode == 0, made.stderr
    assert rows(env, "SELECT role, allowed_floors FROM users WHERE username='sam'")[0] == ("host", "[1, 2]")
    assert flask_cli(env, "users", "deactivate", "sam").returncode == 0
    assert rows(env, "SELECT active FROM users WHERE username='sam'")[0][0] in (0, False)


def test_users_create_prompts_twice_for_the_password(tmp_path):
    """Without --password the command asks twice and stores the account."""
    env = migrated(tmp_path)
    result = flask_cli(env, "users", "create", "ana", "--role", "viewer", input_text="secret-pass-1\nsecret-pass-1\n")
    assert result.returncode == 0, result.stderr
    assert rows(env, "SELECT username FROM users")[0][0] == "ana"


def test_users_create_refuses_bad_input(tmp_path):
    """A short password, a duplicate name or an unknown floor is refused with a message."""
    env = migrated(tmp_path)
    short = flask_cli(env, "users", "create", "ana", "--role", "viewer", "--password", "short")
    assert short.returncode != 0 and "password" in short.stderr
    assert flask_cli(env, "users", "create", "ana", "--role", "viewer", "--password", "long-enough").returncode == 0
    again = flask_cli(env, "users", "create", "ana", "--role", "viewer", "--password", "long-enough")
    assert again.returncode != 0 and "already exists" in again.stderr
    floors = flask_cli(env, "users", "create", "bo", "--role", "host", "--password", "long-enough", "--floors", "7")
    assert floors.returncode != 0 and "Unknown floors" in floors.stderr


def test_seed_demo_refuses_production(tmp_path):
    """seed-demo will not run with TABLESIDE_ENV=production."""
    env = migrated(tmp_path)
    result = flask_cli({**env, "TABLESIDE_ENV": "production"}, "seed-demo")
    assert result.returncode != 0 and "production" in result.stderr


def test_seed_demo_shows_an_evening_in_service(tmp_path):
    """The demo has parties seated with covers, one past its floor's turn time, a hold, assigned sections,
    every seated table with its party, and a line at the door."""
    env = migrated(tmp_path)
    assert flask_cli(env, "seed-demo").returncode == 0
    seated = rows(
        env,
        "SELECT t.table_number, t.covers, f.turn_minutes, t.status_changed_at FROM tables t"
        " JOIN floors f ON f.number = t.floor WHERE t.status = 'occupied' ORDER BY t.table_number",
    )
    assert len(seated) >= 5 and all(covers for _, covers, _, _ in seated)
    now = datetime.now(UTC).replace(tzinfo=None)
    overdue = [number for number, _, turn, at in seated if now - _naive(at) > timedelta(minutes=turn)]
    assert "T-03" in overdue and len(overdue) < len(seated)
    holds = rows(env, "SELECT reserved_until FROM tables WHERE status = 'reserved' AND reserved_until IS NOT NULL")
    assert any(timedelta(0) < _naive(until) - now < timedelta(hours=1) for (until,) in holds)
    assigned = rows(
        env, "SELECT s.name, u.username FROM sections s JOIN users u ON u.id = s.assignee_id ORDER BY s.floor, s.name"
    )
    assert ("Window", "host") in assigned and len(assigned) >= 3
    parties = rows(env, "SELECT p.size, t.covers FROM tables t JOIN parties p ON p.id = t.party_id")
    assert len(parties) == len(seated) and all(size == covers for size, covers in parties)
    line = rows(env, "SELECT state FROM parties WHERE state IN ('waiting', 'notified') ORDER BY joined_at, id")
    assert [state for (state,) in line] == ["notified", "waiting", "waiting"]


def _naive(value) -> datetime:
    """A stored timestamp (SQLite gives text) as naive UTC."""
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def test_reservations_run_once_releases_expired_holds(tmp_path):
    """`flask reservations run --once` releases a passed hold as system."""
    env = migrated(tmp_path)
    flask_cli(env, "seed-demo")
    engine = create_engine(env["DATABASE_URL"])
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE tables SET status='reserved', reserved_until='2020-01-01 00:00:00.000000' WHERE id=1")
        )
    engine.dispose()
    result = flask_cli(env, "reservations", "run", "--once")
    assert result.returncode == 0 and "Released 1" in result.stdout
    assert rows(env, "SELECT status FROM tables WHERE id=1")[0][0] == "available"
    assert rows(env, "SELECT actor FROM events ORDER BY id DESC LIMIT 1")[0][0] == "system"
