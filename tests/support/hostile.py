"""Inputs that once made the server fail: text no database can store, dates at the ends of the
calendar, and JSON nested far deeper than any body of the API. Strategies for the fuzzers and
raw bodies for the tests that send them as a client would.
"""

import json
import re
from datetime import datetime

from hypothesis import strategies as st

from app.models import limits

# A NUL (PostgreSQL refuses it in text) and lone surrogates (no UTF-8 for them at all).
UNSTORABLE_CHARACTERS = ("\x00", "\ud800", "\udbff", "\udc00", "\udfff")
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Moments at the ends of Python's calendar: the offset pushes them past it once in UTC.
CALENDAR_EDGES = (
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00+12:04",  # what the stateful fuzzer drew when it failed on a fresh clone
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00Z",
    "1969-12-31T23:59:59Z",
)
# The first and last moments a client may send, in UTC.
FIRST_MOMENT = f"{limits.DATE_YEARS[0]:04d}-01-01T00:00:00Z"
LAST_MOMENT = f"{limits.DATE_YEARS[1]:04d}-12-31T23:59:59.999Z"
# Deep enough that decoding it recursively fails (the interpreter's limit is about 1,000).
VERY_DEEP = 5000


def unstorable_text() -> st.SearchStrategy[str]:
    """Text with a NUL or a lone surrogate somewhere in it."""
    bad = st.sampled_from(UNSTORABLE_CHARACTERS) | st.characters(categories=["Cs"])
    return st.builds("{}{}{}".format, st.text(max_size=6), bad, st.text(max_size=6))


def _offset(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def edge_date_times() -> st.SearchStrategy[str]:
    """ISO 8601 date-times at and near the ends of the calendar, with any offset a client may write."""
    first_days = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(1, 1, 2))
    last_days = st.datetimes(min_value=datetime(9999, 12, 30), max_value=datetime(9999, 12, 31, 23, 59, 59))
    near_limits = st.datetimes(min_value=datetime(1969, 12, 31), max_value=datetime(1970, 1, 2))
    moments = st.builds(
        lambda moment, minutes: moment.isoformat() + _offset(minutes),
        first_days | last_days | near_limits,
        st.integers(-23 * 60 - 59, 23 * 60 + 59),
    )
    return st.sampled_from(CALENDAR_EDGES) | moments


def nested_value(depth: int, inner: object = 1) -> object:
    """`inner` inside `depth` levels of lists and objects, as a decoder would build it."""
    value = inner
    for level in range(depth):
        value = [value] if level % 2 else {"a": value}
    return value


def nested_text(depth: int, inner: str = "1") -> str:
    """JSON text of `inner` inside `depth` lists: built as text, since encoding it would recurse too."""
    return "[" * depth + inner + "]" * depth


def holds_unstorable(value: object) -> bool:
    """True when any text (or key) in a decoded JSON value holds a NUL or a lone surrogate."""
    if isinstance(value, str):
        return UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any(holds_unstorable(key) or holds_unstorable(child) for key, child in value.items())
    return isinstance(value, list) and any(holds_unstorable(child) for child in value)


def raw_json(value: object) -> str:
    """JSON text as a client writes it: lone surrogates and NUL as \\u escapes."""
    return json.dumps(value, ensure_ascii=True)


def hostile_values() -> st.SearchStrategy[object]:
    """One value of a class that once made the server fail: unstorable text, a calendar edge, deep nesting."""
    return unstorable_text() | edge_date_times() | st.integers(limits.JSON_DEPTH - 2, 200).map(nested_value)


def spoiled_bodies(body: object) -> st.SearchStrategy[object]:
    """Three times in four the body as drawn; otherwise one field spoiled, or the whole body 5,000 deep (raw bytes)."""
    if not isinstance(body, dict) or not body:
        return st.just(body)
    spoilt = [
        st.builds(lambda key, value: {**body, key: value}, st.sampled_from(sorted(body)), hostile_values()),
        st.just(nested_text(VERY_DEEP).encode()),
    ]
    if "reservedUntil" in body:
        spoilt.append(edge_date_times().map(lambda moment: {**body, "reservedUntil": moment}))
    return st.sampled_from([False, False, False, True]).flatmap(
        lambda spoil: st.one_of(spoilt) if spoil else st.just(body)
    )
