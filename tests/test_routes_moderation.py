"""Step 4's rules guarded: the timekeeper sets a card aside with a reason and puts it back.

A card set aside leaves the room screen, the list of the other colleagues and step 5; its
author still sees it, with the reason; the summary lists it apart and no export has it.
The label nudge answers while a card is being typed.
"""

import json

import pytest
from conftest import flash_text
from test_exports import pdf_text, squash, word
from test_sockets import connect_device, only_push, received

from board.extensions import db
from board.models import NeedCard

LABEL = "Sem is een drukke jongen"
NEED = "korte instructie aan de instructietafel"
OTHER = "een vaste plek dichtbij de leerkracht"


@pytest.fixture
def step4(meeting):
    """Step 4 with Anna as timekeeper; Bram wrote three cards."""
    meeting.make_timekeeper("Anna")
    meeting.go_to(4)
    for key, text in (("b1", LABEL), ("b2", NEED), ("b3", OTHER)):
        form = {"text": text, "category": "instructie", "client_key": key}
        assert meeting.post("Bram", "/needs", form).status_code == 204
    return meeting


def card_id(meeting, text: str) -> int:
    with meeting.app.app_context():
        return next(card.id for card in meeting.meeting().needs if card.text == text)


def stored(meeting, text: str) -> tuple[str | None, int | None]:
    with meeting.app.app_context():
        card = db.session.get(NeedCard, card_id(meeting, text))
        return card.aside_reason, card.duplicate_of_id


def set_aside(meeting, who: str, text: str, reason: str = "label", original: str = ""):
    return meeting.post(
        who, f"/needs/{card_id(meeting, text)}/aside", {"reason": reason, "original": original}
    )


def page(meeting, who: str) -> str:
    response = meeting.device(who).get(meeting.url)
    assert response.status_code == 200
    return response.text


def on_board_part(html: str) -> str:
    """The page without the list of cards set aside (which the page shows to a few)."""
    return html.split('class="aside-group', 1)[0]


def aside_part(html: str) -> str:
    return html.split('class="aside-group', 1)[1] if 'class="aside-group' in html else ""


def test_the_timekeeper_sets_a_card_aside_and_it_leaves_the_board(step4):
    assert set_aside(step4, "Anna", LABEL, "label").status_code == 204

    assert stored(step4, LABEL) == ("label", None)
    screen = page(step4, "screen")
    assert LABEL not in screen
    assert NEED in screen
    assert "Onderwijsbehoeften (2)" in screen
    for who in ("teacher", "Anna", "Bram"):
        assert LABEL not in on_board_part(page(step4, who)), who


def test_the_author_sees_the_card_set_aside_with_the_reason(step4):
    set_aside(step4, "Anna", LABEL, "label")

    apart = aside_part(page(step4, "Bram"))
    assert LABEL in apart
    assert "Een etiket, geen behoefte" in apart
    # On a colleague's phone the list is guarded: the page reveals a card to its author only.
    assert 'class="aside-group guarded"' in page(step4, "Bram")
    assert f'data-author="{step4.participant_id("Bram")}"' in apart


def test_the_room_screen_never_gets_the_cards_set_aside(step4):
    set_aside(step4, "Anna", LABEL, "discussion")

    screen = page(step4, "screen")
    assert "aside-group" not in screen
    assert "Apart gezet" not in screen


def test_the_push_takes_the_card_off_the_screen_and_to_its_author_with_the_reason(app, step4):
    sockets = {who: connect_device(app, step4, who) for who in ("screen", "Bram", "teacher")}
    for socket in sockets.values():
        received(socket)

    set_aside(step4, "Anna", LABEL, "label")

    needs = {who: only_push(socket)["regions"]["needs"] for who, socket in sockets.items()}
    assert LABEL not in needs["screen"] and NEED in needs["screen"]
    assert LABEL in aside_part(needs["Bram"]) and LABEL not in on_board_part(needs["Bram"])
    assert 'class="aside-group guarded"' in needs["Bram"]
    assert "Terugzetten" in aside_part(needs["teacher"])
    for socket in sockets.values():
        socket.disconnect()


def test_a_duplicate_names_the_card_it_repeats(step4):
    response = set_aside(step4, "Anna", OTHER, "duplicate", str(card_id(step4, NEED)))

    assert response.status_code == 204
    assert stored(step4, OTHER) == ("duplicate", card_id(step4, NEED))
    apart = aside_part(page(step4, "Bram"))
    assert "Dubbel" in apart and NEED in apart


def test_the_timekeeper_puts_a_card_back(step4):
    set_aside(step4, "Anna", LABEL, "discussion")

    response = step4.post("Anna", f"/needs/{card_id(step4, LABEL)}/back")

    assert response.status_code == 204
    assert stored(step4, LABEL) == (None, None)
    assert LABEL in page(step4, "screen")
    assert "Onderwijsbehoeften (3)" in page(step4, "screen")


def test_the_teacher_is_the_timekeepers_backup(step4):
    assert set_aside(step4, "teacher", LABEL, "label").status_code == 204
    assert "Terugzetten" in aside_part(page(step4, "teacher"))

    assert step4.post("teacher", f"/needs/{card_id(step4, LABEL)}/back").status_code == 204
    assert stored(step4, LABEL) == (None, None)


def rows(meeting) -> list[tuple]:
    with meeting.app.app_context():
        db.session.remove()
        return db.session.execute(db.select(NeedCard.__table__).order_by(NeedCard.id)).all()


def refused(response, status: int, message: str) -> None:
    assert response.status_code == status, response.text
    assert message in flash_text(response)


def test_a_colleague_who_is_not_the_timekeeper_may_not_set_aside_or_put_back(step4):
    set_aside(step4, "Anna", NEED, "discussion")
    before = rows(step4)

    refused(set_aside(step4, "Bram", LABEL), 403, "Alleen de tijdbewaker")
    refused(step4.post("Bram", f"/needs/{card_id(step4, NEED)}/back"), 403, "tijdbewaker")
    refused(step4.device("Bram").get(f"{step4.url}/needs/1/aside"), 403, "tijdbewaker")
    refused(set_aside(step4, "screen", LABEL), 403, "tijdbewaker")
    assert rows(step4) == before


@pytest.mark.parametrize("step", [3, 5])
def test_setting_aside_outside_step_4_is_409_and_changes_nothing(step4, step):
    set_aside(step4, "Anna", NEED, "discussion")
    step4.go_to(step)
    before = rows(step4)

    refused(set_aside(step4, "Anna", LABEL), 409, "andere stap")
    refused(step4.post("Anna", f"/needs/{card_id(step4, NEED)}/back"), 409, "andere stap")
    assert rows(step4) == before


@pytest.mark.parametrize(
    ("reason", "original", "message"),
    [
        ("", "", "Kies waarom het kaartje apart gaat"),
        ("ruzie", "", "Kies waarom het kaartje apart gaat"),
        ("duplicate", "", "Kies het kaartje waar dit kaartje een dubbel van is."),
        ("duplicate", "999999", "Kies het kaartje waar dit kaartje een dubbel van is."),
        ("duplicate", "self", "Kies het kaartje waar dit kaartje een dubbel van is."),
    ],
    ids=["no-reason", "unknown-reason", "duplicate-of-nothing", "unknown-card", "itself"],
)
def test_a_bad_reason_is_refused_with_a_dutch_message_and_nothing_changes(
    step4, reason, original, message
):
    original = str(card_id(step4, LABEL)) if original == "self" else original
    before = rows(step4)

    refused(set_aside(step4, "Anna", LABEL, reason, original), 422, message)
    assert rows(step4) == before


def test_a_duplicate_of_a_card_set_aside_is_refused(step4):
    set_aside(step4, "Anna", NEED, "discussion")
    before = rows(step4)

    response = set_aside(step4, "Anna", OTHER, "duplicate", str(card_id(step4, NEED)))

    refused(response, 422, "Kies het kaartje waar dit kaartje een dubbel van is.")
    assert rows(step4) == before


def test_the_form_offers_the_reasons_and_the_other_cards_on_the_board(step4):
    set_aside(step4, "Anna", NEED, "discussion")

    form = step4.device("Anna").get(f"{step4.url}/needs/{card_id(step4, LABEL)}/aside").text

    assert "Een etiket, geen behoefte" in form and "Discussie" in form
    assert f'value="{card_id(step4, OTHER)}"' in form
    assert f'value="{card_id(step4, NEED)}"' not in form  # set aside itself
    assert f'<option value="{card_id(step4, LABEL)}"' not in form  # the card itself


def test_the_author_may_still_rewrite_a_card_set_aside(step4):
    set_aside(step4, "Anna", LABEL, "label")

    form = {"text": "rustige start met een vaste taak", "category": "instructie"}
    response = step4.post("Bram", f"/needs/{card_id(step4, LABEL)}", form)

    assert response.status_code == 204
    with step4.app.app_context():
        assert [c.aside_reason for c in step4.meeting().needs if c.text == form["text"]] == [
            "label"
        ]


def test_a_card_set_aside_is_not_in_step_5_and_cannot_be_marked(step4):
    set_aside(step4, "Anna", LABEL, "label")
    step4.go_to(5)
    before = rows(step4)

    assert LABEL not in page(step4, "teacher")
    assert LABEL not in page(step4, "screen")
    response = step4.post(
        "teacher", f"/needs/{card_id(step4, LABEL)}/mark", {"feasibility": "feasible"}
    )
    refused(response, 404, "apart gezet")
    assert rows(step4) == before


def test_the_summary_lists_cards_set_aside_apart_and_no_export_has_them(step4):
    set_aside(step4, "Anna", LABEL, "label")
    set_aside(step4, "Anna", OTHER, "duplicate", str(card_id(step4, NEED)))
    step4.go_to(5)
    form = {"feasibility": "feasible", "per_week": "3"}
    assert step4.post("teacher", f"/needs/{card_id(step4, NEED)}/mark", form).status_code == 200

    summary = step4.teacher.get(f"{step4.url}/summary").text
    plan, apart = summary.split("Apart gezet in stap 4")
    assert NEED in plan and LABEL not in plan and OTHER not in plan.split("Opbrengst")[0]
    assert LABEL in apart and "Een etiket, geen behoefte" in apart and OTHER in apart

    exports = {fmt: step4.teacher.get(f"{step4.url}/export.{fmt}") for fmt in EXPORT_FORMATS}
    texts = {
        "print": step4.teacher.get(f"{step4.url}/print").text,
        "json": json.dumps(json.loads(exports["json"].data), ensure_ascii=False),
        "csv": exports["csv"].data.decode("utf-8-sig"),
        "md": exports["md"].data.decode(),
        "docx": docx_text(exports["docx"].data),
        "pdf": pdf_text(exports["pdf"].data),
    }
    for fmt, text in texts.items():
        assert squash(NEED) in squash(text), fmt
        assert squash(LABEL) not in squash(text), fmt
        assert squash(OTHER) not in squash(text), fmt


EXPORT_FORMATS = ("json", "csv", "md", "docx", "pdf")


def docx_text(data: bytes) -> str:
    document = word(data)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([*cells, *(paragraph.text for paragraph in document.paragraphs)])


# --- the label nudge while typing ------------------------------------------------------


def test_the_nudge_answers_while_a_card_is_typed(step4):
    response = step4.post("Bram", "/needs/check", {"text": "Hij heeft dyslexie"})

    assert response.status_code == 200
    assert "'dyslexie' klinkt als een etiket" in response.text


def test_the_nudge_knows_the_pupil_by_name(step4):
    with step4.app.app_context():
        alias = step4.meeting().pupil_alias

    response = step4.post("Bram", "/needs/check", {"text": f"{alias} is druk"})

    assert "'druk'" in response.text


@pytest.mark.parametrize("text", [NEED, "instructie vooraf van de moeilijke woorden", ""])
def test_a_card_that_names_a_need_gets_an_empty_hint(step4, text):
    response = step4.post("Bram", "/needs/check", {"text": text})

    assert response.status_code == 200
    assert response.text.strip() == ""


def test_the_nudge_is_for_devices_in_the_meeting_only_and_stores_nothing(step4):
    before = rows(step4)

    refused(step4.post("stranger", "/needs/check", {"text": "ADHD"}), 403, "Je doet niet mee")
    step4.post("Bram", "/needs/check", {"text": "ADHD"})
    assert rows(step4) == before


def test_the_compose_form_asks_for_the_nudge_while_typing(step4):
    html = page(step4, "Bram")

    assert f'hx-post="{step4.url}/needs/check"' in html
    assert 'id="need-nudge"' in html and 'aria-live="polite"' in html


def test_the_posted_card_still_carries_the_nudge_for_its_author(step4):
    assert "'drukke' klinkt als een etiket" in page(step4, "Bram")
    assert "klinkt als een etiket" not in page(step4, "screen")
