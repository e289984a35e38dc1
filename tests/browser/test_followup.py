"""The follow-up in Chromium: a closed meeting, its evaluation date reached, "Is het doel
gehaald?", the proposed next step, and a follow-up meeting with its preparation prefilled."""

from datetime import date

import pytest
from playwright.sync_api import expect

from board.cli import create_finished_demo, demo_links

from .conftest import shoot

pytestmark = pytest.mark.browser


def test_evaluation_on_the_date_proposes_a_step_and_starts_a_follow_up(devices, board_app):
    with board_app.app_context():
        links = demo_links(create_finished_demo())
    teacher = devices.teacher()
    teacher.goto(links["teacher_url"])
    teacher.goto(f"/m/{links['meeting_id']}/summary")

    teacher.get_by_label("Evaluatiedatum").fill(date.today().isoformat())
    teacher.get_by_role("button", name="Datum opslaan").click()
    question = teacher.get_by_role("group", name="Is het doel gehaald?")
    expect(question).to_be_visible()
    question.get_by_label("Gehaald", exact=True).check()
    teacher.get_by_label("Wat werkte?").fill("Een zandloper op tafel")
    teacher.get_by_label("Wat werkte niet?").fill("Naast de deur zitten")
    teacher.get_by_role("button", name="Evaluatie opslaan").click()

    expect(teacher.get_by_role("heading", name="De volgende kleine stap")).to_be_visible()
    expect(teacher.locator("[data-next-step]")).to_be_visible()
    shoot(teacher, "follow-up-evaluated-teacher")
    teacher.get_by_role("button", name="Vervolgbijeenkomst starten").click()

    reason = teacher.get_by_label("Waarom breng je deze leerling in, en waarom juist nu?")
    expect(reason).to_contain_text("Vorig doel:")
    expect(reason).to_contain_text("Evaluatie: gehaald.")
    shoot(teacher, "follow-up-prefilled-teacher")
    assert devices.errors == []
