"""Phones can join: the join link and QR code hold an address phones can reach, and where they
would not, the teacher's lobby and the room screen say so and what to do."""

import io
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
import segno
from conftest import MeetingDriver
from live_server import ROOT, free_port, require_live_mark
from lxml import html as lxml_html

from board import network

LAN = "http://192.168.1.20:5000"
WARNING = "Telefoons kunnen dit adres niet bereiken."


# --- the addresses on the local network --------------------------------------------------


def test_reachable_addresses_leave_out_this_machine_and_put_school_networks_first():
    found = ["127.0.0.1", "169.254.3.4", "203.0.113.9", "10.0.0.7", "192.168.1.20", "10.0.0.7"]

    assert network.reachable(found) == ["192.168.1.20", "10.0.0.7", "203.0.113.9"]


@pytest.mark.parametrize("host", ["0.0.0.0", "::", " 0.0.0.0 "])
def test_listening_on_every_interface_gives_the_addresses_for_phones(host):
    addresses = ["127.0.0.1", "192.168.1.20"]

    assert network.lan_urls(host, 5000, addresses) == [LAN]


@pytest.mark.parametrize("host", [None, "127.0.0.1", "localhost", "192.168.1.20"])
def test_listening_on_one_address_gives_no_other(host):
    assert network.lan_urls(host, 5000, ["127.0.0.1", "192.168.1.20"]) == []


def test_this_machines_own_interfaces_are_found_without_a_network_probe():
    found = network.interface_addresses()

    assert found, "not even the loopback interface"
    assert all(address.count(".") == 3 for address in found)


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:5000", True),
        ("http://127.3.4.5", True),
        ("http://localhost:5000", True),
        ("http://[::1]:5000", True),
        ("http://192.168.1.20:5000", False),
        ("https://bord.school.nl", False),
        ("http://board.test", False),
    ],
)
def test_a_loopback_address_is_recognised(url, loopback):
    assert network.is_loopback_url(url) is loopback


@pytest.mark.parametrize(
    ("host", "lan", "public", "expected"),
    [
        ("0.0.0.0", [LAN], "", [f"Telefoons: {LAN}"]),
        ("0.0.0.0", [LAN], "https://bord.school.nl", ["Telefoons: https://bord.school.nl"]),
        ("0.0.0.0", [], "", ["Telefoons: geen netwerkadres gevonden."]),
        ("127.0.0.1", [], "", ["Telefoons kunnen dit adres niet bereiken."]),
    ],
)
def test_the_console_says_where_phones_join(host, lan, public, expected):
    lines = network.startup_lines(host, lan, public)

    assert len(lines) == len(expected)
    assert all(line.startswith(start) for line, start in zip(lines, expected, strict=True))
    if not lan and not public and host == "127.0.0.1":
        assert "HOST=0.0.0.0 make run" in lines[0]


# --- the join link, the QR code and the warning -------------------------------------------


@pytest.fixture
def on_localhost(app):
    """A meeting in the lobby, opened on this machine's own address (127.0.0.1:5000)."""
    app.config["SERVER_NAME"] = "127.0.0.1:5000"
    driver = MeetingDriver(app)
    driver.open_lobby()
    return driver


def join_link(page: str) -> str:
    tree = lxml_html.fromstring(page)
    texts = tree.xpath("//*[contains(@class, 'join-box')]//p/text()")
    return next(text for text in texts if "/j/" in text or text.startswith("http"))


def warning(page: str) -> str:
    tree = lxml_html.fromstring(page)
    return " ".join(tree.xpath("string(//*[contains(@class, 'join-warning')])").split())


def qr_holds(driver: MeetingDriver, url: str) -> bool:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=2)
    return driver.teacher.get(f"{driver.url}/qr.svg").data == buffer.getvalue()


def test_on_localhost_the_join_link_and_qr_use_the_local_network_address(app, on_localhost):
    app.config["LAN_URLS"] = [LAN]
    expected = f"{LAN}/j/{on_localhost.join_code}"

    page = on_localhost.teacher.get(on_localhost.url).text

    assert join_link(page) == expected
    assert qr_holds(on_localhost, expected)
    assert warning(page) == ""
    assert LAN in on_localhost.screen.get(on_localhost.url).text
    shared = lxml_html.fromstring(page).xpath("//section[@class='links']//input/@value")
    assert shared and all(link.startswith(f"{LAN}/") for link in shared)


def test_public_url_still_wins(app, on_localhost):
    app.config["LAN_URLS"] = [LAN]
    app.config["PUBLIC_URL"] = "https://bord.school.nl"
    expected = f"https://bord.school.nl/j/{on_localhost.join_code}"

    assert join_link(on_localhost.teacher.get(on_localhost.url).text) == expected
    assert qr_holds(on_localhost, expected)


def test_a_loopback_join_link_is_said_plainly_in_the_lobby_and_on_the_room_screen(
    app, on_localhost
):
    app.config["LAN_URLS"] = []
    for who in ("teacher", "screen"):
        said = warning(on_localhost.device(who).get(on_localhost.url).text)

        assert said.startswith(WARNING)
        assert "http://127.0.0.1:5000 is deze computer zelf." in said
        assert "HOST=0.0.0.0 make run" in said
        assert "PUBLIC_URL" in said


def test_a_board_opened_on_its_network_address_shows_no_warning(meeting):
    page = meeting.teacher.get(meeting.url).text

    assert join_link(page) == f"http://board.test/j/{meeting.join_code}"
    assert warning(page) == ""


# --- the real start: HOST=0.0.0.0 python wsgi.py ------------------------------------------


@pytest.mark.live
def test_host_0_0_0_0_prints_the_address_for_phones_and_uses_it(tmp_path):
    """The server as `make run` starts it, on every interface: the console names the address
    for phones, and a board opened on 127.0.0.1 puts that address in its join link."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'board.sqlite3'}",
        "SECRET_KEY": "lan-test",
        "HOST": "0.0.0.0",
        "PORT": str(port),
        "PUBLIC_URL": "",
        "FLASK_APP": "wsgi",
    }
    expected = network.lan_urls("0.0.0.0", port)
    subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True)
    command = [sys.executable, "wsgi.py"]
    require_live_mark()
    with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) as server:
        try:
            printed = [server.stdout.readline().strip() for _ in range(1 + max(1, len(expected)))]
            assert printed[0].startswith(f"Intervisiebord draait op http://0.0.0.0:{port}")
            if not expected:
                assert printed[1].startswith("Telefoons: geen netwerkadres gevonden")
                return
            assert printed[1:] == [f"Telefoons: {url}" for url in expected]
            assert_join_link_on_localhost(port, expected[0])
        finally:
            server.terminate()
            server.wait(timeout=10)


def assert_join_link_on_localhost(port: int, lan: str) -> None:
    """Create a meeting and open its lobby through http://127.0.0.1:PORT, as a browser would."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    home = f"http://127.0.0.1:{port}"

    def fetch(url: str, form: dict | None = None) -> tuple[str, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        with opener.open(url, data=data, timeout=10) as response:
            return response.geturl(), response.read().decode()

    for _ in range(100):
        try:
            fetch(home + "/healthz")
            break
        except OSError:
            time.sleep(0.1)
    _, page = fetch(home + "/")
    token = lxml_html.fromstring(page).xpath("//input[@name='csrf_token']/@value")[0]
    form = {"csrf_token": token, "pupil_alias": "Thomas", "group_name": "3"}
    board, _ = fetch(home + "/meetings", {**form, "meeting_date": time.strftime("%Y-%m-%d")})
    _, page = fetch(board + "/open", {"csrf_token": token})
    assert f"{lan}/j/" in join_link(page)
    assert warning(page) == ""
