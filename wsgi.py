"""Entry point: `app` for gunicorn (gevent worker); `python wsgi.py` serves one process.

gevent patches the standard library before anything else is imported, so that psycopg
(which checks for a patched `select` when it is imported) waits on the gevent loop.
"""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402

from board import create_app, network  # noqa: E402
from board.config import record_serving  # noqa: E402
from board.extensions import socketio  # noqa: E402

app = create_app()

if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    host = os.environ.get("HOST", "127.0.0.1")
    record_serving(app.instance_path, host, port)
    print(f"Intervisiebord draait op http://{host}:{port}  (stoppen: Ctrl+C)", flush=True)
    for line in network.startup_lines(host, app.config["LAN_URLS"], app.config["PUBLIC_URL"]):
        print(line, flush=True)
    socketio.run(app, host=host, port=port, log_output=False)
