"""After a commit: render each changed region per audience and language; push it to its room.

A new card is the one change that is not a region: it is rendered alone and appended to
the list that shows it, with the small header that counts the cards. Re-rendering the
whole list for every card would cost each change time and bytes in proportion to the
cards already there (300 in a full step 4).
"""

import time
from collections.abc import Iterable

from flask import current_app, g, render_template
from flask_babel import force_locale

from board import metrics
from board.audience import LOCALES, Audience, room
from board.extensions import socketio
from board.models import Meeting, NeedCard, Question
from board.views import board_context, new_card

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


def render(template: str, audience: Audience, context: dict) -> str:
    g.rendering_push = True
    try:
        return render_template(template, audience=audience, **context)
    finally:
        g.rendering_push = False


def listening(target: str) -> bool:
    """Without a message queue every socket is in this process: skip rooms nobody is in."""
    if current_app.config.get("SOCKETIO_MESSAGE_QUEUE"):
        return True
    return bool(socketio.server.manager.rooms.get("/", {}).get(target))


def notify(
    meeting: Meeting, regions: Iterable[str], added: NeedCard | Question | None = None
) -> None:
    """Push the regions (or the added card) to every audience of the meeting in each
    language, with the new version."""
    committed = time.perf_counter()
    emits = 0
    regions = tuple(regions)
    appended: tuple[tuple[str, str], ...] = ()
    if added is not None:
        card = new_card(meeting, added)
        context = card.context
        regions += (card.head,)
        appended = ((card.into, card.template),)
    else:
        context = board_context(meeting, time.time()) if regions else {}
    for locale in LOCALES:
        with force_locale(locale):
            for audience in Audience:
                if not listening(room(meeting.id, audience, locale)):
                    continue
                html = {
                    region: render(f"partials/{region}.html", audience, context)
                    for region in regions
                    if audience in PRIVATE.get(region, Audience)
                }
                # Every audience hears of every version, so none mistakes a private push for a gap.
                payload = {"version": meeting.version, "regions": html}
                if appended:
                    payload["append"] = [
                        [into, render(template, audience, context)] for into, template in appended
                    ]
                socketio.emit("regions", payload, to=room(meeting.id, audience, locale))
                emits += 1
    metrics.pushed(emits, committed)


def notify_deleted(meeting_id: str) -> None:
    """Tell every device of a deleted meeting to leave its page; nothing of it is sent along."""
    committed = time.perf_counter()
    for locale in LOCALES:
        for audience in Audience:
            socketio.emit("deleted", {}, to=room(meeting_id, audience, locale))
    metrics.pushed(len(LOCALES) * len(Audience), committed)
