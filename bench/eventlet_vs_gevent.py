"""The same 1,000-watcher room on eventlet (`python wsgi.py`) and on gunicorn's gevent worker.

.venv/bin/python bench/eventlet_vs_gevent.py
.venv/bin/python bench/eventlet_vs_gevent.py --rounds 2     # eventlet, gevent, eventlet, gevent
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import percentile, raise_open_files  # noqa: E402
from bench.measure import arguments, compare  # noqa: E402


def main() -> None:
    """Measure both async modes in one run and print them side by side."""
    args = arguments(__doc__).parse_args()
    raise_open_files()
    results = compare(["eventlet", "gevent"], args)
    gevent, eventlet = (percentile(results[kind].last, 0.95) * 1000 for kind in ("gevent", "eventlet"))
    print(f"last-client p95: eventlet {eventlet:.1f} ms, gevent {gevent:.1f} ms ({gevent / eventlet:.2f}x)")


if __name__ == "__main__":
    main()
