"""Unbound extension objects, bound to an app once in create_app (Flask-Migrate there, only where needed)."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Integer, Table
from sqlalchemy.orm import DeclarativeBase


def hands_out_ids(parts: tuple) -> bool:
    """True when a table's key is one integer column the database numbers (not one chosen by people)."""
    keys = [part for part in parts if getattr(part, "primary_key", False)]
    return len(keys) == 1 and isinstance(keys[0].type, Integer) and keys[0].autoincrement is not False


class Base(DeclarativeBase):
    """Declarative base shared by every model."""

    @classmethod
    def __table_cls__(cls, name: str, metadata, *parts, **options) -> Table:
        """Every model's table, numbered so that an id once handed out is never handed out again.

        SQLite without AUTOINCREMENT gives a new row the id of the newest deleted one, so a
        client holding that id (a queued change, a history, a token) would reach the new row.
        PostgreSQL's sequences never go back; this is SQLite's equivalent. A migration that
        creates such a table passes `sqlite_autoincrement=True` to `op.create_table` too.
        This replaces Flask-SQLAlchemy's own `__table_cls__`, which serves single-table
        inheritance and models over reflected tables; no model here uses either.
        """
        if hands_out_ids(parts):
            options.setdefault("sqlite_autoincrement", True)
        return Table(name, metadata, *parts, **options)


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
socketio = SocketIO()
