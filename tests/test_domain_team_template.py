"""A team's own minutes per step: seven time boxes within bounds, the method's 39 by default."""

import pytest

from board.domain.errors import InvalidInput
from board.domain.steps import DEFAULT_MINUTES, minutes_per_step
from board.domain.team_template import clean_minutes, stored, total_minutes


def test_without_team_minutes_a_meeting_has_the_methods_39_minutes():
    assert minutes_per_step(None) == (5, 10, 2, 10, 5, 5, 2)
    assert total_minutes(None) == 39


def test_a_team_may_give_a_step_more_time_within_the_bounds():
    minutes = clean_minutes(["5", "12", "3", "12", "5", "5", "3"])

    assert minutes == (5, 12, 3, 12, 5, 5, 3)
    assert stored(minutes) == "5,12,3,12,5,5,3"
    assert total_minutes(stored(minutes)) == 45
    assert minutes_per_step(stored(minutes)) == minutes


def test_the_methods_own_minutes_are_stored_as_no_team_minutes():
    assert stored(DEFAULT_MINUTES) is None


@pytest.mark.parametrize("bad", ["0", "21", "", "twee", "2.5", "-1", "٣"])
def test_every_step_needs_a_whole_number_of_minutes_from_1_to_20(bad):
    values = ["5", "10", bad, "10", "5", "5", "2"]

    with pytest.raises(InvalidInput) as refused:
        clean_minutes(values)

    assert str(refused.value.message) == (
        "Stap 3 (Doel): vul een heel aantal minuten in, van 1 tot 20."
    )


def test_a_meeting_of_less_than_20_minutes_is_refused():
    with pytest.raises(InvalidInput, match="Samen is dat 13 minuten: te kort"):
        clean_minutes(["2", "2", "2", "2", "2", "2", "1"])


def test_a_meeting_of_more_than_an_hour_is_refused():
    with pytest.raises(InvalidInput, match="Samen is dat 61 minuten: langer dan"):
        clean_minutes(["10", "15", "5", "15", "6", "5", "5"])


def test_the_bounds_themselves_are_allowed():
    assert sum(clean_minutes(["3", "3", "3", "3", "3", "3", "2"])) == 20
    assert sum(clean_minutes(["10", "15", "5", "15", "5", "5", "5"])) == 60


def test_seven_values_are_needed():
    with pytest.raises(InvalidInput, match="elk van de zeven stappen"):
        clean_minutes(["5", "10"])
