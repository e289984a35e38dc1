"""Deleting for real: a deleted or purged meeting leaves no row in any table, and a wrong
confirmation deletes nothing."""

import logging
import sqlite3

import pytest
from conftest import flash_text
from test_cli_and_health import meeting_with_everything

from board.extensions import db
from board.security import redact

SECRET_CARD = "GEHEIME-KAART-VAN-THOMAS-5521"


def rows_pointing_at(meeting_id: str, participant_ids: set[int]) -> dict[str, int]:
    """Per table, the rows that are the meeting or point at it or at one of its people.

    Walks every table of the schema and every foreign key in it, so a table added later is
    checked without changing this test."""
    found = {}
    for table in db.metadata.sorted_tables:
        conditions = [table.c.id == meeting_id] if table.name == "meeting" else []
        for key in table.foreign_keys:
            target = key.column.table.name
            if target == "meeting":
                conditions.append(key.parent == meeting_id)
            elif target == "participant" and participant_ids:
                conditions.append(key.parent.in_(participant_ids))
        if not conditions:
            continue
        query = db.select(db.func.count()).select_from(table).where(db.or_(*conditions))
        found[table.name] = db.session.execute(query).scalar_one()
    return found


def participants_of(meeting_id: str) -> set[int]:
    table = db.metadata.tables["participant"]
    query = db.select(table.c.id).where(table.c.meeting_id == meeting_id)
    return set(db.session.execute(query).scalars())


def every_row(app) -> dict:
    with app.app_context():
        db.session.remove()
        return {
            table.name: db.session.execute(db.select(table)).all()
            for table in db.metadata.sorted_tables
        }


@pytest.fixture
def full_meeting(app, meeting):
    """The conftest meeting played to step 4 with a card, plus a second meeting beside it."""
    meeting.make_timekeeper("Anna")
    meeting.go_to(2)
    meeting.post("Anna", "/questions", {"text": "Sinds wanneer?"})
    meeting.post("teacher", "/notes", {"value": "privé"})
    meeting.go_to(4)
    card = {"text": SECRET_CARD, "category": "instructie", "client_key": "secret"}
    assert meeting.post("Anna", "/needs", card).status_code == 204
    with app.app_context():
        other = meeting_with_everything("Ada", closed_days_ago=None)
        people = participants_of(meeting.id)
        assert sum(rows_pointing_at(meeting.id, people).values()) > 10
    return meeting, people, other


def test_a_wrong_confirmation_deletes_nothing_and_says_why(app, full_meeting):
    meeting, _, _ = full_meeting
    before = every_row(app)
    for typed in ("", "Thoma", "Thomas de Vries", "Ada", "*", "' OR 1=1 --"):
        response = meeting.post("teacher", "/delete", {"confirm": typed})
        assert response.status_code == 422, typed
        assert "Typ de naam van de leerling" in flash_text(response)
    assert every_row(app) == before


def test_only_the_teacher_can_delete_even_with_the_right_confirmation(app, full_meeting):
    meeting, _, _ = full_meeting
    before = every_row(app)
    for who in ("Anna", "Bram", "screen", "stranger"):
        response = meeting.post(who, "/delete", {"confirm": "Thomas"})
        assert response.status_code == 403, who
    assert every_row(app) == before


def test_deleting_with_the_confirmation_leaves_no_row_in_any_table(app, full_meeting):
    meeting, people, other = full_meeting
    with app.app_context():
        other_before = rows_pointing_at(other, participants_of(other))
    response = meeting.post("teacher", "/delete", {"confirm": "  thomas "})  # case, spaces
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].endswith("/verwijderd")
    with app.app_context():
        db.session.remove()
        assert set(rows_pointing_at(meeting.id, people).values()) == {0}
        assert rows_pointing_at(other, participants_of(other)) == other_before
    assert meeting.teacher.get(meeting.url).status_code == 404
    assert meeting.device("Anna").get(meeting.url + "/live").status_code == 404
    assert meeting.teacher.get(f"/t/{meeting.teacher_token}").status_code == 404
    assert meeting.device("stranger").get(f"/j/{meeting.join_code}").status_code == 404


def test_purge_leaves_no_row_of_an_expired_meeting_in_any_table(app, runner):
    app.config["RETENTION_DAYS"] = 90
    with app.app_context():
        expired = meeting_with_everything("Ada", closed_days_ago=91)
        kept = meeting_with_everything("Bo", closed_days_ago=10)
        expired_people, kept_people = participants_of(expired), participants_of(kept)
        assert all(rows_pointing_at(expired, expired_people).values())
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.remove()
        assert set(rows_pointing_at(expired, expired_people).values()) == {0}
        assert all(rows_pointing_at(kept, kept_people).values())


@pytest.mark.sqlite_only
def test_a_deleted_cards_text_is_not_left_in_the_database_file(app, full_meeting):
    """SQLite keeps deleted rows in free pages and in its write-ahead log unless told not to."""
    meeting, _, _ = full_meeting
    assert meeting.post("teacher", "/delete", {"confirm": "Thomas"}).status_code == 204
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    for suffix in ("", "-wal"):
        try:
            with open(path + suffix, "rb") as file:
                content = file.read()
        except FileNotFoundError:
            continue
        assert SECRET_CARD.encode() not in content, f"card text left in {path + suffix}"


# ---- logs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "redacted"),
    [
        ('"GET /t/AbC-12_xyz HTTP/1.1" 302', '"GET /t/[verborgen] HTTP/1.1" 302'),
        ("POST /p/Zz9-_a/read 200", "POST /p/[verborgen]/read 200"),
        ("GET /s/tok3n", "GET /s/[verborgen]"),
        ("GET /j/ABC2345 200", "GET /j/[verborgen] 200"),
        ("GET /join?code=ABC+2345&x=1", "GET /join?code=[verborgen]&x=1"),
        ("GET /m/abc123/live 200", "GET /m/abc123/live 200"),
    ],
)
def test_secret_links_and_join_codes_are_redacted_from_log_lines(line, redacted):
    assert redact(line) == redacted


def test_every_log_record_of_the_process_is_redacted_whatever_logger_writes_it(app, caplog):
    with caplog.at_level(logging.INFO):
        logging.getLogger("werkzeug").info('"%s %s HTTP/1.1" %s', "GET", "/t/SECRETTOKEN", 302)
        logging.getLogger("gunicorn.access").info("%(r)s", {"r": "GET /s/SECRETTOKEN HTTP/1.1"})
        try:
            raise ValueError("bad link /p/SECRETTOKEN")
        except ValueError:
            logging.getLogger("board").exception("while serving /j/SECRETCODE")
    assert "SECRET" not in caplog.text
    assert caplog.text.count("[verborgen]") == 4


def test_a_database_error_is_logged_without_what_was_typed(app, caplog):
    secret = "GEHEIM-ANTWOORD-IN-SQL"

    def fail():
        db.session.execute(
            db.text("INSERT INTO no_such_table (text) VALUES (:text)"), {"text": secret}
        )

    app.add_url_rule("/boom", view_func=fail)
    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Er ging iets mis bij ons" in response.text
    assert "no_such_table" in caplog.text, "the error itself is logged"
    assert secret not in caplog.text
