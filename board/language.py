"""The board's language: Dutch, unless this device chose English with the switch (a cookie).

A Dutch meeting stays Dutch on a phone whose browser happens to prefer English: the
browser's Accept-Language is not asked.
"""

from flask import Blueprint, Response, current_app, redirect, request

from board.audience import LOCALES

bp = Blueprint("language", __name__)
YEAR = 60 * 60 * 24 * 365


def local_path(target: str | None) -> str:
    """Only a path on this site: never another host (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


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
