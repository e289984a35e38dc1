"""Getting into a meeting: creating it, preparing it, sharing it, and joining it with a code."""

from datetime import date

import pytest
from conftest import HTMX, MeetingDriver, flash_text
from lxml import html as lxml_html

from board.extensions import db
from board.models import Meeting, PrepRead

VALID = {"pupil_alias": "Thomas", "group_name": "3", "meeting_date": str(date.today())}


def database_rows(app) -> dict:
    """Every row of every table: compared before and after to show that nothing changed."""
    with app.app_context():
        db.session.remove()
        return {
            table.name: db.session.execute(
                table.select().order_by(*table.primary_key.columns)
            ).all()
            for table in db.metadata.sorted_tables
        }


def error_text(response) -> str:
    """The text of the page's error message (role=alert)."""
    tree = lxml_html.fromstring(response.text)
    return " ".join(node.text_content().strip() for node in tree.xpath("//*[@role='alert']"))


def forms_posting_to(page: str, suffix: str) -> list:
    tree = lxml_html.fromstring(page)
    return [
        form
        for form in tree.iter("form")
        if (form.get("hx-post") or form.get("action") or "").endswith(suffix)
    ]


def mangled(code: str) -> list[str]:
    """The ways people mistype a code that should still work."""
    lower = code.lower()
    return [lower, f"{code[:3]}-{code[3:]}", f"{code[:3]}%20{code[3:]}", f"{lower[:3]}-{lower[3:]}"]


# Creating a meeting


def test_the_create_form_asks_for_no_full_name(client):
    page = client.get("/").text
    assert "geen achternaam" in page
    assert "Voornaam of initialen" in page


BAD_CREATE_FORMS = {
    "empty-alias": ("pupil_alias", "", "Naam leerling: vul dit in."),
    "blank-alias": ("pupil_alias", "   ", "Naam leerling: vul dit in."),
    "full-name": ("pupil_alias", "Thomas de Vries", "geen achternaam"),
    "full-name-lower-case": ("pupil_alias", "thomas de vries", "geen achternaam"),
    "birth-date": ("pupil_alias", "Thomas 12-03-2016", "geboortedatum"),
    "bad-date": ("meeting_date", "31-02-2025", "Datum: kies een geldige datum."),
    "no-date": ("meeting_date", "", "Datum: kies een geldige datum."),
    "long-group": ("group_name", "g" * 31, "Groep: dit is te lang"),
    "no-group": ("group_name", "", "Groep: vul dit in."),
}


@pytest.mark.parametrize(
    ("field", "value", "message"), BAD_CREATE_FORMS.values(), ids=BAD_CREATE_FORMS.keys()
)
def test_a_bad_create_form_comes_back_with_a_dutch_message_and_stores_nothing(
    app, client, field, value, message
):
    response = client.post("/meetings", data={**VALID, field: value})
    assert response.status_code == 422
    assert message in error_text(response)
    form = forms_posting_to(response.text, "/meetings")[0]
    typed = {name: form.xpath(f".//input[@name='{name}']")[0].get("value") for name in VALID}
    assert typed == {**VALID, field: value}
    with app.app_context():
        assert db.session.execute(db.select(Meeting)).first() is None


def test_creating_a_meeting_sends_the_teacher_by_their_secret_link_to_the_board(app, client):
    response = client.post("/meetings", data={**VALID, "teacher_name": "Juf Sanne"})
    assert response.status_code == 303
    with app.app_context():
        meeting = db.session.execute(db.select(Meeting)).scalar_one()
        assert response.headers["Location"].endswith(f"/t/{meeting.teacher_token}")
        assert (meeting.pupil_alias, meeting.group_name, meeting.stage) == (
            "Thomas",
            "3",
            "preparing",
        )
        assert [p.name for p in meeting.participants] == ["Juf Sanne"]
        board_url = f"/m/{meeting.id}"
    assert client.get(response.headers["Location"]).headers["Location"].endswith(board_url)
    board = client.get(board_url)
    assert board.status_code == 200
    assert 'data-audience="teacher"' in board.text


# Preparing: the teacher's autosave, the colleagues' read link


@pytest.fixture
def preparing(app):
    """A meeting still being prepared: only the teacher (and the screen) are in."""
    return MeetingDriver(app)


def test_the_teacher_autosaves_a_preparation_answer(app, preparing):
    response = preparing.post("teacher", "/prep", {"field": "reason", "value": "Sinds de herfst"})
    assert response.status_code == 200
    assert response.text.strip() == "Opgeslagen"
    with app.app_context():
        assert preparing.meeting().prep_reason == "Sinds de herfst"


def test_a_preparation_answer_of_2000_characters_is_saved(app, preparing):
    response = preparing.post("teacher", "/prep", {"field": "worries", "value": "x" * 2000})
    assert response.status_code == 200
    with app.app_context():
        assert len(preparing.meeting().prep_worries) == 2000


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"field": "favourite_colour", "value": "blauw"}, "Onbekende vraag."),
        ({"field": "reason", "value": "x" * 2001}, "te lang (2001 tekens, hooguit 2000)"),
        ({"field": "reason", "value": "nul\x00byte"}, "ongeldige tekens"),
    ],
    ids=["unknown-field", "2001-characters", "control-character"],
)
def test_a_bad_preparation_answer_is_refused_and_nothing_is_stored(app, preparing, form, message):
    before = database_rows(app)
    response = preparing.post("teacher", "/prep", form)
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#flash"
    assert message in flash_text(response)
    assert database_rows(app) == before


def test_a_colleague_cannot_edit_the_preparation(app, meeting):
    before = database_rows(app)
    response = meeting.post("Anna", "/prep", {"field": "reason", "value": "Iets anders"})
    assert response.status_code == 403
    assert flash_text(response)
    assert database_rows(app) == before


def test_the_read_link_shows_the_answers_read_only(preparing):
    preparing.post("teacher", "/prep", {"field": "strengths", "value": "Bouwhoek gaat goed"})
    response = preparing.app.test_client().get(f"/p/{preparing.prep_token}")
    assert response.status_code == 200
    assert "Bouwhoek gaat goed" in response.text
    assert "<textarea" not in response.text
    assert forms_posting_to(response.text, "/prep") == []


def test_the_read_link_and_the_join_page_give_away_no_secret_link(app, preparing):
    preparing.open_lobby()
    device = app.test_client()
    for path in (f"/p/{preparing.prep_token}", f"/j/{preparing.join_code}"):
        page = device.get(path).text
        assert preparing.teacher_token not in page, path
        assert preparing.screen_token not in page, path


def test_a_colleague_marks_the_preparation_read_and_the_teacher_sees_it(app, preparing):
    reader = app.test_client()
    response = reader.post(f"/p/{preparing.prep_token}/read", data={"name": "Cees"})
    assert response.status_code == 200
    assert "Dank je" in response.text
    reader.post(f"/p/{preparing.prep_token}/read", data={"name": " cees "})
    with app.app_context():
        assert [read.name for read in db.session.execute(db.select(PrepRead)).scalars()] == ["Cees"]
    teacher_page = lxml_html.fromstring(preparing.teacher.get(preparing.url).text)
    read_by = teacher_page.get_element_by_id("prep_reads").text_content()
    assert "Gelezen door" in read_by
    assert "Cees" in read_by


def test_marking_the_preparation_read_without_a_name_is_refused(app, preparing):
    before = database_rows(app)
    response = app.test_client().post(f"/p/{preparing.prep_token}/read", data={"name": "  "})
    assert response.status_code == 422
    assert "Naam: vul dit in." in error_text(response)
    assert database_rows(app) == before


@pytest.mark.parametrize("path", ["/p/not-a-token", "/t/not-a-token", "/s/not-a-token"])
def test_a_wrong_secret_link_is_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Deze link klopt niet" in response.text


def test_marking_read_through_a_wrong_link_is_404(app, client):
    before = database_rows(app)
    assert client.post("/p/not-a-token/read", data={"name": "Cees"}).status_code == 404
    assert database_rows(app) == before


# Joining with a code


def test_an_unknown_code_gives_a_404_page_with_a_box_to_try_again(client):
    response = client.get("/j/ZZZZZZZ")
    assert response.status_code == 404
    assert "Die code kennen we niet" in error_text(response)
    retry = lxml_html.fromstring(response.text).xpath("//form//input[@name='code']")
    assert len(retry) == 1


def test_a_mistyped_code_still_finds_the_meeting(app, meeting):
    for number, typed in enumerate(mangled(meeting.join_code)):
        device = app.test_client()
        assert device.get(f"/j/{typed}").status_code == 200, typed
        response = device.post(f"/j/{typed}", data={"name": f"Collega {number}"})
        assert response.status_code == 303, typed
        assert response.headers["Location"].endswith(meeting.url)
    with app.app_context():
        names = [p.name for p in meeting.meeting().participants]
    assert names[-4:] == ["Collega 0", "Collega 1", "Collega 2", "Collega 3"]


def test_the_code_box_on_the_home_page_leads_to_the_join_page(meeting):
    device = meeting.app.test_client()
    typed = f"{meeting.join_code[:3].lower()} {meeting.join_code[3:].lower()}"
    response = device.get("/join", query_string={"code": typed})
    assert response.status_code == 302
    join_page = device.get(response.headers["Location"])
    assert join_page.status_code == 200
    assert lxml_html.fromstring(join_page.text).xpath("//form//input[@name='name']")


def test_an_empty_code_box_gives_the_try_again_page(client):
    response = client.get("/join", query_string={"code": "  "}, follow_redirects=True)
    assert response.status_code == 404
    assert lxml_html.fromstring(response.text).xpath("//input[@name='code']")


def test_the_code_of_a_closed_meeting_says_it_is_over_and_stores_nobody(app, meeting):
    meeting.go_to(7)
    assert meeting.post("teacher", "/close", {"confirm": "yes"}).status_code == 204
    device = app.test_client()
    assert device.get(f"/j/{meeting.join_code}").status_code == 409
    before = database_rows(app)
    response = device.post(f"/j/{meeting.join_code}", data={"name": "Cees"})
    assert response.status_code == 409
    assert "afgelopen" in error_text(response)
    assert database_rows(app) == before


def test_a_meeting_still_being_prepared_cannot_be_joined_yet(app, preparing):
    device = app.test_client()
    page = device.get(f"/j/{preparing.join_code}")
    assert page.status_code == 409
    assert "nog niet geopend" in error_text(page)
    before = database_rows(app)
    response = device.post(f"/j/{preparing.join_code}", data={"name": "Cees"})
    assert response.status_code == 409
    assert "nog niet geopend" in error_text(response)
    assert database_rows(app) == before


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Naam: vul dit in."), ("   ", "Naam: vul dit in."), ("x" * 41, "Naam: dit is te lang")],
    ids=["empty", "whitespace", "41-characters"],
)
def test_a_bad_display_name_is_refused_with_a_dutch_message(app, meeting, name, message):
    before = database_rows(app)
    response = app.test_client().post(f"/j/{meeting.join_code}", data={"name": name})
    assert response.status_code == 422
    assert message in error_text(response)
    assert forms_posting_to(response.text, f"/j/{meeting.join_code}")
    assert database_rows(app) == before


def test_a_display_name_of_40_characters_is_fine(app, meeting):
    response = app.test_client().post(f"/j/{meeting.join_code}", data={"name": "x" * 40})
    assert response.status_code == 303


@pytest.mark.parametrize("name", ["anna", "ANNA", " Anna ", "Bram"])
def test_a_second_device_cannot_take_a_name_already_in_use(app, meeting, name):
    before = database_rows(app)
    response = app.test_client().post(f"/j/{meeting.join_code}", data={"name": name})
    assert response.status_code == 422
    assert "al in gebruik" in error_text(response)
    assert database_rows(app) == before


def test_after_joining_the_device_sees_the_board(app, meeting):
    device = app.test_client()
    response = device.post(f"/j/{meeting.join_code}", data={"name": "Cees"})
    board = device.get(response.headers["Location"])
    assert board.status_code == 200
    page = lxml_html.fromstring(board.text)
    assert page.find("body").get("data-audience") == "colleague"
    assert page.find_class("whoami")[0].text_content() == "Cees"
    assert "Cees" in page.get_element_by_id("participants").text_content()


def test_a_device_that_joined_goes_straight_to_the_board_from_the_join_link(meeting):
    response = meeting.device("Anna").get(f"/j/{meeting.join_code}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(meeting.url)


def test_a_device_of_one_meeting_cannot_act_in_another(app, meeting):
    other = MeetingDriver(app)
    other.open_lobby()
    other.join("Cees")
    other.go_to(2)
    anna = meeting.device("Anna")
    before = database_rows(app)
    response = anna.post(f"{other.url}/questions", data={"text": "Mag ik?"}, headers=HTMX)
    assert response.status_code == 403
    assert flash_text(response)
    assert anna.get(f"{other.url}/live").status_code == 403
    assert database_rows(app) == before
