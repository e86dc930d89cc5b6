"""Past MAX_SIGNING_IN sessions signing in at once, a handshake is told to come back later (issue 15);
handshakes without credentials never keep out one that carries them (issue 23)."""

from types import SimpleNamespace

import pytest

from app.realtime.transport.admission import Admission

LIMITS = {
    "MAX_CONNECTIONS": 20000,
    "MAX_UNAUTHENTICATED_PER_ADDRESS": 2,
    "AUTH_DEADLINE_SECONDS": 10,
    "PROXY_FIX_HOPS": 0,
    "MAX_SIGNING_IN": 3,
}
BUSY = ("503 Service Unavailable", "server_busy")
TOO_MANY = ("429 Too Many Requests", "too_many_unauthenticated")


@pytest.fixture
def admission(app):
    """Admission of a server with three places for sessions signing in, two per address without credentials."""
    app.config.update(LIMITS)
    return Admission(app, SimpleNamespace(sockets={}), authenticated=lambda: 0)


@pytest.fixture
def with_token(bearer):
    """Factory: the environ of a handshake from `address` carrying a viewer's token in its Authorization header."""
    header = bearer("viewer")["Authorization"]
    return lambda address: {"REMOTE_ADDR": address, "HTTP_AUTHORIZATION": header}


def knock(admission: Admission, sid: str, environ: dict) -> tuple[str, str] | None:
    """One handshake: its refusal, or None once its session has opened."""
    refused = admission.refusal(environ)
    if refused is None:
        admission.opened(sid, environ)
    return refused


def test_a_handshake_beyond_the_sessions_signing_in_at_once_is_asked_to_come_back(admission):
    """Three waiting from three addresses: the fourth gets 503 server_busy; once one signs in, it is let in."""
    for number in range(3):
        assert knock(admission, f"sid{number}", {"REMOTE_ADDR": f"10.0.0.{number}"}) is None
    assert admission.refusal({"REMOTE_ADDR": "10.0.0.9"}) == BUSY
    admission.settled("sid0")
    assert admission.refusal({"REMOTE_ADDR": "10.0.0.9"}) is None


def test_handshakes_without_credentials_never_keep_out_one_with_them(admission, with_token):
    """Strangers fill every place: a handshake with a token from the same address is still let in, up to three."""
    for number in range(3):
        assert knock(admission, f"stranger{number}", {"REMOTE_ADDR": f"10.0.0.{number}"}) is None
    assert admission.refusal({"REMOTE_ADDR": "10.0.0.0"}) == BUSY
    for number in range(3):
        assert knock(admission, f"screen{number}", with_token("10.0.0.0")) is None
    # Past three with credentials, those are what keeps the next out.
    assert admission.refusal(with_token("10.0.0.5")) == BUSY
    admission.settled("stranger0")
    assert admission.refusal(with_token("10.0.0.5")) == BUSY
    admission.settled("screen0")
    assert admission.refusal(with_token("10.0.0.5")) is None


def test_an_address_may_hold_only_a_few_handshakes_without_credentials(admission, with_token):
    """The third stranger from an address gets 429; a handshake with credentials from it is let in."""
    for number in range(2):
        assert knock(admission, f"stranger{number}", {"REMOTE_ADDR": "10.0.0.1"}) is None
    assert admission.refusal({"REMOTE_ADDR": "10.0.0.1"}) == TOO_MANY
    assert knock(admission, "screen", with_token("10.0.0.1")) is None
    assert admission.refusal({"REMOTE_ADDR": "10.0.0.2"}) == BUSY  # three waiting in all: strangers give way


def test_handshakes_with_credentials_fill_max_signing_in_before_strangers(admission, with_token):
    """Three screens waiting: a stranger is asked to come back, as the next screen is."""
    for number in range(3):
        assert knock(admission, f"screen{number}", with_token(f"10.0.0.{number}")) is None
    assert admission.refusal({"REMOTE_ADDR": "10.0.0.7"}) == BUSY
    assert admission.refusal(with_token("10.0.0.7")) == BUSY
