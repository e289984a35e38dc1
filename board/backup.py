"""Backup and restore of one installation: the database and the secret key that signs devices'
cookies. A backup is a folder only its owner can read: `board.sqlite3` (SQLite's online backup
API, consistent while the server writes), `secret_key` and `backup.json` (when, which schema).
PostgreSQL is copied with its own tools (pg_dump / pg_restore, docs/deploy.md).
"""

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from board import files
from board.config import SECRET_KEY_FILE

DATABASE_FILE = "board.sqlite3"
MANIFEST_FILE = "backup.json"


class BackupError(Exception):
    """What went wrong, in Dutch, for the person at the command line."""


def sqlite_path(database_url: str | URL) -> Path | None:
    """The file of a SQLite database, or None for another database. Pass the engine's URL:
    Flask-SQLAlchemy has made a relative SQLite path relative to instance/ there."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        raise BackupError("Een database in het geheugen kan niet worden geback-upt.")
    return Path(url.database)


def write_private(path: Path, text: str) -> None:
    """Write a file that only its owner may read, whatever the umask."""
    files.create_private(path)
    path.write_text(text)


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API (committed changes still in the WAL
    included), as one self-contained file."""
    with sqlite3.connect(source) as reading, sqlite3.connect(target) as writing:
        reading.backup(writing)
        writing.execute("PRAGMA journal_mode=DELETE")
    reading.close()
    writing.close()


def meetings_in(path: Path) -> int:
    """How many meetings a SQLite file holds (0 when it has no meeting table yet)."""
    if not path.exists():
        return 0
    with sqlite3.connect(path) as connection:
        tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if "meeting" not in {name for (name,) in tables}:
            count = 0
        else:
            count = connection.execute("SELECT count(*) FROM meeting").fetchone()[0]
    connection.close()
    return count


def revision_of(path: Path) -> str:
    """The schema's migration revision ('' for a database the migrations did not make)."""
    with sqlite3.connect(path) as connection:
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:
            row = None
    connection.close()
    return row[0] if row else ""


def make_folder(folder: Path) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    files.private_folder(str(folder))


def back_up(database_url: str | URL, secret_key: str, folder: Path) -> dict:
    """Write the backup into the folder; what it holds (for backup.json and the message)."""
    make_folder(folder)
    write_private(folder / SECRET_KEY_FILE, secret_key + "\n")
    manifest = {"created_at": datetime.now(UTC).isoformat(timespec="seconds")}
    source = sqlite_path(database_url)
    if source is None:
        manifest["database"] = "postgresql"
    else:
        if not source.exists():
            raise BackupError(f"De database {source} bestaat niet: er is niets om te back-uppen.")
        target = folder / DATABASE_FILE
        partial = folder / f".{DATABASE_FILE}.partial"
        write_private(partial, "")
        copy_database(source, partial)
        partial.replace(target)
        manifest |= {
            "database": "sqlite",
            "meetings": meetings_in(target),
            "revision": revision_of(target),
        }
    write_private(folder / MANIFEST_FILE, json.dumps(manifest, indent=2) + "\n")
    return manifest


def restore(database_url: str | URL, folder: Path, replace: bool) -> int:
    """Copy the backup's database over this installation's; the number of meetings it holds."""
    backup = folder / DATABASE_FILE
    if not (folder / SECRET_KEY_FILE).exists():
        raise BackupError(f"{folder} is geen back-up: {SECRET_KEY_FILE} ontbreekt.")
    target = sqlite_path(database_url)
    if target is None:
        raise BackupError(
            "De database is PostgreSQL: zet de kopie terug met pg_restore "
            f"(zie docs/deploy.md); de sleutel staat in {folder / SECRET_KEY_FILE}."
        )
    if not backup.exists():
        raise BackupError(f"{folder} bevat geen SQLite-database ({DATABASE_FILE}).")
    if (present := meetings_in(target)) and not replace:
        raise BackupError(
            f"De database {target} bevat al {present} bijeenkomst(en); er is niets veranderd. "
            "Wilt u die vervangen door de back-up, gebruik dan --replace."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        write_private(target, "")
    copy_database(backup, target)
    return meetings_in(target)


def restore_secret_key(folder: Path, instance_path: str, from_environment: str | None) -> str:
    """Put the backup's key in instance/ (or say that SECRET_KEY must change); a message."""
    key = (folder / SECRET_KEY_FILE).read_text().strip()
    if from_environment is not None:
        if from_environment == key:
            return "SECRET_KEY is gelijk aan de sleutel in de back-up."
        return (
            "Let op: SECRET_KEY wijkt af van de sleutel in de back-up. Zet SECRET_KEY op de "
            f"inhoud van {folder / SECRET_KEY_FILE}, anders moeten alle apparaten opnieuw "
            "aanmelden."
        )
    write_private(Path(instance_path) / SECRET_KEY_FILE, key)
    return f"De sleutel staat weer in {Path(instance_path) / SECRET_KEY_FILE}."
