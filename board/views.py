"""What the templates show: one context built from a meeting, used by pages and pushes alike."""

from dataclasses import dataclass

from flask import current_app, request, url_for

from board.domain.agreements import TOPIC_LABELS, Topic
from board.domain.codes import format_join_code
from board.domain.goal import check_goal
from board.domain.needs import CATEGORY_LABELS, NUDGE, Category, Feasibility, label_nudge
from board.domain.preparation import PREP_QUESTIONS
from board.domain.steps import STEPS, Stage
from board.domain.timer import format_clock
from board.models import Meeting, NeedCard


@dataclass(frozen=True)
class TimerView:
    """Timer data for the page: the numbers every device counts down from."""

    planned: int
    budget: int
    elapsed: float
    started_at: float | None
    remaining: float
    clock: str
    phase: str


@dataclass(frozen=True)
class Tally:
    yes: int
    no: int
    reasons: list[tuple[bool, str, str]]

    @property
    def total(self) -> int:
        return self.yes + self.no


def timer_view(meeting: Meeting, now: float) -> TimerView | None:
    row = meeting.current_step_time
    if row is None:
        return None
    timer = row.timer
    remaining = timer.remaining_at(now)
    return TimerView(
        planned=timer.planned_seconds,
        budget=timer.budget_seconds,
        elapsed=timer.elapsed_seconds,
        started_at=timer.started_at,
        remaining=remaining,
        clock=format_clock(remaining),
        phase=timer.phase_at(now),
    )


def tally(meeting: Meeting) -> Tally:
    yes = sum(1 for vote in meeting.votes if vote.worth_it)
    reasons = [(v.worth_it, v.why, v.brought) for v in meeting.votes if v.why or v.brought]
    return Tally(yes=yes, no=len(meeting.votes) - yes, reasons=reasons)


def needs_by_category(needs: list[NeedCard]) -> list[tuple[Category, str, list[NeedCard]]]:
    return [
        (category, label, [card for card in needs if card.category == category])
        for category, label in CATEGORY_LABELS.items()
        if any(card.category == category for card in needs)
    ]


def join_url(meeting: Meeting) -> str:
    base = current_app.config["PUBLIC_URL"] or request.host_url.rstrip("/")
    return base + url_for("board.join", code=meeting.join_code)


def form_context(meeting: Meeting) -> dict:
    """What an emptied compose form needs: the meeting and the choices, not the whole board.

    Building the whole board context again after each card was a seventh of the server's
    time per change in the load benchmark.
    """
    return {"meeting": meeting, "categories": CATEGORY_LABELS, "topics": TOPIC_LABELS}


def board_context(meeting: Meeting, now: float) -> dict:
    """Everything the live regions need; it depends on the meeting, never on the device."""
    stage = meeting.current_stage
    return {
        "meeting": meeting,
        "Stage": Stage,
        "stage": stage,
        "step": stage.step,
        "steps": STEPS,
        "timer": timer_view(meeting, now),
        "server_now": now,
        "prep": [(q, getattr(meeting, f"prep_{q.key}")) for q in PREP_QUESTIONS],
        "goal_hints": check_goal(meeting.goal),
        "needs_by_category": needs_by_category(meeting.needs),
        "feasible_needs": [n for n in meeting.needs if n.feasibility == Feasibility.FEASIBLE],
        "not_now_needs": [n for n in meeting.needs if n.feasibility == Feasibility.NOT_NOW],
        "categories": CATEGORY_LABELS,
        "label_nudge": label_nudge,
        "nudge_message": NUDGE,
        "topics": TOPIC_LABELS,
        "Topic": Topic,
        "Feasibility": Feasibility,
        "agreements_by_topic": {
            topic: [a for a in meeting.agreements if a.topic == topic] for topic in Topic
        },
        "tally": tally(meeting),
        "join_url": join_url(meeting),
        "join_code": format_join_code(meeting.join_code),
    }
