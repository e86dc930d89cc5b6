"""Time helpers: every stored timestamp is UTC."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """A stored timestamp as an aware UTC time (SQLite gives it back without its zone)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def isoformat(value: datetime | None) -> str | None:
    """Render a timestamp as ISO 8601 in UTC with a trailing Z (SQLite drops tzinfo)."""
    if value is None:
        return None
    return as_utc(value).isoformat(timespec="milliseconds").replace("+00:00", "Z")
