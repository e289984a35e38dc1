"""The database pass runs on the database it names: every test app comes from conftest."""

import re
from pathlib import Path

from conftest import TEST_DATABASE, close_app

from board.extensions import db

TESTS = Path(__file__).parent


def dialect(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


def test_the_app_of_a_test_runs_on_the_database_the_pass_names(app, make_app):
    assert TEST_DATABASE in ("sqlite", "postgresql")
    assert dialect(app) == TEST_DATABASE
    assert dialect(make_app(empty=True)) == TEST_DATABASE


def test_an_app_of_a_module_fixture_runs_on_the_database_the_pass_names(databases):
    app = databases.app()
    try:
        assert dialect(app) == TEST_DATABASE
    finally:
        close_app(app)


# Tests about a database's files or URL themselves (the browser tests drive a live server).
ABOUT_SQLITE_FILES = {
    "test_hardening_files.py": "the modes of instance/, the database file and the key",
    "test_doctor.py": "a database file that cannot be opened",
    "test_backup.py": "a relative SQLite path, and a PostgreSQL URL that is never reached",
}


def test_no_test_module_builds_an_app_of_its_own():
    """Only conftest calls create_app, except where the database's files or URL are tested."""
    builders = [
        path.name
        for path in TESTS.glob("test_*.py")
        if re.search(r"\bcreate_app\(", path.read_text()) and path.name not in ABOUT_SQLITE_FILES
    ]
    assert builders == []
