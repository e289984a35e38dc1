"""Before and after the meeting, in Chromium: the teacher prepares and invites (copy, mail,
calendar, paper), finds the meeting back on her home page, and after closing a colleague's
phone still shows what was agreed, with the agreement's date for the calendar."""

import re
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import pytest
from playwright.sync_api import Page, expect

from .conftest import shoot
from .test_devices import go_to_step, join

pytestmark = pytest.mark.browser


def download(page: Page, name: str) -> bytes:
    # The first PDF of a server process loads WeasyPrint, which takes seconds.
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("link", name=name).click()
    return Path(info.value.path()).read_bytes()


def prepare(teacher: Page) -> None:
    teacher.goto("/")
    teacher.get_by_label("Voornaam of initialen van de leerling").fill("Noor")
    teacher.get_by_label("Groep", exact=True).fill("6a")
    teacher.get_by_label("Datum van de bijeenkomst").fill(date.today().isoformat())
    teacher.get_by_label("Begintijd").fill("15:15")
    teacher.get_by_label("Plaats (mag leeg)").fill("Teamkamer")
    teacher.get_by_role("button", name="Bijeenkomst aanmaken").click()
    expect(teacher.get_by_role("heading", name="Uitnodigen")).to_be_visible()


def test_prepare_invite_and_take_the_agreements_home(devices):
    teacher = devices.teacher()
    prepare(teacher)
    reading = teacher.get_by_label("Leeslink voor collega's").input_value()

    mail = teacher.get_by_role("link", name="Mail de collega's").get_attribute("href")
    assert mail.startswith("mailto:?subject=") and reading in unquote(mail)
    assert "Waar: Teamkamer" in unquote(mail)

    teacher.get_by_role("button", name="Kopieer Leeslink voor collega's").click()
    expect(teacher.locator('[data-copy-state="link-reading"]')).to_have_text(
        re.compile("Gekopieerd|Kopiëren lukte niet")
    )
    ics = download(teacher, "In je agenda (.ics)").decode("utf-8")
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and "LOCATION:Teamkamer" in ics
    assert download(teacher, "Voorbereiding afdrukken (PDF)").startswith(b"%PDF")
    assert download(teacher, "Leeg formulier (PDF)").startswith(b"%PDF")
    shoot(teacher, "invite-teacher")

    board_url = teacher.url
    teacher.goto("/")
    mine = teacher.get_by_role("region", name="Mijn bijeenkomsten")
    expect(mine).to_contain_text("Noor, groep 6a")
    shoot(teacher, "home-my-meetings")
    mine.get_by_role("link", name="Noor, groep 6a").click()
    assert teacher.url == board_url

    teacher.get_by_role("button", name="Lobby openen").click()
    phone = devices.phone()
    code = teacher.locator(".links .code").inner_text().replace(" ", "")
    join(phone, f"/j/{code}", "Anna")
    go_to_step(teacher, 4)
    teacher.get_by_label("Mijn aantekeningen (alleen voor jou)").fill("Moeder belt vaak na school.")
    expect(teacher.locator(".notes .save-state")).to_have_text("Opgeslagen")
    go_to_step(teacher, 6)
    phone.get_by_label("Wat spreken we af?").fill("Ouders bellen over de kring")
    phone.get_by_label("Wanneer?").fill("vrijdag 14-3")
    phone.get_by_role("button", name="Afspraak toevoegen").click()
    expect(teacher.locator("#agreements")).to_contain_text("Ouders bellen over de kring")
    go_to_step(teacher, 7)
    teacher.get_by_role("button", name="Bijeenkomst afsluiten").click()
    teacher.get_by_role("button", name="Ja, afsluiten").click()

    expect(phone.get_by_role("heading", name="De intervisie is afgesloten")).to_be_visible()
    takeaway = phone.get_by_role("region", name="Afspraken")
    expect(takeaway).to_contain_text("Ouders bellen over de kring")
    shoot(phone, "closed-takeaway-phone")
    calendar_item = download(phone, "In mijn agenda op 14 maart").decode("utf-8")
    assert "DTSTART;VALUE=DATE:" in calendar_item and "Ouders bellen" in calendar_item
    expect(phone.locator("main")).not_to_contain_text("Moeder belt vaak")

    teacher.get_by_role("link", name="Naar de samenvatting voor je groepsplan").click()
    notes = teacher.get_by_role("region", name="Jouw aantekeningen")
    expect(notes).to_contain_text("Moeder belt vaak na school.")
    shoot(teacher, "summary-with-notes")
    markdown = download(teacher, "Markdown met mijn aantekeningen").decode("utf-8")
    assert "Moeder belt vaak na school." in markdown
    assert "Moeder belt vaak" not in download(teacher, "Markdown (.md)").decode("utf-8")
    assert not devices.errors, devices.errors
