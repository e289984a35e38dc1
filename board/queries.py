"""The statements of the most frequent change, a new card, built once and run on the driver.

A team in step 4 posts a card every few seconds. Through the ORM each query of that path
cost several times the statement itself; through SQLAlchemy Core still three to ten times
(the cache key, the execution context, the result object: 30–50 µs a statement, the
driver's own work 5 µs). These statements are written in Core, compiled once per dialect
(`Prepared`) and run on the driver's connection inside the session's transaction; the
types' own conversions are applied as Core would. Adding a card takes three of them: the
seat (the meeting, the device's participant, the card its key already made, the rows
there), the INSERT, and the version bump that also counts the cards on the board.

What they read comes back as detached model objects that hold only the columns read: the
templates and the push use them as usual, and an attribute that was not read raises
DetachedInstanceError instead of quietly loading (or reading None).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    func,
    insert,
    null,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import configure_mappers, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_state, set_committed_value
from sqlalchemy.sql import Executable

from board.extensions import db
from board.models import Meeting, NeedCard, Participant, Question, YieldVote

MEETING = Meeting.__table__
PARTICIPANT = Participant.__table__
YIELD_VOTE = YieldVote.__table__
CARD_KINDS = (NeedCard, Question)
INSERT_DIALECTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the parameters, in their order where the style is positional
    positional: bool
    fixed: dict[str, object]  # the values the statement holds itself (the 1 of version + 1)
    binds: tuple[tuple[str, Callable], ...]  # a parameter's conversion to the driver's value
    results: tuple[Callable | None, ...]  # a column's conversion from the driver's value
    types: tuple  # the result columns' types (for a conversion the description decides)


_BY_DESCRIPTION = object()  # a conversion known once the driver described the column


def _result_processor(type_, dialect: Dialect, coltype) -> Callable | None | object:
    try:
        return type_._cached_result_processor(dialect, coltype)
    except (TypeError, LookupError):  # it needs the driver's type code (psycopg's numerics)
        if coltype is None:
            return _BY_DESCRIPTION
        raise


class Prepared:
    """A Core statement compiled once per dialect and run on the DBAPI connection of the
    session, inside its transaction. A driver error is raised as SQLAlchemy's (an
    IntegrityError is sqlalchemy.exc.IntegrityError, as from Core), without its
    parameters (hide_parameters: card text never reaches a log)."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self.statement.compile(dialect=dialect)
        binds = tuple(
            (name, processor)
            for name, bind in compiled.binds.items()
            if (processor := bind.type._cached_bind_processor(dialect)) is not None
        )
        results = tuple(
            _result_processor(column.type, dialect, None) for column in compiled._result_columns
        )
        names = tuple(compiled.positiontup if compiled.positional else compiled.binds)
        fixed = {name: bind.value for name, bind in compiled.binds.items() if not bind.required}
        types = tuple(column.type for column in compiled._result_columns)
        return _Compiled(compiled.string, names, compiled.positional, fixed, binds, results, types)

    def _described(self, dialect: Dialect, compiled: _Compiled, description) -> _Compiled:
        """The conversions that depend on the type the driver reports for a column (a float
        on PostgreSQL), from the first result's description; kept for later runs."""
        results = tuple(
            _result_processor(compiled.types[index], dialect, description[index][1])
            if convert is _BY_DESCRIPTION
            else convert
            for index, convert in enumerate(compiled.results)
        )
        described = replace(compiled, results=results)
        self._compiled[dialect.name] = described
        return described

    def rows(self, params: Mapping[str, object]) -> list[tuple]:
        connection = db.session.connection()
        dialect = connection.dialect
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = self._compile(dialect)
        if compiled.fixed:
            params = {**compiled.fixed, **params}
        if compiled.binds:
            params = dict(params)
            for name, processor in compiled.binds:
                params[name] = processor(params[name])
        if compiled.positional:
            values = [params[name] for name in compiled.names]
        else:
            values = {name: params[name] for name in compiled.names}
        cursor = connection.connection.driver_connection.cursor()
        try:
            cursor.execute(compiled.sql, values)
            description = cursor.description
            found = cursor.fetchall() if description else []
        except dialect.loaded_dbapi.Error as error:
            raise DBAPIError.instance(
                compiled.sql,
                None,
                error,
                dialect.loaded_dbapi.Error,
                hide_parameters=True,
                dialect=dialect,
            ) from error
        finally:
            cursor.close()
        if _BY_DESCRIPTION in compiled.results:
            compiled = self._described(dialect, compiled, description)
        processors = compiled.results
        if not any(processors):
            return found
        return [
            tuple(
                value if convert is None else convert(value)
                for convert, value in zip(processors, row, strict=True)
            )
            for row in found
        ]

    def first(self, params: Mapping[str, object]) -> tuple | None:
        found = self.rows(params)
        return found[0] if found else None


def _rows_of(model, meeting_id: ColumnElement) -> Select:
    """How many rows of a model the meeting holds (cards set aside too): its room."""
    table = model.__table__
    return select(func.count()).select_from(table).where(table.c.meeting_id == meeting_id)


def _count_of(kind: type[NeedCard] | type[Question], meeting_id: ColumnElement) -> Select:
    """How many cards of a kind the meeting shows: a need card set aside is not counted."""
    counted = _rows_of(kind, meeting_id)
    if kind is NeedCard:
        counted = counted.where(kind.__table__.c.aside_reason.is_(None))
    return counted


def _existing(kind: type[NeedCard] | type[Question]) -> ColumnElement:
    """The need card a client key already made in the meeting (questions have no key)."""
    if kind is not NeedCard:
        return null()
    table = kind.__table__
    return (
        select(table.c.id)
        .where(
            table.c.meeting_id == bindparam("meeting_id"),
            table.c.client_key == bindparam("client_key"),
        )
        .scalar_subquery()
    )


# The meeting as adding a card reads it (the stage to authorize, the version to bump, what
# the card's partial shows), the device's participant in it if it is one, the card the
# client key already made, and the rows of that kind the meeting holds: one statement.
_MEETING_COLUMNS = ("id", "stage", "version", "timekeeper_id", "pupil_alias")
# The meeting, with the device's participant when the device is one of the meeting's.
_SEATED = MEETING.outerjoin(
    PARTICIPANT,
    and_(
        PARTICIPANT.c.meeting_id == MEETING.c.id,
        PARTICIPANT.c.id == bindparam("participant_id"),
    ),
)
_SEAT = {
    kind: Prepared(
        select(
            *(MEETING.c[name] for name in _MEETING_COLUMNS),
            PARTICIPANT.c.role,
            _existing(kind).label("existing"),
            _rows_of(kind, bindparam("meeting_id")).scalar_subquery().label("rows"),
        )
        .select_from(_SEATED)
        .where(MEETING.c.id == bindparam("meeting_id"))
    )
    for kind in CARD_KINDS
}


def _bump(*also: ColumnElement) -> Prepared:
    """Add one to the meeting's version and note its last activity; RETURNING the new
    version and `also`, read in the same statement."""
    return Prepared(
        update(MEETING)
        .where(MEETING.c.id == bindparam("meeting_id"))
        .values(version=MEETING.c.version + 1, last_active_at=bindparam("now"))
        .returning(MEETING.c.version, *also)
    )


_BUMP = _bump()
# The bump after a new card also counts the cards on the board, in the transaction that
# added it (the count pushed in the list's header is the count the commit made).
_BUMP_COUNTING = {
    kind: _bump(_count_of(kind, bindparam("meeting_id")).scalar_subquery()) for kind in CARD_KINDS
}

# The card as stored, every column, from the INSERT: the card pushed is the card in the
# database. Every column is a parameter (a column's Python default is filled in here, as
# Core would), so the driver needs nothing SQLAlchemy adds at execution.
_INSERT = {
    kind: Prepared(
        insert(kind.__table__)
        .values(
            {
                column.name: bindparam(column.name)
                for column in kind.__table__.c
                if column.name != "id"
            }
        )
        .returning(*kind.__table__.c)
    )
    for kind in CARD_KINDS
}
_DEFAULTS: dict[type, dict[str, object]] = {}


def defaults(model) -> dict[str, object]:
    """The model's column defaults, filled in as Core would for a column left out: only
    values (a default computed at insert time cannot be prepared)."""
    found = _DEFAULTS.get(model)
    if found is None:
        columns = [column for column in model.__table__.c if column.default is not None]
        assert all(column.default.is_scalar for column in columns), model
        found = _DEFAULTS[model] = {column.name: column.default.arg for column in columns}
    return found


_COUNT = {kind: Prepared(_count_of(kind, bindparam("meeting_id"))) for kind in CARD_KINDS}


# The attributes a detached object built from these columns has expired, per model and set
# of columns: what make_transient_to_detached works out again for every object.
_EXPIRED: dict[tuple[type, frozenset[str]], frozenset[str]] = {}


def _detached(model, values):
    """A model object as if loaded and then detached: only `values` are loaded. Built as
    the ORM builds a loaded row (no constructor, no attribute events: those were a tenth of
    adding a card), then detached: an attribute that was not read is expired, so reading it
    raises instead of giving None.

    The first object of a model and set of columns is detached by the ORM
    (make_transient_to_detached); the attributes it expired are kept, and later objects get
    the same state directly: the ORM's loop over every unloaded attribute was most of the
    time of reading a meeting and the device's seat (tests/test_queries.py compares both)."""
    mapper = model.__mapper__
    if not mapper.configured:  # the constructor would have configured the mappers
        configure_mappers()
    instance = mapper.class_manager.new_instance()
    instance.__dict__.update(values)
    shape = (model, frozenset(values))
    expired = _EXPIRED.get(shape)
    if expired is None:
        make_transient_to_detached(instance)
        _EXPIRED[shape] = frozenset(instance_state(instance).expired_attributes)
        return instance
    state = instance_state(instance)
    state.key = mapper._identity_key_from_state(state)
    state.expired_attributes.update(expired)
    state.manager.dispatch.expire(state, expired)
    return instance


@dataclass(frozen=True)
class Seat:
    """Where a new card would go: the meeting (detached, the columns adding a card reads),
    the device's participant (None when the device is not one of the meeting's), the card
    its client key already made (None if none), and the rows of that kind there."""

    meeting: Meeting
    participant: Participant | None
    existing: int | None
    rows: int


def seat(
    kind: type[NeedCard] | type[Question],
    meeting_id: str,
    participant_id: int | None,
    client_key: object = None,
) -> Seat | None:
    """The seat of a new card of this kind, in one statement; None when there is no such
    meeting. The client key is looked up as given: clean it first (a NUL byte is an error
    on PostgreSQL); one that is not text finds nothing."""
    params = {
        "meeting_id": meeting_id,
        "participant_id": participant_id,
        "client_key": client_key if isinstance(client_key, str) else None,
    }
    row = _SEAT[kind].first(params)
    if row is None:
        return None
    columns = len(_MEETING_COLUMNS)
    meeting = _detached(Meeting, dict(zip(_MEETING_COLUMNS, row[:columns], strict=True)))
    role, existing, rows = row[columns:]
    if role is None:
        return Seat(meeting, None, existing, rows)
    participant = _detached(
        Participant, {"id": participant_id, "meeting_id": meeting_id, "role": role}
    )
    # Without the backref's bookkeeping: the meeting's participants were not read.
    set_committed_value(participant, "meeting", meeting)
    return Seat(meeting, participant, existing, rows)


# Every other command starts from the meeting and the acting device's participant: one
# statement for both, every column, instead of two ORM loads (each cost more than the six
# fragments a "+1 minuut" renders).
_LOAD = Prepared(
    select(*MEETING.c, *PARTICIPANT.c)
    .select_from(_SEATED)
    .where(MEETING.c.id == bindparam("meeting_id"))
)


def _attached(model, row: tuple):
    """A model object from a row of all its table's columns, in the session as if the ORM had
    loaded it: its relationships load on access, a change is flushed at commit. The object
    the session already holds for that row, if any, is the one returned."""
    session = db.session()
    mapper = model.__mapper__
    identity = session.identity_map.get(mapper.identity_key_from_primary_key([row[0]]))
    if identity is not None:
        return identity
    keys = [mapper.get_property_by_column(column).key for column in model.__table__.c]
    instance = _detached(model, dict(zip(keys, row, strict=True)))
    session.add(instance)
    return instance


def meeting_and_participant(
    meeting_id: str, participant_id: int | None
) -> tuple[Meeting, Participant | None] | None:
    """The meeting and, if it is one of the meeting's, the participant, attached to the
    session; None when there is no such meeting."""
    row = _LOAD.first({"meeting_id": meeting_id, "participant_id": participant_id})
    if row is None:
        return None
    columns = len(MEETING.c)
    meeting = _attached(Meeting, row[:columns])
    if row[columns] is None:
        return meeting, None
    participant = _attached(Participant, row[columns:])
    set_committed_value(participant, "meeting", meeting)
    return meeting, participant


def bump_version(meeting_id: str, now: datetime) -> int:
    """Add one to the meeting's version, atomically in SQL (two processes may bump at once),
    and note its last activity; the new version, from RETURNING."""
    return _BUMP.first({"meeting_id": meeting_id, "now": now})[0]


def bump_counting(
    kind: type[NeedCard] | type[Question], meeting_id: str, now: datetime
) -> tuple[int, int]:
    """bump_version() after a new card, and the cards of its kind the meeting now shows."""
    version, count = _BUMP_COUNTING[kind].first({"meeting_id": meeting_id, "now": now})
    return version, count


def add_card(kind: type[NeedCard] | type[Question], **values) -> NeedCard | Question:
    """Insert a need card or question; it comes back as stored, detached."""
    nulls = dict.fromkeys(kind.__table__.c.keys())
    row = _INSERT[kind].first({**nulls, **defaults(kind), **values})
    return _detached(kind, dict(zip(kind.__table__.c.keys(), row, strict=True)))


def count_cards(kind: type[NeedCard] | type[Question], meeting_id: str) -> int:
    """How many need cards the meeting has on its board (or questions it has)."""
    return _COUNT[kind].first({"meeting_id": meeting_id})[0]


_ROWS: dict[type, Prepared] = {}


def count_rows(model, meeting_id: str) -> int:
    """How many rows of a model (cards set aside too, participants) the meeting has."""
    statement = _ROWS.get(model)
    if statement is None:
        statement = _ROWS[model] = Prepared(_rows_of(model, bindparam("meeting_id")))
    return statement.first({"meeting_id": meeting_id})[0]


_INSERTS_ONCE: dict[tuple, Prepared] = {}


def insert_once(model, values: dict, unique: tuple[str, ...], replace: tuple[str, ...] = ()):
    """INSERT … ON CONFLICT: the row's id when it was added (or, with `replace`, when those
    columns of the existing row were overwritten), None when it was there already. Two equal
    requests at the same moment (a double tap) both succeed and store one row. Prepared once
    per model, columns and dialect."""
    dialect = db.session.get_bind().dialect.name
    key = (dialect, model, tuple(values), unique, replace)
    prepared = _INSERTS_ONCE.get(key)
    if prepared is None:
        columns = {**defaults(model), **values}
        statement = INSERT_DIALECTS[dialect](model).values(
            {name: bindparam(name) for name in columns}
        )
        if replace:
            changes = {column: statement.excluded[column] for column in replace}
            statement = statement.on_conflict_do_update(index_elements=unique, set_=changes)
        else:
            statement = statement.on_conflict_do_nothing(index_elements=unique)
        prepared = _INSERTS_ONCE[key] = Prepared(statement.returning(model.__table__.c.id))
    row = prepared.first({**defaults(model), **values})
    return row[0] if row else None


class Ballot(NamedTuple):
    """A yield vote as the tally and the vote form read it."""

    worth_it: bool
    why: str
    brought: str


_BALLOT_COLUMNS = (YIELD_VOTE.c.worth_it, YIELD_VOTE.c.why, YIELD_VOTE.c.brought)
_BALLOTS = Prepared(
    select(*_BALLOT_COLUMNS)
    .where(YIELD_VOTE.c.meeting_id == bindparam("meeting_id"))
    .order_by(YIELD_VOTE.c.id)
)
_BALLOT = Prepared(
    select(*_BALLOT_COLUMNS).where(
        YIELD_VOTE.c.meeting_id == bindparam("meeting_id"),
        YIELD_VOTE.c.participant_id == bindparam("participant_id"),
    )
)


def ballots(meeting_id: str) -> list[Ballot]:
    """The meeting's yield votes in the order they were first cast, read without the ORM: a
    vote's push counts them all (as ORM objects they were the dearest part of a vote)."""
    return [Ballot(*row) for row in _BALLOTS.rows({"meeting_id": meeting_id})]


def ballot_of(meeting_id: str, participant_id: int) -> Ballot | None:
    """The participant's own yield vote in the meeting, if they voted."""
    row = _BALLOT.first({"meeting_id": meeting_id, "participant_id": participant_id})
    return Ballot(*row) if row else None
