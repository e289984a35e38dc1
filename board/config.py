"""Configuration from the environment, with defaults that run on one machine."""

import os
import secrets
from datetime import date
from pathlib import Path

from board import files, network
from board.domain.sync import HEARTBEAT_SECONDS

# In instance/ when SECRET_KEY is not set; `flask backup` copies it along with the database.
SECRET_KEY_FILE = "secret_key"
# In instance/: the address the server last started on, so `flask demo` links reach it.
SERVING_FILE = "serving"


def database_url(instance_path: str) -> str:
    """DATABASE_URL (PostgreSQL through psycopg 3), or SQLite in instance/."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{Path(instance_path) / 'board.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(url: str) -> dict:
    """A server database may drop idle connections (restart, failover): test each before use."""
    if url.startswith("sqlite"):
        return {}
    return {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20}


def secret_key(instance_path: str) -> str:
    """SECRET_KEY, or one made once and kept in instance/ so restarts keep devices joined."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = Path(instance_path) / SECRET_KEY_FILE
    if not path.exists():
        files.create_private(path)
        path.write_text(secrets.token_hex(32))
    files.repair(path, files.PRIVATE_FILE)
    return path.read_text().strip()


def from_environment(instance_path: str) -> dict:
    """Every setting the app reads, from environment variables."""
    secure = os.environ.get("SECURE_COOKIES", "").lower() in ("1", "true", "yes")
    return {
        "SECRET_KEY": secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        # A database error must not copy what people typed (card text, answers) into the log.
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "hide_parameters": True,
            **engine_options(database_url(instance_path)),
        },
        "SOCKETIO_MESSAGE_QUEUE": os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None,
        "RETENTION_DAYS": int(os.environ.get("RETENTION_DAYS", "90")),
        # How often a device asks whether it missed a push (the tests beat faster).
        "HEARTBEAT_SECONDS": float(os.environ.get("HEARTBEAT_SECONDS") or HEARTBEAT_SECONDS),
        "PORT": int(os.environ.get("PORT", "5000")),
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "").rstrip("/"),
        # A school's own Word layout for the group plan (docs/groupplan-template.md).
        "GROUPPLAN_TEMPLATE": os.environ.get("GROUPPLAN_TEMPLATE") or None,
        # The browser tests set the date the app takes for today (an evaluation date reached).
        "TODAY": test_today(),
        # Listening on every interface (HOST=0.0.0.0): where phones reach this machine.
        "LAN_URLS": network.lan_urls(os.environ.get("HOST"), int(os.environ.get("PORT", "5000"))),
        # Reverse proxies in front (1 behind nginx): their X-Forwarded-For/-Proto are trusted.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # Who may read /metrics: addresses or networks, comma-separated; loopback by default.
        "METRICS_ALLOW": os.environ.get("METRICS_ALLOW", "127.0.0.0/8,::1"),
        "SESSION_COOKIE_NAME": "intervisiebord",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 30,
        # The cookie is signed again only when it changes (joining), not on every command.
        "SESSION_REFRESH_EACH_REQUEST": False,
        # The longest text field is 5,000 characters; anything near a megabyte is abuse (413).
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        # Over HTTPS flask_wtf also wants a Referer from this host, but our pages send none
        # (Referrer-Policy: no-referrer, for the secret links): every command would be refused.
        # The token, bound to the device's session, is the check; the cookie is SameSite=Lax.
        "WTF_CSRF_SSL_STRICT": False,
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        # On, except in a TESTING app that does not ask for it (tests that post in bursts).
        "RATELIMIT_ENABLED": flag(os.environ.get("RATELIMIT_ENABLED")),
        "RATELIMIT_STORAGE": ratelimit_storage(),
        # Joins per meeting and per address: a whole team (up to ~15) may join in one minute
        # from behind one school router, a code guesser gets nowhere.
        "RATELIMIT_JOIN": os.environ.get("RATELIMIT_JOIN", "20/minute"),
        # Join codes that match no meeting, per address and from all addresses together:
        # once either is reached, no code is looked up at all (a right one neither), so a
        # guesser learns nothing; a colleague who mistypes a few times is not hindered.
        "RATELIMIT_CODES": os.environ.get("RATELIMIT_CODES", "20/minute"),
        "RATELIMIT_CODES_GLOBAL": os.environ.get("RATELIMIT_CODES_GLOBAL", "100/minute"),
        # Cards (questions, suggestions, needs, agreements) per device.
        "RATELIMIT_CARDS": os.environ.get("RATELIMIT_CARDS", "5/second"),
        # Failed team logins per account and per address (a school shares one address).
        "RATELIMIT_LOGIN": os.environ.get("RATELIMIT_LOGIN", "10/15 minutes"),
        "RATELIMIT_LOGIN_ADDRESS": os.environ.get("RATELIMIT_LOGIN_ADDRESS", "30/15 minutes"),
    }


def test_today() -> date | None:
    """TEST_TODAY=2027-01-13 as today's date, honoured only with TESTING_CLOCK=1: a server
    started by the tests, never a school's by a stray variable."""
    if not flag(os.environ.get("TESTING_CLOCK")) or not (value := os.environ.get("TEST_TODAY")):
        return None
    return date.fromisoformat(value.strip())


def flag(value: str | None) -> bool | None:
    """'1'/'true'/'yes' → True, '0'/'false'/'no' → False, unset → None."""
    if value is None or not value.strip():
        return None
    return value.strip().lower() in ("1", "true", "yes", "on")


def ratelimit_storage() -> str | None:
    """RATELIMIT_STORAGE, else the Socket.IO Redis queue: limits must hold across processes."""
    url = os.environ.get("RATELIMIT_STORAGE") or os.environ.get("SOCKETIO_MESSAGE_QUEUE") or ""
    return url if url.startswith(("redis://", "rediss://", "unix://")) else None


def record_serving(instance_path: str, host: str, port: int) -> None:
    """Note where this server is reached: its local-network address when it listens on every
    interface (phones can open those links), else the address it listens on."""
    lan = network.lan_urls(host, port)
    shown = "127.0.0.1" if host.strip() in network.WILDCARD_HOSTS else host
    shown = f"[{shown}]" if ":" in shown else shown
    path = Path(instance_path) / SERVING_FILE
    files.create_private(path)
    path.write_text((lan[0] if lan else f"http://{shown}:{port}") + "\n")
