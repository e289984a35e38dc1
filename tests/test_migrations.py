"""The migrations build the same database as the models describe."""

import logging
import warnings

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from board.extensions import db

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
