"""Command-line tasks: `flask demo` makes an example meeting, `flask purge` applies retention."""

import json
from datetime import date

import click
from flask import Flask, current_app, url_for

from board.domain.steps import Stage
from board.extensions import db
from board.models import Meeting
from board.services.meetings import create_meeting, purge_closed

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


def base_url() -> str:
    return current_app.config["PUBLIC_URL"] or f"http://127.0.0.1:{current_app.config['PORT']}"


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


def init_app(app: Flask) -> None:
    @app.cli.command("demo")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON line.")
    def demo(as_json: bool) -> None:
        """Create a demo meeting (Thomas, group 3) and print its links."""
        links = demo_links(create_demo())
        if as_json:
            click.echo(json.dumps(links))
            return
        for name, value in links.items():
            click.echo(f"{name:12} {value}")

    @app.cli.command("purge")
    @click.option("--days", type=int, default=None, help="Override RETENTION_DAYS.")
    def purge(days: int | None) -> None:
        """Delete meetings closed longer ago than the retention period (safe for cron)."""
        retention = days if days is not None else current_app.config["RETENTION_DAYS"]
        click.echo(f"purged {purge_closed(retention)} meeting(s) closed over {retention} days ago")
