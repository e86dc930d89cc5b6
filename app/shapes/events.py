"""Every Socket.IO event, each declared once: what the server records and sends, what clients send and
what their acknowledgement says.

Services build a logged event's payload as its `Recorded` shape (`StatusChanged(...)`) and hand it
to `change.record`; the message a client receives is that payload with its `eventId` first
(`logged(...)`), as the log replays it. The registries at the bottom name each event's shapes, for
the AsyncAPI document and the tests that check what clients receive:

- `LOGGED`: event name -> the shape recorded for it (what services build);
- `SERVER_EVENTS`: event name -> the shape of the payload a client receives;
- `CLIENT_EVENTS`: event name -> (the shape of what the client sends, the shape of the acknowledgement).
"""

from typing import Annotated, Any, Literal, Self

from pydantic import BeforeValidator, Field, RootModel

from app.models.event import EventType
from app.shapes.base import Logged, Sent, Shape, logged, partial
from app.shapes.fields import EventIdText, Moment, StatusWord, refused
from app.shapes.floors import Floor
from app.shapes.guests import GuestUpdate
from app.shapes.parties import Party
from app.shapes.presence import Claim, Claimed, Presence, Watch, Watching
from app.shapes.presets import ListedPreset
from app.shapes.sections import Section
from app.shapes.staff import Assignee
from app.shapes.tables import Table, TableFieldsChanged


# Logged events: recorded in the change's transaction, broadcast after commit, replayed by sync.
class StatusChanged(Shape):
    """`table:status_changed`: a table's new status; covers, the hold and notes when the change set them."""

    table_id: int
    table_number: str
    floor: int
    old_status: StatusWord
    new_status: StatusWord
    updated_by: str
    updated_at: Moment
    covers: int | None = None
    party_id: int | None = Field(None, description="The party at the table, whenever it has one after the change.")
    reserved_until: Moment | None = None
    notes: str | None = Field(None, description="Present when the change set them; null when it cleared them.")
    status_changed_at: Moment | None = Field(
        None,
        description="When the new status began, when not updatedAt: a moved or joined party keeps its seated time.",
    )


class TableCreated(Table):
    """`table:created`: the whole new table."""


class TableUpdated(Shape):
    """`table:updated`: only the fields that changed, with their new values."""

    table_id: int
    table_number: str
    floor: int
    changes: TableFieldsChanged
    updated_by: str
    updated_at: Moment


class TableDeleted(Shape):
    """`table:deleted`."""

    table_id: int
    table_number: str
    floor: int
    deleted_by: str
    deleted_at: Moment


FloorFieldsChanged = partial(Floor, "FloorFieldsChanged", "A floor's changed fields.", only=("name", "turn_minutes"))


class FloorUpdated(Shape):
    """`floor:updated`: a floor's new name or turn time."""

    floor: int
    changes: FloorFieldsChanged
    updated_by: str
    updated_at: Moment


class SectionCreated(Section):
    """`section:created`: the new section, and who made it when."""

    updated_by: str
    updated_at: Moment


SectionFieldsChanged = partial(Section, "SectionFieldsChanged", "A section's changed fields.", only=("name", "colour"))


class SectionUpdated(Shape):
    """`section:updated`: a section's new name or colour, and the tables that show it."""

    section_id: int
    floor: int
    changes: SectionFieldsChanged
    table_ids: list[int]
    updated_by: str
    updated_at: Moment


class SectionDeleted(Shape):
    """`section:deleted`: its tables keep their places, with no section."""

    section_id: int
    floor: int
    name: str
    table_ids: list[int]
    deleted_by: str
    deleted_at: Moment


class SectionAssigned(Shape):
    """`section:assigned`: who looks after a section now (null: nobody), and its tables."""

    section_id: int
    floor: int
    name: str
    assignee: Assignee | None
    table_ids: list[int]
    updated_by: str
    updated_at: Moment


# A floor's shift presets: news for the sections screens open on the floor. The list's entry only: the
# sections a preset keeps are read when it is loaded, by managers (GET /api/floors/<floor>/presets).
class PresetSaved(ListedPreset):
    """`preset:saved`: a preset saved on the floor, new or in place of one of that name (its name as typed now)."""


class PresetDeleted(Shape):
    """`preset:deleted`: a preset forgotten; the floor's sections stay as they are."""

    preset_id: int
    floor: int
    name: str
    deleted_by: str
    deleted_at: Moment


# The door's events: a party's are news on every staff screen, whatever floor it shows (logged
# with floor DOOR). A walk-in seated at once never stands in line: its news is its tables'
# `table:status_changed`, each carrying its partyId.
class PartyCreated(Party):
    """`party:created`: a party joined the line (the whole party, its guest page and quote)."""

    updated_by: str
    updated_at: Moment


PartyFieldsChanged = partial(Party, "PartyFieldsChanged", "The fields of a party a change set, with their new values.")


class PartyUpdated(Shape):
    """`party:updated`: only the fields that changed, with their new values; a move in line changes `state`."""

    party_id: int
    changes: PartyFieldsChanged
    updated_by: str
    updated_at: Moment


class PartySeated(Shape):
    """`party:seated`: a party left the line for its tables (each told by its own `table:status_changed`)."""

    party_id: int
    size: int
    name: str | None
    table_ids: list[int]
    seated_at: Moment
    version: int
    updated_by: str
    updated_at: Moment


class PartyUnseated(Party):
    """`party:unseated`: a seating from the line undone; the whole party, back in line where it stood (its
    tables freed, each told by its own `table:status_changed`)."""

    updated_by: str
    updated_at: Moment


# The rotation's events: a host cut, uncut or skipped a server; news on every staff screen's
# servers panel, like the door's (logged with floor DOOR).
class ServerTurnChanged(Shape):
    """A server's place in the rotation after a host's change."""

    user_id: int
    name: str
    cut: bool
    skipped: bool
    updated_by: str
    updated_at: Moment


class ServerCut(ServerTurnChanged):
    """`server:cut`: no more parties for this server this shift."""


class ServerUncut(ServerTurnChanged):
    """`server:uncut`: the server is back in the rotation."""


class ServerSkipped(ServerTurnChanged):
    """`server:skipped`: the server is passed over for the next party only."""


LOGGED: dict[str, type[Shape]] = {
    EventType.STATUS_CHANGED: StatusChanged,
    EventType.TABLE_CREATED: TableCreated,
    EventType.TABLE_UPDATED: TableUpdated,
    EventType.TABLE_DELETED: TableDeleted,
    EventType.FLOOR_UPDATED: FloorUpdated,
    EventType.SECTION_CREATED: SectionCreated,
    EventType.SECTION_UPDATED: SectionUpdated,
    EventType.SECTION_DELETED: SectionDeleted,
    EventType.SECTION_ASSIGNED: SectionAssigned,
    EventType.PRESET_SAVED: PresetSaved,
    EventType.PRESET_DELETED: PresetDeleted,
    EventType.PARTY_CREATED: PartyCreated,
    EventType.PARTY_UPDATED: PartyUpdated,
    EventType.PARTY_SEATED: PartySeated,
    EventType.PARTY_UNSEATED: PartyUnseated,
    EventType.SERVER_CUT: ServerCut,
    EventType.SERVER_UNCUT: ServerUncut,
    EventType.SERVER_SKIPPED: ServerSkipped,
}
# What the door hears, every staff socket alike; every other logged event is news on its floors.
AT_THE_DOOR = (
    EventType.PARTY_CREATED,
    EventType.PARTY_UPDATED,
    EventType.PARTY_SEATED,
    EventType.PARTY_UNSEATED,
    EventType.SERVER_CUT,
    EventType.SERVER_UNCUT,
    EventType.SERVER_SKIPPED,
)
KIND_OF: dict[type[Shape], EventType] = {shape: EventType(name) for name, shape in LOGGED.items()}
MESSAGES: dict[str, type[Logged]] = {name: logged(shape) for name, shape in LOGGED.items()}


def kind_of(payload: Shape) -> EventType:
    """The logged event a payload is recorded as; a shape that is no logged event's is a bug."""
    return KIND_OF[type(payload)]


# Sent by the server and not logged.
class BatchItem(MESSAGES[EventType.STATUS_CHANGED]):
    """One change of a `tables:batch_update`: a `table:status_changed` message with its new status as `status`."""

    status: StatusWord

    @classmethod
    def of(cls, message: dict) -> Self:
        """A `table:status_changed` message as a batch item: its new status is also `status`."""
        return cls.model_validate({**message, "status": message["newStatus"]}, by_name=False)


class BatchUpdate(RootModel[list[BatchItem]]):
    """`tables:batch_update`: status changes of one batch window, in event-id order."""

    def wire(self) -> list[dict[str, Any]]:
        """The items as JSON sends them (each with the fields it was given)."""
        return self.model_dump(mode="json", exclude_unset=True)


class LogEntry(Shape):
    """One logged event as sync and `GET /api/events` replay it: its id, its name and its message."""

    event_id: str
    event: str
    data: dict[str, Any] = Field(description="The event's message, as it was broadcast (eventId included).")

    @classmethod
    def of(cls, event) -> Self:
        """An event row of the log."""
        return cls(event_id=event.event_id, event=event.type, data=event.message())


class EventsPage(Shape):
    """`GET /api/events`: the events after the id asked for, oldest first, and the id to ask after next."""

    events: list[LogEntry]
    last_event_id: str


class SyncResponse(Shape):
    """`tables:sync_response`: the missed events (recovered), or the current state of the socket's rooms."""

    recovered: bool
    last_event_id: str | None
    events: list[LogEntry]
    tables: list[Table]
    sections: list[Section] = Field(None, description="With a snapshot: the rooms' sections and assignees.")
    presets: list[ListedPreset] = Field(None, description="With a snapshot: the rooms' shift presets, by name.")
    floors: list[Floor] = Field(None, description="With a snapshot: the rooms' floors and turn times.")
    parties: list[Party] = Field(None, description="With a snapshot: the line (waiting and notified), in order.")


class Connected(Shape):
    """`tables:connected`: sent once the handshake is accepted."""

    socket_id: str


class SocketError(Shape):
    """`tables:error`: a refusal or an ended session, in words for people."""

    code: str
    message: str


class RoomHead(Shape):
    """`tables:head`: a room's newest event id, so a client that missed a broadcast notices."""

    room: str
    last_event_id: str | None


# Sent by clients, each answered by an acknowledgement.
class Handshake(Shape):
    """The `auth` of the Socket.IO CONNECT packet: a token, unless the handshake carries a cookie or a bearer header."""

    token: str = Field(None, description="From POST /api/auth/token.")
    guest: str = Field(
        None,
        description="A guest's page: the token of its party's guest link (/w/<token>). The socket then follows that"
        " party alone, whatever cookie it also carries.",
    )
    reconnect: bool = Field(None, description="True when a screen comes back after losing its link.")


def _floor_or_all(value: object) -> int | None:
    """A JSON integer (the handler says whether that floor exists), or null for every floor."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise refused("floor", "Must be a whole number, or null for every floor.")


FloorOrAll = Annotated[int | None, BeforeValidator(_floor_or_all)]


class Join(Sent):
    """`tables:join`: a floor's room, or (null) `all_tables`."""

    floor: FloorOrAll


class Leave(Sent):
    """`tables:leave`: a floor's room, or (null) `all_tables`."""

    floor: FloorOrAll


class Sync(Sent):
    """`tables:sync`: the last event id the client applied, or null for a snapshot."""

    last_event_id: EventIdText


class Refusal(Shape):
    """An acknowledgement saying no, and why."""

    ok: Literal[False]
    error: str
    message: str


class Joined(Shape):
    """`tables:join` accepted: the room, and its newest event id."""

    ok: Literal[True]
    room: str
    last_event_id: str | None


class Left(Shape):
    """`tables:leave` accepted."""

    ok: Literal[True]
    room: str


class Synced(SyncResponse):
    """`tables:sync` accepted: the same answer as `tables:sync_response`."""

    ok: Literal[True]


SERVER_EVENTS: dict[str, type[Shape] | type[RootModel]] = {
    **MESSAGES,
    "tables:batch_update": BatchUpdate,
    "tables:sync_response": SyncResponse,
    "tables:connected": Connected,
    "tables:error": SocketError,
    "tables:head": RoomHead,
    "guest:update": GuestUpdate,
    "presence:update": Presence,
}
# Sent to a guest's socket at connect and to its party's room (party:<id>) only; never to staff rooms.
FOR_THE_GUEST = ("guest:update",)
# Sent to the sockets watching a floor's presence (presence:<floor>) only.
FOR_THE_WATCHERS = ("presence:update",)
CLIENT_EVENTS: dict[str, tuple[type[Shape], tuple[type[Shape], ...]]] = {
    "tables:join": (Join, (Joined, Refusal)),
    "tables:leave": (Leave, (Left, Refusal)),
    "tables:sync": (Sync, (Synced, Refusal)),
    "presence:watch": (Watch, (Watching, Refusal)),
    "presence:claim": (Claim, (Claimed, Refusal)),
}
