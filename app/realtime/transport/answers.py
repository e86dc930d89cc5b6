"""The socket events still being handled, so that a link its client broke closes after their answers.

python-socketio runs each socket event's handler on a greenthread of its own: a reader that
meets a bad frame, a message that is no packet or the client's close frame right after an
event had not seen that event answered yet, and closing the link at once dropped the
event's reply and its acknowledgement (issue 23). So each event's greenthread is counted
for its socket from the moment it is started until its acknowledgement is written, and
before failing a link the readers (reading.py, checked.py) wait until none is left
(`settle`), at most ANSWER_WAIT_SECONDS: a client that breaks the rules gets what it asked
for before, then the close.

python-socketio internals used: `Server._handle_event` starts each event's handler as
`self.start_background_task(self._handle_event_internal, self, sid, eio_sid, data,
namespace, id)`, which sends the acknowledgement when the handler returns; the server's
`start_background_task` is wrapped to count those.
"""

import threading

# How long a failing link waits for its handlers: the longest a socket event's answer takes
# on a loaded process, with room to spare; a handler stuck longer loses its answer.
ANSWER_WAIT_SECONDS = 5.0


class Unanswered:
    """Per Engine.IO session id, how many of its events are being handled, and who waits for none."""

    def __init__(self) -> None:
        self.running: dict[str, int] = {}
        # threading's Event, green under eventlet's and gevent's patching alike.
        self.waiting: dict[str, threading.Event] = {}

    def handing(self, sid: str) -> None:
        """One more event of this socket is being handled."""
        self.running[sid] = self.running.get(sid, 0) + 1

    def answered(self, sid: str) -> None:
        """One event of this socket was handled, and its acknowledgement (if it asked for one) written."""
        left = self.running.get(sid, 0) - 1
        if left > 0:
            self.running[sid] = left
            return
        self.running.pop(sid, None)
        waiter = self.waiting.pop(sid, None)
        if waiter is not None:
            waiter.set()

    def settle(self, sid: str, seconds: float = ANSWER_WAIT_SECONDS) -> None:
        """Wait, on this greenthread, until every event of this socket started so far is answered."""
        if sid not in self.running:
            return
        waiter = self.waiting.setdefault(sid, threading.Event())
        if not waiter.wait(seconds):
            # Given up: the late handler must not wake a later waiter, nor leave its count behind.
            self.waiting.pop(sid, None)
            self.running.pop(sid, None)


UNANSWERED = Unanswered()


def count_answers(server) -> None:
    """Count this python-socketio server's event handlers per socket while they run (see `Unanswered`)."""
    start = server.start_background_task
    handle_event = server._handle_event_internal

    def start_counted(target, *args, **kwargs):
        if target != handle_event:
            return start(target, *args, **kwargs)
        eio_sid = args[2]  # (server, sid, eio_sid, data, namespace, id)
        UNANSWERED.handing(eio_sid)

        def answer() -> None:
            try:
                target(*args, **kwargs)
            finally:
                UNANSWERED.answered(eio_sid)

        return start(answer)

    server.start_background_task = start_counted
