"""Security headers on every response (a strict CSP, no referrer: secret links must not
leak; no caching), a malformed Host refused, rate-limit storage, and logs that never hold a
secret link, a join code or what a database error quoted."""

import logging
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from flask import Flask, Request, Response, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.exceptions import BadRequest

from board import ratelimit
from board.errors import format_exception
from board.signatures import Verified

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)


def set_headers(response: Response) -> Response:
    """Each security header the response does not set itself (one pass over its headers,
    not one per header)."""
    present = {name.lower() for name, _ in response.headers.items()}
    for name, value in SECURITY_HEADERS:
        if name.lower() not in present:
            response.headers.add(name, value)
    return response


BAD_HOST = "board.bad_host"


@lru_cache(maxsize=256)
def host_is_valid(host: str) -> bool:
    """Can URLs be built for this Host header? (a label over 63 characters, "a..b": no)
    Every request asks it, mostly for the same few names: the answers are kept."""
    try:
        host.lower().encode("idna")
    except UnicodeError:
        return False
    return True


class Guard:
    """The outermost WSGI layer, so that it holds for every response of the process, the
    Socket.IO transport's (which carries pushed cards) included.

    - Nothing may be kept by a cache: pages, fragments and pushes hold pupil data. Only a
      response that says how it may be cached (static files) keeps its own Cache-Control.
    - A Host header no URL can be built for is swapped for the server's own name and the
      request marked and handed to Flask itself (not to Socket.IO's transport), which answers
      it with its normal 400 page, usual headers included, instead of failing bare.
    - A request for a page or a command goes straight to Flask, past Socket.IO's middleware:
      that copies the environ and defines a class for every request (a reference cycle, so
      work for the collector), which only the transport's own requests use.
    """

    def __init__(self, wrapped: Callable, app: Flask) -> None:
        self.wrapped = wrapped
        self.app = app
        # Flask-SocketIO's middleware, around the app it was given (ProxyFix, Flask).
        self.transport = getattr(wrapped, "engineio_path", None)
        self.pages = getattr(wrapped, "wsgi_app", None) or wrapped

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info=None):
            if not any(name.lower() == "cache-control" for name, _ in headers):
                headers.append(("Cache-Control", "no-store"))
            return start_response(status, headers, exc_info)

        host = environ.get("HTTP_HOST")
        if host is not None and not host_is_valid(host):
            own = f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '80')}"
            environ = {**environ, "HTTP_HOST": own, BAD_HOST: True}
            return Flask.wsgi_app(self.app, environ, start)
        if self.transport is None or environ.get("PATH_INFO", "").startswith(self.transport):
            return self.wrapped(environ, start)
        return self.pages(environ, start)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed session cookie, opened as Flask opens it, with two things kept: the
    serializer, built once per set of keys instead of for every request (a new SECRET_KEY or
    fallback gets a new one), and each cookie that passed the signature check
    (board/signatures.py)."""

    def __init__(self) -> None:
        self.serializers: dict[tuple, URLSafeTimedSerializer | None] = {}
        self.verified = Verified()

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self.serializers:
            self.serializers[keys] = super().get_signing_serializer(app)
        return self.serializers[keys]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        signer = self.get_signing_serializer(app)
        if signer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            return self.session_class(self.verified.loads(signer, value, max_age))
        except BadSignature:
            return self.session_class()


def refuse_bad_host() -> None:
    if request.environ.get(BAD_HOST):
        raise BadRequest()


# A secret link or a join code in a logged URL (access logs, error messages, tracebacks).
SECRET_IN_URL = re.compile(r"(/[tsp]/|/j/|[?&]code=)[^\s/?&\"']+")
REDACTED = r"\1[verborgen]"


def redact(text: str) -> str:
    """The text with every secret link token and join code in it replaced."""
    return SECRET_IN_URL.sub(REDACTED, text)


def _redacting_factory(make_record):
    def factory(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed log call: leave it to the handler
            return record
        record.msg, record.args = redact(message), ()
        if record.exc_info:
            record.exc_text = redact(format_exception(record.exc_info))
        return record

    factory.redacting = True
    return factory


def redact_logs() -> None:
    """Every log record of this process, from any library, passes through redact()."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "redacting", False):
        logging.setLogRecordFactory(_redacting_factory(current))


def init_app(app: Flask) -> None:
    """Called after Socket.IO wrapped the app, so that the guard wraps the transport too."""
    app.wsgi_app = Guard(app.wsgi_app, app)
    app.session_interface = SessionInterface()
    app.before_request(refuse_bad_host)
    app.after_request(set_headers)
    ratelimit.init_app(app)
    redact_logs()
