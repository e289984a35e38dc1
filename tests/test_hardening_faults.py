"""Faults, against a real server process: kill -9 mid-meeting, fifteen phones at once, dead
sockets, oversized socket messages, and logs that never hold what people typed or a secret.

Phones are plain HTTP clients (urllib with a cookie jar, the CSRF token of their page) and
python-socketio clients, as a browser would be.
"""

import functools
import http.cookiejar
import json
import re
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import socketio
from live_server import ROOT, LiveServer, migrated_template, require_live_mark

pytestmark = pytest.mark.live  # against real server processes

STEP_4_SECONDS = 10 * 60


class Phone:
    """One device: its own cookies, the CSRF token of its board page, and maybe a socket."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.token = ""
        self.meeting_id = ""
        self.events: list[tuple[str, object]] = []
        self.socket: socketio.Client | None = None

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.server.url + path, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read().decode()

    def post(self, path: str, data: dict) -> int:
        """An htmx command with the page's CSRF token; the status, or 0 if the server is gone."""
        request = urllib.request.Request(
            self.server.url + path,
            data=urllib.parse.urlencode(data).encode(),
            headers={"X-CSRFToken": self.token, "HX-Request": "true"},
        )
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            error.close()
            return error.code
        except OSError:
            return 0

    def open_board(self, path: str) -> str:
        """Follow a link to the board and keep the page's CSRF token and meeting id."""
        status, page = self.get(path)
        assert status == 200, page[:500]
        self.token = re.search(r'"X-CSRFToken": "([^"]+)"', page)[1]
        self.meeting_id = re.search(r'data-meeting="([^"]+)"', page)[1]
        return page

    def join(self, code: str, name: str) -> None:
        status, page = self.get(f"/j/{code}")
        assert status == 200, page[:500]
        form_token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
        request = urllib.request.Request(
            f"{self.server.url}/j/{code}",
            data=urllib.parse.urlencode({"name": name, "csrf_token": form_token}).encode(),
        )
        with self.opener.open(request, timeout=10) as response:
            assert response.status == 200 and "/m/" in response.url
        self.open_board(urllib.parse.urlsplit(response.url).path)

    def add_card(self, key: str, text: str) -> int:
        return self.post(
            f"/m/{self.meeting_id}/needs",
            {"text": text, "category": "instructie", "client_key": key},
        )

    def add_card_until_it_lands(self, key: str, text: str, patience: float = 30.0) -> None:
        """What the page does with a draft: resend it until the server acknowledges it."""
        deadline = time.monotonic() + patience
        while (status := self.add_card(key, text)) != 204:
            assert status in (0, 429, 500, 502, 503), status
            assert time.monotonic() < deadline, f"card {key} never landed"
            time.sleep(0.2)

    def connect(self, version: int = 0, reconnect: bool = True) -> None:
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.jar)
        client = socketio.Client(
            reconnection=reconnect, reconnection_delay=0.2, reconnection_delay_max=0.5
        )
        client.on("welcome", lambda data: self.events.append(("welcome", data)))
        client.on("regions", lambda data: self.events.append(("regions", data)))
        client.on("disconnect", lambda *reason: self.events.append(("disconnect", reason)))
        reset = client.eio._reset

        def reset_and_close() -> None:
            # engine.io's client forgets a websocket the server dropped without closing it
            if client.eio.ws is not None:
                client.eio.ws.shutdown()
            reset()

        client.eio._reset = reset_and_close
        client.connect(
            self.server.url,
            headers={"Cookie": cookie},  # websocket-client sends our own Origin itself
            auth={"meeting": self.meeting_id, "version": version},
            transports=["websocket"],
            wait_timeout=10,
        )
        self.socket = client

    def welcomes(self) -> list[dict]:
        return [data for name, data in self.events if name == "welcome"]

    def last_version(self) -> int:
        versions = [data["version"] for _, data in self.events if isinstance(data, dict)]
        return max(versions, default=0)

    def close(self) -> None:
        """Hang up the socket; without waiting 3 s for the server's close frame."""
        if self.socket is None:
            return
        ws = getattr(self.socket.eio, "ws", None)
        if ws is not None:
            ws.close = functools.partial(ws.close, timeout=0.2)
        self.socket.disconnect()
        if ws is not None:
            ws.close()  # also when the server hung up first


def wait_for(condition, timeout: float = 15.0, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message or "timed out"
        time.sleep(0.05)


def stored_cards(database: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(database) as reader:
        return reader.execute("SELECT client_key, text FROM need_card").fetchall()


def secrets_of(database: Path, meeting_id: str) -> dict[str, str]:
    with sqlite3.connect(database) as reader:
        row = reader.execute(
            "SELECT join_code, teacher_token, screen_token, prep_token FROM meeting WHERE id = ?",
            (meeting_id,),
        ).fetchone()
    return dict(zip(("join_code", "teacher", "screen", "prep"), row, strict=True))


class Server(LiveServer):
    """LiveServer on a copy of an already migrated database; `python wsgi.py` or gunicorn."""

    def __init__(self, folder: Path, template: Path, command: list[str] | None = None, **env):
        self.database = folder / "live.sqlite3"
        self.database.write_bytes(template.read_bytes())
        super().__init__(f"sqlite:///{self.database}", LOG_PATH=str(folder / "server.log"), **env)
        self.command = command or [sys.executable, "wsgi.py"]

    def secrets_of(self, meeting_id: str) -> dict[str, str]:
        return secrets_of(self.database, meeting_id)

    def start(self, timeout: float = 30.0) -> "Server":
        require_live_mark()
        with self.log_path.open("ab") as log:  # the child keeps its own copy of the handle
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=log
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log()
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the server did not answer; see {self.log_path}")


@pytest.fixture(scope="module")
def template() -> Path:
    """One migrated database, copied for every server (migrating costs seconds)."""
    return migrated_template()


@pytest.fixture(scope="module")
def shared(tmp_path_factory, template):
    """One server for the tests that do not kill it; each test makes its own meeting."""
    server = Server(tmp_path_factory.mktemp("shared"), template).start()
    yield server
    server.stop()


def create_meeting(server: "Server") -> tuple["Phone", dict[str, str]]:
    """A meeting made through the home page, as a teacher would, with its lobby open."""
    teacher = Phone(server)
    _, home = teacher.get("/")
    form = {
        "pupil_alias": "Thomas",
        "group_name": "3",
        "meeting_date": time.strftime("%Y-%m-%d"),
        "csrf_token": re.search(r'"X-CSRFToken": "([^"]+)"', home)[1],
    }
    request = urllib.request.Request(
        server.url + "/meetings", data=urllib.parse.urlencode(form).encode()
    )
    with teacher.opener.open(request, timeout=10) as response:
        assert "/m/" in response.url
    teacher.open_board(urllib.parse.urlsplit(response.url).path)
    assert teacher.post(f"/m/{teacher.meeting_id}/open", {}) == 204
    return teacher, server.secrets_of(teacher.meeting_id)


def meeting_in_step_4(server: "Server", colleagues: int) -> tuple["Phone", list["Phone"], float]:
    """A meeting with joined phones, walked to step 4; when step 4 began."""
    teacher, secrets = create_meeting(server)
    phones = []
    for number in range(colleagues):
        phone = Phone(server)
        phone.join(secrets["join_code"], f"Collega {number}")
        phones.append(phone)
    assert teacher.post(f"/m/{teacher.meeting_id}/start", {}) == 204
    for _ in range(3):
        assert teacher.post(f"/m/{teacher.meeting_id}/next", {}) == 204
    began = time.time()
    _, page = teacher.get(f"/m/{teacher.meeting_id}")
    assert 'data-stage="step4"' in page
    return teacher, phones, began


def remaining_on_page(page: str) -> float:
    """The remaining time a device computes from the page's clock data."""
    number = {
        name: re.search(rf'data-{name}="([^"]*)"', page)[1]
        for name in ("budget", "elapsed", "started-at", "server-now")
    }
    running = float(number["server-now"]) - float(number["started-at"])
    return float(number["budget"]) - float(number["elapsed"]) - running


def test_kill_9_during_step_4_loses_no_acknowledged_card_and_everyone_resyncs(tmp_path, template):
    live = Server(tmp_path, template).start()
    try:
        kill_9_during_step_4(live)
    finally:
        live.stop()


def kill_9_during_step_4(live: "Server") -> None:
    teacher, phones, began = meeting_in_step_4(live, colleagues=4)
    for phone in phones[:3]:
        phone.connect(version=phone.last_version())
    wait_for(lambda: all(p.welcomes() for p in phones[:3]), message="no welcome")

    acknowledged: list[str] = []
    unacknowledged: list[tuple[Phone, str]] = []
    stop = threading.Event()

    def keep_adding(phone: Phone, name: str) -> None:
        number = 0
        while not stop.is_set():
            key = f"{name}-{number}"
            if phone.add_card(key, f"kaart {key}") == 204:
                acknowledged.append(key)
                time.sleep(0.25)  # a quick typist; stays under 5 cards a second
            else:
                unacknowledged.append((phone, key))
                time.sleep(1.0)  # no answer: the draft waits, as on a phone
            number += 1

    threads = [
        threading.Thread(target=keep_adding, args=(phone, f"p{n}"))
        for n, phone in enumerate(phones)
    ]
    for thread in threads:
        thread.start()
    # Cards land before the crash, are refused while the server is down, land after it.
    wait_for(lambda: len(acknowledged) >= 8, message="no card landed before the kill")
    live.kill()
    wait_for(lambda: unacknowledged, message="no phone noticed the dead server")
    live.start()
    restarted = len(acknowledged)
    wait_for(lambda: len(acknowledged) >= restarted + 8, message="no card after the restart")
    stop.set()
    for thread in threads:
        thread.join()

    keys = [key for key, _ in stored_cards(live.database)]
    assert acknowledged and unacknowledged, "cards were added before, during and after"
    assert set(acknowledged) <= set(keys), "every acknowledged card survived kill -9"
    assert len(keys) == len(set(keys))

    # The drafts that got no answer are resent by their phones, and land once.
    for phone, key in unacknowledged:
        phone.add_card_until_it_lands(key, f"kaart {key}")
        phone.add_card_until_it_lands(key, f"kaart {key}")
    keys = [key for key, _ in stored_cards(live.database)]
    assert sorted(keys) == sorted(set(acknowledged) | {key for _, key in unacknowledged})

    # Every socket came back by itself and was told it is behind.
    wait_for(lambda: all(len(p.welcomes()) >= 2 for p in phones[:3]), message="no reconnect")
    for phone in phones[:3]:
        assert phone.welcomes()[-1]["stale"] is True
        status, live_regions = phone.get(f"/m/{phone.meeting_id}/live")
        assert status == 200
        assert all(f"kaart {key}" in live_regions for key in acknowledged)
        phone.close()

    # The step's clock ran on through the crash: wall-clock time, as stored.
    status, page = teacher.get(f"/m/{teacher.meeting_id}")
    expected = STEP_4_SECONDS - (time.time() - began)
    assert abs(remaining_on_page(page) - expected) < 3


def test_fifteen_phones_adding_twenty_cards_at_once_give_exactly_300_cards(shared):
    live = shared
    _, phones, _ = meeting_in_step_4(live, colleagues=15)
    start = threading.Barrier(len(phones))
    failures: list[BaseException] = []

    def add_twenty(phone: Phone, name: str) -> None:
        try:
            start.wait()
            for number in range(20):
                key = f"{name}-{number}"
                phone.add_card_until_it_lands(key, f"kaart {key}")
                if number % 5 == 0:  # a resend, as after a lost answer: lands once
                    phone.add_card_until_it_lands(key, f"kaart {key}")
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    threads = [
        threading.Thread(target=add_twenty, args=(phone, f"p{n}")) for n, phone in enumerate(phones)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    cards = stored_cards(live.database)
    keys = {key for key, _ in cards}
    assert len(cards) == 300
    assert keys == {f"p{n}-{m}" for n in range(15) for m in range(20)}
    assert all(text == f"kaart {key}" for key, text in cards)


def test_a_phone_whose_socket_died_sees_the_truth_after_its_next_reconnect(shared):
    live = shared
    _, phones, _ = meeting_in_step_4(live, colleagues=2)
    anna, bram = phones
    anna.connect(version=anna.last_version(), reconnect=False)
    wait_for(lambda: anna.welcomes(), message="no welcome")
    assert anna.welcomes()[0]["stale"] is True  # the page was older than step 4
    seen = anna.welcomes()[0]["version"]
    anna.close()  # the socket is dead; HTTP still works

    bram.add_card_until_it_lands("b-1", "een vaste plek vooraan")
    bram.add_card_until_it_lands("b-2", "korte instructie aan de instructietafel")

    anna.events.clear()
    anna.connect(version=seen, reconnect=False)
    wait_for(lambda: anna.welcomes(), message="no welcome on reconnect")
    welcome = anna.welcomes()[0]
    assert welcome["stale"] is True and welcome["version"] > seen
    status, regions = anna.get(f"/m/{anna.meeting_id}/live")
    assert status == 200
    assert "een vaste plek vooraan" in regions
    assert "korte instructie aan de instructietafel" in regions
    anna.close()

    anna.events.clear()
    anna.connect(version=welcome["version"], reconnect=False)
    wait_for(lambda: anna.welcomes(), message="no welcome")
    assert anna.welcomes()[0]["stale"] is False, "up to date: nothing to fetch"
    anna.close()


def test_a_socket_message_over_16_kb_closes_that_socket(shared):
    live = shared
    _, (anna,), _ = meeting_in_step_4(live, colleagues=1)
    anna.connect(reconnect=False)
    wait_for(lambda: anna.welcomes(), message="no welcome")
    anna.socket.emit("anything", "x" * 15_000)
    time.sleep(0.5)
    assert anna.socket.connected, "a message under the cap is fine"
    anna.socket.emit("anything", "x" * 17_000)
    wait_for(lambda: not anna.socket.connected, timeout=5, message="still connected")
    assert ("disconnect", ("transport error",)) in anna.events
    anna.close()


def test_a_socket_from_a_foreign_origin_is_refused_by_the_live_server(shared):
    live = shared
    _, (anna,), _ = meeting_in_step_4(live, colleagues=1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in anna.jar)
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(
            live.url,
            headers={"Cookie": cookie, "Origin": "https://evil.example"},
            auth={"meeting": anna.meeting_id, "version": 0},
            transports=["websocket"],
            wait_timeout=5,
        )


# ---- logs -------------------------------------------------------------------------------


SECRET_TEXTS = {
    "card": "GEHEIM-KAART-7f3a",
    "answer": "GEHEIM-ANTWOORD-91c2",
    "notes": "GEHEIM-NOTITIE-4be0",
    "question": "GEHEIM-VRAAG-0d17",
}


def test_the_access_log_holds_no_card_text_answer_secret_link_or_join_code(tmp_path, template):
    """Under gunicorn (the production setup), with its access log on."""
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
    server = Server(tmp_path, template, gunicorn, ACCESS_LOG="-", LOG_LEVEL="info").start()
    try:
        teacher, secrets = create_meeting(server)
        meeting = teacher.meeting_id
        answer = {"field": "aim", "value": SECRET_TEXTS["answer"]}
        assert teacher.post(f"/m/{meeting}/prep", answer) == 200
        for link in ("/p/{prep}", "/s/{screen}", "/j/{join_code}", "/join?code={join_code}"):
            Phone(server).get(link.format(**secrets))
        anna = Phone(server)
        anna.join(secrets["join_code"], "Anna")
        assert teacher.post(f"/m/{meeting}/start", {}) == 204
        assert teacher.post(f"/m/{meeting}/next", {}) == 204
        assert anna.post(f"/m/{meeting}/questions", {"text": SECRET_TEXTS["question"]}) == 204
        assert teacher.post(f"/m/{meeting}/notes", {"value": SECRET_TEXTS["notes"]}) == 200
        for _ in range(2):
            assert teacher.post(f"/m/{meeting}/next", {}) == 204
        assert anna.add_card("secret", SECRET_TEXTS["card"]) == 204
        assert anna.post(f"/m/{meeting}/needs", {"text": "\x00" + SECRET_TEXTS["card"]}) == 422
        assert Phone(server).get("/t/" + secrets["teacher"][::-1])[0] == 404
    finally:
        server.stop()
    log = server.log()
    assert "GET /t/[verborgen]" in log, "the access log was on, and redacted"
    assert "GET /join?code=[verborgen]" in log
    assert f"/m/{meeting}" in log
    for secret in [*SECRET_TEXTS.values(), *secrets.values()]:
        assert secret not in log, secret


def test_the_server_log_of_a_whole_meeting_holds_nothing_typed(shared):
    live = shared
    teacher, (anna,), _ = meeting_in_step_4(live, colleagues=1)
    anna.add_card_until_it_lands("x", SECRET_TEXTS["card"])
    teacher.post(f"/m/{teacher.meeting_id}/notes", {"value": SECRET_TEXTS["notes"]})
    anna.post(f"/m/{anna.meeting_id}/needs", {"client_key": "y", "text": "\x00"})
    log = live.log()
    assert SECRET_TEXTS["card"] not in log and SECRET_TEXTS["notes"] not in log
    assert json.dumps(SECRET_TEXTS["card"]) not in log
