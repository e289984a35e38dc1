"""A lost push does not go unnoticed: two server processes without a message queue between
them, so a change made through one never reaches a phone on the other by a push; the phone's
heartbeat finds the newer version and fetches its board again."""

import re
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from playwright.sync_api import expect

from tests.live_server import LiveServer

BEAT = 2  # seconds; a school gets the domain's default


@pytest.fixture
def two_servers(tmp_path):
    url = f"sqlite:///{tmp_path / 'board.sqlite3'}"
    env = {"SOCKETIO_MESSAGE_QUEUE": "", "RATELIMIT_ENABLED": "0", "HEARTBEAT_SECONDS": str(BEAT)}
    first = LiveServer(url, LOG_PATH=str(tmp_path / "first.log"), **env)
    second = LiveServer(url, LOG_PATH=str(tmp_path / "second.log"), **env)
    first.migrated_copy()
    servers = (first.start(), second.start())
    yield servers
    for server in servers:
        server.stop()


class Teacher:
    """The teacher's laptop as a plain HTTP client on one process."""

    def __init__(self, server: LiveServer, teacher_url: str) -> None:
        self.server = server
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        with self.opener.open(teacher_url, timeout=10) as page:
            html = page.read().decode()
        self.token = re.search(r'"X-CSRFToken": "([^"]+)"', html)[1]

    def post(self, path: str) -> int:
        request = urllib.request.Request(
            self.server.url + path,
            data=urllib.parse.urlencode({}).encode(),
            headers={"X-CSRFToken": self.token, "HX-Request": "true"},
        )
        with self.opener.open(request, timeout=10) as response:
            return response.status


def test_a_phone_that_missed_a_push_catches_up_by_its_heartbeat(two_servers, chromium):
    first, second = two_servers
    links = first.demo()
    context = chromium.new_context(base_url=second.url, locale="nl-NL")
    try:
        phone = context.new_page()
        phone.goto(links["join_url"].replace(first.url, second.url))
        phone.get_by_label("Jouw naam").fill("Anna")
        phone.get_by_role("button", name="Naar binnen").click()
        expect(phone.locator("[data-connection]")).to_have_text("live")
        expect(phone.locator("#stage")).to_have_attribute("data-stage", "lobby")
        teacher = Teacher(first, links["teacher_url"])
        assert teacher.post(f"/m/{links['meeting_id']}/start") == 204
        expect(phone.locator("#stage")).to_have_attribute(
            "data-stage", "step1", timeout=(BEAT + 4) * 1000
        )
    finally:
        context.close()
    for server in two_servers:
        assert "Traceback" not in server.log()


def test_a_phone_that_hears_pushes_asks_no_version_until_they_stop(two_servers, chromium):
    """In a busy meeting every push answers the heartbeat's question, so the phones ask
    nothing (3,000 devices would ask 120 times a second); once the pushes stop, the beat
    comes back within a beat."""
    first, _ = two_servers
    links = first.demo()
    context = chromium.new_context(base_url=first.url, locale="nl-NL")
    asked: list[float] = []
    try:
        phone = context.new_page()
        phone.on(
            "request",
            lambda request: asked.append(time.monotonic()) if "/version" in request.url else None,
        )
        phone.goto(links["join_url"])
        phone.get_by_label("Jouw naam").fill("Anna")
        phone.get_by_role("button", name="Naar binnen").click()
        expect(phone.locator("[data-connection]")).to_have_text("live")
        teacher = Teacher(first, links["teacher_url"])
        meeting = f"/m/{links['meeting_id']}"
        assert teacher.post(f"{meeting}/start") == 204
        expect(phone.locator("#stage")).to_have_attribute("data-stage", "step1")
        busy_from = time.monotonic()
        for move in ["next", "previous"] * 4:  # a push every half beat, for four beats
            time.sleep(BEAT / 4)
            assert teacher.post(f"{meeting}/{move}") == 204
            time.sleep(BEAT / 4)
        expect(phone.locator("#stage")).to_have_attribute("data-stage", "step1")
        quiet_from = time.monotonic()
        assert [moment for moment in asked if moment > busy_from] == []
        phone.wait_for_timeout((BEAT + 1) * 1000)
        assert [moment for moment in asked if moment > quiet_from], "the beat did not come back"
    finally:
        context.close()
