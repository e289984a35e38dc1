"""The team space's POST routes fuzzed with raw bytes and hostile text, as the meeting's are in
test_hardening_input: never a 500, and a refusal says why and leaves every row as it was."""

import re
from datetime import date, timedelta

import pytest
from conftest import HTMX, MeetingDriver, close_app, every_row, flash_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board.extensions import db
from board.models import Slot, Team

PASSWORD = "paarse olifant danst op het plein"
FEW = settings(
    max_examples=6,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
REFUSED_STATUSES = {400, 403, 404, 409, 413, 422, 429}


class Team_:
    """A team with its admin, who is also the teacher of a meeting, a planned slot and an
    open invitation; every route below has something real to act on."""

    def __init__(self, app) -> None:
        self.app = app
        driver = MeetingDriver(app)
        self.meeting_id = driver.id
        self.admin = driver.teacher  # her device holds the meeting as teacher
        response = self.admin.post(
            "/team/nieuw",
            data={
                "team_name": "De Regenboog",
                "login": "ib@regenboog.nl",
                "display_name": "Ineke",
                "password": PASSWORD,
            },
        )
        assert response.status_code == 303, response.text
        self.public_id = response.headers["Location"].rsplit("/", 1)[-1]
        page = self.admin.post(f"/team/{self.public_id}/uitnodigen", data={"role": "member"})
        link = re.search(r'id="invite-link"[^>]*value="([^"]+)"', page.text).group(1)
        self.invitation = link.rsplit("/", 1)[-1]
        next_week = date.today() + timedelta(days=7)
        response = self.admin.post(
            f"/team/{self.public_id}/planning",
            data={"slot_date": str(next_week), "start_time": "15:15", "presenter": "Sanne"},
        )
        assert response.status_code in (200, 303), response.text
        with app.app_context():
            team = db.session.execute(
                db.select(Team).filter_by(public_id=self.public_id)
            ).scalar_one()
            self.slot_id = db.session.execute(
                db.select(Slot.id).filter_by(team_id=team.id)
            ).scalar_one()
            self.membership_id = team.memberships[0].id  # her own: the last admin stays
            db.session.remove()

    def snapshot(self) -> dict:
        return every_row(self.app)


@pytest.fixture(scope="module")
def team(databases):
    app = databases.app()
    yield Team_(app)
    close_app(app)


# Who posts: the admin's own device, or a fresh device (logging in and out must not end the
# admin's session for the next example).
POST_PATHS = {
    "/team/inloggen": ("fresh", "/team/inloggen"),
    "/team/uitloggen": ("fresh", "/team/uitloggen"),
    "/team/uitloggen-overal": ("fresh", "/team/uitloggen-overal"),
    "/team/account/verwijderen": ("admin", "/team/account/verwijderen"),
    "/team/nieuw": ("fresh", "/team/nieuw"),
    "/team/<public_id>/uitnodigen": ("admin", "/team/{team}/uitnodigen"),
    "/team/<public_id>/leden/<membership_id>/verwijderen": (
        "admin",
        "/team/{team}/leden/{membership}/verwijderen",
    ),
    "/team/uitnodiging/<token>": ("fresh", "/team/uitnodiging/{invitation}"),
    "/m/<meeting_id>/team": ("admin", "/m/{meeting}/team"),
    "/m/<meeting_id>/team/los": ("admin", "/m/{meeting}/team/los"),
    "/m/<meeting_id>/team/delen": ("admin", "/m/{meeting}/team/delen"),
    "/team/<public_id>/planning": ("admin", "/team/{team}/planning"),
    "/team/<public_id>/planning/<int:slot_id>/weg": ("admin", "/team/{team}/planning/{slot}/weg"),
    "/team/<public_id>/planning/<int:slot_id>/overnemen": (
        "admin",
        "/team/{team}/planning/{slot}/overnemen",
    ),
    "/team/<public_id>/agenda": ("admin", "/team/{team}/agenda"),
    "/team/<public_id>/agenda/uit": ("admin", "/team/{team}/agenda/uit"),
    "/team/<public_id>/minuten": ("admin", "/team/{team}/minuten"),
}
# Routes that change something with any body at all (no field to get wrong): their refusal is
# not the point here, only that they never crash.
NO_FIELDS = {
    "/team/uitloggen",
    "/team/uitloggen-overal",
    "/m/<meeting_id>/team/los",
    "/team/<public_id>/agenda",
    "/team/<public_id>/agenda/uit",
    "/team/<public_id>/planning/<int:slot_id>/weg",
    "/team/<public_id>/leden/<membership_id>/verwijderen",
    "/m/<meeting_id>/team/delen",
}

BODIES = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"login=%FF%FE&password=%C0%AF&team_name=%ED%A0%80",
            b"login=\xff\xfe\x00&password=\xc3\x28&display_name=\x80",
            b"login=a&login=b&password[]=x&team_name[x]=y",
            b"password=" + b"A" * 100_000,
            b"slot_date=\x00&start_time=25:99&presenter=%00",
            b"minutes_1=-1&minutes_2=99999999999999999999&minutes_3=NaN",
            b"team=%00&shared=\xff",
            b"%%%===&&&",
        ]
    ),
)
CONTENT_TYPES = st.sampled_from(
    [
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=latin-1",
        "multipart/form-data; boundary=xyz",
        "application/json",
        "text/plain",
    ]
)


def raw_post(team: Team_, route: str, body: bytes, content_type: str):
    who, path = POST_PATHS[route]
    url = path.format(
        team=team.public_id,
        membership=team.membership_id,
        invitation=team.invitation,
        meeting=team.meeting_id,
        slot=team.slot_id,
    )
    client = team.admin if who == "admin" else team.app.test_client()
    return client.post(url, data=body, content_type=content_type, headers=HTMX)


@pytest.mark.parametrize("route", sorted(set(POST_PATHS) - NO_FIELDS))
@FEW
@given(body=BODIES, content_type=CONTENT_TYPES)
def test_a_raw_body_of_any_bytes_never_crashes_a_team_route(team, route, body, content_type):
    before = team.snapshot()
    response = raw_post(team, route, body, content_type)
    assert response.status_code < 500, response.text[:300]
    if response.status_code >= 400:
        assert response.status_code in REFUSED_STATUSES, response.status_code
        assert flash_text(response), "a refusal says why"
        assert team.snapshot() == before, "a refused input stores nothing"


@pytest.mark.parametrize("route", sorted(NO_FIELDS))
def test_a_team_route_without_fields_never_crashes_on_junk(team, route):
    response = raw_post(team, route, b"\xff\x00%%%=&&" + b"x" * 1000, "text/plain")
    assert response.status_code < 500, response.text[:300]


def test_the_fuzzing_covers_every_post_route_of_the_team_space(team):
    posted = {
        rule.rule
        for rule in team.app.url_map.iter_rules()
        if "POST" in rule.methods and rule.endpoint.split(".")[0] in ("team", "cycle")
    }
    assert posted == set(POST_PATHS)
