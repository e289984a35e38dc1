"""The frictions of a real meeting, in Chromium: step 3 in two minutes (the sentence first,
the parts folded, a suggestion adopted into the sentence), category chips with no default,
and closing or withdrawing only after an in-page confirmation."""

import pytest
from playwright.sync_api import Page, expect

from .conftest import shoot
from .test_devices import go_to_step, join, team_in_step_4

pytestmark = pytest.mark.browser
PROMPT = "Om dit doel te halen heeft deze leerling …"
SUGGESTION = (
    "Thomas blijft op drie ochtenden per week vier minuten in de kring; evaluatie na zes weken."
)


def test_step_3_takes_a_sentence_and_adopts_a_suggestion_into_it(devices, demo):
    teacher = devices.teacher()
    teacher.goto(demo["teacher_url"])
    anna = devices.phone()
    join(anna, demo["join_url"], "Anna")
    go_to_step(teacher, 3)

    sentence = teacher.get_by_label("Het doel in één zin")
    expect(sentence).to_be_visible()
    expect(teacher.get_by_text("Bijvoorbeeld: Thomas blijft")).to_be_visible()
    parts = teacher.get_by_text("Onderdelen uitwerken (mag, hoeft niet)")
    expect(teacher.get_by_label("Hoe lang?")).to_be_hidden()
    shoot(teacher, "step3-folded-teacher")
    parts.click()
    expect(teacher.get_by_label("Hoe lang?")).to_be_visible()
    expect(teacher.get_by_label("Wanneer evalueer je?")).to_be_visible()
    parts.click()
    expect(teacher.get_by_label("Hoe lang?")).to_be_hidden()

    sentence.fill("Thomas werkt beter mee in de kring")
    expect(teacher.locator(".goal-form .save-state").first).to_have_text("Opgeslagen")
    expect(anna.locator(".goal-check h3")).to_have_text("Doelcheck: maak het nog concreter")

    anna.get_by_label("Stel een formulering voor").fill(SUGGESTION)
    anna.get_by_role("button", name="Suggestie sturen").click()
    teacher.get_by_role("button", name="Overnemen").click()

    expect(sentence).to_have_value(SUGGESTION)
    for page in (teacher, anna):
        expect(page.locator("#goal .goal-text")).to_have_text(SUGGESTION)
        expect(page.locator(".goal-check")).to_contain_text("Doelcheck: concreet en meetbaar.")
        expect(page.locator(".goal-check")).to_contain_text("Evaluatiemoment: na zes weken")
    shoot(teacher, "step3-adopted-teacher")
    teacher.reload()
    expect(teacher.get_by_label("Het doel in één zin")).to_have_value(SUGGESTION)


def test_a_card_needs_a_chosen_category_chip(devices, demo):
    teacher, anna, _ = team_in_step_4(devices, demo)
    form = anna.locator("form.need-form")
    chips = form.get_by_role("radio")
    expect(chips).to_have_count(7)
    for index in range(7):
        expect(chips.nth(index)).not_to_be_checked()

    form.get_by_label(PROMPT).fill("een vaste plek dicht bij de juf")
    form.get_by_role("button", name="Kaartje plaatsen").click()
    anna.wait_for_timeout(500)
    expect(teacher.locator("#needs li.need")).to_have_count(0)  # the browser asks for a chip

    form.get_by_role("radio", name="Anders").check()
    shoot(anna, "need-form-chips-phone", full_page=False)
    form.get_by_role("button", name="Kaartje plaatsen").click()
    expect(teacher.locator("#need-list-anders")).to_contain_text("een vaste plek dicht bij de juf")
    expect(anna.locator("form.need-form").get_by_role("radio", name="Anders")).not_to_be_checked()


def test_withdrawing_a_card_asks_first(devices, demo):
    teacher, anna, _ = team_in_step_4(devices, demo)
    form = anna.locator("form.need-form")
    form.get_by_label(PROMPT).fill("korte instructie aan de instructietafel")
    form.get_by_role("radio", name="Instructie").check()
    form.get_by_role("button", name="Kaartje plaatsen").click()
    expect(teacher.locator("#needs li.need")).to_have_count(1)

    anna.locator("#needs .mine").get_by_role("button", name="Aanpassen").click()
    anna.get_by_role("button", name="Kaartje intrekken…").click()
    dialog = anna.get_by_role("dialog", name="Kaartje intrekken?")
    expect(dialog).to_be_visible()
    shoot(anna, "withdraw-confirmation-phone", full_page=False)
    dialog.get_by_role("button", name="Nee, bewaren").click()
    expect(dialog).to_be_hidden()
    expect(teacher.locator("#needs li.need")).to_have_count(1)

    anna.get_by_role("button", name="Kaartje intrekken…").click()
    dialog.get_by_role("button", name="Ja, intrekken").click()
    for page in (teacher, anna):
        expect(page.locator("#needs li.need")).to_have_count(0)
    expect(dialog).to_have_count(0)


def close_confirmation(page: Page):
    page.get_by_role("button", name="Bijeenkomst afsluiten").click()
    dialog = page.get_by_role("dialog", name="Bijeenkomst afsluiten?")
    expect(dialog).to_be_visible()
    return dialog


def test_closing_the_meeting_asks_first(devices, demo):
    teacher = devices.teacher()
    teacher.goto(demo["teacher_url"])
    anna = devices.phone()
    join(anna, demo["join_url"], "Anna")
    go_to_step(teacher, 7)

    dialog = close_confirmation(teacher)
    shoot(teacher, "close-confirmation-teacher", full_page=False)
    dialog.get_by_role("button", name="Nee, nog niet").click()
    expect(dialog).to_be_hidden()
    teacher.wait_for_timeout(300)
    expect(anna.locator(".step-number")).to_have_text("Stap 7 van 7")

    teacher.keyboard.press("Escape")
    close_confirmation(teacher).get_by_role("button", name="Ja, afsluiten").click()
    for page in (teacher, anna):
        expect(page.get_by_role("heading", name="De intervisie is afgesloten")).to_be_visible()
    assert not devices.errors, "\n".join(devices.errors)


def test_a_two_word_first_name_is_confirmed_and_the_group_reads_once(devices):
    teacher = devices.teacher()
    teacher.goto("/")
    teacher.get_by_label("Voornaam of initialen van de leerling").fill("Mohammed Ali")
    teacher.get_by_label("Groep", exact=True).fill("groep 4")
    teacher.get_by_role("button", name="Bijeenkomst aanmaken").click()

    expect(teacher.get_by_role("alert")).to_contain_text("'Mohammed Ali' één voornaam")
    shoot(teacher, "two-names-asked-teacher")
    teacher.get_by_label("Ja, dit is één voornaam (geen achternaam)").check()
    teacher.get_by_role("button", name="Bijeenkomst aanmaken").click()

    expect(teacher.get_by_role("heading", name="Voorbereiding")).to_be_visible()
    expect(teacher.locator(".topbar .case")).to_have_text("Mohammed Ali · groep 4")
    expect(teacher.locator(".topbar .whoami")).to_have_text("Leerkracht van Mohammed Ali")
