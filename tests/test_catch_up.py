"""The heartbeat's question: which version is the meeting at? Cheap, and only for a device
that joined it (tests/browser/test_catch_up.py shows a phone catching up by it)."""

from board.domain.sync import HEARTBEAT_SECONDS


def test_a_joined_device_reads_the_version_and_nothing_else(meeting):
    response = meeting.device("Anna").get(meeting.url + "/version")
    assert response.status_code == 204 and response.data == b""
    before = int(response.headers["X-Board-Version"])
    meeting.post("teacher", "/start")
    after = int(meeting.device("screen").get(meeting.url + "/version").headers["X-Board-Version"])
    assert after == before + 1


def test_a_stranger_gets_no_version(meeting):
    response = meeting.device("stranger").get(meeting.url + "/version")
    assert response.status_code == 403
    assert "X-Board-Version" not in response.headers


def test_the_board_page_tells_the_script_how_often_to_ask(meeting):
    page = meeting.device("Anna").get(meeting.url).text
    assert f'data-heartbeat="{float(HEARTBEAT_SECONDS)}"' in page
    assert 20 <= HEARTBEAT_SECONDS <= 30
