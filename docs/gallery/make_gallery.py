"""Screenshots of every stage on a phone and the teacher's laptop, for docs/gallery/.

Run from the repository root: `python docs/gallery/make_gallery.py`. It starts a real server on
a throw-away SQLite file, plays a whole meeting in Debian's Chromium through the visible Dutch
labels, and writes small palette PNGs next to this file. Not part of the test suite.
"""

import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_ARGS, PHONE, chromium_path  # noqa: E402
from tests.live_server import LiveServer  # noqa: E402

OUT = Path(__file__).resolve().parent
LIMIT = 150_000  # bytes per image
expect.set_options(timeout=10_000)  # a first save on a cold server may take a while
LAPTOP = {"viewport": {"width": 1280, "height": 720}}
PREPARATION = (
    "Noor is sinds de herfstvakantie vaak stil en haakt af bij rekenen. Ik wil haar nu "
    "helpen, voordat de Cito-toetsen in januari komen.",
    "Ze begint niet aan zelfstandig werk, kijkt rond, vraagt niets. Tafels van 6 t/m 9 "
    "zitten er nog niet in. Huilt soms als een som niet lukt.",
    "Faalangst? Instructie in de grote groep gaat te snel voor haar. Thuis is er een "
    "broertje geboren; moeder werkt meer.",
    "Bij taal en lezen gaat het goed, ze leest graag voor aan de kleuters. Noor zegt zelf: "
    "'Rekenen is stom, ik kan het toch niet.'",
    "Moeder herkent het: thuis wil ze niet oefenen. Vader denkt dat het vanzelf overgaat.",
    "Hoe krijg ik haar zover dat ze zelf begint? Hoe bouw ik de tafels op zonder dat het "
    "weer 'rekenen' voelt?",
    "Dat Noor zelfstandig aan haar rekentaak begint en weer durft te vragen.",
    "Meedenken en concrete tips die in een groep van 28 haalbaar zijn.",
)
COLLEAGUES = ("Fatima", "Joost", "Ilse", "Mehmet", "Lotte")
QUESTIONS = (
    "Bij welke rekenonderdelen loopt ze vast?",
    "Hoe lang kan ze zich concentreren op een taak?",
    "Werkt ze beter naast een bepaald kind?",
    "Wat doet ze als ze iets niet snapt?",
    "Zit ze bij de verlengde instructie?",
    "Hoe reageert ze op een compliment?",
    "Is er iets veranderd sinds groep 4?",
    "Oefent ze thuis met een app?",
    "Wat zegt de IB'er erover?",
    "Hoe gaat het op het plein?",
    "Gebruikt ze een stappenplan?",
    "Wanneer lukt het wél?",
)
GOAL = "Noor begint binnen vijf minuten zelfstandig aan haar rekentaak, vier dagen per week"
NEEDS = (
    ("Instructie", "verlengde instructie aan de instructietafel"),
    ("Instructie", "voordoen met materiaal (MAB, getallenlijn) voordat ze zelf gaat"),
    ("Instructie", "korte instructie"),
    ("Opdrachten en activiteiten", "een taakkaart met drie kleine stappen en afvinkvakjes"),
    ("Opdrachten en activiteiten", "tafels oefenen in een spel, niet op een werkblad"),
    ("Feedback", "een compliment op inzet, niet alleen op het antwoord"),
    ("Feedback", "directe feedback na de eerste drie sommen zodat ze weet dat ze goed zit"),
    ("Leerkracht", "een vast check-in moment"),
    ("Leerkracht", "een leerkracht die haar 's ochtends even persoonlijk begroet"),
    ("Groepsgenoten", "een maatje dat ze om hulp mag vragen voordat ze naar de juf gaat"),
    ("Groepsgenoten", "samenwerken in een tweetal"),
    ("Ouders", "ouders die thuis vijf minuten per dag de tafels oefenen met een spelletje"),
    ("Ouders", "een wekelijks kort bericht naar huis over wat wél lukte"),
    ("Anders", "een time-timer op haar tafel"),
)
AGREEMENTS = (
    ("parents", "Moeder krijgt een telefoontje over het plan", "Sanne", "vrijdag"),
    ("pupil", "Noor kiest zelf haar maatje en tekent haar taakkaart", "Sanne", "maandag"),
    ("colleagues", "De IB'er kijkt mee tijdens de rekenles", "Fatima", "over drie weken"),
    ("colleagues", "Invallers lezen het plan in de klassenmap", "Joost", ""),
    ("other", "Time-timer lenen uit groep 3", "Ilse", "morgen"),
)


def save(page: Page, name: str, *, full_page: bool = False) -> None:
    """A palette PNG, small enough for the repository."""
    raw = OUT / f"{name}.raw.png"
    page.wait_for_timeout(400)  # let htmx swaps and transitions settle
    # What a person sees on arriving at the stage: the top of the page, no focus ring.
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    page.screenshot(path=str(raw), full_page=full_page)
    target = OUT / f"{name}.png"
    with Image.open(raw) as image:
        for colors in (64, 32, 16):  # fewer colours until it is small enough; text stays sharp
            image.convert("RGB").quantize(colors=colors).save(target, optimize=True)
            if target.stat().st_size < LIMIT:
                break
    raw.unlink()
    print(name)


def next_step(keeper: Page, everyone: list[Page], title: str) -> None:
    keeper.get_by_role("button", name="Volgende stap →").click()
    for page in everyone:
        expect(page.locator("#step-title")).to_have_text(title)


def play(browser, url: str) -> None:
    def open_page(kind: dict) -> Page:
        context = browser.new_context(base_url=url, locale="nl-NL", **kind)
        context.set_default_timeout(10_000)
        return context.new_page()

    teacher = open_page(LAPTOP)
    phones = [open_page(PHONE) for _ in COLLEAGUES]
    colleague, keeper = phones[0], phones[1]
    everyone = [teacher, *phones]

    teacher.goto("/")
    teacher.get_by_label("Voornaam of initialen van de leerling").fill("Noor")
    teacher.get_by_label("Groep", exact=True).fill("5")
    teacher.get_by_label("Plaats (mag leeg)").fill("de teamkamer")
    teacher.get_by_label("Jouw naam, zoals collega's je zien (mag leeg)").fill("Sanne")
    teacher.get_by_role("button", name="Bijeenkomst aanmaken").click()
    expect(teacher.get_by_role("heading", name="Voorbereiding")).to_be_visible()
    fields = teacher.locator(".prep-form textarea")
    for index, answer in enumerate(PREPARATION):
        with teacher.expect_response(lambda response: response.request.method == "POST"):
            fields.nth(index).fill(answer)
    teacher.reload()  # what was saved, as the teacher finds it again
    for index, answer in enumerate(PREPARATION):
        expect(fields.nth(index)).to_have_value(answer)
    save(teacher, "laptop-0-preparation")
    teacher.get_by_role("button", name="Lobby openen").click()
    expect(teacher.get_by_role("heading", name="Lobby")).to_be_visible()
    code = teacher.locator(".join-code").inner_text()
    for phone, name in zip(phones, COLLEAGUES, strict=True):
        phone.goto("/")
        phone.get_by_label("Code").fill(code)
        phone.get_by_role("button", name="Meedoen").click()
        phone.get_by_label("Jouw naam").fill(name)
        phone.get_by_role("button", name="Naar binnen").click()
        expect(phone.get_by_role("heading", name="Je bent binnen")).to_be_visible()
    teacher.get_by_label("Tijdbewaker", exact=True).select_option(label=COLLEAGUES[1])
    teacher.get_by_role("button", name="Aanwijzen").click()
    expect(
        keeper.locator(".tk-only").get_by_role("button", name="Start de intervisie")
    ).to_be_visible()
    save(teacher, "laptop-1-lobby")
    save(colleague, "phone-1-lobby")
    save(keeper, "phone-timekeeper-1-lobby")

    keeper.get_by_role("button", name="Start de intervisie (stap 1)").click()
    for page in everyone:
        expect(page.locator("#step-title")).to_have_text("De inbrenger licht de vraag toe")
    save(teacher, "laptop-2-step1-explain")
    save(colleague, "phone-2-step1-explain")

    next_step(keeper, everyone, "Verhelderende vragen")
    for index, question in enumerate(QUESTIONS):
        phone = phones[index % len(phones)]
        phone.get_by_label("Een verhelderende vraag").fill(question)
        phone.get_by_role("button", name="Vraag plaatsen").click()
        expect(teacher.locator("#questions")).to_contain_text(question)
    for _ in range(4):
        teacher.get_by_role("button", name="Beantwoord", exact=True).first.click()
        teacher.wait_for_timeout(300)
    save(teacher, "laptop-3-step2-questions")
    save(colleague, "phone-3-step2-questions")

    next_step(keeper, everyone, "De inbrenger formuleert het doel")
    teacher.get_by_label("Het doel in één zin").fill(
        "Het verbeteren van de werkhouding bij rekenen"
    )
    expect(teacher.locator(".goal-form .save-state").first).to_have_text("Opgeslagen")
    phones[2].get_by_label("Stel een formulering voor").fill(GOAL)
    phones[2].get_by_role("button", name="Suggestie sturen").click()
    expect(teacher.get_by_role("button", name="Overnemen")).to_be_visible()
    save(teacher, "laptop-4-step3-goal")
    save(colleague, "phone-4-step3-goal")
    teacher.get_by_role("button", name="Overnemen").click()
    for page in everyone:
        expect(page.locator("#goal .goal-text")).to_have_text(GOAL)

    next_step(keeper, everyone, "Collega's formuleren onderwijsbehoeften")
    for index, (category, need) in enumerate(NEEDS):
        phone = phones[index % len(phones)]
        phone.get_by_label("Om dit doel te halen heeft deze leerling …").fill(need)
        phone.get_by_role("radio", name=category, exact=True).check()
        phone.get_by_role("button", name="Kaartje plaatsen").click()
        expect(teacher.locator("#needs")).to_contain_text(need)
    save(teacher, "laptop-5-step4-needs")
    save(colleague, "phone-5-step4-needs")
    save(colleague, "phone-5-step4-needs-full", full_page=True)
    save(keeper, "phone-timekeeper-5-step4-needs")

    next_step(keeper, everyone, "De inbrenger kiest wat haalbaar is")
    cards = teacher.locator("#needs li.need")
    for index in (0, 3, 5, 9, 13):
        card = cards.nth(index)
        card.get_by_label("Haalbaar", exact=True).check()
        card.get_by_label("Hoe vaak per week").fill(str(2 + index % 3))
        card.get_by_label("Hoe vaak per week").press("Tab")
    for index in (2, 11):
        cards.nth(index).get_by_label("Niet nu").check()
    teacher.get_by_label("Wat heb jij nodig om dit waar te maken?").fill(
        "Tien minuten per week met de IB'er om te kijken of de taakkaart werkt."
    )
    teacher.get_by_label("Hoe komt het in je groepsoverzicht en groepsplan?").fill(
        "Noor komt in de verlengde-instructiegroep rekenen; evaluatie na zes weken."
    )
    teacher.get_by_label("Hoe komt het in je groepsoverzicht en groepsplan?").press("Tab")
    expect(colleague.locator("#support")).to_contain_text("IB'er")
    save(teacher, "laptop-6-step5-feasible")
    save(colleague, "phone-6-step5-feasible")

    next_step(keeper, everyone, "Afspraken")
    for index, (topic, what, who, when) in enumerate(AGREEMENTS):
        phone = phones[index % len(phones)]
        phone.get_by_label("Onderwerp").select_option(topic)
        phone.get_by_label("Wat spreken we af?").fill(what)
        phone.get_by_label("Wie?").fill(who)
        phone.get_by_label("Wanneer?").fill(when)
        phone.get_by_role("button", name="Afspraak toevoegen").click()
        expect(teacher.locator("#agreements")).to_contain_text(what)
    save(teacher, "laptop-7-step6-agreements")
    save(colleague, "phone-7-step6-agreements")

    next_step(keeper, everyone, "Opbrengst")
    for voter, worth in zip(everyone, ("Ja", "Ja", "Ja", "Nee", "Ja", "Ja"), strict=True):
        voter.get_by_label(worth, exact=True).check()
        voter.get_by_role("button", name="Stemmen").click()
        expect(voter.get_by_text("Je stem is opgeslagen.")).to_be_visible()
    save(teacher, "laptop-8-step7-yield")
    save(colleague, "phone-8-step7-yield")

    keeper.get_by_role("button", name="Bijeenkomst afsluiten").click()
    keeper.get_by_role("dialog", name="Bijeenkomst afsluiten?").get_by_role(
        "button", name="Ja, afsluiten"
    ).click()
    for page in everyone:
        expect(page.get_by_role("heading", name="De intervisie is afgesloten")).to_be_visible()
    save(teacher, "laptop-9-closed")
    save(colleague, "phone-9-closed-takeaway")
    save(colleague, "phone-9-closed-takeaway-full", full_page=True)

    teacher.get_by_role("link", name="Naar de samenvatting voor je groepsplan").click()
    save(teacher, "laptop-10-summary")
    save(teacher, "laptop-10-summary-full", full_page=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        server = LiveServer(
            f"sqlite:///{folder}/gallery.sqlite3",
            SOCKETIO_MESSAGE_QUEUE="",
            RATELIMIT_ENABLED="0",
            PUBLIC_URL="https://intervisie.school.example",  # links as a school would show them
        )
        server.migrate()
        server.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium_path(), args=CHROMIUM_ARGS
                )
                play(browser, server.url)
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
