"""The app starts and a signed-in manager can read tables."""


def test_manager_reads_the_tables_of_a_floor(manager, make_table):
    """A table created on floor 1 is listed for that floor."""
    table = make_table(floor=1)
    response = manager.get("/api/tables?floor=1")
    assert response.status_code == 200
    assert [t["tableNumber"] for t in response.get_json()] == [table["tableNumber"]]
