"""A real server process on a free loopback port, for browser, fault and scale-out tests."""

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Set by conftest for each test: "1" when it is marked live. A real server started by a test
# without the mark fails it, so `make test-fast` (-m "not live") never starts one unseen.
LIVE_ALLOWED = "BOARD_TEST_LIVE"


def require_live_mark() -> None:
    """Fail a test that starts a real server process without being marked live."""
    if "PYTEST_CURRENT_TEST" in os.environ and os.environ.get(LIVE_ALLOWED) != "1":
        test = os.environ["PYTEST_CURRENT_TEST"].rsplit(" ", 1)[0]
        raise RuntimeError(f"{test} starts a real server: mark it @pytest.mark.live")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """`python wsgi.py` (gevent, one process) with its own database; start, kill -9, restart."""

    def __init__(self, database_url: str, port: int | None = None, **env: str) -> None:
        self.port = port or free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "live-test-secret",
            "PORT": str(self.port),
            "HOST": "127.0.0.1",
            "FLASK_APP": "wsgi",
            **env,
        }
        self.process: subprocess.Popen | None = None
        self.log_path = Path(env.get("LOG_PATH", f"/tmp/intervisiebord-live-{self.port}.log"))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def migrate(self) -> None:
        subprocess.run(
            [sys.executable, "-m", "flask", "db", "upgrade"],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )

    def migrated_copy(self) -> None:
        """Put at this server's new SQLite path the database that migrate() makes: a copy (its
        bytes and mode) of one that `flask db upgrade` made once for this test process.

        Each migrate() is a process that imports the app and runs every migration: 2-3 s.
        For the tests whose subject is neither the migrations nor how the database file is
        made (those call migrate())."""
        target = Path(self.env["DATABASE_URL"].removeprefix("sqlite:///"))
        assert not target.exists(), f"{target} exists: migrate() upgrades what is there"
        shutil.copy(migrated_template(), target)

    def start(self, timeout: float = 20.0) -> "LiveServer":
        require_live_mark()
        with self.log_path.open("ab") as log:  # the child keeps its own copy of the file
            self.process = subprocess.Popen(
                [sys.executable, "wsgi.py"], cwd=ROOT, env=self.env, stdout=log, stderr=log
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not answer within {timeout} s; see {self.log_path}")

    def kill(self) -> None:
        """kill -9: no clean shutdown, as in a crash."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def demo(self, *args: str) -> dict:
        """Run `flask demo --json` against this server's database; the links use its port."""
        import json

        env = {**self.env, "PUBLIC_URL": self.url}
        output = subprocess.run(
            [sys.executable, "-m", "flask", "demo", "--json", *args],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return json.loads(output.strip().splitlines()[-1])


_templates: list[Path] = []


def migrated_template() -> Path:
    """One SQLite database migrated by `flask db upgrade`, made once per test process."""
    if not _templates:
        folder = Path(tempfile.mkdtemp(prefix="intervisiebord-migrated-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        database = folder / "board.sqlite3"
        LiveServer(f"sqlite:///{database}").migrate()
        # The process closed its last connection: SQLite moved the WAL into the file.
        assert not Path(f"{database}-wal").exists()
        _templates.append(database)
    return _templates[0]
