"""The team's cycle: slots an admin plans and a teacher takes (then they are meetings), the
team's secret calendar feed, the team's minutes per step, and the figures of its meetings.
Who may do what comes from the team permission table (board.domain.permissions)."""

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from sqlalchemy import update

from board.domain import schedule
from board.domain.codes import new_token
from board.domain.errors import Forbidden, InvalidInput, NotFound, WrongStage
from board.domain.next_step import Result
from board.domain.permissions import TeamAction
from board.domain.steps import STEPS, Stage
from board.domain.tally import tally
from board.domain.team_figures import MeetingRecord, StepRun
from board.domain.team_template import clean_minutes, stored, total_minutes
from board.domain.text import LIMITS, N_, clean_text
from board.exports.calendar import Event, calendar
from board.extensions import db
from board.models import Account, Meeting, Slot, Team
from board.services.common import clock, today, utcnow
from board.services.meetings import create_meeting, teacher_of
from board.team.service import team_for

NO_PRESENTER = N_("Wie brengt er in? Kies een teamlid of vul een naam in.")
UNKNOWN_PRESENTER = N_("Die persoon is geen lid van dit team. Kies een teamlid of vul een naam in.")
UNKNOWN_SLOT = N_("Dit inbrengmoment bestaat niet (meer).")
SLOT_TAKEN = N_("Dit inbrengmoment is al een bijeenkomst geworden.")
NOT_YOUR_SLOT = N_(
    "Dit inbrengmoment is van %(name)s. Alleen die persoon maakt er een bijeenkomst van."
)
NO_FEED = N_("Deze agendalink werkt niet (meer). Vraag de beheerder van het team om de nieuwe.")
FEED_PAST_DAYS = 90  # the feed keeps the last three months too, for reference


# ---- slots --------------------------------------------------------------------------------


def plan_slot(public_id: str, account: Account, form: Mapping[str, str]) -> Slot:
    """An admin plans who brings in a pupil when and where."""
    team, _ = team_for(public_id, account, TeamAction.PLAN_SLOT)
    day = schedule.meeting_day(form.get("slot_date"), today())
    start = schedule.start_time(form.get("start_time"))
    place = clean_text(form.get("place"), limit=LIMITS["place"], label=N_("Plaats"), required=False)
    presenter, presenter_account = _presenter(team, form)
    slot = Slot(
        team_id=team.id,
        slot_date=day,
        start_time=start,
        place=place,
        presenter=presenter,
        presenter_account_id=presenter_account.id if presenter_account else None,
        created_at=utcnow(),
    )
    db.session.add(slot)
    db.session.commit()
    return slot


def _presenter(team: Team, form: Mapping[str, str]) -> tuple[str, Account | None]:
    """A member of the team (by account), or a name typed in for someone without an account."""
    chosen = str(form.get("presenter_account_id") or "").strip()
    if chosen:
        member = next((m for m in team.memberships if str(m.account_id) == chosen), None)
        if member is None:
            raise InvalidInput(UNKNOWN_PRESENTER)
        return member.account.display_name, member.account
    name = clean_text(
        form.get("presenter"), limit=LIMITS["name"], label=N_("Inbrenger"), required=False
    )
    if not name:
        raise InvalidInput(NO_PRESENTER)
    return name, None


def _slot(team: Team, slot_id: object) -> Slot:
    slot = next((s for s in team.slots if str(s.id) == str(slot_id)), None)
    if slot is None:
        raise NotFound(UNKNOWN_SLOT)
    return slot


def remove_slot(public_id: str, account: Account, slot_id: object) -> None:
    """An admin takes a slot out of the plan; one that became a meeting stays."""
    team, _ = team_for(public_id, account, TeamAction.PLAN_SLOT)
    slot = _slot(team, slot_id)
    if slot.meeting_id:
        raise WrongStage(SLOT_TAKEN)
    db.session.delete(slot)
    db.session.commit()


def slot_to_take(public_id: str, account: Account, slot_id: object) -> tuple[Team, Slot]:
    """The slot this account may turn into her meeting: not taken yet, and planned for her
    (or for a name the admin typed, which any member may take)."""
    team, _ = team_for(public_id, account, TeamAction.TAKE_SLOT)
    slot = _slot(team, slot_id)
    if slot.meeting_id:
        raise WrongStage(SLOT_TAKEN)
    if not is_hers(slot, account):
        raise Forbidden(NOT_YOUR_SLOT, name=slot.presenter)
    return team, slot


def is_hers(slot: Slot, account: Account) -> bool:
    """Planned for this account, or for a name without an account (any member's then)."""
    return slot.presenter_account_id in (None, account.id)


def take_slot(
    public_id: str, account: Account, slot_id: object, form: Mapping[str, str]
) -> Meeting:
    """The teacher makes her meeting of the slot: its date, time and place, the pupil she
    names, the team's minutes per step, attached to the team. Taken once: of two at the
    same moment, the second gets SLOT_TAKEN and no meeting."""
    team, slot = slot_to_take(public_id, account, slot_id)
    fields = {
        "pupil_alias": form.get("pupil_alias", ""),
        "alias_confirmed": form.get("alias_confirmed", ""),
        "group_name": form.get("group_name", ""),
        "title": form.get("title", ""),
        "meeting_date": slot.slot_date.isoformat(),
        "start_time": slot.start_time.strftime("%H:%M") if slot.start_time else "",
        "place": slot.place,
        "teacher_name": account.display_name,
    }
    planned = slot.id
    meeting = create_meeting(fields, team=team)
    made = meeting.id
    # Claimed in the statement that checks it is free: a take that landed meanwhile wins.
    claimed = db.session.execute(
        update(Slot).where(Slot.id == planned, Slot.meeting_id.is_(None)).values(meeting_id=made)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        db.session.delete(db.session.get(Meeting, made))
        db.session.commit()
        raise WrongStage(SLOT_TAKEN)
    db.session.commit()
    return meeting


def upcoming_slots(team: Team) -> list[Slot]:
    """The plan from today on, with the slots that became meetings."""
    return [slot for slot in team.slots if slot.slot_date >= today()]


def presenters(team: Team) -> list[Account]:
    """Who can be chosen to bring in: the team's members, by name."""
    return sorted((m.account for m in team.memberships), key=lambda a: a.display_name.casefold())


# ---- the calendar feed --------------------------------------------------------------------


def turn_feed_on(public_id: str, account: Account) -> Team:
    """A new secret feed address; an address given out before stops working."""
    team, _ = team_for(public_id, account, TeamAction.MANAGE_FEED)
    team.feed_token = new_token()
    db.session.commit()
    return team


def turn_feed_off(public_id: str, account: Account) -> Team:
    team, _ = team_for(public_id, account, TeamAction.MANAGE_FEED)
    team.feed_token = None
    db.session.commit()
    return team


def team_of_feed(token: str) -> Team:
    team = db.session.execute(db.select(Team).filter_by(feed_token=token)).scalar_one_or_none()
    if team is None or not token:
        raise NotFound(NO_FEED)
    return team


def feed_calendar(token: str, host: str) -> bytes:
    """The team's planned meetings as a calendar: slots not yet taken and the team's meetings,
    from three months back on. Who brings in and the group, never the pupil: a calendar is
    copied to many devices and services."""
    team = team_of_feed(token)
    since = today() - timedelta(days=FEED_PAST_DAYS)
    events = [
        _event(
            f"slot-{s.id}@{host}",
            s.slot_date,
            s.start_time,
            team.step_minutes,
            s.presenter,
            "",
            s.place,
        )
        for s in team.slots
        if s.meeting_id is None and s.slot_date >= since
    ]
    events += [
        _event(
            f"meeting-{m.id}@{host}",
            m.meeting_date,
            m.start_time,
            m.step_minutes,
            teacher_of(m).name,
            m.group_name,
            m.place,
        )
        for m in team.meetings
        if m.meeting_date >= since
    ]
    events.sort(key=lambda event: str(event.start))
    return calendar(events, utcnow())


def _event(
    uid: str, day: date, start: time | None, minutes: str | None, who: str, group: str, place: str
) -> Event:
    """A timed item as long as the meeting's minutes per step add up to; else all day."""
    if start is not None:
        begins = datetime.combine(day, start)
        ends: date | datetime = begins + timedelta(minutes=total_minutes(minutes))
    else:
        begins, ends = day, day + timedelta(days=1)
    who = f"{who} (groep {group})" if group else who
    return Event(
        uid=uid, start=begins, end=ends, summary=f"Intervisie: {who} brengt in", location=place
    )


# ---- the team's minutes per step ----------------------------------------------------------


def set_step_minutes(public_id: str, account: Account, form: Mapping[str, str]) -> Team:
    """The team's own time box per step; the team's new meetings use it."""
    team, _ = team_for(public_id, account, TeamAction.SET_STEP_MINUTES)
    minutes = clean_minutes([form.get(f"step_{step.number}") for step in STEPS])
    team.step_minutes = stored(minutes)
    db.session.commit()
    return team


# ---- figures ------------------------------------------------------------------------------


def meeting_records(public_id: str, account: Account) -> tuple[Team, list[MeetingRecord]]:
    """The figures of every meeting of the team: numbers and dates, no content."""
    team, _ = team_for(public_id, account, TeamAction.VIEW_FIGURES)
    now = clock()
    return team, [_record(meeting, now) for meeting in team.meetings]


def _record(meeting: Meeting, now: float) -> MeetingRecord:
    counted = tally(meeting.votes)
    return MeetingRecord(
        day=meeting.meeting_date,
        worth_votes=counted.yes,
        not_worth_votes=counted.no,
        steps=[
            StepRun(row.step, row.planned_seconds, row.timer.elapsed_at(now))
            for row in meeting.step_times
        ],
        result=Result(meeting.evaluation_result) if meeting.evaluation_result else None,
        closed=meeting.current_stage is Stage.CLOSED,
        label=teacher_of(meeting).name,
    )
