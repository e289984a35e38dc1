"""Retention of meetings never closed: every change is an activity; `flask purge` deletes a
meeting without any for RETENTION_DAYS as it deletes one closed that long ago."""

from datetime import date, datetime, timedelta

import flask_migrate
import pytest
import sqlalchemy as sa
from conftest import MeetingDriver
from test_migrations import keep_logging  # noqa: F401 (an autouse fixture, used here too)

from board.extensions import db
from board.models import Meeting
from board.services.common import utcnow


def last_active(driver: MeetingDriver):
    with driver.app.app_context():
        return driver.meeting().last_active_at


def set_last_active(driver: MeetingDriver, days_ago: float) -> None:
    with driver.app.app_context():
        driver.meeting().last_active_at = utcnow() - timedelta(days=days_ago)
        db.session.commit()


def remaining(app) -> set[str]:
    with app.app_context():
        db.session.remove()
        return set(db.session.execute(db.select(Meeting.id)).scalars())


def test_a_new_meeting_is_active_from_the_moment_it_is_made(app):
    before = utcnow()
    assert before <= last_active(MeetingDriver(app)) <= utcnow()


@pytest.mark.parametrize(
    ("path", "data"),
    [("/prep", {"field": "reason", "value": "Hij loopt weg uit de kring"}), ("/open", {})],
    ids=["preparation answer", "lobby opened"],
)
def test_every_change_counts_as_activity(app, path, data):
    driver = MeetingDriver(app)
    set_last_active(driver, 30)
    assert driver.post("teacher", path, data).status_code in (200, 204)
    assert utcnow() - last_active(driver) < timedelta(minutes=1)


def test_a_colleague_joining_and_reading_count_as_activity_too(app):
    driver = MeetingDriver(app)
    driver.open_lobby()
    set_last_active(driver, 30)
    driver.join("Anna")
    assert utcnow() - last_active(driver) < timedelta(minutes=1)
    set_last_active(driver, 30)
    app.test_client().post(f"/p/{driver.prep_token}/read", data={"name": "Bram"})
    assert utcnow() - last_active(driver) < timedelta(minutes=1)


def test_purge_deletes_a_meeting_never_closed_after_the_retention_without_activity(app, runner):
    app.config["RETENTION_DAYS"] = 90
    idle, busy, preparing = MeetingDriver(app), MeetingDriver(app), MeetingDriver(app)
    for driver in (idle, busy):
        driver.open_lobby()
        driver.join("Anna")
    set_last_active(idle, 91)
    set_last_active(busy, 89)
    set_last_active(preparing, 120)
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "purged 2 meeting(s)" in result.output
    assert remaining(app) == {busy.id}


def test_a_closed_meeting_is_still_kept_for_the_retention_after_closing(app, runner):
    app.config["RETENTION_DAYS"] = 90
    driver = MeetingDriver(app)
    with app.app_context():
        meeting = driver.meeting()
        meeting.stage, meeting.closed_at = "closed", utcnow() - timedelta(days=10)
        meeting.last_active_at = utcnow() - timedelta(days=200)
        db.session.commit()
    assert "purged 0 meeting(s)" in runner.invoke(args=["purge"]).output
    assert remaining(app) == {driver.id}


def test_the_migration_dates_existing_meetings_by_their_close_or_their_making(make_app):
    app = make_app(empty=True)
    with app.app_context():
        flask_migrate.upgrade(revision="5187d1063423")
        old = sa.Table("meeting", sa.MetaData(), autoload_with=db.engine)
        empty_texts = {column.name: "" for column in old.c if isinstance(column.type, sa.Text)}
        for number, closed_at in ((1, datetime(2026, 3, 4, 10)), (2, None)):
            row = {name: f"{name[0]}{number}" for name in ("id", "teacher_token", "join_code")}
            row |= {"screen_token": f"s{number}", "prep_token": f"p{number}"}
            db.session.execute(
                old.insert().values(
                    **row,
                    **empty_texts,
                    pupil_alias="A",
                    group_name="3",
                    meeting_date=date(2026, 1, 1),
                    title="",
                    stage="lobby",
                    version=1,
                    created_at=datetime(2026, 1, number, 9),
                    closed_at=closed_at,
                )
            )
        db.session.commit()
        flask_migrate.upgrade()
        rows = dict(db.session.execute(db.select(Meeting.id, Meeting.last_active_at)).all())
    assert rows == {"i1": datetime(2026, 3, 4, 10), "i2": datetime(2026, 1, 2, 9)}


def test_the_host_deletes_named_meetings_at_once_whatever_their_state(app, runner):
    leaked, other = MeetingDriver(app), MeetingDriver(app)
    leaked.open_lobby()
    leaked.join("Anna")
    result = runner.invoke(args=["purge", "--meeting", leaked.id, "--meeting", "not-an-id"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 of 2 meeting(s)" in result.output
    assert remaining(app) == {other.id}
