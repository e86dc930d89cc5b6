"""Staff accounts: adding, changing roles and floor limits, resetting, deactivating."""

import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import ROLES, Floor, User
from app.realtime.sessions import end_user_sockets
from app.services.errors import Conflict, NotFound, ValidationError

USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,80}$")
MIN_PASSWORD = 8


def find_user(username: str) -> User | None:
    """The account with this username, if any."""
    return db.session.scalar(select(User).where(User.username == username))


def list_users() -> list[User]:
    """Every account, active ones first, then by username."""
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.username)))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"User {user_id} does not exist.")
    return user


def parse_floors(value: object) -> list[int]:
    """Parse a floor limit such as "1,2" or [1, 2]; empty means all floors."""
    if value in (None, "", []):
        return []
    items = value.split(",") if isinstance(value, str) else value
    try:
        floors = sorted({int(str(item).strip()) for item in items if str(item).strip()})
    except (TypeError, ValueError):
        raise ValidationError("Some fields are not valid.", fields={"floors": "Use floor numbers like 1,2."}) from None
    known = set(db.session.scalars(select(Floor.number)))
    missing = [floor for floor in floors if floor not in known]
    if missing:
        raise ValidationError("Some fields are not valid.", fields={"floors": f"Unknown floors: {missing}."})
    return floors


def _check_password(password: object) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ValidationError("Some fields are not valid.", fields={"password": f"At least {MIN_PASSWORD} characters."})
    return password


def _check_role(role: object) -> str:
    if role not in ROLES:
        raise ValidationError("Some fields are not valid.", fields={"role": f"Must be one of: {', '.join(ROLES)}."})
    return role


def create_user(username: object, password: object, role: object, floors: object = None) -> User:
    """Add a staff account."""
    errors = {}
    if not isinstance(username, str) or not USERNAME.match(username):
        errors["username"] = "Use 2-80 letters, digits, '.', '_' or '-'."
    elif find_user(username):
        raise Conflict(f"{username} already exists.", fields={"username": "Already taken."})
    if errors:
        raise ValidationError("Some fields are not valid.", fields=errors)
    user = User(username=username, role=_check_role(role), allowed_floors=parse_floors(floors) or None)
    user.set_password(_check_password(password))
    db.session.add(user)
    db.session.commit()
    return user


def _other_active_managers(user: User) -> int:
    return db.session.scalar(
        select(func.count(User.id)).where(User.role == "manager", User.active.is_(True), User.id != user.id)
    )


def change_access(user: User, role: object, floors: object) -> User:
    """Change a role or floor limit; the last active manager cannot be demoted."""
    role = _check_role(role)
    if user.role == "manager" and role != "manager" and user.active and not _other_active_managers(user):
        raise Conflict("The last active manager cannot be demoted.")
    new_floors = parse_floors(floors) or None
    if role != user.role or new_floors != user.allowed_floors:
        user.role = role
        user.allowed_floors = new_floors
        user.end_sessions()
        db.session.commit()
        end_user_sockets(user.id)
        return user
    db.session.commit()
    return user


def reset_password(user: User, password: object) -> User:
    """Set a new password and end the user's other sessions."""
    user.set_password(_check_password(password))
    user.end_sessions()
    db.session.commit()
    end_user_sockets(user.id)
    return user


def deactivate(user: User) -> User:
    """Switch an account off; the last active manager cannot be."""
    if user.role == "manager" and user.active and not _other_active_managers(user):
        raise Conflict("The last active manager cannot be deactivated.")
    user.active = False
    user.end_sessions()
    db.session.commit()
    end_user_sockets(user.id)
    return user
