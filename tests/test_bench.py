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
