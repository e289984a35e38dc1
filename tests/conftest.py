"""Fixtures: a fresh app and database per test, and a small helper that drives a meeting.

The database is SQLite in a temporary folder. With TEST_DATABASE=postgresql, only the tests
that use the `app` fixture run (except those marked `sqlite_only`), each on an emptied
PostgreSQL database (`make test` runs that second pass). Tests marked `requires_services`
need PostgreSQL and/or Redis on their standard ports; where those are down, the tests are
skipped and the summary says why.
"""

import os
import re
import uuid
from datetime import date
from functools import cache

import pytest

from board import create_app
from board.extensions import db
from board.models import Meeting

TEST_DATABASE = os.environ.get("TEST_DATABASE", "sqlite")
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SERVICES = {"postgresql": f"PostgreSQL at {POSTGRES_URL}", "redis": f"Redis at {REDIS_URL}"}


@cache
def unreachable(service: str) -> str | None:
    """Why the service cannot be used here, or None when it answers."""
    try:
        if service == "postgresql":
            import psycopg

            psycopg.connect(f"{POSTGRES_URL}/postgres", connect_timeout=2).close()
        else:
            import redis

            redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except Exception as error:  # any failure to connect means: not here
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return f"{SERVICES[service]} is not reachable ({type(error).__name__}: {first_line})"
    return None


def requires_services(*services: str) -> pytest.MarkDecorator:
    """Mark tests that talk to real PostgreSQL and/or Redis servers."""
    return pytest.mark.requires_services(*services)


def pytest_configure(config):
    config.addinivalue_line("markers", "requires_services(*names): needs postgresql/redis")
    config.addinivalue_line(
        "markers", "sqlite_only: about SQLite itself; not on the PostgreSQL pass"
    )
    if TEST_DATABASE == "postgresql" and (reason := unreachable("postgresql")):
        pytest.exit(
            f"NOT RUN: the database tests on PostgreSQL (TEST_DATABASE=postgresql): {reason}. "
            "Start it (see .ci/run) to run them.",
            returncode=0,
        )


def pytest_report_header(config):
    if TEST_DATABASE == "postgresql":
        return f"database: PostgreSQL ({POSTGRES_URL}); only tests that use the app fixture"
    return "database: SQLite (TEST_DATABASE=postgresql runs the database tests on PostgreSQL)"


def pytest_collection_modifyitems(config, items):
    """Skip tests whose services are down; on the PostgreSQL pass keep the database tests."""
    if TEST_DATABASE == "postgresql":

        def on_postgresql(item) -> bool:
            return "app" in item.fixturenames and not item.get_closest_marker("sqlite_only")

        kept = [item for item in items if on_postgresql(item)]
        dropped = [item for item in items if not on_postgresql(item)]
        items[:] = kept
        config.hook.pytest_deselected(items=dropped)
    for item in items:
        marker = item.get_closest_marker("requires_services")
        if marker is None:
            continue
        reasons = [r for r in map(unreachable, marker.args) if r]
        if reasons:
            item.add_marker(pytest.mark.skip(reason="NOT RUN: " + "; ".join(reasons)))


def pytest_terminal_summary(terminalreporter):
    """Say plainly which tests did not run because a service is missing."""
    missing = [
        report.nodeid
        for report in terminalreporter.stats.get("skipped", [])
        if "NOT RUN:" in str(report.longrepr)
    ]
    if missing:
        reasons = sorted({r for s in SERVICES if (r := unreachable(s))})
        terminalreporter.write_sep("=", f"{len(missing)} tests NOT RUN", yellow=True)
        for reason in reasons:
            terminalreporter.write_line(f"because {reason}")
        for nodeid in missing:
            terminalreporter.write_line(f"  {nodeid}")


def create_database(name: str) -> str:
    import psycopg

    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES_URL}/{name}"


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgresql_url():
    """A fresh, empty PostgreSQL database for one test (a live server migrates it)."""
    name = f"intervisiebord_live_{uuid.uuid4().hex[:12]}"
    url = create_database(name)
    yield url
    drop_database(name)


@pytest.fixture(scope="session")
def postgresql_tables():
    """On the PostgreSQL pass: one database with every table, emptied after each test."""
    if TEST_DATABASE != "postgresql":
        yield None
        return
    name = f"intervisiebord_test_{os.getpid()}"
    drop_database(name)
    url = create_database(name).replace("postgresql://", "postgresql+psycopg://", 1)
    setup = create_app({"SQLALCHEMY_DATABASE_URI": url, "SOCKETIO_MESSAGE_QUEUE": None})
    with setup.app_context():
        db.create_all()
        db.engine.dispose()
    yield url
    drop_database(name)


def empty_tables() -> None:
    """TRUNCATE every table: the next test starts as on a new database."""
    names = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    db.session.rollback()
    db.session.execute(db.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture
def app(tmp_path, postgresql_tables):
    url = postgresql_tables or f"sqlite:///{tmp_path / 'test.sqlite3'}"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "SOCKETIO_MESSAGE_QUEUE": None,
            "SERVER_NAME": "board.test",
        }
    )
    if not postgresql_tables:  # the PostgreSQL pass made its tables once
        with app.app_context():
            db.create_all()
    yield app
    with app.app_context():
        if postgresql_tables:
            empty_tables()
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
