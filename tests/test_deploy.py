"""The files docs/deploy.md tells a host to copy: they run what `make` runs."""

import configparser
import re
import subprocess
import tomllib
from pathlib import Path

from board import doctor

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "docs" / "deploy"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(DEPLOY / name)
    return parser


def make_dry_run(target: str, *flags: str) -> str:
    """The commands `make <target>` would run, without running them."""
    return subprocess.run(
        ["make", "-n", *flags, target], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def environment(service) -> dict[str, str]:
    return dict(pair.split("=", 1) for pair in service["Environment"].split())


def test_the_service_runs_the_command_make_serve_runs():
    service = unit("intervisiebord.service")["Service"]
    serve = re.search(r"(\S+/gunicorn -c \S+)", make_dry_run("serve"))[1]
    assert service["ExecStart"] == f"{service['WorkingDirectory']}/{serve}"


def test_the_service_migrates_first_as_make_serve_does():
    service = unit("intervisiebord.service")["Service"]
    upgrade = re.search(r"^(\S+/flask db upgrade)$", make_dry_run("serve"), re.MULTILINE)[1]
    assert service["ExecStartPre"] == f"{service['WorkingDirectory']}/{upgrade}"


def test_the_service_sets_what_make_sets_and_keeps_its_files_private():
    service = unit("intervisiebord.service")["Service"]
    makefile = (ROOT / "Makefile").read_text()
    assert environment(service)["FLASK_APP"] == re.search(r"export FLASK_APP := (\S+)", makefile)[1]
    assert {"HOST", "PORT"} <= set(environment(service))
    assert service["UMask"] == "0077"
    assert service["User"] != "root"


def test_the_purge_timer_starts_a_service_the_doctor_recognises():
    purge = unit("intervisiebord-purge.service")
    assert purge["Service"]["ExecStart"].endswith("/flask purge")
    assert doctor.PURGE.search((DEPLOY / "intervisiebord-purge.service").read_text())
    assert unit("intervisiebord-purge.timer")["Timer"]["OnCalendar"]


def test_the_backup_service_writes_a_backup_per_weekday():
    backup = unit("intervisiebord-backup.service")["Service"]
    assert "flask backup /var/backups/intervisiebord/" in backup["ExecStart"]
    assert unit("intervisiebord-backup.timer")["Timer"]["OnCalendar"]


def test_the_caddyfile_in_the_docs_is_the_one_shipped():
    shipped = (DEPLOY / "Caddyfile").read_text()
    site = shipped[shipped.index("bord.school.nl {") :].strip()
    assert site in (ROOT / "docs" / "deploy.md").read_text()
    port = environment(unit("intervisiebord.service")["Service"])["PORT"]
    assert f"reverse_proxy 127.0.0.1:{port}" in site


TEST_TOOLS = ("pytest", "playwright", "hypothesis", "ruff", "yappi", "aiohttp", "pypdf")


def test_make_run_installs_the_app_without_test_or_benchmark_tools():
    installs = [line for line in make_dry_run("run", "-B").splitlines() if "pip install" in line]
    assert installs[-1].endswith("pip install --quiet -e .")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    needed = " ".join(project["dependencies"])
    assert not [tool for tool in TEST_TOOLS if tool in needed]
    extras = " ".join(project["optional-dependencies"]["test"])
    assert all(tool in extras for tool in ("pytest", "playwright", "ruff"))


def test_make_test_and_make_bench_add_their_extras():
    assert "pip install --quiet -e '.[test]'" in make_dry_run("test", "-B")
    assert "pip install --quiet -e '.[bench]'" in make_dry_run("bench", "-B")
