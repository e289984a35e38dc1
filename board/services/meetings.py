"""Creating and preparing a meeting, joining it, the lobby, and deleting it."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, func, or_

from board import ratelimit, regions
from board.access import DeviceRef
from board.domain import permissions, schedule
from board.domain.codes import new_join_code, new_token, normalize_join_code
from board.domain.errors import (
    InvalidInput,
    MeetingClosed,
    NotFound,
    TooManyRequests,
    WrongStage,
)
from board.domain.goal import planned_evaluation_date
from board.domain.limits import Decision, check_room, client_key
from board.domain.names import clean_alias, clean_group, teacher_name
from board.domain.permissions import Action, Role
from board.domain.preparation import PREP_KEYS
from board.domain.steps import STEPS, Stage
from board.domain.text import LIMITS, N_, clean_name, clean_text, name_key
from board.extensions import db
from board.models import Agreement, Meeting, Participant, PrepRead, StepTime, Team
from board.notify import notify_deleted
from board.queries import insert_once
from board.services.common import act, commit, find_actor, load, today, utcnow

UNKNOWN_CODE = N_("Die code kennen we niet. Kijk hem na en probeer het opnieuw.")
NOT_OPEN_YET = N_("Deze bijeenkomst is nog niet geopend. Wacht tot de inbrenger de lobby opent.")
ENDED = N_("Deze bijeenkomst is afgelopen; meedoen kan niet meer.")
NAME_TAKEN = N_(
    "Die naam is al in gebruik in deze bijeenkomst. Kies een andere, bijvoorbeeld met een initiaal."
)
PREPARATION_CLOSED = N_(
    "Deze bijeenkomst is afgesloten, dus de voorbereiding is hier niet meer te lezen. "
    "De inbrenger heeft alles nog."
)
TOO_MANY_JOINS = N_(
    "Te veel aanmeldingen in korte tijd. Wacht %(seconds)s seconden en probeer het dan opnieuw."
)
TOO_MANY_CODES = N_(
    "Er zijn net te veel onbekende codes geprobeerd. Wacht %(seconds)s seconden, kijk de code "
    "goed na en probeer het dan opnieuw."
)


def create_meeting(form: Mapping[str, str], team: Team | None = None) -> Meeting:
    """A new meeting in preparation, with its teacher, secret links and join code; in a
    team, attached to it and timed with the team's minutes per step."""
    alias = clean_alias(form.get("pupil_alias"), confirmed=bool(form.get("alias_confirmed")))
    group = clean_group(form.get("group_name"))
    when = schedule.meeting_day(form.get("meeting_date"), today())
    start = schedule.start_time(form.get("start_time"))
    place = clean_text(form.get("place"), limit=LIMITS["place"], label=N_("Plaats"), required=False)
    title = clean_text(form.get("title"), limit=LIMITS["title"], label=N_("Titel"), required=False)
    name = teacher_name(form.get("teacher_name"), alias)
    now = utcnow()
    meeting = Meeting(
        id=new_token()[:12],
        pupil_alias=alias,
        group_name=group,
        meeting_date=when,
        start_time=start,
        place=place,
        title=title,
        stage=Stage.PREPARING.value,
        version=1,
        teacher_token=new_token(),
        screen_token=new_token(),
        prep_token=new_token(),
        join_code=unused_join_code(),
        created_at=now,
        last_active_at=now,
        team_id=team.id if team is not None else None,
        step_minutes=team.step_minutes if team is not None else None,
    )
    meeting.participants.append(
        Participant(name=name, name_key=name_key(name), role=Role.TEACHER, joined_at=utcnow())
    )
    plan_step_times(meeting)
    db.session.add(meeting)
    db.session.commit()
    return meeting


def plan_step_times(meeting: Meeting) -> None:
    """The step timers planned from the meeting's minutes (its team's, else the method's)."""
    rows = {row.step: row for row in meeting.step_times}
    for step, minutes in zip(STEPS, meeting.minutes, strict=True):
        if (row := rows.get(step.number)) is None:
            meeting.step_times.append(StepTime(step=step.number, planned_seconds=minutes * 60))
        else:
            row.planned_seconds = minutes * 60


def unused_join_code() -> str:
    while True:
        code = new_join_code()
        taken = db.session.execute(db.select(Meeting.id).filter_by(join_code=code)).first()
        if taken is None:
            return code


def teacher_of(meeting: Meeting) -> Participant:
    return next(p for p in meeting.participants if p.role == Role.TEACHER)


def by_token(column: str, token: str) -> Meeting:
    """The meeting a secret link belongs to; NotFound for anything else."""
    meeting = db.session.execute(
        db.select(Meeting).where(getattr(Meeting, column) == token)
    ).scalar_one_or_none()
    if meeting is None:
        raise NotFound("Deze link klopt niet, of de bijeenkomst is verwijderd.")
    return meeting


def save_preparation(meeting_id: str, ref: DeviceRef | None, field: str, value: object) -> int:
    """Autosave one preparation answer."""
    meeting, _ = act(meeting_id, ref, Action.EDIT_PREPARATION)
    if field not in PREP_KEYS:
        raise InvalidInput("Onbekende vraag.")
    answer = clean_text(value, limit=LIMITS["answer"], label=N_("Antwoord"), required=False)
    setattr(meeting, f"prep_{field}", answer)
    return commit(meeting, regions.PREP)


def preparation_for(prep_token: str, device: Callable[[str], DeviceRef | None]) -> Meeting:
    """The meeting whose preparation the reading link shows, until the meeting is closed.
    Then only the teacher's devices still see it: after closing, what the meeting holds is
    hers alone, by the rule that gives her the summary. `device` finds this device's entry."""
    meeting = by_token("prep_token", prep_token)
    stage = meeting.current_stage
    if stage is Stage.CLOSED:
        actor = find_actor(meeting, device(meeting.id))
        if actor is None or not permissions.may(actor.roles, stage, Action.VIEW_SUMMARY):
            raise MeetingClosed(PREPARATION_CLOSED)
    return meeting


def mark_prep_read(prep_token: str, name: object) -> Meeting:
    """A colleague says they read the preparation (before the meeting)."""
    meeting = by_token("prep_token", prep_token)
    if meeting.current_stage is Stage.CLOSED:
        raise WrongStage(ENDED)
    clean = clean_name(name)
    key = name_key(clean)
    if any(name_key(read.name) == key for read in meeting.prep_reads):
        return meeting
    row = {"meeting_id": meeting.id, "name": clean, "name_key": key, "read_at": utcnow()}
    if insert_once(PrepRead, row, unique=("meeting_id", "name_key")) is not None:
        db.session.expire(meeting, ["prep_reads"])
        commit(meeting, regions.PREP_READS)
    return meeting


def open_lobby(meeting_id: str, ref: DeviceRef | None) -> int:
    """The teacher opens the meeting: from now on the join code works."""
    meeting, _ = act(meeting_id, ref, Action.OPEN_LOBBY)
    meeting.stage = Stage.LOBBY.value
    return commit(meeting, regions.STAGE)


def meeting_for_code(code: str, address: str | None) -> Meeting:
    """The open meeting behind a join code, or a clear reason why it cannot be joined.

    Every route that takes a code comes here. A code that matches no meeting counts against
    the address and against everyone together; while either has tried too many, no code is
    looked up at all (a right one neither), so guessing codes gets nowhere."""
    guards = (("codes", f"address:{client_key(address)}"), ("codes_global", "all"))
    for name, key in guards:
        refuse_when_full(ratelimit.peek(name, key), TOO_MANY_CODES)
    meeting = db.session.execute(
        db.select(Meeting).filter_by(join_code=normalize_join_code(code))
    ).scalar_one_or_none()
    if meeting is None:
        for name, key in guards:
            ratelimit.hit(name, key)
        raise NotFound(UNKNOWN_CODE)
    if meeting.current_stage is Stage.CLOSED:
        raise WrongStage(ENDED)
    if not meeting.current_stage.is_open:
        raise WrongStage(NOT_OPEN_YET)
    return meeting


@dataclass(frozen=True)
class JoinPreview:
    """What the join page says about a meeting before anyone joined: enough for a colleague
    to recognise it (the day, who brings it in), nothing about the pupil."""

    meeting_date: date
    teacher: str | None


def join_preview(meeting: Meeting) -> JoinPreview:
    """The join page's description of the meeting; no teacher name when she gave none (the
    default name holds the pupil's alias)."""
    name = teacher_of(meeting).name
    given = name != teacher_name(None, meeting.pupil_alias)
    return JoinPreview(meeting.meeting_date, name if given else None)


def refuse_when_full(decision: Decision, message: str) -> None:
    """429 with the seconds to wait, when the limit says no."""
    if not decision.allowed:
        raise TooManyRequests(message, seconds=max(1, round(decision.retry_after)))


def limit_joins(code: str, address: str | None) -> None:
    """Join attempts are limited per meeting (its code) and per address: no flood of names
    in a meeting. Every attempt counts, a failed one too."""
    for key in (f"code:{normalize_join_code(code)}", f"address:{client_key(address)}"):
        refuse_when_full(ratelimit.hit("join", key), TOO_MANY_JOINS)


def join(code: str, name: object, address: str | None = None) -> Participant:
    """A colleague joins an open meeting under a display name unique in that meeting."""
    limit_joins(code, address)
    meeting = meeting_for_code(code, address)
    clean = clean_name(name)
    key = name_key(clean)
    # Keys are computed again: a look-alike of any name present, the teacher's too, is taken.
    if any(name_key(p.name) == key for p in meeting.participants):
        raise InvalidInput(NAME_TAKEN)
    check_room("participants", len(meeting.participants))
    row = {"meeting_id": meeting.id, "name": clean, "name_key": key, "role": Role.COLLEAGUE}
    added = insert_once(Participant, {**row, "joined_at": utcnow()}, ("meeting_id", "name_key"))
    if added is None:  # the same name, joined a moment ago
        raise InvalidInput(NAME_TAKEN)
    db.session.expire(meeting, ["participants"])
    commit(meeting, regions.PARTICIPANTS)
    return db.session.get(Participant, added)


def assign_timekeeper(meeting_id: str, ref: DeviceRef | None, participant_id: object) -> int:
    """The teacher makes a participant (or themselves) the timekeeper."""
    meeting, _ = act(meeting_id, ref, Action.ASSIGN_TIMEKEEPER)
    chosen = next((p for p in meeting.participants if str(p.id) == str(participant_id)), None)
    if chosen is None:
        raise InvalidInput("Kies een tijdbewaker uit de deelnemers.")
    meeting.timekeeper_id = chosen.id
    return commit(meeting, regions.PARTICIPANTS, regions.STAGE)


def delete_meeting(meeting_id: str, ref: DeviceRef | None, confirmation: object) -> None:
    """The teacher deletes the meeting and everything in it, at once."""
    meeting, _ = act(meeting_id, ref, Action.DELETE_MEETING)
    if str(confirmation or "").strip().casefold() != meeting.pupil_alias.casefold():
        raise InvalidInput("Typ de naam van de leerling om het verwijderen te bevestigen.")
    _erase(meeting)
    db.session.commit()
    notify_deleted(meeting_id)


def _erase(meeting: Meeting) -> None:
    """Delete a meeting with every row that belongs to it."""
    meeting.timekeeper_id = None  # the one reference back into the rows being deleted
    db.session.flush()
    db.session.delete(meeting)


def purge_expired(retention_days: int) -> int:
    """Delete every meeting closed more than retention_days ago, and every meeting never
    closed that saw no change for as long; returns how many. Meetings about one pupil that
    follow each other form a chain, kept as long as any meeting in it is kept: retention
    counts from the last activity in the chain."""
    cutoff = utcnow() - timedelta(days=retention_days)
    expired = or_(
        Meeting.closed_at < cutoff,
        and_(
            Meeting.closed_at.is_(None),
            func.coalesce(Meeting.last_active_at, Meeting.created_at) < cutoff,
        ),
    )
    candidates = db.session.execute(db.select(Meeting).where(expired)).scalars().all()
    ids = {meeting.id for meeting in candidates}
    return _purge(Meeting.id.in_([m.id for m in candidates if chain_ids(m) <= ids]))


def purge_meetings(meeting_ids: Iterable[str]) -> int:
    """Delete these meetings at once, whatever their state (the host, after a data breach);
    returns how many there were."""
    return _purge(Meeting.id.in_(list(meeting_ids)))


def _purge(condition: ColumnElement[bool]) -> int:
    count = 0
    for meeting in db.session.execute(db.select(Meeting).where(condition)).scalars().all():
        _erase(meeting)
        count += 1
    db.session.commit()
    return count


# A guard against a loop of links that no code makes, but a hand-edited database might.
MAX_CHAIN = 100


def chain_ids(meeting: Meeting) -> set[str]:
    """Every meeting in this one's chain, itself included."""
    return (
        {meeting.id}
        | {m.id for m in earlier_meetings(meeting)}
        | {m.id for m in later_meetings(meeting)}
    )


def earlier_meetings(meeting: Meeting) -> list[Meeting]:
    """The meetings this one follows up, the latest first."""
    found: list[Meeting] = []
    current = meeting
    while current.previous_meeting_id and len(found) < MAX_CHAIN:
        current = db.session.get(Meeting, current.previous_meeting_id)
        if current is None:
            break
        found.append(current)
    return found


def later_meetings(meeting: Meeting) -> list[Meeting]:
    """The follow-ups of this meeting, in order."""
    found: list[Meeting] = []
    current: Meeting | None = meeting
    while current is not None and len(found) < MAX_CHAIN:
        current = (
            db.session.execute(
                db.select(Meeting)
                .where(Meeting.previous_meeting_id == current.id)
                .order_by(Meeting.created_at)
            )
            .scalars()
            .first()
        )
        if current is not None:
            found.append(current)
    return found


@dataclass(frozen=True)
class MyMeetings:
    """The teacher's own meetings on this device, as the home page lists them."""

    upcoming: list[Meeting]
    running: list[Meeting]
    to_evaluate: list[Meeting]
    closed: list[Meeting]

    def __bool__(self) -> bool:
        return any((self.upcoming, self.running, self.to_evaluate, self.closed))


def my_meetings(participant_ids: Mapping[str, int], today: date) -> MyMeetings:
    """The meetings in which this device is the teacher (its cookie says who it is in each):
    not yet opened, open or running, closed and due for evaluation, closed."""
    rows = db.session.execute(
        db.select(Meeting)
        .join(Participant, Participant.meeting_id == Meeting.id)
        .where(Meeting.id.in_(list(participant_ids)), Participant.role == Role.TEACHER)
        .order_by(Meeting.meeting_date, Meeting.start_time)
    ).scalars()
    mine = [m for m in rows if teacher_of(m).id == participant_ids[m.id]]
    closed = [m for m in mine if m.current_stage is Stage.CLOSED]
    due = [m for m in closed if (evaluation_day(m) or date.max) <= today]
    return MyMeetings(
        upcoming=[m for m in mine if m.current_stage is Stage.PREPARING],
        running=[m for m in mine if m.current_stage.is_open],
        to_evaluate=due,
        closed=[m for m in reversed(closed) if m not in due],
    )


def evaluation_day(meeting: Meeting) -> date | None:
    """The evaluation's date while it is still to be done: picked by the teacher or understood
    from step 3 ("na zes weken"); None once the evaluation is recorded."""
    if meeting.evaluation_result:
        return None
    return planned_evaluation_date(meeting.goal, meeting.meeting_date, meeting.evaluation_date)


def agreement_of(
    meeting_id: str, ref: DeviceRef | None, agreement_id: str
) -> tuple[Meeting, Agreement]:
    """An agreement of a meeting this device joined (for its calendar item)."""
    meeting, _ = load(meeting_id, ref)
    found = next((a for a in meeting.agreements if str(a.id) == str(agreement_id)), None)
    if found is None:
        raise NotFound("Deze afspraak bestaat niet (meer).")
    return meeting, found
