"""Template helpers: the clock, Dutch dates, translation of the domain's messages, and
`_()` that looks the language up once per render instead of once per text."""

from flask import Flask
from flask_babel import get_locale, get_translations
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from board.domain.accounts import ACCOUNT_LIMITS
from board.domain.agreements import TOPIC_LABELS, Topic
from board.domain.dutch_dates import dutch_date
from board.domain.labels import NUDGE, label_nudge
from board.domain.needs import (
    ASIDE_REASON_LABELS,
    CATEGORY_LABELS,
    PER_WEEK_MAX,
    Feasibility,
    Subgroup,
)
from board.domain.permissions import Action
from board.domain.steps import STEPS, TOTAL_MINUTES, Stage
from board.domain.text import LIMITS
from board.domain.timer import WARNING_SECONDS, format_clock
from board.errors import translated
from board.views import shared_url


@pass_context
def csrf_field(context: Context) -> Markup:
    """The CSRF field of a form, left out of pushed fragments (`pushed` in their context): a
    token belongs to one session, and a fragment rendered once for a whole audience must not
    carry the actor's token (the page's hx-headers send the reader's own token instead)."""
    if context.get("pushed"):
        return Markup("")
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(generate_csrf())


@pass_context
def hidden(context: Context, meeting) -> Markup:
    """A command form's hidden fields: its CSRF token (csrf_field) and the stage it was shown
    in. A global function, not a macro: a macro that needs the caller's context (`pushed`)
    must be imported with it, and Jinja then runs the macro file and makes new macro
    objects, reference cycles all, for every render that imports it (each card's mark form)."""
    stage = Markup('<input type="hidden" name="stage" value="{}">').format(meeting.stage)
    return csrf_field(context) + stage


# A pushed card's HTML, kept by everything its partial reads (a bounded memo per process).
CARD_RENDERS_KEPT = 20_000
_card_renders: dict[tuple, Markup] = {}


@pass_context
def listed_card(context: Context, template: str, name: str, card) -> Markup:
    """One card of a list (`partials/need_card.html`, `question_card.html`), for `{% for %}`.

    A step move pushes the whole board again for every audience: every card rendered three
    times, though a card looks the same for the same audience, in the same stage and
    language, until it changes. In a push, a card's HTML is therefore kept, keyed by all its
    partial reads (the card's columns, the meeting's id and pupil alias, the audience, the
    stage, the language), and the next push reuses it. A page renders it afresh: its forms
    carry the reader's own CSRF token."""

    def render() -> Markup:
        scope = {**context.get_all(), name: card}
        return Markup(context.environment.get_template(template).render(scope))

    if not context.get("pushed"):
        return render()
    meeting, can = context["meeting"], context["can"]
    key = (
        template,
        str(get_locale()),
        can.audience,
        can.stage,
        meeting.id,
        meeting.pupil_alias,
        tuple(getattr(card, column.name) for column in card.__table__.c),
    )
    html = _card_renders.get(key)
    if html is None:
        if len(_card_renders) >= CARD_RENDERS_KEPT:
            _card_renders.clear()
        html = _card_renders[key] = render()
    return html


def minutes(seconds: float) -> str:
    return format_clock(seconds)


def catalog() -> dict:
    """Once per render: the catalog of the language it is rendered in."""
    return {"_catalog": get_translations()}


@pass_context
def gettext(context: Context, message: str) -> str:
    """Flask-Babel finds the language again for every `_()`: a tenth of the server's time
    per change in the load benchmark. A render finds it once (`catalog`); imported macros,
    which see no render context, still ask Flask-Babel."""
    return (context.get("_catalog") or get_translations()).gettext(message)


@pass_context
def ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return (context.get("_catalog") or get_translations()).ngettext(singular, plural, n)


@pass_context
def translate(context: Context, message: str, **variables) -> str:
    """`_()` and `gettext()` in a template: what Jinja's i18n extension makes of `gettext`
    with newstyle=True (autoescaped, %-formatted with the keywords, HTML in them escaped),
    in one call instead of three through `Context.call`: a third of a small fragment's
    render. A text without `%` and without keywords is returned as it is (what `% {}`
    leaves)."""
    text = gettext(context, message)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    if not variables and "%" not in text:
        return text
    return text % variables


@pass_context
def translate_plural(context: Context, singular: str, plural: str, num: int, **variables) -> str:
    """`ngettext()` in a template, as Jinja's newstyle i18n does it (`num` among the keywords)."""
    variables.setdefault("num", num)
    text = ngettext(context, singular, plural, num)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


def init_app(app: Flask) -> None:
    app.context_processor(catalog)
    # Jinja's i18n extension wraps these (autoescape, %-formatting) as it wraps Flask-Babel's;
    # the globals templates call are then replaced by the same wrapping, done in one call.
    app.jinja_env.install_gettext_callables(gettext=gettext, ngettext=ngettext, newstyle=True)
    app.jinja_env.globals.update(_=translate, gettext=translate, ngettext=translate_plural)
    app.jinja_env.filters["dutch_date"] = dutch_date
    app.jinja_env.filters["clock"] = minutes
    app.jinja_env.filters["translated"] = translated
    app.jinja_env.globals["csrf_token"] = generate_csrf
    app.jinja_env.globals["csrf_field"] = csrf_field
    app.jinja_env.globals["hidden"] = hidden
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["HEARTBEAT_SECONDS"] = app.config["HEARTBEAT_SECONDS"]
    app.jinja_env.globals["shared_url"] = shared_url
    app.jinja_env.globals["listed_card"] = listed_card
    # The domain's constants, so templates and the page copy none of them.
    app.jinja_env.globals.update(
        total_minutes=TOTAL_MINUTES,
        steps=STEPS,
        last_step=len(STEPS),
        warning_seconds=WARNING_SECONDS,
        LIMITS=LIMITS,
        ACCOUNT_LIMITS=ACCOUNT_LIMITS,
        PER_WEEK_MAX=PER_WEEK_MAX,
        Subgroup=Subgroup,
        Feasibility=Feasibility,
        Stage=Stage,
        Action=Action,
        Topic=Topic,
        topics=TOPIC_LABELS,
        categories=CATEGORY_LABELS,
        aside_reasons=ASIDE_REASON_LABELS,
        label_nudge=label_nudge,
        nudge_message=NUDGE,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
