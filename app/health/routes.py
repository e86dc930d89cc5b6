"""`/healthz` for the platform's checks and `/metrics` for Prometheus."""

import gc
import hmac

from flask import Response, abort, current_app, jsonify, request
from sqlalchemy import text

from app.extensions import db
from app.health import bp
from app.openapi import operation
from app.realtime.metrics import render_metrics
from app.shapes.service import Health


def _database_ok() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "down" to a health check
        db.session.rollback()
        return False


def _queue_state() -> str:
    url = current_app.config["REDIS_URL"]
    if not url:
        return "in-process"
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping()
        return "ok"
    except redis.RedisError:
        return "down"


@bp.get("/healthz")
@operation({200: Health, 503: Health}, public=True, tag="operations")
def healthz():
    """Report database and message-queue state; 503 when either is down."""
    database = "ok" if _database_ok() else "down"
    queue = _queue_state()
    healthy = database == "ok" and queue != "down"
    return Health(status="ok" if healthy else "degraded", db=database, queue=queue).wire(), 200 if healthy else 503


@bp.get("/metrics")
@operation({200: None}, refusals=(401,), tag="operations")
def metrics():
    """Prometheus text; needs `Authorization: Bearer METRICS_TOKEN` when that is set."""
    expected = current_app.config["METRICS_TOKEN"]
    if expected:
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {expected}".encode()):
            abort(401)
    return Response(render_metrics(), mimetype="text/plain; version=0.0.4")


@bp.post("/debug/gc/<step>")
def collect_garbage(step: str):
    """Tests only (GC_FREEZE_HOOK=1): `freeze` collects all and freezes the survivors, as app/serve.py
    does; `young` collects what is not frozen, which leaves frozen garbage visible."""
    if not current_app.config["GC_FREEZE_HOOK"] or step not in ("freeze", "young"):
        abort(404)
    if step == "young":
        return jsonify(collected=gc.collect(1))
    gc.collect()
    gc.freeze()
    return jsonify(frozen=gc.get_freeze_count())
