"""Changes sent through the API and what each one's sender was told, checked as Jepsen's set test.

Every change carries a unique key: a new table's number, or the notes a status change or
edit writes. Seatings carry covers, and some changes give a table's section to a host or
take it away: an assignment has no key of its own in the log, so the clients' agreement
with the database (assignees and covers included) is what checks it.

A change's outcome is `ok` (a 2xx), `failed` (a definite refusal: a 4xx, or
503 "nothing was saved") or `unknown` (the connection broke or a 5xx with no promise). A
status change whose outcome is unknown is retried with the same Idempotency-Key, as the
browser's offline queue does. The checks: every ok change is in the event log exactly
once, every unknown one at most once, every failed one not at all.
"""

import itertools
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import requests

STATUSES = ("available", "occupied", "reserved", "maintenance")
OK, FAILED, UNKNOWN = "ok", "failed", "unknown"
RETRIES = 3


@dataclass
class Change:
    key: str
    kind: str  # create | status | edit | delete | assign
    table_id: int | None
    outcome: str = UNKNOWN
    answers: list = field(default_factory=list)
    sent_at: float = 0.0
    last: str = UNKNOWN


def classify(response: requests.Response | None, error: Exception | None) -> str:
    """What the sender knows: it worked, it certainly did not, or it cannot tell."""
    if error is not None:
        # Even "connection refused" is no proof: urllib3 may have sent it once on a kept-alive
        # connection before retrying (seen: a DELETE answered 204 by a process killed meanwhile).
        return UNKNOWN
    if 200 <= response.status_code < 300:
        return OK
    if 400 <= response.status_code < 500 or response.status_code == 503:
        return FAILED
    return UNKNOWN


class Writers:
    """Threads sending a steady mix of changes to the web processes until paused or stopped."""

    def __init__(self, urls: list[str], token: str, run: str, threads: int = 3, pace: float = 0.08) -> None:
        self.urls = urls
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.run = run
        self.pace = pace
        self.changes: list[Change] = []
        self.table_ids: list[int] = []
        self.section_ids: set[int] = set()
        self.host_ids: list[int] = []
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()
        self._go = threading.Event()
        self._stop = threading.Event()
        self._busy = 0
        self._threads = [threading.Thread(target=self._loop, args=(n,), daemon=True) for n in range(threads)]

    def start(self) -> "Writers":
        for thread in self._threads:
            thread.start()
        return self

    def resume(self) -> None:
        self._go.set()

    def pause(self, timeout: float = 30) -> None:
        """Stop sending and wait for changes in flight to get their answers."""
        self._go.clear()
        deadline = time.monotonic() + timeout
        while self._busy and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        self._stop.set()
        self._go.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def next_key(self) -> str:
        return f"{self.run}-{next(self._numbers)}"

    def _loop(self, seat: int) -> None:
        chooser = random.Random(seat)
        while not self._stop.is_set():
            self._go.wait()
            if self._stop.is_set():
                return
            with self._lock:
                self._busy += 1
            try:
                self.one_change(chooser, self.urls[seat % len(self.urls)])
            finally:
                with self._lock:
                    self._busy -= 1
            time.sleep(self.pace)

    def one_change(self, chooser: random.Random, url: str) -> Change:
        """Send one change of a random kind to `url` and record what came back."""
        roll = chooser.random()
        with self._lock:
            ids = list(self.table_ids)
        if not ids or roll < 0.15:
            return self.create(url, floor=chooser.choice((1, 2, 3)))
        table_id = chooser.choice(ids)
        if roll < 0.18:
            return self.delete(url, table_id)
        if roll < 0.30:
            return self.edit(url, table_id)
        if roll < 0.37:
            return self.assign(url, chooser)
        return self.set_status(url, table_id, chooser.choice(STATUSES), covers=chooser.randint(1, 8))

    def _send(self, change: Change, method: str, url: str, **kwargs) -> requests.Response | None:
        """Send one attempt; the change is ok if any attempt was, else unknown if any was, else failed."""
        response = error = None
        change.sent_at = change.sent_at or time.monotonic()
        try:
            response = self.http.request(method, url, timeout=(2, 8), **kwargs)
        except requests.RequestException as caught:
            error = caught
        outcome = classify(response, error)
        change.answers.append(response.status_code if response is not None else repr(error)[:160])
        if len(change.answers) == 1:
            change.outcome = outcome
            with self._lock:
                self.changes.append(change)
        elif outcome == OK or change.outcome == FAILED:
            change.outcome = outcome
        change.last = outcome
        return response

    def create(self, url: str, floor: int) -> Change:
        change = Change(self.next_key(), "create", None)
        body = {"tableNumber": change.key, "floor": floor, "capacity": 4, "section": f"Zone {change.key[-1]}"}
        response = self._send(change, "POST", f"{url}/api/tables", json=body)
        if change.outcome == OK:
            change.table_id = response.json()["tableId"]
            with self._lock:
                self.table_ids.append(change.table_id)
                self.section_ids.add(response.json()["sectionId"])
        return change

    def set_status(self, url: str, table_id: int, status: str, covers: int = 2) -> Change:
        """A status change with notes = its key (and covers when seating); retried on `unknown` under the
        same Idempotency-Key."""
        change = Change(self.next_key(), "status", table_id)
        body = {"status": status, "notes": change.key, **({"covers": covers} if status == "occupied" else {})}
        for attempt in range(RETRIES):
            target = url if attempt == 0 else random.choice(self.urls)
            self._send(
                change,
                "PATCH",
                f"{target}/api/tables/{table_id}/status",
                json=body,
                headers={"Idempotency-Key": change.key},
            )
            if change.last != UNKNOWN:
                break
            time.sleep(0.5)
        return change

    def edit(self, url: str, table_id: int) -> Change:
        change = Change(self.next_key(), "edit", table_id)
        self._send(change, "PATCH", f"{url}/api/tables/{table_id}", json={"notes": change.key})
        return change

    def assign(self, url: str, chooser: random.Random) -> Change | None:
        """Give a section to a host with every floor, or to nobody."""
        with self._lock:
            sections = sorted(self.section_ids)
        if not sections:
            return None
        if not self.host_ids:
            staff = self.http.get(f"{url}/api/staff", timeout=(2, 8))
            if staff.status_code != 200:
                return None
            self.host_ids = [p["userId"] for p in staff.json() if p["role"] == "host" and not p["floors"]]
        change = Change(self.next_key(), "assign", None)
        user_id = chooser.choice([*self.host_ids, None])
        section_id = chooser.choice(sections)
        self._send(change, "PUT", f"{url}/api/sections/{section_id}/assignee", json={"userId": user_id})
        return change

    def delete(self, url: str, table_id: int) -> Change | None:
        """Delete a table no other writer is deleting (so a deletion's key stays unique)."""
        with self._lock:
            if table_id not in self.table_ids:
                return None
            self.table_ids.remove(table_id)
        change = Change(f"delete:{table_id}", "delete", table_id)
        self._send(change, "DELETE", f"{url}/api/tables/{table_id}")
        if change.outcome == FAILED:
            with self._lock:
                self.table_ids.append(table_id)
        return change

    def outcomes(self) -> Counter:
        with self._lock:
            return Counter(change.outcome for change in self.changes)


def keys_in_log(events: list[tuple[int, str, dict]]) -> Counter:
    """How many times each change key appears in the event log."""
    seen: Counter = Counter()
    for _, kind, payload in events:
        if kind == "table:created":
            seen[payload["tableNumber"]] += 1
        elif kind == "table:deleted":
            seen[f"delete:{payload['tableId']}"] += 1
        elif kind == "table:status_changed" and payload.get("notes"):
            seen[payload["notes"]] += 1
        elif kind == "table:updated" and "notes" in payload.get("changes", {}):
            seen[payload["changes"]["notes"]] += 1
    return seen


def set_test_violations(changes: list[Change], log: Counter) -> list[str]:
    """Every ok change logged exactly once, every unknown at most once, every failed never."""
    problems = []
    for change in changes:
        if change.kind == "assign":
            continue  # no key in the log to count; the clients' agreement with the database checks it
        times = log.get(change.key, 0)
        allowed = {OK: (1,), UNKNOWN: (0, 1), FAILED: (0,)}[change.outcome]
        if times not in allowed:
            problems.append(f"{change.kind} {change.key} was {change.outcome} {change.answers} but logged {times}x")
    return problems
