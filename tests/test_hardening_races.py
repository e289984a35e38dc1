"""Double submits on a real server on PostgreSQL: the same vote or the same "gelezen" sent
several times at once is answered as the first one was, never a 500, and no typed name
reaches the log."""

import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import requires_services
from live_server import LiveServer
from test_hardening_faults import Phone, create_meeting

pytestmark = [requires_services("postgresql"), pytest.mark.live]
AT_ONCE = 6


class PostgresServer(LiveServer):
    """The live server on a PostgreSQL database; secrets are read from that database."""

    def secrets_of(self, meeting_id: str) -> dict[str, str]:
        import psycopg

        with psycopg.connect(self.env["DATABASE_URL"]) as connection:
            row = connection.execute(
                "SELECT join_code, teacher_token, screen_token, prep_token FROM meeting"
                " WHERE id = %s",
                (meeting_id,),
            ).fetchone()
        return dict(zip(("join_code", "teacher", "screen", "prep"), row, strict=True))

    def votes_in(self, meeting_id: str) -> int:
        import psycopg

        with psycopg.connect(self.env["DATABASE_URL"]) as connection:
            query = "SELECT count(*) FROM yield_vote WHERE meeting_id = %s"
            return connection.execute(query, (meeting_id,)).fetchone()[0]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import create_database, drop_database

    name = f"intervisiebord_races_{time.time_ns()}"
    url = create_database(name)
    log = tmp_path_factory.mktemp("races") / "server.log"
    live = PostgresServer(url, SOCKETIO_MESSAGE_QUEUE="", RATELIMIT_ENABLED="0", LOG_PATH=str(log))
    live.migrate()
    live.start()
    yield live
    live.stop()
    drop_database(name)


def at_once(send, times: int = AT_ONCE) -> list[int]:
    """Send the same request from several threads released together; their statuses."""
    barrier = threading.Barrier(times)
    statuses: list[int] = []

    def one() -> None:
        barrier.wait()
        statuses.append(send())

    threads = [threading.Thread(target=one) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def form_post(phone: Phone, path: str, data: dict) -> int:
    """A plain form post (no htmx) with the page's CSRF token; the status."""
    request = urllib.request.Request(
        phone.server.url + path, data=urllib.parse.urlencode(data).encode()
    )
    try:
        with phone.opener.open(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def test_one_device_voting_several_times_at_once_gets_one_vote_and_no_500(server):
    teacher, secrets = create_meeting(server)
    meeting = teacher.meeting_id
    phones = []
    for number in range(3):
        phone = Phone(server)
        phone.join(secrets["join_code"], f"Collega {number}")
        phones.append(phone)
    assert teacher.post(f"/m/{meeting}/start", {}) == 204
    for _ in range(6):
        assert teacher.post(f"/m/{meeting}/next", {}) == 204
    for phone in phones:
        vote = {"worth_it": "yes", "why": "Concreet"}
        statuses = at_once(lambda phone=phone, vote=vote: phone.post(f"/m/{meeting}/vote", vote))
        assert set(statuses) == {200}, (statuses, server.log()[-1500:])
    assert server.votes_in(meeting) == len(phones)
    assert "Traceback" not in server.log()


def test_the_same_name_saying_read_several_times_at_once_is_one_read_and_no_500(server):
    teacher, secrets = create_meeting(server)
    for name in ("Anna", "Bram", "Cas"):
        reader = Phone(server)
        _, page = reader.get(f"/p/{secrets['prep']}")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
        form = {"name": name, "csrf_token": token}
        statuses = at_once(
            lambda reader=reader, form=form: form_post(reader, f"/p/{secrets['prep']}/read", form)
        )
        assert set(statuses) == {200}, (statuses, server.log()[-1500:])
    _, page = teacher.get(f"/m/{teacher.meeting_id}")
    log = server.log()
    assert "Traceback" not in log
    assert "DETAIL" not in log and "anna" not in log.lower(), log[-2000:]
