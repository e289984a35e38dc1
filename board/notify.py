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
from board.regions import CardPush, Region
from board.views import can_for


def render(template: str, context: dict) -> str:
    """A fragment for a push: the template alone, without the context processors of a page
    (a pushed fragment depends on the meeting and the audience, never on the request).

    What `Template.render` does, minus its copy of the globals: Jinja copies them out of a
    ChainMap for every render, a quarter of a small fragment's time. Here the context is
    one flat dict, the globals under it, shared with the template (and its includes)."""
    environment = current_app.jinja_env
    template_ = environment.get_template(template)
    scope = {**environment.globals, **context}
    context_ = environment.context_class(environment, scope, template_.name, template_.blocks)
    try:
        return environment.concat(template_.root_render_func(context_))
    except Exception:
        return environment.handle_exception()


def listening(target: str) -> bool:
    """Without a message queue every socket is in this process: skip rooms nobody is in."""
    if current_app.config.get("SOCKETIO_MESSAGE_QUEUE"):
        return True
    return bool(socketio.server.manager.rooms.get("/", {}).get(target))


def notify(meeting: Meeting, regions: Iterable[Region], added: CardPush | None = None) -> None:
    """Push the regions (or the added card) to every audience of the meeting in each
    language, with the new version."""
    committed = time.perf_counter()
    emits = 0
    regions = tuple(regions)
    now = time.time()
    if added is not None:
        if added.into is not None:  # a new card: the header counts it
            regions += (added.region.append.head,)
        contexts = {region: added.context for region in regions}
    else:
        contexts = {region: region.build(meeting, now) for region in regions}
    for locale in LOCALES:
        audiences = [a for a in Audience if listening(room(meeting.id, a, locale))]
        if audiences:
            with force_locale(locale):
                catalog = get_translations()
                emits += push(meeting, locale, audiences, contexts, added, catalog)
    metrics.pushed(emits, committed)
    if emits:
        deliver_first()


def deliver_first() -> None:
    """Push first, answer after: let the sockets' writers send what was just emitted before
    this request goes on to its response (its after-request hooks, the session, the
    teardown, the server's write). An emit only queues the push for each socket; under gevent
    the writers run when this greenlet next yields, which was at the end of the request. The
    room then saw a change a request's tail later than it could (docs/performance.md)."""
    socketio.sleep(0)


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
    added: CardPush | None,
    catalog,
) -> int:
    """One language's pushes: each audience's regions and appended card, to its room. The
    audiences that get the same payload get it in one emit (encoded once), to their rooms
    together: a new need card in step 4 is one emit for the teacher and the room screen.
    Returns the number of emits."""
    renders = Renders(catalog)
    stage = meeting.current_stage
    payloads: dict[tuple, tuple[dict, list[str]]] = {}
    for audience in audiences:
        can = can_for(audience, stage)
        html = {
            region.name: renders.get(region.template, region.variant(can), context, audience)
            for region, context in contexts.items()
            if audience in region.audiences
        }
        # Every audience hears of every version, so none mistakes a private push for a gap.
        payload = {"version": meeting.version, "regions": html}
        if added is not None and audience in added.region.audiences:
            rule = added.region.append
            card = renders.get(rule.item, rule.variant(can), added.context, audience)
            if added.into is not None:
                payload["append"] = [[added.into, card]]
            else:  # a changed card takes the place of its element
                html[added.element] = card
        # Renders are shared per variant: the same strings are the same objects.
        key = tuple(html) + tuple(map(id, html.values()))
        if "append" in payload:
            key += (id(card),)
        payloads.setdefault(key, (payload, []))[1].append(room(meeting.id, audience, locale))
    for payload, rooms in payloads.values():
        socketio.emit("regions", payload, to=rooms[0] if len(rooms) == 1 else rooms)
    return len(payloads)


def notify_deleted(meeting_id: str) -> None:
    """Tell every device of a deleted meeting to leave its page; nothing of it is sent along."""
    committed = time.perf_counter()
    for locale in LOCALES:
        for audience in Audience:
            socketio.emit("deleted", {}, to=room(meeting_id, audience, locale))
    metrics.pushed(len(LOCALES) * len(Audience), committed)
