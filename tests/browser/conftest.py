"""Browser fixtures: a real server process, Debian's Chromium, and the five devices of a meeting.

Chromium is required: without it the session fails with a message saying how to get it.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from board import create_app
from board.cli import create_demo, demo_links
from tests.live_server import ROOT, LiveServer

ARTIFACTS = ROOT / "test-artifacts"
AXE = next((ROOT / "tests" / "vendor").glob("axe-*.min.js"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TEACHER = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SCREEN = {"viewport": {"width": 1920, "height": 1080}}
# Changes reach every device within about a second; two leave room for a loaded CI machine.
expect.set_options(timeout=2_000)


def chromium_path() -> str:
    """CHROMIUM_PATH, or Debian's package; never a silent skip."""
    path = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if not (Path(path).is_file() or shutil.which(path)):
        pytest.fail(
            f"Chromium not found at {path}. Install Debian's package (apt-get install -y "
            "chromium; `make test` does this when it can) or set CHROMIUM_PATH.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The app as a real `python wsgi.py` process on a free port, with its own SQLite file."""
    database = tmp_path_factory.mktemp("browser") / "board.sqlite3"
    # All devices come from one address here: join limits are for real school networks.
    live = LiveServer(f"sqlite:///{database}", SOCKETIO_MESSAGE_QUEUE="", RATELIMIT_ENABLED="0")
    live.migrated_copy()
    live.start()
    yield live
    live.stop()


@pytest.fixture(scope="session")
def board_app(server):
    """The app in this process, on the server's database: demo meetings without a subprocess."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": server.env["DATABASE_URL"],
            "SECRET_KEY": server.env["SECRET_KEY"],
            "SOCKETIO_MESSAGE_QUEUE": None,
            "PUBLIC_URL": server.url,
        }
    )


@pytest.fixture
def demo(board_app) -> dict:
    """A fresh demo meeting (Thomas, group 3) with its lobby open: its links."""
    with board_app.app_context():
        return demo_links(create_demo())


@pytest.fixture(scope="session")
def chromium(playwright) -> Browser:
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class Devices:
    """Opens browser contexts for the device kinds and closes them after the test."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.contexts: list[BrowserContext] = []
        self.errors: list[str] = []

    def open(self, kind: dict, **options) -> Page:
        options.setdefault("locale", "nl-NL")  # a Dutch school's browser; English is a choice
        context = self.browser.new_context(base_url=self.base_url, **kind, **options)
        context.set_default_timeout(5_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        page.on(
            "console",
            lambda message: (
                self.errors.append(f"{page.url}: {message.text} at {message.location}")
                if message.type == "error" and "Failed to load resource" not in message.text
                else None
            ),
        )
        return page

    def teacher(self, **options) -> Page:
        return self.open(TEACHER, **options)

    def phone(self, **options) -> Page:
        return self.open(PHONE, **options)

    def screen(self, **options) -> Page:
        return self.open(SCREEN, **options)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def devices(chromium, server):
    opened = Devices(chromium, server.url)
    yield opened
    opened.close()


def shoot(page: Page, name: str, *, full_page: bool = True) -> None:
    """A screenshot for people to look at: test-artifacts/screens/<name>.png (ignored by git)."""
    folder = ARTIFACTS / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(folder / f"{re.sub(r'[^a-z0-9-]+', '-', name)}.png"), full_page=full_page
    )
