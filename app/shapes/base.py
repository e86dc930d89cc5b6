"""What every shape shares: camelCase on the wire, snake_case in Python, nothing undeclared."""

from typing import Annotated, Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, create_model
from pydantic.alias_generators import to_camel
from pydantic.json_schema import GenerateJsonSchema


class ShapeSchema(GenerateJsonSchema):
    """JSON Schema as the documents show it: no generated field titles, and "string or null"
    written as one schema with its limits (`{"type": ["string", "null"], "maxLength": 500}`)."""

    def field_title_should_be_set(self, schema) -> bool:
        return False

    def default_schema(self, schema):
        # An optional field's None default means "left out", which no schema reader needs told.
        written = super().default_schema(schema)
        if "default" in written and written["default"] is None:
            del written["default"]
        return written

    def nullable_schema(self, schema):
        inner = self.generate_inner(schema["schema"])
        if isinstance(inner.get("type"), str) and "$ref" not in inner:
            return {**inner, "type": [inner["type"], "null"]}
        return super().nullable_schema(schema)


class Shape(BaseModel):
    """A typed definition of something the server sends or receives.

    An undeclared field is a schema bug: it fails at construction (`extra="forbid"`), as a
    required field left out does. A field with a default is optional on the wire: it is sent
    only when it was given (`wire` leaves out what was not set), so `notes?` in the contract
    is a field defaulting to None that appears, as null too, only when the change set it.
    Python code builds shapes by snake_case names; clients send and receive camelCase, and
    a request is read by those names only (`read` in app/services/validation.py).
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="forbid",
        frozen=True,
    )

    @classmethod
    def model_json_schema(cls, *args: Any, schema_generator=ShapeSchema, **kwargs: Any) -> dict[str, Any]:
        """The shape's JSON Schema, written by ShapeSchema (which document generators get too)."""
        return super().model_json_schema(*args, schema_generator=schema_generator, **kwargs)

    @classmethod
    def wire_names(cls) -> list[str]:
        """The shape's field names as clients read them (camelCase), in declaration order."""
        return [info.serialization_alias or name for name, info in cls.model_fields.items()]

    def wire(self) -> dict[str, Any]:
        """The shape as JSON sends it: camelCase names, the fields that were set."""
        return self.model_dump(mode="json", exclude_unset=True)

    def values(self) -> dict[str, Any]:
        """The fields that were set, by their Python names and with Python values (datetimes stay datetimes)."""
        return self.model_dump(exclude_unset=True, by_alias=False)


class Query(Shape):
    """Parameters of a query string: the ones declared are read, others (a cache-buster) are let be."""

    model_config = ConfigDict(extra="ignore")


class Logged(Shape):
    """Every logged event a client receives starts with its id in the log (a string)."""

    event_id: str
    recorded: ClassVar[type[Shape]]

    @classmethod
    def of(cls, event_id: str, payload: dict[str, Any]) -> Self:
        """The message of a logged event, from its id and its recorded payload (camelCase)."""
        return cls.model_validate({"eventId": event_id, **payload})


def _typed(info) -> object:
    """A field's type with its constraints and validators, as a new shape declares it."""
    return Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation


def logged(payload: type[Shape]) -> type[Logged]:
    """The message a client receives for an event recorded as `payload`: eventId, then its fields."""
    fields = {
        name: (_typed(info), info.default if not info.is_required() else ...)
        for name, info in payload.model_fields.items()
    }
    message = create_model(f"{payload.__name__}Message", __base__=Logged, __doc__=payload.__doc__, **fields)
    message.recorded = payload
    return message


def partial(shape: type[Shape], name: str, doc: str, *, only: tuple[str, ...] | None = None) -> type[Shape]:
    """A shape of the same fields (or `only` these), each optional: what a change or an edit names."""
    fields = {
        field: (_typed(info), None) for field, info in shape.model_fields.items() if only is None or field in only
    }
    return create_model(name, __base__=Shape, __doc__=doc, **fields)


class Sent(Shape):
    """What a client sends with an event: the declared fields are read, others are let be (a
    newer client may send more than this server knows)."""

    model_config = ConfigDict(extra="ignore")
