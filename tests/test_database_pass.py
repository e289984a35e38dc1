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


def test_no_test_module_builds_an_app_of_its_own():
    """Only conftest calls create_app (the browser tests drive a live server on SQLite)."""
    builders = [
        path.name
        for path in TESTS.glob("test_*.py")
        if re.search(r"\bcreate_app\(", path.read_text())
    ]
    assert builders == []
