"""Who may do what, and when: the permission table, checked through the real routes.

Every role × every stage × every command. What is expected is read from
board.domain.permissions.PERMISSIONS itself, so the table and the routes cannot drift apart.
Each stage is built once per module in its own database; a command that is allowed (and so
changes something) is followed by a restore of that database's rows.
"""

from dataclasses import dataclass, field
from datetime import datetime

import pytest
from conftest import HTMX, MeetingDriver, close_app, every_row, flash_text, put_back
from lxml import html as lxml_html

from board.domain.permissions import PERMISSIONS, Action, Role
from board.domain.steps import Stage
from board.extensions import db
from board.models import Agreement, GoalSuggestion, NeedCard, Question

NOTES_MARKER = "PRIVE-NOTITIE-VAN-DE-INBRENGER"
COLLEAGUE, TIMEKEEPER = "Bram", "Anna"
PEOPLE = {"colleague": COLLEAGUE, "timekeeper": TIMEKEEPER}

# Each device of the test, and the roles it holds in the meeting (None: it never joined).
DEVICE_ROLES: dict[str, frozenset[Role] | None] = {
    "teacher": frozenset({Role.TEACHER}),
    "colleague": frozenset({Role.COLLEAGUE}),
    "timekeeper": frozenset({Role.COLLEAGUE, Role.TIMEKEEPER}),
    "screen": frozenset({Role.SCREEN}),
    "stranger": None,
}
# Colleagues cannot join a meeting that is still being prepared.
DEVICES_WHILE_PREPARING = ("teacher", "screen", "stranger")


@dataclass(frozen=True)
class Command:
    """One command route, with form data that makes it succeed when it is allowed."""

    action: Action
    path: str  # after /m/<id>; {placeholders} name rows seeded in every meeting
    data: dict = field(default_factory=dict)
    method: str = "POST"


NEED = {"text": "korte instructie aan de instructietafel", "category": "instructie"}
AGREEMENT = {"topic": "parents", "what": "De inbrenger mailt de ouders vrijdag."}
COMMANDS: dict[str, Command] = {
    "edit_preparation": Command(
        Action.EDIT_PREPARATION, "/prep", {"field": "reason", "value": "Sinds de herfst"}
    ),
    "open_lobby": Command(Action.OPEN_LOBBY, "/open"),
    "assign_timekeeper": Command(
        Action.ASSIGN_TIMEKEEPER, "/timekeeper", {"participant_id": "{colleague}"}
    ),
    "start_meeting": Command(Action.START_MEETING, "/start"),
    "next_step": Command(Action.NEXT_STEP, "/next"),
    "previous_step": Command(Action.PREVIOUS_STEP, "/previous"),
    "timer_start": Command(Action.RUN_TIMER, "/timer/start"),
    "timer_pause": Command(Action.RUN_TIMER, "/timer/pause"),
    "timer_extend": Command(Action.RUN_TIMER, "/timer/extend"),
    "close_meeting": Command(Action.CLOSE_MEETING, "/close", {"confirm": "yes"}),
    "ask_question": Command(Action.ASK_QUESTION, "/questions", {"text": "Sinds wanneer?"}),
    "mark_question_answered": Command(
        Action.MARK_QUESTION_ANSWERED, "/questions/{question}/answered"
    ),
    "write_goal": Command(
        Action.WRITE_GOAL, "/goal", {"field": "text", "value": "Thomas zit vier minuten"}
    ),
    "suggest_goal": Command(
        Action.SUGGEST_GOAL, "/suggestions", {"text": "Op drie ochtenden per week"}
    ),
    "adopt_suggestion": Command(Action.ADOPT_SUGGESTION, "/suggestions/{suggestion}/adopt"),
    "write_notes": Command(Action.WRITE_NOTES, "/notes", {"value": "Let op de kring"}),
    "add_need": Command(Action.ADD_NEED, "/needs", {**NEED, "client_key": "perm-new"}),
    "edit_own_need": Command(
        Action.CHANGE_OWN_NEED,
        "/needs/{own_card}",
        {"text": "een vaste plek", "category": "anders"},
    ),
    "withdraw_own_need": Command(Action.CHANGE_OWN_NEED, "/needs/{own_card}/withdraw"),
    "set_aside_need_form": Command(Action.SET_ASIDE_NEED, "/needs/{card}/aside", method="GET"),
    "set_aside_need": Command(Action.SET_ASIDE_NEED, "/needs/{card}/aside", {"reason": "label"}),
    "put_back_need": Command(Action.SET_ASIDE_NEED, "/needs/{aside_card}/back"),
    "mark_need": Command(
        Action.MARK_NEED, "/needs/{card}/mark", {"feasibility": "feasible", "per_week": "3"}
    ),
    "write_support": Command(
        Action.WRITE_SUPPORT, "/support", {"field": "support_needs", "value": "Hulp van de IB'er"}
    ),
    "add_agreement": Command(Action.ADD_AGREEMENT, "/agreements", AGREEMENT),
    "edit_agreement": Command(
        Action.CHANGE_AGREEMENT, "/agreements/{agreement}", {**AGREEMENT, "what": "Bellen"}
    ),
    "remove_agreement": Command(Action.CHANGE_AGREEMENT, "/agreements/{agreement}/remove"),
    "vote": Command(Action.VOTE, "/vote", {"worth_it": "yes", "why": "Concreet doel"}),
    "view_summary": Command(Action.VIEW_SUMMARY, "/summary", method="GET"),
    "delete_meeting": Command(Action.DELETE_MEETING, "/delete", {"confirm": "Thomas"}),
    "set_evaluation_date": Command(
        Action.SET_EVALUATION_DATE, "/evaluation-date", {"value": "2099-01-15"}
    ),
    "evaluate_goal": Command(
        Action.EVALUATE_GOAL, "/evaluation", {"result": "reached", "worked": "Een timer"}
    ),
    "start_follow_up": Command(Action.START_FOLLOW_UP, "/follow-up"),
    # The team space: the teacher's page about her meeting's team, taking it out, sharing.
    "team_page": Command(Action.LEAVE_TEAM, "/team", method="GET"),
    "leave_team": Command(Action.LEAVE_TEAM, "/team/los"),
    "share_with_team": Command(Action.SHARE_WITH_TEAM, "/team/delen", {"shared": "1"}),
}


def expected_status(device: str, stage: Stage, action: Action) -> int:
    """200 when the table allows it, 403 when the role never may, 409 when not in this stage."""
    roles = DEVICE_ROLES[device]
    if roles is None:
        return 403
    rules = PERMISSIONS[action]
    stages = frozenset().union(*(rules.get(role, frozenset()) for role in roles))
    if stage in stages:
        return 200
    return 409 if stages else 403


def devices_in(stage: Stage) -> tuple[str, ...]:
    return DEVICES_WHILE_PREPARING if stage is Stage.PREPARING else tuple(DEVICE_ROLES)


def cases(status: int) -> list:
    return [
        pytest.param(stage, device, name, id=f"{stage}-{device}-{name}")
        for stage in Stage
        for device in devices_in(stage)
        for name, command in COMMANDS.items()
        if expected_status(device, stage, command.action) == status
    ]


@dataclass
class StageBoard:
    """One meeting in one stage, in a database of its own that can be put back as it was."""

    app: object
    driver: MeetingDriver
    ids: dict
    pristine: dict = field(default_factory=dict)

    def snapshot(self) -> dict:
        """Every committed row of every table."""
        return every_row(self.app)

    def client(self, device: str):
        return self.driver.device(PEOPLE.get(device, device))

    def send(self, device: str, command: Command):
        client = self.client(device)
        own_card = self.ids["anna_card"] if device == "timekeeper" else self.ids["bram_card"]
        path = self.driver.url + command.path.format(own_card=own_card, **self.ids)
        if command.method == "GET":
            return client.get(path, headers=HTMX)
        data = {key: value.format(**self.ids) for key, value in command.data.items()}
        return client.post(path, data=data, headers=HTMX)

    def save(self) -> None:
        """Keep the rows as they are now; every test starts from this state."""
        self.pristine = self.snapshot()

    def restore(self) -> None:
        put_back(self.app, self.pristine)
        # Deleting the meeting made the teacher's device forget it; the link brings it back.
        self.driver.teacher.get(f"/t/{self.driver.teacher_token}")

    def unchanged(self) -> bool:
        """Whether the database is still as saved; if not, put it back for the next test."""
        if self.snapshot() == self.pristine:
            return True
        self.restore()
        return False


def walk_to(driver: MeetingDriver, stage: Stage) -> None:
    """Bring a fresh meeting to the stage through the routes, as the people in the room would."""
    if stage is Stage.PREPARING:
        return
    driver.open_lobby()
    driver.join(TIMEKEEPER)
    driver.join(COLLEAGUE)
    driver.make_timekeeper(TIMEKEEPER)
    if stage.step is not None:
        driver.go_to(stage.step.number)
    if stage is Stage.CLOSED:
        driver.go_to(7)
        assert driver.post("teacher", "/close", {"confirm": "yes"}).status_code == 204


def seed(driver: MeetingDriver) -> dict:
    """A question, a suggestion, a card from each colleague (and one set aside) and an
    agreement, in any stage."""
    with driver.app.app_context():
        meeting = driver.meeting()
        people = {p.name: p.id for p in meeting.participants}
        teacher = next(p.id for p in meeting.participants if p.role == Role.TEACHER)
        anna, bram = people.get(TIMEKEEPER, teacher), people.get(COLLEAGUE, teacher)
        now = datetime(2025, 1, 1)
        question = Question(author_id=bram, text="Hoe lang duurt de kring?", created_at=now)
        suggestion = GoalSuggestion(author_id=bram, text="Vier minuten zitten", created_at=now)
        anna_card = NeedCard(author_id=anna, client_key="a1", created_at=now, **NEED)
        bram_card = NeedCard(author_id=bram, client_key="b1", created_at=now, **NEED)
        aside_card = NeedCard(
            author_id=bram, client_key="b2", created_at=now, aside_reason="discussion", **NEED
        )
        agreement = Agreement(author_id=bram, created_at=now, **AGREEMENT)
        meeting.questions.append(question)
        meeting.suggestions.append(suggestion)
        meeting.needs.extend([anna_card, bram_card, aside_card])
        meeting.agreements.append(agreement)
        meeting.teacher_notes = NOTES_MARKER
        db.session.commit()
        return {
            "colleague": bram,
            "question": question.id,
            "suggestion": suggestion.id,
            "anna_card": anna_card.id,
            "bram_card": bram_card.id,
            "aside_card": aside_card.id,
            "card": bram_card.id,
            "agreement": agreement.id,
        }


@pytest.fixture(scope="module")
def boards(databases) -> dict[Stage, StageBoard]:
    """One meeting per stage, each in its own database, with its rows kept to restore from."""
    built = {}
    for stage in Stage:
        app = databases.app()
        driver = MeetingDriver(app)
        walk_to(driver, stage)
        board = StageBoard(app, driver, seed(driver))
        board.save()
        built[stage] = board
    yield built
    for board in built.values():
        close_app(board.app)


def test_every_action_in_the_table_has_a_command_route():
    assert {command.action for command in COMMANDS.values()} == set(Action) == set(PERMISSIONS)


def test_each_stage_board_is_in_its_stage(boards):
    for stage, board in boards.items():
        with board.app.app_context():
            assert board.driver.meeting().stage == stage.value


@pytest.mark.parametrize(("stage", "device", "name"), cases(200))
def test_a_command_the_table_allows_works(boards, stage, device, name):
    board, command = boards[stage], COMMANDS[name]
    response = board.send(device, command)
    # a plain form (the evaluation, the follow-up) goes on to the next page with 303
    assert 200 <= response.status_code < 300 or response.status_code == 303, response.text
    assert board.unchanged() is (command.method == "GET")


@pytest.mark.parametrize(("stage", "device", "name"), cases(403))
def test_a_role_that_may_never_do_it_gets_403_and_nothing_is_stored(boards, stage, device, name):
    board = boards[stage]
    response = board.send(device, COMMANDS[name])
    assert board.unchanged()
    assert response.status_code == 403, response.text
    assert response.headers["HX-Retarget"] == "#flash"
    assert flash_text(response)


@pytest.mark.parametrize(("stage", "device", "name"), cases(409))
def test_a_command_in_the_wrong_stage_gets_409_and_nothing_is_stored(boards, stage, device, name):
    board = boards[stage]
    response = board.send(device, COMMANDS[name])
    assert board.unchanged()
    assert response.status_code == 409, response.text
    assert response.headers["HX-Retarget"] == "#flash"
    message = flash_text(response)
    assert message
    if stage is Stage.CLOSED:
        assert "afgesloten" in message


def page_cases(*audiences: str) -> list:
    return [
        pytest.param(stage, audience, id=f"{stage}-{audience}")
        for stage in Stage
        for audience in audiences
        if not (stage is Stage.PREPARING and audience == "colleague")
    ]


def board_page(board: StageBoard, audience: str):
    return board.client(audience).get(board.driver.url)


@pytest.mark.parametrize(("stage", "audience"), page_cases("teacher", "colleague", "screen"))
def test_every_stage_page_renders_for_every_audience(boards, stage, audience):
    response = board_page(boards[stage], audience)
    assert response.status_code == 200, response.text
    body = lxml_html.fromstring(response.text).find("body")
    assert body.get("data-audience") == audience
    assert f'data-stage="{stage.value}"' in response.text


def posts_to(page: str, suffix: str) -> list[str]:
    """The targets of every form on the page that posts to a URL ending in suffix."""
    tree = lxml_html.fromstring(page)
    targets = [form.get("hx-post") or form.get("action") or "" for form in tree.iter("form")]
    return [target for target in targets if target.endswith(suffix)]


def test_in_step_4_the_teacher_gets_no_need_form_and_a_colleague_does(boards):
    board = boards[Stage.NEEDS]
    teacher_page = board_page(board, "teacher").text
    colleague_page = board_page(board, "colleague").text
    assert posts_to(teacher_page, "/needs") == []
    assert posts_to(colleague_page, "/needs") == [f"{board.driver.url}/needs"]


@pytest.mark.parametrize(("stage", "audience"), page_cases("colleague", "screen"))
def test_teacher_notes_never_reach_a_colleague_or_the_screen(boards, stage, audience):
    board = boards[stage]
    client = board.client(audience)
    for path in ("", "/live"):
        response = client.get(board.driver.url + path)
        assert response.status_code == 200
        assert NOTES_MARKER not in response.text


def test_the_teacher_does_see_their_own_notes(boards):
    assert NOTES_MARKER in board_page(boards[Stage.EXPLAIN], "teacher").text


@pytest.mark.parametrize(("stage", "audience"), page_cases("colleague", "screen"))
def test_secret_links_never_reach_a_colleague_or_the_screen(boards, stage, audience):
    board = boards[stage]
    client = board.client(audience)
    for path in ("", "/live"):
        page = client.get(board.driver.url + path).text
        assert board.driver.teacher_token not in page
        if audience == "colleague":
            assert board.driver.screen_token not in page


@pytest.mark.parametrize("stage", list(Stage), ids=str)
def test_a_stranger_never_sees_the_board(boards, stage):
    board = boards[stage]
    response = board.driver.device("stranger").get(board.driver.url)
    assert response.status_code == 403
    assert board.driver.join_code not in response.text
    assert board.driver.device("stranger").get(board.driver.url + "/live").status_code == 403


def test_the_meetings_version_header_follows_a_command(boards):
    board = boards[Stage.EXPLAIN]
    response = board.send("teacher", COMMANDS["timer_extend"])
    with board.app.app_context():
        version = board.driver.meeting().version
    assert board.unchanged() is False
    assert response.headers["X-Board-Version"] == str(version)
