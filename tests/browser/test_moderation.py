"""Step 4's rules in the room: the timekeeper sets a card aside and puts it back; the label
nudge speaks while a colleague types, before the card reaches the projector."""

import pytest
from playwright.sync_api import Page, expect

from .conftest import shoot
from .test_devices import go_to_step, join

pytestmark = pytest.mark.browser
PROMPT = "Om dit doel te halen heeft deze leerling …"
YES_BUT = "Ja maar dat gaat toch niet in een klas van dertig"
NEED = "korte instructie aan de instructietafel"


def team_with_timekeeper(devices, demo) -> tuple[Page, Page, Page, Page]:
    """The teacher, the room screen and two phones at step 4; Anna keeps the time."""
    teacher, screen = devices.teacher(), devices.screen()
    teacher.goto(demo["teacher_url"])
    screen.goto(demo["screen_url"])
    anna, bram = devices.phone(), devices.phone()
    join(anna, demo["join_url"], "Anna")
    join(bram, demo["join_url"], "Bram")
    teacher.get_by_label("Tijdbewaker", exact=True).select_option(label="Anna")
    teacher.get_by_role("button", name="Aanwijzen").click()
    expect(anna.locator("#participants .badge.tk")).to_have_count(1)
    go_to_step(teacher, 4)
    for page in (screen, anna, bram):
        expect(page.locator(".step-number")).to_have_text("Stap 4 van 7")
    return teacher, screen, anna, bram


def post_card(phone: Page, text: str) -> None:
    form = phone.locator("form.need-form")
    form.get_by_label(PROMPT).fill(text)
    form.get_by_role("radio", name="Instructie").check()
    form.get_by_role("button", name="Kaartje plaatsen").click()
    expect(phone.locator("#needs .mine", has_text=text)).to_have_count(1)


def test_the_timekeeper_sets_a_card_aside_and_puts_it_back(devices, demo):
    teacher, screen, anna, bram = team_with_timekeeper(devices, demo)
    post_card(bram, YES_BUT)
    post_card(bram, NEED)
    expect(screen.locator("#needs")).to_contain_text(YES_BUT)

    # Only the timekeeper's phone offers to set a card aside; the teacher is the backup.
    card = anna.locator("#needs li.need", has_text=YES_BUT)
    expect(card.get_by_role("button", name="Apart zetten")).to_be_visible()
    expect(
        bram.locator("#needs li.need", has_text=YES_BUT).get_by_role("button", name="Apart zetten")
    ).to_be_hidden()
    expect(
        teacher.locator("#needs li.need").first.get_by_role("button", name="Apart zetten")
    ).to_be_visible()
    card.get_by_role("button", name="Apart zetten").click()
    card.get_by_label("Discussie of 'ja, maar'").check()
    card.get_by_role("button", name="Kaartje apart zetten").click()

    # It leaves the projector and the other phones; the author sees it, with the reason.
    expect(screen.locator("#needs")).not_to_contain_text(YES_BUT)
    expect(screen.locator("#needs-title")).to_have_text("Onderwijsbehoeften (1)")
    expect(screen.locator("#needs")).to_contain_text(NEED)
    aside = bram.locator("#need-aside-list li", has_text=YES_BUT)
    expect(aside).to_be_visible()
    expect(aside).to_contain_text("Discussie of 'ja, maar'")
    expect(bram.locator("#need-list-instructie")).not_to_contain_text(YES_BUT)
    aside.scroll_into_view_if_needed()
    shoot(bram, "moderation-author-sees-reason", full_page=False)
    shoot(screen, "moderation-room-screen", full_page=False)

    # The timekeeper sees the card apart too, and puts it back.
    kept = anna.locator("#need-aside-list li", has_text=YES_BUT)
    expect(kept).to_be_visible()
    kept.scroll_into_view_if_needed()
    shoot(anna, "moderation-timekeeper", full_page=False)
    kept.get_by_role("button", name="Terugzetten").click()
    expect(screen.locator("#needs")).to_contain_text(YES_BUT)
    expect(screen.locator("#needs-title")).to_have_text("Onderwijsbehoeften (2)")
    expect(bram.locator(".aside-group")).to_have_count(0)


def test_a_colleague_only_sees_their_own_card_set_aside(devices, demo):
    teacher, screen, anna, bram = team_with_timekeeper(devices, demo)
    post_card(bram, YES_BUT)
    post_card(bram, NEED)

    # The teacher, as the timekeeper's backup, marks a duplicate of the other card.
    card = teacher.locator("#needs li.need", has_text=YES_BUT)
    card.get_by_role("button", name="Apart zetten").click()
    card.get_by_label("Dubbel: staat al op een ander kaartje").check()
    card.get_by_label("Bij dubbel: welk kaartje zegt hetzelfde?").select_option(label=NEED)
    shoot(teacher, "moderation-teacher-form")
    card.get_by_role("button", name="Kaartje apart zetten").click()

    expect(teacher.locator("#need-aside-list")).to_contain_text(YES_BUT)
    expect(bram.locator("#need-aside-list li", has_text=YES_BUT)).to_contain_text(NEED)
    expect(screen.locator("#needs")).not_to_contain_text(YES_BUT)
    # A third colleague, not the author and not the timekeeper, never sees it.
    carla = devices.phone()
    join(carla, demo["join_url"], "Carla")
    expect(carla.locator("#needs")).to_contain_text(NEED)
    expect(carla.get_by_text(YES_BUT)).to_be_hidden()
    expect(carla.locator(".aside-group")).to_be_hidden()


def test_the_nudge_appears_while_typing_before_the_card_is_posted(devices, demo):
    teacher, screen, anna, bram = team_with_timekeeper(devices, demo)
    form = bram.locator("form.need-form")
    box = form.get_by_label(PROMPT)
    hint = bram.locator("#need-nudge")

    box.press_sequentially("Thomas is een drukke jongen", delay=20)
    expect(hint).to_contain_text("'drukke' klinkt als een etiket")
    expect(hint).to_contain_text("Wat zou deze leerling helpen?")
    shoot(bram, "moderation-nudge-while-typing", full_page=False)
    expect(screen.locator("#needs")).not_to_contain_text("drukke")  # nothing was posted

    box.fill("")
    box.press_sequentially("instructie vooraf van de moeilijke woorden", delay=10)
    expect(hint).to_be_empty()
    box.fill("extra tijd bij toetsen vanwege dyslexie")
    expect(hint).to_contain_text("'dyslexie'")


def test_the_nudge_also_speaks_while_a_card_is_rewritten(devices, demo):
    teacher, screen, anna, bram = team_with_timekeeper(devices, demo)
    post_card(bram, NEED)
    bram.locator("#needs .mine").get_by_role("button", name="Aanpassen").click()
    editor = bram.locator("#needs details.editor")
    box = editor.get_by_label("Tekst")

    box.fill(NEED + ", want hij is ongemotiveerd")

    expect(editor.locator(".nudge-area")).to_contain_text("'ongemotiveerd'")
    expect(editor).to_have_attribute("open", "")  # the check does not close the editor
    expect(box).to_have_value(NEED + ", want hij is ongemotiveerd")
