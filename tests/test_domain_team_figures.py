"""What a team's meetings yield: worth the time, overrun per step, goals at evaluation."""

from datetime import date

from board.domain.next_step import Result
from board.domain.team_figures import MeetingRecord, StepRun, team_figures


def runs(*actual_minutes: float, planned=(5, 10, 2, 10, 5, 5, 2)) -> list[StepRun]:
    return [
        StepRun(number, minutes * 60, actual * 60)
        for number, (minutes, actual) in enumerate(
            zip(planned, actual_minutes, strict=True), start=1
        )
    ]


def test_the_share_worth_the_time_is_per_meeting_oldest_first():
    records = [
        MeetingRecord(
            date(2026, 3, 12), worth_votes=3, not_worth_votes=1, label="Sanne", closed=True
        ),
        MeetingRecord(
            date(2026, 2, 5), worth_votes=5, not_worth_votes=0, label="Joost", closed=True
        ),
        MeetingRecord(date(2026, 4, 2), worth_votes=0, not_worth_votes=0, closed=True),
    ]

    yields = team_figures(records).yields

    assert [(p.day, p.label, p.worth, p.votes, p.percent) for p in yields] == [
        (date(2026, 2, 5), "Joost", 5, 5, 100),
        (date(2026, 3, 12), "Sanne", 3, 4, 75),
    ]


def test_the_overrun_per_step_is_averaged_over_the_meetings_that_ran_the_step():
    records = [
        MeetingRecord(date(2026, 2, 5), 1, 0, runs(6, 12, 2, 10, 5, 5, 2), closed=True),
        MeetingRecord(date(2026, 3, 12), 1, 0, runs(5, 14, 1, 0, 0, 0, 0), closed=True),
    ]

    overruns = team_figures(records).overruns

    assert [s.meetings for s in overruns] == [2, 2, 2, 1, 1, 1, 1]
    assert overruns[0].actual_minutes == 5.5
    assert overruns[0].overrun_minutes == 0.5
    assert overruns[1].overrun_minutes == 3.0
    assert overruns[2].overrun_minutes == -0.5
    assert overruns[3].overrun_minutes == 0.0
    assert overruns[1].title == "Vragen"


def test_a_running_meeting_counts_neither_its_votes_nor_its_step_times():
    """Its step runs on (2 of 10 minutes is no "-8") and colleagues may still vote."""
    closed = MeetingRecord(date(2026, 2, 5), 4, 1, runs(5, 10, 2, 10, 5, 5, 2), closed=True)
    running = MeetingRecord(date(2026, 3, 12), 1, 0, runs(5, 2, 0, 0, 0, 0, 0), closed=False)

    figures = team_figures([closed, running])

    assert [p.day for p in figures.yields] == [date(2026, 2, 5)]
    assert [s.meetings for s in figures.overruns] == [1] * 7
    assert figures.overruns[1].overrun_minutes == 0.0


def test_team_minutes_count_as_the_planned_time():
    records = [
        MeetingRecord(
            date(2026, 2, 5),
            1,
            0,
            runs(6, 12, 3, 12, 5, 5, 3, planned=(5, 12, 3, 12, 5, 5, 3)),
            closed=True,
        )
    ]

    overruns = team_figures(records).overruns

    assert overruns[1].planned_minutes == 12.0
    assert overruns[1].overrun_minutes == 0.0


def test_goals_are_counted_by_their_result_and_closed_ones_wait_for_their_evaluation():
    records = [
        MeetingRecord(date(2026, 2, 5), 0, 0, result=Result.REACHED, closed=True),
        MeetingRecord(date(2026, 2, 6), 0, 0, result=Result.REACHED, closed=True),
        MeetingRecord(date(2026, 2, 7), 0, 0, result=Result.PARTLY, closed=True),
        MeetingRecord(date(2026, 2, 8), 0, 0, result=Result.NOT_REACHED, closed=True),
        MeetingRecord(date(2026, 2, 9), 0, 0, closed=True),
        MeetingRecord(date(2026, 2, 10), 0, 0),
    ]

    goals = team_figures(records).goals

    assert [(g.label, g.count) for g in goals] == [
        ("Gehaald", 2),
        ("Deels gehaald", 1),
        ("Niet gehaald", 1),
        ("Nog niet geëvalueerd", 1),
    ]


def test_a_team_without_meetings_has_no_figures():
    figures = team_figures([])

    assert figures.yields == []
    assert [s.meetings for s in figures.overruns] == [0] * 7
    assert [g.count for g in figures.goals] == [0, 0, 0, 0]
