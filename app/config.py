"""Configuration read from the environment, with safe development defaults."""

import os
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    """Return DATABASE_URL, accepting the `postgres://` scheme that PaaS hosts hand out."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'instance' / 'tableside.db'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    return url


def _origins(value: str | None) -> list[str] | None:
    """Parse ALLOWED_ORIGINS; None means same origin only."""
    if not value:
        return None
    return [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings for development and production, read once from the environment."""

    ENV_NAME = os.environ.get("TABLESIDE_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = _database_url()
    # Per process. Writers queue on one advisory lock, so a small pool serves many sockets;
    # pool_timeout bounds how long a request waits for a connection before it fails.
    SQLALCHEMY_ENGINE_OPTIONS = (
        {"pool_pre_ping": True}
        if SQLALCHEMY_DATABASE_URI.startswith("sqlite")
        else {
            "pool_pre_ping": True,
            "pool_size": int(os.environ.get("DB_POOL_SIZE", "10")),
            "max_overflow": int(os.environ.get("DB_MAX_OVERFLOW", "10")),
            "pool_timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
            # A writer stuck behind a lock someone else holds fails in seconds, not never.
            "connect_args": {"options": "-c lock_timeout=5000 -c statement_timeout=30000"},
        }
    )
    REDIS_URL = os.environ.get("REDIS_URL") or None
    # Redis pub/sub channels ignore the database number: deployments (or test runs) sharing
    # one Redis must not share a channel. Default: derived from the REDIS_URL database.
    SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL") or None
    ALLOWED_ORIGINS = _origins(os.environ.get("ALLOWED_ORIGINS"))
    HOST = os.environ.get("HOST", "127.0.0.1")
    PORT = int(os.environ.get("PORT", "5000"))
    # The one place the async mode is chosen; `gevent` is the documented alternative.
    ASYNC_MODE = os.environ.get("ASYNC_MODE", "eventlet")
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None
    # Where static files are copied under content-hashed names with their compressed forms
    # (app.assets); default instance/static-build, which git ignores.
    STATIC_BUILD_FOLDER = os.environ.get("STATIC_BUILD_FOLDER") or None
    OFFLINE_AFTER_SECONDS = int(os.environ.get("OFFLINE_AFTER_SECONDS", "30"))
    BATCH_WINDOW_MS = int(os.environ.get("BATCH_WINDOW_MS", "50"))
    # Optional release label (e.g. a commit); with the shell's content it versions the service worker.
    RELEASE = os.environ.get("RELEASE", "")

    # Engine.IO liveness: a dead link is noticed within ping interval + timeout (< 5 s). The
    # interval sets the cost of idle sockets (a ping each); the timeout is the slack a busy
    # process has to send a ping late before its clients give up (issue 15), so the 5 s left
    # over goes to it: 4.5 s, leaving 0.5 s for timers firing late.
    PING_INTERVAL = float(os.environ.get("PING_INTERVAL", "2"))
    PING_TIMEOUT = float(os.environ.get("PING_TIMEOUT", "2.5"))
    MAX_SOCKET_MESSAGE_BYTES = 64 * 1024
    # Under eventlet, WebSocket-first sockets are written directly (app/realtime/transport/wire.py);
    # 0 gives python-engineio's queue and writer greenthread per socket back.
    DIRECT_WEBSOCKET_WRITES = os.environ.get("DIRECT_WEBSOCKET_WRITES", "1") != "0"
    # What a socket that stopped reading may have held for it before it is cut (it then
    # reconnects and syncs): about 1,500 status changes.
    MAX_SOCKET_BACKLOG_BYTES = int(os.environ.get("MAX_SOCKET_BACKLOG_BYTES", str(1 << 20)))
    # The kernel's send buffer per WebSocket (SO_SNDBUF); 0 leaves it to the kernel's tuning.
    SOCKET_SEND_BUFFER_BYTES = int(os.environ.get("SOCKET_SEND_BUFFER_BYTES", "0"))
    MAX_CONTENT_LENGTH = 64 * 1024
    # Open connections per process: Socket.IO sessions, signed in or waiting to (a handshake past
    # it is refused with server_full, app/realtime/transport/admission.py), and HTTP requests being served
    # besides them (eventlet's pool).
    MAX_CONNECTIONS = int(os.environ.get("MAX_CONNECTIONS", "20000"))
    # An Engine.IO session must complete the Socket.IO connect (be authenticated) within this
    # long or it is closed: a tablet on poor Wi-Fi needs one round trip, an attacker gets no more.
    AUTH_DEADLINE_SECONDS = float(os.environ.get("AUTH_DEADLINE_SECONDS", "10"))
    # Sessions one client address may hold waiting to authenticate without having shown
    # credentials at the handshake (app/realtime/transport/admission.py): a small share of MAX_SIGNING_IN,
    # so that a few addresses cannot fill it (issue 23). A handshake carrying the session cookie
    # or a bearer token is not counted here. Behind a proxy every client has the proxy's address
    # unless PROXY_FIX_HOPS is set.
    MAX_UNAUTHENTICATED_PER_ADDRESS = int(os.environ.get("MAX_UNAUTHENTICATED_PER_ADDRESS", "10"))
    # Sessions signing in at once in one process: past it a handshake is told to come back later
    # (503 `server_busy`; the client retries after its reconnection delay) rather than queued
    # behind thousands of others until pings and pool checkouts time out (issue 15). Handshakes
    # carrying credentials are counted only among themselves, so those without can never keep
    # a screen out; those without are counted with every waiting session (issue 23).
    MAX_SIGNING_IN = int(os.environ.get("MAX_SIGNING_IN", "200"))
    # eventlet's server: a connection is dropped when its request line has not come within
    # KEEPALIVE_IDLE_SECONDS of opening (or of the previous response), or its headers within
    # REQUEST_HEADER_TIMEOUT_SECONDS after that. WebSockets and long-polls are not affected.
    KEEPALIVE_IDLE_SECONDS = float(os.environ.get("KEEPALIVE_IDLE_SECONDS", "30"))
    REQUEST_HEADER_TIMEOUT_SECONDS = float(os.environ.get("REQUEST_HEADER_TIMEOUT_SECONDS", "10"))
    # A request's body (at most MAX_CONTENT_LENGTH) is read whole before the app runs, and must
    # all have come this long after its headers or it is answered 408 (app/request_body.py).
    REQUEST_BODY_TIMEOUT_SECONDS = float(os.environ.get("REQUEST_BODY_TIMEOUT_SECONDS", "5"))
    # On SIGTERM, how long requests in flight may finish before the process exits regardless.
    DRAIN_SECONDS = float(os.environ.get("DRAIN_SECONDS", "10"))
    # Tests only: POST /debug/gc/freeze runs a full collection and freezes its survivors.
    GC_FREEZE_HOOK = _flag("GC_FREEZE_HOOK", False)
    # A serving process freezes what survives each full garbage collection and thaws and collects
    # everything every GC_THAW_SECONDS (app/serve.py); 0 keeps Python's own collector.
    GC_THAW_SECONDS = float(os.environ.get("GC_THAW_SECONDS", "600"))

    TOKEN_LIFETIME_SECONDS = int(os.environ.get("TOKEN_LIFETIME_SECONDS", "3600"))
    STATUS_RATE_LIMIT = os.environ.get("STATUS_RATE_LIMIT", "5 per second")
    SOCKET_RATE_LIMIT = os.environ.get("SOCKET_RATE_LIMIT", "20 per 10 seconds")
    # presence:watch and presence:claim per connection: a host opening and closing dialogs quickly
    # must not use up the joins and syncs a reconnect needs.
    PRESENCE_RATE_LIMIT = os.environ.get("PRESENCE_RATE_LIMIT", "60 per 10 seconds")
    # A screen whose process stopped refreshing it leaves every floor's list this long after.
    PRESENCE_TTL_SECONDS = float(os.environ.get("PRESENCE_TTL_SECONDS", "5"))
    # An open layout editor holds its floor; a hold its page stops renewing ends this long after.
    LAYOUT_HOLD_SECONDS = float(os.environ.get("LAYOUT_HOLD_SECONDS", "10"))
    # The guest's page and its buttons, per address (no sign-in: the link is the credential).
    GUEST_PAGE_RATE_LIMIT = os.environ.get("GUEST_PAGE_RATE_LIMIT", "60 per minute")
    GUEST_ACTION_RATE_LIMIT = os.environ.get("GUEST_ACTION_RATE_LIMIT", "10 per minute")
    # Failed sign-ins: per address, and per account from devices it never signed in on
    # (app/auth/guessing.py). A device or address that signed in before waits only for its own.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    LOGIN_BACKOFF_AFTER = int(os.environ.get("LOGIN_BACKOFF_AFTER", "5"))
    LOGIN_BACKOFF_SECONDS = float(os.environ.get("LOGIN_BACKOFF_SECONDS", "1"))
    LOGIN_BACKOFF_MAX_SECONDS = float(os.environ.get("LOGIN_BACKOFF_MAX_SECONDS", "300"))
    KNOWN_DEVICE_DAYS = int(os.environ.get("KNOWN_DEVICE_DAYS", "90"))
    # A remember cookie's secret, once renewed, is still taken this long (requests that crossed
    # the renewal); after that only a copy would carry it, and the sign-in is ended.
    SIGN_IN_RENEWAL_GRACE_SECONDS = float(os.environ.get("SIGN_IN_RENEWAL_GRACE_SECONDS", "30"))
    # A shift starts at this hour of the server's local time (the latest one past), for the
    # rotation's "covers this shift" and for how long a cut lasts (app/services/rotation.py).
    SHIFT_START_HOUR = int(os.environ.get("SHIFT_START_HOUR", "4"))
    # Sync's replay window: a client further behind gets a snapshot instead of events.
    EVENT_LOG_MAX_AGE_HOURS = int(os.environ.get("EVENT_LOG_MAX_AGE_HOURS", "24"))
    # A change queued offline is recorded at the time it was tapped when it reaches the server
    # within this long (app/services/tap_time.py); the page keeps its queue without a limit, so
    # the default is sync's replay window. Older, it is recorded when it arrives.
    OFFLINE_WINDOW_SECONDS = int(os.environ.get("OFFLINE_WINDOW_SECONDS", str(EVENT_LOG_MAX_AGE_HOURS * 3600)))
    EVENT_LOG_MAX_ROWS = int(os.environ.get("EVENT_LOG_MAX_ROWS", "10000"))
    # Log rows stay this long for tables' history, whatever sync's window.
    HISTORY_DAYS = int(os.environ.get("HISTORY_DAYS", "30"))
    # How often the worker trims the log to the two limits above; 0 never (tests that prune themselves).
    EVENT_LOG_PRUNE_SECONDS = float(os.environ.get("EVENT_LOG_PRUNE_SECONDS", "300"))
    SYNC_MAX_EVENTS = int(os.environ.get("SYNC_MAX_EVENTS", "500"))
    HEAD_INTERVAL_SECONDS = float(os.environ.get("HEAD_INTERVAL_SECONDS", "5"))
    # How long a socket's account (active, session generation, floors) is trusted without a
    # fresh read; changes made in this process are seen at once (app/realtime/accounts.py).
    ACCOUNT_CACHE_SECONDS = float(os.environ.get("ACCOUNT_CACHE_SECONDS", "2"))
    RESERVATION_POLL_SECONDS = float(os.environ.get("RESERVATION_POLL_SECONDS", "5"))
    RUN_WORKER_IN_PROCESS = _flag("RUN_WORKER_IN_PROCESS", False)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SESSION_PROTECTION = "strong"
    WTF_CSRF_CHECK_DEFAULT = False  # checked in one before_request that knows about bearer tokens
    WTF_CSRF_TIME_LIMIT = None
    RATELIMIT_HEADERS_ENABLED = True
    # "5 per second" means any second, not each clock second: fixed windows let a burst of
    # eight that straddles a boundary through untouched.
    RATELIMIT_STRATEGY = "moving-window"
    # Redis away: count in this process's memory instead of failing requests with a 500.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # Flask-Limiter truncates its own Retry-After to 0 in a window's last second; app.errors
    # sets Retry-After (rounded up) and the library's copy goes under this name instead.
    RATELIMIT_HEADER_RETRY_AFTER = "X-RateLimit-Retry-After"
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))

    @property
    def is_production(self) -> bool:
        return self.ENV_NAME == "production"


class ProductionConfig(Config):
    """Production: secure cookies, and no start without a real SECRET_KEY."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


class TestConfig(Config):
    """Tests: an in-memory-free temporary SQLite file unless TEST_DATABASE_URL says otherwise."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key-that-is-long-enough-for-hs256"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    REDIS_URL = None
    RATELIMIT_ENABLED = True
    BATCH_WINDOW_MS = 50
    LOGIN_RATE_LIMIT = "1000 per minute"
    LOGIN_BACKOFF_AFTER = 1000
    PASSWORD_HASH_FAST = True


def config_for_environment() -> type[Config]:
    """Pick the config class named by TABLESIDE_ENV."""
    return ProductionConfig if os.environ.get("TABLESIDE_ENV") == "production" else Config


def queue_channel(config) -> str:
    """The Redis channel of this deployment: SOCKETIO_CHANNEL, or one per Redis database."""
    if config.get("SOCKETIO_CHANNEL"):
        return config["SOCKETIO_CHANNEL"]
    database = urlsplit(config["REDIS_URL"]).path.strip("/") or "0"
    return f"tableside-db{database}"
