"""Guessing join codes, against a real server process with its default limits.

Every way in that takes a code (the QR link, the code box, the join form) goes through one
lookup. A code that matches no meeting counts against the address and against everyone
together; once either has tried too many, no code is looked up at all, a right one neither.
The join page says what a colleague needs to recognise the meeting, nothing about the pupil.
"""

import http.client
import re
import secrets
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
import redis
from live_server import LiveServer

from board.domain.codes import JOIN_ALPHABET, JOIN_CODE_LENGTH
from board.domain.limits import Limit, client_key
from board.ratelimit import MemoryStore, RedisStore

PER_ADDRESS = 20  # RATELIMIT_CODES' default, per minute
GLOBAL = 100  # RATELIMIT_CODES_GLOBAL's default, per minute
REDIS_URL = "redis://127.0.0.1:6379/15"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def random_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class Client:
    """One address (X-Forwarded-For: the server trusts one proxy) with its own cookie;
    redirects are not followed."""

    def __init__(self, server: LiveServer, address: str) -> None:
        self.port = server.port
        self.address = address
        self.cookie = ""
        self.csrf_token = ""

    def request(self, method: str, path: str, form: dict | None = None):
        body, content_type = None, {}
        if form is not None:
            if not self.csrf_token:
                self.csrf_token = CSRF_FIELD.search(self.get("/")[2])[1]
            body = urllib.parse.urlencode({**form, "csrf_token": self.csrf_token})
            content_type = {"Content-Type": "application/x-www-form-urlencoded"}
        headers = {"X-Forwarded-For": self.address, "Cookie": self.cookie, **content_type}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            if cookie := response.getheader("Set-Cookie"):
                self.cookie = cookie.split(";", 1)[0]
            return response.status, dict(response.getheaders()), response.read().decode()
        finally:
            connection.close()

    def get(self, path: str):
        return self.request("GET", path)


def start_server(folder: Path, **env: str) -> LiveServer:
    server = LiveServer(
        f"sqlite:///{folder / 'codes.sqlite3'}",
        LOG_PATH=str(folder / "server.log"),
        TRUSTED_PROXIES="1",
        RATELIMIT_ENABLED="1",
        RATELIMIT_STORAGE="",
        SOCKETIO_MESSAGE_QUEUE="",
        **env,
    )
    server.migrated_copy()
    return server.start()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # The tests of one address each share this server: the global limit is raised here and
    # kept at its default in the one test about it, which runs its own server.
    live = start_server(tmp_path_factory.mktemp("codes"), RATELIMIT_CODES_GLOBAL="1000/minute")
    yield live
    live.stop()
    assert " 500 " not in live.log() and "Traceback" not in live.log(), live.log()[-3000:]


@pytest.fixture(scope="module")
def demo(server) -> dict:
    """A meeting with its lobby open: Thomas, group 3, brought in by Juf Sanne."""
    return server.demo()


@pytest.mark.live
def test_three_hundred_guessed_codes_from_one_address_meet_a_429_after_twenty(server):
    guesser = Client(server, "198.51.100.1")
    began = time.monotonic()
    statuses = [guesser.get(f"/j/{random_code()}")[0] for _ in range(300)]
    assert time.monotonic() - began < 30
    assert statuses[:PER_ADDRESS] == [404] * PER_ADDRESS
    assert set(statuses[PER_ADDRESS:]) == {429}


@pytest.mark.live
def test_the_429_says_in_dutch_how_long_to_wait_and_sends_retry_after(server):
    guesser = Client(server, "198.51.100.2")
    for _ in range(PER_ADDRESS):
        guesser.get(f"/j/{random_code()}")
    status, headers, page = guesser.get(f"/j/{random_code()}")
    assert status == 429
    assert "te veel onbekende codes" in page
    seconds = int(headers["Retry-After"])
    assert 1 <= seconds <= 60
    assert f"Wacht {seconds} seconden" in page


@pytest.mark.live
def test_while_an_address_is_held_back_even_the_right_code_tells_it_nothing(server, demo):
    guesser = Client(server, "198.51.100.3")
    for _ in range(PER_ADDRESS):
        guesser.get(f"/j/{random_code()}")
    status, _, page = guesser.get(f"/j/{demo['join_code']}")
    assert status == 429
    assert "Juf Sanne" not in page
    colleague = Client(server, "203.0.113.7")
    assert colleague.get(f"/j/{demo['join_code']}")[0] == 200


@pytest.mark.live
@pytest.mark.parametrize("way", ["post", "code box"])
def test_the_join_form_and_the_code_box_are_held_back_the_same_way(server, demo, way):
    guesser = Client(server, f"198.51.100.{10 + (way == 'post')}")

    def attempt(code: str) -> int:
        if way == "post":
            return guesser.request("POST", f"/j/{code}", {"name": "Gok"})[0]
        status, headers, _ = guesser.get(f"/join?code={code}")
        assert status == 302
        return guesser.get(urllib.parse.urlsplit(headers["Location"]).path)[0]

    statuses = [attempt(random_code()) for _ in range(PER_ADDRESS + 5)]
    assert statuses.count(404) == PER_ADDRESS
    assert statuses[-1] == 429
    assert attempt(demo["join_code"]) == 429


@pytest.mark.live
def test_a_colleague_who_mistypes_a_few_times_still_gets_in(server, demo):
    colleague = Client(server, "203.0.113.20")
    for _ in range(3):
        assert colleague.get(f"/j/{random_code()}")[0] == 404
    assert colleague.get(f"/j/{demo['join_code']}")[0] == 200
    assert colleague.request("POST", f"/j/{demo['join_code']}", {"name": "Anna"})[0] == 303


@pytest.mark.live
def test_a_whole_ipv6_network_counts_as_one_address(server):
    statuses = [
        Client(server, f"2001:db8:5:7::{number:x}").get(f"/j/{random_code()}")[0]
        for number in range(PER_ADDRESS + 1)
    ]
    assert statuses[-1] == 429
    assert (
        client_key("2001:db8:5:7::1") == client_key("2001:db8:5:7:ffff::9") == "2001:db8:5:7::/64"
    )
    assert client_key("::ffff:192.0.2.4") == "192.0.2.4"


@pytest.mark.live
def test_the_join_page_says_who_and_when_but_nothing_about_the_pupil(server, demo):
    status, _, page = Client(server, "203.0.113.30").get(f"/j/{demo['join_code']}")
    assert status == 200
    assert "Juf Sanne" in page
    for pupil_data in ("Thomas", "groep 3", "kring"):
        assert pupil_data not in page


@pytest.mark.live
def test_guesses_spread_over_many_addresses_stop_for_everyone(tmp_path):
    server = start_server(tmp_path)
    try:
        meeting = server.demo()
        for number in range(GLOBAL // 15 + 1):  # 15 misses each: below the address's limit
            guesser = Client(server, f"192.0.2.{number + 1}")
            assert {guesser.get(f"/j/{random_code()}")[0] for _ in range(15)} <= {404, 429}
        newcomer = Client(server, "203.0.113.99")
        status, headers, page = newcomer.get(f"/j/{meeting['join_code']}")
        assert status == 429, "no more lookups for anyone once 100 codes missed in a minute"
        assert "Retry-After" in headers
        assert "Juf Sanne" not in page
    finally:
        server.stop()
    assert "Traceback" not in server.log()


# ---- the stores can be asked without counting -------------------------------------------


def stores():
    yield MemoryStore()
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return
    yield RedisStore(REDIS_URL, uuid.uuid4().hex)


@pytest.mark.parametrize("store", list(stores()), ids=lambda store: type(store).__name__)
def test_a_store_says_whether_one_more_hit_is_allowed_without_counting_it(store):
    limit = Limit(2, 60)
    assert all(store.peek("codes:x", limit, 1000.0).allowed for _ in range(5))
    store.hit("codes:x", limit, 1000.0)
    store.hit("codes:x", limit, 1010.0)
    full = store.peek("codes:x", limit, 1020.0)
    assert not full.allowed and full.retry_after == pytest.approx(40.0)
    assert store.peek("codes:x", limit, 1060.5).allowed
    assert store.peek("codes:y", limit, 1020.0).allowed
