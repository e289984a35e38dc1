"""A meeting holds no more than a real one ever reaches, and a large export does not stall
the server: PDF and Word are rendered off the event loop (against a real server process)."""

import sqlite3
import threading
import time
import urllib.request
from datetime import datetime

import pytest
from conftest import flash_text
from test_hardening_faults import Phone, Server, create_meeting, template  # noqa: F401

from board.domain.limits import CAPACITY
from board.extensions import db
from board.models import Agreement, GoalSuggestion, NeedCard, Participant, Question

NOW = datetime(2026, 12, 2, 9, 0)
# kind: (step, who adds one through the route, the form, the model, a row to fill up with)
ADDING = {
    "questions": (2, "Anna", "/questions", {"text": "Sinds wanneer?"}, Question),
    "suggestions": (3, "Anna", "/suggestions", {"text": "Vier minuten"}, GoalSuggestion),
    "needs": (
        4,
        "Anna",
        "/needs",
        {"text": "rust", "category": "instructie", "client_key": "one-more"},
        NeedCard,
    ),
    "agreements": (6, "Anna", "/agreements", {"topic": "parents", "what": "Mailen"}, Agreement),
}


def fill(meeting, model, count: int) -> None:
    """Rows straight into the database, as if people had added them."""
    with meeting.app.app_context():
        author = meeting.participant_id("Bram")
        extra = {
            Question: {"text": "v"},
            GoalSuggestion: {"text": "s"},
            NeedCard: {"text": "n", "category": "instructie"},
            Agreement: {"topic": "parents", "what": "a"},
        }[model]
        for number in range(count):
            key = {"client_key": f"fill{number}"} if model is NeedCard else {}
            db.session.add(
                model(meeting_id=meeting.id, author_id=author, created_at=NOW, **extra, **key)
            )
        db.session.commit()


def count(meeting, model) -> int:
    with meeting.app.app_context():
        query = db.select(db.func.count()).select_from(model).filter_by(meeting_id=meeting.id)
        return db.session.execute(query).scalar_one()


@pytest.mark.parametrize("kind", ADDING)
def test_a_full_meeting_refuses_one_more_with_a_dutch_message(meeting, kind):
    step, who, path, form, model = ADDING[kind]
    meeting.go_to(step)
    most = CAPACITY[kind].most
    fill(meeting, model, most - 1)
    assert meeting.post(who, path, form).status_code == 204, "the last one still fits"
    response = meeting.post(who, path, {**form, "client_key": "two-more"})
    assert response.status_code == 422
    assert f"al {most}" in flash_text(response)
    assert count(meeting, model) == most


def test_a_full_meeting_lets_nobody_else_join(meeting):
    most = CAPACITY["participants"].most
    with meeting.app.app_context():
        for number in range(most - 3):
            db.session.add(
                Participant(
                    meeting_id=meeting.id,
                    name=f"Collega {number}",
                    name_key=f"collega {number}",
                    role="colleague",
                    joined_at=NOW,
                )
            )
        db.session.commit()
    response = meeting.app.test_client().post(f"/j/{meeting.join_code}", data={"name": "Laatste"})
    assert response.status_code == 422
    assert "vol" in response.text
    assert count(meeting, Participant) == most


# ---- a large export against a real server ---------------------------------------------------


@pytest.fixture
def server(tmp_path, template):  # noqa: F811
    live = Server(tmp_path, template).start()
    yield live
    live.stop()


def fill_to_the_brim(database, meeting_id: str) -> None:
    """A large meeting (150 feasible cards, every agreement it may hold), with long texts."""
    text = "Een lange zin over wat deze leerling nodig heeft om het doel te halen. " * 4
    with sqlite3.connect(database) as connection:
        author = connection.execute(
            "SELECT id FROM participant WHERE meeting_id = ?", (meeting_id,)
        ).fetchone()[0]
        connection.executemany(
            "INSERT INTO need_card (meeting_id, author_id, client_key, category, text,"
            " feasibility, per_week, plan_place, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (meeting_id, author, f"k{n}", "instructie", text[:280], "feasible", 3, "tafel", NOW)
                for n in range(150)
            ],
        )
        connection.executemany(
            'INSERT INTO agreement (meeting_id, author_id, topic, what, who, "when", created_at)'
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (meeting_id, author, "parents", text[:300], "juf", "vrijdag", NOW)
                for _ in range(CAPACITY["agreements"].most)
            ],
        )


@pytest.mark.live
def test_the_server_keeps_answering_while_it_renders_a_full_meeting(server):
    teacher, _ = create_meeting(server)
    fill_to_the_brim(server.database, teacher.meeting_id)
    latencies: list[float] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            began = time.monotonic()
            with urllib.request.urlopen(server.url + "/healthz", timeout=60) as response:
                assert response.status == 200
            latencies.append(time.monotonic() - began)
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for fmt in ("pdf", "docx"):
            url = f"{server.url}/m/{teacher.meeting_id}/export.{fmt}"
            with teacher.opener.open(url, timeout=120) as response:
                assert response.status == 200 and len(response.read()) > 10_000
    finally:
        done.set()
        watcher.join()
    assert len(latencies) > 5, "the exports took long enough to watch"
    assert max(latencies) < 1.0, f"/healthz waited {max(latencies):.1f} s"
    assert "Traceback" not in server.log()
