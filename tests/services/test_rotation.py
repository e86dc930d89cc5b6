"""The server rotation on a Friday: who the host is told is next up as parties arrive."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import PartyTable
from app.models.time import utcnow
from app.services import parties, rotation, sections, tables, users


@pytest.fixture
def friday(either_app):
    """Three servers, a section each: Maria (M-1 4-top, M-2 2-top), Ben (B-1, B-2 4-tops, B-3 6-top),
    Aisha (A-1, A-2 4-tops); returns their user ids by name."""
    # The shift began two to three hours ago, whatever the hour the tests run at.
    either_app.config["SHIFT_START_HOUR"] = (datetime.now().astimezone() - timedelta(hours=3)).hour
    with either_app.app_context():
        staff = {}
        for name, numbers in (("maria", (("M-1", 4), ("M-2", 2))), ("ben", (("B-1", 4), ("B-2", 4), ("B-3", 6))),
                              ("aisha", (("A-1", 4), ("A-2", 4)))):  # fmt: skip
            user = users.create_user(name, "a long enough password", "viewer")
            for number, capacity in numbers:
                tables.create_table(
                    {"table_number": number, "floor": 1, "capacity": capacity, "section": name.title()}, by="manager"
                )
            section = next(s for s in sections.sections_on([1]) if s.name == name.title())
            sections.assign_section(section.id, user.id, by="manager")
            staff[name] = user.id
        yield staff
        db.session.remove()


def table_id(number: str) -> int:
    return next(t.id for t in tables.tables_on(None) if t.table_number == number)


def seat(number: str, size: int, minutes_ago: float = 0) -> None:
    """A party of `size` seated at table `number`, `minutes_ago`."""
    party = parties.add_party({"size": size}, by="host")
    parties.seat_party(party.id, [table_id(number)], by="host")
    when = utcnow() - timedelta(minutes=minutes_ago)
    db.session.execute(update(PartyTable).where(PartyTable.party_id == party.id).values(seated_at=when))
    db.session.commit()


def next_up(size: int = 2) -> tuple[str, str] | None:
    """(server, table) the host is told for a party of `size`."""
    suggestion = rotation.rotation(size, None).next_up
    return None if suggestion is None else (suggestion.name, suggestion.table_number)


def test_next_up_is_the_server_with_fewest_covers_this_shift(friday):
    """Maria has had 4 covers, Aisha 6, Ben 2: Ben is next up, at his smallest free table that fits."""
    seat("M-1", 4, 30)
    seat("A-1", 6 // 2, 25)
    seat("A-2", 3, 20)
    seat("B-3", 2, 15)
    assert next_up(2) == ("ben", "B-1")
    figures = {server.name: server for server in rotation.rotation(2, None).servers}
    assert (figures["ben"].covers_now, figures["ben"].covers_this_shift) == (2, 2)
    assert figures["aisha"].covers_this_shift == 6
    assert figures["maria"].last_seated_at is not None


def test_ties_go_to_the_server_seated_longest_ago(friday):
    """Everyone has had 4 covers; Ben was seated 40 minutes ago, Aisha 20 and Maria 10: Ben is next up."""
    seat("M-1", 4, 10)
    seat("B-1", 4, 40)
    seat("A-1", 4, 20)
    assert next_up(2) == ("ben", "B-2")


def test_a_server_never_seated_this_shift_is_up_before_one_seated_long_ago(friday):
    """Parties from before the shift began do not count: Aisha's lunch yesterday leaves her at 0 covers."""
    seat("M-1", 2, 30)
    seat("B-1", 2, 60)
    seat("A-1", 8 // 2, 60 * 30)  # thirty hours ago: yesterday's shift
    assert next_up(2)[0] == "aisha"


def test_a_cut_server_is_never_suggested(friday):
    """Ben has the fewest covers but is cut: Aisha is next; a party of 6 only Ben's 6-top fits finds nobody."""
    seat("M-1", 4, 30)
    seat("A-1", 3, 20)
    rotation.cut_server(friday["ben"], by="host")
    assert next_up(2) == ("aisha", "A-2")
    assert next_up(6) is None
    rotation.uncut_server(friday["ben"], by="host")
    assert next_up(6) == ("ben", "B-3")


def test_a_skip_passes_the_server_over_once(friday):
    """Ben is up but skipped: Maria gets the next party; after it is seated, Ben is up again."""
    seat("A-1", 4, 30)
    seat("M-1", 2, 20)
    assert next_up(2) == ("ben", "B-1")
    rotation.skip_server(friday["ben"], by="host")
    assert next_up(2) == ("maria", "M-2")
    seat("M-2", 2)
    assert next_up(2) == ("ben", "B-1")


def test_a_skipped_server_is_still_suggested_when_nobody_else_fits(friday):
    """Ben is skipped, but only his 6-top takes a party of 6: the skip does not leave the party without a table."""
    rotation.skip_server(friday["ben"], by="host")
    assert next_up(6) == ("ben", "B-3")


def test_a_server_without_a_fitting_free_table_is_passed_for_the_next(friday):
    """Aisha has no covers but only 4-tops: a party of 5 goes to Ben's 6-top, though Ben has had more."""
    seat("M-1", 4, 30)
    seat("B-1", 2, 20)
    assert next_up(5) == ("ben", "B-3")
    assert next_up(4) == ("aisha", "A-1")


def test_a_full_section_moves_the_rotation_on(friday):
    """Both of Aisha's tables are taken: the next party goes to whoever is next with a free table."""
    seat("A-1", 2, 30)
    seat("A-2", 2, 25)
    seat("M-1", 6, 20)
    assert next_up(2) == ("ben", "B-1")
