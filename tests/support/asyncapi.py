"""Every event a live test's client receives, judged against the AsyncAPI document of the socket.

The document is the server's /api/asyncapi.json, generated here from the same code (a test in
tests/api/test_asyncapi.py checks that the served one is this one). An event is valid when
the document names it among what the server sends and its payload validates against that
message's schema (JSON Schema draft 7, which AsyncAPI 3.0's schemas extend, formats such as
date-time checked); an acknowledgement is valid when it validates against one of the replies of the
operation that receives the event it answers.

Every python-socketio client of the tests is a `JudgedClient` (LiveSocket's among them), and
the raw clients of tests/support/raw_socket.py call `received` and `answered` themselves. What
does not validate is noted, and tests/conftest.py fails the test in which it arrived, whatever
the test itself asserts: a payload that drifts from its shape fails every live test that sees it.
"""

import threading
from typing import Any

import socketio

# jsonschema-rs rather than jsonschema: a snapshot of 300 tables validates in 0.5 ms instead of
# 200, which matters in the receiving threads of tests with hundreds of sockets.
from jsonschema_rs import Draft7, Draft7Validator, Registry

from app.realtime.asyncapi import document

DOCUMENT = document(host="127.0.0.1", secure=False, session_cookie="session", remember_cookie="remember_token")
URI = "urn:tableside:asyncapi"
REGISTRY = Registry([(URI, DOCUMENT)], draft=Draft7)


class Drift(AssertionError):
    """A client received something /api/asyncapi.json does not allow."""


def resolve(reference: str, document: dict = DOCUMENT) -> tuple[str, dict]:
    """The JSON pointer and the object a local `#/...` reference names, following references to references."""
    target: Any = document
    for part in reference.removeprefix("#/").split("/"):
        target = target[part]
    if "$ref" in target:
        return resolve(target["$ref"], document)
    return reference.removeprefix("#"), target


def _payload_validator(message_reference: str) -> Draft7Validator:
    pointer, _ = resolve(message_reference)
    return Draft7Validator({"$ref": f"{URI}#{pointer}/payload"}, registry=REGISTRY, validate_formats=True)


def first_error(validator: Draft7Validator, instance: object) -> str | None:
    """Where and how `instance` fails the schema first, or None when it is valid."""
    for error in validator.iter_errors(instance):
        path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.instance_path)
        return f"${path}: {error.message:.300}"
    return None


def _event_name(message_reference: str) -> str:
    return resolve(message_reference)[1]["name"]


def _read_operations() -> tuple[dict[str, Draft7Validator], dict[str, list[Draft7Validator]]]:
    """What the server sends, by event name; and the acknowledgements it answers each client event with."""
    sends, replies = {}, {}
    for operation in DOCUMENT["operations"].values():
        for message in operation["messages"]:
            name = _event_name(message["$ref"])
            if operation["action"] == "send":
                sends[name] = _payload_validator(message["$ref"])
            else:
                replies[name] = [_payload_validator(reply["$ref"]) for reply in operation["reply"]["messages"]]
    return sends, replies


SERVER_SENDS, ACKNOWLEDGEMENTS = _read_operations()


def problem_with_event(event: str, payload: object) -> str | None:
    """What is wrong with a server event by the document, or None when it validates."""
    validator = SERVER_SENDS.get(event)
    if validator is None:
        return f"{event!r} is not an event /api/asyncapi.json says the server sends (payload {payload!r:.300})"
    error = first_error(validator, payload)
    return None if error is None else f"{event} does not match /api/asyncapi.json at {error}"


def problem_with_answer(event: str | None, answer: object) -> str | None:
    """What is wrong with the acknowledgement of a client's `event`, or None when one of its replies validates."""
    validators = ACKNOWLEDGEMENTS.get(event)
    if validators is None:
        return f"an acknowledgement of {event!r}, which /api/asyncapi.json does not name: {answer!r:.300}"
    errors = [first_error(validator, answer) for validator in validators]
    if None in errors:
        return None
    found = "; ".join(errors)
    return f"the acknowledgement of {event} matches none of its replies in /api/asyncapi.json ({found})"


class Findings:
    """Problems noted since the current test began, from any client's receiving thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._problems: list[str] = []

    def note(self, problem: str | None) -> None:
        if problem is not None:
            with self._lock:
                self._problems.append(problem)

    def take(self) -> list[str]:
        """The problems noted so far, forgetting them."""
        with self._lock:
            taken, self._problems = self._problems, []
        return taken


FINDINGS = Findings()


def received(event: str, payload: object) -> None:
    """Judge an event a client received; a problem fails the running test."""
    FINDINGS.note(problem_with_event(event, payload))


def answered(event: str | None, answer: object) -> None:
    """Judge the acknowledgement a client got for `event`; a problem fails the running test."""
    FINDINGS.note(problem_with_answer(event, answer))


def fail_on_drift(when: str) -> None:
    """Raise Drift listing everything received since the last call that the document does not allow."""
    __tracebackhide__ = True
    problems = FINDINGS.take()
    if problems:
        listed = "\n".join(f"- {problem}" for problem in problems)
        raise Drift(f"{when}, clients received what /api/asyncapi.json does not allow:\n{listed}")


# Events python-socketio raises itself, which carry no payload of the document.
LIFECYCLE = ("connect", "disconnect", "connect_error", "message")


def _judging(event: str, handler):
    """`handler` for `event` (or for every event, `*`), judging each payload before it runs."""
    if event == "*":

        def judged_any(name, *arguments):
            received(name, arguments[0] if arguments else None)
            return handler(name, *arguments)

        return judged_any

    def judged(*arguments):
        received(event, arguments[0] if arguments else None)
        return handler(*arguments)

    return judged


class JudgedClient(socketio.Client):
    """python-socketio's client, judging each event its handlers receive and each acknowledgement `call`
    returns on the default namespace (through the public `on` and `call` only)."""

    def on(self, event, handler=None, namespace=None):
        if handler is None:

            def register(given):
                self.on(event, given, namespace)
                return given

            return register
        if event not in LIFECYCLE and namespace in (None, "/"):
            handler = _judging(event, handler)
        return super().on(event, handler, namespace)

    def call(self, event, data=None, namespace=None, timeout=60):
        answer = super().call(event, data, namespace=namespace, timeout=timeout)
        if namespace in (None, "/"):
            answered(event, answer)
        return answer
