"""Fixtures: a fresh app and database per test, and a small helper that drives a meeting."""

import re
from datetime import date

import pytest

from board import create_app
from board.extensions import db
from board.models import Meeting


@pytest.fixture
def app(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}",
            "WTF_CSRF_ENABLED": False,
            "SOCKETIO_MESSAGE_QUEUE": None,
            "SERVER_NAME": "board.test",
        }
    )
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


HTMX = {"HX-Request": "true"}


class MeetingDriver:
    """Drives one meeting through its routes, with one test client per device."""

    def __init__(self, app):
        self.app = app
        self.teacher = app.test_client()
        self.screen = app.test_client()
        self.colleagues: dict[str, object] = {}
        response = self.teacher.post(
            "/meetings",
            data={"pupil_alias": "Thomas", "group_name": "3", "meeting_date": str(date.today())},
        )
        assert response.status_code == 303, response.text
        self.teacher.get(response.headers["Location"])
        with app.app_context():
            meeting = db.session.execute(db.select(Meeting)).scalars().all()[-1]
            self.id = meeting.id
            self.join_code = meeting.join_code
            self.screen_token = meeting.screen_token
            self.prep_token = meeting.prep_token
            self.teacher_token = meeting.teacher_token
        self.screen.get(f"/s/{self.screen_token}")

    @property
    def url(self) -> str:
        return f"/m/{self.id}"

    def meeting(self) -> Meeting:
        """The meeting as stored now (call inside app.app_context())."""
        db.session.expire_all()
        return db.session.get(Meeting, self.id)

    def post(self, who, path: str, data: dict | None = None, htmx: bool = True):
        client = self.device(who)
        return client.post(self.url + path, data=data or {}, headers=HTMX if htmx else {})

    def device(self, who):
        if who == "teacher":
            return self.teacher
        if who == "screen":
            return self.screen
        if who == "stranger":
            return self.app.test_client()
        return self.colleagues[who]

    def open_lobby(self):
        assert self.post("teacher", "/open").status_code == 204

    def join(self, name: str):
        client = self.app.test_client()
        response = client.post(f"/j/{self.join_code}", data={"name": name})
        assert response.status_code == 303, response.text
        self.colleagues[name] = client
        return client

    def participant_id(self, name: str) -> int:
        with self.app.app_context():
            return next(p.id for p in self.meeting().participants if p.name == name)

    def make_timekeeper(self, name: str):
        response = self.post(
            "teacher", "/timekeeper", {"participant_id": self.participant_id(name)}
        )
        assert response.status_code == 204, response.text

    def go_to(self, step: int):
        """From the lobby (or any step) straight to step N, as the teacher."""
        with self.app.app_context():
            stage = self.meeting().stage
        if stage == "lobby":
            assert self.post("teacher", "/start").status_code == 204
            stage = "step1"
        current = int(stage.removeprefix("step"))
        while current < step:
            assert self.post("teacher", "/next").status_code == 204
            current += 1
        while current > step:
            assert self.post("teacher", "/previous").status_code == 204
            current -= 1


@pytest.fixture
def meeting(app):
    """A meeting in the lobby with two colleagues, Anna and Bram."""
    driver = MeetingDriver(app)
    driver.open_lobby()
    driver.join("Anna")
    driver.join("Bram")
    return driver


def flash_text(response) -> str:
    """The visible message of an error response, without tags."""
    return re.sub(r"<[^>]+>", "", response.text).replace("×", "").strip()
