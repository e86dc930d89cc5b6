"""For staff: a party's guest link as a QR code to hand over at the door, and a page with the link to copy."""

import io

import segno
from flask import Response, render_template, request

from app.auth.permissions import role_required
from app.guests import bp
from app.services import parties as party_service
from app.services.errors import NotFound
from app.services.guests import EXPIRED
from app.shapes.parties import guest_url


def absolute_guest_url(token: str) -> str:
    """The guest link as the guest's phone must open it: this server's origin as the browser reached it
    (behind PROXY_FIX_HOPS proxies, the forwarded scheme and host)."""
    return request.host_url.rstrip("/") + guest_url(token)


def qr_svg(url: str) -> bytes:
    """A QR code of `url` as SVG: dark on light whatever the theme, as cameras read best."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=8, border=4, dark="#000", light="#fff", xmldecl=False, title="Guest page QR code"
    )
    return buffer.getvalue()


def _party_in_line(party_id: int):
    party = party_service.get_party(party_id)
    if not party.in_line:
        raise NotFound(f"{party_service.describe(party)} is no longer in line: {EXPIRED}")
    return party


@bp.get("/parties/<int:party_id>/qr.svg")
@role_required("viewer")
def guest_qr(party_id: int):
    """The party's guest link as a QR code (404 once the party is out of line)."""
    party = _party_in_line(party_id)
    response = Response(qr_svg(absolute_guest_url(party.guest_token)), mimetype="image/svg+xml")
    # It carries the guest's credential: no shared cache may keep it.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/parties/<int:party_id>/guest")
@role_required("viewer")
def guest_link(party_id: int):
    """The guest page's QR code and link, with a copy button, to hand over or send by text."""
    party = _party_in_line(party_id)
    return render_template(
        "guests/link.html",
        party=party,
        described=party_service.describe(party),
        url=absolute_guest_url(party.guest_token),
    )
