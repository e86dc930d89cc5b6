"""The kinds of value shapes hold: each with its limits (app/models/limits.py) and, for what
people send, the words they read when a value is refused.

A refused value raises a `PydanticCustomError` whose message is the one shown beside the
field; app/shapes/problems.py turns pydantic's own error types (a missing or unknown field,
a wrong type) into the same words. What people send is read leniently where the HTML forms
send text ("4" seats); `Strict` kinds take only a JSON number, as the API always has.
"""

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from app.models import limits
from app.models.time import isoformat

# Every id, floor and event number is stored as a database INTEGER, signed 32-bit on
# PostgreSQL: a number outside it names nothing, and must never reach a query.
LARGEST_NUMBER = 2**31 - 1
# PostgreSQL cannot store a NUL in text, and a lone surrogate (JSON's "\ud800" decodes to one)
# is not UTF-8 at all: no database, page or JSON answer could carry either.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_TEXT = "Contains a character that cannot be saved (a NUL or a lone surrogate)."
DATE_TIME_PROBLEM = (
    f"Must be an ISO 8601 date and time between the years {limits.DATE_YEARS[0]} and {limits.DATE_YEARS[1]}."
)
TABLE_NUMBER_PROBLEM = f"Use 1-{limits.TABLE_NUMBER_LENGTH} letters, digits, spaces, '-' or '_', e.g. T-05."
_TABLE_NUMBER = re.compile(limits.TABLE_NUMBER_PATTERN)
_COLOUR = re.compile(limits.COLOUR_PATTERN)
_PHONE = re.compile(limits.PHONE_PATTERN)


def refused(kind: str, message: str) -> PydanticCustomError:
    """A refusal of one value, in the words its field shows."""
    return PydanticCustomError(kind, message)


def unstorable(text: str) -> bool:
    """True for text no database can keep: it holds a NUL or a lone surrogate."""
    return UNSTORABLE.search(text) is not None


def text_problem(value: object, longest: int) -> str | None:
    """What is wrong with text a person sent (not text, too long, unstorable), or None."""
    if not isinstance(value, str):
        return "Must be text."
    if len(value.strip()) > longest:
        return f"At most {longest} characters."
    return UNSTORABLE_TEXT if unstorable(value) else None


def parse_datetime(value: object) -> datetime | None:
    """Parse an ISO 8601 timestamp (naive means UTC) within limits.DATE_YEARS; empty means none."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise refused("date_time", DATE_TIME_PROBLEM) from None
    else:
        raise refused("date_time", DATE_TIME_PROBLEM)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        in_utc = parsed.astimezone(UTC)
    except OverflowError:
        # 0001-01-01T00:00+14:00 is a moment before the first one Python (or a client) can hold.
        raise refused("date_time", DATE_TIME_PROBLEM) from None
    low, high = limits.DATE_YEARS
    if not low <= in_utc.year <= high:
        raise refused("date_time", DATE_TIME_PROBLEM)
    return in_utc


def _within(number: int | float, bounds: tuple[int, int]) -> int | float:
    low, high = bounds
    if not low <= number <= high:
        raise refused("out_of_range", f"Must be between {low} and {high}.")
    return number


def _lenient_whole(value: object) -> int:
    """A whole number as JSON or a form sends it: 4, 4.0 or "4"; never true or false."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,6}", value.strip()):
        return int(value.strip())
    raise refused("whole_number", "Must be a whole number.")


def _strict_whole(value: object) -> int:
    """A JSON integer: no text, floats or booleans, which a client sent by mistake."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise refused("whole_number", "Must be a whole number.")
    return value


def _lenient_number(value: object) -> float:
    number = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and value.strip():
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if number is None or number != number or number in (float("inf"), float("-inf")):
        raise refused("number", "Must be a number.")
    return number


def whole(bounds: tuple[int, int], *, strict: bool = False) -> Any:
    """A whole number within `bounds`; lenient ("4" from a form) unless `strict`."""
    read = _strict_whole if strict else _lenient_whole
    checked = BeforeValidator(lambda value: _within(read(value), bounds))
    return Annotated[int, Field(ge=bounds[0], le=bounds[1]), checked]


def number(bounds: tuple[int, int]) -> Any:
    """A number within `bounds` (plan units, degrees); "12.5" from a form too."""
    return Annotated[
        float, Field(ge=bounds[0], le=bounds[1]), BeforeValidator(lambda value: _within(_lenient_number(value), bounds))
    ]


def choice(words: tuple[str, ...], *, nullable: bool = False) -> Any:
    """One of `words` (or null when `nullable`)."""

    def check(value: object) -> object:
        if value not in words and not (nullable and value is None):
            raise refused("choice", f"Must be one of: {', '.join(words)}.")
        return value

    return Annotated[Literal[words] | None if nullable else Literal[words], BeforeValidator(check)]


def query_number(
    bounds: tuple[int, int], problem: str, out_of_range: str, *, digits: str = r"[+-]?\d+", blank_is_none: bool = True
) -> Any:
    """A whole number in a query string ("?floor=2"); its messages follow the parameter's name."""

    def read(value: object) -> int | None:
        if value is None or (blank_is_none and isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, int | str) or not re.fullmatch(digits, str(value).strip()):
            raise refused("query_number", problem)
        found = int(str(value).strip())
        if not bounds[0] <= found <= bounds[1]:
            raise refused("query_number", out_of_range)
        return found

    return Annotated[int | None, Field(ge=bounds[0], le=bounds[1]), BeforeValidator(read)]


def text(longest: int) -> Any:
    """Text of at most `longest` characters, trimmed; empty text or null is none."""

    def clean(value: object) -> str | None:
        if value is None or value == "":
            return None
        problem = text_problem(value, longest)
        if problem:
            raise refused("text", problem)
        return value.strip() or None

    return Annotated[str | None, Field(max_length=longest), BeforeValidator(clean)]


def name(longest: int, missing: str) -> Any:
    """A name that must be given (`missing` says so), trimmed, of at most `longest` characters."""

    def clean(value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise refused("name", missing)
        problem = text_problem(value, longest)
        if problem:
            raise refused("text", problem)
        return value.strip()

    return Annotated[str, Field(min_length=1, max_length=longest), BeforeValidator(clean)]


def _table_number(value: object) -> str:
    if not isinstance(value, str) or not _TABLE_NUMBER.match(value.strip()):
        raise refused("table_number", TABLE_NUMBER_PROBLEM)
    return value.strip()


def _colour(value: object) -> str:
    if not isinstance(value, str) or not _COLOUR.match(value.strip()):
        raise refused("colour", "Use a colour as #rrggbb, e.g. #2ca02c.")
    return value.strip().lower()


def _phone(value: object) -> str | None:
    if value is None or value == "":
        return None
    problem = text_problem(value, limits.PHONE_LENGTH)
    if problem:
        raise refused("text", problem)
    if not _PHONE.match(value.strip()):
        raise refused("phone", "Use a phone number: digits, spaces and + ( ) - . /, e.g. +44 20 7946 0000.")
    return value.strip()


def _tags(value: object) -> list[str]:
    """A party's tags: each one of limits.PARTY_TAGS, each once, in the order given; null is none."""
    if value is None:
        return []
    problem = f"Must be a list of tags from: {', '.join(limits.PARTY_TAGS)}."
    if not isinstance(value, list) or any(tag not in limits.PARTY_TAGS for tag in value):
        raise refused("tags", problem)
    return list(dict.fromkeys(value))


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise refused("flag", "Must be true or false.")
    return value


def reference(message: str, *, strict: bool = True, nullable: bool = False) -> Any:
    """The id of a row (1 to the database's largest), null too when `nullable`; `message` when it is not."""
    read = _strict_whole if strict else _lenient_whole

    def check(value: object) -> int | None:
        if nullable and (value is None or (not strict and value == "")):
            return None
        try:
            return _within(read(value), (1, LARGEST_NUMBER))
        except PydanticCustomError:
            raise refused("reference", message) from None

    kind = int | None if nullable else int
    return Annotated[kind, Field(ge=1, le=LARGEST_NUMBER), BeforeValidator(check)]


# A moment the server tells (ISO 8601 in UTC, milliseconds, a trailing Z: app/models/time.py).
Moment = Annotated[
    datetime,
    PlainSerializer(isoformat, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
# A moment a client sends: a reservation hold's end, or nothing.
HoldEnd = Annotated[
    datetime | None,
    BeforeValidator(parse_datetime),
    PlainSerializer(isoformat, return_type=str | None, when_used="json"),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}],
            "description": f"Between the years {limits.DATE_YEARS[0]} and {limits.DATE_YEARS[1]}, once in UTC.",
        }
    ),
]
# When a change that waited offline was tapped: its time, within the offline window (app/services/tap_time.py).
TapTime = Annotated[
    HoldEnd,
    Field(
        description="When the change was tapped, for one that waited offline: recorded as its time within "
        "OFFLINE_WINDOW_SECONDS, never before the previous change nor after now; older, the change is now."
    ),
]
TableNumber = Annotated[str, Field(pattern=limits.TABLE_NUMBER_PATTERN), BeforeValidator(_table_number)]
Colour = Annotated[str, Field(pattern=limits.COLOUR_PATTERN), BeforeValidator(_colour)]
Flag = Annotated[bool, BeforeValidator(_flag)]
Phone = Annotated[
    str | None, Field(max_length=limits.PHONE_LENGTH, pattern=limits.PHONE_PATTERN), BeforeValidator(_phone)
]
Tags = Annotated[list[Literal[limits.PARTY_TAGS]], Field(max_length=len(limits.PARTY_TAGS)), BeforeValidator(_tags)]
# What people send is checked with its message; what the server tells is only typed (no Python
# call per value: answers and events are built far more often than bodies are read).
Status = choice(limits.TABLE_STATUSES)
TableForm = choice(limits.TABLE_SHAPES)
StatusWord = Literal[limits.TABLE_STATUSES]
FormWord = Literal[limits.TABLE_SHAPES]
RoleWord = Literal[limits.ROLES]
PartyStateWord = Literal[limits.PARTY_STATES]
TagWord = Literal[limits.PARTY_TAGS]
FloorNumber = whole(limits.FLOOR_NUMBER)
# What a client may say is an event id it has seen; sync reads anything unusable as "none".
EventIdText = Annotated[Any, WithJsonSchema({"anyOf": [{"type": "string", "pattern": "^[0-9]+$"}, {"type": "null"}]})]
