"""What a device that has not joined learns, what caches may keep, where the language switch
may send you, and how long the reading link shows the preparation."""

import http.client

import pytest
from conftest import MeetingDriver
from live_server import LiveServer

from board.exports import FORMATS
from board.extensions import db
from board.language import local_path
from board.models import Agreement, GoalSuggestion, NeedCard, Question

PREPARATION = "Thomas vergeet zijn spullen als de dag anders loopt"

# ---- a meeting id alone leads nowhere --------------------------------------------------


@pytest.mark.parametrize("steps", [0, 4], ids=["lobby", "step 4"])
def test_a_device_that_has_not_joined_learns_nothing_from_the_meetings_id(meeting, steps):
    if steps:
        meeting.go_to(steps)
    response = meeting.device("stranger").get(meeting.url)
    assert response.status_code == 403
    assert "Location" not in response.headers
    assert meeting.join_code not in response.text
    assert "Thomas" not in response.text
    assert "Meld je eerst aan met de code" in response.text


# ---- nothing with meeting data may be kept by a cache ------------------------------------


@pytest.fixture
def full_meeting(app) -> MeetingDriver:
    """A meeting in step 7 with a question, a suggestion, a need card and an agreement."""
    driver = MeetingDriver(app)
    driver.post("teacher", "/prep", {"field": "reason", "value": PREPARATION})
    driver.open_lobby()
    driver.join("Anna")
    driver.go_to(2)
    driver.post("Anna", "/questions", {"text": "Hoe lang lukt het nu?"})
    driver.go_to(3)
    driver.post("Anna", "/suggestions", {"text": "Vier minuten blijven zitten."})
    driver.go_to(4)
    need = {"text": "korte instructie", "category": "instructie", "client_key": "k1"}
    driver.post("Anna", "/needs", need)
    driver.go_to(6)
    driver.post("Anna", "/agreements", {"topic": "parents", "what": "Ouders bellen"})
    driver.go_to(7)
    return driver


def url_values(driver: MeetingDriver) -> dict[str, str]:
    with driver.app.app_context():
        first = {
            name: db.session.execute(db.select(model.id)).scalars().first()
            for name, model in (
                ("card_id", NeedCard),
                ("question_id", Question),
                ("suggestion_id", GoalSuggestion),
                ("agreement_id", Agreement),
            )
        }
    return {
        "meeting_id": driver.id,
        "code": driver.join_code,
        "operation": "start",
        "locale": "en",
        # The team space: a team, member and invitation nobody has (404s, never cached).
        "public_id": "nosuchteam00",
        "membership_id": "1",
        "token": "no-such-invitation",
        "slot_id": "1",
        "chart": "uitloop",
        "size": "breed",
        **{name: str(value) for name, value in first.items()},
    }


TOKENS = {
    "board.teacher_link": "teacher_token",
    "board.screen_link": "screen_token",
    "board.preparation": "prep_token",
    "board.preparation_read": "prep_token",
    "board.invitation_calendar": "prep_token",
    "board.preparation_pdf": "prep_token",
}


def every_request(app, driver: MeetingDriver):
    """(endpoint, method, path) for every rule of the app, GETs first, every export format."""
    values = url_values(driver)
    requests = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static":
                continue
            args = {name: values.get(name) for name in rule.arguments}
            if rule.endpoint in TOKENS:
                args["token"] = getattr(driver, TOKENS[rule.endpoint])
            for fmt in FORMATS if "fmt" in rule.arguments else [None]:
                if fmt:
                    args["fmt"] = fmt
                path = app.url_map.bind("").build(rule.endpoint, args)
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}, key="GET POST".index):
                    requests.append((rule.endpoint, method, path))
    return sorted(requests, key=lambda request: request[1])


def test_no_response_of_any_route_may_be_cached(app, full_meeting):
    walked = set()
    for device in ("teacher", "Anna", "stranger"):
        client = full_meeting.device(device)
        for endpoint, method, path in every_request(app, full_meeting):
            response = client.open(path, method=method)
            assert response.status_code != 500, (device, method, path)
            assert response.headers.get("Cache-Control") == "no-store", (device, method, path)
            walked.add(endpoint)
    every = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert walked == every


def test_the_board_its_resync_the_summary_and_the_reading_link_are_not_cached(full_meeting):
    for path in ("", "/live", "/summary", "/qr.svg"):
        response = full_meeting.teacher.get(full_meeting.url + path)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
    reading = full_meeting.device("stranger").get(f"/p/{full_meeting.prep_token}")
    assert PREPARATION in reading.text
    assert reading.headers["Cache-Control"] == "no-store"


def test_the_live_transport_is_not_cached_either(meeting):
    response = meeting.teacher.get("/socket.io/?EIO=4&transport=polling")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


SECURITY_HEADER_NAMES = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Permissions-Policy",
)


def test_every_security_header_is_sent_once_and_a_response_s_own_policy_is_kept(full_meeting):
    board = full_meeting.teacher.get(full_meeting.url)
    for name in SECURITY_HEADER_NAMES:
        assert len(board.headers.getlist(name)) == 1, name
    assert "script-src 'self'" in board.headers["Content-Security-Policy"]
    for path in ("/healthz", "/does-not-exist"):
        response = full_meeting.teacher.get(path)
        assert [len(response.headers.getlist(name)) for name in SECURITY_HEADER_NAMES] == [1] * 5


def test_a_page_request_served_by_gunicorn_skips_the_transport_s_middleware(meeting, monkeypatch):
    """Socket.IO's middleware copies the environ and defines a class for every request under
    gunicorn; only the transport's own requests go through it."""
    guard = meeting.app.wsgi_app
    middleware, through = guard.wrapped, []

    def spy(environ, start_response):
        through.append(environ["PATH_INFO"])
        return middleware(environ, start_response)

    monkeypatch.setattr(guard, "wrapped", spy)
    served = {"gunicorn.socket": object()}
    for path in (meeting.url, f"{meeting.url}/live", "/healthz"):
        assert meeting.teacher.get(path, environ_base=served).status_code == 200
    assert through == []
    polling = meeting.teacher.get("/socket.io/?EIO=4&transport=polling", environ_base=served)
    assert polling.status_code == 200
    assert polling.text.startswith("0{")
    assert polling.headers["Cache-Control"] == "no-store"
    assert through == ["/socket.io/"]


def test_static_files_keep_their_own_caching(meeting):
    with meeting.teacher.get("/static/vendor/htmx-2.0.11.min.js") as response:
        assert response.status_code == 200
        assert "no-store" not in response.headers["Cache-Control"]


# ---- the language switch stays on this site ----------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example",
        "/%0d%0a/x",
        "/%0a/evil.example",
        "/%5c/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "%2F%2Fevil.example",
        "/ /evil.example",
        "javascript:alert(1)",
    ],
)
def test_the_language_switch_never_sends_you_to_another_site(client, target):
    response = client.get(f"/taal/en?next={target}")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/", "/m/abc123", "/j/ABC2345", "/m/abc/summary?x=1"])
def test_the_language_switch_goes_back_to_the_page_it_came_from(client, target):
    response = client.get("/taal/en", query_string={"next": target})
    assert response.headers["Location"] == target
    assert local_path(target) == target


# ---- the reading link stops at the close --------------------------------------------------


def test_the_reading_link_shows_nothing_once_the_meeting_is_closed(full_meeting):
    link = f"/p/{full_meeting.prep_token}"
    reader = full_meeting.device("stranger")
    assert PREPARATION in reader.get(link).text
    assert full_meeting.post("teacher", "/close", {"confirm": "yes"}).status_code == 204
    for response in (reader.get(link), reader.post(link + "/read", data={"name": "Cees"})):
        assert response.status_code == 409
        assert PREPARATION not in response.text
        assert "Thomas" not in response.text
        assert "niet meer te lezen" in response.text
    assert PREPARATION in full_meeting.teacher.get(link).text, "the teacher keeps hers"
    assert PREPARATION not in full_meeting.device("Anna").get(link).text


# ---- against a real server process: what the server in front of the app answers ------------


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    live = LiveServer(
        f"sqlite:///{folder / 'web.sqlite3'}",
        LOG_PATH=str(folder / "server.log"),
        SOCKETIO_MESSAGE_QUEUE="",
        RATELIMIT_STORAGE="",
    )
    live.migrated_copy()
    yield live.start()
    live.stop()
    assert "Traceback" not in live.log(), live.log()[-3000:]


def raw_get(server: LiveServer, path: str, host: str | None = None):
    """A GET with exactly this Host header (http.client would send a valid one)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=host is not None)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


@pytest.mark.parametrize(
    "host",
    ["a" * 64 + ".example", "a..b", "x" * 300, ".", "school.example..:5000"],
    ids=["label over 63", "empty label", "300 characters", "only a dot", "empty label, port"],
)
@pytest.mark.live
@pytest.mark.parametrize("path", ["/", "/m/doesnotexist", "/socket.io/?EIO=4&transport=polling"])
def test_a_malformed_host_gets_a_dutch_400_with_the_usual_headers(server, host, path):
    status, headers, page = raw_get(server, path, host)
    assert status == 400
    assert headers["Cache-Control"] == "no-store"
    if not path.startswith("/socket.io/"):
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "Dat verzoek begrijpen we niet." in page


@pytest.mark.live
def test_a_good_host_still_gets_the_page(server):
    status, headers, page = raw_get(server, "/", "bord.school.example:8080")
    assert status == 200
    assert headers["Cache-Control"] == "no-store"


@pytest.mark.live
@pytest.mark.parametrize("target", ["/%09/evil.example", "/%0d%0a/x", "/%5C%5Cevil.example"])
def test_the_live_language_switch_stays_on_this_site_and_never_fails(server, target):
    status, headers, _ = raw_get(server, f"/taal/en?next={target}")
    assert status == 303
    assert headers["Location"] == "/"
    assert "Content-Security-Policy" in headers


def test_a_new_secret_key_ends_every_device_session_and_a_fallback_keeps_them(app, meeting):
    """The session's signer is built once per set of keys, never kept past a key change."""
    anna = meeting.device("Anna")
    assert anna.get(meeting.url).status_code == 200  # Anna's phone is known
    sessions = app.session_interface
    assert sessions.get_signing_serializer(app) is sessions.get_signing_serializer(app)
    app.config["SECRET_KEY_FALLBACKS"] = [app.secret_key]
    app.secret_key = "a-new-key-after-a-leak"
    assert anna.get(meeting.url).status_code == 200  # signed with the fallback: still valid
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert anna.get(meeting.url).status_code == 403  # the old key is gone: a stranger


def test_a_verified_session_cookie_is_not_checked_again_but_its_data_is_fresh(app, meeting):
    """The same cookie twice: the signature is checked once; each request gets its own
    objects, so what one request changes in place no other request sees."""
    anna = meeting.device("Anna")
    for _ in range(2):  # the first page may set a new cookie (its CSRF token); the next reads it
        assert anna.get(meeting.url).status_code == 200
    sessions = app.session_interface
    signer = sessions.get_signing_serializer(app)
    checked = []
    real_loads = signer.loads
    signer.loads = lambda *args, **kwargs: checked.append(1) or real_loads(*args, **kwargs)
    try:
        cookie = anna.get_cookie(app.config["SESSION_COOKIE_NAME"], domain="board.test").value
        with app.test_request_context(meeting.url, headers={"Cookie": f"intervisiebord={cookie}"}):
            from flask import request

            first = sessions.open_session(app, request)
            first["devices"].clear()  # changed in place, never saved
            second = sessions.open_session(app, request)
        assert checked == [], "verified when Anna's page was served"
        assert second["devices"] and second["devices"] is not first["devices"]
        assert anna.get(meeting.url).status_code == 200
    finally:
        signer.loads = real_loads


def test_a_kept_session_cookie_still_expires_and_a_changed_one_is_refused(
    app, meeting, monkeypatch
):
    from board import signatures

    anna = meeting.device("Anna")
    for _ in range(2):  # read, verified and kept
        assert anna.get(meeting.url).status_code == 200
    cookie = anna.get_cookie(app.config["SESSION_COOKIE_NAME"], domain="board.test")
    # One character of the signed data changed: checked in full, refused.
    forged = ("f" if cookie.value[0] != "f" else "g") + cookie.value[1:]
    stranger = app.test_client()
    stranger.set_cookie(app.config["SESSION_COOKIE_NAME"], forged, domain="board.test")
    assert stranger.get(meeting.url).status_code == 403
    # The session's lifetime passed: refused although the cookie was verified before.
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = signatures.time.time() + lifetime + 60
    monkeypatch.setattr(signatures.time, "time", lambda: later)  # itsdangerous's clock too
    assert anna.get(meeting.url).status_code == 403
