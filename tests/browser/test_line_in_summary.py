"""The line at the door in the live summary, in real Chromium: every staff page counts the parties waiting
and their covers, whatever floor it shows, from its first state and then live."""

import pytest

pytestmark = pytest.mark.browser

LINE = (
    "() => { const bar = document.querySelector('[data-summary]').dataset;"
    " return [+bar.partiesWaiting, +bar.coversWaiting]; }"
)


def waiting(live) -> tuple[int, int]:
    summary = live.manager.get(f"{live.url}/api/summary").json()
    return summary["partiesWaiting"], summary["coversWaiting"]


def wait_for_line(page, parties: int, covers: int) -> None:
    page.wait_for_function(f"() => ({LINE})().join() === '{parties},{covers}'", timeout=5_000)


def test_the_summary_counts_the_line_live_on_every_floor(open_page, live):
    """A party of 5 added at the door shows on a floor-3 plan and the list at once; seated, it leaves the count;
    a page opened meanwhile starts from the same figures, and the seated table holds its party."""
    parties, covers = waiting(live)
    terrace = open_page("viewer", path="/tables?floor=3")
    listing = open_page("viewer", path="/tables?view=list")
    for page in (terrace, listing):
        assert page.evaluate(LINE) == [parties, covers]
        assert page.locator('[data-summary] [data-summary-value="partiesWaiting"]').inner_text() == str(parties)

    added = live.manager.post(f"{live.url}/api/parties", json={"size": 5, "name": "Browser"})
    assert added.status_code == 201, added.text
    for page in (terrace, listing):
        wait_for_line(page, parties + 1, covers + 5)
    assert terrace.locator('[data-summary] [data-summary-value="coversWaiting"]').inner_text() == str(covers + 5)
    assert open_page("host", path="/tables?floor=2").evaluate(LINE) == [parties + 1, covers + 5]

    table = live.create(tableNumber="L-01", floor=3, capacity=6)
    party = added.json()
    seated = live.manager.post(f"{live.url}/api/parties/{party['partyId']}/seat", json={"tableIds": [table["tableId"]]})
    assert seated.status_code == 200, seated.text
    for page in (terrace, listing):
        wait_for_line(page, parties, covers)
    # The seated table holds its party on the page too.
    terrace.wait_for_function(
        f"() => window.tableside.store.get({table['tableId']})?.partyId === {party['partyId']}", timeout=5_000
    )
