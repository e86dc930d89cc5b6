"""The guests' sockets of this process: which party each one follows, and how many each party has.

A guest's socket signs in with its party's token (`auth: {guest}`), joins that party's room
only, and is never a member of staff: it is kept here, not with the staff's connections
(app/realtime/connections.py), so no staff check can mistake it for an account.
"""

import threading

# A guest's link can be opened on a few phones at the table; a leaked one cannot hold hundreds of sockets.
MAX_SOCKETS_PER_PARTY = 5

_lock = threading.Lock()
_party_of: dict[str, int] = {}
_per_party: dict[int, int] = {}


def count() -> int:
    """Guests' sockets open in this process."""
    return len(_party_of)


def register(sid: str, party_id: int) -> bool:
    """Record a guest's socket; False when the party already has MAX_SOCKETS_PER_PARTY here."""
    with _lock:
        if _per_party.get(party_id, 0) >= MAX_SOCKETS_PER_PARTY:
            return False
        _party_of[sid] = party_id
        _per_party[party_id] = _per_party.get(party_id, 0) + 1
        return True


def party_of(sid: str) -> int | None:
    """The party a guest's socket follows, or None for any other socket."""
    return _party_of.get(sid)


def forget(sid: str) -> int | None:
    """Drop a closed guest's socket; the party it followed, or None if it was no guest's."""
    with _lock:
        party_id = _party_of.pop(sid, None)
        if party_id is not None:
            _per_party[party_id] -= 1
            if not _per_party[party_id]:
                del _per_party[party_id]
        return party_id
