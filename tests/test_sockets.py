"""Live updates over Socket.IO: who may connect, who hears what, and how a device catches up."""

import json
import re
import time

import pytest
import sqlalchemy
from conftest import HTMX, MeetingDriver
from flask import render_template

from board.audience import Audience
from board.extensions import db, socketio
from board.models import NeedCard
from board.regions import REGISTRY, same_for_all
from board.views import can_for

ORIGIN = {"Origin": "http://board.test"}
DEVICES = ("teacher", "Anna", "Bram", "screen")
OTHERS = ("Anna", "Bram", "screen")
NOTE = "Thomas lijkt moe na de gymles"


def version_of(app, driver: MeetingDriver) -> int:
    with app.app_context():
        version = driver.meeting().version
        db.session.remove()
    return version


def connect(app, flask_client, auth, headers=ORIGIN):
    """A board page's socket, carrying that device's cookie."""
    return socketio.test_client(app, flask_test_client=flask_client, auth=auth, headers=headers)


def connect_device(app, driver: MeetingDriver, who: str, version: int | None = None):
    seen = version_of(app, driver) if version is None else version
    return connect(app, driver.device(who), {"meeting": driver.id, "version": seen})


def received(socket) -> list[tuple[str, dict]]:
    """Drain what the server sent: (event name, payload) pairs."""
    return [(event["name"], event["args"][0]) for event in socket.get_received()]


def pushes(socket) -> list[dict]:
    """Drain and check that everything received was a 'regions' push; return the payloads."""
    events = received(socket)
    assert [name for name, _ in events] == ["regions"] * len(events)
    return [payload for _, payload in events]


def only_push(socket) -> dict:
    payloads = pushes(socket)
    assert len(payloads) == 1, payloads
    return payloads[0]


def data_stage(html: str) -> str:
    return re.search(r'data-stage="([^"]+)"', html).group(1)


@pytest.fixture
def sockets(app, meeting):
    """Every device of the meeting connected and welcomed: teacher, Anna, Bram, the screen."""
    connected = {who: connect_device(app, meeting, who) for who in DEVICES}
    for socket in connected.values():
        assert [name for name, _ in received(socket)] == ["welcome"]
    yield connected
    for socket in connected.values():
        if socket.is_connected():
            socket.disconnect()


@pytest.fixture
def other(app):
    """A second meeting in the lobby, side by side with the first, with its own colleague."""
    driver = MeetingDriver(app)
    driver.open_lobby()
    driver.join("Cas")
    return driver


# ---- connecting -------------------------------------------------------------------------


def test_every_joined_device_is_welcomed_with_the_current_version(app, meeting):
    current = version_of(app, meeting)
    for who in DEVICES:
        socket = connect_device(app, meeting, who, version=current)
        assert socket.is_connected(), who
        [(name, welcome)] = received(socket)
        assert name == "welcome"
        assert welcome["version"] == current
        assert welcome["stale"] is False
        assert abs(welcome["server_time"] - time.time()) < 5


def test_a_device_that_reconnects_behind_is_told_to_resync(app, meeting):
    seen = version_of(app, meeting)
    meeting.make_timekeeper("Anna")  # a change while Bram's phone was offline
    socket = connect_device(app, meeting, "Bram", version=seen)
    [(name, welcome)] = received(socket)
    assert name == "welcome"
    assert welcome["stale"] is True
    assert welcome["version"] == seen + 1

    for version in (None, "7", 1.5):  # no usable version: resync to be safe
        socket = connect(app, meeting.device("Anna"), {"meeting": meeting.id, "version": version})
        [(_, welcome)] = received(socket)
        assert welcome["stale"] is True, version


def test_resync_fetches_the_stage_region_at_the_current_version(app, meeting):
    meeting.make_timekeeper("Anna")
    current = str(version_of(app, meeting))
    for who in DEVICES:
        response = meeting.device(who).get(f"{meeting.url}/live")
        assert response.status_code == 200, who
        assert response.headers["X-Board-Version"] == current, who
        assert response.text.lstrip().startswith('<main id="stage"'), who
        assert data_stage(response.text) == "lobby", who


def test_a_device_that_did_not_join_can_neither_connect_nor_resync(app, meeting):
    stranger = meeting.device("stranger")  # a fresh client: no cookie at all

    socket = connect(app, stranger, {"meeting": meeting.id, "version": 0})
    response = stranger.get(f"{meeting.url}/live")

    assert not socket.is_connected()
    assert response.status_code == 403
    assert "X-Board-Version" not in response.headers


def test_a_device_of_another_meeting_cannot_connect(app, meeting, other):
    cas = other.device("Cas")
    socket = connect(app, cas, {"meeting": meeting.id, "version": 0})
    assert not socket.is_connected()
    assert connect(app, cas, {"meeting": other.id, "version": 0}).is_connected()


def test_a_page_from_another_origin_cannot_connect(app, meeting):
    auth = {"meeting": meeting.id, "version": 0}
    foreign = (
        "http://evil.example",
        "http://board.test.evil.example",
        "http://board.test:8080",
        "null",
        "",
    )
    for origin in foreign:
        socket = connect(app, meeting.device("Anna"), auth, headers={"Origin": origin})
        assert not socket.is_connected(), origin
    assert not connect(app, meeting.device("Anna"), auth, headers={}).is_connected()


def test_a_connect_with_garbage_auth_is_refused(app, meeting):
    garbage = (None, "garbage", ["meeting"], {}, {"meeting": "no-such-meeting", "version": 0})
    for auth in garbage:
        assert not connect(app, meeting.device("Anna"), auth).is_connected(), auth


# ---- pushes after a command -------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "path", "data", "head", "into", "text"),
    [
        (
            2,
            "/questions",
            {"text": "Sinds wanneer speelt dit?"},
            "questions_head",
            "question-list",
            "Sinds wanneer",
        ),
        (
            4,
            "/needs",
            {"text": "korte instructie aan de instructietafel", "category": "instructie"},
            "needs_head",
            "need-list-instructie",
            "korte instructie aan de instructietafel",
        ),
    ],
    ids=["question-in-step-2", "need-in-step-4"],
)
def test_a_colleagues_card_reaches_every_audience_once_with_the_next_version(
    app, meeting, sockets, step, path, data, head, into, text
):
    meeting.go_to(step)
    for socket in sockets.values():
        pushes(socket)
    before = version_of(app, meeting)

    response = meeting.post("Bram", path, {**data, "client_key": "bram-1"})

    assert response.status_code == 204, response.text
    assert response.headers["X-Board-Version"] == str(before + 1)
    for who, socket in sockets.items():
        payload = only_push(socket)
        assert payload["version"] == before + 1, who
        # The card alone, appended to its list, and the header with the new count.
        [(list_id, card)] = payload["append"]
        assert (list_id, text in card, card.count("<li")) == (into, True, 1), who
        assert list(payload["regions"]) == [head], who
        assert "(1)" in payload["regions"][head], who


@pytest.mark.parametrize(
    ("step", "path", "data", "key"),
    [
        (2, "/questions", {}, "q"),
        (4, "/needs", {"category": "feedback"}, "n"),
    ],
    ids=["questions", "needs"],
)
def test_a_push_for_a_new_card_stays_small_however_many_cards_there_are(
    app, meeting, sockets, step, path, data, key
):
    meeting.go_to(step)
    for number in range(25):
        card = {**data, "text": f"kaartje nummer {number:02d}", "client_key": f"{key}{number}"}
        assert meeting.post("Anna", path, card).status_code == 204
    pushes(sockets["screen"])

    last = {**data, "text": "het laatste kaartje", "client_key": f"{key}-last"}
    assert meeting.post("Bram", path, last).status_code == 204

    payload = only_push(sockets["screen"])
    assert "het laatste kaartje" in json.dumps(payload)
    assert "kaartje nummer" not in json.dumps(payload)  # no earlier card is sent again
    assert "(26)" in "".join(payload["regions"].values())


@pytest.mark.parametrize("step", [2, 4])
def test_a_region_rendered_once_for_every_audience_is_the_same_for_each(app, meeting, step):
    """Regions the registry renders once per language are the same for every audience."""
    meeting.go_to(step)
    meeting.post("Anna", "/questions", {"text": "Sinds wanneer?"})
    meeting.post("Anna", "/needs", {"text": "rust", "category": "instructie", "client_key": "a"})
    with app.test_request_context():
        now, stage = time.time(), meeting.meeting().current_stage
        for region in (r for r in REGISTRY if r.variant is same_for_all):
            context = region.build(meeting.meeting(), now)
            renders = {
                render_template(region.template, can=can_for(audience, stage), **context)
                for audience in Audience
            }
            assert len(renders) == 1, region


@pytest.mark.parametrize("who", ["teacher", "Anna", "screen"])
def test_a_pushed_card_is_the_card_the_page_shows_in_its_list(app, meeting, sockets, who):
    meeting.go_to(4)
    for socket in sockets.values():
        pushes(socket)
    # A label, so colleagues' copies carry the nudge that only the author sees.
    card = {"text": "een maatje naast zich, want ADHD", "category": "groepsgenoten"}
    assert meeting.post("Bram", "/needs", {**card, "client_key": "b1"}).status_code == 204

    [(list_id, html)] = only_push(sockets[who])["append"]
    assert ("etiket" in html) is (who == "Anna")
    page = meeting.device(who).get(meeting.url).text
    item = re.search(r'<li class="card-item need[^"]*".*?</li>', page, re.S).group(0)
    assert f'id="{list_id}"' in page
    assert html.strip() == item.strip()


def test_every_command_bumps_the_version_by_exactly_one(app, meeting, sockets):
    start = version_of(app, meeting)
    meeting.make_timekeeper("Anna")
    meeting.post("Anna", "/start")
    meeting.post("Anna", "/timer/pause")
    meeting.post("Anna", "/next")
    meeting.post("Bram", "/questions", {"text": "Wat werkt al wel?"})
    expected = [start + n for n in range(1, 6)]
    for who, socket in sockets.items():
        assert [payload["version"] for payload in pushes(socket)] == expected, who
    assert version_of(app, meeting) == expected[-1]


def test_a_resent_card_or_a_refused_command_pushes_nothing(app, meeting, sockets):
    meeting.go_to(4)
    card = {"text": "een vaste plek", "category": "instructie", "client_key": "anna-1"}
    assert meeting.post("Anna", "/needs", card).status_code == 204
    for socket in sockets.values():
        pushes(socket)
    before = version_of(app, meeting)

    assert meeting.post("Anna", "/needs", card).status_code == 204  # the same card, resent
    assert meeting.post("teacher", "/needs", {**card, "client_key": "t-1"}).status_code == 403

    for who, socket in sockets.items():
        assert pushes(socket) == [], who
    assert version_of(app, meeting) == before


def test_every_step_change_pushes_the_new_stage_to_all_three_audiences(app, meeting, sockets):
    for step in range(1, 8):
        meeting.go_to(step)
        for who, socket in sockets.items():
            assert data_stage(only_push(socket)["regions"]["stage"]) == f"step{step}", who

    meeting.go_to(6)
    for who, socket in sockets.items():
        assert data_stage(only_push(socket)["regions"]["stage"]) == "step6", who

    assert meeting.post("teacher", "/close", {"confirm": "yes"}).status_code == 204
    for who, socket in sockets.items():
        assert data_stage(only_push(socket)["regions"]["stage"]) == "closed", who


# ---- rooms: per meeting and per audience ------------------------------------------------


def test_a_change_in_one_meeting_reaches_no_device_of_another(app, meeting, sockets, other):
    others = {who: connect_device(app, other, who) for who in ("teacher", "Cas", "screen")}
    for socket in others.values():
        received(socket)

    meeting.make_timekeeper("Anna")
    meeting.go_to(2)
    meeting.post("Bram", "/questions", {"text": "Hoe gaat het thuis?"})

    for who, socket in others.items():
        assert received(socket) == [], who
    for who, socket in sockets.items():
        assert len(pushes(socket)) == 4, who

    other.go_to(1)

    for who, socket in others.items():
        assert data_stage(only_push(socket)["regions"]["stage"]) == "step1", who
    for who, socket in sockets.items():
        assert received(socket) == [], who


def test_deleting_a_meeting_sends_its_devices_away_and_no_one_else(app, meeting, sockets, other):
    cas = connect_device(app, other, "Cas")
    received(cas)

    response = meeting.post("teacher", "/delete", {"confirm": "Thomas"})

    assert response.status_code == 204, response.text
    for who, socket in sockets.items():
        assert received(socket) == [("deleted", {})], who
    assert received(cas) == []


def test_the_teachers_private_notes_reach_no_colleague_or_screen(app, meeting, sockets):
    meeting.go_to(1)
    saved = meeting.post("teacher", "/notes", {"value": NOTE})
    assert saved.status_code == 200, saved.text
    for step in (2, 3, 4, 5, 4):
        meeting.go_to(step)

    teacher_text = json.dumps(pushes(sockets["teacher"]))
    assert NOTE in teacher_text  # the teacher's own stage shows the notes, so the check bites
    for who in OTHERS:
        assert NOTE not in json.dumps(received(sockets[who])), who


def test_private_notes_still_tell_every_audience_the_new_version(app, meeting, sockets):
    """A version nobody hears of looks like a missed push: every device would resync."""
    meeting.go_to(4)
    for socket in sockets.values():
        pushes(socket)
    before = version_of(app, meeting)

    assert meeting.post("teacher", "/notes", {"value": NOTE}).status_code == 200

    assert version_of(app, meeting) == before + 1
    for who in OTHERS:
        payload = only_push(sockets[who])
        assert payload["version"] == before + 1, who
        assert NOTE not in json.dumps(payload), who


def test_the_teachers_notes_reach_her_other_devices(app, meeting, sockets):
    """Her laptop and tablet show each other's saves (a push never wipes what she typed)."""
    meeting.go_to(4)
    pushes(sockets["teacher"])

    assert meeting.post("teacher", "/notes", {"value": NOTE}).status_code == 200

    payload = only_push(sockets["teacher"])
    assert list(payload["regions"]) == ["notes"]
    assert NOTE in payload["regions"]["notes"]


def test_secret_links_never_reach_a_colleague_or_the_screen(app, meeting, sockets):
    secrets = (meeting.teacher_token, meeting.screen_token)
    meeting.join("Cas")  # pushes the participants
    meeting.make_timekeeper("Anna")  # pushes the lobby stage, with the links for the teacher
    meeting.post("teacher", "/notes", {"value": NOTE})
    for step in range(1, 8):
        meeting.go_to(step)
    meeting.post("teacher", "/close", {"confirm": "yes"})

    teacher_text = json.dumps(pushes(sockets["teacher"]))
    assert all(secret in teacher_text for secret in secrets)
    for who in OTHERS:
        text = json.dumps(received(sockets[who]))
        assert all(secret not in text for secret in secrets), who


def test_opening_the_lobby_shows_the_screen_no_secret_link(app):
    driver = MeetingDriver(app)  # still preparing: only the teacher and the screen are in
    teacher = connect_device(app, driver, "teacher")
    screen = connect_device(app, driver, "screen")
    received(teacher)
    received(screen)

    driver.open_lobby()

    teacher_stage = only_push(teacher)["regions"]["stage"]
    screen_stage = only_push(screen)["regions"]["stage"]
    assert data_stage(teacher_stage) == data_stage(screen_stage) == "lobby"
    assert driver.teacher_token in teacher_stage
    assert driver.teacher_token not in screen_stage
    assert driver.screen_token not in screen_stage
    assert f"{driver.join_code[:3]} {driver.join_code[3:]}" in screen_stage


def test_who_read_the_preparation_is_pushed_to_the_teacher_only(app, meeting, sockets):
    before = version_of(app, meeting)

    response = meeting.device("stranger").post(
        f"/p/{meeting.prep_token}/read", data={"name": "Dirk"}
    )

    assert response.status_code == 200
    assert "Dirk" in only_push(sockets["teacher"])["regions"]["prep_reads"]
    for who in OTHERS:
        assert only_push(sockets[who]) == {"version": before + 1, "regions": {}}, who


def test_the_timekeeper_gets_the_same_fragment_as_every_colleague(app, meeting, sockets):
    meeting.make_timekeeper("Anna")
    assert meeting.post("Anna", "/start").status_code == 204
    assert meeting.post("Anna", "/next").status_code == 204
    assert meeting.post("Bram", "/questions", {"text": "Wie helpt hem nu?"}).status_code == 204

    anna, bram = pushes(sockets["Anna"]), pushes(sockets["Bram"])

    assert len(anna) == 4
    assert anna == bram
    keeper = f'data-timekeeper="{meeting.participant_id("Anna")}"'
    stages = [payload["regions"]["stage"] for payload in anna if "stage" in payload["regions"]]
    assert len(stages) == 3
    assert all(keeper in stage for stage in stages)


def test_a_form_pushed_to_a_colleague_is_accepted_from_that_colleague(app, meeting, sockets):
    """The pushed need form, posted by Anna as htmx would: her page's header and its fields."""
    meeting.go_to(3)
    page = meeting.device("Anna").get(meeting.url).text
    own_token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    pushes(sockets["Anna"])
    meeting.go_to(4)  # the teacher moves on: the push is rendered in the teacher's request
    stage = only_push(sockets["Anna"])["regions"]["stage"]
    form = stage[stage.index("need-form") :]
    fields = dict(re.findall(r'type="hidden" name="(csrf_token|stage)" value="([^"]*)"', form))
    app.config["WTF_CSRF_ENABLED"] = True

    response = meeting.device("Anna").post(
        f"{meeting.url}/needs",
        data={**fields, "text": "een maatje", "category": "instructie", "client_key": "a-1"},
        headers={**HTMX, "X-CSRFToken": own_token},
    )

    assert response.status_code == 204, response.text


def test_adding_a_card_reads_no_other_card_from_the_database(app, meeting, sockets):
    """The work per new card stays the same with 1 or 40 cards: no list is loaded or sent."""
    meeting.go_to(4)
    for number in range(40):
        card = {"text": f"kaartje {number}", "category": "feedback", "client_key": f"k{number}"}
        assert meeting.post("Anna", "/needs", card).status_code == 204
    pushes(sockets["screen"])
    loaded: list[NeedCard] = []
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    def on_load(card, context):
        loaded.append(card)

    sqlalchemy.event.listen(NeedCard, "load", on_load)
    with app.app_context():
        sqlalchemy.event.listen(db.engine, "before_cursor_execute", record)
    try:
        card = {"text": "nummer 41", "category": "feedback", "client_key": "k40"}
        assert meeting.post("Bram", "/needs", card).status_code == 204
    finally:
        sqlalchemy.event.remove(NeedCard, "load", on_load)
        with app.app_context():
            sqlalchemy.event.remove(db.engine, "before_cursor_execute", record)

    assert loaded == []
    print(*statements, sep="\n")
    # The device and meeting, the client key, the cap's count, the insert, the version, the
    # count for the header.
    assert len(statements) <= 6, statements
    assert "nummer 41" in json.dumps(only_push(sockets["screen"]))


def test_a_marked_card_goes_alone_to_every_device_in_its_audience_s_form(app, meeting, sockets):
    """Marking one need in step 5 swaps that card on every screen: the teacher's copy with its
    marking form, the others' with the badge; no other card and no list is sent again."""
    meeting.go_to(4)
    for number in range(5):
        card = {
            "text": f"kaartje nummer {number}",
            "category": "feedback",
            "client_key": f"m{number}",
        }
        assert meeting.post("Anna", "/needs", card).status_code == 204
    meeting.go_to(5)
    with app.app_context():
        marked = db.session.execute(
            db.select(NeedCard).where(NeedCard.text == "kaartje nummer 3")
        ).scalar_one()
        card_id = marked.id
        db.session.remove()
    for socket in sockets.values():
        pushes(socket)

    answer = meeting.post("teacher", f"/needs/{card_id}/mark", {"feasibility": "feasible"})
    assert answer.status_code in (200, 204)

    for who, socket in sockets.items():
        payload = only_push(socket)
        assert list(payload["regions"]) == [f"need-{card_id}"], who
        html = payload["regions"][f"need-{card_id}"]
        assert html.startswith('<li class="card-item need is-feasible"'), who
        assert "kaartje nummer 3" in html and "kaartje nummer 2" not in html, who
        assert ('name="feasibility"' in html) is (who == "teacher"), who
        assert ("haalbaar" in html) is (who != "teacher"), who


def test_an_answered_question_goes_alone_to_every_device(app, meeting, sockets):
    meeting.go_to(2)
    for number in range(3):
        assert meeting.post("Anna", "/questions", {"text": f"vraag {number}"}).status_code == 204
    with app.app_context():
        question_id = meeting.meeting().questions[1].id
        db.session.remove()
    for socket in sockets.values():
        pushes(socket)

    assert meeting.post("teacher", f"/questions/{question_id}/answered").status_code == 204

    for who, socket in sockets.items():
        payload = only_push(socket)
        assert list(payload["regions"]) == [f"question-{question_id}"], who
        html = payload["regions"][f"question-{question_id}"]
        assert "answered" in html.split(">", 1)[0] and "vraag 1" in html, who
        assert "vraag 0" not in html and "vraag 2" not in html, who


BINARY_OR_NOT = [
    ["regions", {"version": 3, "regions": {"needs": "<ul>…</ul>"}, "append": [["a", "b"]]}],
    ["deleted", {}],
    [None, 1, 2.5, True, "tekst"],
    [b"x"],
    ["regions", {"a": [1, {"b": bytearray(b"x")}]}],
    {"nested": [[[], {}], [{"deep": [None, 0]}]]},
    {"bytes": [[[b""]]]},
]


@pytest.mark.parametrize("data", BINARY_OR_NOT)
def test_the_server_packet_finds_binary_data_where_socketios_own_does(app, data):
    from socketio.packet import Packet

    packet_class = socketio.server.packet_class
    assert packet_class is not Packet and issubclass(packet_class, Packet)
    assert packet_class.data_is_binary(data) is Packet.data_is_binary(data)
    assert packet_class(data=data).encode() == Packet(data=data).encode()
