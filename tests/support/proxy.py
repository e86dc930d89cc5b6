"""A small TCP proxy between clients and a server that can stall or cut the link on demand.

No tc, no toxiproxy: one listening socket, two pumping threads per connection. A stall
stops forwarding in both directions (bytes wait in the kernel buffers, as on a Wi-Fi
dead spot); a cut closes every connection at once (RST, as when a tablet drops off the
network); `refuse` keeps new connections out until `restore`.
"""

import socket
import struct
import threading
import time


class FaultyLink:
    """Forwards 127.0.0.1:<port> to one upstream port; stall(), cut() and refuse() break it."""

    def __init__(self, upstream_port: int, host: str = "127.0.0.1") -> None:
        self.upstream = (host, upstream_port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((host, 0))
        self.listener.listen(256)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        self._flowing = threading.Event()
        self._flowing.set()
        self._refusing = False
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._closed = False
        threading.Thread(target=self._accept_forever, daemon=True, name=f"proxy-{self.port}").start()

    @property
    def connections(self) -> int:
        with self._lock:
            return len(self._pairs)

    def retarget(self, upstream_port: int) -> None:
        """Send new connections to another server (existing ones keep theirs)."""
        self.upstream = (self.upstream[0], upstream_port)

    def stall(self) -> None:
        """Stop moving bytes either way; connections stay open."""
        self._flowing.clear()

    def resume(self) -> None:
        self._flowing.set()

    def refuse(self) -> None:
        """Reset new connections at once, as an unreachable network would."""
        self._refusing = True

    def restore(self) -> None:
        """Undo stall() and refuse()."""
        self._refusing = False
        self._flowing.set()

    def cut(self) -> int:
        """Reset every open connection; return how many were cut."""
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for end in pair:
                _reset(end)
        return len(pairs)

    def close(self) -> None:
        self._closed = True
        self.restore()
        self.cut()
        self.listener.close()

    def _accept_forever(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self._refusing:
                _reset(client)
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                _reset(client)
                continue
            with self._lock:
                self._pairs.append((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                while not self._flowing.is_set():
                    # Stalled: hold the bytes; a cut meanwhile ends the pair.
                    self._flowing.wait(0.05)
                    if self._closed:
                        return
                target.sendall(data)
        except OSError:
            pass
        finally:
            self._forget(source, target)

    def _forget(self, one: socket.socket, other: socket.socket) -> None:
        with self._lock:
            self._pairs = [pair for pair in self._pairs if one not in pair]
        for end in (one, other):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()


def _reset(sock: socket.socket) -> None:
    """Close with RST rather than FIN: the peer sees the link fail, not a polite goodbye."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # Wakes this proxy's own thread blocked in recv() on it; close() alone would not.
        sock.shutdown(socket.SHUT_RD)
    except OSError:
        pass
    sock.close()


def wait_until(condition, timeout: float, interval: float = 0.05) -> bool:
    """Poll `condition()` until it holds or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)
    return True
