"""Last of 1,000 watchers: Tableside (one eventlet process) against the Node.js Socket.IO reference.

Both servers get the same clients (raw Socket.IO over WebSocket from several client
processes), the same room and the same status changes through HTTP, one after the other
in this one run, after the same changes with no watchers yet (what each server's own path
costs before a fan-out: Tableside's includes the database commit). Target: Tableside's
last-client p95 at most 1.1x Node's (issue 27; 1.5x before it).

    (cd bench/node-reference && npm ci)
    .venv/bin/python bench/vs_node.py                 # 1,000 clients, the default BATCH_WINDOW_MS (50) on both
    .venv/bin/python bench/vs_node.py --batch-window-ms 0 --rounds 2
    .venv/bin/python bench/vs_node.py --committing-node   # and Node doing Tableside's commit first
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import percentile, raise_open_files  # noqa: E402
from bench.measure import arguments, compare, ratio_line  # noqa: E402


def main() -> None:
    """Measure both servers and print the ratio against the target."""
    parser = arguments(__doc__)
    parser.add_argument(
        "--committing-node",
        action="store_true",
        help="also measure the reference doing Tableside's database work before its broadcast (not the target)",
    )
    args = parser.parse_args()
    raise_open_files()
    results = compare(["eventlet", "node"] + (["node-commits"] if args.committing_node else []), args)
    tableside, node = results["eventlet"], results["node"]
    print(ratio_line("Tableside / Node, last-client p95", tableside, node, 1.1))
    if args.committing_node:
        committing = results["node-commits"]
        print(ratio_line("Tableside / Node committing first (for comparison)", tableside, committing, None))
    # What Tableside does before any socket hears of a change (sign-in check, validation, the
    # commit-order lock, the row, the event, the commit) and the plain reference does not: the
    # same request with nobody watching, for each server in the order measured.
    alone = " / ".join(f"{percentile(server.alone, 0.5) * 1000:.1f}" for server in results.values())
    print(f"Before the fan-out: HTTP answer p50 with no watchers {alone} ms")


if __name__ == "__main__":
    main()
