"""Template helpers: the clock, Dutch dates, and translation of the domain's messages."""

from datetime import date

from flask import Flask, g
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from board.domain.timer import format_clock
from board.errors import translated

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def dutch_date(value: date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def csrf_field() -> Markup:
    """The CSRF field of a form, left out of pushed fragments: a token belongs to one session,
    and a fragment rendered once for a whole audience must not carry the actor's token (the
    page's hx-headers send the reader's own token instead)."""
    if g.get("rendering_push"):
        return Markup("")
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(generate_csrf())


def minutes(seconds: float) -> str:
    return format_clock(seconds)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["dutch_date"] = dutch_date
    app.jinja_env.filters["clock"] = minutes
    app.jinja_env.filters["translated"] = translated
    app.jinja_env.globals["csrf_token"] = generate_csrf
    app.jinja_env.globals["csrf_field"] = csrf_field
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
