"""Last of 1,000 watchers: Tableside (one eventlet process) against the Node.js Socket.IO reference.

Both servers get the same clients (raw Socket.IO over WebSocket from several client
processes), the same room and the same status changes through HTTP, one after the other
in this one run. Target: Tableside's last-client p95 at most 1.1x Node's (issue 27; 1.5x before it).

    (cd bench/node-reference && npm ci)
    .venv/bin/python bench/vs_node.py                 # 1,000 clients, the default BATCH_WINDOW_MS (50) on both
    .venv/bin/python bench/vs_node.py --batch-window-ms 0 --rounds 2
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import raise_open_files  # noqa: E402
from bench.measure import arguments, compare, ratio_line  # noqa: E402


def main() -> None:
    """Measure both servers and print the ratio against the target."""
    args = arguments(__doc__).parse_args()
    raise_open_files()
    results = compare(["eventlet", "node"], args)
    print(ratio_line("Tableside / Node, last-client p95", results["eventlet"], results["node"], 1.1))


if __name__ == "__main__":
    main()
