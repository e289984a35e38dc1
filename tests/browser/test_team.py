"""The team space in Chromium: an IB'er creates the team and invites a teacher; the teacher
makes an account with the link, attaches her meeting, and the overview shows it."""

import re
from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from playwright.sync_api import Page, expect

from .conftest import PHONE, TEACHER, shoot
from .test_devices import axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "de kring duurt vijftien minuten"


def create_team(ib: Page) -> None:
    ib.goto("/")
    ib.get_by_role("link", name="Naar de teamruimte").click()
    assert axe_violations(ib) == []
    ib.get_by_role("link", name="Team aanmaken").click()
    assert axe_violations(ib) == []
    ib.get_by_label("Naam van het team").fill("De Regenboog")
    ib.get_by_label("E-mailadres of gebruikersnaam").fill("ib@regenboog.test")
    ib.get_by_label("Je naam, zoals je team je ziet").fill("Ineke")
    ib.get_by_label("Kies een wachtwoord").fill(PASSWORD)
    ib.get_by_role("button", name="Team aanmaken").click()
    expect(ib.get_by_role("heading", name="De Regenboog", level=1)).to_be_visible()


def prepare_meeting(teacher: Page, when: date) -> None:
    teacher.goto("/")
    teacher.get_by_label("Voornaam of initialen van de leerling").fill("Noor")
    teacher.get_by_label("Groep", exact=True).fill("6a")
    teacher.get_by_label("Datum van de bijeenkomst").fill(when.isoformat())
    teacher.get_by_label("Begintijd").fill("15:15")
    teacher.get_by_label("Jouw naam, zoals collega's je zien (mag leeg)").fill("Juf Sanne")
    teacher.get_by_role("button", name="Bijeenkomst aanmaken").click()
    expect(teacher.get_by_role("heading", name="Uitnodigen")).to_be_visible()


def test_create_team_invite_accept_and_see_her_attached_meeting(devices):
    ib = devices.open(TEACHER, bypass_csp=True)  # bypass only to inject axe below
    create_team(ib)

    ib.get_by_role("button", name="Uitnodigingslink maken").click()
    assert axe_violations(ib) == []
    link = ib.get_by_label("Uitnodigingslink").input_value()
    assert "/team/uitnodiging/" in link
    ib.get_by_role("button", name="Kopieer de link").click()
    expect(ib.locator('[data-copy-state="invite-link"]')).to_have_text(
        re.compile("Gekopieerd|Kopiëren lukte niet")
    )
    mail = ib.get_by_role("link", name="Mail de link").get_attribute("href")
    assert mail.startswith("mailto:?subject=") and link in unquote(mail)
    expect(ib.get_by_role("heading", name="Hoe geef je hem door?")).to_be_visible()

    # The teacher prepares her meeting on her own laptop, then accepts the invitation there.
    sanne = devices.open(TEACHER, bypass_csp=True)
    prepare_meeting(sanne, date.today() + timedelta(days=7))
    sanne.goto(link)
    assert axe_violations(sanne) == []
    shoot(sanne, "team-accept")
    new_account = sanne.locator("form").filter(
        has=sanne.get_by_role("heading", name="Nieuw account")
    )
    new_account.get_by_label("E-mailadres of gebruikersnaam").fill("sanne")
    new_account.get_by_label("Je naam, zoals je team je ziet").fill("Sanne de Vries")
    new_account.get_by_label("Kies een wachtwoord").fill("Welkom123456")
    new_account.get_by_role("button", name="Account maken en lid worden").click()
    expect(sanne.get_by_role("alert")).to_contain_text("te makkelijk te raden")
    new_account = sanne.locator("form").filter(
        has=sanne.get_by_role("heading", name="Nieuw account")
    )
    expect(new_account.get_by_label("E-mailadres of gebruikersnaam")).to_have_value("sanne")
    new_account.get_by_label("Kies een wachtwoord").fill("mijn klas zingt elke ochtend")
    new_account.get_by_role("button", name="Account maken en lid worden").click()
    expect(sanne.get_by_role("heading", name="De Regenboog", level=1)).to_be_visible()
    expect(sanne.get_by_text("Je bent hier lid.")).to_be_visible()

    # From her meeting: attach it to the team.
    sanne.goto("/")
    sanne.get_by_role("region", name="Mijn bijeenkomsten").get_by_role(
        "link", name="Noor, groep 6a"
    ).click()
    sanne.get_by_role("link", name="Team: koppelen en delen").click()
    assert axe_violations(sanne) == []
    sanne.get_by_label("Kies je team").select_option(label="De Regenboog")
    sanne.get_by_role("button", name="Koppelen").click()
    expect(sanne.get_by_role("heading", name="Gekoppeld aan De Regenboog")).to_be_visible()
    expect(sanne.get_by_text("Nu niet gedeeld.")).to_be_visible()
    shoot(sanne, "team-attach-teacher")

    # The IB'er's overview lists it, without its content.
    ib.get_by_role("link", name="Terug naar het team").click()
    upcoming = ib.get_by_role("region", name=re.compile("Komende bijeenkomsten"))
    row = upcoming.get_by_role("row").filter(has_text="Noor")
    expect(row).to_contain_text("Juf Sanne")
    expect(row).to_contain_text("15:15")
    expect(row).to_contain_text("6a")
    expect(row).to_contain_text("niet gedeeld")
    members = ib.get_by_role("region", name="Leden")
    expect(members).to_contain_text("Sanne de Vries")
    assert axe_violations(ib) == []
    shoot(ib, "team-overview-laptop")
    ib.set_viewport_size(PHONE["viewport"])
    expect(row).to_be_visible()
    shoot(ib, "team-overview-phone")
    assert devices.errors == []
