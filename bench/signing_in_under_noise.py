"""How long a screen takes to reconnect while a few addresses hold handshakes without credentials (issue 23).

One server with the defaults (MAX_SIGNING_IN 200, AUTH_DEADLINE_SECONDS 10, no proxy), SQLite.
The noise: PER_ADDRESS WebSocket handshakes from each of 127.0.0.2, 127.0.0.3, ... (real
source addresses on the loopback), each opened and then silent until the server closes it.
With `--own-address` the noise also comes from 127.0.0.1, the screens' own address, as
every client behind a proxy without PROXY_FIX_HOPS shares one. Once the noise is in place,
the screens (python-socketio clients that reconnect by themselves, on the default backoff of
about 1, 2, 4, 5 s) all lose their links at once; printed: the seconds until each is connected again, and
the handshakes the server opened and refused. Each round starts from a quiet server.

    .venv/bin/python bench/signing_in_under_noise.py
    .venv/bin/python bench/signing_in_under_noise.py --own-address --rounds 3
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.servers import start_sqlite_server  # noqa: E402
from tests.support.sockets import LiveSocket, signed_in_cookie  # noqa: E402
from tests.support.strangers import Strangers, metric, wait_until_no_sessions  # noqa: E402

PATIENCE_SECONDS = 40
SCREENS = ("token in auth", "token in header", "session cookie")


def screen(url: str, way: str, token: str) -> LiveSocket:
    """A connected screen that reconnects by itself, signed in the given way."""
    if way == "session cookie":
        socket = LiveSocket(url, cookie=signed_in_cookie(url, "host")[1], reconnection=True)
    elif way == "token in header":
        socket = LiveSocket(url, bearer=token, reconnection=True)
    else:
        socket = LiveSocket(url, token=token, reconnection=True)
    return socket.connect()


def one_round(url: str, token: str, addresses: list[str], per_address: int) -> None:
    """Noise in place, then each screen loses its link: print how long each took to come back."""
    wait_until_no_sessions(url, timeout=60)
    screens = {way: screen(url, way, token) for way in SCREENS}
    crowds = []
    try:
        began = time.monotonic()
        for address in addresses:
            crowd = Strangers(url)
            crowd.open(per_address, source=address)
            crowds.append(crowd)
        for crowd in crowds:
            crowd.read(lambda them: them.answered + them.refused == per_address, 30)
        held = ", ".join(
            f"{a}: {c.answered} opened, {c.refused} refused" for a, c in zip(addresses, crowds, strict=True)
        )
        print(f"  noise in place after {time.monotonic() - began:.2f} s ({held})")
        cut = {way: socket.lose_link() for way, socket in screens.items()}
        for way, socket in screens.items():
            seconds = socket.connects_after(cut[way], PATIENCE_SECONDS)
            shown = f"{seconds:.2f} s" if seconds is not None else f"not back within {PATIENCE_SECONDS} s"
            print(f"  {way:16} reconnected after {shown}")
        refused = {
            reason: int(metric(url, f'tableside_sessions_refused_total{{reason="{reason}"}}'))
            for reason in ("server_busy", "too_many_unauthenticated", "server_full", "auth_deadline")
        }
        print(f"  refusals so far: {refused}")
    finally:
        for socket in screens.values():
            socket.close()
        for crowd in crowds:
            crowd.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-address", type=int, default=100, help="silent handshakes from each noisy address")
    parser.add_argument("--addresses", type=int, default=2, help="noisy addresses besides the screens' own")
    parser.add_argument("--own-address", action="store_true", help="noise from the screens' address too")
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    addresses = [f"127.0.0.{2 + n}" for n in range(options.addresses)]
    if options.own_address:
        addresses.insert(0, "127.0.0.1")
    server = start_sqlite_server(Path(tempfile.mkdtemp(prefix="tableside-noise-")), PROXY_FIX_HOPS="0")
    try:
        token = server.token("viewer")
        for number in range(options.rounds):
            print(f"round {number + 1}: {options.per_address} silent handshakes from each of {', '.join(addresses)}")
            one_round(server.url, token, addresses, options.per_address)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
