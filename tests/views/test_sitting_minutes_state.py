"""The pages hand their client how long parties sit on each floor, for "likely free ~20:40" on seated tables."""

from datetime import timedelta

from app.extensions import db
from app.models import Party, PartyTable
from app.models.time import utcnow
from tests.views.test_floor_plan import initial_state


def test_the_plan_state_carries_each_floors_sitting_minutes(host, make_table, app):
    """Five parties of 2 sat 40-50 minutes on floor 1 last week: the page reads 45 for a 2 there, and
    the band's 45 for a 1; sizes without history are left to the floor's turn time."""
    table = make_table(floor=1, capacity=2)
    with app.app_context():
        for day, minutes in enumerate((40, 42, 45, 48, 50), start=1):
            seated_at = utcnow() - timedelta(days=day)
            party = Party(
                size=2, state="seated", joined_at=seated_at, seated_at=seated_at, ended_at=seated_at,
                tags=[], updated_by="host", updated_at=seated_at,
            )  # fmt: skip
            cleared_at = seated_at + timedelta(minutes=minutes)
            party.seatings = [PartyTable(table_id=table["tableId"], seated_at=seated_at, cleared_at=cleared_at)]
            db.session.add(party)
        db.session.commit()
    state = initial_state(host.get("/tables?floor=1").get_data(as_text=True))
    assert state["sittingMinutes"] == {"1": {"1": 45, "2": 45}}
