"""What the templates show: one context built from a meeting, used by pages and pushes alike."""

from dataclasses import dataclass

from flask import current_app, request, url_for
from sqlalchemy import func, select

from board.domain.agreements import TOPIC_LABELS, Topic
from board.domain.codes import format_join_code
from board.domain.goal import check_goal, evaluation_moment
from board.domain.needs import (
    CATEGORY_LABELS,
    NUDGE,
    PER_WEEK_MAX,
    Category,
    Feasibility,
    Subgroup,
    label_nudge,
)
from board.domain.preparation import PREP_QUESTIONS
from board.domain.steps import STEPS, Stage
from board.domain.text import LIMITS
from board.domain.timer import format_clock
from board.extensions import db
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


def card_context(meeting: Meeting) -> dict:
    """What one card's partial needs besides the card: the stage and the card helpers."""
    return {
        "meeting": meeting,
        "Stage": Stage,
        "stage": meeting.current_stage,
        "Feasibility": Feasibility,
        "Subgroup": Subgroup,
        "PER_WEEK_MAX": PER_WEEK_MAX,
        "LIMITS": LIMITS,
        "label_nudge": label_nudge,
        "nudge_message": NUDGE,
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
    kind = type(card)
    count = db.session.scalar(
        select(func.count()).select_from(kind).filter_by(meeting_id=meeting.id)
    )
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
    return {
        **card_context(meeting),
        "step": stage.step,
        "steps": STEPS,
        "timer": timer_view(meeting, now),
        "server_now": now,
        "prep": [(q, getattr(meeting, f"prep_{q.key}")) for q in PREP_QUESTIONS],
        "goal_hints": check_goal(meeting.goal),
        "goal_moment": evaluation_moment(meeting.goal),
        "needs_count": len(meeting.needs),
        "questions_count": len(meeting.questions),
        "needs_by_category": needs_by_category(meeting.needs),
        "feasible_needs": [n for n in meeting.needs if n.feasibility == Feasibility.FEASIBLE],
        "not_now_needs": [n for n in meeting.needs if n.feasibility == Feasibility.NOT_NOW],
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
