"""Issue 15: past MAX_SIGNING_IN sessions signing in at once, a handshake is told to come back later."""

from types import SimpleNamespace

from app.realtime.admission import Admission

SETTINGS = {
    "MAX_CONNECTIONS": 20000,
    "MAX_UNAUTHENTICATED_PER_ADDRESS": 100,
    "AUTH_DEADLINE_SECONDS": 10,
    "PROXY_FIX_HOPS": 0,
    "MAX_SIGNING_IN": 3,
}


def test_a_handshake_beyond_the_sessions_signing_in_at_once_is_asked_to_come_back():
    """Three waiting from three addresses: the fourth gets 503 server_busy; once one signs in, it is let in."""
    admission = Admission(SimpleNamespace(sockets={}), SETTINGS, authenticated=lambda: 0)
    for number in range(3):
        environ = {"REMOTE_ADDR": f"10.0.0.{number}"}
        assert admission.refusal(environ) is None
        admission.opened(f"sid{number}", environ)
    assert admission.refusal({"REMOTE_ADDR": "10.0.0.9"}) == ("503 Service Unavailable", "server_busy")
    admission.settled("sid0")
    assert admission.refusal({"REMOTE_ADDR": "10.0.0.9"}) is None
