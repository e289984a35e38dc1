"""What a team's meetings yield over time, from plain figures per meeting: the share of
colleagues who found a meeting worth the time, how far each step runs over its planned time
on average, and how many goals were reached, partly reached or not at the evaluation.

Only numbers and dates come in: no pupil, no card, no note. The team sees these figures of
every attached meeting, shared with it or not.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from board.domain.next_step import RESULT_LABELS, Result
from board.domain.steps import STEPS
from board.domain.text import N_

NOT_YET = N_("Nog niet geëvalueerd")


@dataclass(frozen=True)
class StepRun:
    """One step of one meeting: its planned seconds and the seconds it really ran."""

    number: int
    planned_seconds: int
    actual_seconds: float


@dataclass(frozen=True)
class MeetingRecord:
    """The figures of one meeting of the team."""

    day: date
    worth_votes: int
    not_worth_votes: int
    steps: Sequence[StepRun] = ()
    result: Result | None = None
    closed: bool = False
    label: str = ""  # what tells the meeting apart on that day (the inbrenger, say)


@dataclass(frozen=True)
class YieldPoint:
    """One meeting's yield vote: how many said "worth the time", of how many."""

    day: date
    worth: int
    votes: int
    label: str = ""

    @property
    def percent(self) -> int:
        return round(100 * self.worth / self.votes)


@dataclass(frozen=True)
class StepOverrun:
    """One step over the meetings that ran it: planned and actual minutes on average, and
    the average overrun (negative when the step usually ends early)."""

    number: int
    title: str
    meetings: int
    planned_minutes: float
    actual_minutes: float

    @property
    def overrun_minutes(self) -> float:
        return round(self.actual_minutes - self.planned_minutes, 1)


@dataclass(frozen=True)
class GoalCount:
    """How many evaluated goals had this result (or, for result None, wait for it)."""

    result: Result | None
    label: str
    count: int


@dataclass(frozen=True)
class TeamFigures:
    yields: list[YieldPoint]
    overruns: list[StepOverrun]
    goals: list[GoalCount]


def yield_per_meeting(records: Iterable[MeetingRecord]) -> list[YieldPoint]:
    """Every closed meeting that was voted on, oldest first (a running one may still be
    voting)."""
    points = [
        YieldPoint(r.day, r.worth_votes, r.worth_votes + r.not_worth_votes, r.label)
        for r in records
        if r.closed and r.worth_votes + r.not_worth_votes
    ]
    return sorted(points, key=lambda point: point.day)


def overrun_per_step(records: Iterable[MeetingRecord]) -> list[StepOverrun]:
    """Per step, the averages over the closed meetings in which that step ran at all (a
    meeting closed early has steps that never ran, and a running one a step that has not
    ended: they say nothing about time)."""
    runs: dict[int, list[StepRun]] = {step.number: [] for step in STEPS}
    for record in records:
        if not record.closed:
            continue
        for run in record.steps:
            if run.actual_seconds > 0 and run.number in runs:
                runs[run.number].append(run)
    return [
        StepOverrun(
            step.number,
            step.short,
            len(ran),
            _average_minutes(run.planned_seconds for run in ran),
            _average_minutes(run.actual_seconds for run in ran),
        )
        for step in STEPS
        for ran in [runs[step.number]]
    ]


def _average_minutes(seconds: Iterable[float]) -> float:
    values = list(seconds)
    if not values:
        return 0.0
    return round(sum(values) / len(values) / 60, 1)


def goals_at_evaluation(records: Iterable[MeetingRecord]) -> list[GoalCount]:
    """Reached, partly, not; then the closed meetings whose goal was not evaluated yet."""
    records = list(records)
    counts = [
        GoalCount(result, label, sum(1 for r in records if r.result is result))
        for result, label in RESULT_LABELS.items()
    ]
    waiting = sum(1 for r in records if r.closed and r.result is None)
    return [*counts, GoalCount(None, NOT_YET, waiting)]


def team_figures(records: Iterable[MeetingRecord]) -> TeamFigures:
    records = list(records)
    return TeamFigures(
        yield_per_meeting(records), overrun_per_step(records), goals_at_evaluation(records)
    )
