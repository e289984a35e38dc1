"""The benchmark's own arithmetic and the in-process timing of one change."""

import re
import subprocess
import sys
from pathlib import Path

from bench.run import Meeting, percentile, tally, window

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
