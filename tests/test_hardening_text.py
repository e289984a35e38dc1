"""Text that breaks documents, hides itself or looks like someone else's name.

Characters XML cannot hold are refused at input, so every text the board accepts exports in
every format; invisible characters are removed; a display name that looks like one already
in the meeting is taken; the Markdown export shows what was typed and loads nothing.
"""

import re
from datetime import date

import pytest
from conftest import flash_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board.domain.errors import InvalidInput
from board.domain.goal import Goal
from board.domain.text import clean_name, clean_text, name_key
from board.exports import FORMATS
from board.exports.markdown import literal
from board.exports.paper import print_html
from board.extensions import db
from board.models import Agreement, NeedCard, Participant, PrepRead, YieldVote
from board.services.summary import GroupPlanEntry, PlanAgreement, PlanNeed

# ---- characters a document cannot hold ----------------------------------------------------

UNUSABLE = ["\ufffe", "\uffff", "\x00", "\x0b", "\x1f"]


def rows(app, model) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


@pytest.mark.parametrize("character", UNUSABLE, ids=ascii)
def test_a_text_with_a_character_xml_cannot_hold_is_refused_everywhere(meeting, character):
    meeting.go_to(4)
    card = {"text": f"ru{character}st", "category": "instructie", "client_key": "k"}
    response = meeting.post("Anna", "/needs", card)
    assert response.status_code == 422 and "ongeldige tekens" in flash_text(response)
    assert rows(meeting.app, NeedCard) == 0
    meeting.go_to(6)
    response = meeting.post("Anna", "/agreements", {"topic": "parents", "what": f"a{character}b"})
    assert response.status_code == 422
    assert rows(meeting.app, Agreement) == 0
    meeting.go_to(7)
    response = meeting.post("Anna", "/vote", {"worth_it": "yes", "why": f"b{character}c"})
    assert response.status_code == 422
    assert rows(meeting.app, YieldVote) == 0
    assert meeting.teacher.get(meeting.url + "/export.docx").status_code == 200


TEXTS = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=60),
    st.sampled_from(
        UNUSABLE + ["\ud800", "\u202e", "\u200b", "<b>", "\U0001f600", "\ufffd", "&amp;"]
    ),
)


def accepted(value: str) -> str | None:
    try:
        return clean_text(value, limit=300, label="Tekst")
    except InvalidInput:
        return None


def entry_holding(text: str) -> GroupPlanEntry:
    """An entry with the text in every free-text place an export shows."""
    need = PlanNeed(text, "instructie", "Instructie", 3, text, "basis")
    return GroupPlanEntry(
        status="concept",
        pupil=text or "Thomas",
        group=text or "3",
        date=date(2026, 12, 2),
        title=text,
        participants=3,
        goal=Goal(*[text] * 8),
        feasible_needs=[need],
        not_now_needs=[need],
        unmarked_needs=[need],
        support_needs=text,
        plan_note=text,
        agreements=[PlanAgreement("parents", "Ouders", text, text, text)],
    )


@pytest.mark.sqlite_only  # no database: the exports render from the entry alone
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(value=st.lists(TEXTS, min_size=1, max_size=3).map("".join))
def test_any_text_the_board_accepts_exports_in_every_format(app, value):
    text = accepted(value)
    if text is None:
        return
    with app.test_request_context():
        entry = entry_holding(text)
        for name, export in FORMATS.items():
            assert export.render(entry), name
        assert print_html(entry)


# ---- invisible and look-alike names -------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["\u200b", "\u200b\u200d\u2060", "\u3164", "\u202e\u202c", "...", "\ufeff \u00ad"],
    ids=ascii,
)
def test_a_name_that_shows_nothing_is_refused_and_nobody_joins(meeting, name):
    before = rows(meeting.app, Participant)
    response = meeting.app.test_client().post(f"/j/{meeting.join_code}", data={"name": name})
    assert response.status_code == 422
    assert "Naam:" in response.text
    assert rows(meeting.app, Participant) == before


@pytest.mark.parametrize(
    "name",
    [
        "Anna\u200b",
        "\u202eannA",
        "\u0410nna",
        "ＡＮＮＡ",
        "Ánna",
        " anna ",
        "An\u00adna",
        "Bram\u2060",
    ],
    ids=ascii,
)
def test_a_name_that_looks_like_one_in_the_meeting_is_taken(meeting, name):
    before = rows(meeting.app, Participant)
    response = meeting.app.test_client().post(f"/j/{meeting.join_code}", data={"name": name})
    assert response.status_code == 422
    assert "al in gebruik" in response.text
    assert rows(meeting.app, Participant) == before


def test_a_name_that_looks_like_the_teachers_is_taken(app):
    client = app.test_client()
    form = {"pupil_alias": "Thomas", "group_name": "3", "meeting_date": str(date.today())}
    response = client.post("/meetings", data={**form, "teacher_name": "Inbrenger"})
    client.get(response.headers["Location"])
    with app.app_context():
        code = db.session.execute(db.select(Participant)).scalar_one().meeting.join_code
        meeting_id = db.session.execute(db.select(Participant)).scalar_one().meeting_id
    response = client.post(f"/m/{meeting_id}/open", headers={"HX-Request": "true"})
    assert response.status_code == 204
    joined = app.test_client().post(f"/j/{code}", data={"name": "Inbrenger\u2060"})
    assert joined.status_code == 422 and "al in gebruik" in joined.text
    assert rows(app, Participant) == 1


def test_a_name_is_stored_as_it_shows(meeting):
    meeting.join("\u202aCees\u202c  van\u200b Dam ")
    with meeting.app.app_context():
        names = [p.name for p in meeting.meeting().participants]
    assert "Cees van Dam" in names


def test_saying_read_twice_under_look_alike_names_counts_once(meeting):
    reader = meeting.app.test_client()
    for name in ("Anna", "ANNA\u200b", "\u0410nna"):
        assert reader.post(f"/p/{meeting.prep_token}/read", data={"name": name}).status_code == 200
    assert rows(meeting.app, PrepRead) == 1
    response = reader.post(f"/p/{meeting.prep_token}/read", data={"name": "\u200b"})
    assert response.status_code == 422
    assert rows(meeting.app, PrepRead) == 1


def test_the_name_rules_in_the_domain():
    assert clean_name("  Zoë\u200b  de  Vries ") == "Zoë de Vries"
    assert name_key("Zoë") == name_key("ZOE") == name_key("Zoe\u0308")
    assert name_key("Anna") != name_key("Anne")
    assert name_key("김민준") == "김민준", "other scripts keep their letters"
    with pytest.raises(InvalidInput):
        clean_name("\u2800\u3164")


def test_invisible_characters_leave_every_text_and_emoji_stay_whole():
    text = clean_text("\ufeffrust\u200b in de \u202eklas 👩🏽‍🏫", limit=100, label="Tekst")
    assert text == "rust in de klas 👩🏽‍🏫"


# ---- the Markdown export reads literally ---------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "![x](https://evil.example/p.png)",
    "[klik](javascript:alert(1))",
    "# kop\n- lijst\n1. nummer\n> citaat\n---",
    "**vet** _schuin_ `code` &lt;b&gt;",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_the_markdown_export_shows_typed_text_literally_and_loads_nothing(app, text):
    from markdown_it import MarkdownIt

    with app.test_request_context():
        markdown = FORMATS["md"].render(entry_holding(text)).decode()
    html = MarkdownIt("commonmark").render(markdown)
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "<code>" not in html and "<blockquote>" not in html
    assert html.count("<h1>") == 1 and "<strong>vet</strong>" not in html
    assert re.sub(r"<[^>]+>", "", html).count("evil.example") == markdown.count("evil.example")


def test_literal_keeps_the_words():
    assert literal("Thomas zit 4 minuten stil.") == "Thomas zit 4 minuten stil."
    assert literal("a < b & c") == "a \\< b \\& c"
