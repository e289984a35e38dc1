"""What every service does: load the meeting and the actor, authorize, commit and notify."""

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import current_app, has_app_context
from sqlalchemy.orm.attributes import set_committed_value

from board import queries
from board.access import DeviceRef
from board.audience import Audience
from board.domain import permissions
from board.domain.errors import Forbidden, NotFound, WrongStage
from board.domain.limits import check_room
from board.domain.permissions import Action, Role
from board.domain.text import N_
from board.extensions import db
from board.models import Meeting, NeedCard, Participant, Question
from board.notify import notify
from board.regions import Region, changed_card, new_card

NOT_JOINED = N_("Je doet niet mee aan deze bijeenkomst. Meld je eerst aan met de code.")
UNKNOWN_MEETING = N_("Deze bijeenkomst bestaat niet (meer).")
STALE = N_(
    "De bijeenkomst is intussen verder gegaan; je scherm is bijgewerkt. Probeer het opnieuw."
)


def utcnow() -> datetime:
    """Now, in UTC, as stored (naive)."""
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    """Today's date: the app's TODAY setting if a test set the clock, else the real one."""
    if has_app_context() and (fixed := current_app.config.get("TODAY")):
        return fixed
    return date.today()


def clock() -> float:
    """Now, in seconds since the epoch: what timers count from."""
    return time.time()


@dataclass(frozen=True)
class Actor:
    """A device that joined the meeting: a participant, or the room screen."""

    participant: Participant | None
    roles: frozenset[Role]

    @property
    def audience(self) -> Audience:
        if self.participant is None:
            return Audience.SCREEN
        if self.participant.role == Role.TEACHER:
            return Audience.TEACHER
        return Audience.COLLEAGUE

    @property
    def participant_id(self) -> int:
        if self.participant is None:
            raise Forbidden(NOT_JOINED)
        return self.participant.id


def get_meeting(meeting_id: str) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(UNKNOWN_MEETING)
    return meeting


def find_actor(meeting: Meeting, ref: DeviceRef | None) -> Actor | None:
    """The actor this device is in the meeting, or None if it has not joined."""
    if ref is None or ref.screen:
        return seated(ref, None)
    participant = db.session.get(Participant, ref.participant_id)
    if participant is None or participant.meeting_id != meeting.id:
        return None
    return seated(ref, participant)


def seated(ref: DeviceRef | None, participant: Participant | None) -> Actor | None:
    """The actor a device is, given the meeting's participant its cookie names (None when
    it names none of the meeting's): the room screen, that participant, or nobody."""
    if ref is not None and ref.screen:
        return Actor(None, frozenset({Role.SCREEN}))
    if participant is None:
        return None
    return Actor(participant, participant.roles())


def load(meeting_id: str, ref: DeviceRef | None) -> tuple[Meeting, Actor]:
    """The meeting and the acting device, in one statement (board/queries.py); Forbidden when
    the device has not joined it."""
    participant_id = ref.participant_id if ref is not None and not ref.screen else None
    found = queries.meeting_and_participant(meeting_id, participant_id)
    if found is None:
        raise NotFound(UNKNOWN_MEETING)
    meeting, participant = found
    actor = seated(ref, participant)
    if actor is None:
        raise Forbidden(NOT_JOINED)
    return meeting, actor


def authorize(
    meeting: Meeting, actor: Actor, action: Action, expected_stage: str | None = None
) -> None:
    """Ask the permission table; a form made for an earlier stage is refused as stale."""
    permissions.check(actor.roles, meeting.current_stage, action)
    if expected_stage and expected_stage != meeting.stage:
        raise WrongStage(STALE)


def act(
    meeting_id: str, ref: DeviceRef | None, action: Action, expected_stage: str | None = None
) -> tuple[Meeting, Actor]:
    """Load and authorize in one go: what most commands start with."""
    meeting, actor = load(meeting_id, ref)
    authorize(meeting, actor, action, expected_stage)
    return meeting, actor


def act_to_add(
    kind: type[NeedCard] | type[Question],
    meeting_id: str,
    ref: DeviceRef | None,
    action: Action,
    expected_stage: str | None = None,
    client_key: object = None,
) -> tuple[Meeting, Actor, queries.Seat]:
    """act() for adding a card, the most frequent command, in one statement
    (board/queries.py): the meeting, the device's participant, and the seat's card its
    client key already made and rows of that kind (for domain/limits' check_room)."""
    found = queries.seat(kind, meeting_id, ref.participant_id if ref else None, client_key)
    if found is None:
        raise NotFound(UNKNOWN_MEETING)
    actor = seated(ref, found.participant)
    if actor is None:
        raise Forbidden(NOT_JOINED)
    authorize(found.meeting, actor, action, expected_stage)
    return found.meeting, actor, found


def commit(
    meeting: Meeting,
    *regions: Region,
    added: NeedCard | Question | None = None,
    changed: NeedCard | Question | None = None,
) -> int:
    """Bump the version (atomically, in SQL) and the last activity, commit, then push the
    changed regions, or the one card that was added (appended on every screen, not the whole
    list again) or changed in place (swapped for its element). Returns the new version, for
    the caller's response."""
    # The card's push is prepared in the transaction that added it: its count is read
    # there, with the bump, not in a second transaction after the commit.
    card = None
    if added is not None:
        version, count = queries.bump_counting(type(added), meeting.id, utcnow())
        card = new_card(meeting, added, count)
    else:
        version = queries.bump_version(meeting.id, utcnow())
        if changed is not None:
            card = changed_card(meeting, changed)
    set_committed_value(meeting, "version", version)
    db.session.commit()
    notify(meeting, regions, card)
    return meeting.version


def ensure_room(meeting: Meeting, kind: str, model) -> None:
    """Refuse one more of a kind (a card, a question, a participant) when the meeting holds
    the most it may; counted in SQL, without loading the rows."""
    check_room(kind, queries.count_rows(model, meeting.id))
