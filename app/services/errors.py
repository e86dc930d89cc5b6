"""Errors the service layer raises; app.errors turns them into responses."""

from app.shapes.errors import error_body


class ServiceError(Exception):
    """Base for refusals that carry an HTTP status and a machine-readable code."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, fields: dict[str, str] | None = None, **extra: object) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.extra = extra

    def to_dict(self) -> dict:
        """The refusal's JSON body, built through its shape (app/shapes/errors.py)."""
        return error_body(self.code, self.message, self.fields, **self.extra)


class Unauthorized(ServiceError):
    status_code = 401
    code = "unauthorized"


class ValidationError(ServiceError):
    status_code = 422
    code = "validation_error"


class NotFound(ServiceError):
    status_code = 404
    code = "not_found"


class Forbidden(ServiceError):
    status_code = 403
    code = "forbidden"


class Conflict(ServiceError):
    status_code = 409
    code = "conflict"
