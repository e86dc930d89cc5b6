"""The Tableside application factory.

Imports live inside the functions on purpose: `app.async_mode` must be importable, and
must monkey-patch the standard library, before Flask or anything else is loaded.
"""

import secrets


def create_app(config_class=None, *, serving: bool = False):
    """Build the app: config, extensions, blueprints, error handlers and commands.

    `serving`: a process that only serves (`python wsgi.py`, `python app.py`) leaves out the
    `flask db` commands. Flask-Migrate loads Alembic, about a fifth of a second of every start,
    and after a deploy every screen waits for the new process to listen.
    """
    from flask import Flask
    from werkzeug.middleware.proxy_fix import ProxyFix

    from app import assets, cli, errors, logs, security
    from app.async_mode import green_timeout
    from app.auth.cookie import KeptSignerSessionInterface
    from app.config import BASE_DIR, config_for_environment
    from app.extensions import socketio
    from app.models import limits
    from app.models.time import isoformat
    from app.request_body import WholeBodies
    from app.request_json import CheckedJSONProvider, ClientRequest

    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(BASE_DIR / "instance"),
    )
    # Every JSON body is decoded with the same depth limit and text checks.
    app.json = CheckedJSONProvider(app)
    app.request_class = ClientRequest
    app.config.from_object((config_class or config_for_environment())())
    _ensure_secret_key(app, BASE_DIR)
    app.session_interface = KeptSignerSessionInterface()
    register_extensions(app, migrations=not serving)
    if app.config["PROXY_FIX_HOPS"]:
        # Outside Socket.IO's middleware (added by register_extensions), so sockets see the
        # browser's address and scheme as pages do, not the proxy's.
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    register_blueprints(app)
    # The forms' maxlength, min and max are the limits the validation checks.
    app.jinja_env.globals["limits"] = limits
    app.add_template_filter(isoformat, "isoformat")
    errors.register(app)
    assets.register(app)  # before security: the policy allows the import map by its hash
    security.register(app)
    logs.register(app)
    cli.register(app)
    # Outermost: nothing of the app, the database least of all, waits on a body still arriving.
    app.wsgi_app = WholeBodies(
        app.wsgi_app,
        app.config["MAX_CONTENT_LENGTH"],
        app.config["REQUEST_BODY_TIMEOUT_SECONDS"],
        green_timeout(socketio.async_mode),
    )
    return app


def _ensure_secret_key(app, base_dir) -> None:
    """Refuse production without SECRET_KEY; in development keep one under instance/."""
    if app.config["SECRET_KEY"]:
        return
    if app.config["ENV_NAME"] == "production":
        raise RuntimeError("SECRET_KEY must be set in production.")
    path = base_dir / "instance" / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    app.config["SECRET_KEY"] = path.read_text().strip()


def register_extensions(app, migrations: bool = True) -> None:
    """Bind the unbound extensions to this app; Flask-Migrate's `flask db` only with `migrations`."""
    from app.config import BASE_DIR
    from app.extensions import csrf, db, limiter, login_manager
    from app.realtime.setup import init_realtime

    db.init_app(app)
    if migrations:
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(BASE_DIR / "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = app.config["SESSION_PROTECTION"]
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    limiter.init_app(app)
    init_realtime(app)


def register_blueprints(app) -> None:
    """Attach each feature's blueprint."""
    from app.api import bp as api_bp
    from app.auth import bp as auth_bp
    from app.floors import bp as floors_bp
    from app.guests import bp as guests_bp
    from app.health import bp as health_bp
    from app.offline import bp as offline_bp
    from app.sections import bp as sections_bp
    from app.tables import bp as tables_bp
    from app.users import bp as users_bp
    from app.web import StoredInteger

    # Before any route is added: rules take their converters when they are added.
    app.url_map.converters["int"] = StoredInteger
    for blueprint in (auth_bp, api_bp, tables_bp, floors_bp, users_bp, health_bp, offline_bp, guests_bp, sections_bp):
        app.register_blueprint(blueprint)
