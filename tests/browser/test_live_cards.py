"""A new card is appended on every screen on its own: into its category's list, shown even
while a colleague has her own card's editor open, and never twice."""

import pytest
from playwright.sync_api import Page, expect

from .test_devices import team_in_step_4

pytestmark = pytest.mark.browser
PROMPT = "Om dit doel te halen heeft deze leerling …"


def add_card(phone: Page, text: str, category: str) -> None:
    form = phone.locator("form.need-form")  # a card's editor has a "Soort behoefte" too
    form.get_by_label(PROMPT).fill(text)
    form.get_by_role("radio", name=category).check()
    form.get_by_role("button", name="Kaartje plaatsen").click()
    # The server answers 204; the page empties the form for the next card (a new client key).
    expect(form.get_by_label(PROMPT)).to_have_value("")


def test_a_new_card_lands_in_its_group_while_a_colleague_edits_her_own(devices, demo):
    teacher, anna, bram = team_in_step_4(devices, demo)
    expect(anna.locator("#needs-title")).to_have_text("Onderwijsbehoeften (0)")
    expect(anna.locator("#need-list-feedback")).to_be_hidden()  # an empty category

    add_card(anna, "korte instructie aan de instructietafel", "Instructie")
    expect(bram.locator("#need-list-instructie li")).to_have_count(1)
    # Anna opens her card's editor and starts typing (she will not save it).
    anna.locator("#needs .mine").get_by_role("button", name="Aanpassen").click()
    editor = anna.locator("#needs details.editor textarea")
    editor.fill("korte instructie vooraf aan de instructietafel")

    add_card(bram, "elke dag een compliment over zijn inzet", "Feedback")
    for page in (teacher, anna, bram):
        expect(page.locator("#needs-title")).to_have_text("Onderwijsbehoeften (2)")
        expect(page.locator("#need-list-feedback")).to_be_visible()
        expect(page.locator("#need-list-feedback .card-text")).to_have_text(
            "elke dag een compliment over zijn inzet"
        )
    # Bram rewrites his card (the whole list is pushed: Anna's copy waits while she edits),
    # then adds another one (appended at once, past the list that waits).
    bram.locator("#needs .mine").get_by_role("button", name="Aanpassen").click()
    bram.locator("#needs details.editor textarea").fill("elke ochtend een compliment")
    bram.locator("#needs details.editor").get_by_role("button", name="Opslaan").click()
    expect(teacher.locator("#need-list-feedback")).to_contain_text("elke ochtend een compliment")
    add_card(bram, "een vaste plek naast een rustig maatje", "Groepsgenoten")
    expect(anna.locator("#need-list-groepsgenoten")).to_contain_text("een vaste plek naast")
    expect(anna.locator("#needs-title")).to_have_text("Onderwijsbehoeften (3)")
    # Her editor stayed open with what she typed.
    expect(editor).to_have_value("korte instructie vooraf aan de instructietafel")

    # She closes the editor without saving: her screen catches up with all three cards.
    anna.locator("#needs details.editor summary").click()
    expect(anna.locator("#needs")).to_contain_text("elke ochtend een compliment")
    for page in (teacher, anna, bram):
        expect(page.locator("#needs li.need")).to_have_count(3)
        expect(page.locator("#needs")).to_contain_text("korte instructie aan de instructietafel")
    anna.reload()
    expect(anna.locator("#needs li.need")).to_have_count(3)
    expect(anna.locator("#needs .mine")).to_have_count(1)
