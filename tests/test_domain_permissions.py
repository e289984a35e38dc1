"""Who may do what, and when: the one permission table, and the method's key rules."""

import itertools

import pytest

from board.domain.errors import DomainError, Forbidden, MeetingClosed, WrongStage
from board.domain.permissions import PERMISSIONS, Action, Role, check, may
from board.domain.steps import STEP_STAGES, Stage

TEACHER, COLLEAGUE, TIMEKEEPER, SCREEN = Role.TEACHER, Role.COLLEAGUE, Role.TIMEKEEPER, Role.SCREEN

DEVICES = {
    "teacher": (TEACHER,),
    "colleague": (COLLEAGUE,),
    "colleague+timekeeper": (COLLEAGUE, TIMEKEEPER),
    "teacher+timekeeper": (TEACHER, TIMEKEEPER),
    "screen": (SCREEN,),
}

# Words nearly every Dutch sentence has; an English message would have none of them.
DUTCH_WORDS = {"de", "het", "een", "je", "niet", "niets", "kan", "mag", "is", "in", "dat", "geen"}


def refusal_for(roles, stage, action):
    """What the table says: None when allowed, else the error class that must be raised."""
    rules = PERMISSIONS[action]
    if not any(role in rules for role in roles):
        return Forbidden
    if any(stage in rules.get(role, ()) for role in roles):
        return None
    return MeetingClosed if stage is Stage.CLOSED else WrongStage


def outcome(roles, stage, action):
    """What check() does: None when it passes, else the class of the clear refusal it raised."""
    try:
        check(roles, stage, action)
    except DomainError as error:
        assert error.status == (403 if type(error) is Forbidden else 409)
        assert error.message.strip()
        assert str(error) == error.message
        words = set(error.message.lower().replace(";", " ").replace(":", " ").split())
        assert DUTCH_WORDS & words, error.message
        return type(error)
    return None


def test_the_table_has_a_rule_for_every_action():
    assert set(PERMISSIONS) == set(Action)


@pytest.mark.parametrize(
    ("action", "device"),
    list(itertools.product(Action, DEVICES)),
    ids=lambda value: str(value),
)
def test_check_allows_exactly_what_the_table_allows_in_every_stage(action, device):
    roles = DEVICES[device]
    expected = {stage: refusal_for(roles, stage, action) for stage in Stage}

    actual = {stage: outcome(roles, stage, action) for stage in Stage}

    assert actual == expected
    assert {stage: may(roles, stage, action) for stage in Stage} == {
        stage: refusal is None for stage, refusal in expected.items()
    }


def test_teacher_cannot_add_a_need_in_step_4():
    with pytest.raises(Forbidden) as caught:
        check([TEACHER], Stage.NEEDS, Action.ADD_NEED)

    assert caught.value.status == 403
    assert "luistert" in caught.value.message


def test_teacher_who_is_also_timekeeper_still_cannot_add_a_need_in_step_4():
    with pytest.raises(Forbidden):
        check([TEACHER, TIMEKEEPER], Stage.NEEDS, Action.ADD_NEED)


def test_colleague_can_add_a_need_in_step_4():
    check([COLLEAGUE], Stage.NEEDS, Action.ADD_NEED)


def test_colleague_cannot_add_a_need_in_step_2():
    with pytest.raises(WrongStage) as caught:
        check([COLLEAGUE], Stage.QUESTIONS, Action.ADD_NEED)

    assert type(caught.value) is WrongStage
    assert caught.value.status == 409


def test_colleague_cannot_mark_feasibility():
    with pytest.raises(Forbidden) as caught:
        check([COLLEAGUE], Stage.FEASIBILITY, Action.MARK_NEED)

    assert caught.value.status == 403
    assert "inbrenger" in caught.value.message


def test_teacher_marks_feasibility_in_step_5():
    check([TEACHER], Stage.FEASIBILITY, Action.MARK_NEED)


def test_only_the_teacher_writes_the_goal_and_colleagues_suggest():
    check([TEACHER], Stage.GOAL, Action.WRITE_GOAL)
    check([COLLEAGUE], Stage.GOAL, Action.SUGGEST_GOAL)

    with pytest.raises(Forbidden) as caught:
        check([COLLEAGUE], Stage.GOAL, Action.WRITE_GOAL)

    assert "suggestie" in caught.value.message


def test_only_colleagues_ask_clarifying_questions_in_step_2():
    check([COLLEAGUE], Stage.QUESTIONS, Action.ASK_QUESTION)

    with pytest.raises(Forbidden):
        check([TEACHER], Stage.QUESTIONS, Action.ASK_QUESTION)


@pytest.mark.parametrize(
    ("action", "stages"),
    [
        (Action.START_MEETING, [Stage.LOBBY]),
        (Action.NEXT_STEP, sorted(STEP_STAGES - {Stage.YIELD})),
        (Action.PREVIOUS_STEP, sorted(STEP_STAGES - {Stage.EXPLAIN})),
        (Action.RUN_TIMER, sorted(STEP_STAGES)),
        (Action.CLOSE_MEETING, sorted(STEP_STAGES)),
    ],
)
def test_timekeeper_can_move_steps_and_run_the_clock(action, stages):
    for stage in stages:
        check([COLLEAGUE, TIMEKEEPER], stage, action)


@pytest.mark.parametrize(
    "action",
    [
        Action.START_MEETING,
        Action.NEXT_STEP,
        Action.PREVIOUS_STEP,
        Action.RUN_TIMER,
        Action.CLOSE_MEETING,
    ],
)
def test_colleague_who_is_not_timekeeper_cannot_move_steps(action):
    with pytest.raises(Forbidden):
        check([COLLEAGUE], Stage.QUESTIONS, action)


def test_there_is_no_step_after_the_yield_and_none_before_step_1():
    with pytest.raises(WrongStage):
        check([COLLEAGUE, TIMEKEEPER], Stage.YIELD, Action.NEXT_STEP)
    with pytest.raises(WrongStage):
        check([COLLEAGUE, TIMEKEEPER], Stage.EXPLAIN, Action.PREVIOUS_STEP)


@pytest.mark.parametrize("stage", list(Stage))
def test_screen_can_do_nothing(stage):
    for action in Action:
        assert not may([SCREEN], stage, action)
        with pytest.raises(Forbidden):
            check([SCREEN], stage, action)


@pytest.mark.parametrize("device", list(DEVICES))
def test_everything_except_summary_and_delete_is_refused_after_close(device):
    roles = DEVICES[device]
    read_only_or_gone = {Action.VIEW_SUMMARY, Action.DELETE_MEETING}
    follow_up = {Action.SET_EVALUATION_DATE, Action.EVALUATE_GOAL, Action.START_FOLLOW_UP}
    # Her meeting's place in a team is the teacher's to change at any time, closed or not.
    team = {Action.LEAVE_TEAM, Action.SHARE_WITH_TEAM}

    for action in set(Action) - read_only_or_gone - follow_up - team:
        with pytest.raises((Forbidden, MeetingClosed)):
            check(roles, Stage.CLOSED, action)
    if TEACHER not in roles:
        for action in follow_up | team:
            with pytest.raises(Forbidden):
                check(roles, Stage.CLOSED, action)


@pytest.mark.parametrize("action", [Action.VIEW_SUMMARY, Action.DELETE_MEETING])
def test_teacher_can_still_view_the_summary_and_delete_after_close(action):
    check([TEACHER], Stage.CLOSED, action)


def test_a_closed_meeting_says_it_is_closed():
    with pytest.raises(MeetingClosed) as caught:
        check([TEACHER], Stage.CLOSED, Action.WRITE_NOTES)

    assert caught.value.status == 409
    assert "afgesloten" in caught.value.message


def test_a_device_without_roles_may_do_nothing():
    with pytest.raises(Forbidden):
        check([], Stage.NEEDS, Action.VIEW_SUMMARY)


@pytest.mark.parametrize("device", ["colleague+timekeeper", "teacher", "teacher+timekeeper"])
def test_the_timekeeper_and_the_teacher_as_backup_set_cards_aside_in_step_4_only(device):
    roles = DEVICES[device]

    check(roles, Stage.NEEDS, Action.SET_ASIDE_NEED)
    for stage in set(Stage) - {Stage.NEEDS, Stage.CLOSED}:
        with pytest.raises(WrongStage):
            check(roles, stage, Action.SET_ASIDE_NEED)


def test_a_colleague_who_is_not_timekeeper_cannot_set_a_card_aside():
    with pytest.raises(Forbidden) as caught:
        check([COLLEAGUE], Stage.NEEDS, Action.SET_ASIDE_NEED)

    assert "tijdbewaker" in caught.value.message
