"""This process's counters and histograms, kept by prometheus_client in a registry of its own.

Every metric is declared once, in `Metrics`, and counted through the functions below it: to
add one, declare it there and give it a function. The registry is made by the app's realtime
setup (`start`), not prometheus_client's global one: tests build several apps in one process,
and each starts from zero, while the process's counting goes to the newest app's registry
(as its Socket.IO server, broadcaster and outbox publisher are the newest app's).
"""

from collections.abc import Callable
from functools import cache, partial

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

# The `_created` series (a timestamp per counter and label) were never written here; no
# dashboard reads them, and they would double the lines of every labelled counter.
disable_created_metrics()

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
# Prometheus text 0.0.4, whatever the scraper accepts: the format /metrics has always served.
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4


class RoomMembers:
    """`tableside_room_members`: sockets in each floor room and in all_tables, counted when scraped."""

    def __init__(self) -> None:
        self.read_rooms: Callable[[], dict] = dict

    def collect(self):
        """The gauge family, one sample per room."""
        family = GaugeMetricFamily("tableside_room_members", "Sockets in each room in this process.", labels=["room"])
        watched = {
            room: len(members)
            for room, members in self.read_rooms().items()
            if isinstance(room, str) and (room.startswith("floor:") or room == "all_tables")
        }
        for room in sorted(watched):
            family.add_metric([room], watched[room])
        yield family


class Metrics:
    """Every metric of the process, in the order /metrics lists them."""

    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry()
        counter, gauge = partial(Counter, registry=registry), partial(Gauge, registry=registry)
        self.connections = gauge("tableside_ws_connections", "Open Socket.IO connections in this process.")
        self.broadcast_latency = Histogram(
            "tableside_event_broadcast_latency_seconds",
            "Time from commit to emit.",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.reconnects = counter("tableside_reconnects", "Connections that were reconnections.")
        self.events = counter("tableside_events", "Events broadcast, by type.", ["type"])
        self.delivery_failures = counter("tableside_event_delivery_failures", "Broadcasts that raised an error.")
        self.backlogs = counter(
            "tableside_socket_backlogs", "Writes a socket could not take at once (held, then drained)."
        )
        self.slow_cuts = counter("tableside_slow_sockets_cut", "Sockets disconnected for falling too far behind.")
        self.garbage = counter(
            "tableside_garbage_packets", "Connections closed for sending what is no Socket.IO packet."
        )
        self.sessions_refused = counter(
            "tableside_sessions_refused", "Sessions refused or closed before authenticating, by reason.", ["reason"]
        )
        self.disconnects = counter("tableside_disconnects", "Connections closed, by reason.", ["reason"])
        self.syncs = counter("tableside_syncs", "Syncs answered, by kind (missed events or a snapshot).", ["kind"])
        self.sockets_alive = gauge("tableside_sockets_not_freed", "Socket objects (Engine.IO sessions) not yet freed.")
        self.wires = gauge("tableside_wires", "WebSockets this process writes to directly (the direct path's wires).")
        self.sessions_unauthenticated = gauge("tableside_sessions_unauthenticated", "Sessions waiting to authenticate.")
        self.sessions_without_credentials = gauge(
            "tableside_sessions_waiting_without_credentials",
            "Sessions waiting to authenticate whose handshake carried no credentials.",
        )
        self.room_members = RoomMembers()
        registry.register(self.room_members)
        # `labels()` checks its values and takes a lock on every call (about 3 us); a broadcast and a
        # disconnect need only the child for their label, found once and then looked up.
        self.events_of = cache(self.events.labels)
        self.sessions_refused_for = cache(self.sessions_refused.labels)
        self.disconnects_for = cache(self.disconnects.labels)


_current = Metrics()


def start() -> Metrics:
    """A new registry for the app being set up; what the process counts from now on goes there."""
    global _current
    _current = Metrics()
    return _current


def exposition() -> bytes:
    """The metrics of this process in Prometheus text format (CONTENT_TYPE)."""
    return generate_latest(_current.registry)


def read_wires_with(count: Callable[[], int]) -> None:
    """Report `count()` as the wires held by the direct path (one per open WebSocket-first socket)."""
    _current.wires.set_function(count)


def read_connections_with(count: Callable[[], int]) -> None:
    """Report `count()` as the open Socket.IO connections (the realtime setup's own tally)."""
    _current.connections.set_function(count)


def read_rooms_with(read: Callable[[], dict]) -> None:
    """Count room members from `read()`: the rooms of this process's server (set at start-up)."""
    _current.room_members.read_rooms = read


def read_sessions_with(
    waiting: Callable[[], int], without_credentials: Callable[[], int], alive: Callable[[], int]
) -> None:
    """Report the sessions waiting to authenticate (and those of them without credentials) and the
    Engine.IO sockets not yet freed."""
    _current.sessions_unauthenticated.set_function(waiting)
    _current.sessions_without_credentials.set_function(without_credentials)
    _current.sockets_alive.set_function(alive)


def connection_opened(reconnect: bool) -> None:
    """Count an accepted connection that says it is a reconnection (the open ones are read, not counted)."""
    if reconnect:
        _current.reconnects.inc()


def connection_closed(reason: str) -> None:
    """Count one closed connection by why it closed (`ping timeout`, `transport close`, ...)."""
    _current.disconnects_for(reason).inc()


def event_broadcast(kind: str, latency_seconds: float) -> None:
    """Count one broadcast and how long it took from commit to emit."""
    _current.events_of(kind).inc()
    _current.broadcast_latency.observe(latency_seconds)


def synced(recovered: bool) -> None:
    """A socket's `tables:sync` was answered, with its missed events or with a snapshot."""
    _current.syncs.labels("events" if recovered else "snapshot").inc()


def delivery_failed() -> None:
    """A publish or an emit raised: its clients catch up by sync."""
    _current.delivery_failures.inc()


def socket_backlogged() -> None:
    """A direct write the kernel did not take whole: the rest waits for the socket's drainer."""
    _current.backlogs.inc()


def slow_socket_cut() -> None:
    """A socket that fell too far behind was disconnected (its client reconnects and syncs)."""
    _current.slow_cuts.inc()


def garbage_packet() -> None:
    """A client sent a message that is no Engine.IO or Socket.IO packet; its connection was closed."""
    _current.garbage.inc()


def session_refused(reason: str) -> None:
    """A session refused at its handshake, or closed for not authenticating in time."""
    _current.sessions_refused_for(reason).inc()
