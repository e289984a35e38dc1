"""The hot path's statements hand back detached objects holding only what they read."""

import pytest
from sqlalchemy import inspect
from sqlalchemy.orm.exc import DetachedInstanceError

from board.models import Meeting
from board.queries import _detached


def test_a_detached_meeting_holds_what_was_read_and_refuses_to_guess_the_rest(app):
    meeting = _detached(Meeting, {"id": "abc", "stage": "step4", "version": 3})
    state = inspect(meeting)
    assert state.detached and state.identity == ("abc",)
    assert (meeting.stage, meeting.version) == ("step4", 3)
    assert not state.modified, "as loaded: nothing to write back"
    with pytest.raises(DetachedInstanceError):
        _ = meeting.group_name  # not read: an error, not a quiet None or a query
