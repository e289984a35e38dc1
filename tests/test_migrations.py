"""The migrations build the same database as the models describe."""

import logging
import warnings
from datetime import date, datetime

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Integer, MetaData, insert, inspect
from sqlalchemy.schema import sort_tables

from board.extensions import db
from board.models import Meeting

# migrations/env.py still calls db.get_engine(), deprecated in Flask-SQLAlchemy 3.1; the schema
# tests ignore that warning, and test_migrations_use_no_deprecated_api reports it on its own.
GET_ENGINE_DEPRECATED = "ignore:'get_engine' is deprecated:DeprecationWarning"
pytestmark = pytest.mark.filterwarnings(GET_ENGINE_DEPRECATED)


@pytest.fixture
def empty_app(make_app):
    """An app on a fresh, empty database: no create_all, the migrations do the work."""
    return make_app(empty=True)


@pytest.fixture(autouse=True)
def keep_logging():
    """Alembic's env.py runs logging.config.fileConfig(alembic.ini), which disables every
    logger it does not name and adds a stderr handler; undo that for the tests that follow."""
    loggers = {
        name: (logger.disabled, logger.level)
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    handlers, level = list(logging.root.handlers), logging.root.level
    yield
    for name, (disabled, logger_level) in loggers.items():
        logger = logging.getLogger(name)
        logger.disabled, logger.level = disabled, logger_level
    for handler in list(logging.root.handlers):
        if type(handler) is logging.StreamHandler and handler not in handlers:
            logging.root.removeHandler(handler)
    logging.root.setLevel(level)


def upgraded(app):
    with app.app_context():
        flask_migrate.upgrade()


def test_upgrade_creates_every_table_of_the_models(empty_app):
    upgraded(empty_app)
    with empty_app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert tables == set(db.metadata.tables) | {"alembic_version"}


def test_the_migrated_database_matches_the_models_exactly(empty_app):
    upgraded(empty_app)
    with empty_app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        assert compare_metadata(context, db.metadata) == []


def test_downgrade_removes_every_table_again(empty_app):
    upgraded(empty_app)
    with empty_app.app_context():
        flask_migrate.downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names())
    assert tables <= {"alembic_version"}


def test_the_flask_db_upgrade_command_works(empty_app):
    result = empty_app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with empty_app.app_context():
        assert "meeting" in inspect(db.engine).get_table_names()


def test_migrations_use_no_deprecated_api(empty_app):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        upgraded(empty_app)
    deprecations = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]
    assert deprecations == []


# Upgrades: a database made by the first release keeps every meeting up to the newest schema.

FIRST_RELEASE_ROWS = {
    # Values the board must understand; every other required column gets a plain value.
    "meeting": {"id": "upgradeMeet1", "stage": "step4", "teacher_token": "t" * 43},
    "participant": {"role": "teacher", "name": "Juf Sanne", "name_key": "juf sanne"},
    "need_card": {"category": "anders", "text": "een vaste plek naast de juf"},
    "agreement": {"topic": "parents"},
}


def plain_value(column):
    """A value of the column's type, for a required column the test does not care about."""
    python_type = column.type.python_type
    if python_type is str:
        return "x"[: getattr(column.type, "length", None) or 1]
    return {
        int: 1,
        float: 0.0,
        bool: False,
        date: date(2026, 11, 30),
        datetime: datetime(2026, 11, 30, 9, 0),
    }[python_type]


def insert_first_release_rows(connection) -> dict[str, int]:
    """One row in every table the first revision made, linked by their foreign keys."""
    metadata = MetaData()
    metadata.reflect(connection)
    ids: dict[str, object] = {}
    # A nullable foreign key (the meeting's timekeeper) stays empty and orders nothing.
    for table in sort_tables(metadata.tables.values(), skip_fn=lambda key: key.parent.nullable):
        if table.name == "alembic_version":
            continue
        row = dict(FIRST_RELEASE_ROWS.get(table.name, {}))
        for column in table.columns:
            if column.name in row or column.nullable or column.autoincrement is True:
                continue
            if column.foreign_keys:
                row[column.name] = ids[next(iter(column.foreign_keys)).column.table.name]
            elif not (column.primary_key and isinstance(column.type, Integer)):
                row[column.name] = plain_value(column)
        result = connection.execute(insert(table).values(row))
        ids[table.name] = row.get("id") or result.inserted_primary_key[0]
    return {table: 1 for table in ids}


def test_upgrading_a_database_of_the_first_release_keeps_every_meeting(make_app):
    app = make_app(empty=True)
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        flask_migrate.upgrade(revision=script.get_base())
        with db.engine.begin() as connection:
            counts = insert_first_release_rows(connection)

        flask_migrate.upgrade()

        for table, count in counts.items():
            stored = db.session.execute(db.text(f'SELECT count(*) FROM "{table}"')).scalar_one()
            assert stored == count, table
        meeting = db.session.get(Meeting, "upgradeMeet1")
        assert [need.text for need in meeting.needs] == ["een vaste plek naast de juf"]
        db.session.remove()
    teacher = app.test_client()
    response = teacher.get(f"/t/{'t' * 43}")
    assert response.headers["Location"].endswith("/m/upgradeMeet1")
    board = teacher.get("/m/upgradeMeet1")
    assert board.status_code == 200
    assert "een vaste plek naast de juf" in board.text
