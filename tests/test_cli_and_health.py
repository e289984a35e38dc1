"""The command line (`flask demo`, `flask purge`) and the health check."""

import json
import subprocess
import sys
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from live_server import ROOT, LiveServer, free_port

from board.domain.permissions import Role
from board.extensions import db
from board.models import (
    Agreement,
    GoalSuggestion,
    Meeting,
    NeedCard,
    Participant,
    PrepRead,
    Question,
    YieldVote,
)
from board.services.common import utcnow
from board.services.meetings import create_meeting

LINK_KEYS = {"meeting_id", "teacher_url", "prep_url", "join_url", "join_code", "screen_url"}


def path_of(url: str) -> str:
    """The link without scheme and host, for the test client."""
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https") and parts.netloc, url
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def demo(runner) -> dict:
    result = runner.invoke(args=["demo", "--json"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return json.loads(lines[0])


def test_demo_prints_one_json_line_with_every_link(app, demo):
    assert set(demo) == LINK_KEYS
    with app.app_context():
        meeting = db.session.get(Meeting, demo["meeting_id"])
        assert meeting.join_code == demo["join_code"]
        assert meeting.stage == "lobby"
        assert meeting.prep_reason, "the demo comes with its preparation filled in"


def test_the_demo_teacher_link_leads_to_the_teachers_board(app, demo):
    teacher = app.test_client()
    response = teacher.get(path_of(demo["teacher_url"]))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/m/{demo['meeting_id']}")
    board = teacher.get(response.headers["Location"])
    assert board.status_code == 200
    assert 'data-audience="teacher"' in board.text


def test_the_demo_join_link_lets_a_colleague_in(app, demo):
    colleague = app.test_client()
    assert colleague.get(path_of(demo["join_url"])).status_code == 200
    response = colleague.post(path_of(demo["join_url"]), data={"name": "Cees"})
    assert response.status_code == 303
    assert 'data-audience="colleague"' in colleague.get(response.headers["Location"]).text


def test_the_demo_screen_link_shows_the_room_view(app, demo):
    screen = app.test_client()
    response = screen.get(path_of(demo["screen_url"]), follow_redirects=True)
    assert response.status_code == 200
    assert 'data-audience="screen"' in response.text


def test_the_demo_prep_link_shows_the_preparation(app, demo):
    response = app.test_client().get(path_of(demo["prep_url"]))
    assert response.status_code == 200
    assert "kring" in response.text


def test_demo_without_json_prints_the_links_readably(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert {line.split()[0] for line in result.output.strip().splitlines()} == LINK_KEYS


def test_health_check_reports_the_app_and_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "db": "ok"}


# Retention: `flask purge`


def meeting_with_everything(alias: str, closed_days_ago: int | None) -> str:
    """A meeting with a row in every table, closed that many days ago (None: still open)."""
    meeting = create_meeting(
        {"pupil_alias": alias, "group_name": "3", "meeting_date": date.today().isoformat()}
    )
    now = utcnow()
    colleague = Participant(name="Anna", name_key="anna", role=Role.COLLEAGUE, joined_at=now)
    meeting.participants.append(colleague)
    db.session.flush()
    meeting.timekeeper_id = colleague.id
    meeting.prep_reads.append(PrepRead(name="Anna", name_key="anna", read_at=now))
    meeting.questions.append(Question(author_id=colleague.id, text="Vraag", created_at=now))
    meeting.suggestions.append(GoalSuggestion(author_id=colleague.id, text="Doel", created_at=now))
    meeting.needs.append(
        NeedCard(
            author_id=colleague.id, client_key="k", category="anders", text="rust", created_at=now
        )
    )
    meeting.agreements.append(
        Agreement(author_id=colleague.id, topic="parents", what="Mailen", created_at=now)
    )
    meeting.votes.append(YieldVote(participant_id=colleague.id, worth_it=True, voted_at=now))
    if closed_days_ago is not None:
        meeting.stage = "closed"
        meeting.closed_at = now - timedelta(days=closed_days_ago)
    db.session.commit()
    return meeting.id


def rows_of(meeting_id: str) -> dict[str, int]:
    """How many rows the meeting has in each table of the database."""
    counts = {}
    for table in db.metadata.sorted_tables:
        if table.name != "meeting" and not any(
            key.column.table.name == "meeting" for key in table.foreign_keys
        ):
            continue  # not a table of the meeting's own rows (the team space, for one)
        column = table.c.id if table.name == "meeting" else table.c.meeting_id
        query = db.select(db.func.count()).select_from(table).where(column == meeting_id)
        counts[table.name] = db.session.execute(query).scalar_one()
    return counts


@pytest.fixture
def meetings(app) -> dict[str, str]:
    app.config["RETENTION_DAYS"] = 90
    with app.app_context():
        return {
            "expired": meeting_with_everything("Ada", closed_days_ago=91),
            "recent": meeting_with_everything("Bo", closed_days_ago=89),
            "open": meeting_with_everything("Cas", closed_days_ago=None),
        }


def test_purge_deletes_meetings_closed_longer_ago_than_the_retention_with_all_their_rows(
    app, runner, meetings
):
    with app.app_context():
        assert all(count > 0 for count in rows_of(meetings["expired"]).values())
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "purged 1 meeting(s)" in result.output
    with app.app_context():
        db.session.remove()
        assert set(rows_of(meetings["expired"]).values()) == {0}
        for kept in ("recent", "open"):
            assert all(count > 0 for count in rows_of(meetings[kept]).values()), kept


def test_purge_follows_the_configured_retention(app, runner, meetings):
    app.config["RETENTION_DAYS"] = 30
    result = runner.invoke(args=["purge"])
    assert "purged 2 meeting(s)" in result.output
    with app.app_context():
        assert [m.id for m in db.session.execute(db.select(Meeting)).scalars()] == [
            meetings["open"]
        ]


def test_purge_days_option_overrides_the_retention(app, runner, meetings):
    result = runner.invoke(args=["purge", "--days", "100"])
    assert "purged 0 meeting(s)" in result.output
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Meeting.id))).scalar_one() == 3


def test_purge_is_safe_to_run_again(runner, meetings):
    assert "purged 1 meeting(s)" in runner.invoke(args=["purge"]).output
    again = runner.invoke(args=["purge"])
    assert again.exit_code == 0
    assert "purged 0 meeting(s)" in again.output


# `flask demo` prints links for the port that is serving.


def demo_against(server: LiveServer, **env: str) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "flask", "demo", "--json"],
        cwd=ROOT,
        env={key: value for key, value in {**server.env, **env}.items() if value is not None},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


@pytest.mark.live
def test_demo_links_use_the_port_the_server_started_on(tmp_path):
    server = LiveServer(f"sqlite:///{tmp_path / 'board.sqlite3'}", INSTANCE_PATH=str(tmp_path))
    server.migrated_copy()
    server.start()
    try:
        links = demo_against(server, PORT=None)
    finally:
        server.stop()
    assert links["join_url"].startswith(f"http://127.0.0.1:{server.port}/j/")
    assert links["teacher_url"].startswith(f"http://127.0.0.1:{server.port}/")


@pytest.fixture
def unnamed(app, tmp_path):
    """The app as `flask demo` runs it: no SERVER_NAME, its own instance folder."""
    app.config["SERVER_NAME"] = None
    app.instance_path = str(tmp_path)
    return app


def test_demo_links_fall_back_to_port_when_the_noted_server_is_gone(unnamed, runner, tmp_path):
    app = unnamed
    (tmp_path / "serving").write_text(f"http://127.0.0.1:{free_port()}\n")
    app.config["PORT"] = 8123
    result = runner.invoke(args=["demo", "--json"])
    assert json.loads(result.output)["join_url"].startswith("http://127.0.0.1:8123/j/")


def test_public_url_wins_for_demo_links(unnamed, runner):
    unnamed.config["PUBLIC_URL"] = "https://bord.school.nl"
    result = runner.invoke(args=["demo", "--json"])
    assert json.loads(result.output)["join_url"].startswith("https://bord.school.nl/j/")
