"""The follow-up on the evaluation date: the date, "Is het doel gehaald?", the next small
step, and a follow-up meeting for the same pupil that continues the chain."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from board import regions
from board.access import DeviceRef
from board.domain.dutch_dates import dutch_date
from board.domain.errors import InvalidInput, NotFound
from board.domain.goal import planned_evaluation_date
from board.domain.needs import Feasibility
from board.domain.next_step import (
    RESULT_LABELS,
    NextStep,
    Result,
    follow_up_preparation,
    propose_next_step,
)
from board.domain.permissions import Action, TeamAction, may_team
from board.domain.text import LIMITS, N_, clean_text
from board.extensions import db
from board.models import Account, Meeting, Team
from board.services.common import act, commit, today
from board.services.meetings import (
    create_meeting,
    earlier_meetings,
    later_meetings,
    teacher_of,
)
from board.team.service import role_in

BAD_DATE = N_("Evaluatiedatum: kies een geldige datum.")
BEFORE_MEETING = N_(
    "De evaluatiedatum ligt vóór de bijeenkomst (%(meeting)s). Kies een datum op of na die dag."
)
NO_RESULT = N_("Kies of het doel gehaald is: gehaald, deels of niet.")


@dataclass(frozen=True)
class ChainLink:
    id: str
    meeting_date: date


@dataclass(frozen=True)
class FollowUp:
    """What the teacher's summary shows about the follow-up."""

    planned: date | None
    due: bool  # the date has come: the view asks "Is het doel gehaald?"
    result: Result | None
    result_label: str | None
    early: bool  # recorded before the planned date
    proposal: NextStep | None
    earlier: list[ChainLink]
    later: list[ChainLink]


def planned_date(meeting: Meeting) -> date | None:
    return planned_evaluation_date(meeting.goal, meeting.meeting_date, meeting.evaluation_date)


def follow_up_of(meeting: Meeting) -> FollowUp:
    planned = planned_date(meeting)
    result = Result(meeting.evaluation_result) if meeting.evaluation_result else None
    early = bool(result and planned and meeting.evaluated_on and meeting.evaluated_on < planned)
    return FollowUp(
        planned=planned,
        due=planned is not None and today() >= planned,
        result=result,
        result_label=RESULT_LABELS[result] if result else None,
        early=early,
        proposal=propose_next_step(meeting.goal_text, result) if result else None,
        earlier=[_link(m) for m in reversed(earlier_meetings(meeting))],
        later=[_link(m) for m in later_meetings(meeting)],
    )


def set_evaluation_date(meeting_id: str, ref: DeviceRef | None, value: object) -> int:
    """The teacher picks or corrects the date; empty goes back to the one her goal names."""
    meeting, _ = act(meeting_id, ref, Action.SET_EVALUATION_DATE)
    text = str(value or "").strip()
    try:
        picked = date.fromisoformat(text) if text else None
    except ValueError:
        raise InvalidInput(BAD_DATE) from None
    if picked is not None and picked < meeting.meeting_date:
        raise InvalidInput(BEFORE_MEETING, meeting=dutch_date(meeting.meeting_date))
    meeting.evaluation_date = picked
    return commit(meeting, regions.GOAL)


def evaluate(meeting_id: str, ref: DeviceRef | None, form: Mapping[str, str]) -> int:
    """Record "Is het doel gehaald?"; before the planned date too (the summary notes it)."""
    meeting, _ = act(meeting_id, ref, Action.EVALUATE_GOAL)
    try:
        result = Result(str(form.get("result") or ""))
    except ValueError:
        raise InvalidInput(NO_RESULT) from None
    limit = LIMITS["answer"]
    worked = clean_text(form.get("worked"), limit=limit, label=N_("Wat werkte"), required=False)
    not_worked = clean_text(
        form.get("not_worked"), limit=limit, label=N_("Wat werkte niet"), required=False
    )
    meeting.evaluation_result = result.value
    meeting.evaluation_worked = worked
    meeting.evaluation_not_worked = not_worked
    meeting.evaluated_on = today()
    return commit(meeting)


def team_to_follow(meeting: Meeting, account: Account | None) -> Team | None:
    """The first meeting's team, if the follow-up may join it (see start_follow_up)."""
    team = meeting.team
    role = role_in(team, account) if team is not None else None
    # START_FOLLOW_UP is the teacher's alone (act checked it): she is the meeting's teacher.
    if not may_team(role, TeamAction.ATTACH_MEETING, teacher_of_meeting=True):
        return None
    return team


def start_follow_up(
    meeting_id: str, ref: DeviceRef | None, account: Account | None = None
) -> Meeting:
    """A new meeting for the same pupil, its preparation prefilled from this one; a second
    tap leads to the follow-up already made. It joins the first one's team only while the
    teacher is signed in as a member of it: a meeting joins a team by her choice alone."""
    meeting, _ = act(meeting_id, ref, Action.START_FOLLOW_UP)
    if existing := later_meetings(meeting)[:1]:
        return existing[0]
    follow = create_meeting(
        {
            "pupil_alias": meeting.pupil_alias,
            "alias_confirmed": "1",
            "group_name": meeting.group_name,
            "meeting_date": today().isoformat(),
            "title": meeting.title,
            "teacher_name": teacher_of(meeting).name,
        },
        team=team_to_follow(meeting, account),
    )
    state = follow_up_of(meeting)
    prefill = follow_up_preparation(
        dutch_date(meeting.meeting_date),
        meeting.goal_text,
        [card.text for card in meeting.needs if card.feasibility == Feasibility.FEASIBLE],
        state.result_label,
        meeting.evaluation_worked,
        meeting.evaluation_not_worked,
        state.proposal,
    )
    for key, text in prefill.items():
        setattr(follow, f"prep_{key}", text)
    follow.previous_meeting_id = meeting.id
    db.session.commit()
    return follow


def _link(meeting: Meeting) -> ChainLink:
    return ChainLink(meeting.id, meeting.meeting_date)


NO_EVALUATION_DATE = N_(
    "Er is nog geen evaluatiedatum. Kies er een bij 'Evaluatie en vervolg'; "
    "dan kan hij in je agenda."
)


def evaluation_of(meeting_id: str, ref: DeviceRef | None) -> tuple[Meeting, date]:
    """The teacher's meeting and its evaluation date, for her calendar; NotFound without one."""
    meeting, _ = act(meeting_id, ref, Action.VIEW_SUMMARY)
    planned = planned_date(meeting)
    if planned is None:
        raise NotFound(NO_EVALUATION_DATE)
    return meeting, planned
