"""The benchmark's own arithmetic and the in-process timing of one change."""

import gc
import random
import re
import runpy
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bench.run import (
    KEEPALIVE_SECONDS,
    SCRIPT,
    Http,
    Meeting,
    gap,
    next_change,
    parse,
    percentile,
    process_of,
    quiet_collector,
    tally,
    tally_kinds,
    window,
)
from bench.timeline import record, split

ROOT = Path(__file__).resolve().parent.parent


def meeting_with(sent: dict, arrived: dict, devices: int = 3) -> Meeting:
    meeting = Meeting(0, devices=[object()] * devices)
    meeting.sent, meeting.arrived = sent, arrived
    return meeting


def test_latencies_leave_out_the_poster_and_count_what_never_arrived():
    meeting = meeting_with(
        {1: (0, 10.0), 2: (1, 20.0)},
        {1: [(0, 10.001), (1, 10.004), (2, 10.010)], 2: [(0, 20.002)]},
    )
    latencies, delivered, expected = tally([meeting])
    assert [round(v) for v in latencies] == [4, 10, 2]
    assert (delivered, expected) == (3, 4)


def test_the_progress_window_holds_only_changes_sent_since_its_start():
    meeting = meeting_with({1: (0, 10.0), 2: (0, 20.0)}, {1: [(1, 10.5)], 2: [(1, 20.003)]})
    assert [round(v) for v in window([meeting], since=15.0)] == [3]


def test_a_meetings_gaps_average_the_interval_and_are_drawn_anew_each_time():
    """Not one fixed rhythm per meeting: the same cluster of meetings would post together
    every interval for the whole run."""
    random.seed(13)
    gaps = [gap(2.0) for _ in range(20_000)]
    assert 1.98 < sum(gaps) / len(gaps) < 2.02
    assert 1.0 <= min(gaps) < 1.01 and 2.99 < max(gaps) <= 3.0
    assert len(set(gaps)) == len(gaps)


def test_a_load_generator_collects_no_garbage_while_it_measures():
    try:
        quiet_collector()
        assert not gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()


def test_percentiles():
    values = [float(n) for n in range(1, 101)]
    assert (percentile(values, 0.5), percentile(values, 0.99)) == (51.0, 100.0)
    assert percentile([], 0.5) != percentile([], 0.5)  # nan: nothing measured


def test_the_micro_benchmark_times_real_changes():
    result = subprocess.run(
        [sys.executable, "-m", "bench.micro", "--cards", "5", "--colleagues", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"5 cards on sqlite: [\d.]+ ms wall, [\d.]+ ms CPU per change", result.stdout)


def test_the_micro_benchmark_splits_a_cards_time_with_csrf_on():
    result = subprocess.run(
        [sys.executable, "-m", "bench.micro", "--breakdown", "--colleagues", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"a card, CSRF on: +[\d.]+ ms CPU", result.stdout)
    assert re.search(r"without its push: +[\d.]+ ms \(the push: -?[\d.]+ ms\)", result.stdout)
    assert re.search(r"a request's floor: +[\d.]+ ms", result.stdout)
    assert re.search(r"a heartbeat's request: +[\d.]+ ms", result.stdout)


def test_the_realistic_mix_is_a_whole_meeting_of_seven_steps_in_order():
    kinds = Counter(kind for _, kind in SCRIPT)
    assert kinds["step"] == 7 and [step for step, kind in SCRIPT if kind == "step"] == [
        *range(1, 8)
    ]
    assert [step for step, _ in SCRIPT] == sorted(step for step, _ in SCRIPT)
    assert kinds["card"] == 12 and kinds["vote"] == 13 and kinds["mark"] == 10


def test_after_the_yield_a_meeting_goes_back_to_step_2_and_on():
    meeting = Meeting(0, devices=[object()] * 5, posters=[2, 3, 4], step=7, position=len(SCRIPT))
    moves = []
    while meeting.step > 2:
        moves.append(next_change(meeting)[1])
        meeting.step -= 1  # as when the server accepted the move
    assert moves == ["/previous"] * 5
    assert next_change(meeting)[3] == "question", "step 2 goes on with its questions"


def test_latencies_are_split_per_kind_of_change():
    meeting = meeting_with({1: (0, 10.0), 2: (0, 20.0)}, {1: [(1, 10.004)], 2: [(1, 20.010)]})
    meeting.kinds = {1: "card", 2: "vote"}
    kinds = tally_kinds([meeting])
    assert {
        kind: (count, [round(v) for v in values]) for kind, (count, values, _) in kinds.items()
    } == {
        "card": (1, [4]),
        "vote": (1, [10]),
    }


def test_the_load_generator_closes_an_idle_connection_before_the_server_does():
    """Else a command sent as gunicorn closes its idle connection fails ("Server
    disconnected"), a failure of the benchmark's, not of the board."""
    config = runpy.run_path(str(Path(__file__).parents[1] / "gunicorn.conf.py"))
    assert config["keepalive"] > KEEPALIVE_SECONDS


def test_more_than_one_server_process_needs_the_redis_queue(capsys):
    with pytest.raises(SystemExit):
        parse(["--workers", "2"])
    assert "--workers above 1 needs --redis" in capsys.readouterr().err
    assert parse(["--workers", "2", "--redis"]).workers == 2
    with pytest.raises(SystemExit):  # the workers share one profile file
        parse(["--workers", "2", "--redis", "--profile"])
    assert parse([]).workers == 1


def test_one_meetings_devices_are_spread_over_the_server_processes_round_robin():
    """As a round-robin proxy would: device i of meeting m on process (m*devices + i) % N,
    so a change reaches most of its meeting through the queue, not the process it came to."""
    for meeting in range(4):
        spread = Counter(process_of(meeting, index, 15, 2) for index in range(15))
        assert set(spread) == {0, 1} and abs(spread[0] - spread[1]) == 1
    assert [process_of(1, index, 3, 3) for index in range(3)] == [0, 1, 2]
    assert {process_of(m, i, 15, 1) for m in range(5) for i in range(15)} == {0}


def test_a_device_talks_to_its_own_process():
    http = Http(["http://a", "http://b"], session=None)
    devices = [http.device(Meeting(1), index, 3) for index in range(3)]
    assert [device.base for device in devices] == ["http://b", "http://a", "http://b"]


# ---- bench.run --timeline: where a delivery's time goes -----------------------------------

EMITS = [  # meeting, version, request started, emitted, audiences (as the server logs them)
    "abc 7 10.001000 10.003000 colleague",
    "abc 7 10.001000 10.004000 teacher,screen",
    "xyz 7 20.000000 20.001000 colleague",  # another meeting at the same version
]


def test_a_deliverys_time_is_split_at_the_request_start_and_the_emit_for_its_audience():
    # Anna (device 2) posts at 10.000; the teacher (0), the screen (1) and Bram (3) hear it.
    arrivals = [(0, 10.007), (1, 10.008), (2, 10.005), (3, 10.006)]
    parts = split(EMITS, [("abc", 7, 2, 10.000, arrivals)])
    assert parts["send → start"]["deliveries"] == 3, "the poster's own push is left out"
    assert parts["send → start"]["p50_ms"] == 1.0
    # Bram's push came with the colleagues' emit at 10.003, the others' with theirs at 10.004.
    assert parts["start → emit"]["p50_ms"] == 3.0
    assert parts["emit → arrival"]["p50_ms"] == 3.0  # 3.0 (Bram), 3.0 (teacher), 4.0 (screen)
    assert parts["total"]["p50_ms"] == 7.0


def test_a_change_the_server_never_logged_is_left_out_of_the_split():
    parts = split(EMITS, [("abc", 8, 2, 10.0, [(3, 10.01)])])
    assert parts["total"] == {"deliveries": 0, "p50_ms": None, "p99_ms": None}


def test_the_server_logs_each_emit_of_a_change_with_its_requests_start(app, meeting, tmp_path):
    from board import notify
    from board.extensions import socketio

    log = tmp_path / "timeline.log"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socketio, "emit", lambda *args, **kwargs: None)  # no socket here
        patch.setattr(app, "wsgi_app", app.wsgi_app)  # restored after
        patch.setattr(notify, "listening", lambda target: target.endswith(":nl"))
        recording = record(app, str(log))
        meeting.go_to(4)
        card = {"stage": "step4", "client_key": "k1", "category": "instructie", "text": "Uitleg"}
        assert meeting.post("Anna", "/needs", card).status_code == 204
        recording.close()
    with app.app_context():
        version = meeting.meeting().version
    lines = [line.split() for line in log.read_text().splitlines()]
    card_lines = lines[-2:]  # the card's two emits: the colleagues', the teacher's and screen's
    assert [line[:2] for line in card_lines] == [[meeting.id, str(version)]] * 2
    assert sorted(line[4] for line in card_lines) == ["colleague", "teacher,screen"]
    for _, _, started, emitted, _ in card_lines:
        assert float(started) < float(emitted)


# ---- bench.run --floor: the board with its card command cut down -------------------------


def test_a_floor_runs_the_default_mix_on_one_process(capsys):
    assert parse(["--floor", "write"]).floor == "write"
    assert parse([]).floor is None
    # A floor's figures never take the place of the board's in bench/results/latest.json.
    assert parse([]).output.name == "latest.json"
    assert parse(["--floor", "stack"]).output.name == "floor-stack.json"
    assert parse(["--floor", "stack", "--output", "x.json"]).output.name == "x.json"
    for other in (["--mix", "realistic"], ["--workers", "2", "--redis"]):
        with pytest.raises(SystemExit):
            parse(["--floor", "stack", *other])
        assert "the default mix, one worker" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parse(["--floor", "render"])  # not one of the floors


CARD = {"stage": "step4", "client_key": "k1", "category": "instructie", "text": "Uitleg vooraf"}


def floor_emits(app, meeting, floor: str, monkeypatch) -> list[tuple]:
    """A card posted by Anna to the board cut down to `floor`: what was emitted, and to whom."""
    from bench.floor_server import floored
    from board.extensions import socketio
    from board.services import common

    emitted = []
    monkeypatch.setattr(socketio, "emit", lambda *args, **kwargs: emitted.append((args, kwargs)))
    monkeypatch.setattr(common, "notify", common.notify)  # put back after the test
    monkeypatch.setattr(app, "view_functions", dict(app.view_functions))
    meeting.go_to(4)
    floored(app, floor, size=40)
    response = meeting.post("Anna", "/needs", CARD)
    assert response.status_code == 204
    return emitted, int(response.headers["X-Board-Version"])


def test_the_stack_floor_answers_a_card_as_the_bare_server_does_and_stores_nothing(
    app, meeting, monkeypatch
):
    from board.models import NeedCard

    emitted, version = floor_emits(app, meeting, "stack", monkeypatch)
    ((args, kwargs),) = emitted
    assert args == ("regions", {"version": 10**6 + 1, "regions": {"needs": "x" * 40}})
    assert version == 10**6 + 1
    assert kwargs["to"] == [
        f"meeting:{meeting.id}:{a}:nl" for a in ("teacher", "colleague", "screen")
    ]
    with app.app_context():
        assert meeting.meeting().version < 10**6
        assert NeedCard.query.count() == 0


def test_the_write_floor_stores_the_card_and_pushes_the_fixed_payload_at_its_version(
    app, meeting, monkeypatch
):
    from board.models import NeedCard

    emitted, version = floor_emits(app, meeting, "write", monkeypatch)
    ((args, kwargs),) = emitted
    assert args == ("regions", {"version": version, "regions": {"needs": "x" * 40}})
    with app.app_context():
        assert meeting.meeting().version == version
        assert [card.text for card in NeedCard.query] == ["Uitleg vooraf"]


def test_an_unknown_floor_is_refused(app):
    from bench.floor_server import floored

    with pytest.raises(ValueError, match="stack"):
        floored(app, "render")
