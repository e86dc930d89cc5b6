"""Socket.IO handlers: handshake, joining and leaving floor rooms, and sync.

The handshake and the disconnect run through Flask-SocketIO, in a request context built from
the handshake's environ: signing in by cookie reads the session there. The floor events
(`tables:join`, `tables:leave`, `tables:sync`) need only the socket and its account, so they
are handed to python-socketio directly (`register_socket_events`) and run in an app context:
Flask-SocketIO would build a request for each (a werkzeug Request, URL matching, the session),
a sixth of the server's time when every screen reconnects, joins and syncs at once (issue 15).
"""

import logging
import time
from collections.abc import Callable
from functools import wraps

from flask import Flask, current_app, request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError
from pydantic import ValidationError as Refused

from app.auth.sign_in import signed_in_with, without_setting_cookies
from app.errors import RATE_LIMITED
from app.extensions import db, socketio
from app.realtime import accounts, connections, guest_sockets, metrics, presence, transport
from app.realtime.guest_view import GUEST_UPDATE
from app.realtime.rooms import ALL_TABLES, STAFF, floor_room, party_room, session_room, user_room
from app.realtime.sessions import SESSION_ENDED
from app.realtime.sync import floor_exists, floors_of_rooms, room_head, shared_sync_answers
from app.services.guests import party_for_guest, place_in_line
from app.shapes.events import Connected, Join, Joined, Leave, Left, Refusal, Sent, SocketError, Sync
from app.shapes.guests import GuestUpdate
from app.shapes.presence import Claim, Claimed, Watch, Watching
from app.shapes.problems import problems_of

log = logging.getLogger("tableside.sockets")
MAX_SOCKETS_PER_USER = 50
MAX_FLOOR = 999
GUESTS_MAY_NOT = "A guest's page follows its own party only."


NAMESPACE = "/"
# Event name -> (handler(sid, user, data), the rate limit's setting) of the floor events, registered by
# `socket_event`.
FLOOR_EVENTS: dict[str, tuple[Callable, str]] = {}
# The handshake's events, run by Flask-SocketIO in a request context built from the handshake's environ.
HANDSHAKE_EVENTS = ("connect", "disconnect")


def send_to(sid: str, event: str, payload: object) -> None:
    """Send an event to one socket of this process, straight to it: the message queue, which
    would hand it to every process through Redis, is not needed. Its handler's answer (the
    acknowledgement) follows it in the same write (`transport.answer`)."""
    transport.answer(socketio.server, sid, event, payload)


def _refusal(error: str, message: str) -> dict:
    return Refusal(ok=False, error=error, message=message).wire()


def _socket_error(code: str, message: str) -> dict:
    return SocketError(code=code, message=message).wire()


def _internal_error(sid: str, error: Exception) -> dict:
    """A handler that failed answers with an error instead of dropping the connection."""
    db.session.rollback()
    log.exception("socket handler failed: %s", error)
    send_to(sid, "tables:error", _socket_error("internal_error", "Something went wrong on the server."))
    return _refusal("internal_error", "Something went wrong on the server.")


def socket_event(name: str, limit: str = "SOCKET_RATE_LIMIT") -> Callable:
    """Register the handler of the socket event `name`: the one way every socket event is registered.

    `connect` (handler(auth)) and `disconnect` (handler(reason)) run through Flask-SocketIO, in
    the handshake's request context: signing in by cookie reads the session there; one that fails
    is logged, and a failed connect refused (`server_error`: the client tries again). Every other
    event's handler(sid, user, data) is handed to python-socketio by `register_socket_events`
    and run by `_run_floor_event` in an app context, the socket's user re-checked and the event
    counted against the rate limit the setting `limit` names.
    """

    def register(handler: Callable) -> Callable:
        if name in HANDSHAKE_EVENTS:
            socketio.on(name)(_handshake_runner(name, handler))
        else:
            FLOOR_EVENTS[name] = (handler, limit)
        return handler

    return register


def _handshake_runner(name: str, handler: Callable) -> Callable:
    @wraps(handler)
    def run(*args):
        try:
            return handler(*args)
        except ConnectionRefusedError:
            raise
        except Exception as error:  # noqa: BLE001 - logged; a connect that failed is refused, not half set up
            db.session.rollback()
            log.exception("socket %s failed: %s", name, error)
            if name == "connect":
                _refuse("server_error")
            return None

    return run


def register_socket_events(server, app: Flask) -> None:
    """Hand the floor events to python-socketio's `server`, each run by `_run_floor_event` in `app`."""
    for name, (handler, limit) in FLOOR_EVENTS.items():
        server.on(name, _floor_event_runner(app, handler, limit), namespace=NAMESPACE)


def _floor_event_runner(app: Flask, handler: Callable, limit: str) -> Callable:
    def run(sid: str, *args):
        with app.app_context():
            return _run_floor_event(handler, sid, args[0] if args else None, limit)

    return run


def _run_floor_event(handler: Callable, sid: str, data: object, limit: str = "SOCKET_RATE_LIMIT"):
    """Re-check the socket's user and rate limit, then handler(sid, user, data)."""
    try:
        # A guest's socket is no member of staff: refused before anything is read.
        if guest_sockets.party_of(sid) is not None:
            return _refusal("forbidden", GUESTS_MAY_NOT)
        # The limit first: it is counted in memory, so a flood never reaches the database.
        if not connections.within_limit(sid, limit):
            send_to(sid, "tables:error", _socket_error("rate_limited", RATE_LIMITED))
            return _refusal("rate_limited", RATE_LIMITED)
        user = connections.current_user_of(sid)
        if user is None:
            send_to(sid, "tables:error", SESSION_ENDED)
            transport.end(socketio.server, sid)
            return _refusal("unauthorized", SESSION_ENDED["message"])
        return handler(sid, user, data)
    except Exception as error:  # noqa: BLE001 - answered, logged, and the socket stays
        return _internal_error(sid, error)
    finally:
        db.session.remove()


def _handshake_user(auth: object):
    without_setting_cookies()
    if current_user.is_authenticated:
        return current_user._get_current_object()
    token = auth.get("token") if isinstance(auth, dict) else None
    return accounts.account_from_token(token)


def _refuse(reason: str):
    metrics.session_refused(reason)
    raise ConnectionRefusedError(reason)


def _connect_guest(token: object) -> None:
    """A guest's page: its party's room and nothing else, whatever cookie the browser also sends.

    A dead, unknown or guessed token is refused as no credentials are.
    """
    party = party_for_guest(token) if isinstance(token, str) else None
    if party is None:
        db.session.remove()
        _refuse("unauthorized")
    if connections.count() + guest_sockets.count() >= current_app.config["MAX_CONNECTIONS"]:
        _refuse("server_full")
    if not guest_sockets.register(request.sid, party.id):
        _refuse("too_many_connections")
    transport.signed_in(socketio.server, request.sid)
    transport.enter(socketio.server, request.sid, party_room(party.id))
    update = GuestUpdate.of(party, place_in_line(party)).wire()
    db.session.remove()
    log.info("guest socket connect", extra={"sid": request.sid, "party": party.id, "remote": request.remote_addr})
    send_to(request.sid, "tables:connected", Connected(socket_id=request.sid).wire())
    send_to(request.sid, GUEST_UPDATE, update)


@socket_event("connect")
def on_connect(auth=None):
    """Accept a handshake with the session cookie, `auth: {token}`, or a guest's `auth: {guest}`; refuse others."""
    if isinstance(auth, dict) and "guest" in auth:
        _connect_guest(auth["guest"])
        return
    user = _handshake_user(auth)
    if user is None:
        _refuse("unauthorized")
    if connections.count() >= current_app.config["MAX_CONNECTIONS"]:
        _refuse("server_full")
    connection = connections.Connection(request.sid, user.id, user.username, user.session_generation, time.monotonic())
    if not connections.register(connection, MAX_SOCKETS_PER_USER):
        # A screen reconnecting before this process noticed its old socket die takes that place.
        for dead in connections.dead_sockets_of(user.id, lambda sid: transport.gone(socketio.server, sid)):
            transport.end(socketio.server, dead)
        if not connections.register(connection, MAX_SOCKETS_PER_USER):
            _refuse("too_many_connections")
    transport.signed_in(socketio.server, request.sid)
    transport.enter(socketio.server, request.sid, user_room(user.id))
    # The door is every floor's: each staff socket hears the line whatever floor it shows.
    transport.enter(socketio.server, request.sid, STAFF)
    sign_in = signed_in_with()
    if sign_in is not None:
        transport.enter(socketio.server, request.sid, session_room(sign_in.id))
    metrics.connection_opened(reconnect=isinstance(auth, dict) and auth.get("reconnect") is True)
    log.info("socket connect", extra={"sid": request.sid, "user": user.username, "remote": request.remote_addr})
    send_to(request.sid, "tables:connected", Connected(socket_id=request.sid).wire())


@socket_event("disconnect")
def on_disconnect(reason=None):
    """Forget the socket; Socket.IO leaves its rooms by itself."""
    guest_sockets.forget(request.sid)
    presence.gone(request.sid)
    connection = connections.forget(request.sid)
    if reason == socketio.server.reason.CLIENT_DISCONNECT:
        # The client left the namespace but may keep its transport: it waits to sign in again.
        transport.waits_to_sign_in(socketio.server, request.sid, request.environ)
    if connection is not None:
        metrics.connection_closed(str(reason))
        log.info("socket disconnect", extra={"sid": request.sid, "user": connection.username, "reason": str(reason)})


def _read(shape: type[Sent], data: object) -> tuple[Sent | None, dict | None]:
    """What the client sent as `shape`, or the refusal that names what is wrong with it."""
    try:
        return shape.model_validate(data, by_name=False), None
    except Refused as error:
        whole, fields = problems_of(error)
        said = "; ".join(f"{field}: {words}" for field, words in fields.items())
        return None, _refusal("bad_request", whole or said)


@socket_event("tables:join")
def on_join(sid: str, user, data):
    """Join `floor:N`, or `all_tables` for floor null, within the user's floor limit."""
    join, problem = _read(Join, data)
    if problem:
        return problem
    floor = join.floor
    if floor is None:
        if user.is_floor_limited:
            return _refusal("forbidden", "You may only watch the floors you are assigned to.")
        transport.enter(socketio.server, sid, ALL_TABLES)
        head = room_head(floors_of_rooms([ALL_TABLES], user))
        return Joined(ok=True, room=ALL_TABLES, last_event_id=str(head) if head else None).wire()
    # Floors are numbered 1-999; a larger int would overflow the database's integer column.
    if not 1 <= floor <= MAX_FLOOR or not floor_exists(floor):
        return _refusal("not_found", f"Floor {floor} does not exist.")
    if not user.may_see_floor(floor):
        return _refusal("forbidden", f"You do not have access to floor {floor}.")
    transport.enter(socketio.server, sid, floor_room(floor))
    head = room_head([floor])
    return Joined(ok=True, room=floor_room(floor), last_event_id=str(head) if head else None).wire()


@socket_event("tables:leave")
def on_leave(sid: str, user, data):
    """Leave `floor:N` (or `all_tables` for floor null)."""
    leave, problem = _read(Leave, data)
    if problem:
        return problem
    room = ALL_TABLES if leave.floor is None else floor_room(leave.floor)
    transport.leave(socketio.server, sid, room)
    if leave.floor is not None:
        presence.unwatch(sid, leave.floor)
    return Left(ok=True, room=room).wire()


@socket_event("tables:sync")
def on_sync(sid: str, user, data):
    """Answer with the missed events of the socket's rooms, or a snapshot of them."""
    sync, problem = _read(Sync, data)
    if problem:
        return problem
    floors = floors_of_rooms(transport.rooms_of(socketio.server, sid), user)
    response, acknowledgement = shared_sync_answers(sync.last_event_id, floors)
    metrics.synced(bool(response.get("recovered")))
    send_to(sid, "tables:sync_response", response)
    return acknowledgement


@socket_event("presence:watch", limit="PRESENCE_RATE_LIMIT")
def on_watch(sid: str, user, data):
    """Follow who is looking at a floor the user may see, and be listed there."""
    watch, problem = _read(Watch, data)
    if problem:
        return problem
    if watch.floor > MAX_FLOOR or not floor_exists(watch.floor):
        return _refusal("not_found", f"Floor {watch.floor} does not exist.")
    if not user.may_see_floor(watch.floor):
        return _refusal("forbidden", f"You do not have access to floor {watch.floor}.")
    presence.watch(sid, user, watch.floor)
    return Watching(ok=True, floor=watch.floor).wire()


@socket_event("presence:claim", limit="PRESENCE_RATE_LIMIT")
def on_claim(sid: str, user, data):
    """Say which table this screen has in hand on a floor it watches (null: none)."""
    claim, problem = _read(Claim, data)
    if problem:
        return problem
    if not presence.claim(sid, claim.floor, claim.table_id):
        return _refusal("not_watching", f"Send presence:watch for floor {claim.floor} first.")
    return Claimed(ok=True, table_id=claim.table_id).wire()
