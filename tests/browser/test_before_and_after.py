"""Before and after the meeting, the whole chain in Chromium, as a new teacher meets it: she
prepares (start time, place) and invites (mail, calendar, paper form), runs the meeting, a
colleague's phone keeps the take-away after closing, her summary holds her private notes,
every export holds the group-plan row, and the school's own Word template is filled. Six
weeks later (the server's clock is set) she evaluates, sees the next small step, and starts
a follow-up meeting whose preparation is already filled in."""

import csv
import io
import json
import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest
from docx import Document
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from board.templating import dutch_date
from tests.live_server import ROOT, LiveServer

from .conftest import Devices, shoot
from .test_devices import go_to_step, join

pytestmark = pytest.mark.browser

GOAL = (
    "Noor begint op vier dagen per week binnen vier minuten aan haar rekentaak; "
    "evaluatie na zes weken."
)
COLUMNS = ("Beginsituatie", "Doel", "Onderwijsbehoeften", "Aanpak en organisatie", "Evaluatie")
GOES_WELL = "Noor helpt graag anderen en leest vlot."
EXPLANATIONS = "Ze weet niet hoe ze moet beginnen en durft niets te vragen."
NOTE = "Moeder belt vaak na school; navragen hoe het thuis gaat."
NEEDS = ("een taakkaart met drie kleine stappen", "een plek vooraan in de klas")
PHONE_CALL = "Moeder krijgt een telefoontje over het plan"
TEMPLATE = ROOT / "docs" / "groupplan-template.docx"


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """A server of this test alone: it is restarted with a school template and a later date."""
    database = tmp_path_factory.mktemp("before-after") / "board.sqlite3"
    live = LiveServer(f"sqlite:///{database}", SOCKETIO_MESSAGE_QUEUE="", RATELIMIT_ENABLED="0")
    live.migrated_copy()
    live.start()
    yield live
    live.stop()


@pytest.fixture
def people(chromium, own_server):
    opened = Devices(chromium, own_server.url)
    yield opened
    opened.close()


def link_href(page: Page, name: str) -> str:
    return page.get_by_role("link", name=name, exact=True).get_attribute("href")


def download(page: Page, name: str | re.Pattern, content_type: str) -> bytes:
    """Click the link as she would; the same address answers with the right content type."""
    link = page.get_by_role("link", name=name, exact=True)
    # The first PDF of a server process loads WeasyPrint, which takes seconds.
    with page.expect_download(timeout=30_000) as info:
        link.click()
    response = page.request.get(link.get_attribute("href"), timeout=30_000)
    assert response.ok, (name, response.status)
    assert response.headers["content-type"].startswith(content_type), response.headers
    assert "attachment" in response.headers.get("content-disposition", ""), name
    return Path(info.value.path()).read_bytes()


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())


def needs(page: Page):
    return page.get_by_role("region", name=re.compile(r"^Onderwijsbehoeften"))


def restart(server: LiveServer, **env: str) -> None:
    server.stop()
    server.env.update(env)
    server.start()


def test_prepare_meet_take_away_export_evaluate_and_follow_up(people, own_server):
    today = date.today()
    agreement_day = today + timedelta(days=9)
    evaluation_day = today + timedelta(weeks=6)
    teacher = people.teacher()

    # Prepare: the meeting with its start time and place, and the starting situation.
    teacher.goto("/")
    teacher.get_by_label("Voornaam of initialen van de leerling").fill("Noor")
    teacher.get_by_label("Groep", exact=True).fill("5")
    teacher.get_by_label("Jouw naam, zoals collega's je zien (mag leeg)").fill("Sanne")
    teacher.get_by_label("Datum van de bijeenkomst").fill(today.isoformat())
    teacher.get_by_label("Begintijd").fill("15:15")
    teacher.get_by_label("Plaats (mag leeg)").fill("Teamkamer")
    teacher.get_by_role("button", name="Bijeenkomst aanmaken").click()
    expect(teacher.get_by_role("heading", name="Uitnodigen")).to_be_visible()
    for label, text in (
        ("Wat gaat er goed, en hoe kijkt de leerling er zelf tegenaan?", GOES_WELL),
        ("Welke verklaringen zijn er mogelijk?", EXPLANATIONS),
    ):
        field = teacher.get_by_label(label)
        field.fill(text)
        field.press("Tab")
    expect(teacher.get_by_text("Opgeslagen", exact=True)).to_have_count(2)

    # Invite: the mail in Dutch with the reading link, the day, time and place.
    reading = teacher.get_by_label("Leeslink voor collega's").input_value()
    mail = unquote(link_href(teacher, "Mail de collega's"))
    assert mail.startswith("mailto:?subject=Intervisie over Noor (groep 5)")
    assert f"Wanneer: {dutch_date(today)}, 15:15 uur" in mail
    assert "Waar: Teamkamer" in mail and reading in mail and "Groet,\r\nSanne" in mail
    ics = download(teacher, "In je agenda (.ics)", "text/calendar").decode("utf-8")
    ics = ics.replace("\r\n ", "")  # unfolded (RFC 5545)
    assert f"DTSTART:{today:%Y%m%d}T151500" in ics
    assert "LOCATION:Teamkamer" in ics and reading in ics
    form = pdf_text(download(teacher, "Voorbereiding afdrukken (PDF)", "application/pdf"))
    assert "Noor" in form and GOES_WELL in form and EXPLANATIONS in form
    blank = pdf_text(download(teacher, "Leeg formulier (PDF)", "application/pdf"))
    assert "Welke verklaringen zijn er mogelijk?" in blank and GOES_WELL not in blank

    # The meeting: one colleague on her phone.
    teacher.get_by_role("button", name="Lobby openen").click()
    code = teacher.locator(".links .code").inner_text().replace(" ", "")
    phone = people.phone()
    join(phone, f"/j/{code}", "Fatima")
    go_to_step(teacher, 3)
    teacher.get_by_label("Het doel in één zin").fill(GOAL)
    expect(teacher.get_by_text("Opgeslagen", exact=True).first).to_be_visible()
    expect(teacher.get_by_text(f"Evaluatiedatum: {dutch_date(evaluation_day)}")).to_be_visible()
    go_to_step(teacher, 4)
    for need in NEEDS:
        phone.get_by_label("Om dit doel te halen heeft deze leerling …").fill(need)
        phone.get_by_role("radio", name="Instructie").check()
        phone.get_by_role("button", name="Kaartje plaatsen").click()
        expect(needs(teacher)).to_contain_text(need)
    teacher.get_by_label("Mijn aantekeningen (alleen voor jou)").fill(NOTE)
    notes = teacher.get_by_role("region", name="Mijn aantekeningen")
    expect(notes.get_by_text("Opgeslagen", exact=True)).to_be_visible()
    go_to_step(teacher, 5)
    chosen = needs(teacher).get_by_role("listitem").filter(has_text=NEEDS[0])
    chosen.get_by_label("Haalbaar", exact=True).check()
    chosen.get_by_label("Hoe vaak per week").fill("4")
    chosen.get_by_label("Hoe vaak per week").press("Tab")
    chosen.get_by_label("Subgroep").select_option("intensief")
    chosen.get_by_label("Plek in het groepsplan").fill("instructietafel")
    chosen.get_by_label("Plek in het groepsplan").press("Tab")
    needs(teacher).get_by_role("listitem").filter(has_text=NEEDS[1]).get_by_label("Niet nu").check()
    expect(
        needs(phone).get_by_text("haalbaar · 4× per week · intensief · instructietafel")
    ).to_be_visible()
    shoot(teacher, "before-after-step5-teacher")
    go_to_step(teacher, 6)
    for what, who, when in (
        (PHONE_CALL, "Sanne", f"{agreement_day:%-d-%-m}"),
        ("De IB'er kijkt mee tijdens de rekenles", "Fatima", "over drie weken"),
    ):
        phone.get_by_label("Wat spreken we af?").fill(what)
        phone.get_by_label("Wie?").fill(who)
        phone.get_by_label("Wanneer?").fill(when)
        phone.get_by_role("button", name="Afspraak toevoegen").click()
        expect(
            teacher.get_by_role("region", name="Afspraken").get_by_text(what).first
        ).to_be_visible()
    go_to_step(teacher, 7)
    shoot(teacher, "before-after-step7-teacher", full_page=False)
    teacher.get_by_role("button", name="Bijeenkomst afsluiten").click()
    teacher.get_by_role("button", name="Ja, afsluiten").click()

    # The take-away on the phone: the goal once, what is feasible, the agreements.
    expect(phone.get_by_role("heading", name="De intervisie is afgesloten")).to_be_visible()
    expect(phone.get_by_text("Het blijft op dit apparaat te lezen")).to_be_visible()
    expect(teacher.get_by_text('onder "Mijn bijeenkomsten"')).to_be_visible()
    expect(phone.get_by_text(GOAL, exact=True)).to_have_count(1)
    feasible = phone.get_by_role("heading", name="Wat haalbaar is").locator(
        "xpath=following-sibling::ul[1]"
    )
    expect(feasible).to_contain_text(NEEDS[0])
    expect(feasible).not_to_contain_text(NEEDS[1])
    agreements = phone.get_by_role("region", name="Afspraken")
    expect(agreements).to_contain_text("Wie: Sanne · Wanneer:")
    expect(agreements).to_contain_text("Wie: Fatima · Wanneer: over drie weken")
    shoot(phone, "before-after-takeaway-phone")
    item = download(
        phone,
        re.compile(f"In mijn agenda op {dutch_date(agreement_day)}\\W+{PHONE_CALL}"),
        "text/calendar",
    ).decode("utf-8")
    assert f"DTSTART;VALUE=DATE:{agreement_day:%Y%m%d}" in item and "telefoontje" in item
    in_three_weeks = today + timedelta(weeks=3)
    expect(
        phone.get_by_role("link", name=f"In mijn agenda op {dutch_date(in_three_weeks)}")
    ).to_be_visible()
    expect(phone.get_by_role("main")).not_to_contain_text("Moeder belt vaak")

    # The summary: her notes, to her alone.
    teacher.get_by_role("link", name="Naar de samenvatting voor je groepsplan").click()
    expect(teacher.get_by_role("region", name="Jouw aantekeningen")).to_contain_text(NOTE)
    summary_url = teacher.url
    assert phone.request.get(summary_url).status in (403, 404)
    shoot(teacher, "before-after-summary-teacher")

    # Every format holds the group-plan row: the five columns and the goal; notes only on request.
    word = docx_text(download(teacher, "Word (.docx)", "application/vnd.openxmlformats"))
    pdf = pdf_text(download(teacher, "PDF", "application/pdf"))
    table = download(teacher, "Excel (.csv)", "text/csv").decode("utf-8-sig")
    markdown = download(teacher, "Markdown (.md)", "text/markdown").decode("utf-8")
    data = json.loads(download(teacher, "JSON voor schoolsystemen", "application/json"))
    header, *rows = list(csv.reader(io.StringIO(table), delimiter=";"))
    for text in (word, pdf, markdown):
        for column in COLUMNS:
            assert column in text, column
        assert GOAL in text and GOES_WELL in text
        assert "4× per week, subgroep intensief; instructietafel" in text
        assert NOTE not in text
    assert all(column in header for column in COLUMNS) and GOAL in rows[0]
    assert GOAL in json.dumps(data, ensure_ascii=False) and NOTE not in json.dumps(
        data, ensure_ascii=False
    )
    for name, read in (
        ("Word met mijn aantekeningen", docx_text),
        ("PDF met mijn aantekeningen", pdf_text),
        ("Markdown met mijn aantekeningen", bytes.decode),
    ):
        kind = {"W": "application/vnd.openxmlformats", "P": "application/pdf", "M": "text/markdown"}
        assert NOTE in read(download(teacher, name, kind[name[0]]))

    # The school sets its own Word template; six weeks later it is the evaluation date. (The
    # phone is put away first: a restart drops its live connection, an error in its console.)
    phone.close()
    restart(
        own_server,
        GROUPPLAN_TEMPLATE=str(TEMPLATE),
        TESTING_CLOCK="1",
        TEST_TODAY=evaluation_day.isoformat(),
    )
    teacher.goto("/")
    mine = teacher.get_by_role("region", name="Mijn bijeenkomsten")
    expect(mine.get_by_role("heading", name="Te evalueren")).to_be_visible()
    mine.get_by_role("link", name="Samenvatting").click()
    school = docx_text(download(teacher, "Word (.docx)", "application/vnd.openxmlformats"))
    assert "Groepsplan Noor, groep 5" in school and "Leerkracht: Sanne" in school
    assert GOAL in school and f"Wat goed gaat: {GOES_WELL}" in school

    # The evaluation: asked on the date, then the next small step.
    question = teacher.get_by_role("group", name="Is het doel gehaald?")
    expect(question).to_be_visible()
    expect(teacher.get_by_text("De evaluatiedatum is nog niet bereikt")).to_have_count(0)
    question.get_by_label("Gehaald", exact=True).check()
    teacher.get_by_label("Wat werkte?").fill("De taakkaart op haar tafel")
    teacher.get_by_label("Wat werkte niet?").fill("Zelf om hulp vragen")
    teacher.get_by_role("button", name="Evaluatie opslaan").click()
    expect(teacher.get_by_role("heading", name="Evaluatie: gehaald")).to_be_visible()
    expect(teacher.get_by_role("heading", name="De volgende kleine stap")).to_be_visible()
    expect(
        teacher.get_by_text(GOAL.replace("vier minuten", "vijf minuten"), exact=True)
    ).to_be_visible()
    expect(teacher.get_by_text("vóór de geplande datum")).to_have_count(0)
    shoot(teacher, "before-after-evaluated-teacher")

    # The follow-up meeting, its preparation prefilled.
    teacher.get_by_role("button", name="Vervolgbijeenkomst starten").click()
    expect(teacher.get_by_role("heading", name="Voorbereiding")).to_be_visible()
    reason = teacher.get_by_label("Waarom breng je deze leerling in, en waarom juist nu?")
    expect(reason).to_contain_text(f"Vorig doel: {GOAL}")
    expect(reason).to_contain_text("Evaluatie: gehaald.")
    prefilled = " ".join(
        teacher.get_by_role("textbox").evaluate_all("fields => fields.map(f => f.value)")
    )
    assert NEEDS[0] in prefilled and "De taakkaart op haar tafel" in prefilled
    assert "vijf minuten" in prefilled
    shoot(teacher, "before-after-follow-up-teacher")
    teacher.goto("/")
    expect(teacher.get_by_role("region", name="Mijn bijeenkomsten")).to_contain_text(
        dutch_date(evaluation_day)
    )
    assert not people.errors, people.errors
    assert re.search(r"\bERROR\b|Traceback", own_server.log()) is None, own_server.log()[-3000:]
