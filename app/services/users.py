"""Staff accounts: adding, changing roles and floor limits, resetting, deactivating."""

import re

from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import ROLES, Floor, SignIn, User
from app.services import outbox
from app.services.errors import Conflict, NotFound, ValidationError
from app.services.validation import UNSTORABLE_TEXT, unstorable

USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,80}$")
MIN_PASSWORD = 8
TAKEN = "Already taken."


def find_user(username: str) -> User | None:
    """The account with this username, if any (none for text no username can hold)."""
    if unstorable(username):
        return None  # PostgreSQL refuses a NUL even in a query's parameter
    return db.session.scalar(select(User).where(User.username == username))


def list_users() -> list[User]:
    """Every account, active ones first, then by username."""
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.username)))


def staff_sharing(floors: list[int] | None) -> list[tuple[User, list[int]]]:
    """Active staff who work one of these floors (None: any), by name, each with which of them ([] for all).

    A floor-limited manager learns nothing of the staff, or the floors, they may not see.
    """
    people = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.username))
    found = []
    for user in people:
        theirs = user.allowed_floors or []
        shown = theirs if floors is None or not theirs else [floor for floor in theirs if floor in floors]
        if shown or not theirs:
            found.append((user, shown))
    return found


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"User {user_id} does not exist.")
    return user


def _floors_problem(value: object) -> tuple[list[int], str | None]:
    """A floor limit as floor numbers ("1,2", [1, 2] or ["1", "2"]; empty means all) and what is wrong with it."""
    if value in (None, "", []):
        return [], None
    items = value.split(",") if isinstance(value, str) else value
    try:
        floors = sorted({int(str(item).strip()) for item in items if str(item).strip()})
    except (TypeError, ValueError):
        return [], "Choose floors from the list."
    known = set(db.session.scalars(select(Floor.number)))
    missing = [floor for floor in floors if floor not in known]
    return floors, (f"Unknown floors: {missing}." if missing else None)


def parse_floors(value: object) -> list[int]:
    """Parse a floor limit such as "1,2" or [1, 2]; empty means all floors."""
    floors, problem = _floors_problem(value)
    if problem:
        raise ValidationError("Some fields are not valid.", fields={"floors": problem})
    return floors


def _password_problem(password: object) -> str | None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        return f"At least {MIN_PASSWORD} characters."
    # Kept out so that the same password also works at the token endpoint, which refuses it.
    return UNSTORABLE_TEXT if unstorable(password) else None


def _role_problem(role: object) -> str | None:
    return None if role in ROLES else f"Must be one of: {', '.join(ROLES)}."


def _check_password(password: object) -> str:
    problem = _password_problem(password)
    if problem:
        raise ValidationError("Some fields are not valid.", fields={"password": problem})
    return password


def _refuse(errors: dict[str, str], username: object = None) -> None:
    """Every problem at once; a taken username alone is a conflict."""
    if errors == {"username": TAKEN}:
        raise Conflict(f"{username} already exists.", fields=errors)
    if errors:
        raise ValidationError("Some fields are not valid.", fields=errors)


def create_user(username: object, password: object, role: object, floors: object = None) -> User:
    """Add a staff account; every field's problem is reported together."""
    errors = {}
    if not isinstance(username, str) or not USERNAME.match(username):
        errors["username"] = "Use 2-80 letters, digits, '.', '_' or '-'."
    elif find_user(username):
        errors["username"] = TAKEN
    for name, problem in (
        ("password", _password_problem(password)),
        ("role", _role_problem(role)),
        ("floors", _floors_problem(floors)[1]),
    ):
        if problem:
            errors[name] = problem
    _refuse(errors, username)
    user = User(username=username, role=role, allowed_floors=parse_floors(floors) or None)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def _other_active_managers(user: User) -> int:
    return db.session.scalar(
        select(func.count(User.id)).where(User.role == "manager", User.active.is_(True), User.id != user.id)
    )


def change_access(user: User, role: object, floors: object) -> User:
    """Change a role or floor limit; the last active manager cannot be demoted."""
    errors = {
        name: problem
        for name, problem in (("role", _role_problem(role)), ("floors", _floors_problem(floors)[1]))
        if problem
    }
    _refuse(errors)
    if user.role == "manager" and role != "manager" and user.active and not _other_active_managers(user):
        raise Conflict("The last active manager cannot be demoted.")
    new_floors = parse_floors(floors) or None
    with outbox.change() as change:
        if role != user.role or new_floors != user.allowed_floors:
            user.role = role
            user.allowed_floors = new_floors
            _end_sessions(change, user)
    return user


def reset_password(user: User, password: object) -> User:
    """Set a new password and end the user's other sessions."""
    with outbox.change() as change:
        user.set_password(_check_password(password))
        _end_sessions(change, user)
    return user


def deactivate(user: User) -> User:
    """Switch an account off; the last active manager cannot be."""
    if user.role == "manager" and user.active and not _other_active_managers(user):
        raise Conflict("The last active manager cannot be deactivated.")
    with outbox.change() as change:
        user.active = False
        _end_sessions(change, user)
    return user


def _end_sessions(change: outbox.Change, user: User) -> None:
    """Sign the user out everywhere: their sign-ins now, their sockets once the change commits."""
    user.end_sessions()
    db.session.execute(delete(SignIn).where(SignIn.user_id == user.id))
    change.end_sockets(outbox.Ending(user_id=user.id))
