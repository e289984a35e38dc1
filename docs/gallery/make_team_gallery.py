"""The team's figures page as a school sees it after a term, for docs/gallery/.

Run from the repository root: `python docs/gallery/make_team_gallery.py`. It starts a real
server on a throw-away SQLite file, gives team "De Regenboog" five closed meetings (the
finished demo meeting, moved back in time, each with its own votes, step times and
evaluation) and two planned slots, logs the IB'er in in Debian's Chromium and writes
`team-figures-laptop.png`, `team-overview-laptop.png` (1280 wide, the whole page) and
`team-planning-phone.png` (390 wide). Not part of the test suite.
"""

import sys
import tempfile
from datetime import date, time, timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from board import create_app  # noqa: E402
from board.cli import create_finished_demo  # noqa: E402
from board.extensions import db  # noqa: E402
from board.models import Membership, Slot  # noqa: E402
from board.services.common import utcnow  # noqa: E402
from board.team import accounts, service  # noqa: E402
from docs.gallery.make_gallery import save  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402
from tests.live_server import LiveServer  # noqa: E402

PASSWORD = "de regenboog plant haar intervisie"
# weeks ago, inbrenger, votes (worth it, not), seconds per step, evaluation
MEETINGS = (
    (16, "Sanne", (3, 2), (340, 760, 190, 640, 300, 330, 120), "partly"),
    (12, "Joost", (4, 1), (320, 700, 150, 610, 290, 300, 130), "reached"),
    (9, "Fatima", (5, 0), (300, 640, 130, 600, 280, 290, 120), "reached"),
    (5, "Ilse", (2, 3), (310, 690, 170, 620, 310, 280, 110), "not_reached"),
    (2, "Mehmet", (5, 0), (300, 610, 120, 590, 300, 300, 120), None),
)


def seed(app) -> str:
    """The team, its admin and five closed meetings; the team's public id."""
    with app.app_context():
        admin = accounts.new_account("ineke@regenboog.nl", "Ineke", PASSWORD)
        team = service.new_team(admin, "De Regenboog")
        for weeks, teacher, (yes, no), seconds, result in MEETINGS:
            member = accounts.new_account(f"{teacher.lower()}@regenboog.nl", teacher, PASSWORD)
            team.memberships.append(Membership(account=member, role="member"))
            meeting = create_finished_demo()
            meeting.team_id = team.id
            meeting.meeting_date = date.today() - timedelta(weeks=weeks)
            meeting.evaluation_result = result
            next(p for p in meeting.participants if p.role == "teacher").name = teacher
            for vote, worth in zip(meeting.votes, [True] * yes + [False] * no, strict=True):
                vote.worth_it = worth
            for row in meeting.step_times:
                row.elapsed_seconds = float(seconds[row.step - 1])
            db.session.commit()
        for days, presenter, hour in ((7, "Joost", 15), (21, "Fatima", 14)):
            team.slots.append(
                Slot(
                    slot_date=date.today() + timedelta(days=days),
                    start_time=time(hour, 15),
                    place="Teamkamer",
                    presenter=presenter,
                    created_at=utcnow(),
                )
            )
        db.session.commit()
        return team.public_id


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/gallery.sqlite3"
        server = LiveServer(url, SOCKETIO_MESSAGE_QUEUE="", RATELIMIT_ENABLED="0")
        server.migrate()
        public_id = seed(create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "gallery"}))
        server.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium_path(), args=CHROMIUM_ARGS
                )
                page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="nl-NL")
                page.goto(f"{server.url}/team/inloggen")
                page.get_by_label("E-mailadres of gebruikersnaam").fill("ineke@regenboog.nl")
                page.get_by_label("Wachtwoord").fill(PASSWORD)
                page.get_by_role("button", name="Inloggen").click()
                page.goto(f"{server.url}/team/{public_id}/cijfers")
                page.wait_for_load_state("networkidle")
                save(page, "team-figures-laptop", full_page=True)
                page.goto(f"{server.url}/team/{public_id}")
                save(page, "team-overview-laptop", full_page=True)
                page.set_viewport_size({"width": 390, "height": 844})
                page.goto(f"{server.url}/team/{public_id}/planning")
                save(page, "team-planning-phone", full_page=True)
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
