"""Process-local counters and histograms, rendered as Prometheus text."""

import threading
from collections import defaultdict
from collections.abc import Callable

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
_lock = threading.Lock()
_events_total: dict[str, int] = defaultdict(int)
_latency_counts = [0] * (len(LATENCY_BUCKETS) + 1)
_latency_sum = 0.0
_counters = {"reconnects": 0, "delivery_failures": 0, "backlogs": 0, "slow_cuts": 0, "garbage": 0}
_connections = 0
_sessions_refused: dict[str, int] = defaultdict(int)
_disconnects: dict[str, int] = defaultdict(int)
# name -> (help, read): values other modules own, read when the metrics are rendered.
_gauges: dict[str, tuple[str, Callable[[], int]]] = {}
_read_rooms: Callable[[], dict] = dict


def connection_opened(reconnect: bool) -> None:
    global _connections
    with _lock:
        _connections += 1
        if reconnect:
            _counters["reconnects"] += 1


def connection_closed(reason: str) -> None:
    """Count one closed connection by why it closed (`ping timeout`, `transport close`, ...)."""
    global _connections
    with _lock:
        _connections = max(0, _connections - 1)
        _disconnects[reason] += 1


def event_broadcast(kind: str, latency_seconds: float) -> None:
    """Count one broadcast and how long it took from commit to emit."""
    global _latency_sum
    with _lock:
        _events_total[kind] += 1
        _latency_sum += latency_seconds
        for index, bound in enumerate(LATENCY_BUCKETS):
            if latency_seconds <= bound:
                _latency_counts[index] += 1
                break
        else:
            _latency_counts[-1] += 1


def delivery_failed() -> None:
    with _lock:
        _counters["delivery_failures"] += 1


def socket_backlogged() -> None:
    """A direct write the kernel did not take whole: the rest waits for the socket's drainer."""
    with _lock:
        _counters["backlogs"] += 1


def slow_socket_cut() -> None:
    """A socket that fell too far behind was disconnected (its client reconnects and syncs)."""
    with _lock:
        _counters["slow_cuts"] += 1


def garbage_packet() -> None:
    """A client sent a message that is no Engine.IO or Socket.IO packet; its connection was closed."""
    with _lock:
        _counters["garbage"] += 1


def session_refused(reason: str) -> None:
    """A session refused at its handshake, or closed for not authenticating in time."""
    with _lock:
        _sessions_refused[reason] += 1


def register_gauge(name: str, help_text: str, read: Callable[[], int]) -> None:
    """Render `read()` as gauge `name` with the other metrics."""
    _gauges[name] = (help_text, read)


def read_rooms_with(read: Callable[[], dict]) -> None:
    """Count room members from `read()`: the rooms of this process's server (set at start-up)."""
    global _read_rooms
    _read_rooms = read


def _room_members() -> dict[str, int]:
    return {
        room: len(members)
        for room, members in _read_rooms().items()
        if isinstance(room, str) and (room.startswith("floor:") or room == "all_tables")
    }


def render_metrics() -> str:
    """The metrics of this process in Prometheus text format."""
    lines = [
        "# HELP tableside_ws_connections Open Socket.IO connections in this process.",
        "# TYPE tableside_ws_connections gauge",
        f"tableside_ws_connections {_connections}",
        "# HELP tableside_event_broadcast_latency_seconds Time from commit to emit.",
        "# TYPE tableside_event_broadcast_latency_seconds histogram",
    ]
    cumulative = 0
    with _lock:
        for bound, count in zip(LATENCY_BUCKETS, _latency_counts, strict=False):
            cumulative += count
            lines.append(f'tableside_event_broadcast_latency_seconds_bucket{{le="{bound}"}} {cumulative}')
        cumulative += _latency_counts[-1]
        lines.append(f'tableside_event_broadcast_latency_seconds_bucket{{le="+Inf"}} {cumulative}')
        lines.append(f"tableside_event_broadcast_latency_seconds_sum {_latency_sum:.6f}")
        lines.append(f"tableside_event_broadcast_latency_seconds_count {cumulative}")
        lines += [
            "# HELP tableside_reconnects_total Connections that were reconnections.",
            "# TYPE tableside_reconnects_total counter",
            f"tableside_reconnects_total {_counters['reconnects']}",
            "# HELP tableside_events_total Events broadcast, by type.",
            "# TYPE tableside_events_total counter",
            *(f'tableside_events_total{{type="{kind}"}} {count}' for kind, count in sorted(_events_total.items())),
            "# HELP tableside_event_delivery_failures_total Broadcasts that raised an error.",
            "# TYPE tableside_event_delivery_failures_total counter",
            f"tableside_event_delivery_failures_total {_counters['delivery_failures']}",
            "# HELP tableside_socket_backlogs_total Writes a socket could not take at once (held, then drained).",
            "# TYPE tableside_socket_backlogs_total counter",
            f"tableside_socket_backlogs_total {_counters['backlogs']}",
            "# HELP tableside_slow_sockets_cut_total Sockets disconnected for falling too far behind.",
            "# TYPE tableside_slow_sockets_cut_total counter",
            f"tableside_slow_sockets_cut_total {_counters['slow_cuts']}",
            "# HELP tableside_garbage_packets_total Connections closed for sending what is no Socket.IO packet.",
            "# TYPE tableside_garbage_packets_total counter",
            f"tableside_garbage_packets_total {_counters['garbage']}",
        ]
        lines += [
            "# HELP tableside_sessions_refused_total Sessions refused or closed before authenticating, by reason.",
            "# TYPE tableside_sessions_refused_total counter",
            *(f'tableside_sessions_refused_total{{reason="{why}"}} {n}' for why, n in _sessions_refused.items()),
            "# HELP tableside_disconnects_total Connections closed, by reason.",
            "# TYPE tableside_disconnects_total counter",
            *(f'tableside_disconnects_total{{reason="{why}"}} {n}' for why, n in _disconnects.items()),
        ]
    for name, (help_text, read) in sorted(_gauges.items()):
        lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", f"{name} {read()}"]
    lines += [
        "# HELP tableside_room_members Sockets in each room in this process.",
        "# TYPE tableside_room_members gauge",
        *(f'tableside_room_members{{room="{room}"}} {count}' for room, count in sorted(_room_members().items())),
    ]
    return "\n".join(lines) + "\n"
