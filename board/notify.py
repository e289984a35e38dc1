"""After a commit: render each changed region per audience and language; push it to its room.

The regions and who sees what come from the registry (board/regions.py). A fragment that is
the same for several audiences is rendered once per language and sent to each of them.

A new card is the one change that is not a region: it is rendered alone and appended to
the list that shows it, with the small header that counts the cards. Re-rendering the
whole list for every card would cost each change time and bytes in proportion to the
cards already there (300 in a full step 4).
"""

import time
from collections.abc import Hashable, Iterable

from flask import current_app
from flask_babel import force_locale, get_translations

from board import metrics
from board.audience import LOCALES, Audience, room
from board.extensions import socketio
from board.models import Meeting
from board.regions import NewCard, Region
from board.views import can_for


def render(template: str, context: dict) -> str:
    """A fragment for a push: the template alone, without the context processors of a page
    (a pushed fragment depends on the meeting and the audience, never on the request)."""
    return current_app.jinja_env.get_template(template).render(context)


def listening(target: str) -> bool:
    """Without a message queue every socket is in this process: skip rooms nobody is in."""
    if current_app.config.get("SOCKETIO_MESSAGE_QUEUE"):
        return True
    return bool(socketio.server.manager.rooms.get("/", {}).get(target))


def notify(meeting: Meeting, regions: Iterable[Region], added: NewCard | None = None) -> None:
    """Push the regions (or the added card) to every audience of the meeting in each
    language, with the new version."""
    committed = time.perf_counter()
    emits = 0
    regions = tuple(regions)
    now = time.time()
    if added is not None:
        regions += (added.region.append.head,)
        contexts = {region: added.context for region in regions}
    else:
        contexts = {region: region.build(meeting, now) for region in regions}
    for locale in LOCALES:
        audiences = [a for a in Audience if listening(room(meeting.id, a, locale))]
        if audiences:
            with force_locale(locale):
                catalog = get_translations()
                push(meeting, locale, audiences, contexts, added, catalog)
            emits += len(audiences)
    metrics.pushed(emits, committed)


class Renders:
    """One language's renders: a fragment is rendered once for the audiences that see the
    same HTML (the region's variant) and reused for the others."""

    def __init__(self, catalog) -> None:
        self.catalog = catalog
        self.done: dict[tuple[str, Hashable], str] = {}

    def get(self, template: str, variant: Hashable, context: dict, audience: Audience) -> str:
        key = (template, variant)
        if key not in self.done:
            can = can_for(audience, context["stage"]) if "stage" in context else None
            view = {**context, "audience": audience, "can": can, "pushed": True}
            self.done[key] = render(template, {**view, "_catalog": self.catalog})
        return self.done[key]


def push(
    meeting: Meeting,
    locale: str,
    audiences: list[Audience],
    contexts: dict[Region, dict],
    added: NewCard | None,
    catalog,
) -> None:
    """One language's pushes: each audience's regions and appended card, to its room."""
    renders = Renders(catalog)
    stage = meeting.current_stage
    for audience in audiences:
        can = can_for(audience, stage)
        html = {
            region.name: renders.get(region.template, region.variant(can), context, audience)
            for region, context in contexts.items()
            if audience in region.audiences
        }
        # Every audience hears of every version, so none mistakes a private push for a gap.
        payload = {"version": meeting.version, "regions": html}
        if added is not None:
            rule = added.region.append
            card = renders.get(rule.item, rule.variant(can), added.context, audience)
            payload["append"] = [[added.into, card]]
        socketio.emit("regions", payload, to=room(meeting.id, audience, locale))


def notify_deleted(meeting_id: str) -> None:
    """Tell every device of a deleted meeting to leave its page; nothing of it is sent along."""
    committed = time.perf_counter()
    for locale in LOCALES:
        for audience in Audience:
            socketio.emit("deleted", {}, to=room(meeting_id, audience, locale))
    metrics.pushed(len(LOCALES) * len(Audience), committed)
