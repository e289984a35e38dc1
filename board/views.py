"""What the templates show: one context built from a meeting, used by pages and pushes alike."""

from dataclasses import dataclass

from flask import current_app, request, url_for

from board import queries
from board.audience import Audience
from board.domain.agreements import TOPIC_LABELS, Topic
from board.domain.codes import format_join_code
from board.domain.goal import check_goal, evaluation_moment, planned_evaluation_date
from board.domain.labels import NUDGE, label_nudge
from board.domain.needs import (
    ASIDE_REASON_LABELS,
    CATEGORY_LABELS,
    PER_WEEK_MAX,
    Category,
    Feasibility,
    Subgroup,
)
from board.domain.permissions import Action, Role, may
from board.domain.preparation import PREP_QUESTIONS
from board.domain.steps import STEPS, Stage
from board.domain.text import LIMITS
from board.domain.timer import MeetingClock, format_clock, meeting_clock
from board.models import Meeting, NeedCard, Question
from board.network import is_loopback_url


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


@dataclass(frozen=True)
class MeetingClockView:
    """The meeting clock's numbers (each device counts on from them) and its minutes over now."""

    clock: MeetingClock
    over_minutes: int


def meeting_clock_view(meeting: Meeting, now: float) -> MeetingClockView | None:
    """The whole meeting against its plan, while a step runs (None before step 1)."""
    row = meeting.current_step_time
    if row is None or meeting.started_at is None:
        return None
    rows = meeting.step_times
    clock = meeting_clock(meeting.started_at, [r.timer for r in rows], rows.index(row))
    return MeetingClockView(clock, round(clock.over_at(now, row.timer) / 60))


def tally(meeting: Meeting) -> Tally:
    yes = sum(1 for vote in meeting.votes if vote.worth_it)
    reasons = [(v.worth_it, v.why, v.brought) for v in meeting.votes if v.why or v.brought]
    return Tally(yes=yes, no=len(meeting.votes) - yes, reasons=reasons)


def needs_by_category(needs: list[NeedCard]) -> list[tuple[Category, str, list[NeedCard]]]:
    """Every category in its fixed order with its cards, the empty ones too (the page hides
    those, and shows one when a new card is appended to its list)."""
    grouped: dict[str, list[NeedCard]] = {category: [] for category in CATEGORY_LABELS}
    for card in needs:
        grouped[card.category].append(card)
    return [(category, label, grouped[category]) for category, label in CATEGORY_LABELS.items()]


AUDIENCE_ROLE = {
    Audience.TEACHER: Role.TEACHER,
    Audience.COLLEAGUE: Role.COLLEAGUE,
    Audience.SCREEN: Role.SCREEN,
}


def permission_check(stage: Stage):
    """`can(audience, action)` for the templates, from the permission table: "all" when every
    device of the audience may do it now, "timekeeper" when only the audience's timekeeper
    may (the page reveals it to them alone), "" when none may."""

    def can(audience: str, action: Action) -> str:
        role = AUDIENCE_ROLE[Audience(audience)]
        if may((role,), stage, action):
            return "all"
        if role is not Role.SCREEN and may((role, Role.TIMEKEEPER), stage, action):
            return "timekeeper"
        return ""

    return can


def card_context(meeting: Meeting) -> dict:
    """What one card's partial needs besides the card: the stage and the card helpers."""
    stage = meeting.current_stage
    return {
        "meeting": meeting,
        "Stage": Stage,
        "stage": stage,
        "Feasibility": Feasibility,
        "Subgroup": Subgroup,
        "PER_WEEK_MAX": PER_WEEK_MAX,
        "LIMITS": LIMITS,
        "Action": Action,
        "can": permission_check(stage),
        "label_nudge": label_nudge,
        "nudge_message": NUDGE,
        "aside_reasons": ASIDE_REASON_LABELS,
        "categories": CATEGORY_LABELS,
    }


@dataclass(frozen=True)
class NewCard:
    """A card just added, pushed alone: appended to its list, with the header that counts."""

    head: str  # the region above the list, with the count
    template: str  # the card's partial: the one its region includes for every card
    into: str  # the element id of the list that shows it
    context: dict


def new_card(meeting: Meeting, card: NeedCard | Question) -> NewCard:
    """How a new need card or question reaches the screens (see partials/needs.html)."""
    count = queries.count_cards(type(card), meeting.id)
    if isinstance(card, NeedCard):
        context = {**card_context(meeting), "card": card, "needs_count": count}
        return NewCard(
            "needs_head", "partials/need_card.html", f"need-list-{card.category}", context
        )
    context = {**card_context(meeting), "question": card, "questions_count": count}
    return NewCard("questions_head", "partials/question_card.html", "question-list", context)


def join_base() -> str:
    """Where phones reach the board: PUBLIC_URL; else the address this page was opened on,
    unless that only reaches this machine (127.0.0.1) and an address on the local network
    was found at start."""
    config = current_app.config
    here = request.host_url.rstrip("/")
    if config["PUBLIC_URL"]:
        return config["PUBLIC_URL"]
    if is_loopback_url(here) and config.get("LAN_URLS"):
        return config["LAN_URLS"][0]
    return here


def shared_url(endpoint: str, **values) -> str:
    """A link people open on their own devices (join, read, secret links): at join_base."""
    return join_base() + url_for(endpoint, **values)


def join_url(meeting: Meeting) -> str:
    return shared_url("board.join", code=meeting.join_code)


def form_context(meeting: Meeting) -> dict:
    """What an emptied compose form needs: the meeting and the choices, not the whole board.

    Building the whole board context again after each card was a seventh of the server's
    time per change in the load benchmark.
    """
    return {"meeting": meeting, "categories": CATEGORY_LABELS, "topics": TOPIC_LABELS}


def board_context(meeting: Meeting, now: float) -> dict:
    """Everything the live regions need; it depends on the meeting, never on the device."""
    stage = meeting.current_stage
    on_board = [card for card in meeting.needs if card.on_board]
    return {
        **card_context(meeting),
        "step": stage.step,
        "steps": STEPS,
        "timer": timer_view(meeting, now),
        "meeting_clock": meeting_clock_view(meeting, now),
        "server_now": now,
        "prep": [(q, getattr(meeting, f"prep_{q.key}")) for q in PREP_QUESTIONS],
        "goal_hints": check_goal(meeting.goal),
        "goal_moment": evaluation_moment(meeting.goal),
        "evaluation_planned": planned_evaluation_date(
            meeting.goal, meeting.meeting_date, meeting.evaluation_date
        ),
        "needs_count": len(on_board),
        "questions_count": len(meeting.questions),
        "needs_by_category": needs_by_category(on_board),
        "set_aside_needs": [card for card in meeting.needs if not card.on_board],
        "feasible_needs": [n for n in on_board if n.feasibility == Feasibility.FEASIBLE],
        "not_now_needs": [n for n in on_board if n.feasibility == Feasibility.NOT_NOW],
        "categories": CATEGORY_LABELS,
        "topics": TOPIC_LABELS,
        "Topic": Topic,
        "agreements_by_topic": {
            topic: [a for a in meeting.agreements if a.topic == topic] for topic in Topic
        },
        "tally": tally(meeting),
        "join_url": join_url(meeting),
        "join_unreachable": is_loopback_url(join_base()),
        "join_code": format_join_code(meeting.join_code),
    }
