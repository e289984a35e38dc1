"""English for who asks: the catalog, the language switch, and translated error messages."""

import pytest

from board.errors import translated

ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}
HTMX = {"HX-Request": "true"}


def test_dutch_is_the_default(client):
    page = client.get("/").text
    assert '<html lang="nl"' in page
    assert "Bijeenkomst aanmaken" in page


def test_a_browser_that_prefers_english_gets_english(client):
    page = client.get("/", headers=ENGLISH).text
    assert '<html lang="en"' in page
    assert "Create meeting" in page


def test_the_switch_sets_a_cookie_and_goes_back_to_the_page(client):
    response = client.get("/taal/en?next=/join")
    assert response.status_code == 303
    assert response.headers["Location"] == "/join"
    assert "lang=en" in response.headers["Set-Cookie"]
    assert "Create meeting" in client.get("/").text
    client.get("/taal/nl?next=/")
    assert "Bijeenkomst aanmaken" in client.get("/", headers=ENGLISH).text


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil", ""])
def test_the_switch_never_sends_you_to_another_site(client, target):
    response = client.get("/taal/en", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_an_unknown_language_changes_nothing(client):
    response = client.get("/taal/fr?next=/")
    assert "Set-Cookie" not in response.headers


def test_a_field_message_is_translated_with_its_label(meeting):
    meeting.go_to(2)
    response = meeting.colleagues["Anna"].post(
        meeting.url + "/questions",
        data={"text": " ", "stage": "step2"},
        headers={**HTMX, **ENGLISH},
    )
    assert response.status_code == 422
    assert "Question: please fill this in." in response.text


def test_a_message_keeps_its_dutch_text_for_dutch_readers(app):
    from board.domain.errors import InvalidInput
    from board.domain.text import clean_text

    with pytest.raises(InvalidInput) as caught:
        clean_text("", limit=10, label="Vraag")
    assert caught.value.message == "Vraag: vul dit in."
    with app.test_request_context(headers=ENGLISH):
        assert translated(caught.value.message) == "Question: please fill this in."
    with app.test_request_context():
        assert translated(caught.value.message) == "Vraag: vul dit in."


def test_a_device_gets_its_pushes_in_its_own_language(app, meeting):
    """Fragments are rendered per audience and language; each socket hears its own."""
    from board.extensions import socketio

    origin = {"Origin": "http://board.test"}

    def connect(who, headers):
        socket = socketio.test_client(
            app,
            flask_test_client=meeting.device(who),
            auth={"meeting": meeting.id, "version": 10**6},
            headers={**origin, **headers},
        )
        socket.get_received()
        return socket

    dutch = connect("Anna", {})
    english = connect("Bram", ENGLISH)
    meeting.go_to(1)

    def stage_html(socket) -> str:
        pushes = [e["args"][0] for e in socket.get_received() if e["name"] == "regions"]
        return "".join(p["regions"].get("stage", "") for p in pushes)

    assert "Stap 1 van 7" in stage_html(dutch)
    english_html = stage_html(english)
    assert "Step 1 of 7" in english_html
    assert "Stap 1 van 7" not in english_html
