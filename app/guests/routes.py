"""The guest's page and its two buttons; the link's token is the only credential.

A dead, unknown or guessed token gets the same 404 "This link has expired", with no detail.
The buttons POST JSON to /w/<token>/on-my-way and /w/<token>/cancel. Forging such a request
from another site would need the token, which is the whole credential, and the page has no
cookie to ride along; still, a POST is taken only as `application/json` (a cross-site form
cannot send it without a CORS preflight, which this server never grants) and, when the browser
names an Origin, only from this server's own (app/guests/origin.py).
"""

from flask import current_app, jsonify, make_response, render_template

from app.extensions import limiter
from app.guests import bp
from app.guests.origin import same_origin_json
from app.services import guests as guest_service
from app.services.errors import ServiceError
from app.shapes.errors import error_body
from app.shapes.guests import GuestUpdate


def _page_limit() -> str:
    return current_app.config["GUEST_PAGE_RATE_LIMIT"]


def _action_limit() -> str:
    return current_app.config["GUEST_ACTION_RATE_LIMIT"]


def _private(response):
    """The page and its answers hold the guest's credential: kept by no cache, sent to no other site."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _expired():
    return _private(make_response(render_template("guests/expired.html"), 404))


@bp.get("/w/<token>")
@limiter.limit(_page_limit, scope="guest-page")
def guest_page(token: str):
    """The guest's phone: place in line and time left; "Your table is ready" with its two buttons once notified."""
    party = guest_service.party_for_guest(token)
    if party is None:
        return _expired()
    state = GuestUpdate.of(party, guest_service.place_in_line(party))
    return _private(make_response(render_template("guests/page.html", party=party, state=state.wire(), token=token)))


def _answer(change) -> tuple:
    """A guest's action answered with their party as their page shows it, or a refusal in JSON."""
    refusal = same_origin_json()
    if refusal is not None:
        return refusal
    try:
        party = change()
    except ServiceError as error:
        return _private(jsonify(error_body(error.code, error.message))), error.status_code
    return _private(jsonify(GuestUpdate.of(party, guest_service.place_in_line(party)).wire())), 200


@bp.post("/w/<token>/on-my-way")
@limiter.limit(_action_limit, scope="guest-action")
def on_my_way(token: str):
    """The guest is coming: reaches every staff screen as party:updated with onTheWayAt."""
    return _answer(lambda: guest_service.guest_on_the_way(token))


@bp.post("/w/<token>/cancel")
@limiter.limit(_action_limit, scope="guest-action")
def cancel_my_spot(token: str):
    """The guest gives up their spot: the party is cancelled by "the guest"."""
    return _answer(lambda: guest_service.guest_cancel(token))
