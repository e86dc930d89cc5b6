"""The seated-time error after an outage, before and after `tappedAt` (issue 26).

One Tableside process on a fresh SQLite database. For each outage (5, 40, 120 s) a host's page taps
"Occupied" while offline and its queue sends the change when the link is back, `outage` seconds
later; the bench plays that without waiting: the tap is now - outage. Each is sent twice, to two
tables last changed an hour ago: as before (no `tappedAt`: the server records the arrival) and as
now (`tappedAt` = the tap). The error is the table's `statusChangedAt` minus the tap, in seconds.

    .venv/bin/python bench/tap_time.py [--outages 5 40 120]
"""

import argparse
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.models.time import isoformat  # noqa: E402
from tests.support.api import StaffApi  # noqa: E402
from tests.support.database import last_changed_long_ago  # noqa: E402
from tests.support.servers import start_sqlite_server  # noqa: E402


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def seated_error(server, manager: StaffApi, host: StaffApi, outage: float, *, with_tap: bool) -> float:
    """Seconds between the tap and the seated time the server recorded."""
    table = manager.create_table(floor=1)
    last_changed_long_ago(server.database_url, table["tableId"])
    tap = isoformat(datetime.now(UTC) - timedelta(seconds=outage))  # the page's clock, in milliseconds
    tapped = moment(tap)
    extra = {"tappedAt": tap} if with_tap else {}
    answer = host.set_status(table["tableId"], "occupied", covers=2, **extra)
    answer.raise_for_status()
    return (moment(answer.json()["statusChangedAt"]) - tapped).total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outages", type=float, nargs="+", default=[5, 40, 120])
    outages = parser.parse_args().outages
    with tempfile.TemporaryDirectory() as folder:
        server = start_sqlite_server(Path(folder), STATUS_RATE_LIMIT="1000 per second")
        try:
            manager, host = StaffApi(server.url, "manager"), StaffApi(server.url, "host")
            print(f"{'outage (s)':>10}  {'before: no tappedAt (s)':>24}  {'after: tappedAt (s)':>20}")
            for outage in outages:
                before = seated_error(server, manager, host, outage, with_tap=False)
                after = seated_error(server, manager, host, outage, with_tap=True)
                print(f"{outage:>10.0f}  {before:>24.3f}  {after:>20.3f}")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
