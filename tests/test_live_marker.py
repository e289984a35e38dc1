"""`make test-fast` leaves out the tests marked live; a test that starts a real server
without that mark fails instead of slowing the fast loop unseen."""

import pytest
from live_server import LiveServer, require_live_mark


def test_a_test_without_the_mark_may_not_start_a_server(tmp_path):
    server = LiveServer(f"sqlite:///{tmp_path / 'board.sqlite3'}")
    with pytest.raises(RuntimeError, match="mark it @pytest.mark.live"):
        server.start()
    assert server.process is None, "no process was started"


@pytest.mark.live
def test_a_test_with_the_mark_may():
    require_live_mark()  # does not raise
