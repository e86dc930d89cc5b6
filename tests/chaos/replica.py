"""A floor-plan client that keeps its own copy of the tables from events and sync, as the page does.

It connects over WebSocket to the first of its URLs that answers, joins its rooms, syncs
from the last event it applied, applies live events (holding them back while a sync is
answering), and syncs again when a room's `tables:head` shows it is behind. It reconnects
by itself, to the next URL when one is gone, until it is closed.
"""

import threading
import time

import socketio

from tests.support.asyncapi import JudgedClient
from tests.support.sockets import USER_AGENT

TRACKED = ("tableNumber", "floor", "status", "notes", "capacity", "covers")
SECTION_EVENTS = ("section:assigned", "section:deleted")
GAP_GRACE_SECONDS = 1.0  # a head can be read before its event's broadcast arrives
CALL_TIMEOUT = 5


def tracked(table: dict) -> dict:
    """The fields every client and the database must agree on (the assignee by username)."""
    return {**{field: table.get(field) for field in TRACKED}, "assignee": username_of(table.get("assignee"))}


def username_of(assignee: dict | None) -> str | None:
    return assignee["username"] if assignee else None


class Replica:
    """One client's view of the tables on its floors (None: every floor, through all_tables)."""

    def __init__(self, name: str, urls: list[str], token: str, floors: tuple = (None,)) -> None:
        self.name = name
        self.urls = urls
        self.token = token
        self.floors = floors
        self.tables: dict[int, dict] = {}
        self.last_event_id = 0  # the newest event applied: where a sync starts from
        self._mark = 0  # everything up to here is in the tables (a snapshot's id)
        self._seen: set[int] = set()
        self._fresh = True  # the first sync asks for a snapshot, as the page starts from one
        self.stats = {"live": 0, "synced": 0, "syncs": 0, "snapshots": 0, "connects": 0, "errors": 0}
        self.arrivals: dict[int, float] = {}  # event id -> when it first arrived live (monotonic)
        self._lock = threading.RLock()
        self._syncing = False
        self._held: list[tuple[str, object]] = []
        self._behind_since: float | None = None
        self._head = 0
        self._gone = threading.Event()
        self._stopped = threading.Event()
        self._sio: socketio.Client | None = None
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"replica-{name}")

    # -- life cycle -------------------------------------------------------------------------
    def start(self) -> "Replica":
        self._thread.start()
        return self

    def close(self) -> None:
        self._stopped.set()
        self._gone.set()
        self._thread.join(timeout=10)

    @property
    def connected(self) -> bool:
        return self._sio is not None and self._sio.connected

    def snapshot(self) -> dict[int, dict]:
        with self._lock:
            return {table_id: dict(table) for table_id, table in self.tables.items()}

    def _run(self) -> None:
        attempt = 0
        while not self._stopped.is_set():
            url = self.urls[attempt % len(self.urls)]
            attempt += 1
            sio = self._open(url)
            if sio is None:
                self._stopped.wait(0.3)
                continue
            self._serve(sio)
            self._shut(sio)

    def _open(self, url: str) -> socketio.Client | None:
        sio = JudgedClient(reconnection=False)
        names = ("table:status_changed", "table:created", "table:updated", "table:deleted", "tables:batch_update")
        for name in names + SECTION_EVENTS:
            sio.on(name, lambda data=None, name=name: self._receive(name, data))
        sio.on("tables:head", self._on_head)
        sio.on("tables:error", lambda data=None: self._count("errors"))
        sio.on("disconnect", lambda reason=None: self._gone.set())
        self._gone.clear()
        try:
            sio.connect(
                url,
                auth={"token": self.token},
                headers={"User-Agent": USER_AGENT},
                transports=["websocket"],
                wait_timeout=5,
            )
        except Exception:  # noqa: BLE001 - refused, reset or timed out: try the next URL
            self._shut(sio)
            return None
        return sio

    def _serve(self, sio: socketio.Client) -> None:
        """Join, sync, then keep watching heads until the connection is gone or we are closed."""
        self._sio = sio
        self._count("connects")
        with self._lock:
            # Events of a room joined here wait for the sync, which must start from the last
            # event applied before this connection (a live one would skip what was missed).
            self._syncing = True
        try:
            for floor in self.floors:
                if not sio.call("tables:join", {"floor": floor}, timeout=CALL_TIMEOUT).get("ok"):
                    return
            self._sync(sio)
            while not self._gone.wait(0.1):
                if self._behind() and not self._sync(sio):
                    return
        except Exception:  # noqa: BLE001 - an ack lost to a stall or cut: reconnect and sync
            return
        finally:
            self._sio = None

    def _shut(self, sio: socketio.Client) -> None:
        try:
            sio.disconnect()
        except Exception:  # noqa: BLE001, S110 - already gone
            pass
        try:
            sio.shutdown()
        except Exception:  # noqa: BLE001, S110
            pass

    def _count(self, stat: str, by: int = 1) -> None:
        with self._lock:
            self.stats[stat] += by

    # -- catching up ------------------------------------------------------------------------
    def _on_head(self, data=None) -> None:
        head = int((data or {}).get("lastEventId") or 0)
        with self._lock:
            self._head = max(self._head, head)

    def _behind(self) -> bool:
        """True once a head has been ahead of us for longer than the grace."""
        with self._lock:
            if self._head <= self.last_event_id:
                self._behind_since = None
                return False
            now = time.monotonic()
            self._behind_since = self._behind_since or now
            return now - self._behind_since >= GAP_GRACE_SECONDS

    def _sync(self, sio: socketio.Client) -> bool:
        """Ask for what was missed since the last applied event; apply it, then what was held."""
        with self._lock:
            self._syncing = True
            last = str(self.last_event_id) if self.last_event_id and not self._fresh else None
        try:
            answer = sio.call("tables:sync", {"lastEventId": last}, timeout=CALL_TIMEOUT)
        except Exception:  # noqa: BLE001
            answer = None
        with self._lock:
            self._syncing = False
            self._behind_since = None
            ok = isinstance(answer, dict) and answer.get("ok")
            if ok:
                self._fresh = False
                self.stats["syncs"] += 1
                self._apply_sync(answer)
            held, self._held = self._held, []
            for name, data in held:
                self._apply(name, data)
        return bool(ok)

    def _apply_sync(self, answer: dict) -> None:
        if answer["recovered"]:
            for entry in answer["events"]:
                if self._apply(entry["event"], {**entry["data"], "eventId": entry["eventId"]}):
                    self.stats["synced"] += 1
            return
        self.stats["snapshots"] += 1
        self.tables = {table["tableId"]: tracked(table) for table in answer["tables"] if self._shows(table["floor"])}
        self.last_event_id = self._mark = int(answer["lastEventId"] or 0)
        self._seen = set()

    # -- applying events --------------------------------------------------------------------
    def _receive(self, name: str, data: object) -> None:
        now = time.monotonic()
        with self._lock:
            items = data if name == "tables:batch_update" else [data]
            for item in items:
                self.arrivals.setdefault(int(item["eventId"]), now)
            if self._syncing:
                self._held.append((name, data))
                return
            if self._apply(name, data):
                self.stats["live"] += len(items)

    def _shows(self, floor: int) -> bool:
        return None in self.floors or floor in self.floors

    def _apply(self, name: str, data: object) -> bool:
        """Apply one event (or batch) not applied yet; False when it is old news.

        Like the page's store: ids of different floor rooms may arrive out of order (each room
        batches on its own), so "new" means after the snapshot and not seen since.
        """
        if name == "tables:batch_update":
            return any([self._apply("table:status_changed", item) for item in data])
        event_id = int(data["eventId"])
        if event_id <= self._mark or event_id in self._seen:
            return False
        self._seen.add(event_id)
        self.last_event_id = max(self.last_event_id, event_id)
        if "tableId" not in data and name not in SECTION_EVENTS:
            return True  # a section's name or a floor's turn time: nothing this client tracks
        if name in SECTION_EVENTS:
            # The section's tables at commit: later joiners bring their assignee in their own event.
            assignee = username_of(data.get("assignee"))
            for table_id in data["tableIds"]:
                if table_id in self.tables:
                    self.tables[table_id]["assignee"] = assignee
            return True
        table_id = data["tableId"]
        if name == "table:created":
            if self._shows(data["floor"]):
                self.tables[table_id] = tracked(data)
        elif name == "table:deleted":
            self.tables.pop(table_id, None)
        elif name == "table:status_changed" and table_id in self.tables:
            table = self.tables[table_id]
            table["status"] = data.get("newStatus", data.get("status"))
            # A status event names the party whenever the table has one after it.
            table["covers"] = data.get("covers")
            if "notes" in data:
                table["notes"] = data["notes"]
        elif name == "table:updated":
            self._apply_update(table_id, data)
        return True

    def _apply_update(self, table_id: int, data: dict) -> None:
        changes = data.get("changes", {})
        if not self._shows(data["floor"]):
            self.tables.pop(table_id, None)
        elif table_id in self.tables:
            self.tables[table_id].update({k: v for k, v in changes.items() if k in TRACKED})
            if "assignee" in changes:
                self.tables[table_id]["assignee"] = username_of(changes["assignee"])
            self.tables[table_id]["floor"] = data["floor"]
        # A table moved onto our floor from another arrives with only its changes: the next
        # sync's snapshot is what brings it whole; chaos writers never move tables.
