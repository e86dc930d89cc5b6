"""Flask commands: staff accounts, demo data and the reservation worker."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.extensions import db
from app.services import users as user_service
from app.services.errors import ServiceError

users_cli = AppGroup("users", help="Manage staff accounts.")
reservations_cli = AppGroup("reservations", help="The reservation hold worker.")


def _fail(error: ServiceError) -> None:
    details = "; ".join(f"{name}: {message}" for name, message in error.fields.items())
    raise click.ClickException(f"{error.message} {details}".strip())


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(["manager", "host", "viewer"]), required=True)
@click.option("--password", default=None, help="Omit to be prompted twice.")
@click.option("--floors", default="", help="Comma-separated floor numbers; empty means all floors.")
def create_user(username: str, role: str, password: str | None, floors: str) -> None:
    """Add a staff account."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = user_service.create_user(username, password, role, floors)
    except ServiceError as error:
        _fail(error)
    click.echo(f"Created {user.role} {user.username}.")


@users_cli.command("deactivate")
@click.argument("username")
def deactivate_user(username: str) -> None:
    """Switch an account off and end its sessions."""
    user = user_service.find_user(username)
    if user is None:
        raise click.ClickException(f"No user named {username}.")
    try:
        user_service.deactivate(user)
    except ServiceError as error:
        _fail(error)
    click.echo(f"Deactivated {username}.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only seed when the database has no users.")
def seed_demo(if_empty: bool) -> None:
    """Create three floors, about 30 tables and one user per role (development only)."""
    from app.demo import DEMO_USERS, has_users, seed

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("seed-demo refuses to run in production.")
    if if_empty and has_users():
        return
    if has_users() and not if_empty:
        raise click.ClickException("The database already has users; demo data is for an empty database.")
    tables = seed()
    click.echo(f"Seeded 3 floors and {tables} tables. Demo sign-ins:")
    for username, password, role in DEMO_USERS:
        click.echo(f"  {role:8} {username} / {password}")


@reservations_cli.command("run")
@click.option("--once", is_flag=True, help="Release expired holds once and exit.")
def run_reservations(once: bool) -> None:
    """Release reservation holds whose time has passed, as "system"."""
    from app.worker import run_once, run_worker

    app = current_app._get_current_object()
    if once:
        click.echo(f"Released {run_once(app)} holds.")
        return
    click.echo("Reservation worker running; Ctrl+C stops it.")
    db.session.remove()
    run_worker(app)


def register(app: Flask) -> None:
    """Attach the commands to the app's CLI."""
    app.cli.add_command(users_cli)
    app.cli.add_command(reservations_cli)
    app.cli.add_command(seed_demo)
