"""How Dutch dates and spans are understood: one reading for an agreement's "Wanneer?" (its
calendar item) and for the evaluation moment of the goal (the follow-up)."""

from dataclasses import replace
from datetime import date

import pytest

from board.domain.dutch_dates import date_on_or_after, find_date
from board.domain.goal import Goal, evaluation_date, planned_evaluation_date

MEETING = date(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # spans, counted from the meeting
        ("evaluatie na zes weken", date(2027, 1, 13)),
        ("Over 4 weken evalueren", date(2026, 12, 30)),
        ("binnen twee weken", date(2026, 12, 16)),
        ("na tien dagen", date(2026, 12, 12)),
        ("na drie maanden", date(2027, 3, 2)),
        ("na een week", date(2026, 12, 9)),
        ("volgende week", date(2026, 12, 9)),
        ("volgende maand", date(2027, 1, 2)),
        # a day and a month; without a year the first one on or after the meeting
        ("op 15 maart", date(2027, 3, 15)),
        ("15 maart 2027", date(2027, 3, 15)),
        ("vrijdag 14 maart 2028", date(2028, 3, 14)),
        ("10 december", date(2026, 12, 10)),
        ("op 2 december", date(2026, 12, 2)),
        ("voor 1 dec.", date(2027, 12, 1)),
        ("uiterlijk 3 mrt", date(2027, 3, 3)),
        ("5 sept", date(2027, 9, 5)),
        ("vrijdag 14-3", date(2027, 3, 14)),
        ("op 8/1", date(2027, 1, 8)),
        ("15-3-2027", date(2027, 3, 15)),
        ("uiterlijk 14/3/2027", date(2027, 3, 14)),
        ("14.3.27", date(2027, 3, 14)),
        ("2027-02-01", date(2027, 2, 1)),
        ("2027-01-05", date(2027, 1, 5)),
        ("29-2", date(2028, 2, 29)),  # the next 29 February
        # parts of a month, a week number
        ("eind januari", date(2027, 1, 31)),
        ("eind februari", date(2027, 2, 28)),
        ("begin februari", date(2027, 2, 1)),
        ("half maart", date(2027, 3, 15)),
        ("in week 12", date(2027, 3, 26)),  # the Friday of that week
        ("in week 50", date(2026, 12, 11)),
        # the first date in the text counts
        ("Sam zit vier minuten stil; evaluatie na twee weken.", date(2026, 12, 16)),
        ("op 10-12, anders na zes weken", date(2026, 12, 10)),
        ("na zes weken, uiterlijk 1 maart", date(2027, 1, 13)),
        # a bare "3/4" or "8-10" may be a fraction or a range: only when nothing else is a date
        ("3/4 van de sommen; evaluatie na zes weken", date(2027, 1, 13)),
        ("8-10 minuten, uiterlijk 15 maart", date(2027, 3, 15)),
        ("14-3 of anders na zes weken", date(2027, 1, 13)),
        ("vrijdag 14-3 of anders na zes weken", date(2027, 3, 14)),
        ("8-10", date(2027, 10, 8)),
        # no date
        ("aan het eind van de week", None),
        ("na de kerstvakantie", None),
        ("vier minuten", None),
        ("", None),
        ("31-2", None),  # no such day
        ("31-2-2027", None),
        ("14-13", None),  # no such month
    ],
)
def test_a_dutch_date_is_understood(text, expected):
    assert find_date(text, MEETING) == expected


def test_a_date_with_a_year_before_the_reference_is_found_but_not_as_an_evaluation():
    assert find_date("1-1-2026", MEETING) == date(2026, 1, 1)
    assert date_on_or_after("1-1-2026", MEETING) is None
    assert evaluation_date("1-1-2026", MEETING) is None


@pytest.mark.parametrize("text", ["na zes weken", "15 maart", "eind januari", "in week 12"])
def test_the_evaluation_date_and_the_agreement_date_read_the_same(text):
    assert evaluation_date(text, MEETING) == find_date(text, MEETING)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Thomas zit 8-10 minuten stil in de kring.", None),
        ("Noor maakt 3/4 van haar sommen goed.", None),
        ("Noor maakt 3/4 van haar sommen goed; evaluatie na zes weken.", date(2027, 1, 13)),
        ("Sam leest 10 woorden per minuut voor 15 maart.", date(2027, 3, 15)),
        ("Sam leest elke dag, tot 8-1.", date(2027, 1, 8)),
    ],
)
def test_in_the_goal_sentence_only_a_deadline_names_the_evaluation_date(sentence, expected):
    assert planned_evaluation_date(Goal(text=sentence), MEETING, None) == expected


def test_the_picked_date_wins_then_the_when_field_then_how_then_the_goal_sentence():
    goal = Goal(
        text="Sam blijft vier minuten zitten; evaluatie na twee weken.",
        evaluation_how="turven op 1 februari",
        evaluation_when="na zes weken",
    )
    assert planned_evaluation_date(goal, MEETING, date(2027, 3, 1)) == date(2027, 3, 1)
    assert planned_evaluation_date(goal, MEETING, None) == date(2027, 1, 13)
    goal = replace(goal, evaluation_when="")
    assert planned_evaluation_date(goal, MEETING, None) == date(2027, 2, 1)
    goal = replace(goal, evaluation_how="")
    assert planned_evaluation_date(goal, MEETING, None) == date(2026, 12, 16)


@pytest.mark.parametrize(
    "text",
    [
        "over 100000 maanden",
        "na 3000000 dagen",
        "over 99999999999 weken",
        "na " + "9" * 5000 + " dagen",
        "in 4000000 maanden",
        "op 99-99-99999",
    ],
)
def test_a_date_past_the_calendar_is_no_date_and_never_an_error(text):
    """A teacher may type anything in "Wanneer?": every board render and the team's overview
    read it, so it must never raise."""
    assert find_date(text, date(2026, 12, 2)) is None
    assert planned_evaluation_date(Goal(evaluation_when=text), date(2026, 12, 2), None) is None
