"""The guest's own page: a party's token opens it while the party stands in line, and its guest may
answer "On my way" or cancel their spot.

The token (`parties.guest_token`) is the only credential: whoever holds the link is the guest.
It opens the page only while the party is in line (waiting or notified); once the party is
seated or has left the line in any way, the link is dead at once, as an unknown or guessed
token is. A guest's changes go through the same service functions as the host's and are logged
with `updatedBy` GUEST, which no account can be called (usernames have no spaces).
"""

from sqlalchemy import and_, func, or_, select

from app.extensions import db
from app.models import Party, limits
from app.services import parties
from app.services.errors import Conflict, NotFound

# Who made a change the guest made from their page: not a username (those have no spaces).
GUEST = "the guest"
EXPIRED = "This link has expired."
# The longest token this server hands out is 32 characters; anything longer is not worth a query.
LONGEST_TOKEN = 64


def party_for_guest(token: str) -> Party | None:
    """The party this token opens, if it is still in line; None for a dead, unknown or malformed token."""
    if not isinstance(token, str) or not 0 < len(token) <= LONGEST_TOKEN:
        return None
    party = parties.party_by_guest_token(token)
    if party is None or not party.in_line:
        return None
    return party


def place_in_line(party: Party) -> int | None:
    """1 for the first party in line; None once the party is out of it."""
    if not party.in_line:
        return None
    # The line's order is (joinedAt, id): count the parties in line up to this one, itself included.
    return db.session.scalar(
        select(func.count(Party.id)).where(
            Party.state.in_(limits.IN_LINE),
            or_(Party.joined_at < party.joined_at, and_(Party.joined_at == party.joined_at, Party.id <= party.id)),
        )
    )


def places_in_line(party_ids: set[int]) -> dict[int, int]:
    """Each of these parties' place in line (those still in it), in one read of the line."""
    line = db.session.scalars(
        select(Party.id).where(Party.state.in_(limits.IN_LINE)).order_by(Party.joined_at, Party.id)
    )
    return {party_id: place for place, party_id in enumerate(line, start=1) if party_id in party_ids}


def _alive(token: str) -> Party:
    party = party_for_guest(token)
    if party is None:
        raise NotFound(EXPIRED)
    return party


def guest_on_the_way(token: str) -> Party:
    """The guest is coming to their table: only once notified (409 "not ready yet" otherwise)."""
    party = _alive(token)
    try:
        return parties.mark_on_the_way(party.id, GUEST)
    except Conflict:
        raise Conflict("Your table is not ready yet: we will tell you here when it is.") from None


def guest_cancel(token: str) -> Party:
    """The guest gives up their spot: the party is cancelled as a host's PATCH would, by GUEST."""
    party = _alive(token)
    try:
        return parties.change_party(party.id, {}, GUEST, state="cancelled")
    except Conflict:
        # Seated or gone meanwhile (a host was quicker): the link is dead, whoever changed it.
        raise NotFound(EXPIRED) from None
