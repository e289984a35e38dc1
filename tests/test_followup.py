"""The follow-up on the evaluation date: the date, "Is het doel gehaald?", the next small
step, the follow-up meeting prefilled, and retention counted over the whole chain."""

from datetime import date, timedelta

from conftest import MeetingDriver, flash_text

from board.extensions import db
from board.models import Meeting
from board.services.common import utcnow
from board.services.meetings import purge_expired

GOAL = "Thomas blijft tijdens de kring vier minuten zitten; evaluatie na zes weken."


def run_to_goal(meeting: MeetingDriver) -> None:
    meeting.go_to(3)
    response = meeting.post("teacher", "/goal", {"field": "text", "value": GOAL})
    assert response.status_code == 200, response.text


def close(meeting: MeetingDriver, feasible: str = "korte instructie aan de instructietafel"):
    """Through the steps with one feasible need and one set as not now, then closed."""
    run_to_goal(meeting)
    meeting.go_to(4)
    for index, text in enumerate((feasible, "een eigen laptop")):
        form = {"text": text, "category": "instructie", "client_key": f"k{index}"}
        assert meeting.post("Bram", "/needs", form).status_code == 204
    meeting.go_to(5)
    with meeting.app.app_context():
        cards = {card.text: card.id for card in meeting.meeting().needs}
    for text, feasibility in ((feasible, "feasible"), ("een eigen laptop", "not_now")):
        form = {"feasibility": feasibility}
        assert meeting.post("teacher", f"/needs/{cards[text]}/mark", form).status_code == 200
    assert meeting.post("teacher", "/close", {"confirm": "yes"}).status_code == 204


def stored(meeting: MeetingDriver) -> dict:
    with meeting.app.app_context():
        row = meeting.meeting()
        return {
            column.name: getattr(row, column.name)
            for column in Meeting.__table__.columns
            if column.name not in ("version", "last_active_at")
        }


def set_today(meeting: MeetingDriver, day: date) -> None:
    meeting.app.config["TODAY"] = day


def evaluate(meeting: MeetingDriver, result: str = "reached", who: str = "teacher"):
    form = {"result": result, "worked": "Een timer op tafel", "not_worked": "Naast Bram zitten"}
    return meeting.post(who, "/evaluation", form, htmx=False)


def test_the_date_is_understood_from_the_goal_and_shown_to_the_teacher(meeting):
    run_to_goal(meeting)
    expected = date.today() + timedelta(weeks=6)

    board = meeting.teacher.get(meeting.url).text

    assert "Evaluatiedatum:" in board
    with meeting.app.app_context():
        from board.templating import dutch_date

        assert dutch_date(expected) in board


def test_the_teacher_picks_a_date_and_one_before_the_meeting_is_refused(meeting):
    run_to_goal(meeting)
    picked = date.today() + timedelta(days=10)
    response = meeting.post("teacher", "/evaluation-date", {"value": picked.isoformat()})
    assert response.status_code == 200
    before = stored(meeting)

    response = meeting.post(
        "teacher", "/evaluation-date", {"value": (date.today() - timedelta(days=1)).isoformat()}
    )

    assert response.status_code == 422
    assert "vóór de bijeenkomst" in flash_text(response)
    assert stored(meeting) == before
    assert before["evaluation_date"] == picked


def test_a_date_that_is_no_date_is_refused(meeting):
    before = stored(meeting)

    response = meeting.post("teacher", "/evaluation-date", {"value": "morgen"})

    assert response.status_code == 422
    assert "geldige datum" in flash_text(response)
    assert stored(meeting) == before


def test_a_colleague_may_not_set_the_date_nor_evaluate(meeting):
    close(meeting)
    before = stored(meeting)

    assert meeting.post("Anna", "/evaluation-date", {"value": "2099-01-01"}).status_code == 403
    assert evaluate(meeting, who="Anna").status_code == 403
    assert meeting.post("Anna", "/follow-up", htmx=False).status_code == 403
    assert meeting.device("Anna").get(f"{meeting.url}/summary").status_code == 403
    assert stored(meeting) == before


def test_from_the_date_the_summary_asks_whether_the_goal_was_reached(meeting):
    close(meeting)
    summary = meeting.teacher.get(f"{meeting.url}/summary").text
    assert "Nu al evalueren" in summary

    set_today(meeting, date.today() + timedelta(weeks=6))
    summary = meeting.teacher.get(f"{meeting.url}/summary").text

    assert '<details class="evaluate" open>' in summary
    assert "Is het doel gehaald?" in summary


def test_an_evaluation_on_the_date_proposes_the_next_small_step(meeting):
    close(meeting)
    set_today(meeting, date.today() + timedelta(weeks=6))

    response = evaluate(meeting, "reached")

    assert response.status_code == 303
    assert stored(meeting)["evaluation_result"] == "reached"
    summary = meeting.teacher.get(f"{meeting.url}/summary").text
    assert "Thomas blijft tijdens de kring vijf minuten zitten" in summary
    assert "vóór de geplande datum" not in summary


def test_an_evaluation_before_its_date_is_allowed_with_a_note(meeting):
    close(meeting)

    assert evaluate(meeting, "not_reached").status_code == 303

    assert stored(meeting)["evaluated_on"] == date.today()
    summary = meeting.teacher.get(f"{meeting.url}/summary").text
    assert "vóór de geplande datum" in summary
    assert "Thomas blijft tijdens de kring drie minuten zitten" in summary


def test_an_evaluation_without_an_answer_is_refused(meeting):
    close(meeting)
    before = stored(meeting)

    response = meeting.post("teacher", "/evaluation", {"result": "misschien"}, htmx=False)

    assert response.status_code == 422
    assert "gehaald, deels of niet" in flash_text(response)
    assert stored(meeting) == before


def test_no_evaluation_and_no_follow_up_while_the_meeting_is_open(meeting):
    run_to_goal(meeting)
    before = stored(meeting)
    with meeting.app.app_context():
        count = db.session.query(Meeting).count()

    response = meeting.post("teacher", "/follow-up", htmx=False)

    assert response.status_code == 409
    assert "pas als deze bijeenkomst is afgesloten" in flash_text(response)
    assert evaluate(meeting).status_code == 409
    assert stored(meeting) == before
    with meeting.app.app_context():
        assert db.session.query(Meeting).count() == count


def test_the_follow_up_is_prefilled_and_chained(meeting):
    close(meeting)
    set_today(meeting, date.today() + timedelta(weeks=6))
    evaluate(meeting, "reached")

    response = meeting.post("teacher", "/follow-up", htmx=False)

    assert response.status_code == 303
    assert meeting.teacher.get(response.headers["Location"]).status_code == 302
    with meeting.app.app_context():
        follow = db.session.execute(
            db.select(Meeting).filter_by(previous_meeting_id=meeting.id)
        ).scalar_one()
        assert (follow.pupil_alias, follow.group_name) == ("Thomas", "3")
        assert follow.meeting_date == date.today() + timedelta(weeks=6)
        assert "Vorig doel: " + GOAL in follow.prep_reason
        assert "- korte instructie aan de instructietafel" in follow.prep_reason
        assert "een eigen laptop" not in follow.prep_reason
        assert "Evaluatie: gehaald." in follow.prep_reason
        assert follow.prep_strengths == "Wat werkte: Een timer op tafel"
        assert follow.prep_worries == "Wat niet werkte: Naast Bram zitten"
        assert "vijf minuten" in follow.prep_aim
        follow_id = follow.id
    # The teacher's device is the follow-up's teacher; both summaries show the chain.
    later = meeting.teacher.get(f"/m/{follow_id}/summary").text
    assert f'href="/m/{meeting.id}/summary"' in later
    earlier = meeting.teacher.get(f"{meeting.url}/summary").text
    assert f'href="/m/{follow_id}/summary"' in earlier
    # A second tap opens the same follow-up.
    again = meeting.post("teacher", "/follow-up", htmx=False)
    assert again.headers["Location"] == response.headers["Location"]


def test_retention_counts_from_the_last_activity_in_the_chain(meeting):
    close(meeting)
    meeting.post("teacher", "/follow-up", htmx=False)
    with meeting.app.app_context():
        first = meeting.meeting()
        first.closed_at = first.last_active_at = utcnow() - timedelta(days=400)
        db.session.commit()

    assert purge_in(meeting.app) == 0  # the follow-up is alive: the first one stays

    with meeting.app.app_context():
        follow = db.session.execute(
            db.select(Meeting).filter_by(previous_meeting_id=meeting.id)
        ).scalar_one()
        follow.created_at = follow.last_active_at = utcnow() - timedelta(days=400)
        db.session.commit()
    assert purge_in(meeting.app) == 2


def purge_in(app) -> int:
    with app.app_context():
        db.session.remove()
        return purge_expired(365)


def test_the_evaluation_date_goes_into_the_teachers_calendar_and_nobody_elses(meeting):
    close(meeting)
    expected = date.today() + timedelta(weeks=6)
    summary = meeting.teacher.get(meeting.url + "/summary").text
    assert f"{meeting.url}/evaluatie.ics" in summary

    response = meeting.teacher.get(meeting.url + "/evaluatie.ics")

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    body = response.data.decode()
    assert f"DTSTART;VALUE=DATE:{expected:%Y%m%d}\r\n" in body
    assert "SUMMARY:Evaluatie doel Thomas" in body and "Goal(" not in body
    assert meeting.device("Anna").get(meeting.url + "/evaluatie.ics").status_code == 403
    assert meeting.device("stranger").get(meeting.url + "/evaluatie.ics").status_code in (403, 404)


def test_without_an_evaluation_date_there_is_no_calendar_item(meeting):
    meeting.go_to(3)
    meeting.post("teacher", "/goal", {"field": "text", "value": "Thomas rekent tien sommen."})

    response = meeting.teacher.get(meeting.url + "/evaluatie.ics")

    assert response.status_code == 404
    assert "Er is nog geen evaluatiedatum" in flash_text(response)


def test_the_test_clock_is_honoured_only_when_the_tests_switch_it_on(monkeypatch):
    from board.config import test_today

    monkeypatch.setenv("TEST_TODAY", "2027-01-13")
    monkeypatch.delenv("TESTING_CLOCK", raising=False)
    assert test_today() is None  # a stray variable on a school's server changes nothing
    monkeypatch.setenv("TESTING_CLOCK", "1")
    assert test_today() == date(2027, 1, 13)
    monkeypatch.delenv("TEST_TODAY")
    assert test_today() is None
