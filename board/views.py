"""What the templates show: one context built from a meeting, used by pages and pushes alike."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from flask import current_app, request, url_for

from board import queries
from board.audience import Audience
from board.domain.agreements import Topic
from board.domain.codes import format_join_code
from board.domain.goal import check_goal, evaluation_moment, planned_evaluation_date
from board.domain.needs import (
    CATEGORY_LABELS,
    Category,
    Feasibility,
)
from board.domain.permissions import Action, Role, allowed_stages, may
from board.domain.preparation import PREP_QUESTIONS
from board.domain.steps import Stage
from board.domain.tally import tally
from board.domain.timer import MeetingClock, format_clock, meeting_clock
from board.models import Meeting, NeedCard, Participant, Question
from board.network import is_loopback_url


@dataclass(frozen=True)
class TimerView:
    """Timer data for the page: the numbers every device counts down from."""

    budget: int
    elapsed: float
    started_at: float | None
    remaining: float
    clock: str
    phase: str


def timer_view(meeting: Meeting, now: float) -> TimerView | None:
    row = meeting.current_step_time
    if row is None:
        return None
    timer = row.timer
    remaining = timer.remaining_at(now)
    return TimerView(
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


class Grant(StrEnum):
    """Who of an audience may do an action now: every device, its timekeeper alone (the page
    reveals the control to them), or nobody."""

    ALL = "all"
    TIMEKEEPER = "timekeeper"
    NONE = ""

    @property
    def keeper_only(self) -> bool:
        return self is Grant.TIMEKEEPER

    @property
    def css(self) -> str:
        """The class that hides a control from every device but the timekeeper's."""
        return "tk-only" if self is Grant.TIMEKEEPER else ""


@dataclass(frozen=True)
class Can:
    """What an audience may do in a stage, read from the permission table: `can.add_need` in
    a template is a Grant (falsy when nobody may). A name that is no Action fails the render."""

    audience: Audience
    stage: Stage
    grants: dict[Action, Grant]

    def __getattr__(self, name: str) -> Grant:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.grants[Action(name)]

    @property
    def anyone(self) -> "Actions":
        """Whether anybody may do an action in this stage: `can.anyone.set_aside_need`."""
        return Actions(lambda action: allowed_roles(self.stage, action))

    @property
    def ever(self) -> "Actions":
        """Whether this audience may do an action in some stage: `can.ever.add_need` (the
        colleagues, who write need cards)."""
        role = AUDIENCE_ROLE[self.audience]
        return Actions(lambda action: bool(allowed_stages((role,), action)))

    @property
    def room(self) -> bool:
        """The room screen: it only shows, large (a layout, not a permission)."""
        return self.audience is Audience.SCREEN

    def listed(self, grant: str) -> str:
        """The actions with this grant, space-separated: what the page reveals (data-can)."""
        wanted = Grant(grant)
        return " ".join(sorted(action for action, given in self.grants.items() if given is wanted))


@dataclass(frozen=True)
class Actions:
    """`name` → a yes or no about that action, for a template."""

    answer: Callable[[Action], bool]

    def __getattr__(self, name: str) -> bool:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.answer(Action(name))


@cache
def allowed_roles(stage: Stage, action: Action) -> bool:
    """Whether any role may do the action in this stage (a template asks it per card)."""
    return any(may((role,), stage, action) for role in Role)


def grant(audience: Audience, stage: Stage, action: Action) -> Grant:
    role = AUDIENCE_ROLE[audience]
    if may((role,), stage, action):
        return Grant.ALL
    if role is not Role.SCREEN and may((role, Role.TIMEKEEPER), stage, action):
        return Grant.TIMEKEEPER
    return Grant.NONE


@cache
def can_for(audience: Audience, stage: Stage) -> Can:
    """The audience's Can in this stage: built once per pair, from the table."""
    audience, stage = Audience(audience), Stage(stage)
    return Can(audience, stage, {action: grant(audience, stage, action) for action in Action})


def card_context(meeting: Meeting) -> dict:
    """What every region's partial needs: the meeting and where it stands (the domain's
    constants and helpers are template globals: board/templating.py)."""
    stage = meeting.current_stage
    return {"meeting": meeting, "stage": stage, "step": stage.step}


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
    """What an emptied compose form needs: the meeting, not the whole board.

    Building the whole board context again after each card was a seventh of the server's
    time per change in the load benchmark.
    """
    return {"meeting": meeting}


# One builder per live region (board/regions.py): each loads only what its partial shows, so
# a clock push in step 4 does not load the cards.


def clock_context(meeting: Meeting, now: float) -> dict:
    return {
        **card_context(meeting),
        "timer": timer_view(meeting, now),
        "meeting_clock": meeting_clock_view(meeting, now),
    }


def prep_context(meeting: Meeting, now: float) -> dict:
    return {
        **card_context(meeting),
        "prep": [(q, getattr(meeting, f"prep_{q.key}")) for q in PREP_QUESTIONS],
    }


def questions_context(meeting: Meeting, now: float) -> dict:
    return {**card_context(meeting), "questions_count": len(meeting.questions)}


def questions_head_context(meeting: Meeting, now: float) -> dict:
    return {"questions_count": queries.count_cards(Question, meeting.id)}


def goal_context(meeting: Meeting, now: float) -> dict:
    return {
        **card_context(meeting),
        "goal_hints": check_goal(meeting.goal),
        "goal_moment": evaluation_moment(meeting.goal),
        "evaluation_planned": planned_evaluation_date(
            meeting.goal, meeting.meeting_date, meeting.evaluation_date
        ),
    }


def needs_context(meeting: Meeting, now: float) -> dict:
    on_board = [card for card in meeting.needs if card.on_board]
    return {
        **card_context(meeting),
        "needs_count": len(on_board),
        "needs_by_category": needs_by_category(on_board),
        "set_aside_needs": [card for card in meeting.needs if not card.on_board],
        "feasible_needs": [n for n in on_board if n.feasibility == Feasibility.FEASIBLE],
    }


def needs_head_context(meeting: Meeting, now: float) -> dict:
    return {"needs_count": queries.count_cards(NeedCard, meeting.id)}


def agreements_context(meeting: Meeting, now: float) -> dict:
    return {
        **card_context(meeting),
        "agreements_by_topic": {
            topic: [a for a in meeting.agreements if a.topic == topic] for topic in Topic
        },
    }


def yield_context(meeting: Meeting, now: float) -> dict:
    """The votes counted and how many could vote, in two small statements: every vote pushes
    this region, and the ORM's votes and participants cost more than the rest of a vote."""
    return {
        **card_context(meeting),
        "tally": tally(queries.ballots(meeting.id)),
        "participants_count": queries.count_rows(Participant, meeting.id),
    }


def join_context(meeting: Meeting, now: float | None = None) -> dict:
    return {
        "join_url": join_url(meeting),
        "join_unreachable": is_loopback_url(join_base()),
        "join_code": format_join_code(meeting.join_code),
    }


# What each stage shows below the step head (the clock and the controls, in every step): the
# builders of those parts. A step move loads only what the new stage shows: moving to the
# yield does not load the questions, the need cards and the agreements.
STAGE_PARTS: dict[Stage, tuple[Callable[[Meeting, float], dict], ...]] = {
    Stage.PREPARING: (prep_context, join_context),
    Stage.LOBBY: (prep_context, join_context),
    Stage.EXPLAIN: (prep_context,),
    Stage.QUESTIONS: (prep_context, questions_context),
    Stage.GOAL: (goal_context,),
    Stage.NEEDS: (goal_context, needs_context),
    Stage.FEASIBILITY: (goal_context, needs_context),
    Stage.AGREEMENTS: (agreements_context,),
    Stage.YIELD: (yield_context,),
    Stage.CLOSED: (goal_context, needs_context, agreements_context, yield_context),
}


def board_context(meeting: Meeting, now: float) -> dict:
    """What the whole board (the stage region, the page) needs in the meeting's stage. It
    depends on the meeting, never on the device."""
    context = {**clock_context(meeting, now), "server_now": now}
    for build in STAGE_PARTS[meeting.current_stage]:
        context.update(build(meeting, now))
    return context
