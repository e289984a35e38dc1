"""The small frictions a real meeting ran into, each fixed: names and groups at creation, the
timekeeper in the lobby and on the controls, confirmations before closing and withdrawing,
category chips with no default, and step 3's short form."""

from datetime import date

import pytest
from conftest import HTMX, MeetingDriver, flash_text
from lxml import html as lxml_html

from board.extensions import db
from board.models import Meeting, NeedCard

CREATE = {"pupil_alias": "Thomas", "group_name": "3", "meeting_date": str(date.today())}


def page_text(page: str) -> str:
    return " ".join(lxml_html.fromstring(page).text_content().split())


def meetings_stored(app) -> list[Meeting]:
    with app.app_context():
        found = db.session.execute(db.select(Meeting)).scalars().all()
        db.session.expunge_all()
        return found


# --- creating a meeting: the alias, the group, the teacher's name ---------------------------


@pytest.mark.parametrize("alias", ["Mohammed Ali", "mohammed ali", "thomas jansen"])
def test_two_name_words_are_asked_about_and_nothing_is_stored(app, client, alias):
    response = client.post("/meetings", data={**CREATE, "pupil_alias": alias})

    assert response.status_code == 422
    tree = lxml_html.fromstring(response.text)
    assert f"'{alias}' één voornaam" in tree.xpath("string(//*[@role='alert'])")
    (checkbox,) = tree.xpath("//input[@name='alias_confirmed']")
    assert checkbox.get("checked") is None
    assert tree.xpath("//input[@name='pupil_alias']/@value") == [alias]
    assert meetings_stored(app) == []


@pytest.mark.parametrize("alias", ["Mohammed Ali", "mohammed ali", "thomas jansen"])
def test_two_name_words_are_accepted_once_the_teacher_confirms(app, client, alias):
    response = client.post(
        "/meetings", data={**CREATE, "pupil_alias": alias, "alias_confirmed": "1"}
    )

    assert response.status_code == 303
    assert [m.pupil_alias for m in meetings_stored(app)] == [alias]


@pytest.mark.parametrize("alias", ["Thomas de Vries", "thomas van der berg", "Sem Van Den Heuvel"])
def test_a_surname_after_a_particle_is_refused_even_when_confirmed(app, client, alias):
    data = {**CREATE, "pupil_alias": alias, "alias_confirmed": "1"}

    response = client.post("/meetings", data=data)

    assert response.status_code == 422
    assert "geen achternaam" in flash_text(response)
    assert meetings_stored(app) == []


def test_the_home_page_asks_nothing_extra_until_two_names_are_typed(client):
    assert 'name="alias_confirmed"' not in client.get("/").text


@pytest.mark.parametrize(
    ("typed", "stored"), [("groep 4", "4"), ("Groep 4A", "4a"), ("3-4", "3/4")]
)
def test_the_group_is_stored_once_and_the_board_says_groep_once(app, typed, stored):
    client = app.test_client()
    response = client.post("/meetings", data={**CREATE, "group_name": typed})
    board = client.get(response.headers["Location"], follow_redirects=True).text

    assert [m.group_name for m in meetings_stored(app)] == [stored]
    assert f"groep {stored}" in page_text(board)
    assert "groep groep" not in page_text(board).casefold()


def test_a_group_that_is_no_group_is_refused_and_nothing_is_stored(app, client):
    response = client.post("/meetings", data={**CREATE, "group_name": "groep 12"})

    assert response.status_code == 422
    assert "bijvoorbeeld 4, 4a of 3/4" in flash_text(response)
    assert meetings_stored(app) == []


def test_a_blank_teacher_name_reads_well_beside_the_badge(app):
    driver = MeetingDriver(app)  # creates the meeting without a teacher name
    driver.open_lobby()

    people = page_text(driver.teacher.get(driver.url).text)

    assert "Leerkracht van Thomas inbrenger" in people
    assert "inbrenger inbrenger" not in people.casefold()


# --- the timekeeper: the lobby text and the teacher's controls -------------------------------


def lobby_help(driver: MeetingDriver) -> str:
    tree = lxml_html.fromstring(driver.teacher.get(driver.url).text)
    return " ".join(tree.xpath("//h2[.='Beginnen']/following-sibling::p[1]//text()"))


def test_the_lobby_text_follows_the_timekeeper_choice(app, meeting):
    assert "Kies eerst een tijdbewaker" in lobby_help(meeting)

    meeting.make_timekeeper("Anna")
    text = lobby_help(meeting)
    assert "Anna is de tijdbewaker" in text
    assert "Kies eerst" not in text

    meeting.make_timekeeper("Leerkracht van Thomas")
    assert "Jij bent de tijdbewaker" in lobby_help(meeting)


def controls_text(driver: MeetingDriver, who: str = "teacher") -> str:
    tree = lxml_html.fromstring(driver.device(who).get(driver.url).text)
    (nav,) = tree.xpath("//nav[@id='controls']")
    return " ".join(nav.xpath(".//span//text()"))


def test_the_teachers_timer_controls_say_she_is_the_timekeepers_backup(meeting):
    meeting.make_timekeeper("Anna")
    meeting.go_to(1)

    text = controls_text(meeting)

    assert "Reserve voor de tijdbewaker" in text
    assert "Anna bewaakt de tijd" in text
    assert "Reserve" not in controls_text(meeting, "Anna")


def test_without_a_timekeeper_the_controls_say_the_teacher_keeps_time(meeting):
    meeting.go_to(1)

    assert "Er is geen tijdbewaker: jij bewaakt de tijd." in controls_text(meeting)


# --- closing asks first; the server wants the confirmation too ------------------------------


def test_closing_opens_a_confirmation_with_a_yes_and_a_no(meeting):
    meeting.go_to(7)
    tree = lxml_html.fromstring(meeting.teacher.get(meeting.url).text)

    (opener,) = tree.xpath("//button[normalize-space()='Bijeenkomst afsluiten']")
    assert opener.get("type") == "button"
    dialog = tree.get_element_by_id(opener.get("aria-controls"))
    assert dialog.tag == "dialog"
    (yes,) = dialog.xpath(".//button[normalize-space()='Ja, afsluiten']")
    assert yes.getparent().xpath("input[@name='confirm']/@value") == ["yes"]
    (no,) = dialog.xpath(".//button[normalize-space()='Nee, nog niet']")
    assert no.getparent().get("method") == "dialog"


@pytest.mark.parametrize("confirm", [None, "", "no", "ja"])
def test_a_close_without_the_confirmation_changes_nothing(app, meeting, confirm):
    meeting.go_to(7)
    data = {} if confirm is None else {"confirm": confirm}

    response = meeting.post("teacher", "/close", data)

    assert response.status_code == 422
    assert "Bevestig eerst dat je de bijeenkomst wilt afsluiten" in flash_text(response)
    with app.app_context():
        stored = meeting.meeting()
        assert (stored.stage, stored.closed_at) == ("step7", None)


def test_a_confirmed_close_closes(app, meeting):
    meeting.go_to(7)

    assert meeting.post("teacher", "/close", {"confirm": "yes"}).status_code == 204
    with app.app_context():
        assert meeting.meeting().stage == "closed"


# --- need cards: category chips with no default; withdrawing apart from saving -------------


def test_the_need_form_offers_category_chips_with_none_chosen(meeting):
    meeting.go_to(4)
    tree = lxml_html.fromstring(meeting.colleagues["Anna"].get(meeting.url).text)
    (form,) = tree.xpath("//form[contains(@class, 'need-form')]")

    chips = form.xpath(".//fieldset[legend='Soort behoefte']//input[@name='category']")
    assert {chip.get("type") for chip in chips} == {"radio"}
    assert [chip.get("checked") for chip in chips] == [None] * len(chips)
    assert all(chip.get("required") is not None for chip in chips)
    labels = [chip.getparent().text_content().strip() for chip in chips]
    assert labels[0] == "Instructie"
    assert "Anders" in labels
    assert form.xpath(".//select[@name='category']") == []


def test_a_card_without_a_chosen_category_is_refused_and_not_stored(app, meeting):
    meeting.go_to(4)

    response = meeting.post("Anna", "/needs", {"text": "rust", "client_key": "no-category"})

    assert response.status_code == 422
    assert "Kies een categorie" in flash_text(response)
    with app.app_context():
        assert db.session.execute(db.select(NeedCard)).first() is None


def test_withdrawing_a_card_asks_first_and_sits_apart_from_saving(app, meeting):
    meeting.go_to(4)
    anna = meeting.colleagues["Anna"]
    meeting.post("Anna", "/needs", {"text": "rust", "category": "anders", "client_key": "w1"})
    with app.app_context():
        card_id = meeting.meeting().needs[0].id

    editor = lxml_html.fromstring(anna.get(f"{meeting.url}/needs/{card_id}/edit").text)

    (save,) = editor.xpath("//button[normalize-space()='Opslaan']")
    save_form = save.getparent()
    assert save_form.xpath(".//*[contains(normalize-space(), 'ntrekken')]") == []
    (opener,) = editor.xpath("//button[normalize-space()='Kaartje intrekken…']")
    assert opener.get("type") == "button"
    dialog = editor.get_element_by_id(opener.get("aria-controls"))
    (yes,) = dialog.xpath(".//button[normalize-space()='Ja, intrekken']")
    assert yes.getparent().get("hx-post").endswith(f"/needs/{card_id}/withdraw")
    assert dialog.xpath(".//form[@method='dialog']//button[normalize-space()='Nee, bewaren']")


# --- step 3: the sentence first, the parts folded, the example about this pupil ------------


def test_step_3_asks_for_the_sentence_first_and_folds_the_parts(meeting):
    meeting.go_to(3)
    tree = lxml_html.fromstring(meeting.teacher.get(meeting.url).text)
    (form,) = tree.xpath("//div[@class='goal-form']")

    first = form.xpath(".//textarea")[0]
    assert first.get("id") == "goal-text"
    assert "Bijvoorbeeld: Thomas blijft" in form.xpath("string(.//p[@id='goal-text-help'])")
    (fold,) = form.xpath(".//details")
    assert fold.get("open") is None
    assert "mag, hoeft niet" in fold.xpath("string(summary)")
    folded = {t.get("id") for t in fold.xpath(".//textarea")}
    assert folded == {
        "goal-duration",
        "goal-frequency",
        "goal-moment",
        "goal-level",
        "goal-evaluation_how",
        "goal-evaluation_when",
    }


def test_the_example_uses_the_pupils_own_alias(app):
    client = app.test_client()
    response = client.post("/meetings", data={**CREATE, "pupil_alias": "Noor"})
    board = client.get(response.headers["Location"]).headers["Location"]  # the secret link
    for command in ("open", "start", "next", "next"):
        assert client.post(f"{board}/{command}", headers=HTMX).status_code == 204

    page = client.get(board).text

    assert "Bijvoorbeeld: Noor blijft" in page
    assert "Bijvoorbeeld: Thomas" not in page


def test_parts_already_filled_show_unfolded(meeting):
    meeting.go_to(3)
    meeting.post("teacher", "/goal", {"field": "level", "value": "op eigen niveau"})
    tree = lxml_html.fromstring(meeting.teacher.get(meeting.url).text)

    (fold,) = tree.xpath("//div[@class='goal-form']//details")
    assert fold.get("open") is not None


def test_the_goal_check_says_so_positively_and_names_the_evaluation_moment(meeting):
    meeting.go_to(3)
    sentence = (
        "Thomas zit op drie ochtenden per week vier minuten in de kring; evaluatie na zes weken."
    )
    meeting.post("teacher", "/goal", {"field": "text", "value": sentence})

    for who in ("teacher", "Anna"):
        tree = lxml_html.fromstring(meeting.device(who).get(meeting.url).text)
        (check,) = tree.xpath("//div[contains(@class, 'goal-check')]")
        assert "is-ok" in check.get("class")
        text = " ".join(check.text_content().split())
        assert "Doelcheck: concreet en meetbaar. Mooi!" in text
        assert "Evaluatiemoment: na zes weken" in text
