"""Security headers on every response (a strict CSP, no referrer: secret links must not
leak), rate-limit storage, and logs that never hold a secret link, a join code or what a
database error quoted."""

import logging
import re

from flask import Flask, Response

from board import ratelimit
from board.errors import format_exception

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


def set_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response


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
    app.after_request(set_headers)
    ratelimit.init_app(app)
    redact_logs()
