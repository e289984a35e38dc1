"""Every page of the group-plan exports as a teacher sees them, for docs/gallery/.

Run from the repository root: `python docs/gallery/make_groupplan_pages.py [folder]`. It
builds a realistic closed meeting on a throw-away SQLite file (long preparation answers,
ten feasible needs, four agreements), renders the PDF, the Word file and the sample school
template (docs/groupplan-template.docx), turns the Word files into PDF with LibreOffice
(`libreoffice --headless`) and every page into a PNG with `pdftoppm -r 60`. The PNGs go to
the folder given (default: test-artifacts/groupplan-pages); copy the ones worth keeping.
Needs LibreOffice Writer and poppler-utils (Debian: libreoffice-writer-nogui, poppler-utils).
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from board import create_app  # noqa: E402
from board.cli import create_finished_demo  # noqa: E402
from board.exports.paper import render_pdf  # noqa: E402
from board.exports.schooltemplate import render_word  # noqa: E402
from board.extensions import db  # noqa: E402
from board.models import NeedCard  # noqa: E402
from board.services.summary import group_plan_entry  # noqa: E402

EXTRA_NEEDS = (
    (
        "instructie",
        "verlengde instructie aan de instructietafel, met materiaal erbij (MAB, "
        "getallenlijn) voordat hij zelf aan de slag gaat",
        4,
        "instructietafel, na de basisinstructie",
        "intensief",
    ),
    (
        "opdrachten",
        "een taakkaart met drie kleine stappen en afvinkvakjes, op zijn tafel geplakt",
        5,
        "eigen tafel",
        "basis",
    ),
    (
        "feedback",
        "een compliment op inzet, niet alleen op het antwoord, direct na het beginnen",
        5,
        "",
        None,
    ),
    (
        "anders",
        "een time-timer op zijn tafel die laat zien hoe lang hij nog werkt",
        3,
        "eigen tafel",
        None,
    ),
    (
        "groepsgenoten",
        "een maatje dat hij mag vragen voordat hij naar de juf gaat",
        3,
        "maatjesrooster in de klassenmap",
        "basis",
    ),
    ("leerkracht", "een vaste plek dicht bij de juf, met zijn rug naar de deur", 5, "", None),
    (
        "ouders",
        "thuis elke vrijdag samen naar de stempelkaart kijken en vertellen wat lukte",
        1,
        "weekbrief",
        None,
    ),
)
LONG_GOES_WELL = (
    "Thomas is behulpzaam en vrolijk; hij helpt kleuters graag met hun jas en leest vlot "
    "voor. In de gymles volgt hij de regels goed. Hij zegt zelf dat hij de kring 'saai' "
    "vindt maar dat hij het fijn vindt als hij iets mag laten zien. " * 2
)


def realistic_meeting():
    """The finished demo, with long answers, ten feasible needs and four agreements."""
    meeting = create_finished_demo()
    meeting.prep_strengths = LONG_GOES_WELL.strip()
    author = meeting.needs[0].author_id
    for index, (category, text, per_week, place, subgroup) in enumerate(EXTRA_NEEDS):
        meeting.needs.append(
            NeedCard(
                author_id=author,
                client_key=f"extra-{index}",
                category=category,
                text=text,
                feasibility="feasible",
                per_week=per_week,
                plan_place=place,
                subgroup=subgroup,
                created_at=meeting.needs[-1].created_at,
            )
        )
    feasible = [card for card in meeting.needs if card.feasibility == "feasible"]
    for card in feasible[10:]:
        card.feasibility = "not_now"
    db.session.commit()
    return meeting


def pages(pdf: Path, out: Path, name: str) -> list[Path]:
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out / name)], check=True)
    return sorted(out.glob(f"{name}-*.png"))


def to_pdf(docx: Path, folder: Path) -> Path:
    subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
        check=True,
        capture_output=True,
    )
    return folder / (docx.stem + ".pdf")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        settings = {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'board.sqlite3'}",
            "SECRET_KEY": "gallery",
            "SOCKETIO_MESSAGE_QUEUE": None,
        }
        app = create_app(settings)
        with app.test_request_context():
            db.create_all()
            meeting = realistic_meeting()
            entry = group_plan_entry(meeting)
            feasible = len(entry.feasible_needs)
            (folder / "groupplan.pdf").write_bytes(render_pdf(entry))
            (folder / "groupplan.docx").write_bytes(render_word(entry))
            app.config["GROUPPLAN_TEMPLATE"] = str(ROOT / "docs" / "groupplan-template.docx")
            (folder / "school.docx").write_bytes(render_word(entry))
        made = pages(folder / "groupplan.pdf", out, "groupplan-pdf")
        made += pages(to_pdf(folder / "groupplan.docx", folder), out, "groupplan-docx")
        made += pages(to_pdf(folder / "school.docx", folder), out, "groupplan-school")
        shutil.copy(folder / "groupplan.pdf", out / "groupplan.pdf")
    print(f"{feasible} feasible needs; {len(made)} pages:", *(p.name for p in made), sep="\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "test-artifacts" / "groupplan-pages")
