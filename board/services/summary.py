"""The summary of a meeting: its group-plan entry, the not-now needs, the minutes, and the
yield, which is about the meeting and not the pupil: shown to the teacher, never exported."""

import time
from dataclasses import dataclass, field
from datetime import date

from board.access import DeviceRef
from board.domain.agreements import TOPIC_LABELS, Topic
from board.domain.goal import Goal, planned_evaluation_date
from board.domain.needs import (
    ASIDE_REASON_LABELS,
    CATEGORY_LABELS,
    AsideReason,
    Category,
    Feasibility,
)
from board.domain.next_step import RESULT_LABELS
from board.domain.permissions import Action, Role
from board.domain.steps import STEPS, Stage
from board.domain.tally import tally
from board.models import Meeting
from board.services.common import act
from board.services.followup import follow_up_of, planned_date
from board.services.meetings import earlier_meetings


@dataclass(frozen=True)
class PlanNeed:
    text: str
    category: str
    category_label: str
    per_week: int | None = None
    plan_note: str = ""
    subgroup: str | None = None


@dataclass(frozen=True)
class AsideNeed:
    """A card the timekeeper set aside in step 4: on the summary, apart, never in an export."""

    text: str
    reason_label: str
    original: str  # the card a duplicate repeats, if it is still there


@dataclass(frozen=True)
class PlanAgreement:
    topic: str
    topic_label: str
    what: str
    who: str
    when: str


@dataclass(frozen=True)
class StepMinutes:
    number: int
    title: str
    planned_seconds: int
    actual_seconds: int


@dataclass(frozen=True)
class StartingSituation:
    """From the preparation: what goes well, and the possible explanations for what does not
    (the stimulating and hindering factors)."""

    goes_well: str = ""
    explanations: str = ""


@dataclass(frozen=True)
class Period:
    """The plan runs from the meeting to the evaluation; until the evaluation has a real date,
    its end is the text of step 3 (for example 'na zes weken')."""

    start: date
    end: str
    end_date: date | None = None  # the evaluation's real date, once picked or understood


def period_of(meeting: Meeting) -> Period:
    """The one place that decides the plan's period."""
    planned = planned_evaluation_date(meeting.goal, meeting.meeting_date, meeting.evaluation_date)
    return Period(meeting.meeting_date, meeting.goal_evaluation_when, planned)


@dataclass(frozen=True)
class GroupPlanEntry:
    """What the meeting produced, ready for the teacher's groepsplan."""

    status: str  # "concept" while the meeting runs, "final" once closed
    pupil: str
    group: str
    date: date
    title: str
    participants: int
    goal: Goal
    feasible_needs: list[PlanNeed]
    not_now_needs: list[PlanNeed]
    unmarked_needs: list[PlanNeed]
    support_needs: str
    plan_note: str
    agreements: list[PlanAgreement]
    minutes: list[StepMinutes] = field(default_factory=list)
    evaluation_date: date | None = None  # picked by the teacher, or named in her goal
    follows: date | None = None  # the date of the meeting this one follows up, in a chain
    teacher: str = ""
    starting_situation: StartingSituation = field(default_factory=StartingSituation)
    period: Period | None = None
    # The teacher's private notes of step 4: only in her own export, and only when she asks.
    teacher_notes: str = ""


def _need(card) -> PlanNeed:
    category = Category(card.category)
    return PlanNeed(
        text=card.text,
        category=category.value,
        category_label=CATEGORY_LABELS[category],
        per_week=card.per_week,
        plan_note=card.plan_place,
        subgroup=card.subgroup,
    )


def set_aside_needs(meeting: Meeting) -> list[AsideNeed]:
    """The cards set aside, with why: the teacher sees them apart from her plan."""
    return [
        AsideNeed(
            text=card.text,
            reason_label=ASIDE_REASON_LABELS[AsideReason(card.aside_reason)],
            original=card.duplicate_of.text if card.duplicate_of else "",
        )
        for card in meeting.needs
        if not card.on_board
    ]


def group_plan_entry(
    meeting: Meeting, now: float | None = None, with_notes: bool = False
) -> GroupPlanEntry:
    """Build the entry from a meeting; 'concept' until it is closed. Cards set aside are
    no part of it: they never reach the group plan. The teacher's private notes only when
    she chose to include them."""
    now = time.time() if now is None else now
    by_step = {row.step: row for row in meeting.step_times}
    needs = [card for card in meeting.needs if card.on_board]
    earlier = earlier_meetings(meeting)
    return GroupPlanEntry(
        status="final" if meeting.current_stage is Stage.CLOSED else "concept",
        pupil=meeting.pupil_alias,
        group=meeting.group_name,
        date=meeting.meeting_date,
        title=meeting.title,
        participants=len(meeting.participants),
        goal=meeting.goal,
        feasible_needs=[_need(c) for c in needs if c.feasibility == Feasibility.FEASIBLE],
        not_now_needs=[_need(c) for c in needs if c.feasibility == Feasibility.NOT_NOW],
        unmarked_needs=[_need(c) for c in needs if c.feasibility is None],
        support_needs=meeting.support_needs,
        plan_note=meeting.plan_note,
        agreements=[
            PlanAgreement(a.topic, TOPIC_LABELS[Topic(a.topic)], a.what, a.who, a.when)
            for a in meeting.agreements
        ],
        evaluation_date=planned_date(meeting),
        follows=earlier[0].meeting_date if earlier else None,
        minutes=[
            StepMinutes(
                step.number,
                step.title,
                by_step[step.number].planned_seconds,
                round(by_step[step.number].timer.elapsed_at(now)),
            )
            for step in STEPS
            if step.number in by_step
        ],
        teacher=next((p.name for p in meeting.participants if p.role == Role.TEACHER), ""),
        starting_situation=StartingSituation(meeting.prep_strengths, meeting.prep_explanations),
        period=period_of(meeting),
        teacher_notes=meeting.teacher_notes if with_notes else "",
    )


def summary_for(meeting_id: str, ref: DeviceRef | None, with_notes: bool = False) -> dict:
    """The summary page's context; only the teacher may see it (her notes included)."""
    meeting, _ = act(meeting_id, ref, Action.VIEW_SUMMARY)
    return {
        "meeting": meeting,
        "entry": group_plan_entry(meeting, with_notes=with_notes),
        "tally": tally(meeting.votes),
        "set_aside": set_aside_needs(meeting),
        "follow_up": follow_up_of(meeting),
        "results": RESULT_LABELS,
    }
