"""The statements of the most frequent change, a new card, in SQLAlchemy Core, built once.

A team in step 4 posts a card every few seconds. Through the ORM each query of that path
cost several times the statement itself: a new statement object built and keyed for the
cache on every call, the unit of work, instances loaded and tracked. These statements are
built once, at import, and run on the session's connection, inside its transaction.

What they read comes back as detached model objects that hold only the columns read: the
templates and the push use them as usual, and an attribute that was not read raises
DetachedInstanceError instead of quietly loading (or reading None).
"""

from datetime import datetime
from functools import cache

from sqlalchemy import Row, Select, and_, bindparam, func, insert, select, update
from sqlalchemy.orm import configure_mappers, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from board.extensions import db
from board.models import Meeting, NeedCard, Participant, Question

MEETING = Meeting.__table__
PARTICIPANT = Participant.__table__

# The meeting as adding a card reads it (the stage to authorize, the version to bump, what
# the card's partial shows), and the device's participant in it, if it is one.
_MEETING_COLUMNS = ("id", "stage", "version", "timekeeper_id", "pupil_alias")
_SEAT = (
    select(
        *(MEETING.c[name] for name in _MEETING_COLUMNS),
        PARTICIPANT.c.role.label("participant_role"),
    )
    .select_from(
        MEETING.outerjoin(
            PARTICIPANT,
            and_(
                PARTICIPANT.c.meeting_id == MEETING.c.id,
                PARTICIPANT.c.id == bindparam("participant_id"),
            ),
        )
    )
    .where(MEETING.c.id == bindparam("meeting_id"))
)

_BUMP = (
    update(MEETING)
    .where(MEETING.c.id == bindparam("meeting_id"))
    .values(version=MEETING.c.version + 1, last_active_at=bindparam("now"))
    .returning(MEETING.c.version)
)

_NEED_BY_KEY = select(NeedCard.__table__.c.id).where(
    NeedCard.__table__.c.meeting_id == bindparam("meeting_id"),
    NeedCard.__table__.c.client_key == bindparam("client_key"),
)

# Every column comes back from the insert: the card pushed is the card as stored.
_INSERT = {
    kind: insert(kind.__table__).returning(*kind.__table__.c) for kind in (NeedCard, Question)
}
_COUNT = {
    kind: select(func.count())
    .select_from(kind.__table__)
    .where(kind.__table__.c.meeting_id == bindparam("meeting_id"))
    for kind in (NeedCard, Question)
}
# The need cards on the board: a card set aside is not counted.
_COUNT[NeedCard] = _COUNT[NeedCard].where(NeedCard.__table__.c.aside_reason.is_(None))


def _detached(model, values):
    """A model object as if loaded and then detached: only `values` are loaded. Built as
    the ORM builds a loaded row (no constructor, no attribute events: those were a tenth of
    adding a card), then detached: an attribute that was not read is expired."""
    mapper = model.__mapper__
    if not mapper.configured:  # the constructor would have configured the mappers
        configure_mappers()
    instance = mapper.class_manager.new_instance()
    instance.__dict__.update(values)
    make_transient_to_detached(instance)
    return instance


def meeting_and_participant(
    meeting_id: str, participant_id: int | None
) -> tuple[Meeting, Participant | None] | None:
    """The meeting (detached, with the columns adding a card reads) and the participant
    (transient: its id, role and meeting) in one query; None when there is no such meeting,
    no participant when the device is not one of the meeting's."""
    row: Row | None = (
        db.session.connection()
        .execute(_SEAT, {"meeting_id": meeting_id, "participant_id": participant_id})
        .first()
    )
    if row is None:
        return None
    meeting = _detached(Meeting, {name: row[index] for index, name in enumerate(_MEETING_COLUMNS)})
    if row.participant_role is None:
        return meeting, None
    participant = Participant(id=participant_id, meeting_id=meeting_id, role=row.participant_role)
    # Without the backref's bookkeeping: the meeting's participants were not read.
    set_committed_value(participant, "meeting", meeting)
    return meeting, participant


def bump_version(meeting_id: str, now: datetime) -> int:
    """Add one to the meeting's version, atomically in SQL (two processes may bump at once),
    and note its last activity; the new version, from RETURNING."""
    params = {"meeting_id": meeting_id, "now": now}
    return db.session.connection().execute(_BUMP, params).scalar_one()


def need_id_by_key(meeting_id: str, client_key: str) -> int | None:
    """The need card this client key already made in the meeting, if any."""
    return (
        db.session.connection()
        .execute(_NEED_BY_KEY, {"meeting_id": meeting_id, "client_key": client_key})
        .scalar()
    )


def add_card(kind: type[NeedCard] | type[Question], **values) -> NeedCard | Question:
    """Insert a need card or question; it comes back as stored, detached."""
    row = db.session.connection().execute(_INSERT[kind], values).one()
    return _detached(kind, row._asdict())


def count_cards(kind: type[NeedCard] | type[Question], meeting_id: str) -> int:
    """How many need cards the meeting has on its board (or questions it has)."""
    return db.session.connection().execute(_COUNT[kind], {"meeting_id": meeting_id}).scalar_one()


@cache
def _count_rows(model) -> Select:
    table = model.__table__
    return select(func.count()).select_from(table).where(table.c.meeting_id == bindparam("m"))


def count_rows(model, meeting_id: str) -> int:
    """How many rows of a model (cards set aside too, participants) the meeting has."""
    return db.session.connection().execute(_count_rows(model), {"m": meeting_id}).scalar_one()
