"""The hot path's statements hand back detached objects holding only what they read."""

from datetime import datetime

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.exc import DetachedInstanceError

from board import queries
from board.extensions import db
from board.models import Meeting, NeedCard, Participant, Question
from board.queries import _detached


def test_a_detached_meeting_holds_what_was_read_and_refuses_to_guess_the_rest(app):
    meeting = _detached(Meeting, {"id": "abc", "stage": "step4", "version": 3})
    state = inspect(meeting)
    assert state.detached and state.identity == ("abc",)
    assert (meeting.stage, meeting.version) == ("step4", 3)
    assert not state.modified, "as loaded: nothing to write back"
    with pytest.raises(DetachedInstanceError):
        _ = meeting.group_name  # not read: an error, not a quiet None or a query


def state_of(instance) -> tuple:
    """What the ORM keeps about an object: its identity and which attributes are loaded,
    expired, changed or waiting to load."""
    state = inspect(instance)
    return (
        state.key,
        {key: value for key, value in state.dict.items() if key != "_sa_instance_state"},
        set(state.expired_attributes),
        dict(state.committed_state),
        dict(state.callables),
        state.modified,
        state.expired,
        state.detached,
    )


SHAPES = [
    (Meeting, {"id": "abc", "stage": "step4", "version": 3}),
    (Meeting, {"id": "abc", "stage": "step4", "version": 3, "timekeeper_id": None}),
    (Participant, {"id": 7, "meeting_id": "abc", "role": "colleague"}),
    (NeedCard, {column.name: None for column in NeedCard.__table__.c} | {"id": 5}),
    (Question, {"id": 9, "meeting_id": "abc", "text": "Waarom?"}),
]


@pytest.mark.parametrize("model, values", SHAPES)
def test_a_detached_object_after_the_first_has_the_state_the_orm_gives_it(app, model, values):
    """The first object of a shape is detached by the ORM, later ones by the kept result."""
    queries._EXPIRED.clear()
    first = _detached(model, dict(values))
    for _ in range(2):
        later = _detached(model, dict(values))
        assert later is not first
        assert state_of(later) == state_of(first)
    reference = model.__mapper__.class_manager.new_instance()
    reference.__dict__.update(values)
    make_transient_to_detached(reference)
    assert state_of(later) == state_of(reference)
    unread = [prop.key for prop in model.__mapper__.attrs if prop.key not in values]
    assert unread
    for key in unread:  # neither a column nor a relationship that was not read is guessed
        with pytest.raises(DetachedInstanceError):
            getattr(later, key)


# ---- the statements run on the driver (queries.Prepared) ---------------------------------


def card_values(meeting_id: str, author_id: int, key: str) -> dict:
    return {
        "meeting_id": meeting_id,
        "author_id": author_id,
        "client_key": key,
        "category": "instructie",
        "text": "een voorbeeld vooraf",
        "created_at": datetime(2026, 12, 2, 9, 30, 0),
    }


def test_a_card_comes_back_from_the_driver_as_stored_with_its_defaults_and_types(app, meeting):
    meeting.go_to(4)
    anna = meeting.participant_id("Anna")
    with app.app_context():
        card = queries.add_card(NeedCard, **card_values(meeting.id, anna, "k1"))
        db.session.commit()
        stored = db.session.get(NeedCard, card.id)
        # The row the ORM reads is the card the INSERT handed back: the type conversions
        # (a datetime, not SQLite's text) and the column defaults were applied as Core would.
        for column in NeedCard.__table__.c:
            assert getattr(card, column.name) == getattr(stored, column.name), column.name
        assert card.created_at == datetime(2026, 12, 2, 9, 30, 0)
        assert (card.plan_place, card.feasibility, card.aside_reason) == ("", None, None)


def test_the_seat_reads_the_meeting_the_participant_the_key_and_the_room_in_one_go(app, meeting):
    meeting.go_to(4)
    anna = meeting.participant_id("Anna")
    with app.app_context():
        first = queries.add_card(NeedCard, **card_values(meeting.id, anna, "k1"))
        queries.add_card(NeedCard, **card_values(meeting.id, anna, "k2"))
        db.session.commit()
        seat = queries.seat(NeedCard, meeting.id, anna, "k1")
        assert (seat.meeting.id, seat.meeting.stage) == (meeting.id, "step4")
        assert (seat.participant.id, seat.participant.role) == (anna, "colleague")
        assert (seat.existing, seat.rows) == (first.id, 2)
        assert queries.seat(NeedCard, meeting.id, anna, "nieuw").existing is None
        assert queries.seat(NeedCard, meeting.id, anna, ["geen tekst"]).existing is None
        assert queries.seat(NeedCard, meeting.id, 10**6, "k1").participant is None
        assert queries.seat(NeedCard, "bestaat-niet", anna, "k1") is None
        # Questions have no key; their room is counted apart from the needs.
        assert (queries.seat(Question, meeting.id, anna).existing, seat.rows) == (None, 2)
        assert queries.seat(Question, meeting.id, anna).rows == 0


def test_the_bump_after_a_card_counts_the_list_in_the_same_transaction(app, meeting):
    meeting.go_to(4)
    anna = meeting.participant_id("Anna")
    with app.app_context():
        before = db.session.get(Meeting, meeting.id).version
        db.session.rollback()
        queries.add_card(NeedCard, **card_values(meeting.id, anna, "k1"))
        aside = queries.add_card(NeedCard, **card_values(meeting.id, anna, "k2"))
        db.session.execute(
            NeedCard.__table__.update()
            .where(NeedCard.__table__.c.id == aside.id)
            .values(aside_reason="duplicate")
        )
        version, count = queries.bump_counting(NeedCard, meeting.id, datetime(2026, 12, 2))
        assert (version, count) == (before + 1, 1), "a card set aside is not on the board"
        db.session.rollback()
        assert db.session.get(Meeting, meeting.id).version == before, "nothing committed"


def test_a_driver_error_is_sqlalchemys_and_does_not_quote_what_was_typed(app, meeting):
    meeting.go_to(4)
    anna = meeting.participant_id("Anna")
    with app.app_context():
        queries.add_card(NeedCard, **card_values(meeting.id, anna, "dubbel"))
        secret = {**card_values(meeting.id, anna, "dubbel"), "text": "Thomas slaat vaak"}
        with pytest.raises(IntegrityError) as raised:
            queries.add_card(NeedCard, **secret)
        assert "Thomas slaat vaak" not in str(raised.value)
        db.session.rollback()


def test_a_command_loads_the_meeting_and_its_participant_attached_as_the_orm_would(app, meeting):
    meeting.go_to(4)
    meeting.post("Anna", "/needs", {"text": "rust", "category": "instructie", "client_key": "a"})
    anna = meeting.participant_id("Anna")
    with app.app_context():
        stored = {
            column.key: getattr(db.session.get(Meeting, meeting.id), column.key)
            for column in Meeting.__mapper__.column_attrs
        }
        db.session.expunge_all()
        found, participant = queries.meeting_and_participant(meeting.id, anna)
        # Every column as the ORM reads it (types converted), attached to the session: the
        # relationships load on access and a change is written at commit.
        assert {key: getattr(found, key) for key in stored} == stored
        assert inspect(found).persistent and not inspect(found).modified
        assert participant.name == "Anna" and participant.meeting is found
        assert [card.text for card in found.needs] == ["rust"]
        found.teacher_notes = "gezien"
        db.session.commit()
        db.session.expunge_all()
        assert db.session.get(Meeting, meeting.id).teacher_notes == "gezien"
        # The session's own object is handed back, not a second copy of the row.
        again = db.session.get(Meeting, meeting.id)
        assert queries.meeting_and_participant(meeting.id, anna)[0] is again
        # No such meeting; a participant of another meeting (or none) is no participant here.
        assert queries.meeting_and_participant("nope", anna) is None
        assert queries.meeting_and_participant(meeting.id, anna + 1000)[1] is None
        assert queries.meeting_and_participant(meeting.id, None)[1] is None
