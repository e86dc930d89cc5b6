"""The layout editor is held by one manager at a time, per floor (issue 28).

An open editor holds its floor while it keeps asking (every few seconds); a hold nobody renews
ends after LAYOUT_HOLD_SECONDS, so a closed laptop or a killed process never locks a floor for
long. Another manager is told who holds it and may take it over, after confirming; the editor
that lost it is told so on its next renewal, and its Save is refused. A hold belongs to one
editor (one page, by the id it made up): the same manager opening the editor again, in another
tab or on another device, takes it without asking, and the first page is told so.

Holds live in Redis when the deployment has it (every process sees them), else in this process.
"""

import json
import threading
import time
from dataclasses import dataclass

import redis
from flask import current_app

from app.config import queue_channel
from app.services.errors import Conflict

# Take the hold unless another manager has it (or take it over); answer whoever holds it after.
_TAKE = """
local held = redis.call('GET', KEYS[1])
if held then
  local holder = cjson.decode(held)
  if holder['editor'] ~= ARGV[6] then
    if ARGV[5] == '1' then return held end
    if ARGV[4] ~= '1' and holder['userId'] ~= tonumber(ARGV[2]) then return held end
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return ARGV[1]
"""
_PUT_DOWN = """
local held = redis.call('GET', KEYS[1])
if held and held == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
"""


@dataclass(frozen=True)
class Holder:
    """Who holds a floor's layout editor: the manager, and the page's own id."""

    user_id: int
    username: str
    editor: str

    def text(self) -> str:
        return json.dumps({"userId": self.user_id, "username": self.username, "editor": self.editor})

    @classmethod
    def read(cls, text: str | bytes) -> "Holder":
        data = json.loads(text)
        return cls(data["userId"], data["username"], data["editor"])


class HeldElsewhere(Conflict):
    """The floor's layout is held by another editor: named, so the page can offer to take over."""

    def __init__(self, floor: int, holder: Holder, me: str) -> None:
        who = "you, in another tab or device" if holder.username == me else holder.username
        super().__init__(
            f"The layout of floor {floor} is being edited by {who}.",
            heldBy={"userId": holder.user_id, "username": holder.username},
        )
        self.holder = holder


class _Here:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.holds: dict[int, tuple[Holder, float]] = {}

    def take(self, floor: int, holder: Holder, seconds: float, takeover: bool, renewal: bool) -> Holder:
        with self.lock:
            held = self.holder(floor)
            if held is not None and held.editor != holder.editor:
                if renewal or (not takeover and held.user_id != holder.user_id):
                    return held
            self.holds[floor] = (holder, time.monotonic() + seconds)
            return holder

    def put_down(self, floor: int, holder: Holder) -> None:
        with self.lock:
            if self.holder(floor) == holder:
                del self.holds[floor]

    def holder(self, floor: int) -> Holder | None:
        held = self.holds.get(floor)
        return held[0] if held and held[1] > time.monotonic() else None


class _InRedis:
    def __init__(self, url: str, prefix: str) -> None:
        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = f"{prefix}:layout-hold"
        self._take = self.redis.register_script(_TAKE)
        self._put_down = self.redis.register_script(_PUT_DOWN)

    def take(self, floor: int, holder: Holder, seconds: float, takeover: bool, renewal: bool) -> Holder:
        flags = ["1" if takeover else "0", "1" if renewal else "0"]
        args = [holder.text(), holder.user_id, int(seconds * 1000), *flags, holder.editor]
        return Holder.read(self._take(keys=[f"{self.prefix}:{floor}"], args=args))

    def put_down(self, floor: int, holder: Holder) -> None:
        self._put_down(keys=[f"{self.prefix}:{floor}"], args=[holder.text()])

    def holder(self, floor: int) -> Holder | None:
        held = self.redis.get(f"{self.prefix}:{floor}")
        return Holder.read(held) if held else None


_stores: dict[tuple, _Here | _InRedis] = {}


def _store() -> _Here | _InRedis:
    config = current_app.config
    key = (config["REDIS_URL"], config.get("SOCKETIO_CHANNEL"), id(current_app._get_current_object()))
    if key not in _stores:
        _stores[key] = _InRedis(config["REDIS_URL"], queue_channel(config)) if config["REDIS_URL"] else _Here()
    return _stores[key]


def take(floor: int, user, editor: str, *, takeover: bool = False, renewal: bool = False) -> Holder:
    """Hold (or keep holding) the floor's layout for this editor; HeldElsewhere names who has it.

    A `renewal` from an editor the hold has moved away from is refused, even from its own manager's
    newer page: it may not take the hold back without asking. A first take by the manager who holds
    the floor in another page moves the hold to the new page."""
    holder = Holder(user.id, user.username, editor)
    held = _store().take(floor, holder, current_app.config["LAYOUT_HOLD_SECONDS"], takeover, renewal)
    if held != holder:
        raise HeldElsewhere(floor, held, user.username)
    return holder


def put_down(floor: int, user, editor: str) -> None:
    """The editor closed: the floor is free (only the manager and editor holding it can free it)."""
    _store().put_down(floor, Holder(user.id, user.username, editor))


def check_may_save(floor: int, user, editor: str | None) -> None:
    """A save from an editor that does not hold the floor while another does is refused, naming the holder."""
    held = _store().holder(floor)
    if held is not None and held.editor != editor:
        raise HeldElsewhere(floor, held, user.username)
