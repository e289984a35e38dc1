"""The team's cycle through its routes: an admin plans slots, a teacher makes her meeting of
one, the team's secret calendar feed, the team's minutes per step, and the figures page."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest
from flask import render_template

from board import invitation
from board.domain.permissions import TEAM_PERMISSIONS, TeamAction, TeamRole
from board.domain.steps import STEPS
from board.extensions import db
from board.models import Meeting, Membership, Participant, Slot, StepTime, Team, YieldVote
from board.services.common import utcnow
from board.team import accounts, cycle, service
from tests.conftest import every_row

PASSWORD = "een lange zin om mee in te loggen"
TODAY = date.today()
NEXT_WEEK = TODAY + timedelta(days=7)


@dataclass
class TeamWorld:
    app: object
    public_id: str
    other_public_id: str
    ids: dict[str, int]
    clients: dict[str, object]

    def team(self) -> Team:
        db.session.expire_all()
        return db.session.execute(db.select(Team).filter_by(public_id=self.public_id)).scalar_one()

    def url(self, path: str = "", team: str | None = None) -> str:
        return f"/team/{team or self.public_id}{path}"

    def post(self, who: str, path: str, data: dict | None = None, team: str | None = None):
        return self.clients[who].post(self.url(path, team), data=data or {})

    def get(self, who: str, path: str, team: str | None = None):
        return self.clients[who].get(self.url(path, team))

    def plan(self, **fields):
        data = {"slot_date": str(NEXT_WEEK), "start_time": "15:15", "place": "Teamkamer"}
        data.update(fields)
        return self.post("admin", "/planning", data)

    def slot_ids(self) -> list[int]:
        with self.app.app_context():
            return [slot.id for slot in self.team().slots]


def log_in(app, login: str):
    client = app.test_client()
    response = client.post("/team/inloggen", data={"login": login, "password": PASSWORD})
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def world(app) -> TeamWorld:
    """Team "De Regenboog": Ineke (admin, the IB'er), Sanne and Joost (members); Piet is an
    admin of another team; "anonymous" is not logged in."""
    with app.app_context():
        people = {
            "admin": accounts.new_account("ineke", "Ineke", PASSWORD),
            "sanne": accounts.new_account("sanne", "Sanne", PASSWORD),
            "joost": accounts.new_account("joost", "Joost", PASSWORD),
            "outsider": accounts.new_account("piet", "Piet", PASSWORD),
        }
        team = service.new_team(people["admin"], "De Regenboog")
        for name in ("sanne", "joost"):
            team.memberships.append(Membership(account=people[name], role=TeamRole.MEMBER))
        other = service.new_team(people["outsider"], "De Vlinder")
        db.session.commit()
        ids = {name: account.id for name, account in people.items()}
        public_id, other_public_id = team.public_id, other.public_id
    clients = {
        name: log_in(app, login)
        for name, login in [
            ("admin", "ineke"),
            ("sanne", "sanne"),
            ("joost", "joost"),
            ("outsider", "piet"),
        ]
    }
    clients["anonymous"] = app.test_client()
    return TeamWorld(app, public_id, other_public_id, ids, clients)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))


# ---- slots ----------------------------------------------------------------------------------


def test_an_admin_plans_who_brings_in_when_and_everyone_in_the_team_sees_it(world):
    response = world.plan(presenter_account_id=str(world.ids["sanne"]))

    assert response.status_code == 303
    with world.app.app_context():
        slot = world.team().slots[0]
        assert (slot.slot_date, slot.start_time, slot.place) == (
            NEXT_WEEK,
            time(15, 15),
            "Teamkamer",
        )
        assert (slot.presenter, slot.presenter_account_id) == ("Sanne", world.ids["sanne"])
        assert slot.meeting_id is None
    page = text_of(world.get("joost", "/planning"))
    assert "Sanne" in page and "Teamkamer" in page


def test_an_admin_may_plan_someone_without_an_account_by_name(world):
    assert world.plan(presenter="Fatima").status_code == 303

    with world.app.app_context():
        assert world.team().slots[0].presenter == "Fatima"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"slot_date": str(TODAY - timedelta(days=1))}, "Datum: die dag is al voorbij"),
        ({"slot_date": "31-02-2027"}, "Datum: kies een geldige datum."),
        ({"start_time": "kwart over drie"}, "Begintijd: vul een tijd in"),
        ({"presenter": ""}, "Wie brengt er in? Kies een teamlid of vul een naam in."),
        ({"presenter_account_id": "999"}, "Die persoon is geen lid van dit team."),
    ],
)
def test_a_bad_slot_is_refused_with_a_dutch_message_and_nothing_changes(world, fields, message):
    before = every_row(world.app)

    response = world.plan(**{"presenter": "Fatima", **fields})

    assert response.status_code == 422
    assert message in text_of(response)
    assert every_row(world.app) == before


def test_the_presenter_of_another_team_cannot_be_planned(world):
    before = every_row(world.app)

    response = world.plan(presenter_account_id=str(world.ids["outsider"]))

    assert response.status_code == 422
    assert every_row(world.app) == before


def test_an_admin_removes_a_slot_not_yet_taken(world):
    world.plan(presenter="Fatima")
    [slot_id] = world.slot_ids()

    assert world.post("admin", f"/planning/{slot_id}/weg").status_code == 303

    assert world.slot_ids() == []


# ---- taking a slot --------------------------------------------------------------------------


def take(world, who: str, slot_id: int, **fields):
    data = {"pupil_alias": "Thomas", "group_name": "5b", **fields}
    return world.post(who, f"/planning/{slot_id}/overnemen", data)


def test_the_teacher_makes_her_meeting_of_her_slot_and_lands_in_its_teacher_view(world):
    world.plan(presenter_account_id=str(world.ids["sanne"]))
    [slot_id] = world.slot_ids()

    form = world.get("sanne", f"/planning/{slot_id}/overnemen")
    response = take(world, "sanne", slot_id)

    assert form.status_code == 200 and "Welke leerling breng je in?" in form.text
    assert response.status_code == 303
    meeting_url = response.headers["Location"]
    with world.app.app_context():
        team = world.team()
        meeting = db.session.get(Meeting, team.slots[0].meeting_id)
        assert meeting.team_id == team.id
        assert (meeting.meeting_date, meeting.start_time, meeting.place) == (
            NEXT_WEEK,
            time(15, 15),
            "Teamkamer",
        )
        assert (meeting.pupil_alias, meeting.group_name) == ("Thomas", "5b")
        assert next(p.name for p in meeting.participants if p.role == "teacher") == "Sanne"
        assert meeting_url.endswith(f"/m/{meeting.id}")
    teacher_view = world.clients["sanne"].get(meeting_url)
    assert teacher_view.status_code == 200
    assert "Voorbereiding" in teacher_view.text


def test_a_slot_is_taken_once(world):
    world.plan(presenter="Fatima")
    [slot_id] = world.slot_ids()
    assert take(world, "sanne", slot_id).status_code == 303
    before = every_row(world.app)

    again = take(world, "joost", slot_id, pupil_alias="Lotte")

    assert again.status_code == 409
    assert "al een bijeenkomst geworden" in text_of(again)
    assert every_row(world.app) == before


def test_of_two_taking_a_slot_at_the_same_moment_the_second_gets_no_meeting(world, monkeypatch):
    world.plan(presenter="Fatima")
    [slot_id] = world.slot_ids()
    make_meeting = cycle.create_meeting

    def joost_was_first(fields, team):
        """Joost's meeting lands while Sanne's is being made (after her checks passed)."""
        meeting = make_meeting(fields, team=team)
        first = make_meeting({**fields, "pupil_alias": "Lotte"}, team=team)
        db.session.execute(db.update(Slot).values(meeting_id=first.id))
        db.session.commit()
        return meeting

    monkeypatch.setattr(cycle, "create_meeting", joost_was_first)

    response = take(world, "sanne", slot_id)

    assert response.status_code == 409
    assert "al een bijeenkomst geworden" in text_of(response)
    with world.app.app_context():
        meetings = db.session.execute(db.select(Meeting)).scalars().all()
        assert [m.pupil_alias for m in meetings] == ["Lotte"]
        assert world.team().slots[0].meeting_id == meetings[0].id


def test_a_teacher_cannot_take_a_slot_planned_for_a_colleague(world):
    world.plan(presenter_account_id=str(world.ids["sanne"]))
    [slot_id] = world.slot_ids()
    before = every_row(world.app)

    response = take(world, "joost", slot_id)

    assert response.status_code == 403
    assert "Dit inbrengmoment is van Sanne." in text_of(response)
    assert every_row(world.app) == before


def test_taking_a_slot_with_a_bad_pupil_alias_says_why_and_makes_nothing(world):
    world.plan(presenter_account_id=str(world.ids["sanne"]))
    [slot_id] = world.slot_ids()
    before = every_row(world.app)

    response = take(world, "sanne", slot_id, pupil_alias="")

    assert response.status_code == 422
    assert 'class="error"' in response.text
    assert every_row(world.app) == before


def test_a_slot_whose_day_has_passed_cannot_become_a_meeting(world):
    world.plan(presenter_account_id=str(world.ids["sanne"]))
    [slot_id] = world.slot_ids()
    with world.app.app_context():
        db.session.get(Slot, slot_id).slot_date = TODAY - timedelta(days=1)
        db.session.commit()
    before = every_row(world.app)

    response = take(world, "sanne", slot_id)

    assert response.status_code == 422
    assert "die dag is al voorbij" in text_of(response)
    assert every_row(world.app) == before


# ---- the team's minutes per step ------------------------------------------------------------


def minutes_form(*minutes: int) -> dict:
    return {f"step_{number}": str(value) for number, value in enumerate(minutes, start=1)}


def test_the_teams_minutes_per_step_time_its_new_meetings(world):
    response = world.post("admin", "/minuten", minutes_form(5, 12, 3, 12, 5, 5, 3))
    world.plan(presenter_account_id=str(world.ids["sanne"]))
    [slot_id] = world.slot_ids()
    take(world, "sanne", slot_id)

    assert response.status_code == 303
    assert "Samen: 45 minuten" in text_of(world.get("joost", "/planning"))
    with world.app.app_context():
        team = world.team()
        assert team.step_minutes == "5,12,3,12,5,5,3"
        meeting = db.session.get(Meeting, team.slots[0].meeting_id)
        assert meeting.step_minutes == "5,12,3,12,5,5,3"
        planned = [row.planned_seconds for row in meeting.step_times]
        assert planned == [300, 720, 180, 720, 300, 300, 180]
        # Everything that names the meeting's length says 45 minutes, not the method's 39.
        with world.app.test_request_context():
            assert "15%3A15%20uur%20%2845%20minuten%29" in invitation.mail_link(meeting)
            assert "DTEND:" in invitation.meeting_calendar(meeting).decode()
            assert "T160000" in invitation.meeting_calendar(meeting).decode()  # 15:15 + 45
            bar = render_template(
                "partials/stepbar.html", meeting=meeting, step=STEPS[1], steps=STEPS
            )
        assert re.findall(r'class="m">(\d+)′', bar) == ["5", "12", "3", "12", "5", "5", "3"]


def test_the_methods_minutes_stay_the_default(world):
    assert "Samen: 39 minuten" in text_of(world.get("admin", "/planning"))


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        ((5, 10, 0, 10, 5, 5, 2), "Stap 3 (Doel): vul een heel aantal minuten in, van 1 tot 20."),
        ((5, 25, 2, 10, 5, 5, 2), "Stap 2 (Vragen): vul een heel aantal minuten in"),
        ((10, 15, 5, 15, 6, 5, 5), "Samen is dat 61 minuten"),
        ((2, 2, 2, 2, 2, 2, 2), "Samen is dat 14 minuten"),
    ],
)
def test_bad_minutes_are_refused_with_a_dutch_message_and_nothing_changes(world, minutes, message):
    before = every_row(world.app)

    response = world.post("admin", "/minuten", minutes_form(*minutes))

    assert response.status_code == 422
    assert message in text_of(response)
    assert every_row(world.app) == before


# ---- the calendar feed ----------------------------------------------------------------------


def feed_path(world) -> str:
    with world.app.app_context():
        return f"/team/feed/{world.team().feed_token}.ics"


def test_the_feed_is_off_until_an_admin_turns_it_on(world):
    assert "De agendalink staat uit." in text_of(world.get("admin", "/planning"))
    with world.app.app_context():
        assert world.team().feed_token is None


def test_the_feed_lists_the_planned_slots_and_meetings_without_pupils(world):
    world.plan(presenter="Fatima")
    world.plan(presenter_account_id=str(world.ids["sanne"]), start_time="")
    slot_id = world.slot_ids()[1]
    take(world, "sanne", slot_id)
    world.post("admin", "/agenda")

    response = world.clients["anonymous"].get(feed_path(world))

    assert response.status_code == 200
    assert response.content_type.startswith("text/calendar")
    body = response.data.decode().replace("\r\n ", "")
    assert "SUMMARY:Intervisie: Fatima brengt in" in body
    assert "SUMMARY:Intervisie: Sanne (groep 5b) brengt in" in body
    assert f"DTSTART:{NEXT_WEEK:%Y%m%d}T151500" in body
    assert f"DTEND:{NEXT_WEEK:%Y%m%d}T155400" in body
    assert f"DTSTART;VALUE=DATE:{NEXT_WEEK:%Y%m%d}" in body
    assert "Thomas" not in body
    assert world.get("admin", "/planning").text.count(feed_path(world)) == 1


def test_a_new_feed_address_revokes_the_old_and_off_means_off(world):
    world.post("admin", "/agenda")
    old = feed_path(world)

    world.post("admin", "/agenda")
    new = feed_path(world)

    anonymous = world.clients["anonymous"]
    assert new != old
    assert anonymous.get(old).status_code == 404
    assert anonymous.get(new).status_code == 200
    world.post("admin", "/agenda/uit")
    assert anonymous.get(new).status_code == 404
    assert "De agendalink staat uit." in text_of(world.get("admin", "/planning"))


# ---- figures --------------------------------------------------------------------------------


def add_meeting_with_figures(world, day: date, teacher: str, worth: list[bool], actual, result):
    """A closed meeting of the team as the board leaves it: votes, step times, evaluation."""
    with world.app.app_context():
        team = world.team()
        meeting = Meeting(
            id=f"m{day:%m%d}{teacher[:3]}",
            pupil_alias="Thomas",
            group_name="5b",
            meeting_date=day,
            stage="closed",
            teacher_token=f"t-{day}-{teacher}",
            screen_token=f"s-{day}-{teacher}",
            prep_token=f"p-{day}-{teacher}",
            join_code=f"{day:%m%d}{teacher[:3]}".upper(),
            created_at=utcnow(),
            team_id=team.id,
            evaluation_result=result,
            goal_text="Thomas blijft vier minuten zitten in de kring",
        )
        people = [
            Participant(name=teacher, name_key=teacher.lower(), role="teacher", joined_at=utcnow())
        ]
        people += [
            Participant(
                name=f"Collega {n}", name_key=f"collega {n}", role="colleague", joined_at=utcnow()
            )
            for n in range(len(worth))
        ]
        meeting.participants.extend(people)
        meeting.step_times.extend(
            StepTime(step=n, planned_seconds=p * 60, elapsed_seconds=a * 60)
            for n, (p, a) in enumerate(zip((5, 10, 2, 10, 5, 5, 2), actual, strict=True), start=1)
        )
        db.session.add(meeting)
        db.session.flush()
        for person, vote in zip(people[1:], worth, strict=True):
            db.session.add(
                YieldVote(
                    meeting_id=meeting.id,
                    participant_id=person.id,
                    worth_it=vote,
                    voted_at=utcnow(),
                )
            )
        db.session.commit()


def test_the_figures_page_shows_three_charts_with_their_tables(world):
    add_meeting_with_figures(
        world,
        date(2026, 1, 15),
        "Sanne",
        [True, True, True, False],
        (6, 12, 2, 10, 5, 5, 2),
        "reached",
    )
    add_meeting_with_figures(
        world, date(2026, 2, 5), "Joost", [True, False], (5, 11, 2, 10, 5, 5, 2), "partly"
    )

    page = world.get("joost", "/cijfers")

    assert page.status_code == 200
    text = text_of(page)
    assert "15-01-2026 Sanne 3 van 4 75%" in text
    assert "05-02-2026 Joost 1 van 2 50%" in text
    assert "2. Vragen (2 bijeenkomsten) 10 11,5 +1,5" in text
    assert "Gehaald 1" in text and "Deels gehaald 1" in text and "Niet gehaald 0" in text
    for chart in ("opbrengst", "uitloop", "doelen"):
        assert f"/cijfers/{chart}-breed.svg" in page.text
        assert f"/cijfers/{chart}-smal.svg" in page.text
    assert "Thomas" not in text  # figures only: no pupil, no goal


def test_a_chart_is_an_svg_image_with_a_policy_of_its_own(world):
    add_meeting_with_figures(
        world, date(2026, 1, 15), "Sanne", [True], (6, 12, 2, 10, 5, 5, 2), None
    )

    response = world.get("sanne", "/cijfers/uitloop-smal.svg")

    assert response.status_code == 200
    assert response.content_type == "image/svg+xml"
    assert response.headers.getlist("Content-Security-Policy") == [
        "default-src 'none'; style-src 'unsafe-inline'"
    ]  # its own policy, once: the board's does not join it
    assert b"2. Vragen: +2" in response.data
    assert world.get("sanne", "/cijfers/taart-breed.svg").status_code == 404


def test_the_figures_come_as_a_csv_for_a_spreadsheet(world):
    add_meeting_with_figures(
        world, date(2026, 1, 15), "Sanne", [True, False], (6, 12, 2, 10, 5, 5, 2), "not_reached"
    )

    response = world.get("admin", "/cijfers.csv")

    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][:5] == ["2026-01-15", "Sanne", "1", "2", "50"]
    assert rows[1][-1] == "Niet gehaald"


def test_another_teams_figures_do_not_exist_for_you(world):
    response = world.get("outsider", "/cijfers")

    assert response.status_code == 404
    assert "Dit team bestaat niet, of je bent er geen lid van." in text_of(response)
    assert world.get("outsider", "/cijfers/opbrengst-breed.svg").status_code == 404
    assert world.get("outsider", "/cijfers.csv").status_code == 404


# ---- every role × every action of the cycle, read from the permission table -------------------


def attempt(world: TeamWorld, who: str, action: TeamAction):
    """Try the action as this person; the slot to take is planned for no one in particular."""
    if action is TeamAction.PLAN_SLOT:
        return world.clients[who].post(
            world.url("/planning"), data={"slot_date": str(NEXT_WEEK), "presenter": "Fatima"}
        )
    if action is TeamAction.TAKE_SLOT:
        world.plan(presenter="Fatima")
        return take(world, who, world.slot_ids()[-1])
    if action is TeamAction.MANAGE_FEED:
        return world.clients[who].post(world.url("/agenda"))
    if action is TeamAction.SET_STEP_MINUTES:
        return world.clients[who].post(
            world.url("/minuten"), data=minutes_form(5, 12, 3, 12, 5, 5, 3)
        )
    return world.clients[who].get(world.url("/cijfers"))


CYCLE_ACTIONS = [
    TeamAction.PLAN_SLOT,
    TeamAction.TAKE_SLOT,
    TeamAction.MANAGE_FEED,
    TeamAction.SET_STEP_MINUTES,
    TeamAction.VIEW_FIGURES,
]
ROLES = {"admin": TeamRole.ADMIN, "sanne": TeamRole.MEMBER, "outsider": None, "anonymous": None}


@pytest.mark.parametrize("action", CYCLE_ACTIONS)
@pytest.mark.parametrize("who", list(ROLES))
def test_every_role_may_do_exactly_what_the_permission_table_says(world, who, action):
    role = ROLES[who]
    allowed = role in TEAM_PERMISSIONS[action]
    before = every_row(world.app) if action is not TeamAction.TAKE_SLOT else None

    response = attempt(world, who, action)

    if allowed:
        assert response.status_code in (200, 303), response.text
    elif who == "anonymous":
        assert response.status_code == 302
        assert "/team/inloggen" in response.headers["Location"]
    elif role is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 403
        assert "Alleen een beheerder van het team" in text_of(response)
    if not allowed and before is not None:
        assert every_row(world.app) == before


def test_a_planned_slot_shows_among_the_upcoming_meetings_until_a_teacher_takes_it(world):
    world.plan(presenter_account_id=str(world.ids["sanne"]), start_time="14:30")
    [slot_id] = world.slot_ids()

    upcoming = upcoming_rows(world)
    assert [row[2:] for row in upcoming] == [["Sanne", "–", "–", "gepland, nog niet overgenomen"]]
    assert "14:30" in upcoming[0][1]

    take(world, "sanne", slot_id)

    [row] = upcoming_rows(world)
    assert row[2:5] == ["Sanne", "Thomas", "5b"]
    assert "gepland" not in row[5]


def upcoming_rows(world) -> list[list[str]]:
    """The rows of "Komende bijeenkomsten" on the overview, cell by cell."""
    page = world.get("joost", "")
    section = page.text.split('id="upcoming-title"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)[1:]
    return [
        [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in cells]
        for cells in (re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows)
    ]
