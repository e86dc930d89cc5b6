"""Models, one module per aggregate."""

from app.models.event import Event, IdempotencyRecord
from app.models.event_state import EventLogState
from app.models.floor import Floor, RetiredFloor
from app.models.party import Party, PartyTable
from app.models.preset import SectionPreset
from app.models.rotation import ServerTurn
from app.models.section import Section
from app.models.sign_in import SignIn
from app.models.table import TABLE_SHAPES, TABLE_STATUSES, Table
from app.models.user import ROLES, User

__all__ = [
    "Event",
    "EventLogState",
    "Floor",
    "IdempotencyRecord",
    "Party",
    "PartyTable",
    "ROLES",
    "RetiredFloor",
    "Section",
    "SectionPreset",
    "ServerTurn",
    "SignIn",
    "TABLE_SHAPES",
    "TABLE_STATUSES",
    "Table",
    "User",
]
