"""A member of staff using a live server's JSON API, as an outside client would."""

import itertools
import threading
from collections.abc import Callable

import requests

from tests.support.live_server import PASSWORD

_table_numbers = itertools.count(1)


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Make each call in its own thread, all released at the same moment; their results in order."""
    start, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index: int) -> None:
        start.wait()
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def next_table_number() -> str:
    """A table number no other test in this run has used."""
    return f"T-{next(_table_numbers):03d}"


class StaffApi:
    """One member of staff with a bearer token, on one server."""

    def __init__(self, url: str, username: str, password: str = PASSWORD) -> None:
        self.url = url
        self.username = username
        response = requests.post(f"{url}/api/auth/token", json={"username": username, "password": password}, timeout=10)
        response.raise_for_status()
        self.token = response.json()["token"]
        self.token_expires_at = response.json()["expiresAt"]
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    def on(self, url: str) -> "StaffApi":
        """The same person, same token, talking to another server process."""
        other = object.__new__(StaffApi)
        other.url, other.username, other.token = url, self.username, self.token
        other.http = requests.Session()
        other.http.headers["Authorization"] = f"Bearer {self.token}"
        return other

    def get(self, path: str, **params) -> requests.Response:
        return self.http.get(f"{self.url}{path}", params=params, timeout=10)

    def create_table(self, floor: int = 1, **fields) -> dict:
        """Create a table and return its JSON (fails the test on anything but 201)."""
        body = {"tableNumber": next_table_number(), "floor": floor, "capacity": 4, **fields}
        response = self.http.post(f"{self.url}/api/tables", json=body, timeout=10)
        assert response.status_code == 201, response.text
        return response.json()

    def set_status(self, table_id: int, status: str, headers: dict | None = None, **fields) -> requests.Response:
        """PATCH /api/tables/<id>/status with the contract's body."""
        return self.http.patch(
            f"{self.url}/api/tables/{table_id}/status", json={"status": status, **fields}, headers=headers, timeout=10
        )

    def update_table(self, table_id: int, **fields) -> requests.Response:
        return self.http.patch(f"{self.url}/api/tables/{table_id}", json=fields, timeout=10)

    def delete_table(self, table_id: int) -> requests.Response:
        return self.http.delete(f"{self.url}/api/tables/{table_id}", timeout=10)

    def save_layout(self, floor: int, positions: list[dict]) -> requests.Response:
        return self.http.put(f"{self.url}/api/floors/{floor}/layout", json={"tables": positions}, timeout=10)

    def add_party(self, size: int, **fields) -> dict:
        """A party joins the line (fails the test on anything but 201)."""
        response = self.http.post(f"{self.url}/api/parties", json={"size": size, **fields}, timeout=10)
        assert response.status_code == 201, response.text
        return response.json()

    def seat_party(self, party: dict, *tables: dict, **body) -> requests.Response:
        """POST /api/parties/<id>/seat at these tables."""
        json = {"tableIds": [table["tableId"] for table in tables], **body}
        return self.http.post(f"{self.url}/api/parties/{party['partyId']}/seat", json=json, timeout=10)

    def change_party(self, party: dict, **fields) -> requests.Response:
        """PATCH /api/parties/<id>."""
        return self.http.patch(f"{self.url}/api/parties/{party['partyId']}", json=fields, timeout=10)

    def latest_event_id(self) -> int:
        """The newest id in the log, read through /api/events."""
        return int(self.get("/api/events", after=0).json()["lastEventId"])
