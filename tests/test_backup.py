"""`flask backup` and `flask restore`: a consistent copy of a running installation, with the
secret key that keeps devices joined, brought back into an empty one."""

import http.cookiejar
import json
import re
import sqlite3
import stat
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import MeetingDriver
from live_server import ROOT, LiveServer

from board import backup, create_app
from board.extensions import db

pytestmark = pytest.mark.sqlite_only


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def flask(server: LiveServer, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", *args],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
    )


class Browser:
    """A laptop's browser: its cookies (the same for every port on 127.0.0.1)."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> str:
        with self.opener.open(url, timeout=10) as response:
            assert response.status == 200
            return response.read().decode()

    def post(self, url: str, token: str) -> int:
        request = urllib.request.Request(
            url, data=b"", headers={"X-CSRFToken": token, "HX-Request": "true"}
        )
        with self.opener.open(request, timeout=10) as response:
            return response.status


def stage_of(page: str) -> str:
    return re.search(r'data-stage="([^"]+)"', page)[1]


def installation(folder: Path) -> LiveServer:
    """A server whose SQLite file and secret key live in its own instance folder."""
    return LiveServer(
        f"sqlite:///{folder / 'board.sqlite3'}", INSTANCE_PATH=str(folder), SECRET_KEY=""
    )


@pytest.mark.live
def test_a_backup_of_a_running_server_restores_into_an_empty_instance(tmp_path):
    running = installation(tmp_path / "running")
    running.migrate()
    running.start()
    try:
        lobby = running.demo()
        finished = running.demo("--finished")
        laptop = Browser()
        page = laptop.get(lobby["teacher_url"])
        token = re.search(r'"X-CSRFToken": "([^"]+)"', page)[1]
        board = f"{running.url}/m/{lobby['meeting_id']}"
        assert laptop.post(f"{board}/start", token) == 204  # committed, still in the WAL

        made = flask(running, "backup", str(tmp_path / "backup"))
        assert made.returncode == 0, made.stderr
        assert laptop.post(f"{board}/next", token) == 204  # after the backup: not in it
    finally:
        running.stop()
    assert "2 bijeenkomst(en)" in made.stdout

    copy = tmp_path / "backup"
    assert mode_of(copy) == 0o700
    assert {path.name: mode_of(path) for path in copy.iterdir()} == {
        "board.sqlite3": 0o600,
        "secret_key": 0o600,
        "backup.json": 0o600,
    }
    assert json.loads((copy / "backup.json").read_text())["meetings"] == 2

    restored = installation(tmp_path / "restored")
    brought_back = flask(restored, "restore", str(copy))
    assert brought_back.returncode == 0, brought_back.stderr
    assert "2 bijeenkomst(en)" in brought_back.stdout
    assert mode_of(tmp_path / "restored" / "secret_key") == 0o600
    restored.migrate()
    restored.start()
    try:
        # The laptop's cookie from the old server still opens the teacher's board.
        page = laptop.get(f"{restored.url}/m/{lobby['meeting_id']}")
        assert 'data-audience="teacher"' in page
        assert stage_of(page) == "step1"
        path = urllib.parse.urlsplit(finished["teacher_url"]).path
        assert "Thomas" in Browser().get(restored.url + path)
    finally:
        restored.stop()


@pytest.fixture
def meetings(app) -> list[str]:
    first, second = MeetingDriver(app), MeetingDriver(app)
    return [first.id, second.id]


def stored_ids(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        ids = [row[0] for row in connection.execute("SELECT id FROM meeting ORDER BY id")]
    connection.close()
    return ids


def test_restore_refuses_to_overwrite_an_installation_that_has_meetings(
    app, runner, meetings, tmp_path
):
    assert runner.invoke(args=["backup", str(tmp_path / "copy")]).exit_code == 0
    with app.app_context():
        MeetingDriver(app)
        database = backup.sqlite_path(db.engine.url)
        before = stored_ids(database)

    result = runner.invoke(args=["restore", str(tmp_path / "copy")])

    assert result.exit_code == 1
    assert "bevat al 3 bijeenkomst(en); er is niets veranderd" in result.output
    assert "--replace" in result.output
    assert stored_ids(database) == before


def test_restore_with_replace_brings_the_backup_back(app, runner, meetings, tmp_path):
    (tmp_path / "instance").mkdir()
    app.instance_path = str(tmp_path / "instance")
    assert runner.invoke(args=["backup", str(tmp_path / "copy")]).exit_code == 0
    MeetingDriver(app)
    result = runner.invoke(args=["restore", "--replace", str(tmp_path / "copy")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert stored_ids(backup.sqlite_path(db.engine.url)) == sorted(meetings)
    assert (tmp_path / "instance" / "secret_key").read_text() == "test-secret"


def test_restore_from_a_folder_that_is_no_backup_says_so(runner, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    result = runner.invoke(args=["restore", str(tmp_path / "elsewhere")])
    assert result.exit_code == 1
    assert "is geen back-up: secret_key ontbreekt" in result.output


def test_restore_says_when_secret_key_differs_from_the_backups(runner, tmp_path, monkeypatch):
    assert runner.invoke(args=["backup", str(tmp_path / "copy")]).exit_code == 0
    monkeypatch.setenv("SECRET_KEY", "another-secret")
    result = runner.invoke(args=["restore", "--replace", str(tmp_path / "copy")])
    assert result.exit_code == 0, result.output
    assert "SECRET_KEY wijkt af van de sleutel in de back-up" in result.output


def test_backup_on_postgresql_keeps_the_key_and_gives_the_pg_dump_command(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@db.invalid/intervisiebord",
            "SOCKETIO_MESSAGE_QUEUE": None,
        }
    )
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy")])
    assert result.exit_code == 0, result.output
    assert "pg_dump --format=custom" in result.output
    assert (tmp_path / "copy" / "secret_key").read_text() == "test-secret\n"
    assert mode_of(tmp_path / "copy" / "secret_key") == 0o600


def test_the_backup_holds_the_meetings_as_they_are(app, runner, meetings, tmp_path):
    result = runner.invoke(args=["backup", str(tmp_path / "copy")])
    assert result.exit_code == 0, result.output
    assert stored_ids(tmp_path / "copy" / "board.sqlite3") == sorted(meetings)
    with app.app_context():
        db.session.remove()


def test_a_relative_sqlite_path_is_found_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": "sqlite:///relative.sqlite3",
            "SOCKETIO_MESSAGE_QUEUE": None,
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
    MeetingDriver(app)
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy")])
    assert result.exit_code == 0, result.output
    assert "1 bijeenkomst(en)" in result.output
    with app.app_context():
        db.engine.dispose()
