"""`flask team create`: the first admin of a team, from the command line."""

import click
from flask import Flask, current_app, url_for
from flask.cli import AppGroup

from board.cli import base_url
from board.domain import accounts as rules
from board.domain.errors import DomainError
from board.extensions import db
from board.models import Account
from board.team import accounts, service

team_cli = AppGroup("team", help="The team space: teams and their admins.")


@team_cli.command("create")
@click.option("--name", "team_name", prompt="Naam van het team", help="The team's name.")
@click.option("--login", prompt="E-mailadres of gebruikersnaam", help="The admin's login.")
@click.option("--display-name", default=None, help="The admin's name (new accounts).")
@click.option(
    "--password",
    default=None,
    help="The admin's password (new accounts); asked for, hidden, when left out.",
)
def create(team_name: str, login: str, display_name: str | None, password: str | None) -> None:
    """Create a team with its first admin: a new account, or an existing one by its login."""
    try:
        existing = db.session.execute(
            db.select(Account).filter_by(login=rules.login_key(login))
        ).scalar_one_or_none()
        if existing is not None:
            account = existing
        else:
            if display_name is None:
                display_name = click.prompt("Je naam, zoals je team je ziet")
            if password is None:
                password = click.prompt(
                    "Wachtwoord (minstens 12 tekens)", hide_input=True, confirmation_prompt=True
                )
            account = accounts.new_account(login, display_name, password)
        team = service.new_team(account, team_name)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    with current_app.test_request_context(base_url=base_url()):
        url = url_for("team.overview", public_id=team.public_id, _external=True)
    how = "bestaand account" if existing is not None else "nieuw account"
    click.echo(f"Team '{team.name}' aangemaakt; beheerder: {account.login} ({how}).")
    click.echo(f"Overzicht: {url}")


def init_app(app: Flask) -> None:
    app.cli.add_command(team_cli)
