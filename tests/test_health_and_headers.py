"""Operator endpoints and the security headers every response carries."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import app_on_copy
from tests.support.metrics import read_metrics


def test_healthz_reports_database_and_queue(client):
    """/healthz answers without signing in and names the database and queue state."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "db": "ok", "queue": "in-process"}


def test_metrics_are_prometheus_text(client):
    """/metrics lists every metric family the operators watch."""
    body = client.get("/metrics").get_data(as_text=True)
    for name in (
        "tableside_ws_connections",
        "tableside_event_broadcast_latency_seconds_bucket",
        "tableside_reconnects_total",
        "tableside_event_delivery_failures_total",
        "tableside_room_members",
    ):
        assert f"# TYPE {name.removesuffix('_bucket')}" in body


def test_metrics_are_the_tableside_families_alone_with_their_buckets(client):
    """/metrics parses as Prometheus text: the operators' families, no library extras, today's latency buckets."""
    families = {
        family.name: family for family in text_string_to_metric_families(client.get("/metrics").get_data(as_text=True))
    }
    assert set(families) == {
        "tableside_ws_connections",
        "tableside_event_broadcast_latency_seconds",
        "tableside_reconnects",
        "tableside_events",
        "tableside_event_delivery_failures",
        "tableside_socket_backlogs",
        "tableside_slow_sockets_cut",
        "tableside_garbage_packets",
        "tableside_sessions_refused",
        "tableside_disconnects",
        "tableside_sockets_not_freed",
        "tableside_wires",
        "tableside_syncs",
        "tableside_sessions_unauthenticated",
        "tableside_sessions_waiting_without_credentials",
        "tableside_room_members",
    }
    latency = families["tableside_event_broadcast_latency_seconds"]
    assert latency.type == "histogram"
    buckets = [sample.labels["le"] for sample in latency.samples if sample.name.endswith("_bucket")]
    assert buckets == ["0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "+Inf"]
    assert not [sample.name for family in families.values() for sample in family.samples if "_created" in sample.name]


def test_an_app_set_up_later_counts_from_zero(make_table, client, migrated_template, tmp_path):
    """Each app set up in a process starts a registry of its own: a later one shows none of an earlier one's events."""
    make_table(floor=1)
    earlier = read_metrics(client.get("/metrics").get_data(as_text=True))
    assert earlier['tableside_events_total{type="table:created"}'] == 1
    (tmp_path / "later").mkdir()
    later = app_on_copy(tmp_path / "later", migrated_template)
    scraped = read_metrics(later.test_client().get("/metrics").get_data(as_text=True))
    assert scraped["tableside_event_broadcast_latency_seconds_count"] == 0
    assert [name for name in scraped if name.startswith("tableside_events_total")] == []


def test_metrics_need_the_token_when_one_is_set(app, client):
    """With METRICS_TOKEN set, /metrics needs it as a bearer token."""
    app.config["METRICS_TOKEN"] = "scrape-me"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer scrape-me"}).status_code == 200


def test_a_status_change_is_counted_in_metrics(host, make_table, client):
    """A broadcast status change shows in tableside_events_total."""
    table = make_table(floor=1)
    host.patch(f"/api/tables/{table['tableId']}/status", json={"status": "occupied"})
    body = client.get("/metrics").get_data(as_text=True)
    assert 'tableside_events_total{type="table:created"}' in body


@pytest.mark.parametrize("path", ["/login", "/api/floors", "/healthz"])
def test_security_headers_on_pages_and_api(client, path):
    """Pages and API answers forbid framing, sniffing and inline scripts."""
    headers = client.get(path).headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_lax(client):
    """The session cookie cannot be read by scripts and is not sent on cross-site posts."""
    from tests.conftest import sign_in

    response = sign_in(client, "host")
    cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    """TABLESIDE_ENV=production without SECRET_KEY stops at start."""
    from app import create_app
    from app.config import ProductionConfig

    class NoSecret(ProductionConfig):
        SECRET_KEY = ""

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(NoSecret)
