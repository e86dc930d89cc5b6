"""Words staff read that both the server and the page say: written here once.

The server sends them in its answers; the page gets them in its initial state
(app/tables/state.py) and shows them when it decides on its own, e.g. for an answer
it could not read.
"""

RATE_LIMITED = "Too many requests. Please slow down."
SESSION_ENDED = "Your session has ended. Please sign in again."
# {name} is who made the change the person did not see.
CONFLICT = "Table was updated by {name}. Refresh to see latest?"


def for_page() -> dict[str, str]:
    """The messages by the names the page's scripts use."""
    return {"rateLimited": RATE_LIMITED, "sessionEnded": SESSION_ENDED, "conflict": CONFLICT}
