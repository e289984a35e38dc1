"""A deleted or purged meeting leaves no trace on disk while the server keeps running: not in
the SQLite database file, not in its write-ahead log (read while the server is up)."""

import subprocess
import sys
from pathlib import Path

import pytest
from live_server import ROOT
from test_hardening_faults import Phone, Server, create_meeting, template  # noqa: F401

pytestmark = pytest.mark.live  # against real server processes

MARKERS = {
    "preparation": "VOORBEREIDING-ZZQ-81",
    "card": "KAARTJE-ZZQ-27",
    "notes": "NOTITIE-ZZQ-64",
    "name": "Ottoline",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory, template):  # noqa: F811
    live = Server(tmp_path_factory.mktemp("erasure"), template).start()
    yield live
    live.stop()


def meeting_with_every_kind_of_text(server: Server) -> Phone:
    """A meeting walked to step 4 with a preparation answer, notes, a name and a card."""
    teacher, secrets = create_meeting(server)
    url = f"/m/{teacher.meeting_id}"
    assert teacher.post(url + "/prep", {"field": "aim", "value": MARKERS["preparation"]}) == 200
    colleague = Phone(server)
    colleague.join(secrets["join_code"], MARKERS["name"])
    assert teacher.post(url + "/start", {}) == 204
    assert teacher.post(url + "/next", {}) == 204
    assert teacher.post(url + "/notes", {"value": MARKERS["notes"]}) == 200
    for _ in range(2):
        assert teacher.post(url + "/next", {}) == 204
    assert colleague.add_card("k1", MARKERS["card"]) == 204
    return teacher


def traces_on_disk(database: Path) -> dict[str, list[str]]:
    """Which markers each of the database's files still holds, read now."""
    found = {}
    for path in (database, Path(f"{database}-wal")):
        content = path.read_bytes() if path.exists() else b""
        found[path.name] = [name for name, text in MARKERS.items() if text.encode() in content]
    return found


def test_a_deleted_meeting_leaves_nothing_in_the_database_or_its_log_while_serving(server):
    teacher = meeting_with_every_kind_of_text(server)
    assert any(traces_on_disk(server.database).values()), "the text was on disk before"
    assert teacher.post(f"/m/{teacher.meeting_id}/delete", {"confirm": "Thomas"}) == 204
    assert server.process.poll() is None
    assert traces_on_disk(server.database) == {"live.sqlite3": [], "live.sqlite3-wal": []}
    assert Phone(server).get("/healthz")[0] == 200


def test_a_purged_meeting_leaves_nothing_in_the_database_or_its_log_while_serving(server):
    teacher = meeting_with_every_kind_of_text(server)
    url = f"/m/{teacher.meeting_id}"
    for _ in range(3):
        assert teacher.post(url + "/next", {}) == 204
    assert teacher.post(url + "/close", {"confirm": "yes"}) == 204
    purge = subprocess.run(
        [sys.executable, "-m", "flask", "purge", "--days", "0"],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "purged 1 meeting" in purge.stdout
    assert server.process.poll() is None
    assert traces_on_disk(server.database) == {"live.sqlite3": [], "live.sqlite3-wal": []}
    assert "Traceback" not in server.log()
