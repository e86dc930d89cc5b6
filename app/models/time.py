"""Time helpers: every stored timestamp is UTC."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


def isoformat(value: datetime | None) -> str | None:
    """Render a timestamp as ISO 8601 in UTC with a trailing Z (SQLite drops tzinfo)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
