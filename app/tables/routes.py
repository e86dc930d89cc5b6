"""Floor plan and list views (placeholder until the views land)."""

from app.auth.permissions import role_required
from app.tables import bp


@bp.get("/")
@bp.get("/tables")
@role_required("viewer")
def floor_plan():
    """The floor plan."""
    return "floor plan"
