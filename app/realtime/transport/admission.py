"""Who may open an Engine.IO session, and how long it may take to sign in.

A session is signed in when its Socket.IO connect is accepted (handlers.on_connect). Until then
it waits, and a waiting session costs the process a file and memory like any other. A handshake
that carries credentials (a signed-in session cookie, or a token in the Authorization header,
checked by signature alone: app/realtime/credentials.py) is a screen or a client coming back.
One without may be anyone: a client whose token comes one round trip later in the Socket.IO
connect's `auth`, or a stranger who will never sign in.

- A handshake with credentials is counted only with the signed-in sessions and the other
  handshakes with credentials: past MAX_CONNECTIONS of those it is refused with 503 and
  `{"message": "server_full"}`, past MAX_SIGNING_IN of them waiting at once with 503 and
  `{"message": "server_busy"}` (the client comes back after its reconnection delay).
  Handshakes without credentials never keep it out, however many and from wherever.
- A handshake without credentials is counted with everyone and gives way: 503 `server_full`
  past MAX_CONNECTIONS sessions in all, 503 `server_busy` past MAX_SIGNING_IN waiting of
  either kind, and 429 `{"message": "too_many_unauthenticated"}` once its address holds
  MAX_UNAUTHENTICATED_PER_ADDRESS sessions waiting without credentials. That share is small
  (10 of MAX_SIGNING_IN's 200 by default): two addresses hold a tenth of the places, and
  filling them takes twenty.
- A session still waiting AUTH_DEADLINE_SECONDS after it opened is closed, of either kind, on
  either transport.

So sessions without credentials can take at most MAX_SIGNING_IN places beyond MAX_CONNECTIONS.
The address is the peer's, or with PROXY_FIX_HOPS the one that many proxies back in
X-Forwarded-For (as ProxyFix reads it for Flask; Engine.IO sits in front of ProxyFix).
"""

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

from app.realtime import credentials, metrics
from app.realtime.transport import gate

log = logging.getLogger(__name__)
LONGEST_SLEEP_SECONDS = 1.0
# Where the handshake's environ (kept by Socket.IO for the session's life) says it carried credentials.
WITH_CREDENTIALS = "tableside.with_credentials"


def client_address(environ: dict, proxy_hops: int) -> str:
    """The client's address: the peer's, or the one `proxy_hops` proxies back in X-Forwarded-For."""
    if proxy_hops:
        forwarded = [part.strip() for part in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxy_hops and forwarded[-proxy_hops]:
            return forwarded[-proxy_hops]
    return environ.get("REMOTE_ADDR", "")


@dataclass(frozen=True)
class Waiting:
    """A session waiting to sign in: when it must have, from where, and whether it showed credentials."""

    deadline: float
    address: str
    with_credentials: bool


class Admission:
    """The waiting sessions of one Engine.IO server, oldest first, and the refusals."""

    def __init__(self, app: Flask, eio, authenticated: Callable[[], int]) -> None:
        config = app.config
        self.app = app
        self.eio = eio
        self.authenticated = authenticated
        self.max_sessions = config["MAX_CONNECTIONS"]
        self.max_per_address = config["MAX_UNAUTHENTICATED_PER_ADDRESS"]
        self.max_signing_in = config["MAX_SIGNING_IN"]
        self.deadline_seconds = config["AUTH_DEADLINE_SECONDS"]
        self.proxy_hops = config["PROXY_FIX_HOPS"]
        # One deadline for all, so insertion order is deadline order.
        self.waiting: OrderedDict[str, Waiting] = OrderedDict()
        self.with_credentials = 0
        # Sessions waiting without credentials, by address.
        self.strangers_at: dict[str, int] = {}

    @property
    def without_credentials(self) -> int:
        """Sessions waiting that showed no credentials at their handshake."""
        return len(self.waiting) - self.with_credentials

    def refusal(self, environ: dict) -> tuple[str, str] | None:
        """Why a new session from this request may not open (HTTP status, message), or None."""
        shown = credentials.shows_credentials(self.app, environ)
        environ[WITH_CREDENTIALS] = shown
        if shown:
            if self.with_credentials + self.authenticated() >= self.max_sessions:
                return "503 Service Unavailable", "server_full"
            if self.with_credentials >= self.max_signing_in:
                return "503 Service Unavailable", "server_busy"
            return None
        if len(self.waiting) + self.authenticated() >= self.max_sessions:
            return "503 Service Unavailable", "server_full"
        if len(self.waiting) >= self.max_signing_in:
            return "503 Service Unavailable", "server_busy"
        if self.strangers_at.get(client_address(environ, self.proxy_hops), 0) >= self.max_per_address:
            return "429 Too Many Requests", "too_many_unauthenticated"
        return None

    def opened(self, sid: str, environ: dict) -> None:
        """A session opened: it waits for its Socket.IO connect."""
        entry = Waiting(
            time.monotonic() + self.deadline_seconds,
            client_address(environ, self.proxy_hops),
            environ.get(WITH_CREDENTIALS, False),
        )
        self.settled(sid)  # a session that signs in again is counted once
        self.waiting[sid] = entry
        if entry.with_credentials:
            self.with_credentials += 1
        else:
            self.strangers_at[entry.address] = self.strangers_at.get(entry.address, 0) + 1

    def settled(self, sid: str) -> None:
        """The session signed in or closed: it no longer waits."""
        entry = self.waiting.pop(sid, None)
        if entry is None:
            return
        if entry.with_credentials:
            self.with_credentials -= 1
            return
        left = self.strangers_at[entry.address] - 1
        if left:
            self.strangers_at[entry.address] = left
        else:
            del self.strangers_at[entry.address]

    def run(self) -> None:
        """Close the sessions that did not sign in in time, for as long as the process runs."""
        while True:
            now = time.monotonic()
            while self.waiting:
                sid, entry = next(iter(self.waiting.items()))
                if entry.deadline > now:
                    break
                self.settled(sid)
                self._close_late(sid, entry.address)
            wait = next(iter(self.waiting.values())).deadline - now if self.waiting else LONGEST_SLEEP_SECONDS
            self.eio.sleep(min(max(wait, 0.05), LONGEST_SLEEP_SECONDS))

    def _close_late(self, sid: str, address: str) -> None:
        try:
            if gate.close_now(self.eio, sid):
                log.info("closing a session that did not sign in in time", extra={"sid": sid, "remote": address})
                metrics.session_refused("auth_deadline")
        except Exception:  # noqa: BLE001 - one socket's close must not stop the others'
            log.exception("closing an unauthenticated session failed")


def install(app: Flask, eio, authenticated: Callable[[], int]) -> Admission:
    """Check every new session of this Engine.IO server against the limits, and track it."""
    admission = Admission(app, eio, authenticated)

    def refusal(environ: dict) -> tuple[str, str] | None:
        refused = admission.refusal(environ)
        if refused is not None:
            metrics.session_refused(refused[1])
            log.info("refusing a session", extra={"reason": refused[1], "remote": environ.get("REMOTE_ADDR")})
        return refused

    gate.guard(eio, refusal, admission.opened, admission.settled)
    metrics.read_sessions_with(
        waiting=admission.waiting.__len__,
        without_credentials=lambda: admission.without_credentials,
        alive=lambda: gate.sockets_alive(eio),
    )
    return admission
