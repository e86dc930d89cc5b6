"""Server CPU per delivered event: CPU seconds / (events x recipients).

Opens the 1,000-watcher room, measures the server's idle CPU rate (pings, timers) for a few
seconds, then sends a burst of status changes back to back and reads the server process's
CPU time from /proc/<pid>/stat. Gross counts everything the process did meanwhile (the HTTP
requests, the database, pings); net takes the idle rate out. Target: at most 20 us.

    .venv/bin/python bench/cpu_per_event.py                      # eventlet and the Node reference
    .venv/bin/python bench/cpu_per_event.py --servers eventlet,gevent,node
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import Clients, raise_open_files  # noqa: E402
from bench.measure import arguments, measure_room, print_figures, start  # noqa: E402


def main() -> None:
    """Measure CPU per delivery on each server named."""
    parser = arguments(__doc__, changes=200)
    parser.add_argument("--servers", default="eventlet,node")
    parser.set_defaults(spacing=0.02)
    args = parser.parse_args()
    raise_open_files()
    for kind in args.servers.split(","):
        server = start(kind, args.batch_window_ms, args.clients)
        try:
            figures = measure_room(server, Clients(args.processes), args.clients, args.changes, args.spacing)
        finally:
            server.stop()
        print_figures(figures)
        net = figures.cpu_per_delivery_us(net=True)
        gross = figures.cpu_per_delivery_us(net=False)
        print(
            f"  {figures.name}: CPU per delivery gross {gross:.1f} us, net {net:.1f} us "
            f"(target <= 20 us: gross {'met' if gross <= 20 else 'NOT met'}, net {'met' if net <= 20 else 'NOT met'})",
            flush=True,
        )
        time.sleep(2)


if __name__ == "__main__":
    main()
