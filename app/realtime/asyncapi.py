"""The socket described as AsyncAPI 3.0 (/api/asyncapi.json), generated from the event shapes.

Every payload schema is pydantic's JSON Schema of a shape in app/shapes/events.py, read from
its registries: SERVER_EVENTS (what the server sends), CLIENT_EVENTS (what a client sends and
each acknowledgement). This module only lays them out as AsyncAPI wants: the rooms as
channels, one operation per thing the server does, acknowledgements as operation replies, and
the handshake's credentials as security schemes.

Written here rather than by a library: the Python generators of AsyncAPI from pydantic that
exist either replace Flask-SocketIO's server class (sio-asyncapi, which writes AsyncAPI 3.1
and keeps acknowledgements in an `x-ack` extension instead of 3.0's `reply`) or only model
the document without reading event shapes. The validity of what is laid out here is checked
against the AsyncAPI 3.0.0 JSON Schema from the `@asyncapi/specs` package, in the tests.

How the document maps onto Socket.IO: each message is one event on the default namespace, its
`name` the event's name and its payload the event's one argument; a reply is the event's
acknowledgement (the client's `emit` callback), never a separate event.
"""

import functools
import re
from typing import Any

from pydantic.json_schema import models_json_schema

from app.realtime.rooms import ALL_TABLES, STAFF
from app.shapes.base import ShapeSchema
from app.shapes.events import (
    AT_THE_DOOR,
    CLIENT_EVENTS,
    FOR_THE_GUEST,
    FOR_THE_WATCHERS,
    MESSAGES,
    SERVER_EVENTS,
    Handshake,
)

SCHEMAS = "#/components/schemas/{model}"
SOCKET_PATH = "/socket.io"
# Server events that go to the floor rooms and all_tables besides every logged event; any
# other server event answers one socket.
BROADCAST_TOO = ("tables:batch_update", "tables:head")
# Sent to every socket of a user, or of one sign-in, when that session ends.
SESSION_ENDED_EVENT = "tables:error"

_DESCRIBED = """\
Live changes to the floor plan over Socket.IO 5 (Engine.IO 4) at `/socket.io/`, default
namespace `/`: WebSocket, or HTTP long-polling upgraded to it. Each message below is one
Socket.IO event: its `name` is the event's name and its payload is the event's single
argument. Every client-to-server event expects an acknowledgement (the operation's reply).

Sign in at the handshake with any one of the security schemes: a page's session cookie,
`auth: {token}` in the Socket.IO CONNECT packet, or `Authorization: Bearer <token>` on the
handshake request (a token comes from `POST /api/auth/token`, described at
/api/openapi.json). A handshake without valid credentials is refused with the CONNECT error
`{"message": "unauthorized"}`; one from an origin not allowed is refused before it opens.

After the handshake the server sends `tables:connected`. A client then joins rooms with
`tables:join` and receives every change to their floors, each change once per socket, in
event-id order. A socket may be in several rooms at once (a browser's tabs share one
connection and join the floors they show between them): `tables:join` adds a room,
`tables:leave` takes out that one only, and an event concerning several of them (a table moved
between floors, a floor's change also sent to `all_tables`) still arrives once. Every staff
socket is also in `staff` from the start: the door's events (`party:*`, the line of parties
waiting) reach it whatever floor it shows. After a reconnect
a client sends `tables:sync` with the last event id it applied; the answer holds its floors'
events and the door's.
The first status change after the batch window (BATCH_WINDOW_MS) passed quietly arrives at
once as `table:status_changed`; the changes that follow it within the window arrive together
at its end as one `tables:batch_update` (a single one as `table:status_changed`), so a burst
of ten costs two messages. The window goes on while changes keep coming and closes when one
passes with nothing held. Joins, leaves and syncs are rate-limited per connection: a refusal
answers `{ok: false, error: "rate_limited"}` and `tables:error` says so too.

A guest's page signs in with `auth: {guest: <token>}`, the token of its party's link
(`/w/<token>`), alive while the party is in line. Such a socket joins its party's room
`party:<id>` and no other: not `staff`, no floor, no user's room. At connect and on every
change to its party, or when a party ahead of it leaves the line, it receives `guest:update`
and nothing else; every client event it sends (`tables:join`, `tables:sync`, ...) is refused
with `{ok: false, error: "forbidden"}`. A dead, unknown or guessed token is refused with the
CONNECT error `{"message": "unauthorized"}`.

Presence is asked for, not pushed: a staff socket that sends `presence:watch {floor}` (a floor
it may see) joins `presence:<floor>` and from then on receives `presence:update`, the whole list
of screens looking at that floor, each with whose it is and the table it has in hand, whenever
it changes. `presence:claim {floor, tableId}` says which table this screen has in hand (null:
none); a claim never blocks anyone. A screen leaves the list when it leaves the floor or
disconnects, and a process that dies takes its screens with it within PRESENCE_TTL_SECONDS
(default 5 s). Presence is not logged and not replayed by sync; a `version` that does not grow
marks a stale list. Claims count against their own limit per connection (PRESENCE_RATE_LIMIT)."""
DESCRIPTION = "\n\n".join(paragraph.replace("\n", " ") for paragraph in _DESCRIBED.split("\n\n"))


def _message_id(event: str) -> str:
    """A component name for an event: `table:status_changed` is `tableStatusChanged`."""
    first, *rest = re.split(r"[:_]", event)
    return first + "".join(word.capitalize() for word in rest)


def _summary(shape: type) -> str:
    """The first line of a shape's docstring, which says what the event or answer is for."""
    return (shape.__doc__ or shape.__name__).strip().splitlines()[0]


def _reference(*path: str) -> dict[str, str]:
    return {"$ref": "#/" + "/".join(path)}


def _schemas() -> tuple[dict[tuple[type, str], dict], dict[str, Any]]:
    """Each shape's schema reference, and every schema they need, as components/schemas."""
    shapes = [(shape, "serialization") for shape in SERVER_EVENTS.values()]
    for sent, answers in CLIENT_EVENTS.values():
        shapes.append((sent, "validation"))
        shapes += [(answer, "serialization") for answer in answers]
    shapes.append((Handshake, "validation"))
    references, schemas = models_json_schema(shapes, ref_template=SCHEMAS, schema_generator=ShapeSchema)
    return references, schemas.get("$defs", {})


def _event_message(event: str, shape: type, reference: dict) -> dict[str, Any]:
    return {"name": event, "title": event, "summary": _summary(shape), "payload": reference}


def _listed(message_ids) -> dict[str, dict[str, str]]:
    """A channel's messages: each a reference to its component."""
    return {message_id: _reference("components", "messages", message_id) for message_id in message_ids}


def _answer_id(shape: type) -> str:
    return shape.__name__[0].lower() + shape.__name__[1:]


@functools.cache
def _interface() -> dict[str, Any]:
    """Everything of the document but its server, which depends on where it is asked from."""
    references, schemas = _schemas()
    messages, answers = {}, {}
    for event, shape in SERVER_EVENTS.items():
        messages[_message_id(event)] = _event_message(event, shape, references[(shape, "serialization")])
    for event, (sent, replies) in CLIENT_EVENTS.items():
        messages[_message_id(event)] = _event_message(event, sent, references[(sent, "validation")])
        for answer in replies:
            answers[_answer_id(answer)] = {
                "title": f"{event} acknowledgement: {answer.__name__}",
                "summary": _summary(answer),
                "payload": references[(answer, "serialization")],
            }

    at_the_door = [event for event in MESSAGES if event in AT_THE_DOOR]
    broadcast = [*(event for event in MESSAGES if event not in AT_THE_DOOR), *BROADCAST_TOO]
    elsewhere = {*broadcast, *at_the_door, *FOR_THE_WATCHERS}
    to_socket = [event for event in SERVER_EVENTS if event not in elsewhere]
    room_messages = _listed(_message_id(event) for event in broadcast)
    socket_messages = _listed([*(_message_id(event) for event in [*to_socket, *CLIENT_EVENTS]), *answers])
    ended = _listed([_message_id(SESSION_ENDED_EVENT)])
    door_messages = _listed(_message_id(event) for event in at_the_door)
    guest_messages = _listed(_message_id(event) for event in FOR_THE_GUEST)
    presence_messages = _listed(_message_id(event) for event in FOR_THE_WATCHERS)

    channels = {
        "floor": {
            "address": "floor:{floor}",
            "title": "One floor",
            "description": "Everyone watching one floor: every change to its tables, sections, shift presets and turn"
            " time.",
            "parameters": {"floor": {"description": "The floor's number."}},
            "messages": room_messages,
        },
        "allTables": {
            "address": ALL_TABLES,
            "title": "Every floor",
            "description": "The list of every table: every change on every floor (not for floor-limited staff).",
            "messages": room_messages,
        },
        "staff": {
            "address": STAFF,
            "title": "The door",
            "description": "Every staff socket, whatever floor it shows: every change to the line of parties.",
            "messages": door_messages,
        },
        "party": {
            "address": "party:{partyId}",
            "title": "One party's guest",
            "description": "The guest's own page (auth: {guest}): its party's state, place in line and quote only.",
            "parameters": {"partyId": {"description": "The party's id."}},
            "messages": guest_messages,
        },
        "presence": {
            "address": "presence:{floor}",
            "title": "Who is looking at one floor",
            "description": "The sockets that sent presence:watch for the floor: who else looks at it, and which"
            " table each has in hand.",
            "parameters": {"floor": {"description": "The floor's number."}},
            "messages": presence_messages,
        },
        "socket": {
            "address": None,
            "title": "One socket",
            "description": "What one client sends, and what the server answers that socket alone.",
            "messages": socket_messages,
        },
        "user": {
            "address": "user:{userId}",
            "title": "Every socket of one member of staff",
            "description": "Told when the account is deactivated or changed, then disconnected.",
            "parameters": {"userId": {"description": "The member of staff's user id."}},
            "messages": ended,
        },
        "signIn": {
            "address": "session:{signIn}",
            "title": "Every socket of one sign-in",
            "description": "Told when that browser signs out, then disconnected.",
            "parameters": {"signIn": {"description": "The sign-in's own id, kept in its session."}},
            "messages": ended,
        },
    }

    def sending(channel: str, summary: str, events: list[str]) -> dict[str, Any]:
        refs = [_reference("channels", channel, "messages", _message_id(event)) for event in events]
        return {"action": "send", "channel": _reference("channels", channel), "summary": summary, "messages": refs}

    operations = {
        "broadcastToFloor": sending("floor", "A change on the floor, after it is committed.", broadcast),
        "broadcastToAllTables": sending("allTables", "A change on any floor, after it is committed.", broadcast),
        "broadcastToStaff": sending("staff", "A change at the door, after it is committed.", at_the_door),
        "tellTheGuest": sending(
            "party", "The guest's party changed, or the line moved up, after it is committed.", list(FOR_THE_GUEST)
        ),
        "tellTheWatchers": sending(
            "presence",
            "Someone started or stopped looking at the floor, or took or put down a table.",
            list(FOR_THE_WATCHERS),
        ),
        "answerTheSocket": sending("socket", "The greeting, a sync's answer, or an error.", to_socket),
        "endUserSessions": sending("user", "The account's sessions ended.", [SESSION_ENDED_EVENT]),
        "endSignIn": sending("signIn", "The sign-in ended.", [SESSION_ENDED_EVENT]),
    }
    for event, (sent, replies) in CLIENT_EVENTS.items():
        operations[_message_id(event)] = {
            "action": "receive",
            "channel": _reference("channels", "socket"),
            "summary": _summary(sent),
            "messages": [_reference("channels", "socket", "messages", _message_id(event))],
            "reply": {
                "channel": _reference("channels", "socket"),
                "messages": [_reference("channels", "socket", "messages", _answer_id(answer)) for answer in replies],
            },
        }

    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Tableside live updates", "version": "1.0.0", "description": DESCRIPTION},
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas, "messages": messages | answers},
    }


def _security_schemes(session_cookie: str, remember_cookie: str) -> dict[str, Any]:
    return {
        "sessionCookie": {
            "type": "httpApiKey",
            "in": "cookie",
            "name": session_cookie,
            "description": "The session cookie of a page signed in at /login (the browser sends it).",
        },
        "rememberCookie": {
            "type": "httpApiKey",
            "in": "cookie",
            "name": remember_cookie,
            "description": "The remember-me cookie of a sign-in, when the session cookie is gone.",
        },
        "authToken": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": (
                "A token from POST /api/auth/token, not in a header but in the Socket.IO CONNECT"
                " packet's `auth` object: `auth: {token}` (x-socketio-auth is that object's schema)."
            ),
            "x-socketio-auth": _reference("components", "schemas", Handshake.__name__),
        },
        "bearerHeader": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "A token from POST /api/auth/token in the handshake request's Authorization header.",
        },
    }


def document(host: str, secure: bool, session_cookie: str, remember_cookie: str) -> dict[str, Any]:
    """The AsyncAPI 3.0 document of the socket served at `host` (wss when `secure`)."""
    interface = _interface()
    schemes = _security_schemes(session_cookie, remember_cookie)
    server = {
        "host": host,
        "protocol": "wss" if secure else "ws",
        "pathname": SOCKET_PATH,
        "title": "Tableside",
        "description": "Socket.IO 5 on Engine.IO 4; the same host serves the pages and the JSON API.",
        "security": [_reference("components", "securitySchemes", name) for name in schemes],
    }
    components = {**interface["components"], "securitySchemes": schemes}
    return {**interface, "servers": {"tableside": server}, "components": components}
