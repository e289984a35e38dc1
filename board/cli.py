"""Command-line tasks: `flask demo` makes an example meeting, `flask purge` applies retention,
`flask backup` / `flask restore` copy an installation, `flask doctor` checks one."""

import json
import os
import urllib.request
from datetime import date, datetime, timedelta
from pathlib import Path

import click
from flask import Flask, current_app, url_for

from board import backup, doctor
from board.config import SERVING_FILE
from board.domain.permissions import Role
from board.domain.steps import STEPS, Stage
from board.domain.text import name_key
from board.extensions import db
from board.models import (
    Agreement,
    GoalSuggestion,
    Meeting,
    NeedCard,
    Participant,
    PrepRead,
    Question,
    YieldVote,
)
from board.services.common import utcnow
from board.services.meetings import create_meeting, purge_expired, purge_meetings
from board.team import accounts

DEMO_PREPARATION = {
    "reason": "Thomas (groep 3) kan in de kring niet blijven zitten; sinds de herfstvakantie "
    "loopt het vaker uit de hand en de kring valt stil.",
    "worries": "Staat op, loopt weg, praat door anderen heen. Andere kinderen ergeren zich.",
    "explanations": "Kind: korte spanningsboog, veel energie. Onderwijs: kring duurt 15 "
    "minuten en is vooral luisteren. Thuis: een nieuw broertje sinds september.",
    "strengths": "Bij bewegend leren en in de bouwhoek lukt het goed. Thomas zegt zelf: "
    "'Ik wil wel, maar mijn benen willen weg.' Hij bedacht zelf een wiebelkussen.",
    "parents": "Ouders herkennen het bij het eten. Thuis helpt een zandloper.",
    "questions": "Hoe help ik Thomas langer in de kring te blijven zonder dat de rest wacht?",
    "aim": "Een haalbaar doel voor de kring en twee of drie dingen die ik morgen kan doen.",
    "expectations": "Concrete tips van collega's uit groep 2 en 4.",
}


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def base_url() -> str:
    """PUBLIC_URL, else the address the server last started on if it answers, else PORT."""
    if public := current_app.config["PUBLIC_URL"]:
        return public
    serving = Path(current_app.instance_path) / SERVING_FILE
    if serving.exists() and answers(recorded := serving.read_text().strip()):
        return recorded
    return f"http://127.0.0.1:{current_app.config['PORT']}"


def demo_links(meeting: Meeting) -> dict:
    """The links of a meeting as one JSON-ready dict."""
    with current_app.test_request_context(base_url=base_url()):
        return {
            "meeting_id": meeting.id,
            "teacher_url": url_for(
                "board.teacher_link", token=meeting.teacher_token, _external=True
            ),
            "prep_url": url_for("board.preparation", token=meeting.prep_token, _external=True),
            "join_url": url_for("board.join", code=meeting.join_code, _external=True),
            "join_code": meeting.join_code,
            "screen_url": url_for("board.screen_link", token=meeting.screen_token, _external=True),
        }


def create_demo() -> Meeting:
    """The METHOD.md example pupil, preparation filled in, lobby open."""
    meeting = create_meeting(
        {
            "pupil_alias": "Thomas",
            "group_name": "3",
            "meeting_date": date.today().isoformat(),
            "title": "Thomas en de kring",
            "teacher_name": "Juf Sanne",
        }
    )
    for key, answer in DEMO_PREPARATION.items():
        setattr(meeting, f"prep_{key}", answer)
    meeting.stage = Stage.LOBBY.value
    db.session.commit()
    return meeting


# The finished example: the same meeting played to the end, as a real team would fill it in.
DEMO_COLLEAGUES = ("Anna", "Bram", "Chantal", "Dewi")
DEMO_TIMEKEEPER = "Dewi"
# Seconds each step actually ran; step 3 ran over and the timekeeper gave it a minute more.
DEMO_STEP_SECONDS = {1: 318, 2: 641, 3: 176, 4: 602, 5: 334, 6: 287, 7: 131}
DEMO_EXTRA_SECONDS = {3: 60}
DEMO_QUESTIONS = (
    ("Anna", "Hoe lang blijft Thomas nu zitten voordat hij opstaat?", True),
    ("Bram", "Wat gebeurt er vlak voordat hij opstaat?", True),
    ("Chantal", "Is het elke kring zo, of vooral op maandag na het weekend?", True),
    ("Dewi", "Wat zegt Thomas zelf als je vraagt wat hem helpt?", False),
)
DEMO_GOAL = {
    "text": "Thomas blijft tijdens de ochtendkring vier minuten op zijn plek zitten, "
    "op drie ochtenden per week.",
    "behaviour": "Op zijn eigen plek in de kring blijven zitten, zonder op te staan",
    "duration": "Vier minuten; lukt dat een week, dan vijf minuten",
    "frequency": "Op drie ochtenden per week (maandag, woensdag, vrijdag)",
    "moment": "In de ochtendkring, van 8.30 tot 8.45 uur",
    "level": "Zonder dat de juf hem hoeft aan te spreken",
    "evaluation_how": "Thomas zet na de kring zelf een stempel op zijn kaart als het lukte; "
    "aan het eind van de week tellen juf en Thomas samen en vieren ze het.",
    "evaluation_when": "Elke vrijdag met Thomas; na vier weken met de intern begeleider.",
}
DEMO_SUGGESTIONS = (
    ("Bram", "Thomas zit in de kring vijf minuten stil.", False),
    ("Anna", DEMO_GOAL["text"], True),
)
# author, category, text, feasibility, per week, place in the plan, subgroup
DEMO_NEEDS = (
    (
        "Anna",
        "instructie",
        "vooraf in twee zinnen horen wat er in de kring gebeurt en hoe lang het duurt",
        "feasible",
        3,
        "Groepsplan gedrag: aanpak kring",
        "intensief",
    ),
    (
        "Bram",
        "opdrachten",
        "een taakje in de kring, zoals de kalender omslaan of de praatsteen doorgeven",
        "feasible",
        3,
        "Groepsplan gedrag: kringtaken",
        "intensief",
    ),
    (
        "Chantal",
        "feedback",
        "direct een knikje of een duim als hij blijft zitten",
        "feasible",
        5,
        "Groepsoverzicht: stimulerende factoren",
        "basis",
    ),
    (
        "Dewi",
        "leerkracht",
        "een vaste plek naast de juf, op een wiebelkussen",
        "feasible",
        3,
        "Groepsplan gedrag: organisatie kring",
        "intensief",
    ),
    (
        "Anna",
        "anders",
        "een zandloper of time-timer die laat zien hoe lang het nog duurt",
        "feasible",
        3,
        "Groepsplan gedrag: materialen",
        "intensief",
    ),
    ("Bram", "groepsgenoten", "een maatje naast zich dat hem rustig helpt herinneren"),
    ("Chantal", "opdrachten", "na de kring eerst twee minuten bewegen voordat hij gaat werken"),
    ("Dewi", "ouders", "thuis ook oefenen met de zandloper, bijvoorbeeld bij het eten"),
)
DEMO_SUPPORT = (
    "Een collega uit groep 2 die één keer in de kring komt meekijken.\n"
    "Twee keer per maand kort afstemmen met de intern begeleider."
)
DEMO_PLAN_NOTE = (
    "Groepsoverzicht: bij Thomas 'korte spanningsboog, leert goed in beweging'. "
    "Groepsplan gedrag: Thomas in de intensieve aanpak voor de kring, tot de kerstvakantie."
)
DEMO_NOTES = "Stempelkaart maken. Wiebelkussen uit groep 2 lenen. Maatje later nog eens bekijken."
# author, topic, what, who, when
DEMO_AGREEMENTS = (
    (
        "Juf Sanne",
        "parents",
        "Ouders horen het doel en zien de stempelkaart in een kort gesprek; "
        "daarna elke vrijdag een foto van de kaart.",
        "Juf Sanne",
        "Vóór woensdag",
    ),
    (
        "Anna",
        "pupil",
        "Juf bespreekt het doel met Thomas; hij kiest zelf de stempel voor zijn kaart.",
        "Juf Sanne en Thomas",
        "Maandagochtend",
    ),
    (
        "Bram",
        "colleagues",
        "Bram kijkt in week 2 een kring mee; de uitkomst komt kort in de teamvergadering.",
        "Bram",
        "Teamvergadering over vier weken",
    ),
)
# participant, worth it, why, what it brought
DEMO_VOTES = (
    ("Juf Sanne", True, "Ik weet morgen wat ik anders doe.", "Een doel dat Thomas kan halen."),
    ("Anna", True, "Het doel werd klein en concreet.", "Ik ga de stempelkaart ook proberen."),
    ("Bram", True, "Goed dat we in stap 4 niet gingen discussiëren.", ""),
    ("Chantal", False, "Stap 2 liep uit; daardoor weinig tijd voor de afspraken.", ""),
    ("Dewi", True, "", "Als tijdbewaker geleerd om strenger te zijn."),
)


def step_began(start: datetime, step: int) -> datetime:
    """When a step of the finished example began."""
    return start + timedelta(seconds=sum(DEMO_STEP_SECONDS[n] for n in range(1, step)))


def add_demo_people(meeting: Meeting, start: datetime) -> dict[str, int]:
    """The colleagues read the preparation and join; every participant's id by name."""
    for index, name in enumerate(DEMO_COLLEAGUES):
        key = name_key(name)
        meeting.prep_reads.append(
            PrepRead(name=name, name_key=key, read_at=start - timedelta(days=3, hours=index))
        )
        meeting.participants.append(
            Participant(
                name=name, name_key=key, role=Role.COLLEAGUE, joined_at=start - timedelta(minutes=4)
            )
        )
    db.session.flush()
    people = {participant.name: participant.id for participant in meeting.participants}
    meeting.timekeeper_id = people[DEMO_TIMEKEEPER]
    return people


def add_demo_questions_and_goal(meeting: Meeting, people: dict[str, int], start: datetime):
    """Steps 2 and 3: the clarifying questions, the wordings for the goal, and the goal."""
    for index, (name, text, answered) in enumerate(DEMO_QUESTIONS):
        at = step_began(start, 2) + timedelta(seconds=40 + 120 * index)
        meeting.questions.append(
            Question(author_id=people[name], text=text, answered=answered, created_at=at)
        )
    for index, (name, text, adopted) in enumerate(DEMO_SUGGESTIONS):
        at = step_began(start, 3) + timedelta(seconds=50 + 40 * index)
        meeting.suggestions.append(
            GoalSuggestion(author_id=people[name], text=text, adopted=adopted, created_at=at)
        )
    for key, value in DEMO_GOAL.items():
        setattr(meeting, f"goal_{key}", value)


def add_demo_needs(meeting: Meeting, people: dict[str, int], start: datetime) -> None:
    """Steps 4 and 5: the need cards, some feasible (how often, where), the rest 'not now'."""
    for index, (name, category, text, *marked) in enumerate(DEMO_NEEDS):
        feasibility, per_week, place, subgroup = marked or ("not_now", None, "", None)
        meeting.needs.append(
            NeedCard(
                author_id=people[name],
                client_key=f"demo-{index + 1}",
                category=category,
                text=text,
                feasibility=feasibility,
                per_week=per_week,
                plan_place=place,
                subgroup=subgroup,
                created_at=step_began(start, 4) + timedelta(seconds=45 + 60 * index),
            )
        )
    meeting.support_needs = DEMO_SUPPORT
    meeting.plan_note = DEMO_PLAN_NOTE
    meeting.teacher_notes = DEMO_NOTES


def add_demo_agreements_and_votes(meeting: Meeting, people: dict[str, int], start: datetime):
    """Steps 6 and 7: an agreement on each topic, and everyone's verdict on the yield."""
    for index, (name, topic, what, who, when) in enumerate(DEMO_AGREEMENTS):
        at = step_began(start, 6) + timedelta(seconds=60 + 70 * index)
        meeting.agreements.append(
            Agreement(
                author_id=people[name], topic=topic, what=what, who=who, when=when, created_at=at
            )
        )
    for index, (name, worth, why, brought) in enumerate(DEMO_VOTES):
        at = step_began(start, 7) + timedelta(seconds=30 + 15 * index)
        meeting.votes.append(
            YieldVote(
                participant_id=people[name], worth_it=worth, why=why, brought=brought, voted_at=at
            )
        )


def close_demo(meeting: Meeting, start: datetime) -> None:
    """Every step's timer as it stood at the end, then closed."""
    for row in meeting.step_times:
        row.extra_seconds = DEMO_EXTRA_SECONDS.get(row.step, 0)
        row.elapsed_seconds = float(DEMO_STEP_SECONDS[row.step])
        row.started_at = None
    meeting.stage = Stage.CLOSED.value
    meeting.closed_at = step_began(start, len(STEPS) + 1)


def create_finished_demo() -> Meeting:
    """The example played to the end: every step filled in, closed a minute ago."""
    meeting = create_demo()
    start = utcnow() - timedelta(seconds=sum(DEMO_STEP_SECONDS.values()) + 60)
    people = add_demo_people(meeting, start)
    add_demo_questions_and_goal(meeting, people, start)
    add_demo_needs(meeting, people, start)
    add_demo_agreements_and_votes(meeting, people, start)
    close_demo(meeting, start)
    db.session.commit()
    return meeting


def init_app(app: Flask) -> None:
    @app.cli.command("demo")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON line.")
    @click.option("--finished", is_flag=True, help="A closed meeting with every step filled in.")
    def demo(as_json: bool, finished: bool) -> None:
        """Create a demo meeting (Thomas, group 3) and print its links."""
        links = demo_links(create_finished_demo() if finished else create_demo())
        if as_json:
            click.echo(json.dumps(links))
            return
        for name, value in links.items():
            click.echo(f"{name:12} {value}")

    @app.cli.command("purge")
    @click.option("--days", type=int, default=None, help="Override RETENTION_DAYS.")
    @click.option(
        "--meeting",
        "meeting_ids",
        multiple=True,
        help="Delete this meeting now, by its id (/m/<id> in a log line); repeatable.",
    )
    def purge(days: int | None, meeting_ids: tuple[str, ...]) -> None:
        """Delete meetings closed, or never closed and without any change, longer ago than
        the retention period (safe for cron); or, with --meeting, those meetings at once."""
        if meeting_ids:
            count = purge_meetings(meeting_ids)
            click.echo(f"deleted {count} of {len(set(meeting_ids))} meeting(s) asked for")
            return
        retention = days if days is not None else current_app.config["RETENTION_DAYS"]
        count = purge_expired(retention)
        click.echo(
            f"purged {count} meeting(s) closed or without activity over {retention} days ago"
        )
        logins = accounts.forget_expired_logins()
        db.session.commit()
        click.echo(f"forgot {logins} team login(s) older than the login cookie")

    @app.cli.command("backup")
    @click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
    def backup_command(folder: Path) -> None:
        """Copy the database and the secret key into FOLDER (only its owner may read it);
        safe while the server runs."""
        try:
            made = backup.back_up(db.engine.url, current_app.config["SECRET_KEY"], folder)
        except backup.BackupError as error:
            raise click.ClickException(str(error)) from None
        if made["database"] == "sqlite":
            click.echo(
                f"Back-up gemaakt in {folder}: {made['meetings']} bijeenkomst(en) en de sleutel."
            )
            return
        click.echo(
            f"De sleutel staat in {folder}. De database is PostgreSQL; maak de kopie met:\n"
            f'  pg_dump --format=custom --file {folder}/database.dump "$DATABASE_URL"'
        )

    @app.cli.command("restore")
    @click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
    @click.option("--replace", is_flag=True, help="Overwrite a database that has meetings.")
    def restore_command(folder: Path, replace: bool) -> None:
        """Bring a backup made by `flask backup` back (stop the server first)."""
        db.engine.dispose()
        try:
            meetings = backup.restore(db.engine.url, folder, replace)
        except backup.BackupError as error:
            raise click.ClickException(str(error)) from None
        key = backup.restore_secret_key(
            folder, current_app.instance_path, os.environ.get("SECRET_KEY") or None
        )
        click.echo(f"Teruggezet uit {folder}: {meetings} bijeenkomst(en). {key}")
        click.echo(
            "Werk de database daarna bij: flask db upgrade (make run en make serve doen dat)."
        )

    @app.cli.command("doctor")
    def doctor_command() -> None:
        """Check what a running installation needs; exits with 1 when something must be done."""
        findings = doctor.examine()
        for finding in findings:
            click.echo(f"{finding.level:7}{finding.text}")
        if any(finding.level == doctor.ACTION for finding in findings):
            raise SystemExit(1)
