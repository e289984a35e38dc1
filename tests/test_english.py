"""English for who asks with the switch: the catalog, the switch, and translated messages.

A Dutch meeting stays Dutch on a phone whose browser prefers English: only the switch
(remembered on the device) gives English.
"""

import pytest

from board.errors import translated

PREFERS_ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}
ENGLISH = {"Cookie": "lang=en"}  # what the switch leaves on the device
HTMX = {"HX-Request": "true"}


def test_dutch_is_the_default(client):
    page = client.get("/").text
    assert '<html lang="nl"' in page
    assert "Bijeenkomst aanmaken" in page


def test_a_browser_that_prefers_english_still_gets_the_dutch_board(client):
    page = client.get("/", headers=PREFERS_ENGLISH).text
    assert '<html lang="nl"' in page
    assert "Bijeenkomst aanmaken" in page


def test_a_phone_that_prefers_english_joins_a_dutch_meeting_in_dutch(meeting):
    phone = meeting.app.test_client()
    page = phone.get(f"/j/{meeting.join_code}", headers=PREFERS_ENGLISH).text
    assert '<html lang="nl"' in page
    phone.post(f"/j/{meeting.join_code}", data={"name": "Cas"}, headers=PREFERS_ENGLISH)
    board = phone.get(meeting.url, headers=PREFERS_ENGLISH).text
    assert '<html lang="nl"' in board
    assert "Je bent binnen" in board


def test_the_english_choice_is_remembered_on_the_device(client):
    client.get("/taal/en?next=/")
    for _ in range(2):
        page = client.get("/", headers={"Accept-Language": "nl"}).text
        assert '<html lang="en"' in page
        assert "Create meeting" in page


def test_the_switch_sets_a_cookie_and_goes_back_to_the_page(client):
    response = client.get("/taal/en?next=/join")
    assert response.status_code == 303
    assert response.headers["Location"] == "/join"
    assert "lang=en" in response.headers["Set-Cookie"]
    assert "Create meeting" in client.get("/").text
    client.get("/taal/nl?next=/")
    assert "Bijeenkomst aanmaken" in client.get("/", headers=PREFERS_ENGLISH).text


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil", ""])
def test_the_switch_never_sends_you_to_another_site(client, target):
    response = client.get("/taal/en", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_an_unknown_language_changes_nothing(client):
    response = client.get("/taal/fr?next=/")
    assert "Set-Cookie" not in response.headers


def test_a_field_message_is_translated_with_its_label(meeting):
    meeting.go_to(2)
    anna = meeting.colleagues["Anna"]
    anna.get("/taal/en")
    response = anna.post(
        meeting.url + "/questions", data={"text": " ", "stage": "step2"}, headers=HTMX
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

    def connect(who):
        socket = socketio.test_client(
            app,
            flask_test_client=meeting.device(who),
            auth={"meeting": meeting.id, "version": 10**6},
            headers={**origin, **PREFERS_ENGLISH},
        )
        socket.get_received()
        return socket

    meeting.device("Bram").get("/taal/en")
    dutch = connect("Anna")
    english = connect("Bram")
    meeting.go_to(1)

    def stage_html(socket) -> str:
        pushes = [e["args"][0] for e in socket.get_received() if e["name"] == "regions"]
        return "".join(p["regions"].get("stage", "") for p in pushes)

    assert "Stap 1 van 7" in stage_html(dutch)
    english_html = stage_html(english)
    assert "Step 1 of 7" in english_html
    assert "Stap 1 van 7" not in english_html
