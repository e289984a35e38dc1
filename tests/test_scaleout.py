"""Scale-out: two server processes share one PostgreSQL database and one Redis queue.

A device may be connected to either process; a change made through one reaches devices on
the other, and when a process dies its devices reconnect to the other one and resync.
"""

import functools
import http.cookiejar
import re
import threading
import time
import urllib.parse
import urllib.request
import uuid
from datetime import date

import pytest
import socketio

from tests.conftest import REDIS_URL, create_database, drop_database, requires_services
from tests.live_server import LiveServer

pytestmark = [requires_services("postgresql", "redis"), pytest.mark.live]

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
JOIN_CODE = re.compile(r"/j/([A-Za-z0-9]+)")
CLOCK = re.compile(
    r'<div id="clock"[^>]*data-budget="([^"]*)"[^>]*data-elapsed="([^"]*)"'
    r'[^>]*data-started-at="([^"]*)"'
)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Device:
    """A browser: its own cookie, the CSRF token of the last page, and at most one socket."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )
        self.csrf = ""
        self.socket: socketio.Client | None = None
        self.pushes: list[dict] = []
        self.welcomes: list[dict] = []
        self.received = threading.Event()

    def request(self, url: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            response = self.opener.open(request, timeout=10)
        except urllib.error.HTTPError as error:  # redirects and errors alike
            response = error
        return response.status, response.headers, response.read().decode()

    def page(self, url: str, data: dict | None = None) -> tuple[str, str]:
        """A request and its redirects, as a browser follows them: the last page and its URL."""
        status, headers, text = self.request(url, data)
        while status in (301, 302, 303):
            url = urllib.parse.urljoin(url, headers["Location"])
            status, headers, text = self.request(url)
        assert status == 200, (url, status, text[:300])
        if match := CSRF_HEADER.search(text):
            self.csrf = match.group(1)
        return text, url

    def command(self, base: str, path: str, data: dict | None = None) -> int:
        """An htmx POST from the board page: the CSRF header and HX-Request."""
        headers = {"X-CSRFToken": self.csrf, "HX-Request": "true"}
        return self.request(base + path, data or {}, headers)[0]

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def connect(self, base: str, meeting_id: str, version: int = 0) -> None:
        """The board page's socket, on this process, WebSocket only."""
        self.socket = socketio.Client(reconnection=False)
        self.socket.on("regions", self._push)
        self.socket.on("welcome", self._welcome)
        self.socket.connect(
            base,
            # websocket-client sends Origin: http://host:port itself, as a browser would.
            headers={"Cookie": self.cookie_header()},
            auth={"meeting": meeting_id, "version": version},
            transports=["websocket"],
            wait_timeout=10,
        )

    def _push(self, data: dict) -> None:
        self.pushes.append(data)
        self.received.set()

    def _welcome(self, data: dict) -> None:
        self.welcomes.append(data)
        self.received.set()

    def wait_for(self, predicate, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for item in [*self.pushes, *self.welcomes]:
                if predicate(item):
                    return item
            self.received.wait(0.1)
            self.received.clear()
        raise AssertionError("nothing arrived that matched")

    def close(self) -> None:
        """Hang up, without waiting 3 s for the server's close frame (engine.io's read loop
        takes it; as Phone.close in test_hardening_faults)."""
        if self.socket is not None and self.socket.connected:
            ws = getattr(self.socket.eio, "ws", None)
            if ws is not None:
                ws.close = functools.partial(ws.close, timeout=0.2)
            self.socket.disconnect()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Two processes on different ports: one database, one Redis queue, one secret."""
    name = f"intervisiebord_live_{uuid.uuid4().hex[:12]}"
    url = create_database(name)
    logs = tmp_path_factory.mktemp("scaleout")
    env = {"SOCKETIO_MESSAGE_QUEUE": REDIS_URL, "RATELIMIT_ENABLED": "0"}
    a = LiveServer(url, LOG_PATH=str(logs / "a.log"), **env)
    b = LiveServer(url, LOG_PATH=str(logs / "b.log"), **env)
    a.migrate()
    a.start()
    b.start()
    yield a, b
    a.stop()
    b.stop()
    drop_database(name)


@pytest.fixture
def team(servers):
    """A meeting in step 4: the teacher on A, the screen and Anna on B, Bram on A."""
    a, b = servers
    teacher, screen, anna, bram = Device(), Device(), Device(), Device()
    home, _ = teacher.page(a.url + "/")
    form = {
        "csrf_token": CSRF_FIELD.search(home).group(1),
        "pupil_alias": "Thomas",
        "group_name": "3",
        "meeting_date": str(date.today()),
    }
    _, url = teacher.page(a.url + "/meetings", form)
    meeting_id = url.rsplit("/", 1)[1]
    assert teacher.command(a.url, f"/m/{meeting_id}/open") == 204
    board, _ = teacher.page(f"{a.url}/m/{meeting_id}")
    code = JOIN_CODE.search(board).group(1)
    screen_path = re.search(r"/s/[A-Za-z0-9_-]+", board).group(0)
    screen.page(b.url + screen_path)
    for device, name, server in ((anna, "Anna", b), (bram, "Bram", a)):
        join, _ = device.page(f"{server.url}/j/{code}")
        device.page(
            f"{server.url}/j/{code}", {"csrf_token": CSRF_FIELD.search(join).group(1), "name": name}
        )
    for step in ("start", "next", "next", "next"):
        assert teacher.command(a.url, f"/m/{meeting_id}/{step}") == 204
    devices = {"teacher": teacher, "screen": screen, "anna": anna, "bram": bram}
    yield meeting_id, devices
    for device in devices.values():
        device.close()


def add_need(device: Device, base: str, meeting_id: str, text: str) -> int:
    data = {"stage": "step4", "client_key": text, "category": "instructie", "text": text}
    return device.command(base, f"/m/{meeting_id}/needs", data)


def clock_of(device: Device, base: str, meeting_id: str) -> tuple[str, str, str]:
    status, _, html = device.request(f"{base}/m/{meeting_id}/live")
    assert status == 200
    return CLOCK.search(html).groups()


def test_a_card_added_through_process_a_reaches_a_device_on_process_b(servers, team):
    a, b = servers
    meeting_id, devices = team
    devices["screen"].connect(b.url, meeting_id)
    devices["teacher"].connect(b.url, meeting_id)

    assert add_need(devices["bram"], a.url, meeting_id, "extra uitleg vooraf") == 204

    for name in ("screen", "teacher"):
        push = devices[name].wait_for(lambda p: "extra uitleg vooraf" in str(p.get("append")))
        assert "needs_head" in push["regions"]


def test_both_processes_show_the_same_timer(servers, team):
    a, b = servers
    meeting_id, devices = team
    running = clock_of(devices["teacher"], a.url, meeting_id)
    assert running == clock_of(devices["screen"], b.url, meeting_id)
    assert running[2] != ""  # counting down from the same server timestamp
    devices["screen"].connect(b.url, meeting_id)

    assert devices["teacher"].command(a.url, f"/m/{meeting_id}/timer/pause") == 204

    push = devices["screen"].wait_for(lambda p: "clock" in p.get("regions", {}))
    assert 'data-started-at=""' in push["regions"]["clock"]
    paused = clock_of(devices["teacher"], a.url, meeting_id)
    assert paused == clock_of(devices["screen"], b.url, meeting_id)
    assert paused[2] == ""


def test_devices_of_a_dead_process_reconnect_to_the_other_and_resync(servers, team):
    a, b = servers
    meeting_id, devices = team
    anna = devices["anna"]
    anna.connect(a.url, meeting_id)
    seen = anna.wait_for(lambda w: "server_time" in w)["version"]

    a.kill()
    deadline = time.monotonic() + 10
    while anna.socket.connected and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not anna.socket.connected
    assert add_need(devices["bram"], b.url, meeting_id, "een maatje in de kring") == 204

    anna.welcomes.clear()
    anna.connect(b.url, meeting_id, version=seen)
    welcome = anna.wait_for(lambda w: "server_time" in w)
    assert welcome["stale"] is True and welcome["version"] > seen
    status, headers, html = anna.request(f"{b.url}/m/{meeting_id}/live")
    assert status == 200
    assert "een maatje in de kring" in html
    assert int(headers["X-Board-Version"]) == welcome["version"]
    a.start()  # the next test finds both processes again
