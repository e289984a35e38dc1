"""Error responses: a clear message in the reader's language (Dutch by default), in the page's
message area for htmx requests."""

import logging
import traceback

from flask import Flask, render_template
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from board.domain.errors import DomainError
from board.domain.text import N_
from board.extensions import htmx

log = logging.getLogger(__name__)

HTTP_MESSAGES = {
    400: N_("Dat verzoek begrijpen we niet."),
    403: N_("Dat mag je niet doen."),
    404: N_("Deze pagina bestaat niet."),
    405: N_("Dat kan op deze manier niet."),
    413: N_("Dat is te veel tekst in één keer."),
    429: N_("Even rustig aan: te veel pogingen. Wacht een minuut en probeer het opnieuw."),
    500: N_("Er ging iets mis bij ons. Probeer het opnieuw; je invoer is niet verloren."),
}
CSRF_MESSAGE = N_("Je sessie is verlopen. Herlaad de pagina en probeer het opnieuw.")


def translated(message: str) -> str:
    """A message in the reader's language. Domain messages keep their msgid and placeholders;
    a placeholder that is a Dutch word (a field's label) is translated too."""
    msgid = getattr(message, "msgid", message)
    params = getattr(message, "params", {})
    if not params:
        return gettext(msgid)
    return gettext(msgid, **{k: gettext(v) if isinstance(v, str) else v for k, v in params.items()})


def retry_after(error: DomainError) -> dict[str, str]:
    """A 429 tells the client, as its message tells the person, when to try again."""
    seconds = error.message.params.get("seconds")
    return {"Retry-After": str(seconds)} if error.status == 429 and seconds else {}


def respond(message: str, status: int, headers: dict[str, str] | None = None):
    """The message as a flash fragment for htmx, or as a page for everything else."""
    message = translated(message)
    if htmx:
        html = render_template("partials/flash.html", message=message, status=status)
        return html, status, {"HX-Retarget": "#flash", "HX-Reswap": "innerHTML", **(headers or {})}
    return render_template("message.html", message=message, status=status), status, headers or {}


def database_error_in(error: BaseException) -> DBAPIError | None:
    """The database error an exception is, or was raised from (while handling)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, DBAPIError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def format_exception(exc_info) -> str:
    """A logged traceback. A database error's message can quote what people typed
    (PostgreSQL: `DETAIL: Key (meeting_id, name_key)=(…, anna)`, or a value that did not fit):
    of those only the kind, the SQLSTATE, the constraint's name and the SQL are written."""
    _, error, trace = exc_info
    database_error = database_error_in(error) if error is not None else None
    if database_error is None:
        return logging.Formatter().formatException(exc_info)
    driver_error = database_error.orig
    diagnosis = getattr(driver_error, "diag", None)
    sqlstate = getattr(driver_error, "sqlstate", None) or "-"
    constraint = getattr(diagnosis, "constraint_name", None) or "-"
    summary = (
        f"{type(database_error).__name__}: {type(driver_error).__name__}, sqlstate {sqlstate},"
        f" constraint {constraint} (the database's message is not logged)\n"
        f"[SQL: {database_error.statement}]"  # placeholders only: parameters are never bound in
    )
    return "Traceback (most recent call last):\n" + "".join(traceback.format_tb(trace)) + summary


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        return respond(error.message, error.status, retry_after(error))

    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError):
        return respond(CSRF_MESSAGE, 400)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        return respond(HTTP_MESSAGES.get(status, HTTP_MESSAGES[400]), status)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unexpected error: %s", type(error).__name__)
        return respond(HTTP_MESSAGES[500], 500)
