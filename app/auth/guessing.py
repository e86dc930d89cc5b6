"""Slowing password guessing down without letting a stranger lock a member of staff out.

Only failed attempts count, and what they count against depends on who is asking:
- A browser that signed in as this person before carries a signed device cookie naming them.
  Its attempts count only against that device: after LOGIN_BACKOFF_AFTER failures in a row,
  each further try must wait, LOGIN_BACKOFF_SECONDS doubling up to LOGIN_BACKOFF_MAX_SECONDS.
  Nothing a stranger does elsewhere can make it wait.
- Any other attempt waits the same way per address and account, and is refused (429) once
  its address has failed LOGIN_RATE_LIMIT times, or once the account has failed LOGIN_RATE_LIMIT
  times from such devices. That last limit, which is what stops guessing from many addresses,
  is not applied to an address the person signed in from within KNOWN_DEVICE_DAYS (an API
  client without cookies, a new tablet in the restaurant).
A success forgets the failures of its device (or address) and account.

Counts live in the rate limiter's storage (Redis when set, shared by every process). When it
cannot be reached, sign-ins go on unthrottled, as the other limits do, rather than failing.
"""

import hashlib
import logging
import math
import secrets
import time
from dataclasses import dataclass

from flask import Response, current_app, request
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeSerializer
from limits import parse

from app.extensions import limiter

log = logging.getLogger(__name__)
DEVICE_COOKIE = "tableside_device"
MAX_ACCOUNTS_PER_DEVICE = 20
# Failures in a row are remembered this long after the first, unless a success forgets them.
FAILURES_KEPT_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Attempt:
    """One try at a password: for which account, from which address, by which device (if known)."""

    account: str
    address: str
    device: str | None
    accounts_of_device: tuple[str, ...]

    @property
    def from_known_device(self) -> bool:
        return self.device is not None and self.account in self.accounts_of_device

    @property
    def backoff_key(self) -> str:
        """Whose failures in a row this attempt adds to: the device's, or the address's, for this account."""
        who = f"device:{self.device}" if self.from_known_device else f"address:{self.address}"
        return f"login-backoff:{who}:{self.account}"


def attempt_for(username: object) -> Attempt:
    """The attempt this request makes at `username`'s password."""
    device, accounts = _device_cookie()
    return Attempt(_account(username), get_remote_address() or "", device, accounts)


def seconds_to_wait(attempt: Attempt) -> int:
    """0 when the attempt may go ahead; otherwise how long it must wait (429, Retry-After)."""
    return _guarded(lambda: _seconds_to_wait(attempt), 0)


def failed(attempt: Attempt) -> None:
    """Count a wrong password (or unknown or switched-off account) against this attempt's limits."""
    _guarded(lambda: _count_failure(attempt), None)


def succeeded(attempt: Attempt, response: Response) -> None:
    """Forget the failures in a row, remember the address, and give the browser its device cookie."""
    _guarded(lambda: _forget_failures(attempt), None)
    accounts = (attempt.account, *(name for name in attempt.accounts_of_device if name != attempt.account))
    device = attempt.device or secrets.token_urlsafe(16)
    value = _serializer().dumps({"device": device, "accounts": accounts[:MAX_ACCOUNTS_PER_DEVICE]})
    config = current_app.config
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=config["KNOWN_DEVICE_DAYS"] * 86400,
        secure=bool(config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )


def _seconds_to_wait(attempt: Attempt) -> int:
    waits = [_backoff_wait(attempt)]
    if not attempt.from_known_device:
        waits.append(_window_wait("login-address", attempt.address))
        if not _known_address(attempt):
            waits.append(_window_wait("login-account", attempt.account))
    return math.ceil(max(waits))


def _count_failure(attempt: Attempt) -> None:
    storage, config = limiter.limiter.storage, current_app.config
    in_a_row = storage.incr(attempt.backoff_key, FAILURES_KEPT_SECONDS)
    beyond = in_a_row - config["LOGIN_BACKOFF_AFTER"]
    if beyond > 0:
        wait = min(config["LOGIN_BACKOFF_MAX_SECONDS"], config["LOGIN_BACKOFF_SECONDS"] * 2 ** (beyond - 1))
        storage.incr(_wait_key(attempt), max(1, math.ceil(wait)))
    if not attempt.from_known_device:
        limiter.limiter.hit(_window(), "login-address", attempt.address)
        if not _known_address(attempt):
            limiter.limiter.hit(_window(), "login-account", attempt.account)


def _forget_failures(attempt: Attempt) -> None:
    storage = limiter.limiter.storage
    storage.clear(attempt.backoff_key)
    storage.clear(_wait_key(attempt))
    if not _known_address(attempt):
        storage.incr(_known_key(attempt), current_app.config["KNOWN_DEVICE_DAYS"] * 86400)


def _window():
    return parse(current_app.config["LOGIN_RATE_LIMIT"])


def _window_wait(*identifiers: str) -> float:
    """0 when the LOGIN_RATE_LIMIT window of these identifiers has room; else seconds until it has."""
    window = _window()
    if limiter.limiter.test(window, *identifiers):
        return 0
    return max(1.0, limiter.limiter.get_window_stats(window, *identifiers).reset_time - time.time())


def _backoff_wait(attempt: Attempt) -> float:
    """0, or the seconds left of the wait the last failure in a row started."""
    storage, key = limiter.limiter.storage, _wait_key(attempt)
    return max(1.0, storage.get_expiry(key) - time.time()) if storage.get(key) else 0


def _wait_key(attempt: Attempt) -> str:
    return f"{attempt.backoff_key}:wait"


def _known_key(attempt: Attempt) -> str:
    return f"login-known:{attempt.address}:{attempt.account}"


def _known_address(attempt: Attempt) -> bool:
    return limiter.limiter.storage.get(_known_key(attempt)) > 0


def _account(username: object) -> str:
    """A short, storable name for the account tried: usernames are compared without case here."""
    text = username.lower() if isinstance(username, str) else ""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="tableside-device")


def _device_cookie() -> tuple[str | None, tuple[str, ...]]:
    """(device id, accounts that signed in on it) from a device cookie this server signed; (None, ()) otherwise."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None, ()
    try:
        value = _serializer().loads(raw)
        device, accounts = value["device"], value["accounts"]
    except (BadSignature, KeyError, TypeError):
        return None, ()
    if not isinstance(device, str) or not isinstance(accounts, list):
        return None, ()
    return device, tuple(name for name in accounts if isinstance(name, str))


def _guarded(work, fallback):
    """Do `work` against the limiter's storage; if that storage fails, log it and go on with `fallback`."""
    try:
        return work()
    except Exception:  # noqa: BLE001 - a limit store that is away must not stop staff signing in
        log.warning("sign-in limits unavailable; this attempt is not throttled", exc_info=True)
        return fallback
