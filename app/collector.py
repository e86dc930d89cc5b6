"""The cyclic garbage collector of a serving process: survivors frozen, a full thaw now and then.

A full collection walks every tracked object. With 1,000 sockets open that is about 300,000
objects and stalled the whole process for 200-350 ms every few seconds, which whatever
broadcast was in flight waited for (bench/README.md). Most of those objects live as long as
their socket, so start-up objects are frozen, and after every full collection its survivors
are frozen too: Python still decides when to collect, but each full collection only walks
objects that arrived since the previous one. Cycles left among frozen objects (a closed
socket's) are freed every `thaw_seconds` by one collection of everything (about 200 ms per
1,000 open sockets).
"""

import gc
import logging
import time

from app.extensions import socketio

log = logging.getLogger("tableside.serve")


def tame_garbage_collector(thaw_seconds: float) -> None:
    """Freeze what start-up made and every full collection's survivors; thaw every `thaw_seconds`.

    0 leaves Python's collector as it is.
    """
    if thaw_seconds <= 0:
        return
    gc.collect()
    gc.freeze()
    gc.callbacks.append(_freeze_survivors)
    socketio.start_background_task(_thaw_forever, thaw_seconds)


def _freeze_survivors(phase: str, info: dict) -> None:
    if phase == "stop" and info["generation"] == 2:
        gc.freeze()


def _thaw_forever(interval: float) -> None:
    while True:
        socketio.sleep(interval)
        began = time.perf_counter()
        gc.unfreeze()
        found = gc.collect()
        took_ms = round((time.perf_counter() - began) * 1000)
        log.info("full garbage collection", extra={"collected": found, "frozen": gc.get_freeze_count(), "ms": took_ms})
