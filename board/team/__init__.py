"""The team space: accounts for organisers, teams, invitations, the team's overview, and a
meeting attached to a team by its teacher. Meetings without a team never come here."""

from flask import Flask


def init_app(app: Flask) -> None:
    from board.team import accounts, cli
    from board.team.routes import bp

    accounts.init_app(app)
    cli.init_app(app)
    app.register_blueprint(bp)
