"""Schemathesis fuzzes the JSON API from its own OpenAPI description, on SQLite and on PostgreSQL.

All three of its phases: coverage (each field at its bounds and just past them, missing,
of the wrong type), fuzzing (random requests, valid and not) and stateful (chains of
requests: create a table, change its status, read its history, delete it). Never a server
error, every refusal a JSON error, and every table still readable.

The document is generated from the typed shapes (app/openapi.py) and writes no links by hand:
schemathesis's dependency analysis infers them from those shapes, an answer's `tableId`,
`sectionId` or `floor` feeding the operations whose path or body takes it.
"""

import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis.config import SchemathesisConfig

from app.request_json import TOO_DEEP
from app.services.validation import UNSTORABLE_TEXT
from tests.support.documents import openapi_document
from tests.support.hostile import spoiled_bodies

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


# The document the app serves; each request goes to the app of the test's database.
schema = schemathesis.openapi.from_dict(openapi_document(), config=SchemathesisConfig.from_dict(PHASES))


@schema.hook
def flatmap_body(context, body):
    """Now and then a body carries what schemathesis never draws by itself: lone surrogates (it
    generates only text that encodes), dates at the calendar's very ends, nesting past the limit."""
    return spoiled_bodies(body)


def answer_problem(response, case) -> str | None:
    """What is wrong with an answer: a server error, or a refusal that is not a JSON error."""
    request = f"{case.method} {case.formatted_path} -> {response.status_code}"
    if response.status_code >= 500:
        # What was drawn, so that a failure seen once can be replayed by hand.
        return f"{request}: query {case.query!r}, body {str(case.body)[:500]!r}"
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
    schema.analysis.inject_links()
    answered, problems, chains, hostile = [], [], [], []

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
            hostile.append(any(refusal in response.text for refusal in (UNSTORABLE_TEXT, TOO_DEEP)))

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
    # And the spoiled bodies (flatmap_body above) were among them, refused for what they carried.
    assert any(hostile)


def test_the_chains_reach_every_operation_that_takes_an_id():
    """Every operation taking a table, section or floor id can be reached from an answer that names one:
    the links schemathesis infers from the shapes cover what the hand-written ones did."""
    schema.analysis.inject_links()
    paths = schema.raw_schema["paths"]
    targets = {link["operationRef"] for item in paths.values() for operation in item.values()
               if isinstance(operation, dict) for answer in operation.get("responses", {}).values()
               for link in answer.get("links", {}).values()}  # fmt: skip
    # The rotation's cut, skip and uncut name a member of staff by `userId`, which answers give only
    # nested (`servers[].userId`, the staff list's items): schemathesis infers no link from those,
    # so its chains do not reach them (the coverage and fuzzing phases still call them).
    unreachable = {"/api/rotation/{user_id}/cut", "/api/rotation/{user_id}/skip", "/api/rotation/{user_id}/uncut"}
    needing = {
        f"#/paths/{path.replace('/', '~1')}/{method}"
        for path, item in paths.items()
        for method in item
        if method != "parameters" and "{" in path and path not in unreachable
    }
    assert needing <= targets, needing - targets
