"""The team's cycle in Chromium: Ineke (the IB'er) makes the team and invites two teachers,
sets the team's minutes per step and plans three slots; Sanne makes her meeting of hers and
runs it with two colleagues; six weeks later (the server's clock moved on) she evaluates the
goal, and the team's charts and tables show the figures, on a laptop and on a phone."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.live_server import LiveServer

from .conftest import PHONE, TEACHER, Devices, shoot
from .test_devices import axe_violations

pytestmark = pytest.mark.browser
PASSWORD = "een lange zin om mee in te loggen"
TODAY = date.today()
GOAL = "Thomas blijft op drie ochtenden per week vier minuten zitten in de kring"


@pytest.fixture
def server(tmp_path):
    """A server of its own: this test restarts it with the clock six weeks on."""
    live = LiveServer(
        f"sqlite:///{tmp_path / 'board.sqlite3'}",
        SOCKETIO_MESSAGE_QUEUE="",
        RATELIMIT_ENABLED="0",
        LOG_PATH=str(tmp_path / "server.log"),
    )
    live.migrated_copy()
    live.start()
    yield live
    live.stop()


@pytest.fixture
def devices(chromium, server):
    opened = Devices(chromium, server.url)
    yield opened
    opened.close()


def make_account_fields(page: Page | Locator, login: str, name: str) -> None:
    page.get_by_label("E-mailadres of gebruikersnaam").fill(login)
    page.get_by_label("Je naam, zoals je team je ziet").fill(name)
    page.get_by_label("Kies een wachtwoord").fill(PASSWORD)


def invite(admin: Page) -> str:
    admin.get_by_role("link", name="Overzicht").click()
    admin.get_by_role("button", name="Uitnodigingslink maken").click()
    link = admin.get_by_label("Uitnodigingslink").input_value()
    admin.get_by_role("link", name="Terug naar het team").click()
    return link


def accept(page: Page, link: str, login: str, name: str) -> None:
    page.goto(link)
    make_account_fields(page.get_by_role("form", name="Nieuw account"), login, name)
    page.get_by_role("button", name="Account maken en lid worden").click()
    expect(page.get_by_role("heading", name="De Regenboog")).to_be_visible()


def plan(admin: Page, day: date, who: str, time: str = "", place: str = "") -> None:
    form = admin.locator("#plannen")
    form.get_by_label("Datum").fill(day.isoformat())
    form.get_by_label("Begintijd").fill(time)
    form.get_by_label("Plaats (mag leeg)").fill(place)
    if who in ("Sanne", "Joost"):
        form.get_by_label("Wie brengt in").select_option(label=who)
    else:
        form.get_by_label("Wie brengt in").select_option(label="Iemand anders (vul de naam in)")
        form.get_by_label("Naam van iemand anders").fill(who)
    form.get_by_role("button", name="Inbrengmoment plannen").click()


def join(phone: Page, code: str, name: str) -> None:
    phone.goto("/")
    phone.get_by_label("Code").fill(code)
    phone.get_by_role("button", name="Meedoen").click()
    phone.get_by_label("Jouw naam").fill(name)
    phone.get_by_role("button", name="Naar binnen").click()
    expect(phone.get_by_role("heading", name="Je bent binnen")).to_be_visible()


def next_step(teacher: Page, title: str) -> None:
    teacher.get_by_role("button", name="Volgende stap →").click()
    expect(teacher.locator("#step-title")).to_have_text(title)


def run_meeting(devices: Devices, sanne: Page) -> None:
    """Sanne runs her meeting as her own timekeeper; Anna and Bram join on their phones."""
    sanne.wait_for_load_state()  # the page's scripts listen before she types
    sanne.locator(".prep-form textarea").first.fill("Thomas loopt vaak weg uit de kring.")
    expect(sanne.locator(".prep-form .save-state").first).to_have_text("Opgeslagen", timeout=10_000)
    sanne.get_by_role("button", name="Lobby openen").click()
    code = sanne.locator(".join-code").inner_text()
    phones = [devices.phone(), devices.phone()]
    for phone, name in zip(phones, ("Anna", "Bram"), strict=True):
        join(phone, code, name)
    expect(sanne.locator("#participants h2")).to_have_text("Aanwezig (3)")
    sanne.get_by_role("button", name="Start de intervisie (stap 1)").first.click()
    expect(sanne.locator("#step-title")).to_have_text("De inbrenger licht de vraag toe")
    next_step(sanne, "Verhelderende vragen")
    next_step(sanne, "De inbrenger formuleert het doel")
    sanne.get_by_label("Het doel in één zin").fill(GOAL)
    expect(sanne.locator(".goal-form .save-state").first).to_have_text("Opgeslagen", timeout=10_000)
    sanne.get_by_label("Evaluatiedatum").fill((TODAY + timedelta(weeks=6)).isoformat())
    expect(sanne.locator(".goal-form .save-state").last).not_to_be_empty()
    for title in (
        "Collega's formuleren onderwijsbehoeften",
        "De inbrenger kiest wat haalbaar is",
        "Afspraken",
        "Opbrengst",
    ):
        next_step(sanne, title)
    for voter, worth in ((sanne, "Ja"), (phones[0], "Ja"), (phones[1], "Nee")):
        voter.get_by_label(worth, exact=True).check()
        voter.get_by_role("button", name="Stemmen").click()
        expect(voter.get_by_text("Je stem is opgeslagen.")).to_be_visible()
    sanne.get_by_role("button", name="Bijeenkomst afsluiten").click()
    sanne.get_by_role("dialog", name="Bijeenkomst afsluiten?").get_by_role(
        "button", name="Ja, afsluiten"
    ).click()
    expect(sanne.get_by_role("heading", name="De intervisie is afgesloten")).to_be_visible()
    for phone in phones:
        phone.context.close()
        devices.contexts.remove(phone.context)


def charts_loaded(page: Page) -> None:
    """Every chart image arrived and was drawn (an SVG that failed has no natural width)."""
    images = page.locator(".figure-pair img")
    expect(images).to_have_count(3)
    for index in range(3):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        page.wait_for_function(
            "image => image.complete && image.naturalWidth > 0", arg=image.element_handle()
        )


def test_a_team_plans_its_cycle_runs_a_meeting_and_sees_what_it_yields(devices, server):
    ineke = devices.teacher()
    requested: list[str] = []
    ineke.on("request", lambda request: requested.append(request.url))

    # Ineke makes the team and her account; she invites Sanne and Joost.
    ineke.goto("/team/nieuw")
    ineke.get_by_label("Naam van het team").fill("De Regenboog")
    make_account_fields(ineke, "ineke@regenboog.nl", "Ineke")
    ineke.get_by_role("button", name="Team aanmaken").click()
    expect(ineke.get_by_role("heading", name="De Regenboog")).to_be_visible()
    sanne, joost = devices.teacher(), devices.teacher()
    accept(sanne, invite(ineke), "sanne@regenboog.nl", "Sanne")
    accept(joost, invite(ineke), "joost@regenboog.nl", "Joost")

    # The team's minutes per step: more time for the questions and the needs.
    ineke.get_by_role("link", name="Planning").click()
    ineke.wait_for_load_state()  # the page's scripts listen before she types
    expect(ineke.locator("#minutes-total")).to_have_text("Samen: 39 minuten")
    ineke.get_by_label("Stap 2: Vragen").fill("12")
    ineke.get_by_label("Stap 4: Behoeften").fill("12")
    expect(ineke.locator("#minutes-total")).to_have_text("Samen: 43 minuten")  # as she types
    ineke.get_by_role("button", name="Minuten opslaan").click()
    expect(ineke.locator("#minutes-total")).to_have_text("Samen: 43 minuten")
    expect(ineke.get_by_label("Stap 2: Vragen")).to_have_value("12")

    # Three slots. A day in the past the browser already refuses (the server too: its Dutch
    # message is tested through the routes).
    plan(ineke, TODAY - timedelta(days=1), "Joost")
    assert ineke.locator("#slot_date").evaluate("field => field.validity.rangeUnderflow")
    expect(ineke.get_by_text("Er zijn nog geen inbrengmomenten gepland.")).to_be_visible()
    plan(ineke, TODAY, "Sanne", "15:15", "Teamkamer")
    plan(ineke, TODAY + timedelta(weeks=3), "Joost", "15:15", "Teamkamer")
    plan(ineke, TODAY + timedelta(weeks=6), "Fatima")
    expect(ineke.locator("#momenten tbody tr")).to_have_count(3)
    shoot(ineke, "team-planning-admin")

    # Sanne makes her meeting of her slot; Joost's slot is not hers to take.
    sanne.get_by_role("link", name="Planning").click()
    expect(sanne.get_by_role("button", name="Inbrengmoment plannen")).to_have_count(0)
    take = (
        sanne.locator("#momenten tbody tr")
        .filter(has_text="Sanne")
        .get_by_role("link", name="Maak er mijn bijeenkomst van")
    )
    expect(
        sanne.locator("#momenten tbody tr").filter(has_text="Joost").get_by_role("link")
    ).to_have_count(0)
    take.click()
    sanne.get_by_label("Voornaam of initialen van de leerling").fill("Thomas")
    sanne.get_by_label("Groep").fill("5b")
    sanne.get_by_role("button", name="Bijeenkomst aanmaken").click()
    expect(sanne.get_by_role("heading", name="Voorbereiding")).to_be_visible()
    run_meeting(devices, sanne)

    # The calendar feed: turned on, its address to copy; it lists the slots, no pupil.
    ineke.reload()
    ineke.get_by_role("button", name="Agendalink aanzetten").click()
    feed = ineke.get_by_label("Agendalink van het team").input_value()
    ineke.get_by_role("button", name="Kopieer agendalink").click()
    expect(ineke.locator('[data-copy-state="feed-link"]')).to_have_text(
        re.compile("Gekopieerd|geselecteerd")
    )
    calendar = ineke.request.get(feed).text()
    assert "Intervisie: Joost brengt in" in calendar and "Thomas" not in calendar

    # Six weeks later: the evaluation date has come, Sanne answers "Is het doel gehaald?".
    summary = sanne.url.split("#")[0].rstrip("/") + "/summary"
    sanne.goto("/team")
    server.stop()
    server.env.update(
        TESTING_CLOCK="1", TEST_TODAY=(TODAY + timedelta(weeks=6, days=1)).isoformat()
    )
    server.start()
    sanne.goto(summary)
    question = sanne.get_by_role("group", name="Is het doel gehaald?")
    question.get_by_label("Gehaald", exact=True).check()
    sanne.get_by_role("button", name="Evaluatie opslaan").click()
    expect(sanne.get_by_role("heading", name="De volgende kleine stap")).to_be_visible()

    # The figures: three charts, each with its table, for the admin and for Joost.
    ineke.get_by_role("link", name="Cijfers").click()
    yield_table = ineke.locator("#yield-table tbody tr")
    expect(yield_table).to_have_count(1)
    expect(yield_table.locator("td")).to_have_text([f"{TODAY:%d-%m-%Y}", "Sanne", "2 van 3", "67%"])
    overrun = ineke.locator("#overrun-table tbody tr")
    expect(overrun).to_have_count(7)
    expect(overrun.nth(1).locator("td").first).to_have_text("12")  # planned: the team's minutes
    expect(ineke.locator("#goals-table tbody th")).to_have_text(
        ["Gehaald", "Deels gehaald", "Niet gehaald", "Nog niet geëvalueerd"]
    )
    expect(ineke.locator("#goals-table tbody td")).to_have_text(["1", "0", "0", "0"])
    charts_loaded(ineke)
    shoot(ineke, "team-figures-laptop")

    phone = devices.open(PHONE)
    phone.goto("/team/inloggen")
    phone.get_by_label("E-mailadres of gebruikersnaam").fill("joost@regenboog.nl")
    phone.get_by_label("Wachtwoord").fill(PASSWORD)
    phone.get_by_role("button", name="Inloggen").click()
    phone.goto(ineke.url)
    charts_loaded(phone)
    narrow = phone.locator(".figure-pair img").first.evaluate("image => image.currentSrc")
    assert narrow.endswith("-smal.svg")
    shoot(phone, "team-figures-phone")
    with ineke.expect_download() as download:
        ineke.get_by_role("link", name="Cijfers downloaden (CSV)").click()
    assert download.value.suggested_filename == "intervisie-cijfers.csv"

    assert not [url for url in requested if not url.startswith(server.url)]
    assert not devices.errors, "\n".join(devices.errors)


def log_in(page: Page, login: str) -> None:
    page.goto("/team/inloggen")
    page.get_by_label("E-mailadres of gebruikersnaam").fill(login)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen", exact=True)).to_be_visible()


def test_the_cycle_pages_pass_axe_on_a_laptop_and_a_phone(devices):
    """The axe contexts bypass our CSP to inject the checker; nothing else does."""
    ineke = devices.teacher()
    ineke.goto("/team/nieuw")
    ineke.get_by_label("Naam van het team").fill("De Regenboog")
    make_account_fields(ineke, "ineke@regenboog.nl", "Ineke")
    ineke.get_by_role("button", name="Team aanmaken").click()
    ineke.get_by_role("link", name="Planning").click()
    plan(ineke, TODAY + timedelta(days=7), "Fatima", "15:15", "Teamkamer")
    ineke.get_by_role("button", name="Agendalink aanzetten").click()
    team_url = ineke.url.split("/planning")[0]
    found = {}
    for kind in (TEACHER, PHONE):
        page = devices.open(kind, bypass_csp=True)
        log_in(page, "ineke@regenboog.nl")
        for path in ("/planning", "/planning/1/overnemen", "/cijfers"):
            page.goto(team_url + path)
            if violations := axe_violations(page):
                found[f"{kind['viewport']['width']}{path}"] = violations
    assert not found, found
