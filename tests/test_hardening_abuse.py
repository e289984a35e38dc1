"""Abuse: CSRF on every form, cookies, secret-link strength, security headers, no inline script."""

import math
import re
from datetime import date

import pytest
from conftest import HTMX, MeetingDriver, close_app, every_row, flash_text
from lxml import html as lxml_html
from test_routes_permissions import COMMANDS, PEOPLE, expected_status, seed, walk_to

from board.domain.codes import JOIN_ALPHABET, JOIN_CODE_LENGTH, TOKEN_BYTES
from board.domain.steps import Stage
from board.errors import CSRF_MESSAGE
from board.extensions import db
from board.models import Meeting

# ---- CSRF: every POST route refuses a request without a token ----------------------------


def allowed_case(name: str) -> tuple[Stage, str]:
    """The first stage and device for which the permission table allows the command."""
    for stage in Stage:
        for device in ("teacher", "colleague", "timekeeper"):
            if stage is Stage.PREPARING and device != "teacher":
                continue
            if expected_status(device, stage, COMMANDS[name].action) == 200:
                return stage, device
    raise AssertionError(f"no stage allows {name}")


POSTS = [name for name, command in COMMANDS.items() if command.method == "POST"]


class CsrfBoard:
    """Meetings in the stages the commands need, in an app that checks CSRF tokens."""

    def __init__(self, databases) -> None:
        # CSRF is off while the meetings are set up through the routes.
        self.app = databases.app()
        self.drivers: dict[Stage, MeetingDriver] = {}
        self.ids: dict[Stage, dict] = {}
        for stage in {allowed_case(name)[0] for name in POSTS} | {Stage.LOBBY}:
            driver = MeetingDriver(self.app)
            walk_to(driver, stage)
            self.ids[stage] = seed(driver)
            self.drivers[stage] = driver
        self.app.config["WTF_CSRF_ENABLED"] = True

    def snapshot(self) -> dict:
        return every_row(self.app)


@pytest.fixture(scope="module")
def csrf_board(databases):
    board = CsrfBoard(databases)
    yield board
    close_app(board.app)


def page_token(client, path: str) -> str:
    """The CSRF token a page gives its htmx requests (the X-CSRFToken header)."""
    body = lxml_html.fromstring(client.get(path).text).find("body")
    return re.search(r'"X-CSRFToken": "([^"]+)"', body.get("hx-headers"))[1]


def command_request(board: CsrfBoard, name: str):
    stage, device = allowed_case(name)
    driver, ids = board.drivers[stage], board.ids[stage]
    command = COMMANDS[name]
    own_card = ids["anna_card"] if device == "timekeeper" else ids["bram_card"]
    path = driver.url + command.path.format(own_card=own_card, **ids)
    data = {key: value.format(**ids) for key, value in command.data.items()}
    return driver.device(PEOPLE.get(device, device)), path, data


@pytest.mark.parametrize("name", POSTS)
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_a_command_without_csrf_token_is_refused_with_400_and_changes_nothing(
    csrf_board, name, htmx
):
    client, path, data = command_request(csrf_board, name)
    before = csrf_board.snapshot()
    response = client.post(path, data=data, headers=HTMX if htmx else {})
    assert response.status_code == 400
    assert CSRF_MESSAGE in (flash_text(response) if htmx else response.text)
    assert csrf_board.snapshot() == before


@pytest.mark.parametrize("name", POSTS)
def test_a_command_with_a_token_of_another_session_is_refused(csrf_board, name):
    client, path, data = command_request(csrf_board, name)
    foreign = page_token(csrf_board.app.test_client(), "/")
    before = csrf_board.snapshot()
    response = client.post(path, data=data, headers={**HTMX, "X-CSRFToken": foreign})
    assert response.status_code == 400
    assert csrf_board.snapshot() == before


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/meetings", {"pupil_alias": "Ada", "group_name": "4", "meeting_date": "2026-01-05"}),
        ("/j/{code}", {"name": "Indringer"}),
        ("/p/{prep}/read", {"name": "Indringer"}),
    ],
)
def test_the_forms_outside_a_meeting_refuse_a_post_without_token(csrf_board, path, data):
    driver = csrf_board.drivers[Stage.LOBBY]
    before = csrf_board.snapshot()
    response = csrf_board.app.test_client().post(
        path.format(code=driver.join_code, prep=driver.prep_token), data=data
    )
    assert response.status_code == 400
    assert CSRF_MESSAGE in response.text
    assert csrf_board.snapshot() == before


def test_a_command_with_the_pages_own_token_goes_through(csrf_board):
    driver = csrf_board.drivers[Stage.LOBBY]
    token = page_token(driver.teacher, driver.url)
    response = driver.teacher.post(
        driver.url + "/prep",
        data={"field": "reason", "value": "met token"},
        headers={**HTMX, "X-CSRFToken": token},
    )
    assert response.status_code == 200, response.text


def test_a_token_checked_once_is_not_checked_again_but_still_holds_only_for_its_session(
    csrf_board,
):
    """The signature of a token that went through is remembered (board/signatures.py); the
    token is still compared with the device's own session every time, and a token changed by
    one character is checked in full."""
    driver = csrf_board.drivers[Stage.LOBBY]
    app, csrf = csrf_board.app, csrf_board.app.extensions["csrf"]
    token = page_token(driver.teacher, driver.url)

    def prep(client, value: str, sent: str):
        data = {"field": "reason", "value": value}
        return client.post(driver.url + "/prep", data=data, headers={**HTMX, "X-CSRFToken": sent})

    assert prep(driver.teacher, "eerste keer", token).status_code == 200
    signer = csrf.signers[app.secret_key]
    checked, real_loads = [], signer.loads
    signer.loads = lambda *args, **kwargs: checked.append(1) or real_loads(*args, **kwargs)
    try:
        assert prep(driver.teacher, "tweede keer", token).status_code == 200
        assert checked == []
        before = csrf_board.snapshot()
        stranger = app.test_client()
        page_token(stranger, "/")  # a session with a token of its own
        refused = prep(stranger, "van een ander", token)
        assert (refused.status_code, flash_text(refused)) == (400, CSRF_MESSAGE)
        altered = token[:-1] + ("A" if token[-1] != "A" else "B")
        assert prep(driver.teacher, "veranderd", altered).status_code == 400
        assert checked == [1]
        assert csrf_board.snapshot() == before
    finally:
        signer.loads = real_loads


def test_over_https_a_command_goes_through_without_a_referer_and_a_foreign_token_does_not(
    make_app,
):
    """Behind a TLS proxy a browser sends our pages' commands without a Referer (we ask for
    none: Referrer-Policy no-referrer) and with Origin "null"; the session's token decides."""
    app = make_app(TRUSTED_PROXIES=1, SESSION_COOKIE_SECURE=True)
    driver = MeetingDriver(app)
    app.config["WTF_CSRF_ENABLED"] = True
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.0.5", "Origin": "null"}
    page = driver.teacher.get(driver.url, headers=https, base_url="https://board.test")
    assert page.headers["Referrer-Policy"] == "no-referrer"
    own = re.search(r'"X-CSRFToken": "([^"]+)"', page.text)[1]
    stranger = app.test_client()
    foreign = re.search(
        r'"X-CSRFToken": "([^"]+)"',
        stranger.get("/", headers=https, base_url="https://board.test").text,
    )[1]

    def prep(value: str, token: str):
        return driver.teacher.post(
            driver.url + "/prep",
            data={"field": "reason", "value": value},
            headers={**https, **HTMX, "X-CSRFToken": token},
            base_url="https://board.test",
        )

    before = every_row(app)
    refused = prep("met het token van een ander", foreign)
    assert (refused.status_code, flash_text(refused)) == (400, CSRF_MESSAGE)
    assert every_row(app) == before
    assert prep("met het eigen token", own).status_code == 200
    with app.app_context():
        assert driver.meeting().prep_reason == "met het eigen token"


def test_joining_with_the_join_forms_token_goes_through(csrf_board):
    driver = csrf_board.drivers[Stage.LOBBY]
    phone = csrf_board.app.test_client()
    form = lxml_html.fromstring(phone.get(f"/j/{driver.join_code}").text)
    token = form.xpath("//input[@name='csrf_token']/@value")[0]
    response = phone.post(f"/j/{driver.join_code}", data={"name": "Cees", "csrf_token": token})
    assert response.status_code == 303


# ---- cookies and secrets -----------------------------------------------------------------


def device_cookie(response) -> str:
    cookies = response.headers.getlist("Set-Cookie")
    return next(cookie for cookie in cookies if cookie.startswith("intervisiebord="))


def test_the_device_cookie_is_httponly_and_samesite_lax_and_not_secure_over_http(meeting):
    response = meeting.app.test_client().get(f"/t/{meeting.teacher_token}")
    cookie = device_cookie(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_the_device_cookie_is_secure_when_secure_cookies_is_set(monkeypatch, make_app):
    monkeypatch.setenv("SECURE_COOKIES", "1")
    app = make_app(SERVER_NAME=None)
    driver = MeetingDriver(app)
    cookie = device_cookie(app.test_client().get(f"/t/{driver.teacher_token}"))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secret_links_carry_at_least_128_random_bits_and_join_codes_at_least_30(app):
    assert TOKEN_BYTES * 8 >= 128
    assert JOIN_CODE_LENGTH * math.log2(len(JOIN_ALPHABET)) >= 30
    client = app.test_client()
    for _ in range(3):
        client.post(
            "/meetings",
            data={"pupil_alias": "Ada", "group_name": "4", "meeting_date": str(date.today())},
        )
    with app.app_context():
        meetings = db.session.execute(db.select(Meeting)).scalars().all()
        tokens = [
            getattr(m, column)
            for m in meetings
            for column in ("teacher_token", "screen_token", "prep_token")
        ]
    assert len(set(tokens)) == len(tokens) == 9
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token), "192 bits, URL-safe"


def test_a_guessed_secret_link_is_a_plain_404(app):
    for prefix in ("/t/", "/s/", "/p/"):
        response = app.test_client().get(prefix + "A" * 32)
        assert response.status_code == 404
        assert "klopt niet" in response.text


# ---- security headers on every response --------------------------------------------------


def responses_of_every_kind(meeting) -> dict:
    """One response of each kind: pages, fragments, errors, static files, exports."""
    teacher, anna, stranger = meeting.teacher, meeting.device("Anna"), meeting.device("stranger")
    responses = {
        "home": stranger.get("/"),
        "join page": stranger.get(f"/j/{meeting.join_code}"),
        "board": teacher.get(meeting.url),
        "colleague board": anna.get(meeting.url),
        "live": anna.get(meeting.url + "/live"),
        "qr": teacher.get(meeting.url + "/qr.svg"),
        "summary": teacher.get(meeting.url + "/summary"),
        "preparation": stranger.get(f"/p/{meeting.prep_token}"),
        "teacher link": stranger.get(f"/t/{meeting.teacher_token}"),
        "not found": stranger.get("/nope"),
        "forbidden": anna.post(meeting.url + "/open", headers=HTMX),
        "refused input": anna.post(meeting.url + "/questions", data={"text": ""}, headers=HTMX),
        "static": stranger.get("/static/css/board.css"),
        "health": stranger.get("/healthz"),
        "deleted": stranger.get("/verwijderd"),
        "export": teacher.get(meeting.url + "/export.json"),
    }
    for response in responses.values():
        response.get_data()
        response.close()
    return responses


def test_every_response_carries_the_security_headers(meeting):
    for kind, response in responses_of_every_kind(meeting).items():
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in csp, kind
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, kind
        assert "frame-ancestors 'none'" in csp, kind
        assert "default-src 'self'" in csp, kind
        assert headers.get("X-Content-Type-Options") == "nosniff", kind
        assert headers.get("Referrer-Policy") == "no-referrer", kind


def test_no_page_has_an_inline_script_or_event_handler(meeting):
    for kind, response in responses_of_every_kind(meeting).items():
        if "text/html" not in response.headers.get("Content-Type", "") or not response.text:
            continue
        tree = lxml_html.fromstring(response.text)
        for script in tree.iter("script"):
            assert script.get("src") or script.get("type") == "application/json", kind
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            handlers = [name for name in element.attrib if name.lower().startswith("on")]
            assert not handlers, (kind, element.tag, handlers)
            for name in ("href", "src", "action"):
                assert not element.get(name, "").lower().startswith("javascript:"), kind


def test_behind_one_trusted_proxy_the_client_address_comes_from_x_forwarded_for(make_app):
    from flask import request

    app = make_app(TRUSTED_PROXIES=1, SERVER_NAME=None)
    app.add_url_rule("/whoami", "whoami", lambda: request.remote_addr)
    response = app.test_client().get(
        "/whoami",
        headers={"X-Forwarded-For": "203.0.113.9"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    assert response.text == "203.0.113.9"
