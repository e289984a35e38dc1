"""The domain is plain Python: importing all of it loads no web or database framework."""

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

# Runs in a fresh interpreter. board/__init__.py is the Flask app factory, so a bare
# package stands in for it: what is checked is what the domain modules import themselves.
# Extra folders given as arguments join board.domain, so a test can plant a bad module.
IMPORT_THE_DOMAIN = """
import importlib, importlib.util, pkgutil, sys, types

board = types.ModuleType("board")
board.__path__ = list(importlib.util.find_spec("board").submodule_search_locations)
sys.modules["board"] = board
import board.domain

board.domain.__path__.extend(sys.argv[1:])
for module in pkgutil.walk_packages(board.domain.__path__, "board.domain."):
    importlib.import_module(module.name)
    print(module.name)

frameworks = ("flask", "sqlalchemy", "werkzeug", "jinja2")
loaded = sorted(name for name in sys.modules if name.lower().startswith(frameworks))
if loaded:
    sys.exit("the domain loaded " + ", ".join(loaded))
"""

DOMAIN_MODULES = {
    "agreements",
    "codes",
    "dutch_dates",
    "errors",
    "goal",
    "needs",
    "permissions",
    "preparation",
    "steps",
    "team_figures",
    "team_template",
    "text",
    "timer",
}


def import_the_domain(*extra_folders: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", IMPORT_THE_DOMAIN, *map(str, extra_folders)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_importing_every_domain_module_loads_no_flask_sqlalchemy_werkzeug_or_jinja():
    result = import_the_domain()

    assert result.returncode == 0, result.stderr
    imported = {name.removeprefix("board.domain.") for name in result.stdout.split()}
    assert imported >= DOMAIN_MODULES


def test_the_purity_check_fails_when_a_domain_module_imports_flask(tmp_path):
    (tmp_path / "leaky.py").write_text("import flask\n")

    result = import_the_domain(tmp_path)

    assert result.returncode != 0
    assert "board.domain.leaky" in result.stdout
    assert "the domain loaded flask" in result.stderr
