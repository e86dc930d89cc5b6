"""Broadcasting committed changes to the floor rooms, batching bursts of status changes."""

import logging
import threading
import time

from app.realtime import metrics
from app.realtime.rooms import rooms_for_floors

log = logging.getLogger(__name__)
STATUS_CHANGED = "table:status_changed"
BATCH = "tables:batch_update"


def batch_item(message: dict) -> dict:
    """A status change as one item of `tables:batch_update`."""
    item = {
        "eventId": message["eventId"],
        "tableId": message["tableId"],
        "tableNumber": message["tableNumber"],
        "floor": message["floor"],
        "status": message["newStatus"],
        "oldStatus": message["oldStatus"],
        "newStatus": message["newStatus"],
        "updatedBy": message["updatedBy"],
        "updatedAt": message["updatedAt"],
    }
    if "notes" in message:
        item["notes"] = message["notes"]
    return item


class Broadcaster:
    """Emits each committed event once to `floor:N` (old and new) and `all_tables`.

    Status changes on one floor within the batch window go out together as one
    `tables:batch_update`; a lone change goes out as `table:status_changed`. Any other
    event first flushes the floor's pending batch, so clients see commit order.
    """

    def __init__(self, socketio, window_ms: int, timers: bool) -> None:
        self.socketio = socketio
        self.window = window_ms / 1000
        # A CLI or worker process has no server loop to run timers on; it batches per commit.
        self.timers = timers and window_ms > 0
        self.pending: dict[int, list[dict]] = {}
        self.lock = threading.Lock()

    def publish(self, items: list[dict]) -> None:
        """Hand over the events of one committed transaction, in commit order."""
        committed_at = time.perf_counter()
        for item in items:
            item["committedAt"] = committed_at
        if not self.timers:
            self._publish_now(items)
            return
        for item in items:
            if item["event"] == STATUS_CHANGED:
                self._add_to_batch(item)
            else:
                for floor in item["rooms_floors"]:
                    self.flush(floor)
                self._emit(item["event"], item["message"], item["rooms_floors"], [item])

    def _publish_now(self, items: list[dict]) -> None:
        by_floor: dict[int, list[dict]] = {}
        for item in items:
            if item["event"] == STATUS_CHANGED:
                by_floor.setdefault(item["message"]["floor"], []).append(item)
            else:
                for floor in item["rooms_floors"]:
                    self._emit_status(by_floor.pop(floor, []))
                self._emit(item["event"], item["message"], item["rooms_floors"], [item])
        for batch in by_floor.values():
            self._emit_status(batch)

    def _add_to_batch(self, item: dict) -> None:
        floor = item["message"]["floor"]
        with self.lock:
            batch = self.pending.setdefault(floor, [])
            batch.append(item)
            first = len(batch) == 1
        if first:
            self.socketio.start_background_task(self._flush_later, floor)

    def _flush_later(self, floor: int) -> None:
        self.socketio.sleep(self.window)
        self.flush(floor)

    def flush(self, floor: int) -> None:
        """Send the floor's pending status changes now."""
        with self.lock:
            batch = self.pending.pop(floor, [])
        self._emit_status(batch)

    def _emit_status(self, batch: list[dict]) -> None:
        if not batch:
            return
        floor = batch[0]["message"]["floor"]
        if len(batch) == 1:
            self._emit(STATUS_CHANGED, batch[0]["message"], [floor], batch)
        else:
            self._emit(BATCH, [batch_item(item["message"]) for item in batch], [floor], batch)

    def _emit(self, event: str, payload: object, floors: list[int], items: list[dict]) -> None:
        try:
            self.socketio.emit(event, payload, to=rooms_for_floors(floors))
        except Exception:  # noqa: BLE001 - a failed broadcast must not fail the committed change
            log.exception("broadcast of %s failed", event)
            metrics.delivery_failed()
            return
        now = time.perf_counter()
        for item in items:
            metrics.event_broadcast(item["event"], now - item["committedAt"])
