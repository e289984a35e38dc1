"""Before and after the meeting: the time and place, the teacher's own list on her device,
the invitation (copy, mail, calendar, preparation form on paper) and what everyone keeps."""

import io
import re
from datetime import date, datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import MeetingDriver
from lxml import html as lxml_html
from pypdf import PdfReader

from board.domain.errors import InvalidInput
from board.domain.preparation import PREP_QUESTIONS
from board.domain.schedule import meeting_day, school_day_warning, start_time
from board.exports.calendar import Event, calendar, escape, fold
from board.extensions import db
from board.models import Agreement, GoalSuggestion, Meeting, NeedCard

TODAY = date.today()
CREATE = {"pupil_alias": "Thomas", "group_name": "5b", "meeting_date": str(TODAY)}


def meetings_in(app) -> int:
    with app.app_context():
        return len(db.session.execute(db.select(Meeting)).scalars().all())


def create(client, **fields):
    return client.post("/meetings", data={**CREATE, **fields})


def page_text(response) -> str:
    return re.sub(r"\s+", " ", lxml_html.fromstring(response.text).text_content())


# --- when and where: the domain -------------------------------------------------------


def test_a_meeting_day_in_the_past_is_refused_today_is_fine():
    assert meeting_day(str(TODAY), TODAY) == TODAY
    with pytest.raises(InvalidInput, match="al voorbij"):
        meeting_day(str(TODAY - timedelta(days=1)), TODAY)


@pytest.mark.parametrize("value", ["25:00", "kwart over drie", "15:15:99"])
def test_a_start_time_must_be_a_time(value):
    with pytest.raises(InvalidInput, match="Begintijd"):
        start_time(value)


def test_an_empty_start_time_is_no_start_time():
    assert start_time("  ") is None
    assert start_time("15:15") == time(15, 15)


@pytest.mark.parametrize(
    ("start", "warned"),
    [("07:00", True), ("08:30", False), ("15:15", False), ("17:30", True), ("20:00", True)],
)
def test_a_start_outside_the_school_day_gets_a_warning(start, warned):
    warning = school_day_warning(time.fromisoformat(start))
    assert (warning is not None) is warned
    if warned:
        assert start in warning and "buiten schooltijd" in warning


# --- the calendar file: RFC 5545 -------------------------------------------------------


def test_text_values_escape_backslash_semicolon_comma_and_line_breaks():
    assert escape("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line).split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in folded)
    assert all(part.startswith(" ") for part in folded[1:])
    assert "".join(part.removeprefix(" ") for part in folded) == line


def test_a_calendar_has_crlf_lines_and_the_required_properties():
    start = datetime(2026, 12, 9, 15, 15)
    event = Event("x@board.test", start, start + timedelta(minutes=39), "Intervisie, groep 5b")
    text = calendar([event], datetime(2026, 12, 2, 7, 0)).decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    for expected in ("VERSION:2.0", "UID:x@board.test", "DTSTAMP:20261202T070000Z"):
        assert expected in lines
    assert "DTSTART:20261209T151500" in lines and "DTEND:20261209T155400" in lines
    assert "SUMMARY:Intervisie\\, groep 5b" in lines


# --- creating: time, place, bad input --------------------------------------------------


def test_the_time_and_place_are_stored(app, client):
    response = create(client, start_time="15:15", place="de teamkamer")
    assert response.status_code == 303
    with app.app_context():
        meeting = db.session.execute(db.select(Meeting)).scalar_one()
        assert (meeting.start_time, meeting.place) == (time(15, 15), "de teamkamer")


def test_a_date_in_the_past_is_refused_in_dutch_and_nothing_is_stored(app, client):
    response = create(client, meeting_date=str(TODAY - timedelta(days=1)))
    assert response.status_code == 422
    assert "die dag is al voorbij" in page_text(response)
    assert meetings_in(app) == 0


def test_a_bad_start_time_is_refused_and_nothing_is_stored(app, client):
    response = create(client, start_time="half vier")
    assert response.status_code == 422
    assert "Begintijd: vul een tijd in" in page_text(response)
    assert meetings_in(app) == 0


def test_a_start_outside_school_hours_is_made_with_a_warning(app):
    teacher = app.test_client()
    response = create(teacher, start_time="19:30")
    assert response.status_code == 303
    teacher.get(response.headers["Location"])
    with app.app_context():
        meeting_id = db.session.execute(db.select(Meeting.id)).scalar_one()
    board = teacher.get(f"/m/{meeting_id}")
    assert "begint om 19:30, buiten schooltijd" in page_text(board)


# --- the teacher's own list, on her device only -----------------------------------------


def test_the_home_page_lists_the_meetings_this_device_holds_as_teacher(app):
    driver = MeetingDriver(app)
    home = driver.teacher.get("/")
    mine = lxml_html.fromstring(home.text).get_element_by_id("mine-title").getparent()
    assert "Thomas, groep 3" in mine.text_content()
    assert mine.find(".//a").get("href") == f"/m/{driver.id}"
    assert driver.teacher_token not in home.text  # no secret link on the page


def test_another_device_and_a_colleague_see_no_list(app):
    driver = MeetingDriver(app)
    driver.open_lobby()
    colleague = driver.join("Anna")
    for client in (app.test_client(), colleague, driver.screen):
        response = client.get("/")
        assert "Mijn bijeenkomsten" not in response.text
        assert "Thomas" not in response.text


def test_the_list_groups_planned_open_and_closed_meetings(app):
    planned, running, closed = MeetingDriver(app), MeetingDriver(app), MeetingDriver(app)
    running.open_lobby()
    with app.app_context():
        meeting = closed.meeting()
        meeting.stage, meeting.goal_evaluation_when = "closed", "niet"
        db.session.commit()
    # One device: the teacher opened all three secret links there.
    device = planned.teacher
    for driver in (running, closed):
        device.get(f"/t/{driver.teacher_token}")
    tree = lxml_html.fromstring(device.get("/").text)
    headings = [h.text_content() for h in tree.find_class("my-meetings")[0].iter("h3")]
    assert headings == ["Nu open", "Gepland", "Afgesloten"]


def test_a_closed_meeting_due_for_evaluation_is_listed_first(app):
    driver = MeetingDriver(app)
    with app.app_context():
        meeting = driver.meeting()
        meeting.stage = "closed"
        meeting.goal_evaluation_when = TODAY.strftime("%d-%m-%Y")
        db.session.commit()
    tree = lxml_html.fromstring(driver.teacher.get("/").text)
    section = tree.find_class("my-meetings")[0]
    assert [h.text_content() for h in section.iter("h3")] == ["Te evalueren"]
    assert "Samenvatting" in section.text_content()


# --- the invitation: copy, mail, calendar, paper ----------------------------------------


@pytest.fixture
def invited(app):
    teacher = app.test_client()
    response = create(
        teacher, start_time="15:15", place="Teamkamer, gebouw B", teacher_name="Juf Sanne"
    )
    teacher.get(response.headers["Location"])
    with app.app_context():
        meeting = db.session.execute(db.select(Meeting)).scalar_one()
        meeting.prep_reason = "Hij loopt weg uit de kring."
        db.session.commit()
        meeting_id, prep, secret = meeting.id, meeting.prep_token, meeting.teacher_token
    return teacher, meeting_id, prep, secret


def test_every_link_has_a_copy_button(invited):
    teacher, meeting_id, _, _ = invited
    tree = lxml_html.fromstring(teacher.get(f"/m/{meeting_id}").text)
    links = tree.find_class("links")[0]
    boxes = [box.get("id") for box in links.iter("input")]
    buttons = [button.get("data-copy") for button in links.iter("button")]
    assert boxes == buttons == ["link-teacher", "link-reading", "link-screen"]


def test_the_mail_holds_the_reading_link_date_time_and_place_not_the_secret(invited):
    teacher, meeting_id, prep, secret = invited
    tree = lxml_html.fromstring(teacher.get(f"/m/{meeting_id}").text)
    mail = next(a.get("href") for a in tree.iter("a") if a.text_content() == "Mail de collega's")
    assert mail.startswith("mailto:?")
    query = parse_qs(urlsplit(mail).query)
    assert query["subject"] == ["Intervisie over Thomas (groep 5b)"]
    body = query["body"][0]
    assert f"/p/{prep}" in body and secret not in body
    assert "Wanneer: " in body and "15:15 uur (39 minuten)" in body
    assert "Waar: Teamkamer, gebouw B" in body
    assert body.endswith("Groet,\r\nJuf Sanne")


def test_the_meeting_ics_is_a_calendar_item_with_the_reading_link_only(invited, app):
    _, _, prep, secret = invited
    response = app.test_client().get(f"/p/{prep}/uitnodiging.ics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/calendar")
    assert response.headers["Cache-Control"] == "no-store"
    text = response.data.decode("utf-8")
    unfolded = text.replace("\r\n ", "")
    assert f"DTSTART:{TODAY:%Y%m%d}T151500" in unfolded
    assert f"DTEND:{TODAY:%Y%m%d}T155400" in unfolded
    assert "LOCATION:Teamkamer\\, gebouw B" in unfolded
    assert f"/p/{prep}" in unfolded and secret not in unfolded


def test_a_wrong_reading_link_gets_no_calendar_and_no_form(app):
    for path in ("/p/nietgoed/uitnodiging.ics", "/p/nietgoed/voorbereiding.pdf"):
        assert app.test_client().get(path).status_code == 404


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_blank_preparation_form_has_the_eight_questions(client):
    response = client.get("/voorbereidingsformulier.pdf")
    assert response.status_code == 200 and response.content_type == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    text = re.sub(r"\s+", " ", pdf_text(response.data))
    for number, question in enumerate(PREP_QUESTIONS, 1):
        assert f"{number}. {question.question}" in text
    assert "Thomas" not in text


def test_the_filled_in_form_has_the_answers_date_and_place(invited, app):
    _, _, prep, _ = invited
    response = app.test_client().get(f"/p/{prep}/voorbereiding.pdf")
    assert response.status_code == 200
    text = re.sub(r"\s+", " ", pdf_text(response.data))
    assert "Leerling: Thomas, groep 5b." in text
    assert "Hij loopt weg uit de kring." in text
    assert "om 15:15, Teamkamer, gebouw B" in text
    assert "Inbrenger: Juf Sanne." in text


# --- after closing: what everyone keeps --------------------------------------------------


@pytest.fixture
def closed(app, meeting):
    """The lobby meeting of conftest, closed with a goal, needs, agreements and notes."""
    with app.app_context():
        board = meeting.meeting()
        anna = next(p for p in board.participants if p.name == "Anna")
        board.goal_text = "Thomas blijft vier minuten in de kring zitten."
        board.teacher_notes = "Geheim: moeder belt vaak."
        board.support_needs = "Een collega die meekijkt."
        now = datetime.now()
        for key, text, feasibility in (
            ("a", "een wiebelkussen", "feasible"),
            ("b", "een eigen rooster", "not_now"),
        ):
            board.needs.append(
                NeedCard(
                    author_id=anna.id,
                    client_key=key,
                    category="anders",
                    text=text,
                    feasibility=feasibility,
                    created_at=now,
                )
            )
        for what, when in (("Ouders bellen", "vrijdag 14-3"), ("Kring evalueren", "later")):
            board.agreements.append(
                Agreement(
                    author_id=anna.id,
                    topic="parents",
                    what=what,
                    who="Juf Sanne",
                    when=when,
                    created_at=now,
                )
            )
        board.stage, board.closed_at = "closed", now
        db.session.commit()
    return meeting


def test_a_colleague_keeps_the_goal_agreements_and_feasible_needs(closed):
    text = page_text(closed.device("Anna").get(closed.url))
    assert "Thomas blijft vier minuten in de kring zitten." in text
    assert "een wiebelkussen" in text
    assert "Ouders bellen" in text and "Wie: Juf Sanne" in text and "Wanneer: vrijdag 14-3" in text
    assert "Geheim" not in text and "Een collega die meekijkt" not in text
    assert "een eigen rooster" not in text


def test_the_closed_page_shows_the_goal_once_and_speaks_to_each_audience(closed, app):
    with app.app_context():
        board = closed.meeting()
        anna = next(p for p in board.participants if p.name == "Anna")
        board.suggestions.append(
            GoalSuggestion(
                author_id=anna.id, text=board.goal_text, adopted=True, created_at=datetime.now()
            )
        )
        db.session.commit()
    colleague = page_text(closed.device("Anna").get(closed.url))
    teacher = page_text(closed.teacher.get(closed.url))

    assert colleague.count("Thomas blijft vier minuten in de kring zitten.") == 1
    assert "Het blijft op dit apparaat te lezen" in colleague
    assert "Mijn bijeenkomsten" in teacher and "op dit apparaat te lezen" not in teacher


def test_an_agreement_with_a_date_goes_into_a_colleague_s_calendar(closed, app):
    tree = lxml_html.fromstring(closed.device("Anna").get(closed.url).text)
    links = [a.get("href") for a in tree.iter("a") if a.get("href", "").endswith(".ics")]
    assert len(links) == 1  # "later" names no date
    response = closed.device("Anna").get(links[0])
    assert response.status_code == 200 and response.content_type.startswith("text/calendar")
    assert response.headers["Cache-Control"] == "no-store"
    unfolded = response.data.decode("utf-8").replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:" in unfolded and "0314" in unfolded
    assert "Ouders bellen" in unfolded
    assert closed.device("stranger").get(links[0]).status_code == 403


def test_an_agreement_without_a_date_has_no_calendar_item(closed):
    with closed.app.app_context():
        undated = next(a.id for a in closed.meeting().agreements if a.when == "later")
    response = closed.device("Anna").get(f"{closed.url}/agreements/{undated}.ics")
    assert response.status_code == 404
    assert "geen datum" in response.text


def test_the_teacher_s_summary_shows_her_notes_to_her_alone(closed):
    summary = closed.teacher.get(closed.url + "/summary")
    assert "Geheim: moeder belt vaak." in page_text(summary)
    assert closed.device("Anna").get(closed.url + "/summary").status_code == 403


@pytest.mark.parametrize("fmt", ["md", "docx", "pdf", "json"])
def test_her_notes_are_in_her_export_only_when_she_chooses(closed, fmt):
    plain = closed.teacher.get(f"{closed.url}/export.{fmt}")
    chosen = closed.teacher.get(f"{closed.url}/export.{fmt}?notities=ja")
    assert plain.status_code == chosen.status_code == 200
    assert "Geheim" not in export_text(plain, fmt)
    assert "Geheim: moeder belt vaak." in export_text(chosen, fmt)


def test_a_colleague_gets_no_export_with_or_without_notes(closed):
    anna = closed.device("Anna")
    assert anna.get(f"{closed.url}/export.md?notities=ja").status_code == 403


def export_text(response, fmt: str) -> str:
    if fmt == "pdf":
        return pdf_text(response.data)
    if fmt == "docx":
        from docx import Document

        return "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    return response.data.decode("utf-8")
