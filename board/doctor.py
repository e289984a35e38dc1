"""`flask doctor`: what a running installation needs, checked one by one, reported in Dutch.

Every check gives one finding: ok, "let op" (advice) or "actie" (something to do). Run it with
the server's own environment (the same EnvironmentFile), so it sees what the server sees.
"""

import glob
import re
import stat
import subprocess
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from board import files, network
from board.backup import sqlite_path
from board.extensions import db

OK, ADVICE, ACTION = "ok", "let op", "actie"
# Where a daily `flask purge` may be planned: cron and systemd timers (their service runs it).
SCHEDULES = (
    "/etc/crontab",
    "/etc/cron.d/*",
    "/etc/cron.daily/*",
    "/var/spool/cron/crontabs/*",
    "/etc/systemd/system/*.service",
    "/lib/systemd/system/*.service",
)
PURGE = re.compile(r"^[^#\n]*\bflask\b[^\n]*\bpurge\b", re.MULTILINE)
TIMEOUT = 3


@dataclass(frozen=True)
class Finding:
    level: str
    text: str


def check_database() -> Iterator[Finding]:
    """The database answers, and the migrations brought it to the newest revision."""
    try:
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception as error:  # any failure to connect is the finding itself
        yield Finding(
            ACTION,
            f"De database is niet bereikbaar ({type(error).__name__}): controleer DATABASE_URL "
            "en of de databaseserver draait.",
        )
        return
    yield Finding(OK, f"De database is bereikbaar ({db.engine.url.get_backend_name()}).")
    migrate = current_app.extensions["migrate"]
    heads = set(ScriptDirectory.from_config(migrate.migrate.get_config()).get_heads())
    if current == heads:
        yield Finding(OK, f"De database is bijgewerkt (revisie {', '.join(sorted(heads))}).")
    elif not current:
        yield Finding(ACTION, "De database is nog niet aangemaakt: draai `flask db upgrade`.")
    else:
        yield Finding(
            ACTION,
            f"De database loopt achter (revisie {', '.join(sorted(current))}, nieuwste "
            f"{', '.join(sorted(heads))}): draai `flask db upgrade`.",
        )


def check_message_queue() -> Iterator[Finding]:
    """With several processes, the Redis queue must answer."""
    url = current_app.config.get("SOCKETIO_MESSAGE_QUEUE")
    if not url:
        yield Finding(OK, "Geen berichtenwachtrij: één serverproces (genoeg voor een school).")
        return
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT).ping()
    except Exception as error:  # any failure to reach it is the finding itself
        yield Finding(
            ACTION,
            f"De berichtenwachtrij {redacted(url)} antwoordt niet ({type(error).__name__}): "
            "start Redis of controleer SOCKETIO_MESSAGE_QUEUE.",
        )
        return
    yield Finding(OK, f"De berichtenwachtrij {redacted(url)} antwoordt.")


def redacted(url: str) -> str:
    """The URL without a password."""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def fetch_health(url: str) -> int:
    """The status /healthz gives at this address."""
    with urllib.request.urlopen(f"{url}/healthz", timeout=TIMEOUT) as response:
        return response.status


def check_public_url() -> Iterator[Finding]:
    """Phones join through PUBLIC_URL: it must not point at this machine itself, and answer."""
    url = current_app.config.get("PUBLIC_URL")
    if not url:
        yield Finding(
            ADVICE,
            "PUBLIC_URL is niet gezet: links en QR-codes gebruiken het adres waarmee de "
            "leerkracht het bord opent. Zet PUBLIC_URL (bijv. https://bord.school.nl) als "
            "telefoons via een ander adres of een proxy binnenkomen.",
        )
        return
    if network.is_loopback_url(url):
        yield Finding(
            ACTION,
            f"PUBLIC_URL ({url}) wijst naar deze computer zelf: telefoons kunnen zo niet "
            "meedoen. Zet PUBLIC_URL op het adres dat telefoons bereiken.",
        )
        return
    try:
        status = fetch_health(url)
    except Exception as error:  # any failure to reach it is the finding itself
        status, reason = 0, type(error).__name__
    else:
        reason = f"status {status}"
    if status == 200:
        yield Finding(OK, f"PUBLIC_URL ({url}) is bereikbaar.")
    else:
        yield Finding(
            ACTION,
            f"PUBLIC_URL ({url}) antwoordt niet ({reason}): draait de server, en kloppen het "
            "adres, de proxy en de firewall?",
        )


def check_https() -> Iterator[Finding]:
    """Over HTTPS, cookies must be Secure and the proxy's forwarded scheme trusted."""
    https = (current_app.config.get("PUBLIC_URL") or "").startswith("https://")
    secure = current_app.config.get("SESSION_COOKIE_SECURE")
    if https and not secure:
        yield Finding(
            ACTION,
            "Het bord draait via HTTPS maar cookies zijn niet beveiligd: zet SECURE_COOKIES=1.",
        )
    elif secure and not https:
        yield Finding(
            ADVICE,
            "SECURE_COOKIES staat aan: cookies gaan alleen over HTTPS. Wie het bord via "
            "http:// opent, kan niet meedoen. Zet PUBLIC_URL op het https-adres.",
        )
    elif https:
        yield Finding(OK, "Cookies worden alleen over HTTPS verstuurd.")
    else:
        yield Finding(
            OK,
            "Geen HTTPS ingesteld (prima binnen het schoolnetwerk; "
            "voor internet: zie docs/deploy.md).",
        )
    if https and not current_app.config.get("TRUSTED_PROXIES"):
        yield Finding(
            ADVICE,
            "TRUSTED_PROXIES is 0: staat er een proxy voor (Caddy, nginx), zet dan "
            "TRUSTED_PROXIES=1, anders lijkt iedereen van de proxy te komen.",
        )


def private_files() -> list[Path]:
    """The instance folder, what it holds and the SQLite files: the paths others may read."""
    instance = Path(current_app.instance_path)
    paths = [instance, *sorted(instance.rglob("*"))]
    database = sqlite_path(db.engine.url)
    if database is not None:
        paths += [Path(f"{database}{suffix}") for suffix in files.SQLITE_COMPANIONS]
    return [path for path in dict.fromkeys(paths) if path.exists()]


def too_open(path: Path) -> bool:
    private = files.PRIVATE_FOLDER if path.is_dir() else files.PRIVATE_FILE
    return bool(stat.S_IMODE(path.stat().st_mode) & ~private)


def check_permissions() -> Iterator[Finding]:
    """The database and the secret key are for the server's own user only."""
    open_to_others = [path for path in private_files() if too_open(path)]
    if not open_to_others:
        yield Finding(OK, "De bestanden van het bord zijn alleen voor de eigen gebruiker.")
        return
    folders = [str(path) for path in open_to_others if path.is_dir()]
    plain = [str(path) for path in open_to_others if not path.is_dir()]
    commands = [f"chmod {files.PRIVATE_FOLDER:o} {' '.join(folders)}"] * bool(folders)
    commands += [f"chmod {files.PRIVATE_FILE:o} {' '.join(plain)}"] * bool(plain)
    yield Finding(
        ACTION,
        "Andere gebruikers van deze computer kunnen de database of de sleutel lezen: "
        + "; ".join(commands),
    )


def user_crontab() -> str:
    try:
        result = subprocess.run(["crontab", "-l"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout if result.returncode == 0 else ""


def purge_scheduled() -> str | None:
    """Where a `flask purge` is planned, or None."""
    if PURGE.search(user_crontab()):
        return "crontab -l"
    for pattern in SCHEDULES:
        for name in sorted(glob.glob(pattern)):
            path = Path(name)
            try:
                text = path.read_text(errors="replace")
            except OSError:
                continue
            if not PURGE.search(text):
                continue
            if path.suffix != ".service" or path.with_suffix(".timer").exists():
                return name
    return None


def check_retention() -> Iterator[Finding]:
    """Meetings past the retention period are deleted only when `flask purge` runs daily."""
    days = current_app.config["RETENTION_DAYS"]
    if where := purge_scheduled():
        yield Finding(OK, f"`flask purge` is ingepland ({where}); bewaartermijn {days} dagen.")
        return
    yield Finding(
        ACTION,
        f"Geen dagelijkse `flask purge` gevonden: bijeenkomsten ouder dan {days} dagen "
        "blijven dan staan. Plan het dagelijks (systemd-timer of cron, docs/deploy.md); "
        "staat het elders, controleer dan met `systemctl list-timers` of `crontab -l`.",
    )


CHECKS = (
    check_database,
    check_message_queue,
    check_public_url,
    check_https,
    check_permissions,
    check_retention,
)


def examine() -> list[Finding]:
    """Every check's findings, in order."""
    return [finding for check in CHECKS for finding in check()]
