"""Memory after connect/close churn: a server's RSS before, right after, and some seconds after N cycles.

One cycle is a tablet that opens a WebSocket, signs in with `40{token}`, is welcomed, and
closes (tests/support/raw_socket.py speaks the protocol). The server is `python wsgi.py` on a
fresh SQLite file with its production collector settings (frozen survivors, GC_THAW_SECONDS
600), once per way of writing WebSockets.

    python bench/churn.py [--cycles 5000] [--at-once 20] [--settle 15] [--modes 1,0]
"""

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import raise_open_files, rss_kb  # noqa: E402
from tests.support.live_server import LiveServer, prepare_database  # noqa: E402
from tests.support.raw_socket import RawSocket  # noqa: E402
from tests.support.servers import live_env  # noqa: E402

WARM_UP_CYCLES = 200


def one_cycle(url: str, token: str) -> None:
    """Connect, sign in, close."""
    RawSocket(url, token).close()


def churn(url: str, token: str, cycles: int, at_once: int) -> float:
    """Run `cycles` connect/close cycles, `at_once` at a time; the seconds it took."""
    began = time.monotonic()
    with ThreadPoolExecutor(at_once) as pool:
        for outcome in [pool.submit(one_cycle, url, token) for _ in range(cycles)]:
            outcome.result()
    return time.monotonic() - began


def measure(direct: str, cycles: int, at_once: int, settle: float) -> None:
    """Print the server's RSS at each step of one run."""
    directory = Path(tempfile.mkdtemp(prefix="tableside-churn-"))
    database_url = f"sqlite:///{directory / 'churn.db'}"
    prepare_database(database_url)
    # Every cycle comes from 127.0.0.1 with its token in the CONNECT packet: lift the per-address
    # allowance for handshakes not yet signed in, as bench/harness.py does.
    env = live_env(database_url, DIRECT_WEBSOCKET_WRITES=direct, MAX_UNAUTHENTICATED_PER_ADDRESS="100000")
    server = LiveServer(env, directory / "server.log")
    try:
        server.start(timeout=120)
        pid, token = server.process.pid, server.token("viewer")
        started = rss_kb(pid)
        churn(server.url, token, WARM_UP_CYCLES, at_once)
        time.sleep(2)
        before = rss_kb(pid)
        seconds = churn(server.url, token, cycles, at_once)
        after = rss_kb(pid)
        time.sleep(settle)
        settled = rss_kb(pid)
        mode = "direct writes" if direct == "1" else "engine.io writes"
        print(
            f"DIRECT_WEBSOCKET_WRITES={direct} ({mode}): RSS started {started / 1024:.1f} MB, "
            f"after {WARM_UP_CYCLES} warm-up cycles {before / 1024:.1f} MB, after {cycles} cycles "
            f"({seconds:.0f} s) {after / 1024:.1f} MB, {settle:.0f} s later {settled / 1024:.1f} MB "
            f"({(settled - before) / 1024:+.1f} MB from before the churn, "
            f"{(settled - started) / 1024:+.1f} MB from start)",
            flush=True,
        )
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=5000)
    parser.add_argument("--at-once", type=int, default=20, help="cycles in flight at once (under the 50 per user)")
    parser.add_argument("--settle", type=float, default=15.0, help="seconds to wait after the churn")
    parser.add_argument("--modes", default="1,0", help="DIRECT_WEBSOCKET_WRITES values to run")
    options = parser.parse_args()
    raise_open_files()
    for direct in options.modes.split(","):
        measure(direct, options.cycles, options.at_once, options.settle)


if __name__ == "__main__":
    main()
