"""The several events of one commit (a layout save) reach every screen in event-id order."""

import pytest

from tests.support.sockets import eventually, table_event_ids

pytestmark = pytest.mark.live
TABLES = 6


def test_a_layout_save_reaches_each_room_in_event_id_order(staff, watcher):
    """Six tables moved in one save: the floor's screen and the list both get six ids, each higher than the last."""
    manager = staff("manager")
    tables = [manager.create_table(floor=2) for _ in range(TABLES)]
    first_new_id = manager.latest_event_id() + 1
    floor_screen, list_screen = watcher(2), watcher(None)
    positions = [{"tableId": t["tableId"], "x": 40 + 110 * n, "y": 300} for n, t in enumerate(tables)]
    assert manager.save_layout(2, positions).status_code == 200

    for screen in (floor_screen, list_screen):
        assert eventually(lambda s=screen: len(table_event_ids(s)) >= TABLES, timeout=10), screen.names("")
        received = table_event_ids(screen)
        assert received == list(range(first_new_id, first_new_id + TABLES)), received
        moved = [data["tableId"] for name, data, _ in list(screen.frames) if name == "table:updated"]
        assert moved == [t["tableId"] for t in tables]
