"""What the group makes in steps 2–7, through the routes: who may add, change and see what."""

import pytest
from conftest import HTMX, MeetingDriver, close_app, every_row, flash_text, put_back
from lxml import html as lxml_html

from board.extensions import db
from board.models import Agreement, NeedCard, YieldVote

NEED = {"text": "korte instructie aan de instructietafel", "category": "instructie"}
AGREEMENT = {"topic": "parents", "what": "De inbrenger mailt de ouders vrijdag."}


class SavedMeeting(MeetingDriver):
    """conftest's meeting (lobby, Anna and Bram), made once per module and put back per test.

    Every test starts from a saved copy of the database's rows, with the same devices. A
    test's first go_to(n) loads a saved copy of step n, walked to once through the routes.
    """

    def __init__(self, app) -> None:
        super().__init__(app)
        self.open_lobby()
        self.join("Anna")
        self.join("Bram")
        self.devices = dict(self.colleagues)
        self.saved: dict[str, dict] = {}
        self.save("lobby")
        self.fresh = True

    def post(self, *args, **kwargs):
        self.fresh = False
        return super().post(*args, **kwargs)

    def go_to(self, step: int) -> None:
        if not self.fresh:
            return super().go_to(step)
        if f"step{step}" in self.saved:
            self.load(f"step{step}")
        else:
            super().go_to(step)
            self.save(f"step{step}")
        self.fresh = False

    def save(self, name: str) -> None:
        self.saved[name] = every_row(self.app)

    def load(self, name: str) -> None:
        put_back(self.app, self.saved[name])
        self.colleagues = dict(self.devices)
        self.fresh = True


@pytest.fixture(scope="module")
def saved_meeting(databases):
    app = databases.app()
    yield SavedMeeting(app)
    close_app(app)


@pytest.fixture
def meeting(saved_meeting):
    """Overrides conftest's: the same meeting in the lobby, restored rather than rebuilt."""
    saved_meeting.load("lobby")
    return saved_meeting


@pytest.fixture
def app(saved_meeting):
    """Overrides conftest's: the app of the saved meeting."""
    return saved_meeting.app


def add_card(meeting, who: str, key: str, text: str = NEED["text"], category: str = "instructie"):
    response = meeting.post(who, "/needs", {"text": text, "category": category, "client_key": key})
    assert response.status_code == 204, response.text
    with meeting.app.app_context():
        return next(card.id for card in meeting.meeting().needs if card.client_key == key)


def refused(response, status: int, message: str = "") -> None:
    """A refusal: the status, and a message in the flash region."""
    assert response.status_code == status, response.text
    assert response.headers["HX-Retarget"] == "#flash"
    assert flash_text(response)
    assert message in flash_text(response)


def page(meeting, who: str) -> str:
    response = meeting.device(who).get(meeting.url)
    assert response.status_code == 200
    return response.text


# Step 2: clarifying questions


def test_a_colleague_posts_a_clarifying_question_and_the_page_empties_the_form(app, meeting):
    meeting.go_to(2)
    response = meeting.post("Bram", "/questions", {"text": "Sinds wanneer speelt het?"})
    assert (response.status_code, response.text) == (204, "")  # board.js empties the form
    with app.app_context():
        [question] = meeting.meeting().questions
        assert (question.text, question.author_id) == (
            "Sinds wanneer speelt het?",
            meeting.participant_id("Bram"),
        )


@pytest.mark.parametrize("text", ["", "   ", "x" * 281], ids=["empty", "whitespace", "281"])
def test_a_bad_question_is_refused_and_nothing_is_stored(app, meeting, text):
    meeting.go_to(2)
    before = every_row(app)
    refused(meeting.post("Bram", "/questions", {"text": text}), 422, "Vraag:")
    assert every_row(app) == before


def test_the_teacher_marks_a_question_answered_and_back(app, meeting):
    meeting.go_to(2)
    meeting.post("Bram", "/questions", {"text": "Hoe lang duurt de kring?"})
    with app.app_context():
        question_id = meeting.meeting().questions[0].id
    assert meeting.post("teacher", f"/questions/{question_id}/answered").status_code == 204
    with app.app_context():
        assert meeting.meeting().questions[0].answered is True
    assert meeting.post("teacher", f"/questions/{question_id}/answered").status_code == 204
    with app.app_context():
        assert meeting.meeting().questions[0].answered is False


def test_a_colleague_cannot_mark_a_question_answered(app, meeting):
    meeting.go_to(2)
    meeting.post("Bram", "/questions", {"text": "Hoe lang duurt de kring?"})
    with app.app_context():
        question_id = meeting.meeting().questions[0].id
    before = every_row(app)
    refused(meeting.post("Bram", f"/questions/{question_id}/answered"), 403)
    assert every_row(app) == before


# Step 3: the goal


def test_the_teacher_autosaves_each_part_of_the_goal(app, meeting):
    meeting.go_to(3)
    for field, value in [("text", "Thomas blijft vier minuten zitten"), ("evaluation_when", "vr")]:
        response = meeting.post("teacher", "/goal", {"field": field, "value": value})
        assert response.status_code == 200
        assert response.text.strip() == "Opgeslagen"
    with app.app_context():
        goal = meeting.meeting().goal
        assert (goal.text, goal.evaluation_when) == ("Thomas blijft vier minuten zitten", "vr")


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"field": "teacher_token", "value": "x"}, "Onbekend onderdeel van het doel."),
        ({"field": "text", "value": "x" * 301}, "Doel: dit is te lang"),
    ],
    ids=["unknown-field", "301-characters"],
)
def test_a_bad_goal_autosave_is_refused_and_nothing_is_stored(app, meeting, form, message):
    meeting.go_to(3)
    before = every_row(app)
    refused(meeting.post("teacher", "/goal", form), 422, message)
    assert every_row(app) == before


def test_a_colleague_cannot_write_the_goal_but_may_suggest(app, meeting):
    meeting.go_to(3)
    before = every_row(app)
    response = meeting.post("Anna", "/goal", {"field": "text", "value": "Mijn doel"})
    refused(response, 403, "suggestie")
    assert every_row(app) == before


def test_the_teacher_adopts_a_colleagues_suggestion_as_the_goal(app, meeting):
    meeting.go_to(3)
    wording = "Thomas blijft op drie ochtenden per week vier minuten in de kring zitten."
    assert meeting.post("Bram", "/suggestions", {"text": wording}).status_code == 204
    with app.app_context():
        suggestion_id = meeting.meeting().suggestions[0].id
    assert meeting.post("teacher", f"/suggestions/{suggestion_id}/adopt").status_code == 204
    with app.app_context():
        meeting_now = meeting.meeting()
        assert meeting_now.goal_text == wording
        assert meeting_now.suggestions[0].adopted is True
    goal = lxml_html.fromstring(page(meeting, "Anna")).get_element_by_id("goal")
    assert goal.find_class("goal-text")[0].text_content() == wording


def test_a_colleague_cannot_adopt_a_suggestion(app, meeting):
    meeting.go_to(3)
    meeting.post("Bram", "/suggestions", {"text": "Vier minuten"})
    with app.app_context():
        suggestion_id = meeting.meeting().suggestions[0].id
    before = every_row(app)
    refused(meeting.post("Bram", f"/suggestions/{suggestion_id}/adopt"), 403)
    assert every_row(app) == before


# Step 4: need cards


def test_a_colleague_adds_a_need_card(app, meeting):
    meeting.go_to(4)
    card_id = add_card(meeting, "Bram", "k1")
    with app.app_context():
        card = db.session.get(NeedCard, card_id)
        assert (card.text, card.category, card.author_id) == (
            NEED["text"],
            "instructie",
            meeting.participant_id("Bram"),
        )


def test_a_need_card_of_280_characters_is_accepted(app, meeting):
    meeting.go_to(4)
    card_id = add_card(meeting, "Bram", "k1", text="x" * 280)
    with app.app_context():
        assert len(db.session.get(NeedCard, card_id).text) == 280


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({**NEED, "text": ""}, "Onderwijsbehoefte: vul dit in."),
        ({**NEED, "text": " \n\t "}, "Onderwijsbehoefte: vul dit in."),
        ({**NEED, "text": "x" * 281}, "Onderwijsbehoefte: dit is te lang (281 tekens"),
        ({**NEED, "category": "etiket"}, "Kies een categorie"),
        ({**NEED, "client_key": ""}, "Kaartsleutel: vul dit in."),
    ],
    ids=["empty", "whitespace", "281-characters", "unknown-category", "no-client-key"],
)
def test_a_bad_need_card_is_refused_and_nothing_is_stored(app, meeting, form, message):
    meeting.go_to(4)
    before = every_row(app)
    refused(meeting.post("Bram", "/needs", {"client_key": "k1", **form}), 422, message)
    assert every_row(app) == before


@pytest.mark.parametrize("step", [3, 5])
def test_a_need_card_outside_step_4_is_409_and_not_stored(app, meeting, step):
    meeting.go_to(step)
    before = every_row(app)
    response = meeting.post("Bram", "/needs", {**NEED, "client_key": "k1"})
    refused(response, 409)
    assert every_row(app) == before


@pytest.mark.parametrize("key", [None, "", "\x00", "k" * 65], ids=["none", "empty", "nul", "long"])
def test_whether_a_card_may_be_added_at_all_is_said_before_its_key_is_judged(app, meeting, key):
    """A closed meeting, a wrong step or the wrong role answer as such, whatever the key;
    only a device that may add a card hears that its key is unusable."""
    form = {**NEED} if key is None else {**NEED, "client_key": key}
    meeting.go_to(4)
    before = every_row(app)
    refused(meeting.post("teacher", "/needs", form), 403, "luistert")
    refused(meeting.post("Bram", "/needs", form), 422, "Kaartsleutel")
    meeting.go_to(5)
    refused(meeting.post("Bram", "/needs", form), 409)
    assert meeting.post("teacher", "/close", {"confirm": "yes"}).status_code == 204
    refused(meeting.post("Bram", "/needs", form), 409, "afgesloten")
    assert every_row(app)["need_card"] == before["need_card"] == [], "no card stored"


def test_the_teacher_cannot_add_a_need_card_in_step_4(app, meeting):
    meeting.go_to(4)
    before = every_row(app)
    response = meeting.post("teacher", "/needs", {**NEED, "client_key": "k1"})
    refused(response, 403, "luistert")
    assert every_row(app) == before


def test_the_same_client_key_twice_gives_one_card(app, meeting):
    meeting.go_to(4)
    first = add_card(meeting, "Bram", "same-key")
    second = add_card(meeting, "Bram", "same-key")
    assert first == second
    with app.app_context():
        assert len(meeting.meeting().needs) == 1


def test_a_colleague_cannot_edit_or_withdraw_someone_elses_card(app, meeting):
    meeting.go_to(4)
    card_id = add_card(meeting, "Anna", "anna-1")
    before = every_row(app)
    response = meeting.post(
        "Bram", f"/needs/{card_id}", {"text": "iets anders", "category": "anders"}
    )
    refused(response, 403, "eigen kaartjes")
    refused(meeting.post("Bram", f"/needs/{card_id}/withdraw"), 403, "eigen kaartjes")
    assert every_row(app) == before


def test_a_colleague_edits_and_withdraws_their_own_card(app, meeting):
    meeting.go_to(4)
    card_id = add_card(meeting, "Anna", "anna-1")
    response = meeting.post(
        "Anna", f"/needs/{card_id}", {"text": "een vaste plek", "category": "anders"}
    )
    assert response.status_code == 204
    with app.app_context():
        card = db.session.get(NeedCard, card_id)
        assert (card.text, card.category) == ("een vaste plek", "anders")
    assert meeting.post("Anna", f"/needs/{card_id}/withdraw").status_code == 204
    with app.app_context():
        assert meeting.meeting().needs == []


def test_editing_ones_own_card_into_an_empty_one_is_refused(app, meeting):
    meeting.go_to(4)
    card_id = add_card(meeting, "Anna", "anna-1")
    before = every_row(app)
    response = meeting.post("Anna", f"/needs/{card_id}", {"text": "  ", "category": "anders"})
    refused(response, 422, "Onderwijsbehoefte: vul dit in.")
    assert every_row(app) == before


def test_a_card_with_html_is_shown_escaped_on_every_screen(meeting):
    meeting.go_to(4)
    add_card(meeting, "Bram", "xss", text="<script>alert(1)</script>")
    for who in ("teacher", "Anna", "Bram", "screen"):
        for path in ("", "/live"):
            html = meeting.device(who).get(meeting.url + path).text
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, (who, path)
            assert "<script>alert(1)" not in html, (who, path)


def test_the_teachers_notes_stay_on_the_teachers_screen(meeting):
    meeting.go_to(4)
    notes = "Thomas zat vandaag al onrustig; moeder bellen"
    response = meeting.post("teacher", "/notes", {"value": notes})
    assert response.text.strip() == "Opgeslagen"
    assert notes in page(meeting, "teacher")
    for who in ("Anna", "Bram", "screen"):
        for path in ("", "/live"):
            assert notes not in meeting.device(who).get(meeting.url + path).text, (who, path)


# Step 5: what is feasible


def card_in_step_5(meeting) -> int:
    """Two cards written in step 4; the id of Anna's, now that the meeting is in step 5."""
    meeting.go_to(4)
    card_id = add_card(meeting, "Anna", "anna-1")
    add_card(meeting, "Bram", "bram-1", text="een maatje in de kring", category="groepsgenoten")
    meeting.go_to(5)
    return card_id


def marks(app, card_id: int) -> tuple:
    with app.app_context():
        card = db.session.get(NeedCard, card_id)
        return card.feasibility, card.per_week, card.subgroup, card.plan_place


def test_the_teacher_marks_a_need_feasible_and_then_not_now(app, meeting):
    card_id = card_in_step_5(meeting)
    feasible = {
        "feasibility": "feasible",
        "per_week": "3",
        "plan_place": "kring",
        "subgroup": "basis",
    }
    response = meeting.post("teacher", f"/needs/{card_id}/mark", feasible)
    assert response.status_code == 200
    assert response.text.strip() == "Opgeslagen"
    assert marks(app, card_id) == ("feasible", 3, "basis", "kring")
    not_now = {"feasibility": "not_now", "per_week": "3"}
    assert meeting.post("teacher", f"/needs/{card_id}/mark", not_now).status_code == 200
    assert marks(app, card_id) == ("not_now", None, None, "")


def test_each_choice_is_saved_the_moment_it_is_made_and_leaves_the_others(app, meeting):
    card_id = card_in_step_5(meeting)
    steps = [
        ({"feasibility": "feasible"}, ("feasible", None, None, "")),
        ({"per_week": "3"}, ("feasible", 3, None, "")),
        ({"subgroup": "intensief"}, ("feasible", 3, "intensief", "")),
        ({"plan_place": "instructietafel"}, ("feasible", 3, "intensief", "instructietafel")),
        ({"per_week": ""}, ("feasible", None, "intensief", "instructietafel")),
        ({"subgroup": ""}, ("feasible", None, None, "instructietafel")),
    ]
    for choice, expected in steps:
        response = meeting.post("teacher", f"/needs/{card_id}/mark", choice)
        assert response.status_code == 200, (choice, response.text)
        assert "Opgeslagen" in response.text
        assert marks(app, card_id) == expected, choice


def test_without_javascript_a_mark_goes_back_to_the_board(app, meeting):
    card_id = card_in_step_5(meeting)
    response = meeting.post(
        "teacher", f"/needs/{card_id}/mark", {"feasibility": "not_now"}, htmx=False
    )
    assert response.status_code == 303
    assert marks(app, card_id) == ("not_now", None, None, "")


def test_the_teachers_step_5_marks_every_card_in_one_row_without_a_save_button(meeting):
    card_id = card_in_step_5(meeting)
    tree = lxml_html.fromstring(page(meeting, "teacher"))
    row = tree.get_element_by_id(f"need-{card_id}")
    labels = [" ".join(label.text_content().split()) for label in row.iter("label")]
    assert labels == [
        "Haalbaar",
        "Niet nu",
        "Hoe vaak per week",
        "Subgroep",
        "Plek in het groepsplan",
    ]
    controls = row.xpath(".//input[not(@type='hidden')] | .//select")
    # Each control saves itself, and sends only its own choice.
    assert all(c.get("hx-post", "").endswith(f"/needs/{card_id}/mark") for c in controls)
    assert [c.get("hx-params") for c in controls] == [
        "feasibility",
        "feasibility",
        "per_week",
        "subgroup",
        "plan_place",
    ]
    assert not row.xpath(".//button[not(ancestor::noscript)]")


@pytest.mark.parametrize("card", ["unmarked", "not_now"])
@pytest.mark.parametrize(
    "choice", [{"per_week": "3"}, {"subgroup": "basis"}, {"plan_place": "kring"}]
)
def test_how_often_subgroup_and_place_wait_for_haalbaar(app, meeting, card, choice):
    card_id = card_in_step_5(meeting)
    if card == "not_now":
        meeting.post("teacher", f"/needs/{card_id}/mark", {"feasibility": "not_now"})
    before = every_row(app)
    response = meeting.post("teacher", f"/needs/{card_id}/mark", choice)
    refused(response, 422, "Kies eerst haalbaar")
    assert every_row(app) == before


def test_a_colleague_cannot_mark_a_need(app, meeting):
    card_id = card_in_step_5(meeting)
    before = every_row(app)
    response = meeting.post("Anna", f"/needs/{card_id}/mark", {"feasibility": "feasible"})
    refused(response, 403, "Alleen de inbrenger bepaalt")
    assert every_row(app) == before


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"feasibility": "feasible", "per_week": "x"}, "vul een heel getal in"),
        ({"feasibility": "feasible", "per_week": "0"}, "van 1 tot en met 50"),
        ({"feasibility": "feasible", "per_week": "51"}, "van 1 tot en met 50"),
        ({"feasibility": "maybe"}, "Kies haalbaar of niet nu."),
        ({"feasibility": "feasible", "subgroup": "top"}, "Kies basis, intensief of meer."),
        ({"per_week": "x"}, "vul een heel getal in"),
        ({"per_week": "99"}, "van 1 tot en met 50"),
        ({"subgroup": "top"}, "Kies basis, intensief of meer."),
        ({"plan_place": "p" * 101}, "Plek in het plan"),
        ({"feasibility": ""}, "Kies haalbaar of niet nu."),
        ({}, "Kies haalbaar of niet nu."),
    ],
    ids=[
        "per-week-x",
        "per-week-0",
        "per-week-51",
        "unknown-choice",
        "unknown-subgroup",
        "alone-per-week-x",
        "alone-per-week-99",
        "alone-unknown-subgroup",
        "alone-place-too-long",
        "alone-empty-choice",
        "no-choice",
    ],
)
def test_a_bad_mark_is_refused_and_nothing_is_stored(app, meeting, form, message):
    card_id = card_in_step_5(meeting)
    meeting.post("teacher", f"/needs/{card_id}/mark", {"feasibility": "feasible", "per_week": "2"})
    before = every_row(app)
    refused(meeting.post("teacher", f"/needs/{card_id}/mark", form), 422, message)
    assert every_row(app) == before


def test_the_teacher_writes_support_needs_that_colleagues_then_see(app, meeting):
    card_in_step_5(meeting)
    response = meeting.post("teacher", "/support", {"field": "support_needs", "value": "IB'er"})
    assert response.text.strip() == "Opgeslagen"
    support = lxml_html.fromstring(page(meeting, "Bram")).get_element_by_id("support")
    assert "IB'er" in support.text_content()


# Step 6: agreements


def add_agreement(meeting, who: str, what: str) -> int:
    response = meeting.post(who, "/agreements", {**AGREEMENT, "what": what, "who": "Juf Sanne"})
    assert response.status_code == 204, response.text
    with meeting.app.app_context():
        return next(a.id for a in meeting.meeting().agreements if a.what == what)


def test_teacher_and_colleagues_all_add_agreements(app, meeting):
    meeting.go_to(6)
    add_agreement(meeting, "teacher", "Ouders mailen")
    add_agreement(meeting, "Bram", "Thomas kiest zelf zijn plek")
    with app.app_context():
        authors = [(a.what, a.author_id) for a in meeting.meeting().agreements]
    assert authors == [
        ("Ouders mailen", meeting.participant_id("Leerkracht van Thomas")),
        ("Thomas kiest zelf zijn plek", meeting.participant_id("Bram")),
    ]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({**AGREEMENT, "what": ""}, "Afspraak: vul dit in."),
        ({**AGREEMENT, "what": "x" * 301}, "Afspraak: dit is te lang"),
        ({**AGREEMENT, "topic": "weather"}, "Kies een onderwerp"),
    ],
    ids=["empty", "301-characters", "unknown-topic"],
)
def test_a_bad_agreement_is_refused_and_nothing_is_stored(app, meeting, form, message):
    meeting.go_to(6)
    before = every_row(app)
    refused(meeting.post("Anna", "/agreements", form), 422, message)
    assert every_row(app) == before


def test_only_the_teacher_edits_or_removes_an_agreement(app, meeting):
    meeting.go_to(6)
    agreement_id = add_agreement(meeting, "Bram", "Thomas kiest zelf zijn plek")
    before = every_row(app)
    for who in ("Bram", "Anna"):
        edit = meeting.post(who, f"/agreements/{agreement_id}", {**AGREEMENT, "what": "Anders"})
        refused(edit, 403)
        refused(meeting.post(who, f"/agreements/{agreement_id}/remove"), 403)
    assert every_row(app) == before
    edit = {**AGREEMENT, "what": "Thomas kiest elke ochtend zijn plek", "when": "vanaf maandag"}
    assert meeting.post("teacher", f"/agreements/{agreement_id}", edit).status_code == 204
    with app.app_context():
        agreement = db.session.get(Agreement, agreement_id)
        assert (agreement.what, agreement.when) == (edit["what"], "vanaf maandag")
    assert meeting.post("teacher", f"/agreements/{agreement_id}/remove").status_code == 204
    with app.app_context():
        assert meeting.meeting().agreements == []


# Step 7: the yield


def test_voting_again_replaces_the_first_vote(app, meeting):
    meeting.go_to(7)
    first = meeting.post("Anna", "/vote", {"worth_it": "yes", "why": "Concreet doel"})
    assert first.status_code == 200
    assert meeting.post("Anna", "/vote", {"worth_it": "no", "why": "Te kort"}).status_code == 200
    with app.app_context():
        votes = db.session.execute(db.select(YieldVote)).scalars().all()
        assert [(v.participant_id, v.worth_it, v.why) for v in votes] == [
            (meeting.participant_id("Anna"), False, "Te kort")
        ]


def test_a_vote_without_a_choice_is_refused(app, meeting):
    meeting.go_to(7)
    before = every_row(app)
    refused(meeting.post("Anna", "/vote", {"why": "Weet niet"}), 422, "Kies ja of nee")
    assert every_row(app) == before


# A stale form and a closed meeting


def test_a_form_made_for_an_earlier_step_is_refused_and_the_step_stays(app, meeting):
    meeting.go_to(2)
    before = every_row(app)
    refused(meeting.post("teacher", "/next", {"stage": "step1"}), 409, "intussen verder")
    assert every_row(app) == before
    with app.app_context():
        assert meeting.meeting().stage == "step2"


def test_a_need_form_made_in_step_4_is_refused_once_the_meeting_moved_on(app, meeting):
    meeting.go_to(5)
    before = every_row(app)
    response = meeting.post("Bram", "/needs", {**NEED, "client_key": "k1", "stage": "step4"})
    refused(response, 409)
    assert every_row(app) == before


def test_without_htmx_a_command_returns_to_the_board(meeting):
    meeting.go_to(4)
    response = meeting.post("Bram", "/needs", {**NEED, "client_key": "k1"}, htmx=False)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(meeting.url)


def test_without_htmx_a_refusal_is_a_page_with_the_message(app, meeting):
    meeting.go_to(4)
    before = every_row(app)
    response = meeting.post("teacher", "/needs", {**NEED, "client_key": "k1"}, htmx=False)
    assert response.status_code == 403
    assert "HX-Retarget" not in response.headers
    alert = lxml_html.fromstring(response.text).xpath("//*[@role='alert']")[0]
    assert "luistert" in alert.text_content()
    assert every_row(app) == before


def closed_meeting_with_content(meeting) -> dict:
    """Walk through every step leaving something behind, then close; returns the ids."""
    meeting.make_timekeeper("Anna")
    meeting.go_to(2)
    meeting.post("Bram", "/questions", {"text": "Sinds wanneer?"})
    meeting.go_to(3)
    meeting.post("Bram", "/suggestions", {"text": "Vier minuten"})
    meeting.go_to(4)
    card = add_card(meeting, "Anna", "anna-1")
    meeting.go_to(6)
    agreement = add_agreement(meeting, "Bram", "Ouders mailen")
    meeting.go_to(7)
    meeting.post("Anna", "/vote", {"worth_it": "yes"})
    assert meeting.post("Anna", "/close", {"confirm": "yes"}).status_code == 204
    with meeting.app.app_context():
        now = meeting.meeting()
        return {
            "question": now.questions[0].id,
            "suggestion": now.suggestions[0].id,
            "card": card,
            "agreement": agreement,
        }


def test_after_closing_every_command_is_refused_and_nothing_changes(app, meeting):
    ids = closed_meeting_with_content(meeting)
    commands = [
        ("teacher", "/prep", {"field": "reason", "value": "x"}),
        ("teacher", "/start", {}),
        ("teacher", "/previous", {}),
        ("Anna", "/next", {}),
        ("Anna", "/timer/extend", {}),
        ("Anna", "/close", {"confirm": "yes"}),
        ("Bram", "/questions", {"text": "Nog een vraag"}),
        ("teacher", f"/questions/{ids['question']}/answered", {}),
        ("teacher", "/goal", {"field": "text", "value": "Nieuw doel"}),
        ("Bram", "/suggestions", {"text": "Nieuw"}),
        ("teacher", f"/suggestions/{ids['suggestion']}/adopt", {}),
        ("teacher", "/notes", {"value": "na afloop"}),
        ("Bram", "/needs", {**NEED, "client_key": "late"}),
        ("Anna", f"/needs/{ids['card']}", {**NEED, "text": "anders"}),
        ("Anna", f"/needs/{ids['card']}/withdraw", {}),
        ("teacher", f"/needs/{ids['card']}/mark", {"feasibility": "feasible"}),
        ("teacher", "/support", {"field": "plan_note", "value": "x"}),
        ("Bram", "/agreements", AGREEMENT),
        ("teacher", f"/agreements/{ids['agreement']}", AGREEMENT),
        ("teacher", f"/agreements/{ids['agreement']}/remove", {}),
        ("Bram", "/vote", {"worth_it": "no"}),
    ]
    before = every_row(app)
    for who, path, data in commands:
        response = meeting.post(who, path, data)
        assert response.status_code == 409, (who, path, response.text)
        assert "afgesloten" in flash_text(response), (who, path)
    assert every_row(app) == before


def test_the_closed_board_still_shows_for_everyone(meeting):
    closed_meeting_with_content(meeting)
    for who in ("teacher", "Anna", "Bram", "screen"):
        assert 'data-stage="closed"' in page(meeting, who)


# The summary


class FakeClock:
    """The step timers' clock, moved on by hand."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


ACTUAL_SECONDS = {1: 320, 2: 600, 3: 90, 4: 610, 5: 300, 6: 240, 7: 150}


@pytest.fixture
def summarized(app, meeting, monkeypatch):
    """A whole meeting with known content and known minutes per step, closed."""
    clock = FakeClock()
    monkeypatch.setattr("board.services.steps.clock", clock)
    meeting.make_timekeeper("Anna")
    assert meeting.post("Anna", "/start").status_code == 204
    for step, seconds in ACTUAL_SECONDS.items():
        do_step(meeting, step)
        clock.now += seconds
        command, data = ("/next", {}) if step < 7 else ("/close", {"confirm": "yes"})
        assert meeting.post("Anna", command, data).status_code == 204
    return meeting


GOAL = "Thomas blijft op drie ochtenden per week vier minuten in de kring zitten."


def do_step(meeting, step: int) -> None:
    """What the group does in each step of the summary meeting."""
    if step == 3:
        meeting.post("teacher", "/goal", {"field": "text", "value": GOAL})
        meeting.post("teacher", "/goal", {"field": "evaluation_when", "value": "elke vrijdag"})
    elif step == 4:
        add_card(meeting, "Anna", "a1", text="een wiebelkussen", category="anders")
        add_card(meeting, "Bram", "b1", text="korte instructie vooraf")
        add_card(meeting, "Bram", "b2", text="een eigen rooster", category="opdrachten")
        add_card(meeting, "Anna", "a2", text="een maatje", category="groepsgenoten")
    elif step == 5:
        marks = {
            "a1": {"feasibility": "feasible", "per_week": "3"},
            "b1": {"feasibility": "feasible", "per_week": "5", "plan_place": "instructie"},
            "b2": {"feasibility": "not_now"},
        }
        with meeting.app.app_context():
            keys = {card.client_key: card.id for card in meeting.meeting().needs}
        for key, mark in marks.items():
            assert meeting.post("teacher", f"/needs/{keys[key]}/mark", mark).status_code == 200
    elif step == 6:
        add_agreement(meeting, "Bram", "Ouders mailen")
    elif step == 7:
        meeting.post("Anna", "/vote", {"worth_it": "yes", "why": "Concreet doel"})
        meeting.post("Bram", "/vote", {"worth_it": "no"})


def section(tree, title: str):
    return next(s for s in tree.iter("section") if s.findtext("h2") == title)


def table_rows(element) -> list[list[str]]:
    return [
        [cell.text_content().strip() for cell in row.findall("td")]
        for row in element.iter("tr")
        if row.findall("td")
    ]


def test_only_the_teacher_sees_the_summary(app, meeting):
    for who in ("Anna", "Bram", "screen", "stranger"):
        response = meeting.device(who).get(meeting.url + "/summary")
        assert response.status_code == 403, who
    assert meeting.teacher.get(meeting.url + "/summary").status_code == 200


def test_the_summary_shows_the_group_plan_entry(summarized):
    response = summarized.teacher.get(summarized.url + "/summary")
    assert response.status_code == 200
    tree = lxml_html.fromstring(response.text)
    assert tree.find_class("status")[0].text_content() == "Definitief"
    assert section(tree, "Doel").find_class("goal-text")[0].text_content() == GOAL
    assert "elke vrijdag" in section(tree, "Evaluatie").text_content()
    needs = table_rows(section(tree, "Onderwijsbehoeften en aanpak"))
    assert [(row[0], row[2].split(";")[0]) for row in needs] == [
        ("een wiebelkussen", "3× per week"),
        ("korte instructie vooraf", "5× per week"),
    ]
    apart = section(tree, "Niet nu")
    not_now, unmarked = apart.findall("ul")
    assert [li.text.strip() for li in not_now.iter("li")] == ["een eigen rooster"]
    assert [li.text.strip() for li in unmarked.iter("li")] == ["een maatje"]
    agreements = table_rows(section(tree, "Afspraken"))
    assert [row[1:3] for row in agreements] == [["Ouders mailen", "Juf Sanne"]]
    assert "1 keer ja, 1 keer nee" in section(tree, "Opbrengst").text_content()
    minutes = table_rows(section(tree, "Tijd per stap"))
    assert [row[1:] for row in minutes] == [
        ["5:00", "5:20"],
        ["10:00", "10:00"],
        ["2:00", "1:30"],
        ["10:00", "10:10"],
        ["5:00", "5:00"],
        ["5:00", "4:00"],
        ["2:00", "2:30"],
    ]


def test_a_colleague_opens_the_editor_of_their_own_card_only(app, meeting):
    meeting.go_to(4)
    meeting.post(
        "Anna", "/needs", {"text": "een vaste plek", "category": "leerkracht", "client_key": "ed1"}
    )
    with app.app_context():
        card_id = next(c.id for c in meeting.meeting().needs if c.client_key == "ed1")
    own = meeting.device("Anna").get(f"{meeting.url}/needs/{card_id}/edit", headers=HTMX)
    assert own.status_code == 200
    assert "een vaste plek" in own.text and f"/needs/{card_id}/withdraw" in own.text
    other = meeting.device("Bram").get(f"{meeting.url}/needs/{card_id}/edit", headers=HTMX)
    assert other.status_code == 403
    assert "een vaste plek" not in other.text
