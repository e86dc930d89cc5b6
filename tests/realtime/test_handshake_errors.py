"""A handshake whose handler fails is refused (and counted, `server_error`), not accepted half set up.

Issue 27: every socket event, the handshake's too, is registered one way (`socket_event`)."""

from app.realtime import connections, metrics


def test_a_connect_that_fails_unexpectedly_is_refused_and_the_next_one_is_accepted(app, as_staff, monkeypatch):
    from app.extensions import socketio

    browser = as_staff("host")
    refused_before = metrics._current.sessions_refused.labels("server_error")._value.get()

    def broken(*args, **kwargs):
        raise RuntimeError("the connections table is unreachable")

    with monkeypatch.context() as patched:
        patched.setattr(connections, "register", broken)
        socket = socketio.test_client(app, flask_test_client=browser.client)
        assert not socket.is_connected()
    assert metrics._current.sessions_refused.labels("server_error")._value.get() == refused_before + 1

    socket = socketio.test_client(app, flask_test_client=browser.client)
    assert socket.is_connected()
    assert socket.get_received()[0]["name"] == "tables:connected"
    socket.disconnect()
