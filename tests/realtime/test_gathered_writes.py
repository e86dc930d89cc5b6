"""A socket's answer goes out in one write: an event and its acknowledgement together (issue 15).

In-process, over a real socket pair under eventlet's hub; the live proof is every test of the
suite that connects, joins and syncs a screen over the direct wire.
"""

import eventlet
import pytest
from eventlet.green import socket

from app.realtime.transport.frames import NORMAL_CLOSURE, close_frame, websocket_frame
from app.realtime.transport.wire import Wire

SYNC_RESPONSE = websocket_frame('42["tables:sync_response",{"recovered":true}]')
SYNC_ACK = websocket_frame('431[{"ok":true}]')
BROADCAST = websocket_frame('42["table:status_changed",{"tableId":7}]')


@pytest.fixture
def link():
    """The server's wire to a screen, and the screen's end of the connection."""
    server_end, screen_end = socket.socketpair()
    wire = Wire(server_end, eventlet.spawn_n, 1 << 20)
    yield wire, screen_end
    wire.hang_up()
    screen_end.close()


def waiting_for(screen_end) -> bytes:
    """What the screen can read now, without waiting."""
    try:
        return screen_end.fd.recv(65536, socket.MSG_DONTWAIT)
    except BlockingIOError:
        return b""


def test_an_event_and_its_acknowledgement_reach_the_screen_together(link):
    wire, screen = link
    wire.gather()
    wire.write(SYNC_RESPONSE)
    wire.write(SYNC_ACK)
    assert waiting_for(screen) == b""
    wire.release()
    assert waiting_for(screen) == SYNC_RESPONSE + SYNC_ACK


def test_what_was_gathered_goes_out_when_the_hubs_turn_ends_though_nobody_released_it(link):
    wire, screen = link
    wire.gather()
    wire.write(SYNC_RESPONSE)
    eventlet.sleep(0.01)
    assert waiting_for(screen) == SYNC_RESPONSE
    wire.write(BROADCAST)  # gathering ended with the turn: straight out
    assert waiting_for(screen) == BROADCAST


def test_a_broadcast_written_while_an_answer_is_gathered_keeps_its_place(link):
    wire, screen = link
    wire.gather()
    wire.write(SYNC_RESPONSE)
    wire.write(BROADCAST)
    wire.write(SYNC_ACK)
    wire.release()
    assert waiting_for(screen) == SYNC_RESPONSE + BROADCAST + SYNC_ACK


def test_hanging_up_sends_what_was_gathered_before_the_close(link):
    wire, screen = link
    wire.gather()
    wire.write(SYNC_RESPONSE)
    wire.hang_up()
    assert waiting_for(screen) == SYNC_RESPONSE + close_frame(NORMAL_CLOSURE)


def test_a_cut_link_drops_what_was_gathered_and_writes_nothing_more(link):
    wire, screen = link
    wire.gather()
    wire.write(SYNC_RESPONSE)
    wire.cut()
    wire.release()
    eventlet.sleep(0.01)
    # The end of stream, and nothing before it (an open link would raise BlockingIOError):
    # the screen reconnects and syncs.
    assert screen.fd.recv(65536, socket.MSG_DONTWAIT) == b""
