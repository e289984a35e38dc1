"""After a commit: render each changed region per audience and language; push it to its room.

A new card is the one change that is not a region: it is rendered alone and appended to
the list that shows it, with the small header that counts the cards. Re-rendering the
whole list for every card would cost each change time and bytes in proportion to the
cards already there (300 in a full step 4).
"""

import time
from collections.abc import Iterable

from flask import current_app, g
from flask_babel import force_locale, get_translations

from board import metrics
from board.audience import LOCALES, Audience, room
from board.extensions import socketio
from board.models import Meeting
from board.views import NewCard, board_context

REGIONS = (
    "stage",
    "clock",
    "controls",
    "participants",
    "prep",
    "prep_reads",
    "questions",
    "questions_head",
    "goal",
    "needs",
    "needs_head",
    "support",
    "notes",
    "agreements",
    "yield",
)
# Regions some audiences never receive: who read the preparation and her own notes are for
# the teacher (on each of her devices).
PRIVATE = {"prep_reads": {Audience.TEACHER}, "notes": {Audience.TEACHER}}
# Regions that are the same for every audience: rendered once per language, sent to each.
SHARED = frozenset({"needs_head", "questions_head"})


def render(template: str, context: dict) -> str:
    """A fragment for a push: the template alone, without the context processors of a page
    (a pushed fragment depends on the meeting and the audience, never on the request)."""
    return current_app.jinja_env.get_template(template).render(context)


def listening(target: str) -> bool:
    """Without a message queue every socket is in this process: skip rooms nobody is in."""
    if current_app.config.get("SOCKETIO_MESSAGE_QUEUE"):
        return True
    return bool(socketio.server.manager.rooms.get("/", {}).get(target))


def notify(meeting: Meeting, regions: Iterable[str], added: NewCard | None = None) -> None:
    """Push the regions (or the added card) to every audience of the meeting in each
    language, with the new version."""
    committed = time.perf_counter()
    emits = 0
    regions = tuple(regions)
    appended: tuple[tuple[str, str], ...] = ()
    if added is not None:
        context = added.context
        regions += (added.head,)
        appended = ((added.into, added.template),)
    else:
        context = board_context(meeting, time.time()) if regions else {}
    g.rendering_push = True
    try:
        for locale in LOCALES:
            audiences = [a for a in Audience if listening(room(meeting.id, a, locale))]
            if audiences:
                with force_locale(locale):
                    context["_catalog"] = get_translations()
                    push(meeting, locale, audiences, regions, appended, context)
                emits += len(audiences)
    finally:
        g.rendering_push = False
    metrics.pushed(emits, committed)


def push(
    meeting: Meeting,
    locale: str,
    audiences: list[Audience],
    regions: tuple[str, ...],
    appended: tuple[tuple[str, str], ...],
    context: dict,
) -> None:
    """One language's pushes: each audience's regions and appended cards, to its room."""
    shared: dict[str, str] = {}
    for audience in audiences:
        view = {**context, "audience": audience}
        html = {}
        for region in regions:
            if audience not in PRIVATE.get(region, Audience):
                continue
            if region not in SHARED:
                html[region] = render(f"partials/{region}.html", view)
            elif region not in shared:
                html[region] = shared[region] = render(f"partials/{region}.html", view)
            else:
                html[region] = shared[region]
        # Every audience hears of every version, so none mistakes a private push for a gap.
        payload = {"version": meeting.version, "regions": html}
        if appended:
            payload["append"] = [[into, render(template, view)] for into, template in appended]
        socketio.emit("regions", payload, to=room(meeting.id, audience, locale))


def notify_deleted(meeting_id: str) -> None:
    """Tell every device of a deleted meeting to leave its page; nothing of it is sent along."""
    committed = time.perf_counter()
    for locale in LOCALES:
        for audience in Audience:
            socketio.emit("deleted", {}, to=room(meeting_id, audience, locale))
    metrics.pushed(len(LOCALES) * len(Audience), committed)
