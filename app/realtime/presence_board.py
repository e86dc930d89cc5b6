"""Where presence is kept: in this process alone, or in Redis for every process.

A board holds, per floor, one entry per screen (keyed by its socket id, unique across
processes) with the moment it expires. A process refreshes its own screens' entries while
they are open; a process that dies stops refreshing, and any process pruning after the
expiry removes them. Each change of a floor's entries grows the floor's version, read in
the same step as the entries, so a list sent later never carries an older version.
"""

import threading
import time

import redis


class LocalBoard:
    """One process: the floors' entries in memory."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[int, dict[str, tuple[str, float]]] = {}
        self._versions: dict[int, int] = {}

    def put(self, floor: int, key: str, entry: str, expires: float) -> None:
        with self._lock:
            self._entries.setdefault(floor, {})[key] = (entry, expires)

    def drop(self, floor: int, key: str) -> bool:
        with self._lock:
            return self._entries.get(floor, {}).pop(key, None) is not None

    def refresh(self, held: list[tuple[int, str]], expires: float) -> None:
        with self._lock:
            for floor, key in held:
                entries = self._entries.get(floor, {})
                if key in entries:
                    entries[key] = (entries[key][0], expires)

    def prune(self, now: float) -> list[int]:
        """Remove the entries expired by `now`; the floors that lost any."""
        changed = []
        with self._lock:
            for floor, entries in self._entries.items():
                expired = [key for key, (_, expires) in entries.items() if expires <= now]
                for key in expired:
                    del entries[key]
                if expired:
                    changed.append(floor)
        return changed

    def snapshot(self, floor: int) -> tuple[int, list[str]]:
        """Grow the floor's version and read its entries, in one step."""
        with self._lock:
            version = self._versions[floor] = self._versions.get(floor, 0) + 1
            return version, [entry for entry, _ in self._entries.get(floor, {}).values()]


class RedisBoard:
    """Every process: a hash of entries and a sorted set of expiries per floor, under the deployment's channel."""

    def __init__(self, url: str, prefix: str) -> None:
        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = f"{prefix}:presence"

    def _keys(self, floor: int) -> tuple[str, str, str]:
        base = f"{self.prefix}:{floor}"
        return f"{base}:entries", f"{base}:expiries", f"{base}:version"

    def put(self, floor: int, key: str, entry: str, expires: float) -> None:
        entries, expiries, _ = self._keys(floor)
        with self.redis.pipeline(transaction=True) as step:
            step.hset(entries, key, entry).zadd(expiries, {key: expires}).sadd(f"{self.prefix}:floors", floor)
            step.execute()

    def drop(self, floor: int, key: str) -> bool:
        entries, expiries, _ = self._keys(floor)
        with self.redis.pipeline(transaction=True) as step:
            removed, _ = step.hdel(entries, key).zrem(expiries, key).execute()
        return bool(removed)

    def refresh(self, held: list[tuple[int, str]], expires: float) -> None:
        if not held:
            return
        with self.redis.pipeline(transaction=False) as step:
            for floor, key in held:
                step.zadd(self._keys(floor)[1], {key: expires}, xx=True)
            step.execute()

    def prune(self, now: float) -> list[int]:
        changed = []
        for raw in self.redis.smembers(f"{self.prefix}:floors"):
            floor = int(raw)
            entries, expiries, _ = self._keys(floor)
            expired = self.redis.zrangebyscore(expiries, "-inf", now)
            if not expired:
                continue
            # Only the process whose ZREM took an entry announces it (several may prune at once).
            with self.redis.pipeline(transaction=True) as step:
                removed, _ = step.zrem(expiries, *expired).hdel(entries, *expired).execute()
            if removed:
                changed.append(floor)
        return changed

    def snapshot(self, floor: int) -> tuple[int, list[str]]:
        entries, _, version = self._keys(floor)
        with self.redis.pipeline(transaction=True) as step:
            grown, held = step.incr(version).hvals(entries).execute()
        return int(grown), [entry.decode() for entry in held]


def clock() -> float:
    """Wall-clock seconds: expiries are compared between processes of one deployment."""
    return time.time()
