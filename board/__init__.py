"""Intervisiebord: a real-time board for handelingsgerichte intervisie."""

import logging
import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from board import config, files
from board.extensions import TextPacket, babel, csrf, db, htmx, migrate, socketio
from board.language import select_locale

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the app: config, extensions, routes, socket events, CLI."""
    # INSTANCE_PATH: where the SQLite file and the secret key live (default: instance/).
    instance = os.environ.get("INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_path=os.path.abspath(instance) if instance else None,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    files.private_folder(app.instance_path)
    app.config.from_mapping(config.from_environment(app.instance_path))
    if test_config is not None:
        app.config.from_mapping(test_config)
    files.private_database(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)

    if proxies := app.config.get("TRUSTED_PROXIES", 0):
        # The client's own address for rate limits, and https for cookies and Origin checks.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    htmx.init_app(app)
    socketio.init_app(
        app,
        async_mode=app.config.get("SOCKETIO_ASYNC_MODE", "gevent"),
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        max_http_buffer_size=16 * 1024,
        serializer=TextPacket,
        cors_allowed_origins=None,
        logger=False,
        engineio_logger=False,
    )

    from board import assets, cli, errors, events, metrics, security, sqlite, templating
    from board.routes import bp

    sqlite.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    assets.init_app(app)
    errors.init_app(app)
    events.register(socketio)
    cli.init_app(app)
    metrics.init_app(app)
    app.register_blueprint(bp)
    from board.export_routes import exports

    app.register_blueprint(exports)
    from board.language import bp as language

    app.register_blueprint(language)
    from board import team

    team.init_app(app)
    from board.team.cycle_routes import bp as team_cycle

    app.register_blueprint(team_cycle)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    return app
