"""The board's language: Dutch, unless this device chose English with the switch (a cookie).

A Dutch meeting stays Dutch on a phone whose browser happens to prefer English: the
browser's Accept-Language is not asked.
"""

import re
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, redirect, request

from board.audience import LOCALES

bp = Blueprint("language", __name__)
YEAR = 60 * 60 * 24 * 365


# A path on this site in printable ASCII without "\\" (browsers read it as "/"), not starting
# "//": browsers drop tabs and line breaks from a URL ("/\t/evil.example" is "//evil.example"
# to them), and a header may not hold a line break at all.
LOCAL_PATH = re.compile(r"/(?!/)[\x21-\x5b\x5d-\x7e]*")


def local_path(target: str | None) -> str:
    """Only a relative path on this site, never another host (no open redirect); else home."""
    if target and LOCAL_PATH.fullmatch(target) and not urlsplit(target).netloc:
        return target
    return "/"


@bp.get("/taal/<locale>")
def switch(locale: str) -> Response:
    """Remember the chosen language on this device and go back to the page."""
    response = redirect(local_path(request.args.get("next")), code=303)
    if locale in LOCALES:
        secure = current_app.config.get("SESSION_COOKIE_SECURE", False)
        response.set_cookie(
            "lang", locale, max_age=YEAR, samesite="Lax", httponly=True, secure=secure
        )
    return response


def select_locale() -> str:
    """The language this device chose with the switch, else Dutch."""
    chosen = request.cookies.get("lang")
    return chosen if chosen in LOCALES else "nl"
