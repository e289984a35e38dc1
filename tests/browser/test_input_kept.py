"""A push never wipes what a person typed or chose and has not saved yet, in any form: the
page keeps the input and shows the pushed state around it. And step 5: every choice is saved
the moment it is made, by keyboard, in one compact list.

Unsaved input is made the way it happens in a school: the device's save does not get
through (its request fails), or the person is still typing, or has an editor open."""

import re
import time

import pytest
from playwright.sync_api import Page, expect

from .conftest import shoot
from .test_devices import go_to_step, join, team_in_step_4

pytestmark = pytest.mark.browser


def saves_fail(page: Page, path: str) -> None:
    """This device's saves to `path` (e.g. "notes") do not get through from now on."""
    page.route(re.compile(rf"/m/[^/]+/{path}$"), lambda route: route.abort())


def type_unsaved(page: Page, field, text: str) -> None:
    """Type into an autosaved field whose save fails, then leave the field."""
    with page.expect_event("requestfailed"):
        field.fill(text)
    field.blur()


def csrf(page: Page) -> str:
    headers = page.locator("body").get_attribute("hx-headers")
    return re.search(r'"X-CSRFToken": "([^"]+)"', headers)[1]


def post_cards(phone: Page, texts: list[str], category: str = "instructie") -> None:
    """Cards as the phone's form sends them (quicker than typing eleven of them)."""
    token = csrf(phone)
    for number, text in enumerate(texts):
        response = phone.request.post(
            f"{phone.url}/needs",
            form={"text": text, "category": category, "client_key": f"k{number}-{text[:8]}"},
            headers={"HX-Request": "true", "X-CSRFToken": token},
        )
        assert response.ok, response.text()


def second_teacher_device(devices, demo) -> Page:
    """The teacher's link opened on a second device (her tablet, or a colleague's laptop)."""
    other = devices.teacher()
    other.goto(demo["teacher_url"])
    expect(other.locator("[data-connection]")).to_have_text("live")
    return other


def test_typed_preparation_answers_survive_the_other_devices_answers(devices, demo):
    laptop = devices.teacher()
    laptop.goto(demo["teacher_url"])
    tablet = second_teacher_device(devices, demo)
    for page in (laptop, tablet):
        page.get_by_text("Voorbereiding nog aanpassen").click()

    saves_fail(laptop, "prep")
    type_unsaved(laptop, laptop.locator("#prep-questions"), "Wat werkt bij de overgang?")
    tablet.locator("#prep-aim").fill("Een aanpak voor de kring")
    expect(tablet.locator("#prep-aim-state")).to_have_text("Opgeslagen")

    expect(laptop.locator("#prep-aim")).to_have_value("Een aanpak voor de kring")
    expect(laptop.locator("#prep-questions")).to_have_value("Wat werkt bij de overgang?")


def test_a_typed_goal_survives_a_suggestion_adopted_on_the_other_device(devices, demo):
    laptop = devices.teacher()
    laptop.goto(demo["teacher_url"])
    anna = devices.phone()
    join(anna, demo["join_url"], "Anna")
    go_to_step(laptop, 3)
    tablet = second_teacher_device(devices, demo)
    anna.get_by_label("Stel een formulering voor").fill("Thomas zit vier minuten stil")
    anna.get_by_role("button", name="Suggestie sturen").click()

    saves_fail(laptop, "goal")
    sentence = laptop.get_by_label("Het doel in één zin")
    type_unsaved(laptop, sentence, "Thomas blijft drie ochtenden per week zitten")
    tablet.get_by_role("button", name="Overnemen").click()

    expect(laptop.locator("#goal .goal-text")).to_have_text("Thomas zit vier minuten stil")
    expect(laptop.locator("#goal")).to_contain_text("overgenomen")
    expect(sentence).to_have_value("Thomas blijft drie ochtenden per week zitten")


def test_typed_notes_and_support_survive_the_other_devices_saves(devices, demo):
    laptop = devices.teacher()
    laptop.goto(demo["teacher_url"])
    go_to_step(laptop, 5)
    tablet = second_teacher_device(devices, demo)

    saves_fail(laptop, "notes")
    saves_fail(laptop, "support")
    notes = laptop.get_by_label("Mijn aantekeningen (alleen voor jou)")
    support = laptop.get_by_label("Wat heb jij nodig om dit waar te maken?")
    type_unsaved(laptop, notes, "Ouders bellen over de kring")
    type_unsaved(laptop, support, "Een half uur met de IB'er")

    tablet.get_by_label("Hoe komt het in je groepsoverzicht en groepsplan?").fill("Subgroep basis")
    expect(tablet.locator("#support-plan_note-state")).to_have_text("Opgeslagen")
    tablet.get_by_label("Mijn aantekeningen (alleen voor jou)").fill("Notitie van de tablet")
    expect(tablet.locator("#notes-notes-state")).to_have_text("Opgeslagen")

    plan = laptop.get_by_label("Hoe komt het in je groepsoverzicht en groepsplan?")
    expect(plan).to_have_value("Subgroep basis")
    expect(support).to_have_value("Een half uur met de IB'er")
    expect(notes).to_have_value("Ouders bellen over de kring")

    # The connection is back: her next keystroke saves, and the tablet shows it.
    laptop.unroute_all()
    notes.press("End")
    notes.type(".")
    expect(tablet.get_by_label("Mijn aantekeningen (alleen voor jou)")).to_have_value(
        "Ouders bellen over de kring."
    )


def test_an_unsaved_mark_survives_a_mark_from_the_other_device(devices, demo):
    laptop, anna, _ = team_in_step_4(devices, demo)
    post_cards(anna, ["een vaste plek", "een maatje in de kring"])
    go_to_step(laptop, 5)
    tablet = second_teacher_device(devices, demo)
    first, second = (laptop.locator("#needs li.need").nth(n) for n in (0, 1))

    saves_fail(laptop, r"needs/\d+/mark")
    with laptop.expect_event("requestfailed"):
        first.get_by_label("Haalbaar").check()
    first.get_by_label("Haalbaar").blur()
    tablet.locator("#needs li.need").nth(1).get_by_label("Niet nu").check()

    expect(second.get_by_label("Niet nu")).to_be_checked()
    expect(first.get_by_label("Haalbaar")).to_be_checked()
    expect(first.get_by_label("Hoe vaak per week")).to_be_visible()


def test_an_open_agreement_editor_keeps_its_text_while_new_agreements_arrive(devices, demo):
    laptop = devices.teacher()
    laptop.goto(demo["teacher_url"])
    anna = devices.phone()
    join(anna, demo["join_url"], "Anna")
    go_to_step(laptop, 6)

    def add(page: Page, what: str) -> None:
        page.get_by_label("Wat spreken we af?").fill(what)
        page.get_by_role("button", name="Afspraak toevoegen").click()

    add(anna, "Ouders krijgen vrijdag een bericht")
    listed = laptop.locator("#agreements li.card-item")
    expect(listed).to_have_count(1)
    first = listed.first
    first.get_by_text("Aanpassen").click()
    what = first.get_by_label("Wat", exact=True)
    what.fill("Ouders krijgen donderdag een bericht")

    add(anna, "Thomas kiest zelf zijn maatje")
    expect(laptop.locator("#agreements")).to_contain_text("Thomas kiest zelf zijn maatje")
    expect(what).to_have_value("Ouders krijgen donderdag een bericht")
    expect(what).to_be_focused()

    first.get_by_role("button", name="Opslaan").click()
    expect(anna.locator("#agreements")).to_contain_text("Ouders krijgen donderdag een bericht")


def test_her_own_card_editor_keeps_the_typing_while_others_change_cards(devices, demo):
    _, anna, bram = team_in_step_4(devices, demo)
    post_cards(anna, ["korte instructie aan de instructietafel"])
    post_cards(bram, ["elke dag een compliment"], category="feedback")
    expect(anna.locator("#needs li.need")).to_have_count(2)

    anna.locator("#needs .mine").get_by_role("button", name="Aanpassen").click()
    editor = anna.locator("#needs details.editor textarea")
    editor.fill("korte instructie vooraf")  # she is still typing: the focus stays here

    bram.locator("#needs .mine").get_by_role("button", name="Aanpassen").click()
    bram.locator("#needs details.editor textarea").fill("elke ochtend een compliment")
    bram.locator("#needs details.editor").get_by_role("button", name="Opslaan").click()

    expect(anna.locator("#need-list-feedback")).to_contain_text("elke ochtend een compliment")
    expect(editor).to_have_value("korte instructie vooraf")
    expect(editor).to_be_focused()
    anna.keyboard.type(" aan de instructietafel")
    anna.locator("#needs details.editor").get_by_role("button", name="Opslaan").click()
    expect(bram.locator("#need-list-instructie")).to_have_text(
        re.compile("korte instructie vooraf aan de instructietafel")
    )


def test_a_push_waits_while_she_answers_the_withdraw_question(devices, demo):
    _, anna, bram = team_in_step_4(devices, demo)
    post_cards(anna, ["korte instructie aan de instructietafel"])
    post_cards(bram, ["elke dag een compliment"], category="feedback")
    anna.locator("#needs .mine").get_by_role("button", name="Aanpassen").click()
    anna.get_by_role("button", name="Kaartje intrekken…").click()
    question = anna.get_by_role("dialog", name="Kaartje intrekken?")
    expect(question).to_be_visible()
    assert question.evaluate("dialog => dialog.matches(':modal')")

    bram.locator("#needs .mine").get_by_role("button", name="Aanpassen").click()
    bram.locator("#needs details.editor textarea").fill("elke ochtend een compliment")
    bram.locator("#needs details.editor").get_by_role("button", name="Opslaan").click()
    expect(bram.locator("#need-list-feedback")).to_contain_text("elke ochtend")
    anna.wait_for_timeout(500)  # the push has arrived: the question is still open, on top
    assert question.evaluate("dialog => dialog.matches(':modal')")

    question.get_by_role("button", name="Nee, bewaren").click()
    expect(anna.locator("#need-list-feedback")).to_contain_text("elke ochtend een compliment")
    expect(anna.locator("#needs .mine")).to_contain_text("korte instructie")


def test_eleven_cards_are_marked_by_keyboard_in_one_compact_list(devices, demo):
    laptop, anna, _ = team_in_step_4(devices, demo)
    laptop.set_viewport_size({"width": 1280, "height": 720})
    needs = [f"Behoefte {n}: korte instructie aan de instructietafel" for n in range(1, 12)]
    post_cards(anna, needs)
    go_to_step(laptop, 5)
    cards = laptop.locator("#needs li.need")
    expect(cards).to_have_count(11)
    shoot(laptop, "laptop-step5-eleven-cards", full_page=False)

    first_choice = cards.first.get_by_label("Haalbaar")
    first_choice.focus()
    presses = 0
    for number in range(11):
        card = cards.nth(number)
        if number % 2 == 0:  # haalbaar, 3× a week: Space, Tab, 3, Tab past subgroup and place
            laptop.keyboard.press("Space")
            expect(card.get_by_label("Hoe vaak per week")).to_be_visible()
            laptop.keyboard.press("Tab")
            laptop.keyboard.type("3")
            keys = ["Tab", "Tab", "Tab"]
        else:  # niet nu: one arrow, and on
            laptop.keyboard.press("ArrowRight")
            keys = ["Tab"]
        presses += 2 + len(keys)
        expect(card.locator(".save-state")).to_have_text("Opgeslagen")
        for key in keys:
            laptop.keyboard.press(key)
    assert presses <= 11 * 6

    for page in (laptop, anna):
        expect(page.locator("#needs li.is-feasible")).to_have_count(6)
        expect(page.locator("#needs li.is-not_now")).to_have_count(5)
    expect(anna.locator("#needs .badge.ok").first).to_have_text("haalbaar · 3× per week")
    expect(laptop.get_by_role("button", name="Opslaan")).to_have_count(0)
    laptop.evaluate("document.getElementById('needs').scrollIntoView()")
    shoot(laptop, "laptop-step5-marked", full_page=False)


def test_forty_cards_stay_a_compact_list_on_a_1280_by_720_laptop(devices, demo):
    laptop, anna, bram = team_in_step_4(devices, demo)
    laptop.set_viewport_size({"width": 1280, "height": 720})
    for phone, category in ((anna, "instructie"), (bram, "feedback")):
        post_cards(
            phone,
            [f"{category} {n}: een vaste plek dicht bij de instructietafel" for n in range(20)],
            category=category,
        )
    go_to_step(laptop, 5)
    cards = laptop.locator("#needs li.need")
    expect(cards).to_have_count(40)
    cards.nth(0).get_by_label("Haalbaar").check()
    expect(cards.nth(0).get_by_label("Plek in het groepsplan")).to_be_visible()

    heights = cards.evaluate_all("cards => cards.map(card => card.offsetHeight)")
    assert max(heights[1:]) <= 64, heights  # one row: the text, Haalbaar, Niet nu
    assert heights[0] <= 110, heights[0]  # haalbaar: one more row for how often, where
    assert laptop.evaluate("document.documentElement.scrollWidth <= innerWidth")
    cards.nth(20).scroll_into_view_if_needed()
    shoot(laptop, "laptop-step5-forty-cards", full_page=False)


def test_what_was_typed_before_the_scripts_arrived_is_saved(devices):
    """On a slow connection the page shows before its scripts run; what the teacher types
    meanwhile is saved once they do, and shows "Opgeslagen" like any other save."""
    teacher = devices.teacher()
    teacher.goto("/")
    teacher.get_by_label("Voornaam of initialen van de leerling").fill("Thomas")
    teacher.get_by_label("Groep", exact=True).fill("3")
    held = []  # htmx, and the scripts after it (deferred: they run in order)
    htmx_script = re.compile(r"/static/vendor/htmx-[\d.]+\.min\.js$")
    teacher.route(htmx_script, lambda route: held.append(route))
    teacher.get_by_role("button", name="Bijeenkomst aanmaken").click(no_wait_after=True)
    answer = teacher.get_by_label("1. Waarom breng je deze leerling in, en waarom juist nu?")
    answer.fill("Thomas loopt vaak weg uit de kring.")
    assert held, "the page's scripts were not held back"
    assert teacher.evaluate("typeof htmx") == "undefined"  # typed before the scripts ran
    held[0].continue_()
    teacher.unroute_all()
    expect(teacher.locator("#prep-reason-state")).to_have_text("Opgeslagen")
    teacher.reload()
    expect(answer).to_have_value("Thomas loopt vaak weg uit de kring.")


def test_what_was_typed_after_the_scripts_ran_but_before_htmx_set_the_page_up_is_saved(devices):
    """The scripts are deferred: htmx and board.js have run, but htmx sets the page up only
    once the last of them has (DOMContentLoaded). What is typed in that gap is saved too."""
    teacher = devices.teacher()
    teacher.goto("/")
    teacher.get_by_label("Voornaam of initialen van de leerling").fill("Thomas")
    teacher.get_by_label("Groep", exact=True).fill("3")
    held = []  # the last deferred script: DOMContentLoaded waits for it
    teacher.route(re.compile(r"/static/js/confirm\.js(\?.*)?$"), lambda route: held.append(route))
    teacher.get_by_role("button", name="Bijeenkomst aanmaken").click(no_wait_after=True)
    answer = teacher.get_by_label("1. Waarom breng je deze leerling in, en waarom juist nu?")
    expect(answer).to_be_visible()
    in_the_gap = "typeof htmx !== 'undefined' && document.readyState === 'interactive'"
    deadline = time.monotonic() + 10
    while not teacher.evaluate(in_the_gap):  # the page's CSP allows no wait_for_function
        assert time.monotonic() < deadline, "htmx did not run before the held script"
        time.sleep(0.05)
    answer.fill("Thomas loopt vaak weg uit de kring.")
    assert held, "the last script was not held back"
    held[0].continue_()
    teacher.unroute_all()
    expect(teacher.locator("#prep-reason-state")).to_have_text("Opgeslagen")
    teacher.reload()
    expect(answer).to_have_value("Thomas loopt vaak weg uit de kring.")


def test_her_save_shows_opgeslagen_when_its_push_comes_before_its_answer(devices, demo):
    """The server pushes the saved region before it answers the save; the answer is held
    back here until the push is on the screens: the region waits for the answer, which
    shows "Opgeslagen", and then takes the push."""
    laptop = devices.teacher()
    laptop.goto(demo["teacher_url"])
    tablet = second_teacher_device(devices, demo)
    for page in (laptop, tablet):
        page.get_by_text("Voorbereiding nog aanpassen").click()
    answers = []
    laptop.route(
        re.compile(r"/m/[^/]+/prep$"), lambda route: answers.append((route, route.fetch()))
    )

    laptop.locator("#prep-aim").fill("Een aanpak voor de kring")
    expect(tablet.locator("#prep-aim")).to_have_value("Een aanpak voor de kring")  # pushed
    while not answers:  # the answer reached the test (after the push)
        laptop.wait_for_timeout(50)
    expect(laptop.locator("#prep-aim-state")).to_have_text("")
    route, answer = answers[0]
    route.fulfill(response=answer)
    expect(laptop.locator("#prep-aim-state")).to_have_text("Opgeslagen")
    expect(laptop.locator("#prep-aim")).to_have_value("Een aanpak voor de kring")
    laptop.locator("#prep-aim").press("End")  # still the field she typed in, and it works
    laptop.locator("#prep-aim").press_sequentially(" en de overgang")
    expect(tablet.locator("#prep-aim")).to_have_value("Een aanpak voor de kring en de overgang")
