"""One database read shared by every socket that asks the same question at once.

In a reconnect storm thousands of sockets ask for the same account, floor, room head and sync
answer within a second. On PostgreSQL a read yields while it waits, so without sharing every
socket started its own and the pool's connections ran out (checkouts timed out after 10 s).
Here one read per question runs at a time; a socket takes its answer if the read began after
the moment the socket names (`not_before`), otherwise it waits for the running read to end and
then takes, or starts, the next one.

A read that must begin after its asker asked (the log's mark) shares nothing on SQLite, whose
reads never yield: each asker would read alone. Such a read is `gathered`: its reader first
yields one turn of the hub, so every socket whose message is already waiting asks too and
waits for this read, which begins after all of them asked. One read then answers a burst.

Every read gives its database connection back the moment it ends. A socket handler keeps its
session's connection until the handler returns, and handlers wait here on reads that other
handlers run: with the pool's 20 connections held by handlers waiting, the reads they waited
for could get none, and every checkout timed out after 10 s (two processes on PostgreSQL,
4,000 screens: thousands of handlers failed and the storm never settled). Answers are plain
values, so nothing read is needed after the session closes.
"""

import threading
import time
from collections.abc import Callable, Hashable

from app.extensions import db

MAX_ANSWERS_KEPT = 1000


class SharedReads:
    """Answers by question, each with the time its read began."""

    def __init__(self, gathered: bool = False) -> None:
        self.gathered = gathered
        self.kept: dict[Hashable, tuple[float, object]] = {}
        self.running: dict[Hashable, threading.Event] = {}

    def get(self, key: Hashable, read: Callable[[], object], not_before: float) -> object:
        """The answer of a read of `key` begun after `not_before`, reading if there is none."""
        while True:
            kept = self.kept.get(key)
            if kept is not None and kept[0] > not_before:
                return kept[1]
            running = self.running.get(key)
            if running is None:
                break
            running.wait()
        done = self.running[key] = threading.Event()
        try:
            if self.gathered:
                time.sleep(0)  # green under eventlet and gevent: the sockets already waiting ask now
            began = time.monotonic()
            try:
                answer = read()
            finally:
                db.session.close()
            if len(self.kept) >= MAX_ANSWERS_KEPT:
                self.kept.clear()
            self.kept[key] = (began, answer)
            return answer
        finally:
            del self.running[key]
            done.set()

    def forget(self, key: Hashable) -> None:
        """Read `key` afresh next time."""
        self.kept.pop(key, None)
