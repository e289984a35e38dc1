"""Bad input, fuzzed: every POST route of the app with hostile text, raw bytes and wrong types.

Never a 500. A refused input gets a Dutch message and leaves every row of every table as it
was. An accepted text is stored as typed (trimmed, line breaks normalized, NFC, without
invisible characters; a name as it shows) and comes back escaped in the page.
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote

import pytest
from conftest import HTMX, MeetingDriver, close_app, every_row, flash_text
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from board.domain.steps import Stage
from board.domain.text import INVISIBLE, visible
from board.extensions import db
from board.models import (
    Agreement,
    GoalSuggestion,
    Meeting,
    NeedCard,
    Participant,
    PrepRead,
    Question,
    YieldVote,
)

FUZZ = settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FEW = settings(FUZZ, max_examples=6)

NASTY = [
    "",
    " ",
    " \t\n ",
    "\r\n",
    "x" * 100_000,
    "\x00",
    "Thomas\x00",
    "a\x07b",
    "\x1b[31mrood\x1b[0m",
    "\u202eevil\u202c",
    "zero\u200bwidth\u200d",
    "\ufeffbom",
    "😀 👩🏽‍🏫 🇳🇱",
    "<script>alert(1)</script>",
    "\"'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(2)</script>",
    "{{ 7*7 }} {% raw %}",
    "'; DROP TABLE meeting; --",
    "1' OR '1'='1",
    "%s %n %x",
    "../../etc/passwd",
    "Ω≈ç√∫ Zoë Çelik",
    "ﷺ " * 40,
    "a" * 281,
    "\u2028line\u2029para",
]
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=120),
    st.builds(lambda a, b: a + b, st.sampled_from(NASTY), st.text(max_size=40)),
)
ACCEPTED_STATUSES = range(200, 400)
REFUSED_STATUSES = {400, 403, 404, 409, 413, 422}


def typed(value: str) -> str:
    """What the board stores of a typed text: line breaks normalized, NFC, without invisible
    characters (zero width, bidi controls), trimmed."""
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    return INVISIBLE.sub("", text).strip()


def typed_name(value: str) -> str:
    """What the board stores of a typed name: as a text, then as it shows (NFKC, no format
    characters, single spaces)."""
    return visible(typed(value))


# ---- one meeting per stage, in one database -------------------------------------------

STAGES = (
    Stage.PREPARING,
    Stage.LOBBY,
    Stage.QUESTIONS,
    Stage.GOAL,
    Stage.NEEDS,
    Stage.FEASIBILITY,
    Stage.AGREEMENTS,
    Stage.YIELD,
)


def walk_to(driver: MeetingDriver, stage: Stage) -> None:
    if stage is Stage.PREPARING:
        return
    driver.open_lobby()
    driver.join("Anna")
    driver.join("Bram")
    if stage.step is not None:
        driver.go_to(stage.step.number)


def seed(driver: MeetingDriver) -> dict:
    """A question, a suggestion, Anna's card and an agreement, whatever the stage."""
    with driver.app.app_context():
        meeting = driver.meeting()
        author = meeting.participants[-1].id
        now = datetime(2025, 1, 1)
        rows = {
            "question": Question(author_id=author, text="Sinds wanneer?", created_at=now),
            "suggestion": GoalSuggestion(author_id=author, text="Vier minuten", created_at=now),
            "card": NeedCard(
                author_id=author,
                client_key="seed",
                category="instructie",
                text="rust",
                created_at=now,
            ),
            "agreement": Agreement(
                author_id=author, topic="parents", what="Mailen", created_at=now
            ),
        }
        meeting.questions.append(rows["question"])
        meeting.suggestions.append(rows["suggestion"])
        meeting.needs.append(rows["card"])
        meeting.agreements.append(rows["agreement"])
        db.session.commit()
        return {name: row.id for name, row in rows.items()}


@dataclass
class Board:
    app: object
    drivers: dict[Stage, MeetingDriver]
    ids: dict[Stage, dict]

    def snapshot(self) -> dict:
        """Every committed row of every table."""
        return every_row(self.app)


@pytest.fixture(scope="module")
def board(databases):
    app = databases.app()
    drivers, ids = {}, {}
    for stage in STAGES:
        drivers[stage] = MeetingDriver(app)
        walk_to(drivers[stage], stage)
        ids[stage] = seed(drivers[stage])
    yield Board(app, drivers, ids)
    close_app(app)


# ---- the routes and their text fields -------------------------------------------------


def column(model, name: str, meeting_field: str = "meeting_id") -> Callable:
    """Every stored value of a column in one meeting."""

    def values(meeting_id: str) -> list[str]:
        query = db.select(getattr(model, name)).where(getattr(model, meeting_field) == meeting_id)
        return list(db.session.execute(query).scalars())

    return values


def meeting_attr(name: str) -> Callable:
    return lambda meeting_id: [getattr(db.session.get(Meeting, meeting_id), name)]


@dataclass(frozen=True)
class Target:
    """A route, the stage and device that may use it, and how to find what it stored."""

    stage: Stage
    device: str
    path: str  # after /m/<id>, with {ids}
    form: Callable[[str], dict]
    stored: Callable | None = None
    viewer: str | None = None  # who sees the text on the board page
    required: bool = True


def need_form(text: str) -> dict:
    return {"text": text, "category": "instructie", "client_key": f"k{hash(text)}"}


TARGETS: dict[str, Target] = {
    "prep answer": Target(
        Stage.PREPARING,
        "teacher",
        "/prep",
        lambda v: {"field": "reason", "value": v},
        meeting_attr("prep_reason"),
        "teacher",
        required=False,
    ),
    "question": Target(
        Stage.QUESTIONS,
        "Anna",
        "/questions",
        lambda v: {"text": v},
        column(Question, "text"),
        "teacher",
    ),
    "goal": Target(
        Stage.GOAL,
        "teacher",
        "/goal",
        lambda v: {"field": "text", "value": v},
        meeting_attr("goal_text"),
        "Anna",
        required=False,
    ),
    "suggestion": Target(
        Stage.GOAL,
        "Anna",
        "/suggestions",
        lambda v: {"text": v},
        column(GoalSuggestion, "text"),
        "teacher",
    ),
    "notes": Target(
        Stage.QUESTIONS,
        "teacher",
        "/notes",
        lambda v: {"value": v},
        meeting_attr("teacher_notes"),
        "teacher",
        required=False,
    ),
    "need": Target(Stage.NEEDS, "Anna", "/needs", need_form, column(NeedCard, "text"), "teacher"),
    "need edit": Target(
        Stage.NEEDS,
        "Bram",
        "/needs/{card}",
        lambda v: {"text": v, "category": "anders"},
        column(NeedCard, "text"),
        "teacher",
    ),
    "mark place": Target(
        Stage.FEASIBILITY,
        "teacher",
        "/needs/{card}/mark",
        lambda v: {"feasibility": "feasible", "per_week": "2", "plan_place": v},
        column(NeedCard, "plan_place"),
        required=False,
    ),
    "support": Target(
        Stage.FEASIBILITY,
        "teacher",
        "/support",
        lambda v: {"field": "support_needs", "value": v},
        meeting_attr("support_needs"),
        "teacher",
        required=False,
    ),
    "agreement": Target(
        Stage.AGREEMENTS,
        "Anna",
        "/agreements",
        lambda v: {"topic": "pupil", "what": v, "who": "Anna", "when": "vrijdag"},
        column(Agreement, "what"),
        "Anna",
    ),
    "agreement who": Target(
        Stage.AGREEMENTS,
        "teacher",
        "/agreements/{agreement}",
        lambda v: {"topic": "other", "what": "Bellen", "who": v, "when": ""},
        column(Agreement, "who"),
        "teacher",
        required=False,
    ),
    "vote why": Target(
        Stage.YIELD,
        "Anna",
        "/vote",
        lambda v: {"worth_it": "yes", "why": v, "brought": ""},
        column(YieldVote, "why"),
        required=False,
    ),
    "delete confirmation": Target(
        Stage.LOBBY, "teacher", "/delete", lambda v: {"confirm": v + "x"}
    ),
}


def send(board: Board, target: Target, data, **kwargs):
    driver = board.drivers[target.stage]
    client = driver.device(target.device)
    path = driver.url + target.path.format(**board.ids[target.stage])
    return client.post(path, data=data, headers=HTMX, **kwargs)


def check_refused(board: Board, before: dict, response) -> None:
    assert response.status_code in REFUSED_STATUSES, (response.status_code, response.text[:300])
    assert flash_text(response), "a refusal says why"
    assert board.snapshot() == before, "a refused input stores nothing"


@pytest.mark.parametrize("name", TARGETS)
@FUZZ
@given(value=TEXT)
def test_a_text_field_never_crashes_and_stores_exactly_what_was_typed(board, name, value):
    target = TARGETS[name]
    before = board.snapshot()
    response = send(board, target, target.form(value))
    event(f"HTTP {response.status_code}")
    assert response.status_code != 500, response.text
    if response.status_code not in ACCEPTED_STATUSES:
        check_refused(board, before, response)
        return
    expected = typed(value)
    assert expected or not target.required
    if target.stored is None:
        return
    driver = board.drivers[target.stage]
    with board.app.app_context():
        assert expected in target.stored(driver.id)
        db.session.remove()
    if target.viewer and expected:
        page = driver.device(target.viewer).get(driver.url).text
        assert str(escape(expected)) in page


# ---- the forms outside a meeting: create, join, preparation read -----------------------


@FUZZ
@given(alias=TEXT, group=TEXT, when=st.one_of(TEXT, st.just(str(date.today()))), title=TEXT)
def test_creating_a_meeting_with_any_input_never_crashes(board, alias, group, when, title):
    before = board.snapshot()
    client = board.app.test_client()
    form = {"pupil_alias": alias, "group_name": group, "meeting_date": when, "title": title}
    response = client.post("/meetings", data=form)
    assert response.status_code != 500, response.text
    if response.status_code != 303:
        assert response.status_code == 422, response.text
        assert board.snapshot() == before
        return
    with board.app.app_context():
        meeting = db.session.execute(
            db.select(Meeting).order_by(Meeting.created_at.desc())
        ).scalars()
        assert typed(alias) in {m.pupil_alias for m in meeting}
        db.session.remove()
    page = client.get(response.headers["Location"], follow_redirects=True).text
    assert str(escape(typed(alias))) in page


@FUZZ
@given(name=TEXT)
def test_joining_with_any_name_never_crashes(board, name):
    driver = board.drivers[Stage.LOBBY]
    before = board.snapshot()
    client = board.app.test_client()
    response = client.post(f"/j/{driver.join_code}", data={"name": name})
    assert response.status_code != 500, response.text
    if response.status_code != 303:
        check_refused(board, before, response)
        return
    with board.app.app_context():
        assert typed_name(name) in column(Participant, "name")(driver.id)
        db.session.remove()
    page = driver.teacher.get(driver.url).text
    assert str(escape(typed_name(name))) in page


@FUZZ
@given(name=TEXT)
def test_marking_the_preparation_read_with_any_name_never_crashes(board, name):
    driver = board.drivers[Stage.PREPARING]
    before = board.snapshot()
    response = board.app.test_client().post(f"/p/{driver.prep_token}/read", data={"name": name})
    assert response.status_code != 500, response.text
    if response.status_code != 200:
        check_refused(board, before, response)
        return
    with board.app.app_context():
        assert typed_name(name) in column(PrepRead, "name")(driver.id)
        db.session.remove()


# ---- choices, ids, numbers and stages: wrong values and wrong types ---------------------

CHOICE_TARGETS = {
    "prep field": (Stage.PREPARING, "teacher", "/prep", lambda v: {"field": v, "value": "x"}),
    "timekeeper": (Stage.LOBBY, "teacher", "/timekeeper", lambda v: {"participant_id": v}),
    "start stage": (Stage.LOBBY, "teacher", "/start", lambda v: {"stage": v}),
    "next stage": (Stage.QUESTIONS, "teacher", "/next", lambda v: {"stage": v}),
    "previous stage": (Stage.GOAL, "teacher", "/previous", lambda v: {"stage": v}),
    "close stage": (Stage.GOAL, "teacher", "/close", lambda v: {"stage": v}),
    "timer stage": (Stage.NEEDS, "teacher", "/timer/start", lambda v: {"stage": v}),
    "goal field": (Stage.GOAL, "teacher", "/goal", lambda v: {"field": v, "value": "x"}),
    "need category": (
        Stage.NEEDS,
        "Anna",
        "/needs",
        lambda v: {"text": "rust", "category": v, "client_key": "c" + str(hash(v))},
    ),
    "need key": (
        Stage.NEEDS,
        "Anna",
        "/needs",
        lambda v: {"text": "rust", "category": "anders", "client_key": v},
    ),
    "need stage": (
        Stage.NEEDS,
        "Anna",
        "/needs",
        lambda v: {"text": "rust", "category": "anders", "client_key": "s", "stage": v},
    ),
    "feasibility": (
        Stage.FEASIBILITY,
        "teacher",
        "/needs/{card}/mark",
        lambda v: {"feasibility": v},
    ),
    "per week": (
        Stage.FEASIBILITY,
        "teacher",
        "/needs/{card}/mark",
        lambda v: {"feasibility": "feasible", "per_week": v},
    ),
    "subgroup": (
        Stage.FEASIBILITY,
        "teacher",
        "/needs/{card}/mark",
        lambda v: {"feasibility": "feasible", "subgroup": v},
    ),
    "support field": (
        Stage.FEASIBILITY,
        "teacher",
        "/support",
        lambda v: {"field": v, "value": "x"},
    ),
    "aside reason": (Stage.NEEDS, "teacher", "/needs/{card}/aside", lambda v: {"reason": v}),
    "aside original": (
        Stage.NEEDS,
        "teacher",
        "/needs/{card}/aside",
        lambda v: {"reason": "duplicate", "original": v},
    ),
    "agreement topic": (Stage.AGREEMENTS, "Anna", "/agreements", lambda v: {"topic": v}),
    "worth it": (Stage.YIELD, "Bram", "/vote", lambda v: {"worth_it": v}),
}
# Values that mean something real are left out: a valid choice is tested elsewhere.
VALID = {"", "reason", "text", "support_needs", "plan_note", "yes", "no", "feasible", "not_now"}
VALID |= {"discussion", "label", "duplicate"}
CHOICE = TEXT.filter(lambda v: v.strip() not in VALID and not v.strip().isdigit())


@pytest.mark.parametrize("name", CHOICE_TARGETS)
@FEW
@given(value=CHOICE)
def test_a_wrong_choice_is_refused_with_a_message_and_stores_nothing(board, name, value):
    stage, device, path, form = CHOICE_TARGETS[name]
    target = Target(stage, device, path, form)
    before = board.snapshot()
    response = send(board, target, form(value))
    if name in ("need key", "per week", "subgroup") and response.status_code == 204:
        return  # a usable key, number or empty subgroup: accepted, tested above
    check_refused(board, before, response)


PATH_TARGETS = {
    "answered": (Stage.QUESTIONS, "teacher", "/questions/{}/answered"),
    "adopt": (Stage.GOAL, "teacher", "/suggestions/{}/adopt"),
    "edit need": (Stage.NEEDS, "Bram", "/needs/{}"),
    "withdraw": (Stage.NEEDS, "Bram", "/needs/{}/withdraw"),
    "mark": (Stage.FEASIBILITY, "teacher", "/needs/{}/mark"),
    "set aside": (Stage.NEEDS, "teacher", "/needs/{}/aside"),
    "put back": (Stage.NEEDS, "teacher", "/needs/{}/back"),
    "edit agreement": (Stage.AGREEMENTS, "teacher", "/agreements/{}"),
    "remove agreement": (Stage.AGREEMENTS, "teacher", "/agreements/{}/remove"),
    "timer operation": (Stage.NEEDS, "teacher", "/timer/{}"),
}
# One path segment: "." and ".." are resolved before a request is made (by a browser too), and
# a "/" (sent as %2F, decoded by the server) makes another path, "/needs//mark" a redirect to
# "/needs/mark": none of those is a wrong id.
SEGMENT = TEXT.filter(
    lambda v: (
        v.strip()
        and not v.strip().isdigit()
        and len(v) < 2000
        and "/" not in v
        and v not in (".", "..")
    )
)


@pytest.mark.parametrize("name", PATH_TARGETS)
@FEW
@given(value=SEGMENT)
def test_a_wrong_id_in_the_address_is_refused_and_stores_nothing(board, name, value):
    stage, device, path = PATH_TARGETS[name]
    segment = quote(value, safe="")
    target = Target(stage, device, path.format(segment), lambda _: {})
    before = board.snapshot()
    response = send(board, target, {"text": "x", "category": "anders", "topic": "other"})
    check_refused(board, before, response)


# ---- raw bodies: invalid UTF-8, JSON, multipart, repeated keys, huge -------------------

POST_PATHS = {
    "create": (None, "teacher", "/meetings"),
    "prep": (Stage.PREPARING, "teacher", "/m/{id}/prep"),
    "open": (Stage.PREPARING, "screen", "/m/{id}/open"),
    "join": (Stage.LOBBY, "stranger", "/j/{code}"),
    "read": (Stage.LOBBY, "stranger", "/p/{prep}/read"),
    "timekeeper": (Stage.LOBBY, "teacher", "/m/{id}/timekeeper"),
    "question": (Stage.QUESTIONS, "Anna", "/m/{id}/questions"),
    "goal": (Stage.GOAL, "teacher", "/m/{id}/goal"),
    "suggestion": (Stage.GOAL, "Anna", "/m/{id}/suggestions"),
    "notes": (Stage.NEEDS, "teacher", "/m/{id}/notes"),
    "need": (Stage.NEEDS, "Anna", "/m/{id}/needs"),
    "need edit": (Stage.NEEDS, "Bram", "/m/{id}/needs/{card}"),
    "mark": (Stage.FEASIBILITY, "teacher", "/m/{id}/needs/{card}/mark"),
    "need check": (Stage.NEEDS, "Anna", "/m/{id}/needs/check"),
    "set aside": (Stage.NEEDS, "teacher", "/m/{id}/needs/{card}/aside"),
    "put back": (Stage.NEEDS, "teacher", "/m/{id}/needs/{card}/back"),
    "support": (Stage.FEASIBILITY, "teacher", "/m/{id}/support"),
    "agreement": (Stage.AGREEMENTS, "Anna", "/m/{id}/agreements"),
    "agreement edit": (Stage.AGREEMENTS, "teacher", "/m/{id}/agreements/{agreement}"),
    "vote": (Stage.YIELD, "Anna", "/m/{id}/vote"),
    "delete": (Stage.YIELD, "teacher", "/m/{id}/delete"),
    "evaluation date": (Stage.GOAL, "teacher", "/m/{id}/evaluation-date"),
    "evaluation": (Stage.YIELD, "teacher", "/m/{id}/evaluation"),
    "follow-up": (Stage.YIELD, "teacher", "/m/{id}/follow-up"),
}


def raw_post(board: Board, name: str, body: bytes, content_type: str):
    stage, device, path = POST_PATHS[name]
    driver = board.drivers[stage or Stage.LOBBY]
    ids = board.ids[stage or Stage.LOBBY]
    url = path.format(id=driver.id, code=driver.join_code, prep=driver.prep_token, **ids)
    client = driver.device(device)
    return client.post(url, data=body, content_type=content_type, headers=HTMX)


BODIES = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"text=%FF%FE%FD&value=%C0%AF&name=%ED%A0%80",
            b"text=\xff\xfe\x00&value=\xc3\x28&name=\x80",
            b"what=\xe2\x82&topic=pupil&text=ok&category=anders&client_key=\xf0\x9f",
            b"text=a&text=b&text=c&category=anders&category=instructie",
            b"text[]=a&text[x]=b&category[]=anders",
            b"%%%===&&&",
            b"name=" + b"A" * 100_000,
        ]
    ),
)
POST_FORM = "application/x-www-form-urlencoded"
CONTENT_TYPES = st.sampled_from(
    [
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=latin-1",
        "multipart/form-data; boundary=xyz",
        "multipart/form-data",
        "application/json",
        "text/plain",
    ]
)


@pytest.mark.parametrize("name", POST_PATHS)
@FEW
@given(body=BODIES, content_type=CONTENT_TYPES)
def test_a_raw_body_of_any_bytes_never_crashes(board, name, body, content_type):
    before = board.snapshot()
    response = raw_post(board, name, body, content_type)
    assert response.status_code != 500, response.text
    if response.status_code >= 400:
        check_refused(board, before, response)


@pytest.mark.parametrize("name", ["question", "need", "agreement", "vote", "join"])
@pytest.mark.parametrize(
    "body",
    [
        b'{"text": 5, "category": ["anders"], "what": null, "worth_it": true, "name": {}}',
        b"[1, 2, 3]",
        b'"just a string"',
    ],
)
def test_json_with_wrong_types_is_refused_with_a_message_and_stores_nothing(board, name, body):
    before = board.snapshot()
    response = raw_post(board, name, body, "application/json")
    check_refused(board, before, response)


def test_a_body_over_a_megabyte_is_refused_with_413_and_a_dutch_message(board):
    before = board.snapshot()
    response = raw_post(board, "question", b"text=" + b"x" * (2 * 1024 * 1024), POST_FORM)
    check_refused(board, before, response)
    assert response.status_code == 413
    assert "te veel tekst" in flash_text(response)


def test_the_fuzzing_covers_every_post_route_of_the_app(board):
    posted = {
        rule.rule
        for rule in board.app.url_map.iter_rules()
        if "POST" in rule.methods
        and rule.endpoint != "static"
        and rule.endpoint.split(".")[0] not in ("team", "cycle")  # tests/test_team_fuzz.py
    }
    covered = {
        "/meetings",
        "/p/<token>/read",
        "/j/<code>",
        "/m/<meeting_id>/prep",
        "/m/<meeting_id>/open",
        "/m/<meeting_id>/timekeeper",
        "/m/<meeting_id>/start",
        "/m/<meeting_id>/next",
        "/m/<meeting_id>/previous",
        "/m/<meeting_id>/timer/<operation>",
        "/m/<meeting_id>/close",
        "/m/<meeting_id>/questions",
        "/m/<meeting_id>/questions/<question_id>/answered",
        "/m/<meeting_id>/goal",
        "/m/<meeting_id>/suggestions",
        "/m/<meeting_id>/suggestions/<suggestion_id>/adopt",
        "/m/<meeting_id>/notes",
        "/m/<meeting_id>/needs",
        "/m/<meeting_id>/needs/<card_id>",
        "/m/<meeting_id>/needs/<card_id>/withdraw",
        "/m/<meeting_id>/needs/<card_id>/mark",
        "/m/<meeting_id>/needs/check",
        "/m/<meeting_id>/needs/<card_id>/aside",
        "/m/<meeting_id>/needs/<card_id>/back",
        "/m/<meeting_id>/support",
        "/m/<meeting_id>/agreements",
        "/m/<meeting_id>/agreements/<agreement_id>",
        "/m/<meeting_id>/agreements/<agreement_id>/remove",
        "/m/<meeting_id>/vote",
        "/m/<meeting_id>/delete",
        "/m/<meeting_id>/evaluation-date",
        "/m/<meeting_id>/evaluation",
        "/m/<meeting_id>/follow-up",
    }
    assert posted == covered
