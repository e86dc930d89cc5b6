"""Many screens at once: the official Socket.IO JS client 4.8 in Node processes (tests/support/screens.js).

Each screen joins a floor and calls `tables:sync` with the last event id it knows on every
connect, and is ready once both are acknowledged. Used by the reconnect-storm test and by
bench/reconnect_storm.py.
"""

import json
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

RUNNER = Path(__file__).with_name("screens.js")
ROOT = Path(__file__).resolve().parents[2]
SCREENS_PER_RUNNER = 1250
GROUPS = (("connectErrors", "connect_error"), ("disconnects", "disconnect"), ("refusedJoins", "refused"))


class Screens:
    """Node processes holding the screens; each answers `status`, `epoch` and `report` on its pipes."""

    def __init__(self, urls: list[str], tokens: list[str], count: int, rate: float = 1600, floor: int = 2) -> None:
        """Open `count` screens at about `rate` a second; screen n uses urls[n % len] and tokens[n]."""
        runners = -(-count // SCREENS_PER_RUNNER)
        self.processes = []
        for number in range(runners):
            share = list(range(number, count, runners))
            settings = {
                "urls": [urls[n % len(urls)] for n in share],
                "tokens": [tokens[n] for n in share],
                "count": len(share),
                "rate": rate / runners,
                "floor": floor,
                "delayMs": 250,
                "delayMaxMs": 2000,
            }
            # A file, not an argument: 5,000 tokens pass the kernel's limit on one argument.
            with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="screens-", delete=False) as file:
                json.dump(settings, file)
            command = ["node", str(RUNNER), file.name]
            self.processes.append(
                subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            )

    def ask(self, command: str) -> list[dict]:
        """Send one command to every runner and read each answer."""
        for process in self.processes:
            process.stdin.write(command + "\n")
            process.stdin.flush()
        return [json.loads(process.stdout.readline()) for process in self.processes]

    def ready(self) -> int:
        """Screens connected, joined and synced right now."""
        return sum(answer["ready"] for answer in self.ask("status"))

    def wait_all_ready(self, count: int, timeout: float) -> float | None:
        """Seconds until every screen is ready, or None at the timeout."""
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            if self.ready() >= count:
                return time.monotonic() - began
            time.sleep(0.2)
        return None

    def report(self, full: bool = False) -> tuple[list[float], int, Counter, list[dict]]:
        """Since the epoch: seconds each screen took to be back, how many are not, counts, and per screen (full)."""
        back, left, counts, screens = [], 0, Counter(), []
        for answer in self.ask("report full" if full else "report"):
            back += [ms / 1000 for ms in answer["back"]]
            left += answer["left"]
            screens += answer.get("screens", [])
            tallies = answer["counts"]
            counts["connects"] += tallies["connects"]
            counts["syncs"] += tallies["syncs"]
            counts["ack timeouts"] += tallies["ackTimeouts"]
            for group, label in GROUPS:
                for key, n in tallies[group].items():
                    counts[f"{label}: {key}"] += n
        return back, left, counts, screens

    def wait_all_back(self, timeout: float) -> tuple[list[float], int, Counter, list[dict]]:
        """Poll until every screen is back since the epoch (or the timeout); the report then."""
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            if not self.report()[1]:
                break
            time.sleep(0.25)
        return self.report(full=True)

    def close(self) -> None:
        """End every runner."""
        for process in self.processes:
            process.stdin.close()
            process.terminate()
            process.wait(timeout=10)
