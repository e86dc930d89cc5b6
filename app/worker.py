"""The system worker: releases expired reservation holds and trims the event log."""

import logging
import time
from collections.abc import Callable

from flask import Flask

from app.extensions import db
from app.services.event_log import prune_event_log
from app.services.status import release_expired_holds

log = logging.getLogger(__name__)


def run_once(app: Flask) -> int:
    """Release every hold that has passed; return how many tables were released."""
    with app.app_context():
        try:
            return len(release_expired_holds())
        finally:
            db.session.remove()


def prune_once(app: Flask) -> int:
    """Move sync's replay window on and delete rows past the history window; return events retired."""
    with app.app_context():
        try:
            return prune_event_log(
                app.config["EVENT_LOG_MAX_AGE_HOURS"], app.config["EVENT_LOG_MAX_ROWS"], app.config["HISTORY_DAYS"]
            )
        finally:
            db.session.remove()


def run_worker(app: Flask, sleep: Callable[[float], None] = time.sleep, rounds: int | None = None) -> None:
    """Poll for expired holds forever (or `rounds` times), pruning the log now and then."""
    interval = app.config["RESERVATION_POLL_SECONDS"]
    prune_every = app.config["EVENT_LOG_PRUNE_SECONDS"]
    last_prune = 0.0
    done = 0
    while rounds is None or done < rounds:
        try:
            released = run_once(app)
            if released:
                log.info("released %d expired reservation holds", released)
            if prune_every > 0 and time.monotonic() - last_prune > prune_every:
                prune_once(app)
                last_prune = time.monotonic()
        except Exception:  # noqa: BLE001 - keep polling through a database restart
            log.exception("reservation worker round failed")
        done += 1
        if rounds is None or done < rounds:
            sleep(interval)
