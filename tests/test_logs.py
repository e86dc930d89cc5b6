"""The log lines a log drain reads: one JSON object per line, with the same fields every time."""

import io
import json
import logging
import re

import pytest

from app.logs import configure_logging
from tests.conftest import sign_in

LOGGERS = ("app", "tableside")


def ours() -> list[logging.Logger]:
    """The app's loggers, parents and children."""
    return [
        logger
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger) and name.split(".")[0] in LOGGERS
    ]


@pytest.fixture
def json_logs():
    """The app's loggers as `configure_logging` sets them up, writing to a buffer; the lines written, parsed.

    Alembic's logging setup (run by the migrated template) switches off every logger that
    existed then; a serving process never runs it, so they are on again for the test.
    """
    kept = [(logger, logger.handlers[:], logger.level, logger.propagate, logger.disabled) for logger in ours()]
    configure_logging()
    written = io.StringIO()
    for logger in ours():
        logger.disabled = False
    # The one handler of "app" and "tableside", which writes to stdout in a serving process.
    for handler in logging.getLogger("tableside").handlers:
        handler.setStream(written)

    def lines() -> list[dict]:
        text = written.getvalue()
        written.seek(0)
        written.truncate()
        return [json.loads(line) for line in text.splitlines()]

    yield lines
    for logger, handlers, level, propagate, disabled in kept:
        logger.handlers[:], logger.level, logger.propagate, logger.disabled = handlers, level, propagate, disabled


def test_a_request_is_one_line_with_who_asked_what_and_how_it_went(client, json_logs):
    """A signed-in request: time, level, logger, message, method, path, status, duration, user and address."""
    sign_in(client, "host")
    json_logs()
    client.get("/api/floors")
    [line] = json_logs()
    assert list(line) == [
        "time",
        "level",
        "logger",
        "message",
        "method",
        "path",
        "status",
        "duration_ms",
        "user",
        "remote",
    ]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", line["time"])
    assert {key: line[key] for key in ("level", "logger", "message", "method", "path", "status", "user", "remote")} == {
        "level": "info",
        "logger": "tableside.requests",
        "message": "request",
        "method": "GET",
        "path": "/api/floors",
        "status": 200,
        "user": "host",
        "remote": "127.0.0.1",
    }
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


def test_an_error_is_logged_in_lower_case_with_its_traceback(json_logs):
    """A logged exception keeps its message's arguments and carries the traceback as `exception`."""
    try:
        {}["floor"]
    except KeyError:
        logging.getLogger("tableside.sockets").exception("socket handler failed: %s", "floor")
    [line] = json_logs()
    assert (line["level"], line["logger"], line["message"]) == (
        "error",
        "tableside.sockets",
        "socket handler failed: floor",
    )
    assert line["exception"].startswith("Traceback (most recent call last):")
    assert line["exception"].endswith("KeyError: 'floor'")
