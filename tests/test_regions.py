"""The live regions and the controls on the board, read from the registry and the table.

Every region of the registry renders for each of its audiences with its own id at the root,
and what an audience may not see is never in its HTML; the controls a page shows, for every
role in every stage, are exactly what the permission table allows.
"""

import gc
import time
from contextlib import contextmanager
from html.parser import HTMLParser

import gevent
import pytest
from conftest import MeetingDriver
from flask import render_template
from gevent.queue import Queue
from sqlalchemy import event

from board import notify, queries, templating, views
from board.audience import Audience
from board.domain.permissions import Action, Role, may
from board.domain.preparation import PREP_QUESTIONS
from board.domain.steps import Stage
from board.extensions import db
from board.regions import REGISTRY, STAGE
from board.views import can_for

NOTE = "geheime notitie van de inbrenger"
ASIDE = "we moeten eerst praten over de ouders"
LABELLED = "een maatje naast zich, want ADHD"
ROLES = {
    "teacher": frozenset({Role.TEACHER}),
    "Anna": frozenset({Role.COLLEAGUE}),
    "Bram": frozenset({Role.COLLEAGUE, Role.TIMEKEEPER}),
    "screen": frozenset({Role.SCREEN}),
}


def card_id(app, driver: MeetingDriver, text: str) -> int:
    with app.app_context():
        return next(card.id for card in driver.meeting().needs if card.text == text)


def filled(app) -> MeetingDriver:
    """A meeting with something in every region: notes, a question, a suggestion, cards (one
    with a label, one set aside), an agreement and a vote. Bram keeps the time."""
    driver = lobby(app)
    driver.go_to(1)
    assert driver.post("teacher", "/notes", {"value": NOTE}).status_code == 200
    driver.go_to(2)
    assert driver.post("Anna", "/questions", {"text": "Sinds wanneer?"}).status_code == 204
    driver.go_to(3)
    assert driver.post("Anna", "/suggestions", {"text": "Vier minuten zitten"}).status_code == 204
    driver.go_to(4)
    for who, text, key in [("Anna", LABELLED, "a1"), ("Bram", "rust", "b1"), ("Anna", ASIDE, "a2")]:
        card = {"text": text, "category": "groepsgenoten", "client_key": key}
        assert driver.post(who, "/needs", card).status_code == 204
    aside = f"/needs/{card_id(app, driver, ASIDE)}/aside"
    assert driver.post("Bram", aside, {"reason": "discussion"}).status_code == 204
    driver.go_to(6)
    agreement = {"topic": "parents", "what": "Bellen met de ouders", "who": "", "when": ""}
    assert driver.post("Anna", "/agreements", agreement).status_code == 204
    driver.go_to(7)
    assert driver.post("Anna", "/vote", {"worth_it": "yes"}).status_code == 200
    return driver


def lobby(app) -> MeetingDriver:
    driver = MeetingDriver(app)
    driver.open_lobby()
    driver.join("Anna")
    driver.join("Bram")
    driver.make_timekeeper("Bram")
    return driver


def at(app, stage: Stage) -> MeetingDriver:
    """A meeting in this stage: in the lobby as colleagues come in, later with content."""
    if stage is Stage.LOBBY:
        return lobby(app)
    driver = filled(app)
    if stage.step is not None:
        driver.go_to(stage.step.number)
    else:
        assert driver.post("teacher", "/close", {"confirm": "yes"}).status_code == 204
    with app.app_context():
        assert driver.meeting().current_stage is stage
    return driver


def renders(app, driver: MeetingDriver, region) -> dict[Audience, str]:
    """The region as notify renders it for each of its audiences."""
    with app.test_request_context():
        meeting = driver.meeting()
        context = region.build(meeting, time.time())
        return {
            audience: render_template(
                region.template,
                **context,
                audience=audience,
                can=can_for(audience, meeting.current_stage),
                pushed=True,
            )
            for audience in region.audiences
        }


MEETING_STAGES = [s for s in Stage if s is not Stage.PREPARING]


@pytest.mark.parametrize("stage", MEETING_STAGES, ids=str)
def test_every_region_renders_for_each_audience_under_its_own_id(app, stage):
    board = at(app, stage)
    for region in REGISTRY:
        html = renders(app, board, region)
        assert set(html) == set(region.audiences)
        for audience, fragment in html.items():
            root = Tags.of(fragment).elements[0]
            assert root.attrs.get("id") == region.name, (region.name, audience)
            # A token is one session's: a fragment rendered once for many carries none.
            assert "csrf_token" not in fragment, (region.name, audience)


@pytest.mark.parametrize("stage", MEETING_STAGES, ids=str)
def test_a_push_leaves_no_template_objects_that_only_the_collector_frees(app, stage):
    """With 3,000 sockets every collection of the young objects stops the process for
    milliseconds (gunicorn.conf.py). A macro imported with the caller's context is made anew,
    a reference cycle, at every render that imports it: each card's mark form did."""
    board = at(app, stage)
    for region in REGISTRY:  # templates compiled, caches filled
        renders(app, board, region)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for region in REGISTRY:
            renders(app, board, region)
        gc.collect()
        left = {f"{type(o).__module__}.{type(o).__name__}" for o in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert not {name for name in left if name.startswith("jinja2.")}, left


@pytest.mark.parametrize("stage", MEETING_STAGES, ids=str)
def test_audiences_a_region_renders_once_for_see_the_same_html(app, stage):
    """The registry's variant says who shares a render; they must see the same HTML."""
    board = at(app, stage)
    current = stage
    for region in REGISTRY:
        html = renders(app, board, region)
        by_variant: dict = {}
        for audience in region.audiences:
            by_variant.setdefault(region.variant(can_for(audience, current)), set()).add(
                html[audience]
            )
        assert all(len(group) == 1 for group in by_variant.values()), region.name


@pytest.mark.parametrize("stage", MEETING_STAGES, ids=str)
def test_what_an_audience_may_not_see_is_never_in_its_html(app, stage):
    board = at(app, stage)
    for region in REGISTRY:
        html = renders(app, board, region)
        for audience, fragment in html.items():
            if audience is not Audience.TEACHER:  # her notes are hers, on each of her devices
                assert NOTE not in fragment, (region.name, audience)
            if audience is Audience.SCREEN:  # a card set aside never reaches the room
                assert ASIDE not in fragment, region.name
                assert "Apart gezet" not in fragment, region.name
            if audience is not Audience.COLLEAGUE:  # the label nudge is for its author
                assert "etiket" not in fragment.replace("Een etiket, geen behoefte", ""), (
                    region.name,
                    audience,
                )


def test_the_reason_a_card_was_set_aside_reaches_the_colleagues_only_to_reveal_to_its_author(
    app,
):
    board = at(app, Stage.NEEDS)
    [needs] = [r for r in REGISTRY if r.name == "needs"]
    html = renders(app, board, needs)
    assert ASIDE in html[Audience.TEACHER]  # she may put it back
    colleague = Tags.of(html[Audience.COLLEAGUE])
    group = next(t for t in colleague.elements if "aside-group" in t.classes)
    assert "guarded" in group.classes  # board.css shows it to its author and the timekeeper


# ---- the controls a page shows, per role and stage ----

# Actions the table allows more widely than the board offers them: the summary page holds
# the follow-up, the teacher's notes sit beside the steps that listen (1, 2, 4, 5), deleting
# is offered around the meeting, not while it runs, and closing where moving on ends. The
# meeting's own team page (partials/team_link.html leads there) holds attaching and sharing.
ELSEWHERE = {
    Action.SET_EVALUATION_DATE,
    Action.EVALUATE_GOAL,
    Action.START_FOLLOW_UP,
    Action.LEAVE_TEAM,
    Action.SHARE_WITH_TEAM,
}
OFFERED_IN = {
    Action.VIEW_SUMMARY: {Stage.CLOSED},
    Action.DELETE_MEETING: {Stage.PREPARING, Stage.LOBBY, Stage.CLOSED},
    Action.WRITE_NOTES: {Stage.EXPLAIN, Stage.QUESTIONS, Stage.NEEDS, Stage.FEASIBILITY},
}


def expected_controls(roles: frozenset[Role], stage: Stage) -> set[str]:
    allowed = {a for a in Action if may(roles, stage, a) and a not in ELSEWHERE}
    allowed = {a for a in allowed if stage in OFFERED_IN.get(a, {stage})}
    if Action.NEXT_STEP in allowed:
        allowed.discard(Action.CLOSE_MEETING)
    return {str(a) for a in allowed}


class Tag:
    def __init__(self, name: str, attrs: dict, parent: "Tag | None") -> None:
        self.name, self.attrs, self.parent = name, attrs, parent
        self.classes = set((attrs.get("class") or "").split())

    def chain(self):
        tag = self
        while tag is not None:
            yield tag
            tag = tag.parent


class Tags(HTMLParser):
    """Every element of a page with its ancestors."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[Tag] = []
        self.open: Tag | None = None

    @classmethod
    def of(cls, html: str) -> "Tags":
        parser = cls()
        parser.feed(html)
        return parser

    def handle_starttag(self, name, attrs):
        tag = Tag(name, dict(attrs), self.open)
        self.elements.append(tag)
        if name not in self.VOID:
            self.open = tag

    def handle_endtag(self, name):
        while self.open is not None and self.open.name != name:
            self.open = self.open.parent
        if self.open is not None:
            self.open = self.open.parent


def shown_controls(html: str, timekeeper: bool) -> set[str]:
    """The data-action controls a device sees, as board.css and board.js show them: tk-only
    for the timekeeper, own-only on its own cards, data-reveal as the stage lists it."""
    tags = Tags.of(html)
    me = next(t.attrs.get("data-me") for t in tags.elements if t.name == "body")
    stage = next(t for t in tags.elements if t.attrs.get("id") == "stage")
    revealed = set((stage.attrs.get("data-can") or "").split())
    if timekeeper:
        revealed |= set((stage.attrs.get("data-can-timekeeper") or "").split())
    shown = set()
    for tag in tags.elements:
        action = tag.attrs.get("data-action")
        if action is None:
            continue
        if "data-reveal" in tag.attrs:
            if action not in revealed:
                continue
        elif any("hidden" in t.attrs for t in tag.chain()):
            continue
        if not timekeeper and any("tk-only" in t.classes for t in tag.chain()):
            continue
        if any("own-only" in t.classes for t in tag.chain()):
            author = next(t.attrs["data-author"] for t in tag.chain() if "data-author" in t.attrs)
            if author != me:
                continue
        shown.add(action)
    return shown


@pytest.mark.parametrize("stage", MEETING_STAGES, ids=str)
def test_the_controls_every_role_sees_are_what_the_table_allows(app, stage):
    board = at(app, stage)
    for who, roles in ROLES.items():
        page = board.device(who).get(board.url).text
        shown = shown_controls(page, Role.TIMEKEEPER in roles)
        assert shown == expected_controls(roles, stage), who


def test_the_controls_while_preparing_are_what_the_table_allows(app):
    driver = MeetingDriver(app)
    for who in ("teacher", "screen"):
        page = driver.device(who).get(driver.url).text
        assert shown_controls(page, False) == expected_controls(ROLES[who], Stage.PREPARING), who


@pytest.mark.parametrize("stage", [Stage.NEEDS, Stage.FEASIBILITY], ids=str)
def test_the_page_reveals_what_the_table_allows_its_audience(app, stage):
    """A fragment shared by several audiences carries controls the page reveals (data-reveal):
    the stage lists what every device of the audience may do, and what its timekeeper may."""
    board = at(app, stage)
    for who in ("teacher", "Anna", "screen"):
        page = Tags.of(board.device(who).get(board.url).text)
        element = next(t for t in page.elements if t.attrs.get("id") == "stage")
        everyone = {str(a) for a in Action if may(ROLES[who], stage, a)}
        keeper = {str(a) for a in Action if may(ROLES["Bram"], stage, a)} - everyone
        assert set(element.attrs["data-can"].split()) == everyone, who
        assert set(element.attrs["data-can-timekeeper"].split()) == (
            keeper if who == "Anna" else set()
        ), who


def every_part(meeting, now: float) -> dict:
    """The stage region's context with every stage's parts, whatever the stage."""
    context = views.board_context(meeting, now)
    for build in {build for parts in views.STAGE_PARTS.values() for build in parts}:
        context.update(build(meeting, now))
    return context


@pytest.mark.parametrize("stage", list(Stage), ids=str)
def test_each_stage_loads_what_it_shows_and_renders_as_with_everything(app, stage):
    """A stage loads only its own parts (STAGE_PARTS), yet renders for every audience exactly
    as it would with every part loaded: no stage shows something it did not load."""
    board = filled_in_preparation(app) if stage is Stage.PREPARING else at(app, stage)
    now = time.time()
    with app.test_request_context():
        meeting = board.meeting()
        own, everything = views.board_context(meeting, now), every_part(meeting, now)
        assert set(own) < set(everything) or stage is Stage.CLOSED
        for audience in STAGE.audiences:
            can = can_for(audience, stage)
            shown = [
                render_template(STAGE.template, **context, audience=audience, can=can)
                for context in (own, everything)
            ]
            assert shown[0] == shown[1], (stage, audience)


def filled_in_preparation(app) -> MeetingDriver:
    driver = MeetingDriver(app)
    answer = {"field": PREP_QUESTIONS[0].key, "value": "Hij loopt vaak weg uit de kring"}
    assert driver.post("teacher", "/prep", answer).status_code == 200
    return driver


@contextmanager
def statements_of(app):
    """The SQL statements the app runs inside the block, lower-cased: the ORM's and Core's,
    and the prepared ones (queries.Prepared runs them on the driver's cursor)."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, *args):
        statements.append(statement.lower())

    run_prepared = queries.Prepared.rows

    def rows(prepared, params):
        found = run_prepared(prepared, params)
        statements.append(prepared._compiled[db.engine.dialect.name].sql.lower())
        return found

    event.listen(engine, "before_cursor_execute", record)
    queries.Prepared.rows = rows
    try:
        yield statements
    finally:
        queries.Prepared.rows = run_prepared
        event.remove(engine, "before_cursor_execute", record)


def test_a_move_to_the_yield_loads_no_card_question_or_agreement(app, monkeypatch):
    board = filled(app)
    board.go_to(6)
    monkeypatch.setattr(notify, "listening", lambda target: True)  # as if devices listen
    with statements_of(app) as statements:
        assert board.post("teacher", "/next").status_code == 204
    loaded = " ".join(s.split(" where ")[0] for s in statements if s.startswith("select"))
    assert "vote" in loaded
    assert not [
        table for table in ("need_card", "question", "agreement") if f"from {table}" in loaded
    ]


def test_a_clock_push_in_step_4_loads_no_card(app, meeting, monkeypatch):
    """ "+1 minuut" renders the clock and the controls from what they show, not the board."""
    meeting.go_to(4)
    for number in range(5):
        card = {"text": f"kaartje {number}", "category": "feedback", "client_key": f"k{number}"}
        assert meeting.post("Anna", "/needs", card).status_code == 204
    monkeypatch.setattr(notify, "listening", lambda target: True)  # as if devices listen
    rendered = []
    monkeypatch.setattr(notify, "render", lambda t, c: rendered.append(t) or "")
    with statements_of(app) as statements:
        assert meeting.post("teacher", "/timer/extend").status_code == 204
    assert {"partials/clock.html", "partials/controls.html"} <= set(rendered)
    assert not [s for s in statements if "need_card" in s]


def test_a_pushed_card_is_kept_until_it_changes_and_a_page_renders_its_own(app, monkeypatch):
    """A step move pushes every card again: a card's HTML is kept per stage, audience and
    language, reused while the card is the same, and made anew once it changed."""
    kept: dict = {}
    monkeypatch.setattr(templating, "_card_renders", kept)
    driver = at(app, Stage.FEASIBILITY)
    needs = next(region for region in REGISTRY if region.name == "needs")
    first = renders(app, driver, needs)
    cards = len(kept)
    assert cards >= 2 * len(needs.audiences), "every card, once per audience"
    assert renders(app, driver, needs) == first and len(kept) == cards, "the same: reused"

    rust = card_id(app, driver, "rust")
    marked = {"feasibility": "feasible", "per_week": "3"}
    assert driver.post("teacher", f"/needs/{rust}/mark", marked).status_code in (200, 204)
    after = renders(app, driver, needs)
    assert len(kept) == cards + len(needs.audiences), "the changed card, once per audience"
    assert (
        "3× per week" in after[Audience.COLLEAGUE]
        and "3× per week" not in first[Audience.COLLEAGUE]
    )
    assert after[Audience.TEACHER].count("checked") == first[Audience.TEACHER].count("checked") + 1
    # A pushed card carries no CSRF token; the teacher's page gets hers in every form.
    assert "csrf_token" not in after[Audience.TEACHER]
    page = driver.teacher.get(driver.url).text
    assert page.count('name="csrf_token"') > after[Audience.TEACHER].count("<form")


def full_rows_of(table: str, statements: list[str]) -> list[str]:
    """The statements that load whole rows of a table, as the ORM loads objects."""
    return [s for s in statements if s.startswith(f"select {table}.id, {table}.meeting_id")]


def test_a_vote_counts_the_votes_without_loading_every_vote_and_participant(app, monkeypatch):
    """Every vote pushes the tally to everyone: the votes and the people who could vote are
    counted in SQL, not loaded as objects, and the counts are right."""
    board = at(app, Stage.YIELD)  # Anna voted yes; the teacher, Anna and Bram are in it
    monkeypatch.setattr(notify, "listening", lambda target: True)
    pushed = []
    monkeypatch.setattr(notify.socketio, "emit", lambda *args, **kwargs: pushed.append(args))
    with statements_of(app) as statements:
        response = board.post("Bram", "/vote", {"worth_it": "no", "why": "Te weinig tijd"})
    assert response.status_code == 200
    assert 'value="no" checked' in response.text and "Te weinig tijd" in response.text
    assert not full_rows_of("yield_vote", statements)
    assert not full_rows_of("participant", statements)
    # The voter's form shows the vote as written, from the meeting the vote read once.
    assert "Stem wijzigen" in response.text
    assert [s.startswith("select") and "from meeting" in s for s in statements].count(True) == 1
    assert not [
        s
        for s in statements
        if s.startswith("select")
        and "from yield_vote" in s
        and "participant_id" in s.split("where", 1)[-1]
    ]
    tallies = {payload["regions"]["yield"] for _, payload in pushed}
    assert len(tallies) == 2  # the same for everyone, in Dutch and in English
    assert [tally for tally in tallies if "2 van de 3 deelnemers hebben gestemd." in tally]
    assert [tally for tally in tallies if "2 of the 3 participants have voted." in tally]
    assert all("Te weinig tijd" in tally for tally in tallies)


@pytest.mark.parametrize(
    "who, path, form",
    [
        ("Anna", "/needs", {"text": "Een vaste plek", "category": "instructie", "client_key": "p"}),
        ("teacher", "/timer/extend", {}),
        ("teacher", "/next", {}),
    ],
    ids=["a new card", "a minute more", "a step move"],
)
def test_a_push_reaches_the_sockets_before_the_change_is_answered(
    app, monkeypatch, who, path, form
):
    """An emit only queues a push for each socket; the socket's writer (a greenlet, as in
    engineio) sends it when the request yields. The push goes out first, then the answer."""
    board = at(app, Stage.NEEDS)
    monkeypatch.setattr(notify, "listening", lambda target: True)
    queued, happened = Queue(), []
    monkeypatch.setattr(notify.socketio, "emit", lambda *args, **kwargs: queued.put(args))

    def writer() -> None:
        queued.get()
        happened.append("pushed")

    socket = gevent.spawn(writer)
    gevent.sleep(0)  # the writer waits for its queue, as a connected socket's does
    answered = [lambda response: happened.append("answered") or response]
    monkeypatch.setitem(app.after_request_funcs, None, app.after_request_funcs[None] + answered)
    response = board.post(who, path, form)
    assert response.status_code == 204, response.text
    assert happened == ["pushed", "answered"]
    socket.kill()


def test_marking_a_need_loads_that_card_alone(app, monkeypatch):
    board = at(app, Stage.FEASIBILITY)
    rust = card_id(app, board, "rust")
    with statements_of(app) as statements:
        marked = board.post("teacher", f"/needs/{rust}/mark", {"feasibility": "feasible"})
    assert marked.status_code in (200, 204)
    need_cards = [s for s in statements if s.startswith("select") and "from need_card" in s]
    assert need_cards and all("where need_card.id = " in s for s in need_cards), need_cards
    with app.app_context():
        assert board.meeting().needs[1].feasibility == "feasible"


@pytest.mark.parametrize("wrong", ["0", "007", "99999999999999999999", "²", "-1", "x"])
def test_a_card_id_that_is_no_card_of_the_meeting_marks_nothing(app, wrong):
    board = at(app, Stage.FEASIBILITY)
    other = at(app, Stage.FEASIBILITY)
    theirs = card_id(app, other, "rust")
    with app.app_context():
        before = [(card.id, card.feasibility) for card in board.meeting().needs]
    for card in (wrong, str(theirs)):
        response = board.post("teacher", f"/needs/{card}/mark", {"feasibility": "feasible"})
        assert response.status_code == 404
        assert "Dat kaartje bestaat niet (meer)." in response.text
    with app.app_context():
        assert [(card.id, card.feasibility) for card in board.meeting().needs] == before
        assert all(card.feasibility is None for card in other.meeting().needs)
