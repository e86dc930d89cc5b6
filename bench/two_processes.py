"""Last of 1,000 watchers through two Tableside processes sharing Redis, against one process.

The clients are split evenly over both processes; every change is sent to the first one,
so half the room is reached through the other process reading the feed back from Redis.
Measured in this one run: one process without Redis, one process with Redis, two with
Redis. Target: two processes at most 1.5x one process (last-client p95).

    .venv/bin/python bench/two_processes.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import raise_open_files  # noqa: E402
from bench.measure import arguments, compare, ratio_line  # noqa: E402


def main() -> None:
    """Measure one and two processes and print the ratio against the target."""
    args = arguments(__doc__).parse_args()
    raise_open_files()
    results = compare(["eventlet", "eventlet-redis", "eventlet-x2"], args)
    print(ratio_line("two processes / one process", results["eventlet-x2"], results["eventlet"], 1.5))
    print(ratio_line("two processes / one process on Redis", results["eventlet-x2"], results["eventlet-redis"], 1.5))


if __name__ == "__main__":
    main()
