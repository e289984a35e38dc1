"""One device at a time in Chromium: a phone that drops Wi-Fi, the bytes a phone downloads,
accessibility (axe-core) on every screen of every role, the keyboard, the room screen's size."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import AXE, shoot

pytestmark = pytest.mark.browser
MAX_JOIN_BYTES = 60 * 1024


def join(phone: Page, join_url: str, name: str) -> None:
    phone.goto(join_url)
    phone.get_by_label("Jouw naam").fill(name)
    phone.get_by_role("button", name="Naar binnen").click()
    expect(phone.locator("[data-connection]")).to_have_text("live")


def go_to_step(teacher: Page, number: int) -> None:
    """The teacher may always run the steps; click on until step `number` shows."""
    if teacher.locator("#step-title").count() == 0:
        teacher.get_by_role("button", name="Start de intervisie (stap 1)").click()
        expect(teacher.locator(".step-number")).to_have_text("Stap 1 van 7")
    current = int(re.search(r"\d", teacher.locator(".step-number").inner_text())[0])
    for step in range(current + 1, number + 1):
        teacher.get_by_role("button", name="Volgende stap →").click()
        expect(teacher.locator(".step-number")).to_have_text(f"Stap {step} van 7")


def test_a_phone_downloads_at_most_60_kb_to_join_and_see_the_lobby(devices, demo):
    phone = devices.phone()
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("Network.enable")
    received: list[int] = []
    cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))

    join(phone, demo["join_url"], "Anna")
    expect(phone.get_by_role("heading", name="Je bent binnen")).to_be_visible()
    phone.wait_for_load_state("networkidle")

    total = sum(received)
    print(f"\nphone join + lobby: {total / 1024:.1f} KB over {len(received)} responses (gzip)")
    assert total <= MAX_JOIN_BYTES, f"{total} bytes"


def team_in_step_4(devices, demo) -> tuple[Page, Page, Page]:
    """The teacher's laptop and two phones (Anna, Bram) in the demo meeting, at step 4."""
    teacher = devices.teacher()
    teacher.goto(demo["teacher_url"])
    anna, bram = devices.phone(), devices.phone()
    join(anna, demo["join_url"], "Anna")
    join(bram, demo["join_url"], "Bram")
    go_to_step(teacher, 4)
    return teacher, anna, bram


def test_an_offline_phone_keeps_its_card_and_sends_it_once_when_back(devices, demo):
    teacher, anna, bram = team_in_step_4(devices, demo)
    expect(anna.locator("#step-title")).to_have_text("Collega's formuleren onderwijsbehoeften")

    anna.context.set_offline(True)
    anna.get_by_label("Om dit doel te halen heeft deze leerling …").fill("rustige werkplek")
    anna.get_by_role("radio", name="Anders").check()
    anna.get_by_role("button", name="Kaartje plaatsen").click()
    expect(anna.locator("[data-draft-state]")).to_contain_text("bewaard")
    stored = anna.evaluate("Object.keys(localStorage).filter(k => k.includes(':need'))")
    assert stored, "the draft is not in localStorage"
    shoot(anna, "offline-phone-draft")

    # While Anna is offline, Bram adds a card.
    bram.get_by_label("Om dit doel te halen heeft deze leerling …").fill("vaste maatje")
    bram.get_by_role("radio", name="Groepsgenoten").check()
    bram.get_by_role("button", name="Kaartje plaatsen").click()
    expect(teacher.locator("#needs li.need")).to_have_count(1)

    anna.context.set_offline(False)
    for page in (teacher, anna, bram):
        expect(page.locator("#needs")).to_contain_text("rustige werkplek", timeout=10_000)
        expect(page.locator("#needs")).to_contain_text("vaste maatje")
    expect(anna.locator("[data-draft-state]")).to_have_text("")
    anna.wait_for_timeout(1_500)  # a second resend would have landed by now
    expect(teacher.locator("#needs li.need")).to_have_count(2)
    expect(teacher.locator("#needs-title")).to_have_text("Onderwijsbehoeften (2)")

    # A reload in the middle of the step shows the current state and an empty form.
    anna.reload()
    expect(anna.locator("#needs-title")).to_have_text("Onderwijsbehoeften (2)")
    expect(anna.get_by_label("Om dit doel te halen heeft deze leerling …")).to_have_value("")
    expect(anna.locator("#needs .mine")).to_have_count(1)


def axe_violations(page: Page) -> list[dict]:
    if page.evaluate("typeof axe === 'undefined'"):  # once per document; swaps keep it
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def test_every_screen_of_every_role_passes_axe(devices, demo, server):
    """The axe contexts bypass our CSP to inject the checker; nothing else does."""
    teacher = devices.teacher(bypass_csp=True)
    phone = devices.phone(bypass_csp=True)
    screen = devices.screen(bypass_csp=True)
    found: dict[str, list] = {}

    def check(page: Page, name: str) -> None:
        if violations := axe_violations(page):
            found[name] = violations

    phone.goto(server.url)
    check(phone, "home")
    phone.goto(demo["prep_url"])
    check(phone, "preparation")
    teacher.goto(demo["teacher_url"])
    screen.goto(demo["screen_url"])
    phone.goto(demo["join_url"])
    check(phone, "join")
    join(phone, demo["join_url"], "Anna")
    for page, role in ((teacher, "teacher"), (phone, "colleague"), (screen, "screen")):
        check(page, f"lobby-{role}")
    for step in range(1, 8):
        go_to_step(teacher, step)
        for page, role in ((teacher, "teacher"), (phone, "colleague"), (screen, "screen")):
            expect(page.locator(".step-number")).to_have_text(f"Stap {step} van 7")
            check(page, f"step{step}-{role}")
    teacher.get_by_role("button", name="Bijeenkomst afsluiten").click()
    check(teacher, "close-confirmation")
    teacher.get_by_role("button", name="Ja, afsluiten").click()
    for page, role in ((teacher, "teacher"), (phone, "colleague"), (screen, "screen")):
        expect(page.get_by_role("heading", name="De intervisie is afgesloten")).to_be_visible()
        check(page, f"closed-{role}")
    teacher.get_by_role("link", name="Naar de samenvatting voor je groepsplan").click()
    check(teacher, "summary")

    assert not found, json.dumps(found, indent=1)


def test_the_room_screen_is_readable_from_the_back_of_the_room(devices, demo):
    teacher = devices.teacher()
    teacher.goto(demo["teacher_url"])
    screen = devices.screen()
    screen.goto(demo["screen_url"])
    go_to_step(teacher, 1)
    expect(screen.locator(".step-number")).to_have_text("Stap 1 van 7")

    def size(selector: str) -> float:
        return screen.locator(selector).first.evaluate(
            "el => parseFloat(getComputedStyle(el).fontSize)"
        )

    # The smallest content type is 2.4% of the screen's height (26 px on 1080p): see
    # test_room_screen.py, which measures it on every stage with a full meeting.
    body_sizes = [size(s) for s in (".step-asks", "#stage p")]
    assert min(body_sizes) >= 0.024 * 1080, body_sizes
    assert size("[data-clock-value]") >= 0.06 * 1080, size("[data-clock-value]")


def tab_to(page: Page, target, limit: int = 80) -> None:
    """Press Tab until the target has the focus: it is reachable without a mouse."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{target} is not reachable with Tab")


def test_the_teacher_runs_a_step_and_a_form_by_keyboard_alone(devices, demo):
    teacher = devices.teacher()
    teacher.goto(demo["teacher_url"])
    expect(teacher.locator("[data-connection]")).to_have_text("live")

    tab_to(teacher, teacher.get_by_role("button", name="Start de intervisie (stap 1)"))
    teacher.keyboard.press("Enter")
    expect(teacher.locator(".step-number")).to_have_text("Stap 1 van 7")
    for step in (2, 3, 4, 5, 6):
        tab_to(teacher, teacher.get_by_role("button", name="Volgende stap →"))
        teacher.keyboard.press("Enter")
        expect(teacher.locator(".step-number")).to_have_text(f"Stap {step} van 7")

    tab_to(teacher, teacher.get_by_label("Onderwerp"))
    teacher.keyboard.press("ArrowDown")
    tab_to(teacher, teacher.get_by_label("Wat spreken we af?"))
    teacher.keyboard.type("Thomas kiest zelf zijn maatje")
    tab_to(teacher, teacher.get_by_role("button", name="Afspraak toevoegen"))
    teacher.keyboard.press("Enter")
    expect(teacher.locator("#agreements")).to_contain_text("Thomas kiest zelf zijn maatje")


def test_english_only_by_the_switch_and_in_pushes_too(devices, demo):
    """A phone that prefers English joins the Dutch meeting in Dutch; its switch gives it
    English, remembered, and pushed fragments come in each device's own language."""
    teacher = devices.teacher()
    teacher.goto(demo["teacher_url"])
    phone = devices.phone(locale="en-GB")
    phone.goto(demo["join_url"])
    expect(phone.locator("html")).to_have_attribute("lang", "nl")
    expect(phone.get_by_label("Jouw naam")).to_be_visible()
    phone.get_by_role("link", name="English").click()
    phone.get_by_label("Your name").fill("Anna")
    phone.get_by_role("button", name="Go in").click()
    expect(phone.get_by_role("heading", name="You are in")).to_be_visible()
    expect(phone.locator("[data-connection]")).to_have_text("live")

    go_to_step(teacher, 1)
    expect(phone.locator(".step-number")).to_have_text("Step 1 of 7")
    expect(phone.locator("#step-title")).to_have_text(
        "The presenting teacher explains the question"
    )
    expect(teacher.locator(".step-number")).to_have_text("Stap 1 van 7")
    shoot(phone, "english-phone-step1")

    teacher.get_by_role("link", name="English").click()
    expect(teacher.locator(".step-number")).to_have_text("Step 1 of 7")
    expect(teacher.locator("html")).to_have_attribute("lang", "en")
    teacher.get_by_role("button", name="Next step →").click()
    expect(teacher.locator("#step-title")).to_have_text("Clarifying questions")
    expect(phone.locator("#step-title")).to_have_text("Clarifying questions")
    teacher.get_by_role("link", name="Nederlands").click()
    expect(teacher.locator("#step-title")).to_have_text("Verhelderende vragen")
