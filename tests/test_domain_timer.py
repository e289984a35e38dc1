"""The step timer: banking run time, extra minutes, phases and the clock every screen shows."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from board.domain.steps import STEPS, TOTAL_MINUTES
from board.domain.timer import EXTENSION_SECONDS, Timer, format_clock, meeting_clock

T0 = 1_700_000_000.0  # seconds since the epoch, as the caller passes them in
FIVE_MINUTES = 300


def test_a_new_timer_has_its_planned_time_left_and_is_not_running():
    timer = Timer(planned_seconds=FIVE_MINUTES)

    assert not timer.running
    assert timer.elapsed_at(T0) == 0
    assert timer.remaining_at(T0) == FIVE_MINUTES


def test_a_running_timer_counts_the_time_since_it_started():
    timer = Timer(FIVE_MINUTES).start(T0)

    assert timer.running
    assert timer.elapsed_at(T0 + 30) == 30
    assert timer.remaining_at(T0 + 30) == FIVE_MINUTES - 30


def test_pausing_banks_the_time_run_and_stops_the_clock():
    timer = Timer(FIVE_MINUTES).start(T0).pause(T0 + 30)

    assert not timer.running
    assert timer.elapsed_seconds == 30
    assert timer.elapsed_at(T0 + 1000) == 30


def test_resuming_goes_on_from_the_banked_time():
    timer = Timer(FIVE_MINUTES).start(T0).pause(T0 + 30).start(T0 + 100)

    assert timer.elapsed_at(T0 + 110) == 40
    assert timer.remaining_at(T0 + 110) == FIVE_MINUTES - 40


def test_starting_a_running_timer_changes_nothing():
    timer = Timer(FIVE_MINUTES).start(T0)

    assert timer.start(T0 + 20) == timer


def test_pausing_a_paused_timer_changes_nothing():
    timer = Timer(FIVE_MINUTES).start(T0).pause(T0 + 30)

    assert timer.pause(T0 + 50) == timer


def test_a_clock_that_reads_before_the_start_never_counts_backwards():
    timer = Timer(FIVE_MINUTES, elapsed_seconds=10).start(T0)

    assert timer.elapsed_at(T0 - 5) == 10


def test_add_minute_gives_the_step_sixty_more_seconds():
    timer = Timer(FIVE_MINUTES).start(T0)

    extended = timer.add_minute()

    assert EXTENSION_SECONDS == 60
    assert extended.budget_seconds == FIVE_MINUTES + 60
    assert extended.remaining_at(T0 + 10) == timer.remaining_at(T0 + 10) + 60
    assert extended.running


def test_extra_minutes_add_up():
    timer = Timer(FIVE_MINUTES).add_minute().add_minute()

    assert timer.planned_seconds == FIVE_MINUTES
    assert timer.extra_seconds == 120
    assert timer.budget_seconds == FIVE_MINUTES + 120


@pytest.mark.parametrize(
    ("seconds_run", "remaining", "overrun", "phase"),
    [
        (0, 300, 0, "ok"),
        (239, 61, 0, "ok"),
        (240, 60, 0, "warning"),
        (299.5, 0.5, 0, "warning"),
        (300, 0, 0, "warning"),
        (300.1, -0.1, 0.1, "overrun"),
        (312.5, -12.5, 12.5, "overrun"),
    ],
)
def test_phase_warns_in_the_last_minute_and_shows_overrun_below_zero(
    seconds_run, remaining, overrun, phase
):
    timer = Timer(FIVE_MINUTES).start(T0)
    now = T0 + seconds_run

    assert timer.remaining_at(now) == pytest.approx(remaining)
    assert timer.overrun_at(now) == pytest.approx(overrun)
    assert timer.phase_at(now) == phase


def test_an_extra_minute_takes_an_overrun_step_back_to_the_warning():
    timer = Timer(FIVE_MINUTES).start(T0)
    now = T0 + FIVE_MINUTES + 10

    assert timer.phase_at(now) == "overrun"
    assert timer.add_minute().phase_at(now) == "warning"


@pytest.mark.parametrize(
    ("remaining", "shown"),
    [
        (300, "5:00"),
        (600, "10:00"),
        (61, "1:01"),
        (59.01, "1:00"),
        (0.2, "0:01"),
        (0, "0:00"),
        (-0.4, "+0:00"),
        (-12.5, "+0:12"),
        (-60, "+1:00"),
        (-125, "+2:05"),
    ],
)
def test_the_clock_counts_down_in_minutes_and_seconds_then_shows_overrun_with_a_plus(
    remaining, shown
):
    assert format_clock(remaining) == shown


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["start", "pause", "add_minute", "read"]),
        st.floats(min_value=0, max_value=900, allow_nan=False, allow_infinity=False),
    ),
    max_size=25,
)


def apply(timer: Timer, operation: str, now: float) -> Timer:
    if operation == "start":
        return timer.start(now)
    if operation == "pause":
        return timer.pause(now)
    if operation == "add_minute":
        return timer.add_minute()
    return timer


@settings(max_examples=75, deadline=None, database=None)
@given(planned=st.integers(min_value=60, max_value=900), operations=OPERATIONS)
def test_elapsed_never_decreases_and_remaining_plus_elapsed_is_the_budget(planned, operations):
    timer = Timer(planned)
    now = T0
    elapsed = 0.0
    extensions = 0

    for operation, wait in operations:
        now += wait
        timer = apply(timer, operation, now)
        extensions += operation == "add_minute"

        assert timer.elapsed_at(now) >= elapsed
        assert timer.elapsed_at(now) <= now - T0 + 1e-6
        assert timer.budget_seconds == planned + extensions * EXTENSION_SECONDS
        assert timer.remaining_at(now) + timer.elapsed_at(now) == pytest.approx(
            timer.budget_seconds
        )
        elapsed = timer.elapsed_at(now)


@settings(max_examples=75, deadline=None, database=None)
@given(remaining=st.floats(min_value=-7200, max_value=7200, allow_nan=False))
def test_the_clock_shows_a_plus_exactly_when_the_time_is_up(remaining):
    shown = format_clock(remaining)

    minutes, seconds = shown.removeprefix("+").split(":")
    assert shown.startswith("+") == (remaining < 0)
    assert minutes.isdigit()
    assert len(seconds) == 2
    assert 0 <= int(seconds) < 60


def planned_timers() -> list[Timer]:
    return [Timer(step.planned_seconds) for step in STEPS]


def test_the_meeting_clock_plans_the_end_39_minutes_after_the_start_and_is_on_time():
    timers = planned_timers()
    timers[0] = timers[0].start(T0)

    clock = meeting_clock(T0, timers, 0)

    assert clock.planned_end == T0 + TOTAL_MINUTES * 60
    assert clock.over_at(T0 + 60, timers[0]) == 0


def test_a_step_that_runs_over_makes_the_meeting_run_over_by_as_much():
    timers = planned_timers()
    timers[0] = Timer(300, elapsed_seconds=300.0)
    timers[1] = Timer(600).start(T0 + 300)

    clock = meeting_clock(T0, timers, 1)

    assert clock.over_at(T0 + 300 + 720, timers[1]) == 120


def test_an_extra_minute_moves_the_planned_end_and_is_not_over():
    timers = planned_timers()
    timers[0] = Timer(300).start(T0).add_minute()

    clock = meeting_clock(T0, timers, 0)

    assert clock.planned_end == T0 + TOTAL_MINUTES * 60 + EXTENSION_SECONDS
    assert clock.over_at(T0 + 330, timers[0]) == 0


def test_a_pause_pushes_the_end_back_by_the_time_paused():
    timers = planned_timers()
    timers[0] = Timer(300).start(T0).pause(T0 + 60)

    clock = meeting_clock(T0, timers, 0)

    assert clock.over_at(T0 + 360, timers[0]) == 300
