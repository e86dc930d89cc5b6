"""A table's history with a large event log: 1,000,000 rows on PostgreSQL, p50/p95 of the read.

Drops and migrates the database at the URL (default TEST_DATABASE_URL), adds 2,000 tables on
three floors and fills the log with status changes spread over 30 days across them, then
times the history read 200 times for random tables: through the service function alone, and
through `GET /api/tables/<id>/history` in-process (sign-in check, floor check, JSON). Prints
the EXPLAIN of the query so the index it uses shows.

    .venv/bin/python bench/history.py
    .venv/bin/python bench/history.py postgresql://postgres@127.0.0.1:5432/bench --rows 1000000
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, select, text  # noqa: E402

FILL = """
INSERT INTO events (type, table_id, floor, old_floor, payload, actor, created_at)
SELECT 'table:status_changed', t, 1 + t % 3, NULL,
       json_build_object('tableId', t, 'tableNumber', 'B-' || t, 'floor', 1 + t % 3,
                         'oldStatus', 'available', 'newStatus', 'occupied', 'covers', 1 + n % 8,
                         'updatedBy', 'host' || (n % 12), 'updatedAt', '2026-12-01T19:00:00.000Z'),
       'host' || (n % 12),
       now() - make_interval(secs => (:rows - n) * (30 * 86400.0 / :rows))
FROM (SELECT n, 1 + floor(random() * :tables)::int AS t FROM generate_series(1, :rows) AS n) AS picks
"""


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def prepare(url: str, rows: int, tables: int, reuse: bool):
    """A migrated database with floors, tables, a manager and `rows` logged events; returns the app."""
    from flask_migrate import upgrade

    from app import create_app
    from app.config import TestConfig
    from app.extensions import db
    from app.models import Floor, User

    app = create_app(type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False}))
    if reuse:
        with app.app_context():
            count = db.session.scalar(text("SELECT count(*) FROM events"))
            print(f"reusing {count:,} log rows", flush=True)
        return app
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    with app.app_context():
        upgrade()
        for number in (1, 2, 3):
            db.session.add(Floor(number=number, name=f"Floor {number}", sort_order=number))
        manager = User(username="bench", role="manager")
        manager.set_password("bench-password-long-enough")
        db.session.add(manager)
        db.session.commit()
        db.session.execute(
            text(
                "INSERT INTO tables (table_number, floor, capacity, status, shape, x, y, width, height, rotation,"
                " status_changed_at, version, created_at, updated_at)"
                " SELECT 'B-' || t, 1 + t % 3, 4, 'available', 'rect', 0, 0, 80, 80, 0, now(), 1, now(), now()"
                " FROM generate_series(1, :tables) AS t"
            ),
            {"tables": tables},
        )
        started = time.perf_counter()
        db.session.execute(text(FILL), {"rows": rows, "tables": tables})
        db.session.commit()
        filled = time.perf_counter() - started
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        count = db.session.scalar(text("SELECT count(*) FROM events"))
        print(f"filled {count:,} log rows over {tables:,} tables in {filled:.1f} s", flush=True)
    return app


def timed(call, ids: list[int]) -> list[float]:
    """Milliseconds per call, one call per table id."""
    spent = []
    for table_id in ids:
        started = time.perf_counter()
        call(table_id)
        spent.append((time.perf_counter() - started) * 1000)
    return spent


def history_sql(db, table_id: int) -> str:
    """The SQL the history read sends for one table, with its values in place."""
    from app.models import Event

    query = select(Event).where(Event.table_id == table_id).order_by(Event.id.desc()).limit(50)
    return str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))


def server_time(db, table_id: int) -> float:
    """Milliseconds PostgreSQL itself spends on one table's history."""
    plan = db.session.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {history_sql(db, table_id)}")).scalar_one()
    return plan[0]["Execution Time"]


def report(name: str, spent: list[float]) -> None:
    print(
        f"{name}: {len(spent)} requests, p50 {percentile(spent, 0.5):.2f} ms, p95 {percentile(spent, 0.95):.2f} ms,"
        f" max {max(spent):.2f} ms",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--tables", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="time the rows a previous run left; no refill")
    args = parser.parse_args()
    if not args.url or not args.url.startswith("postgresql"):
        parser.error("give a postgresql:// URL or set TEST_DATABASE_URL")

    from app.extensions import db
    from app.services.history import table_history

    app = prepare(args.url, args.rows, args.tables, args.reuse)
    print(f"load average before timing: {Path('/proc/loadavg').read_text().split()[:3]}", flush=True)
    picker = random.Random(12)
    ids = [picker.randint(1, args.tables) for _ in range(args.requests)]
    with app.app_context():
        table_history(ids[0])  # warm the connection and the plan cache
        report("service table_history(limit=50)", timed(table_history, ids))
        report("service table_history(limit=500)", timed(lambda t: table_history(t, 500), ids))
        report("PostgreSQL execution time alone (EXPLAIN ANALYZE, limit=50)", [server_time(db, t) for t in ids])
        print("EXPLAIN (ANALYZE, BUFFERS) of the history query:")
        for (line,) in db.session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {history_sql(db, ids[0])}")):
            print(f"  {line}")
        db.session.remove()
    client = app.test_client()
    token = client.post("/api/auth/token", json={"username": "bench", "password": "bench-password-long-enough"})
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}

    def over_http(table_id: int) -> None:
        response = client.get(f"/api/tables/{table_id}/history", headers=headers)
        assert response.status_code == 200 and response.get_json()["events"], response.status_code

    over_http(ids[0])
    report("GET /api/tables/<id>/history (in-process, bearer token)", timed(over_http, ids))
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
