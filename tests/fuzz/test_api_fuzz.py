"""Schemathesis fuzzes the JSON API from its own OpenAPI description, on SQLite and on PostgreSQL.

All three of its phases: coverage (each field at its bounds and just past them, missing,
of the wrong type), fuzzing (random requests, valid and not) and stateful (chains of
requests along the document's links: create a table, change its status, read its history,
delete it). Never a server error, every refusal a JSON error, and every table still readable.
"""

from dataclasses import dataclass

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis.config import SchemathesisConfig
from sqlalchemy import text

from app.api.openapi import SPEC
from tests.conftest import PASSWORD, STAFF
from tests.support.backing_services import postgres_url
from tests.support.database import app_for, migrate_and_seed

# What the API's requests change; floors and staff stay (a floor's new name or turn time changes no chain).
CHANGING = ("idempotency_records", "events", "tables", "sections")
# The fuzzer sends hundreds of changes a second: the limits are tested elsewhere.
GENEROUS_LIMITS = {"STATUS_RATE_LIMIT": "100000 per second", "LOGIN_RATE_LIMIT": "100000 per second"}
EXAMPLES = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
# No shrinking of a failed chain: replayed against a database it already changed, a chain
# would not do the same again, and Hypothesis would report that instead of the failure.
STATEFUL = settings(EXAMPLES, max_examples=40, stateful_step_count=8, phases=[Phase.explicit, Phase.generate])
PHASES = {
    "phases": {
        "examples": {"enabled": False},
        "coverage": {"enabled": True},
        "fuzzing": {"enabled": True},
        "stateful": {"enabled": True},
    },
    "generation": {"mode": "all"},
}


@dataclass
class FuzzedApi:
    """The app under fuzzing and the manager's bearer header that every request carries."""

    app: Flask
    headers: dict[str, str]

    def tables_read_back(self) -> list[int]:
        """Every table still reads back in the list (each one serialized); returns their ids."""
        response = self.app.test_client().get("/api/tables", headers=self.headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        return [table["tableId"] for table in response.get_json()]

    def headers_for(self, case) -> dict[str, str]:
        """The case's headers with the manager's token in place of any the fuzzer made up."""
        made_up = {name: value for name, value in (case.headers or {}).items() if name.lower() != "authorization"}
        return {**made_up, **self.headers}

    def start_over(self) -> None:
        """Back to the three tables and nothing else changed, with ids counted from 1 again.

        Each chain of the stateful phase starts here, so that the same chain meets the same
        answers whenever Hypothesis draws it.
        """
        from app.extensions import db

        with self.app.app_context():
            if db.engine.dialect.name == "postgresql":
                db.session.execute(text(f"TRUNCATE {', '.join(CHANGING)} RESTART IDENTITY CASCADE"))
            else:
                for name in CHANGING:
                    db.session.execute(text(f"DELETE FROM {name}"))
                # AUTOINCREMENT keeps counting past deleted rows; a fresh start counts from 1.
                db.session.execute(text(f"DELETE FROM sqlite_sequence WHERE name IN {CHANGING}"))
            db.session.commit()
        _add_tables(self.app)

    def every_table_reads_back(self) -> None:
        client = self.app.test_client()
        for table_id in self.tables_read_back():
            assert client.get(f"/api/tables/{table_id}", headers=self.headers).status_code == 200


def _add_tables(app: Flask) -> None:
    from app.services.tables import create_table

    with app.app_context():
        for number, floor in (("T-01", 1), ("T-02", 1), ("T-03", 2)):
            create_table({"table_number": number, "floor": floor, "capacity": 4}, by="fixture")


def _bearer(app: Flask) -> dict[str, str]:
    answer = app.test_client().post("/api/auth/token", json={"username": "manager", "password": PASSWORD})
    return {"Authorization": f"Bearer {answer.get_json()['token']}"}


@pytest.fixture(scope="module")
def postgres_app():
    """An app on PostgreSQL, migrated once for the module with floors 1-3 and the standard staff."""
    from app.extensions import db

    url = postgres_url()
    staff = tuple((name, role, floors) for name, (role, floors) in STAFF.items())
    migrate_and_seed(url, (1, 2, 3), staff, PASSWORD)
    app = app_for(url, PASSWORD_HASH_FAST=True, **GENEROUS_LIMITS)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fuzzed(request) -> FuzzedApi:
    """Three tables on floors 1-2 with the standard staff, on the database the parameter names."""
    if request.param == "sqlite":
        app = request.getfixturevalue("app")
        app.config.update(GENEROUS_LIMITS)
    else:
        app = request.getfixturevalue("postgres_app")
    fuzzed = FuzzedApi(app, _bearer(app))
    fuzzed.start_over()
    return fuzzed


# The document the app serves; each request goes to the app of the test's database.
schema = schemathesis.openapi.from_dict(SPEC, config=SchemathesisConfig.from_dict(PHASES))


def answer_problem(response, case) -> str | None:
    """What is wrong with an answer: a server error, or a refusal that is not a JSON error."""
    request = f"{case.method} {case.formatted_path} -> {response.status_code}"
    if response.status_code >= 500:
        return request
    if response.status_code >= 400:
        body = response.json()
        if not (isinstance(body, dict) and body.get("error") and body.get("message")):
            return f"{request}: {body}"
    return None


def assert_answered_well(response, case) -> None:
    """No server error; a refusal is a JSON error with its code and message."""
    problem = answer_problem(response, case)
    assert problem is None, problem


@schema.parametrize()
@EXAMPLES
def test_no_request_makes_the_api_fail_or_break_later_reads(case, fuzzed):
    """The coverage and fuzzing phases: any request gets a non-5xx answer, and the tables still read back."""
    response = case.call(app=fuzzed.app, headers=fuzzed.headers_for(case))
    assert_answered_well(response, case)
    fuzzed.tables_read_back()


def test_chains_of_requests_along_the_links_never_fail(fuzzed):
    """The stateful phase: requests chained on earlier answers (ids, floors) never fail the server."""
    answered, problems, chains = [], [], []

    class Workflow(schema.as_state_machine()):
        def setup(self):
            chains.append(1)
            fuzzed.start_over()

        def get_call_kwargs(self, case):
            return {"app": fuzzed.app, "headers": fuzzed.headers_for(case)}

        def validate_response(self, response, case, **kwargs):
            # Noted here, not raised: a failure must be reported even when Hypothesis cannot replay it.
            answered.append(response.status_code)
            problems.append(answer_problem(response, case))

    # Which links a chain can follow depends on the server's answers, and schemathesis learns
    # from them as it goes, so Hypothesis may find a chain drawn twice did not go the same way
    # (FlakyStrategyDefinition). That is the nature of a stateful server, not a failure of it:
    # go on with new chains, as schemathesis's own runner does, until enough have run.
    for _ in range(10):
        try:
            Workflow.run(settings=STATEFUL)
        except FlakyStrategyDefinition:
            pass
        if len(chains) >= STATEFUL.max_examples:
            break
    assert [problem for problem in problems if problem] == []
    assert len(chains) >= STATEFUL.max_examples, f"only {len(chains)} chains ran"
    fuzzed.every_table_reads_back()
    # The chains went somewhere: some step was accepted, not only refused at the door.
    assert any(200 <= status < 300 for status in answered), answered


def test_the_document_links_every_id_a_chain_needs():
    """Every operation taking a table, section or floor id can be reached from an answer that names one."""
    targets = {link["operationRef"] for item in SPEC["paths"].values() for operation in item.values()
               if isinstance(operation, dict) for answer in operation.get("responses", {}).values()
               for link in answer.get("links", {}).values()}  # fmt: skip
    needing = {
        f"#/paths/{path.replace('/', '~1')}/{method}"
        for path, item in SPEC["paths"].items()
        for method in item
        if method != "parameters" and "{" in path
    }
    assert needing <= targets, needing - targets
