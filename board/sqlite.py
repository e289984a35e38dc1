"""SQLite settings for the default one-machine run: foreign keys on, WAL, no fsync per commit;
and after a meeting is deleted, its text leaves the write-ahead log at once."""

import logging

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from board.extensions import db
from board.models import Meeting

log = logging.getLogger(__name__)
ERASED = "board.erased_meeting"


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


def _note_erased(session: Session, _context) -> None:
    if any(isinstance(row, Meeting) for row in session.deleted):
        session.info[ERASED] = True


def _forget(session: Session, _previous) -> None:
    session.info.pop(ERASED, None)


def _checkpoint_after_erasing(session: Session) -> None:
    """The write-ahead log still holds copies of a deleted meeting's pages (its preparation,
    cards, names) until a checkpoint; TRUNCATE copies it into the database file, where
    secure_delete has zeroed them, and empties the log."""
    if not session.info.pop(ERASED, False):
        return
    engine = session.get_bind()
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        busy, _, _ = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    if busy:
        log.warning("the write-ahead log could not be emptied after a deletion (busy)")


def init_app(app: Flask) -> None:
    """Apply the pragmas to every new SQLite connection of this app's engine; checkpoint
    after a commit that deleted a meeting."""
    for name, listener in (
        ("after_flush", _note_erased),
        ("after_soft_rollback", _forget),
        ("after_commit", _checkpoint_after_erasing),
    ):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine: Engine = db.engine
        event.listen(engine, "connect", _configure)
