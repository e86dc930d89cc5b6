"""An echo server around Tableside's frame layer, for Autobahn|Testsuite's fuzzingclient.

Reads every frame with app/realtime/transport/frames.py's FrameReader and sends with its builders,
exactly as the wire does; the HTTP upgrade is the bare minimum. Each text or binary message
comes back as it came; a close is answered as the server answers it. One thread a connection.

    .venv/bin/python bench/autobahn/echo_server.py --port 9001
"""

import argparse
import base64
import hashlib
import socket
import socketserver
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.realtime.transport.frames import FrameReader, ProtocolError, close_frame, websocket_frame  # noqa: E402

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
# Autobahn's largest messages are 16 MiB (cases 9.*); MAX_SOCKET_MESSAGE_BYTES is policy, tested elsewhere.
LIMIT = 20 * 1024 * 1024


def accept_key(request: bytes) -> bytes | None:
    """The Sec-WebSocket-Accept value for an upgrade request's head, or None if it is no upgrade."""
    for line in request.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"sec-websocket-key":
            return base64.b64encode(hashlib.sha1(value.strip() + GUID).digest())
    return None


class Echo(socketserver.BaseRequestHandler):
    """One WebSocket: the handshake, then every message echoed until a close or an error."""

    def handle(self) -> None:
        link: socket.socket = self.request
        link.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = link.recv(4096)
            if not chunk:
                return
            head += chunk
        head, _, rest = head.partition(b"\r\n\r\n")
        key = accept_key(head)
        if key is None:
            link.sendall(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
            return
        link.sendall(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: " + key + b"\r\n\r\n"
        )
        self.echo(link, rest)

    def echo(self, link: socket.socket, data: bytes) -> None:
        frames = FrameReader(self.server.limit, link.sendall)
        try:
            while True:
                for message in frames.feed(data):
                    link.sendall(websocket_frame(message))
                if frames.closed:
                    link.sendall(close_frame(frames.close_code))
                    break
                data = link.recv(65536)
                if not data:
                    return
        except ProtocolError as error:
            link.sendall(close_frame(error.code))
        except OSError:
            return
        try:
            link.shutdown(socket.SHUT_WR)
        except OSError:
            pass


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9001)
    parser.add_argument("--limit", type=int, default=LIMIT, help="largest message, in bytes")
    options = parser.parse_args()
    with Server(("127.0.0.1", options.port), Echo) as server:
        server.limit = options.limit
        print(f"echoing on ws://127.0.0.1:{options.port}", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
