"""Template helpers: the clock, Dutch dates, and translation of the domain's messages."""

from datetime import date

from flask import Flask
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

from board.domain.timer import format_clock

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


def minutes(seconds: float) -> str:
    return format_clock(seconds)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["dutch_date"] = dutch_date
    app.jinja_env.filters["clock"] = minutes
    app.jinja_env.globals["csrf_token"] = generate_csrf
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
