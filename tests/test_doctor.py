"""`flask doctor`: each thing a running installation needs, ok or what to do (in Dutch)."""

import urllib.error
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from conftest import REDIS_URL, requires_services

from board import create_app, doctor
from board.extensions import db

# The doctor's own files are about SQLite and the local machine; one pass is enough.
pytestmark = pytest.mark.sqlite_only


def stamp(app, revision: str | None = None) -> None:
    """Record a migration revision in the database (the newest when None)."""
    with app.app_context():
        if revision is None:
            config = app.extensions["migrate"].migrate.get_config()
            revision = ScriptDirectory.from_config(config).get_current_head()
        db.session.execute(
            db.text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        )
        db.session.execute(db.text("INSERT INTO alembic_version VALUES (:r)"), {"r": revision})
        db.session.commit()


@pytest.fixture
def answers(monkeypatch) -> dict[str, object]:
    """What /healthz at PUBLIC_URL answers: a status, or an error to raise."""
    replies: dict[str, object] = {}

    def fetch(url: str) -> int:
        reply = replies.get(url, urllib.error.URLError("connection refused"))
        if isinstance(reply, Exception):
            raise reply
        return reply

    monkeypatch.setattr(doctor, "fetch_health", fetch)
    return replies


@pytest.fixture
def schedules(tmp_path, monkeypatch) -> Path:
    """A folder standing in for /etc/cron.d and /etc/systemd/system; no user crontab."""
    folder = tmp_path / "etc"
    folder.mkdir()
    monkeypatch.setattr(doctor, "SCHEDULES", (f"{folder}/cron.d/*", f"{folder}/system/*.service"))
    monkeypatch.setattr(doctor, "user_crontab", lambda: "")
    return folder


def plan_purge(schedules: Path) -> None:
    (schedules / "cron.d").mkdir()
    (schedules / "cron.d" / "intervisiebord").write_text(
        "15 3 * * * www-data cd /srv/intervisiebord && .venv/bin/flask purge\n"
    )


@pytest.fixture
def installation(app, tmp_path, answers, schedules):
    """An installation that has everything: migrated, HTTPS behind a proxy, private files,
    purge planned."""
    stamp(app)
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o700)
    (instance / "secret_key").write_text("k")
    (instance / "secret_key").chmod(0o600)
    app.instance_path = str(instance)
    for path in tmp_path.glob("test.sqlite3*"):
        path.chmod(0o600)
    app.config.update(
        PUBLIC_URL="https://bord.school.nl", SESSION_COOKIE_SECURE=True, TRUSTED_PROXIES=1
    )
    answers["https://bord.school.nl"] = 200
    plan_purge(schedules)
    return app


def findings(runner) -> tuple[int, dict[str, list[str]]]:
    """The exit code and the lines per level."""
    result = runner.invoke(args=["doctor"])
    lines: dict[str, list[str]] = {}
    for line in result.output.splitlines():
        level = next(
            level for level in (doctor.ADVICE, doctor.ACTION, doctor.OK) if line.startswith(level)
        )
        lines.setdefault(level, []).append(line[len(level) :].strip())
    return result.exit_code, lines


def only_action(runner) -> str:
    code, lines = findings(runner)
    assert code == 1
    assert len(lines.get(doctor.ACTION, [])) == 1, lines
    return lines[doctor.ACTION][0]


def test_a_complete_installation_is_ok_on_every_line(installation, runner):
    code, lines = findings(runner)
    assert code == 0
    assert set(lines) == {doctor.OK}
    assert len(lines[doctor.OK]) == 7
    assert any("bijgewerkt" in line for line in lines[doctor.OK])


def test_a_database_the_migrations_did_not_make_asks_for_flask_db_upgrade(installation, runner):
    with installation.app_context():
        db.session.execute(db.text("DROP TABLE alembic_version"))
        db.session.commit()
    assert "nog niet aangemaakt: draai `flask db upgrade`" in only_action(runner)


def test_a_database_of_an_older_release_asks_for_flask_db_upgrade(installation, runner):
    with installation.app_context():
        db.session.execute(db.text("UPDATE alembic_version SET version_num = 'oud'"))
        db.session.commit()
    action = only_action(runner)
    assert "loopt achter (revisie oud" in action
    assert "flask db upgrade" in action


def test_an_unreachable_database_says_to_check_database_url(tmp_path, schedules):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'board.sqlite3'}",
            "SOCKETIO_MESSAGE_QUEUE": None,
        }
    )
    code, lines = findings(app.test_cli_runner())
    assert code == 1
    assert any("niet bereikbaar" in line and "DATABASE_URL" in line for line in lines["actie"])


def test_a_message_queue_that_does_not_answer_says_to_start_redis(installation, runner):
    installation.config["SOCKETIO_MESSAGE_QUEUE"] = "redis://:geheim@127.0.0.1:1/0"
    action = only_action(runner)
    assert "redis://:***@127.0.0.1:1/0 antwoordt niet" in action
    assert "geheim" not in action


@requires_services("redis")
def test_a_message_queue_that_answers_is_ok(installation, runner):
    installation.config["SOCKETIO_MESSAGE_QUEUE"] = REDIS_URL
    code, lines = findings(runner)
    assert code == 0
    assert f"De berichtenwachtrij {REDIS_URL} antwoordt." in lines[doctor.OK]


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:5000", "http://localhost:8000", "http://[::1]:5000"]
)
def test_a_public_url_on_this_machine_itself_means_phones_cannot_join(
    installation, runner, answers, url
):
    installation.config.update(PUBLIC_URL=url, SESSION_COOKIE_SECURE=False)
    answers[url] = 200
    assert "wijst naar deze computer zelf: telefoons kunnen zo niet meedoen" in only_action(runner)


def test_a_public_url_that_does_not_answer_says_what_to_check(installation, runner, answers):
    del answers["https://bord.school.nl"]
    action = only_action(runner)
    assert "PUBLIC_URL (https://bord.school.nl) antwoordt niet (URLError)" in action


def test_no_public_url_is_advice_not_an_action(installation, runner):
    installation.config.update(PUBLIC_URL="", SESSION_COOKIE_SECURE=False)
    code, lines = findings(runner)
    assert code == 0
    assert any(line.startswith("PUBLIC_URL is niet gezet") for line in lines[doctor.ADVICE])


def test_https_without_secure_cookies_asks_for_secure_cookies(installation, runner):
    installation.config["SESSION_COOKIE_SECURE"] = False
    assert "zet SECURE_COOKIES=1" in only_action(runner)


def test_https_without_trusted_proxies_advises_to_trust_the_proxy(installation, runner):
    installation.config["TRUSTED_PROXIES"] = 0
    code, lines = findings(runner)
    assert code == 0
    assert any("TRUSTED_PROXIES=1" in line for line in lines[doctor.ADVICE])


def test_files_others_may_read_get_the_chmod_that_fixes_them(installation, runner):
    key = Path(installation.instance_path) / "secret_key"
    key.chmod(0o644)
    Path(installation.instance_path).chmod(0o755)
    action = only_action(runner)
    assert f"chmod 700 {installation.instance_path}" in action
    assert f"chmod 600 {key}" in action


def test_no_planned_purge_says_how_to_plan_it(installation, runner, schedules):
    (schedules / "cron.d" / "intervisiebord").write_text(
        "# 15 3 * * * www-data cd /srv/intervisiebord && .venv/bin/flask purge\n"
    )
    action = only_action(runner)
    assert action.startswith("Geen dagelijkse `flask purge` gevonden")
    assert "systemctl list-timers" in action


def test_a_purge_service_counts_only_with_its_timer(installation, runner, schedules):
    (schedules / "cron.d" / "intervisiebord").unlink()
    system = schedules / "system"
    system.mkdir()
    (system / "intervisiebord-purge.service").write_text(
        "[Service]\nExecStart=/srv/intervisiebord/.venv/bin/flask purge\n"
    )
    assert "Geen dagelijkse `flask purge`" in only_action(runner)
    (system / "intervisiebord-purge.timer").write_text("[Timer]\nOnCalendar=daily\n")
    code, lines = findings(runner)
    assert code == 0
    assert any("intervisiebord-purge.service" in line for line in lines[doctor.OK])


def test_a_purge_in_the_users_crontab_is_found(installation, runner, schedules, monkeypatch):
    (schedules / "cron.d" / "intervisiebord").unlink()
    monkeypatch.setattr(doctor, "user_crontab", lambda: "0 4 * * * flask --app wsgi purge\n")
    code, lines = findings(runner)
    assert code == 0
    assert any("(crontab -l)" in line for line in lines[doctor.OK])
