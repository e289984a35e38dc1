"""SQLite settings for the default one-machine run: foreign keys on, WAL, no fsync per commit."""

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from board.extensions import db


def _configure(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows are overwritten, not left readable in free pages (privacy: AVG).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # No fsync per commit (WAL stays consistent; a power cut may lose the last changes):
    # under gevent an fsync blocks every socket of the process, 2-12 ms per change here.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def init_app(app: Flask) -> None:
    """Apply the pragmas to every new SQLite connection of this app's engine."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine: Engine = db.engine
        event.listen(engine, "connect", _configure)
