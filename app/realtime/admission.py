"""Who may open an Engine.IO session, and how long it may take to authenticate.

A session is authenticated when its Socket.IO connect is accepted (events.on_connect). Until
then it is waiting, and a waiting session costs the process a file and memory like any other:

- every session, waiting or authenticated, counts against MAX_CONNECTIONS: a handshake beyond
  it is refused with 503 and `{"message": "server_full"}`;
- at most MAX_SIGNING_IN sessions wait at once: the next handshake is refused with 503 and
  `{"message": "server_busy"}`, and the client comes back after its reconnection delay;
- one client address may hold MAX_UNAUTHENTICATED_PER_ADDRESS waiting sessions: the next
  handshake from it is refused with 429 and `{"message": "too_many_unauthenticated"}`;
- a session still waiting AUTH_DEADLINE_SECONDS after it opened is closed, on either transport.

The address is the peer's, or with PROXY_FIX_HOPS the one that many proxies back in
X-Forwarded-For (as ProxyFix reads it for Flask; Engine.IO sits in front of ProxyFix).

python-engineio internals used (checked at python-engineio 4.15.1): the `handlers` dict, whose
'connect' and 'disconnect' handlers (python-socketio's) are wrapped, and `sockets`.
"""

import json
import logging
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from urllib.parse import parse_qs

from app.realtime import metrics

log = logging.getLogger(__name__)
LONGEST_SLEEP_SECONDS = 1.0


def client_address(environ: dict, proxy_hops: int) -> str:
    """The client's address: the peer's, or the one `proxy_hops` proxies back in X-Forwarded-For."""
    if proxy_hops:
        forwarded = [part.strip() for part in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxy_hops and forwarded[-proxy_hops]:
            return forwarded[-proxy_hops]
    return environ.get("REMOTE_ADDR", "")


class Admission:
    """The waiting sessions of one Engine.IO server, oldest first, and the refusals."""

    def __init__(self, eio, config: dict, authenticated: Callable[[], int]) -> None:
        self.eio = eio
        self.authenticated = authenticated
        self.max_sessions = config["MAX_CONNECTIONS"]
        self.max_per_address = config["MAX_UNAUTHENTICATED_PER_ADDRESS"]
        self.max_signing_in = config["MAX_SIGNING_IN"]
        self.deadline_seconds = config["AUTH_DEADLINE_SECONDS"]
        self.proxy_hops = config["PROXY_FIX_HOPS"]
        # sid -> (deadline, address); one deadline for all, so insertion order is deadline order.
        self.waiting: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self.per_address: dict[str, int] = {}
        # Every Engine.IO socket object not yet freed, open or closed (a leak shows here).
        self.alive: weakref.WeakSet = weakref.WeakSet()

    def refusal(self, environ: dict) -> tuple[str, str] | None:
        """Why a new session from this request may not open (HTTP status, message), or None."""
        if len(self.waiting) + self.authenticated() >= self.max_sessions:
            return "503 Service Unavailable", "server_full"
        if len(self.waiting) >= self.max_signing_in:
            return "503 Service Unavailable", "server_busy"
        if self.per_address.get(client_address(environ, self.proxy_hops), 0) >= self.max_per_address:
            return "429 Too Many Requests", "too_many_unauthenticated"
        return None

    def opened(self, sid: str, environ: dict) -> None:
        """A session opened: it waits for its Socket.IO connect."""
        address = client_address(environ, self.proxy_hops)
        self.waiting[sid] = (time.monotonic() + self.deadline_seconds, address)
        self.per_address[address] = self.per_address.get(address, 0) + 1
        eio_socket = self.eio.sockets.get(sid)
        if eio_socket is not None:
            self.alive.add(eio_socket)

    def settled(self, sid: str) -> None:
        """The session authenticated or closed: it no longer waits."""
        entry = self.waiting.pop(sid, None)
        if entry is None:
            return
        address = entry[1]
        left = self.per_address[address] - 1
        if left:
            self.per_address[address] = left
        else:
            del self.per_address[address]

    def run(self) -> None:
        """Close the sessions that did not authenticate in time, for as long as the process runs."""
        while True:
            now = time.monotonic()
            while self.waiting:
                sid, (deadline, address) = next(iter(self.waiting.items()))
                if deadline > now:
                    break
                self.settled(sid)
                self._close_late(sid, address)
            wait = next(iter(self.waiting.values()))[0] - now if self.waiting else LONGEST_SLEEP_SECONDS
            self.eio.sleep(min(max(wait, 0.05), LONGEST_SLEEP_SECONDS))

    def _close_late(self, sid: str, address: str) -> None:
        eio_socket = self.eio.sockets.pop(sid, None)
        if eio_socket is None or eio_socket.closed:
            return
        log.info("closing a session that did not authenticate in time", extra={"sid": sid, "remote": address})
        metrics.session_refused("auth_deadline")
        try:
            eio_socket.close(wait=False, reason=self.eio.reason.SERVER_DISCONNECT)
        except Exception:  # noqa: BLE001 - one socket's close must not stop the others'
            log.exception("closing an unauthenticated session failed")


def _refuse(start_response, status: str, message: str) -> list[bytes]:
    body = json.dumps({"message": message}).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def install(eio, config: dict, authenticated: Callable[[], int]) -> Admission:
    """Check every new session of this Engine.IO server against the limits, and track it."""
    admission = Admission(eio, config, authenticated)
    handle_request = eio.handle_request
    on_connect = eio.handlers["connect"]
    on_disconnect = eio.handlers["disconnect"]

    def admit_then_handle(environ, start_response):
        if environ.get("REQUEST_METHOD") == "GET" and "sid" not in parse_qs(environ.get("QUERY_STRING", "")):
            refusal = admission.refusal(environ)
            if refusal is not None:
                metrics.session_refused(refusal[1])
                log.info("refusing a session", extra={"reason": refusal[1], "remote": environ.get("REMOTE_ADDR")})
                return _refuse(start_response, *refusal)
        return handle_request(environ, start_response)

    def opened(sid, environ):
        admission.opened(sid, environ)
        return on_connect(sid, environ)

    def closed(sid, reason=None):
        admission.settled(sid)
        return on_disconnect(sid, reason)

    eio.admission = admission
    eio.handle_request = admit_then_handle
    eio.on("connect", opened)
    eio.on("disconnect", closed)
    metrics.read_sessions_with(waiting=admission.waiting.__len__, alive=admission.alive.__len__)
    return admission
