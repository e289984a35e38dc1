"""A database error is logged without what it quotes, on every backend: PostgreSQL's DETAIL
line names the values of a broken unique key, which can be a typed name."""

import logging

from conftest import MeetingDriver

from board.extensions import db
from board.models import Participant
from board.services.common import utcnow

NAME = "Geheimenaam"


def test_a_broken_unique_key_is_logged_without_its_values(app, caplog):
    def twice(meeting_id: str):
        for _ in range(2):
            db.session.add(
                Participant(
                    meeting_id=meeting_id,
                    name=NAME,
                    name_key=NAME.casefold(),
                    role="colleague",
                    joined_at=utcnow(),
                )
            )
            db.session.flush()

    app.add_url_rule("/twice/<meeting_id>", view_func=twice)
    meeting = MeetingDriver(app)
    with caplog.at_level(logging.ERROR):
        response = app.test_client().get(f"/twice/{meeting.id}")
    assert response.status_code == 500
    assert "IntegrityError" in caplog.text, "the error itself is logged"
    assert "INSERT INTO participant" in caplog.text, "with the statement, without its values"
    assert NAME.casefold() not in caplog.text.casefold()
    assert "DETAIL" not in caplog.text
