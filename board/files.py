"""What the board keeps on disk is for the server's own user only: instance/ 0700, the SQLite
database (with its -wal, -shm and -journal files) and the secret key 0600. Made so, and
repaired on every start, whatever the umask was or an older version left behind."""

import logging
import os
import stat
from pathlib import Path

from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def private_folder(path: str) -> None:
    """The folder exists and only its owner may enter it."""
    os.makedirs(path, mode=PRIVATE_FOLDER, exist_ok=True)
    repair(Path(path), PRIVATE_FOLDER)


def create_private(path: Path) -> None:
    """The file exists, and a new one was never readable by others (made with its mode)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))  # an existing one: as is
    repair(path, PRIVATE_FILE)


def private_database(url: str, instance_path: str) -> None:
    """A SQLite database file made private before SQLite creates it; SQLite gives its -wal and
    -shm files the database's own mode. A server database (PostgreSQL) keeps no file here."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    path = Path(instance_path) / parsed.database  # an absolute path stays what it is
    if not path.parent.is_dir():
        return  # SQLite will say so when it connects
    create_private(path)
    for suffix in SQLITE_COMPANIONS[1:]:
        repair(path.with_name(path.name + suffix), PRIVATE_FILE)


def repair(path: Path, mode: int) -> None:
    """Take away what others may do with an existing file or folder; say so in the log."""
    try:
        current = stat.S_IMODE(path.stat().st_mode)
        if current & ~mode:
            path.chmod(current & mode)
            log.warning("%s was open to other users (%o); now %o", path, current, current & mode)
    except FileNotFoundError:
        return
    except PermissionError:
        log.warning("%s is open to other users and not ours to change; fix its mode", path)
