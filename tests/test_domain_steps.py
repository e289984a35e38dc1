"""The seven time-boxed steps of the method and the stages a meeting goes through."""

import pytest

from board.domain.steps import (
    STEP_STAGES,
    STEPS,
    TOTAL_MINUTES,
    Stage,
    next_stage,
    previous_stage,
    step_number,
)

STEP_ORDER = [
    Stage.EXPLAIN,
    Stage.QUESTIONS,
    Stage.GOAL,
    Stage.NEEDS,
    Stage.FEASIBILITY,
    Stage.AGREEMENTS,
    Stage.YIELD,
]


def test_the_method_has_seven_steps_numbered_one_to_seven():
    assert [step.number for step in STEPS] == [1, 2, 3, 4, 5, 6, 7]


def test_each_step_has_the_minutes_of_the_method():
    assert [step.minutes for step in STEPS] == [5, 10, 2, 10, 5, 5, 2]


def test_the_whole_meeting_is_planned_at_39_minutes():
    assert TOTAL_MINUTES == 39


@pytest.mark.parametrize(
    ("number", "minutes"),
    [(1, 5), (2, 10), (3, 2), (4, 10), (5, 5), (6, 5), (7, 2)],
)
def test_a_step_plans_its_minutes_in_seconds(number, minutes):
    step = step_number(number)

    assert step.number == number
    assert step.planned_seconds == minutes * 60


@pytest.mark.parametrize(
    ("number", "actor"),
    [
        (1, "teacher"),
        (2, "colleagues"),
        (3, "teacher"),
        (4, "colleagues"),
        (5, "teacher"),
        (6, "all"),
        (7, "all"),
    ],
)
def test_each_step_names_who_acts_in_it(number, actor):
    assert step_number(number).actor == actor


def test_every_step_has_a_title_a_question_and_who_acts_in_words():
    for step in STEPS:
        assert step.title.strip()
        assert step.asks.strip()
        assert step.who_acts.strip()


def test_stages_run_from_preparing_through_the_lobby_and_seven_steps_to_closed():
    assert list(Stage) == [Stage.PREPARING, Stage.LOBBY, *STEP_ORDER, Stage.CLOSED]
    assert [stage.value for stage in STEP_ORDER] == [f"step{n}" for n in range(1, 8)]


def test_each_step_stage_knows_its_step():
    assert [stage.step.number for stage in STEP_ORDER] == [1, 2, 3, 4, 5, 6, 7]
    assert [step.stage for step in STEPS] == STEP_ORDER
    assert frozenset(STEP_ORDER) == STEP_STAGES


@pytest.mark.parametrize("stage", [Stage.PREPARING, Stage.LOBBY, Stage.CLOSED])
def test_stages_around_the_steps_are_not_a_step(stage):
    assert stage.step is None
    assert stage not in STEP_STAGES


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (Stage.LOBBY, Stage.EXPLAIN),
        (Stage.EXPLAIN, Stage.QUESTIONS),
        (Stage.QUESTIONS, Stage.GOAL),
        (Stage.GOAL, Stage.NEEDS),
        (Stage.NEEDS, Stage.FEASIBILITY),
        (Stage.FEASIBILITY, Stage.AGREEMENTS),
        (Stage.AGREEMENTS, Stage.YIELD),
        # The yield is the last step: the meeting is closed, not moved on.
        (Stage.YIELD, None),
        (Stage.CLOSED, None),
        # Leaving preparation is the teacher opening the lobby, not a step forward.
        (Stage.PREPARING, None),
    ],
)
def test_next_stage_moves_one_step_on_and_stops_after_the_yield(stage, expected):
    assert next_stage(stage) == expected


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (Stage.PREPARING, None),
        (Stage.LOBBY, None),
        (Stage.EXPLAIN, None),
        (Stage.QUESTIONS, Stage.EXPLAIN),
        (Stage.GOAL, Stage.QUESTIONS),
        (Stage.NEEDS, Stage.GOAL),
        (Stage.FEASIBILITY, Stage.NEEDS),
        (Stage.AGREEMENTS, Stage.FEASIBILITY),
        (Stage.YIELD, Stage.AGREEMENTS),
        (Stage.CLOSED, None),
    ],
)
def test_previous_stage_goes_back_one_step_but_never_before_step_1(stage, expected):
    assert previous_stage(stage) == expected


def test_moving_on_from_the_lobby_visits_every_step_in_order_once():
    visited = []
    stage = next_stage(Stage.LOBBY)

    while stage is not None:
        visited.append(stage)
        stage = next_stage(stage)

    assert visited == STEP_ORDER


def test_going_back_from_the_yield_visits_every_step_in_reverse():
    visited = [Stage.YIELD]
    stage = previous_stage(Stage.YIELD)

    while stage is not None:
        visited.append(stage)
        stage = previous_stage(stage)

    assert visited == STEP_ORDER[::-1]


@pytest.mark.parametrize(
    ("stage", "is_open"),
    [
        (Stage.PREPARING, False),
        (Stage.LOBBY, True),
        *[(stage, True) for stage in STEP_ORDER],
        (Stage.CLOSED, False),
    ],
)
def test_devices_may_join_from_the_lobby_until_the_meeting_closes(stage, is_open):
    assert stage.is_open is is_open


def test_minutes_per_step_reads_a_teams_minutes_and_falls_back_to_the_methods():
    from board.domain.steps import DEFAULT_MINUTES, minutes_per_step

    assert DEFAULT_MINUTES == (5, 10, 2, 10, 5, 5, 2)
    assert minutes_per_step("6,12,3,12,6,6,3") == (6, 12, 3, 12, 6, 6, 3)
    for unusable in (None, "", "5,10", "5,10,2,10,5,5,x", "5,10,2,10,5,5,0"):
        assert minutes_per_step(unusable) == DEFAULT_MINUTES
