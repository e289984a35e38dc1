"""What one change costs the server, in process: a need card posted, committed and pushed.

    .venv/bin/python -m bench.micro --cards 300 [--profile] [--db postgresql]
    .venv/bin/python -m bench.micro --breakdown


One meeting in step 4 with a teacher, a room screen and colleagues; every audience's
Dutch room counts as listened to (as when devices are connected), so each card is
rendered and emitted as in production, minus the socket writes (those are the bare
transport's cost, which `make bench` measures). Prints milliseconds per change, and
with --profile the functions that take the time (cProfile, sorted by cumulative time).
--breakdown posts with CSRF on, as in production, and splits a card's CPU time: the whole
change, the change without its push, the floor of any request through the same stack, and
the version request of a device's heartbeat.
"""

import argparse
import cProfile
import os
import pstats
import re
import shutil
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

from board import create_app, notify
from board.extensions import db
from board.models import Meeting
from board.services import common


def make_app(database: str, workdir: Path):
    if database == "postgresql":
        name = f"micro_{os.getpid()}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    else:
        url = f"sqlite:///{workdir / 'micro.sqlite3'}"
    app = create_app(
        {
            "SECRET_KEY": "micro",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SOCKETIO_MESSAGE_QUEUE": None,
        }
    )
    with app.app_context():
        db.create_all()
    return app, url


def set_up(app, colleagues: int):
    """Teacher creates and opens, screen and colleagues join, the teacher goes to step 4."""
    teacher, screen = app.test_client(), app.test_client()
    response = teacher.post(
        "/meetings",
        data={"pupil_alias": "Thomas", "group_name": "3", "meeting_date": str(date.today())},
    )
    teacher.get(response.headers["Location"])
    with app.app_context():
        meeting = db.session.execute(db.select(Meeting)).scalars().one()
        meeting_id, code, screen_token = meeting.id, meeting.join_code, meeting.screen_token
    screen.get(f"/s/{screen_token}")
    htmx = {"HX-Request": "true"}
    assert teacher.post(f"/m/{meeting_id}/open", headers=htmx).status_code == 204
    devices = []
    for number in range(colleagues):
        client = app.test_client()
        client.post(f"/j/{code}", data={"name": f"Collega {number}"})
        devices.append(client)
    for path in ("start", "next", "next", "next"):
        assert teacher.post(f"/m/{meeting_id}/{path}", headers=htmx).status_code == 204
    return meeting_id, devices


def breakdown(app, meeting_id: str, posters: list, rounds: int = 60) -> None:
    """CPU per card with CSRF checked as in production: all of it, without the push, and the
    floor (GET /healthz through the same stack), and a heartbeat's version request. Best of
    three; a meeting holds 400 cards."""
    app.config["WTF_CSRF_ENABLED"] = True
    tokens = [
        re.search(r'"X-CSRFToken": "([^"]+)"', client.get(f"/m/{meeting_id}").text)[1]
        for client in posters
    ]
    sent = iter(range(10**6))

    def card() -> None:
        number = next(sent)
        response = posters[number % len(posters)].post(
            f"/m/{meeting_id}/needs",
            data={
                "stage": "step4",
                "client_key": f"card-{number}",
                "category": "instructie",
                "text": "extra instructie vooraf in een klein groepje, met een voorbeeld",
            },
            headers={"HX-Request": "true", "X-CSRFToken": tokens[number % len(posters)]},
        )
        assert response.status_code == 204, response.text[:300]

    def floor() -> None:
        assert posters[0].get("/healthz").status_code == 200

    def beat() -> None:  # what a device asks after a beat without a push
        assert posters[0].get(f"/m/{meeting_id}/version").status_code == 204

    def best(function) -> float:
        for _ in range(5):
            function()
        times = []
        for _ in range(3):
            started = time.process_time()
            for _ in range(rounds):
                function()
            times.append((time.process_time() - started) * 1000 / rounds)
        return min(times)

    whole = best(card)
    pushing = common.notify
    common.notify = lambda *args, **kwargs: None
    try:
        silent = best(card)
    finally:
        common.notify = pushing
    print(f"a card, CSRF on:       {whole:.2f} ms CPU")
    print(f"  without its push:    {silent:.2f} ms (the push: {whole - silent:.2f} ms)")
    print(f"a request's floor:     {best(floor):.2f} ms (GET /healthz, same stack)")
    print(f"a heartbeat's request: {best(beat):.2f} ms (GET /m/<id>/version)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=300)
    parser.add_argument("--colleagues", type=int, default=13)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--breakdown", action="store_true", help="CSRF on; push and floor apart")
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative, tottime")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="intervisiebord-micro-"))
    app, url = make_app(args.db, workdir)
    # Every audience's Dutch room has devices in it, as in the load benchmark.
    notify.listening = lambda target: target.endswith(":nl")
    meeting_id, devices = set_up(app, args.colleagues)
    posters = devices[:3]
    headers = {"HX-Request": "true"}

    def post(number: int) -> None:
        response = posters[number % len(posters)].post(
            f"/m/{meeting_id}/needs",
            data={
                "stage": "step4",
                "client_key": f"card-{number}",
                "category": "instructie",
                "text": "extra instructie vooraf in een klein groepje, met een voorbeeld",
            },
            headers=headers,
        )
        assert response.status_code in (200, 204), response.text[:300]

    if args.breakdown:
        breakdown(app, meeting_id, posters)
        return

    profiler = cProfile.Profile() if args.profile else None
    started, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    for number in range(args.cards):
        post(number)
    if profiler:
        profiler.disable()
    wall = (time.perf_counter() - started) * 1000 / args.cards
    cpu = (time.process_time() - cpu) * 1000 / args.cards
    print(f"{args.cards} cards on {args.db}: {wall:.2f} ms wall, {cpu:.2f} ms CPU per change")
    if profiler:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(45)
    if args.db == "postgresql":
        with app.app_context():
            db.engine.dispose()
        name = url.rsplit("/", 1)[1]
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", name], check=False)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
