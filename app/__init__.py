"""The Tableside application factory.

Imports live inside the functions on purpose: `app.async_mode` must be importable, and
must monkey-patch the standard library, before Flask or anything else is loaded.
"""

import secrets


def create_app(config_class=None):
    """Build the app: config, extensions, blueprints, error handlers and commands."""
    from flask import Flask
    from werkzeug.middleware.proxy_fix import ProxyFix

    from app import assets, cli, errors, logs, security
    from app.config import BASE_DIR, config_for_environment

    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(BASE_DIR / "instance"),
    )
    app.config.from_object((config_class or config_for_environment())())
    _ensure_secret_key(app, BASE_DIR)
    register_extensions(app)
    if app.config["PROXY_FIX_HOPS"]:
        # Outside Socket.IO's middleware (added by register_extensions), so sockets see the
        # browser's address and scheme as pages do, not the proxy's.
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    register_blueprints(app)
    errors.register(app)
    assets.register(app)  # before security: the policy allows the import map by its hash
    security.register(app)
    logs.register(app)
    cli.register(app)
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


def register_extensions(app) -> None:
    """Bind the unbound extensions to this app."""
    from app.config import BASE_DIR
    from app.extensions import csrf, db, limiter, login_manager, migrate
    from app.realtime.setup import init_realtime

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
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
    from app.health import bp as health_bp
    from app.offline import bp as offline_bp
    from app.tables import bp as tables_bp
    from app.users import bp as users_bp
    from app.web import StoredInteger

    # Before any route is added: rules take their converters when they are added.
    app.url_map.converters["int"] = StoredInteger
    for blueprint in (auth_bp, api_bp, tables_bp, floors_bp, users_bp, health_bp, offline_bp):
        app.register_blueprint(blueprint)
