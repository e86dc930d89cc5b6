"""What both of Tableside's HTTP servers do when `accept()` fails: say so in one line, wait, accept again.

At the open-file limit (EMFILE), or short of buffers or memory, accepting fails for as long
as the cause lasts; a connection that reset before it was taken fails it once. eventlet's
server (http_server.py) would end its loop on the first such error and gevent's
(gevent_server.py) would print a traceback for each; both instead log the line an operator
looks for, "accepting a connection failed; trying again", and wait, longer while it goes on.
"""

import errno
import logging

log = logging.getLogger("tableside.serve")
# Accept errors are retried after this long, doubling up to the longest while they go on.
FIRST_BACKOFF_SECONDS = 0.05
LONGEST_BACKOFF_SECONDS = 1.0
# A connection that reset before it was taken is the client's problem, not ours: no wait.
CLIENTS_OWN_ERRORS = (errno.ECONNABORTED, errno.ECONNRESET, errno.EPROTO)


class Backoff:
    """How long to wait after each failed accept, doubling while they fail in a row."""

    def __init__(self) -> None:
        self.seconds = FIRST_BACKOFF_SECONDS

    def failed(self, error: OSError) -> float | None:
        """Log the failure; how long to wait before accepting again (None: at once, the client's own error)."""
        if error.errno in CLIENTS_OWN_ERRORS:
            return None
        log.warning("accepting a connection failed; trying again", extra={"error": str(error)})
        wait = self.seconds
        self.seconds = min(wait * 2, LONGEST_BACKOFF_SECONDS)
        return wait

    def succeeded(self) -> None:
        """Accepting works again: the next failure waits the shortest time."""
        self.seconds = FIRST_BACKOFF_SECONDS
