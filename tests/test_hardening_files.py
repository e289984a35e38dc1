"""Files on disk: instance/, the SQLite database (and its -wal) and the secret key are for the
server's own user only, made so and repaired on every start."""

import os
import stat

import pytest
from flask import Flask
from live_server import LiveServer

from board import create_app
from board.extensions import db
from board.models import Meeting


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """create_app() with its instance folder in tmp_path, the database and the key in it."""
    folder = tmp_path / "instance"
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(folder))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SOCKETIO_MESSAGE_QUEUE", "")
    old = os.umask(0o022)  # the usual umask: new files readable by every user
    yield folder
    os.umask(old)


def start(app) -> None:
    """Create the tables and write once, so that SQLite makes its -wal file."""
    with app.app_context():
        db.create_all()
        db.session.execute(db.select(Meeting)).all()
        db.engine.dispose()


def test_a_new_instance_folder_database_and_secret_key_are_private(instance):
    start(create_app())
    assert mode(instance) == 0o700
    assert mode(instance / "secret_key") == 0o600
    assert mode(instance / "board.sqlite3") == 0o600


def test_files_left_open_to_everyone_are_repaired_on_start(instance):
    instance.mkdir(mode=0o755)
    for name in ("secret_key", "board.sqlite3", "board.sqlite3-wal", "board.sqlite3-shm"):
        (instance / name).write_text("k" if name == "secret_key" else "")
        (instance / name).chmod(0o644)
    instance.chmod(0o755)
    create_app()
    assert mode(instance) == 0o700
    for name in ("secret_key", "board.sqlite3", "board.sqlite3-wal", "board.sqlite3-shm"):
        assert mode(instance / name) == 0o600, name


@pytest.mark.live
def test_the_database_of_a_real_server_and_its_wal_are_private(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    database = folder / "board.sqlite3"
    server = LiveServer(
        f"sqlite:///{database}", LOG_PATH=str(tmp_path / "server.log"), SOCKETIO_MESSAGE_QUEUE=""
    )
    old = os.umask(0o022)  # inherited by the server: new files readable by every user
    try:
        server.migrate()
        server.start()
        server.demo()
        assert mode(database) == 0o600
        assert mode(f"{database}-wal") == 0o600
    finally:
        os.umask(old)
        server.stop()
