"""Fixtures: a fresh app and database per test, and a small helper that drives a meeting.

Every app a test uses comes from one place, `make_app` (and `app`, built with it), or for a
module-scoped fixture `databases.app()`: the database is SQLite in a temporary folder, or with
TEST_DATABASE=postgresql a PostgreSQL database. That second pass (`make test` runs it) keeps
every test that uses the `databases` fixture (through any of these) except those marked
`sqlite_only`. Tests marked `requires_services`
need PostgreSQL and/or Redis on their standard ports; where those are down, the tests are
skipped and the summary says why.
"""

import os
import re
import shutil
import uuid
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Flask
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from werkzeug.routing import Rule

from board import create_app
from board.extensions import db
from board.models import Meeting
from board.team import accounts
from tests.live_server import LIVE_ALLOWED

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
        # Never a quiet fallback to SQLite: the pass that says PostgreSQL runs on it or fails.
        pytest.exit(
            f"FAILED: the database tests on PostgreSQL (TEST_DATABASE=postgresql) cannot run: "
            f"{reason}. Start it (see .ci/run), or run `make test-fast` for SQLite alone.",
            returncode=1,
        )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before any fixture of the test: may it start a real server (is it marked live)?"""
    os.environ[LIVE_ALLOWED] = "1" if item.get_closest_marker("live") else ""


def pytest_report_header(config):
    if TEST_DATABASE == "postgresql":
        return f"database: PostgreSQL ({POSTGRES_URL}); only the tests that use a database"
    return "database: SQLite (TEST_DATABASE=postgresql runs the database tests on PostgreSQL)"


def pytest_collection_modifyitems(config, items):
    """Skip tests whose services are down; on the PostgreSQL pass keep the database tests."""
    for item in items:
        if item.path.parent.name == "browser":  # every browser test drives a real server
            item.add_marker(pytest.mark.live)
    if TEST_DATABASE == "postgresql":

        def on_postgresql(item) -> bool:
            return "databases" in item.fixturenames and not item.get_closest_marker("sqlite_only")

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
    """Say plainly which database the pass ran on (also under -q), and which tests did not
    run because a service is missing."""
    terminalreporter.write_line(pytest_report_header(terminalreporter.config))
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


# ---- passwords: argon2id as in production, at the lowest cost ------------------------------

# Production hashes with argon2-cffi's defaults (64 MiB, 3 passes, 4 lanes): 0.1-0.2 s for
# every hash and every check, so a fixture whose four people make accounts and log in spent
# 1-2 s before its test began. The tests hash with the same algorithm at its lowest cost, set
# for the whole session (module fixtures make accounts too); a test that asks for
# `production_passwords` gets the production hasher back.
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(scope="session", autouse=True)
def cheap_passwords():
    """The test hasher for the session; yields production's hasher and dummy hash."""
    production = (accounts.hasher, accounts.DUMMY_HASH)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "hasher", TEST_HASHER)
        patch.setattr(accounts, "DUMMY_HASH", TEST_HASHER.hash("no account has this password"))
        yield production


@pytest.fixture
def production_passwords(cheap_passwords, monkeypatch) -> PasswordHasher:
    """Production's hasher for this test (ask for it before fixtures that make accounts)."""
    hasher, dummy_hash = cheap_passwords
    monkeypatch.setattr(accounts, "hasher", hasher)
    monkeypatch.setattr(accounts, "DUMMY_HASH", dummy_hash)
    return hasher


# ---- URL rules: their generated builders shared by every test app -------------------------

# Werkzeug writes and compiles two Python functions for every URL rule of an app (to build its
# URLs): 39 of the 47 ms of CPU that create_app() takes, and nearly every test makes an app.
# A builder's code is a function of the rule's text, its parsed parts, its defaults and
# whether unknown arguments are appended (werkzeug/routing/rules.py, Rule._compile_builder);
# it reads the rule's converters at call time, through the rule it is bound to. So one
# compiled function per such key serves the same rule of every app.
_compile_builder = Rule._compile_builder
_builders: dict[tuple, object] = {}


def shared_builder(rule: Rule, append_unknown: bool = True):
    defaults = rule.defaults or {}
    key = (
        rule.rule,
        tuple(rule._trace),
        append_unknown,
        tuple(sorted((name, repr(value)) for name, value in defaults.items())),
        tuple(
            type(rule._converters[data])
            for dynamic, data in rule._trace
            if dynamic and data in defaults
        ),
    )
    builder = _builders.get(key)
    if builder is None:
        builder = _builders[key] = _compile_builder(rule, append_unknown)
    return builder


@pytest.fixture(scope="session", autouse=True)
def shared_url_builders():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Rule, "_compile_builder", shared_builder)
        yield


# ---- the one way a test gets an app: on the database of the pass (TEST_DATABASE) ----------

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "WTF_CSRF_ENABLED": False,
    "SOCKETIO_MESSAGE_QUEUE": None,
    "SERVER_NAME": "board.test",
}


class Databases:
    """Test databases on the backend of the pass: SQLite files, or PostgreSQL schemas.

    On PostgreSQL each "database" is a schema of one database made for the pass (the URL sets
    its search_path): a schema is made and dropped in milliseconds, a database in a second.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0
        self.shared_url: str | None = None
        self.postgresql_database: str | None = None
        self.sqlite_template: Path | None = None

    def sqlite_with_tables(self, path: Path) -> str:
        """A SQLite database at path with every table: a copy of one made once per session
        (copying the file is a fraction of what creating the tables costs every test)."""
        if self.sqlite_template is None:
            template = self.folder / "template.sqlite3"
            close_app(build_app(f"sqlite:///{template}"))
            self.sqlite_template = template
        shutil.copyfile(self.sqlite_template, path)
        path.chmod(0o600)  # private, as the app makes its database (it repairs and logs)
        return f"sqlite:///{path}"

    def new(self) -> str:
        """The URL of a fresh, empty database (no tables yet)."""
        self.count += 1
        if TEST_DATABASE != "postgresql":
            return f"sqlite:///{self.folder / f'board_{self.count}.sqlite3'}"
        import psycopg

        if self.postgresql_database is None:
            self.postgresql_database = f"intervisiebord_test_{os.getpid()}"
            drop_database(self.postgresql_database)
            create_database(self.postgresql_database)
        url = f"{POSTGRES_URL}/{self.postgresql_database}"
        schema = f"board_{self.count}"
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'CREATE SCHEMA "{schema}"')
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        # A test database need not wait for the disk on every commit.
        return f"{url}?options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"

    def shared(self) -> str:
        """PostgreSQL: one database with every table for the whole pass, emptied per test."""
        if self.shared_url is None:
            self.shared_url = self.new()
            close_app(build_app(self.shared_url))
        return self.shared_url

    def app(self, **config) -> Flask:
        """An app on a database of its own, with every table (for module-scoped fixtures)."""
        if TEST_DATABASE != "postgresql":
            self.count += 1
            url = self.sqlite_with_tables(self.folder / f"board_{self.count}.sqlite3")
            return build_app(url, tables=False, **config)
        return build_app(self.new(), **config)

    def drop_all(self) -> None:
        if self.postgresql_database is not None:
            drop_database(self.postgresql_database)


LEXER_SETTINGS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
)


class SharedTemplateCode(BytecodeCache):
    """Compiled templates shared by every test app of the session, in memory.

    Each app has a Jinja environment of its own, and compiling a template is most of what its
    first render costs (a quarter of a typical test's time): every test compiled again what
    the one before had. A template's code is kept under its name, its source's checksum and
    what of the environment changes the code, so a changed file or setting compiles anew."""

    def __init__(self) -> None:
        self.code: dict[tuple, tuple[str, object]] = {}

    def get_bucket(self, environment, name, filename, source) -> Bucket:
        autoescape = environment.autoescape
        settings = (
            tuple(sorted(environment.extensions)),
            getattr(environment, "newstyle_gettext", None),
            autoescape(name) if callable(autoescape) else autoescape,
            environment.optimized,
            environment.is_async,
            environment.finalize,
            tuple(sorted(environment.filters)),
            tuple(sorted(environment.tests)),
            *(getattr(environment, setting) for setting in LEXER_SETTINGS),
        )
        key = (self.get_cache_key(name, filename), settings)
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self.code.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = (bucket.checksum, bucket.code)


TEMPLATE_CODE = SharedTemplateCode()


def build_app(url: str, tables: bool = True, **config) -> Flask:
    """The app in test configuration on the database at url; tables made unless told not to."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, **config})
    app.jinja_env.bytecode_cache = TEMPLATE_CODE
    if tables:
        with app.app_context():
            db.create_all()
    return app


def close_app(app: Flask) -> None:
    """Give the app's database connections back (PostgreSQL keeps a connection per session)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    """Every test that touches the database gets it from here; the PostgreSQL pass keeps those."""
    made = Databases(tmp_path_factory.mktemp("databases"))
    yield made
    made.drop_all()


@pytest.fixture
def make_app(databases, tmp_path):
    """make_app(**config): an app on this test's database, with every table.

    Every app of one test shares that database: a new SQLite file, or on the PostgreSQL pass
    one database emptied after each test. empty=True gives a database of its own without
    tables (for the migrations).
    """
    built: list[Flask] = []
    shared: list[Flask] = []

    def build(empty: bool = False, **config) -> Flask:
        sqlite_file = tmp_path / "test.sqlite3"
        if empty:
            url, tables = databases.new(), False
        elif TEST_DATABASE == "postgresql":
            url, tables = databases.shared(), False
        elif sqlite_file.exists():
            url, tables = f"sqlite:///{sqlite_file}", False
        else:
            url, tables = databases.sqlite_with_tables(sqlite_file), False
        app = build_app(url, tables=tables, **config)
        built.append(app)
        if url == databases.shared_url:
            shared.append(app)
        return app

    yield build
    if shared:
        with shared[0].app_context():
            empty_tables()
    for app in built:
        close_app(app)


def empty_tables() -> None:
    """Delete every row and restart every id: the next test starts as on a new database.

    This is what TRUNCATE ... RESTART IDENTITY did, at 5-10 ms instead of ~200 ms a test
    (TRUNCATE makes new files for every table, index and sequence of the schema). The
    foreign keys are off for the deletes (the meeting and its timekeeper point at each
    other), as in put_back; setval takes each sequence of the schema back to its start."""
    db.session.rollback()
    db.session.execute(db.text("SET LOCAL session_replication_role = replica"))
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.execute(
        db.text(
            "SELECT setval(s.seqrelid, s.seqstart, false) FROM pg_sequence s"
            " JOIN pg_class c ON c.oid = s.seqrelid"
            " WHERE c.relnamespace = current_schema()::regnamespace"
        )
    )
    db.session.commit()


@pytest.fixture
def app(make_app):
    return make_app()


def every_row(app: Flask) -> dict[str, list[dict]]:
    """Every committed row of every table: compared before and after to show nothing changed."""
    with app.app_context():
        db.session.remove()
        with db.engine.connect() as connection:
            return {
                table.name: [
                    row._asdict()
                    for row in connection.execute(
                        table.select().order_by(*table.primary_key.columns)
                    )
                ]
                for table in db.metadata.sorted_tables
            }


def put_back(app: Flask, rows: dict[str, list[dict]]) -> None:
    """Make the database hold exactly these rows again (as every_row read them)."""
    with app.app_context():
        db.session.remove()
        tables = db.metadata.sorted_tables
        with db.engine.begin() as connection:
            # The meeting points at its timekeeper and back: no foreign key checks here.
            if connection.dialect.name == "postgresql":
                connection.execute(db.text("SET LOCAL session_replication_role = replica"))
            else:
                connection.execute(db.text("PRAGMA defer_foreign_keys = ON"))
            for table in reversed(tables):
                connection.execute(table.delete())
            for table in tables:
                if rows[table.name]:
                    connection.execute(table.insert(), rows[table.name])


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
        teacher_link = response.headers["Location"]
        self.teacher.get(teacher_link)
        token = teacher_link.rstrip("/").rsplit("/", 1)[-1]
        with app.app_context():
            meeting = db.session.execute(
                db.select(Meeting).where(Meeting.teacher_token == token)
            ).scalar_one()
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
