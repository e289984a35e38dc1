"""A whole meeting on five devices in Chromium: the teacher's laptop, three phones, the room
screen. Every change shows on every device; no request leaves for another host."""

import re
import time

import pytest
from playwright.sync_api import Page, expect

from .conftest import shoot

pytestmark = pytest.mark.browser
NAMES = ("Anna", "Bram", "Chris")
GOAL = "Thomas blijft op drie ochtenden per week vier minuten zitten in de kring"
NEEDS = (
    "korte instructie aan de instructietafel",
    "een vaste plek dicht bij de juf",
    "een pictogram van de dagplanning",
)


def create_meeting(teacher: Page) -> None:
    """Create and prepare through the forms, then open the lobby."""
    teacher.goto("/")
    teacher.get_by_label("Voornaam of initialen van de leerling").fill("Thomas")
    teacher.get_by_label("Groep", exact=True).fill("3")
    teacher.get_by_label("Jouw naam, zoals collega's je zien (mag leeg)").fill("Sanne")
    teacher.get_by_role("button", name="Bijeenkomst aanmaken").click()
    expect(teacher.get_by_role("heading", name="Voorbereiding")).to_be_visible()
    first = teacher.locator(".prep-form textarea").first
    first.fill("Thomas loopt vaak weg uit de kring.")
    expect(teacher.locator(".prep-form .save-state").first).to_have_text(
        "Opgeslagen", timeout=10_000
    )
    teacher.get_by_role("button", name="Lobby openen").click()
    expect(teacher.get_by_role("heading", name="Lobby")).to_be_visible()


def join(phone: Page, code: str, name: str) -> None:
    phone.goto("/")
    phone.get_by_label("Code").fill(code)
    phone.get_by_role("button", name="Meedoen").click()
    phone.get_by_label("Jouw naam").fill(name)
    phone.get_by_role("button", name="Naar binnen").click()
    expect(phone.get_by_role("heading", name="Je bent binnen")).to_be_visible()


def seconds(clock: str) -> int:
    sign, minutes, secs = re.fullmatch(r"(\+?)(\d+):(\d\d)", clock).groups()
    value = int(minutes) * 60 + int(secs)
    return -value if sign else value


def assert_clocks_agree(pages: list[Page]) -> None:
    """Each device counts down locally; read them all at once, they agree within a second."""
    readings = [seconds(page.locator("[data-clock-value]").inner_text()) for page in pages]
    assert max(readings) - min(readings) <= 1, readings


def record_hosts(page: Page, seen: list[str]) -> None:
    page.on("request", lambda request: seen.append(request.url))
    page.on("websocket", lambda socket: seen.append(socket.url))


def next_step(keeper: Page, everyone: list[Page], title: str) -> None:
    keeper.get_by_role("button", name="Volgende stap →").click()
    for page in everyone:
        expect(page.locator("#step-title")).to_have_text(title)


def snap(pages: dict[str, Page], name: str) -> None:
    for kind, page in pages.items():
        shoot(page, f"{name}-{kind}", full_page=kind != "screen")


def test_a_whole_meeting_on_five_devices(devices, server):
    teacher = devices.teacher()
    phones = [devices.phone() for _ in NAMES]
    screen = devices.screen()
    everyone = [teacher, *phones, screen]
    requested: list[str] = []
    for page in everyone:
        record_hosts(page, requested)
    kinds = {"teacher": teacher, "phone": phones[0], "screen": screen}

    create_meeting(teacher)
    code = teacher.locator(".join-code").inner_text()
    screen.goto(teacher.get_by_label("Link voor het scherm").input_value())
    expect(screen.locator(".join-code")).to_have_text(code)
    for phone, name in zip(phones, NAMES, strict=True):
        join(phone, code, name)
    for page in everyone:
        expect(page.locator("#participants h2")).to_have_text("Aanwezig (4)")
        expect(page.locator("[data-connection]")).to_have_text("live")

    teacher.get_by_label("Tijdbewaker", exact=True).select_option(label="Anna")
    teacher.get_by_role("button", name="Aanwijzen").click()
    for page in everyone:
        expect(page.locator("#participants .badge.tk")).to_have_count(1)
    keeper = phones[0]
    expect(
        keeper.locator(".tk-only").get_by_role("button", name="Start de intervisie")
    ).to_be_visible()
    expect(phones[1].get_by_role("button", name="Start de intervisie")).to_be_hidden()
    snap(kinds, "0-lobby")

    # Step 1: the timekeeper starts, the timer runs; every clock agrees.
    keeper.get_by_role("button", name="Start de intervisie (stap 1)").click()
    for page in everyone:
        expect(page.locator("#step-title")).to_have_text("De inbrenger licht de vraag toe")
    expect(keeper.get_by_role("button", name="Pauze")).to_be_visible()
    for page in everyone:
        expect(page.locator("#clock")).to_have_class(re.compile(r"\brunning\b"))
    time.sleep(1.2)
    assert_clocks_agree(everyone)
    snap(kinds, "1-explain")

    # Step 2: a question from a phone reaches every screen.
    next_step(keeper, everyone, "Verhelderende vragen")
    phones[1].get_by_label("Een verhelderende vraag").fill("Sinds wanneer speelt dit?")
    phones[1].get_by_role("button", name="Vraag plaatsen").click()
    for page in everyone:
        expect(page.locator("#questions")).to_contain_text("Sinds wanneer speelt dit?")
    teacher.get_by_role("button", name="Beantwoord", exact=True).click()
    for page in everyone:
        expect(page.locator("#questions .badge")).to_have_text("beantwoord")
    snap(kinds, "2-questions")

    # Step 3: a vague goal gets hints; a colleague's concrete wording is adopted.
    next_step(keeper, everyone, "De inbrenger formuleert het doel")
    teacher.get_by_label("Het doel in één zin").fill("Het verbeteren van de werkhouding")
    expect(teacher.locator(".goal-form .save-state").first).to_have_text("Opgeslagen")
    for page in (teacher, *phones):
        expect(page.locator(".goal-check h3")).to_have_text("Doelcheck: maak het nog concreter")
    expect(screen.locator("#goal .goal-text")).to_have_text("Het verbeteren van de werkhouding")
    phones[2].get_by_label("Stel een formulering voor").fill(GOAL)
    phones[2].get_by_role("button", name="Suggestie sturen").click()
    snap(kinds, "3-goal")
    teacher.get_by_role("button", name="Overnemen").click()
    for page in everyone:
        expect(page.locator("#goal .goal-text")).to_have_text(GOAL)

    # Step 4: three phones add need cards; the teacher only reads.
    next_step(keeper, everyone, "Collega's formuleren onderwijsbehoeften")
    expect(teacher.locator("#need-text")).to_have_count(0)
    expect(teacher.get_by_role("button", name="Kaartje plaatsen")).to_have_count(0)
    for phone, need in zip(phones, NEEDS, strict=True):
        phone.get_by_label("Om dit doel te halen heeft deze leerling …").fill(need)
        phone.get_by_role("radio", name="Instructie").check()
        phone.get_by_role("button", name="Kaartje plaatsen").click()
    for page in everyone:
        expect(page.locator("#needs-title")).to_have_text("Onderwijsbehoeften (3)")
        for need in NEEDS:
            expect(page.locator("#needs")).to_contain_text(need)
    expect(phones[0].locator("#needs .mine")).to_have_count(1)
    snap(kinds, "4-needs")

    # Step 5: the teacher marks what is feasible.
    next_step(keeper, everyone, "De inbrenger kiest wat haalbaar is")
    # Every choice is saved as it is made: no save button.
    first = teacher.locator("#needs li.need").nth(0)
    first.get_by_label("Haalbaar", exact=True).check()
    first.get_by_label("Hoe vaak per week").fill("3")
    first.get_by_label("Hoe vaak per week").press("Tab")
    second = teacher.locator("#needs li.need").nth(1)
    second.get_by_label("Niet nu").check()
    for page in [*phones, screen]:
        expect(page.locator("#needs .badge.ok")).to_have_text("haalbaar · 3× per week")
        expect(page.locator("#needs .badge.muted")).to_have_text("niet nu")
    expect(teacher.locator("#needs .save-state")).to_have_text(["Opgeslagen", "Opgeslagen", ""])
    snap(kinds, "5-feasible")

    # Step 6: an agreement from a phone.
    next_step(keeper, everyone, "Afspraken")
    phones[1].get_by_label("Onderwerp").select_option("parents")
    phones[1].get_by_label("Wat spreken we af?").fill("Ouders krijgen vrijdag een bericht")
    phones[1].get_by_label("Wie?").fill("Sanne")
    phones[1].get_by_role("button", name="Afspraak toevoegen").click()
    for page in everyone:
        expect(page.locator("#agreements")).to_contain_text("Ouders krijgen vrijdag een bericht")
    snap(kinds, "6-agreements")

    # Step 7: everyone votes; the tally grows on every screen.
    next_step(keeper, everyone, "Opbrengst")
    for voter, worth in ((teacher, "Ja"), (phones[0], "Ja"), (phones[1], "Nee")):
        voter.get_by_label(worth, exact=True).check()
        voter.get_by_role("button", name="Stemmen").click()
        expect(voter.get_by_text("Je stem is opgeslagen.")).to_be_visible()
    for page in everyone:
        expect(page.locator("#yield .tally-yes .count")).to_have_text("2")
        expect(page.locator("#yield .tally-no .count")).to_have_text("1")
    assert_clocks_agree(everyone)
    snap(kinds, "7-yield")

    # Close: every device shows the end; the closed meeting refuses input.
    keeper.get_by_role("button", name="Bijeenkomst afsluiten").click()
    keeper.get_by_role("dialog", name="Bijeenkomst afsluiten?").get_by_role(
        "button", name="Ja, afsluiten"
    ).click()
    for page in everyone:
        expect(page.get_by_role("heading", name="De intervisie is afgesloten")).to_be_visible()
        fields = page.locator("#stage :is(textarea, input:not([type=hidden]), select)")
        # Only the teacher's delete form is left: a closed meeting may still be deleted.
        expect(fields.and_(page.locator(":not(.danger-zone *)"))).to_have_count(0)
    snap(kinds, "8-closed")
    refused = phones[2].request.post(
        f"{phones[2].url}/needs",
        form={"text": "nog een kaartje", "category": "instructie", "stage": "closed"},
        headers={"HX-Request": "true", "X-CSRFToken": csrf(phones[2])},
    )
    assert refused.status == 409, refused.text()
    for page in everyone:
        expect(page.get_by_text("nog een kaartje")).to_have_count(0)

    # Export: the teacher downloads the group plan row.
    teacher.get_by_role("link", name="Naar de samenvatting voor je groepsplan").click()
    shoot(teacher, "9-summary-teacher")
    with teacher.expect_download() as download:
        teacher.get_by_role("link", name="Word (.docx)").click()
    assert download.value.suggested_filename.endswith(".docx")

    foreign = [
        url
        for url in requested
        if not url.startswith((server.url, server.url.replace("http", "ws", 1)))
    ]
    assert not foreign, foreign
    assert requested, "no requests recorded"
    assert not devices.errors, "\n".join(devices.errors)


def csrf(page: Page) -> str:
    return re.search(r'"X-CSRFToken": "([^"]+)"', page.locator("body").get_attribute("hx-headers"))[
        1
    ]
