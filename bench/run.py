"""Load benchmark: N meetings × M devices on the production server, then on the bare transport.

    .venv/bin/python -m bench.run --meetings 200 --devices 15 --duration 60
    .venv/bin/python -m bench.run --workers 2 --redis   # two processes, one Redis queue

Starts the board under gunicorn (gevent worker, one process) and sets up every meeting
through the real HTTP flow: the teacher creates it and opens the lobby, the room screen
opens its link, colleagues join with the code and a name, the teacher moves to step 4.
Every device then connects a python-socketio AsyncClient over WebSocket. Each meeting makes
one change every INTERVAL seconds on average (each gap drawn anew, `gap`) through the real
endpoint (a device's cookie and CSRF header): with `--mix cards` (the default) a need card
in step 4; with `--mix realistic` the changes of a whole meeting in the proportions of
METHOD.md's seven steps (MEETING below: steps, clock, questions, goal suggestions, cards,
marks, agreements, votes). Per delivery we
time from sending the POST to the pushed fragment arriving at every other device of that
meeting, overall and per kind of change. The same harness then runs against bench/bare_server.py
(the floor: an emit to a room, no database, no rendering) with pushes of the same size.
The load generators collect no garbage while they measure (`quiet_collector`).
Results go to bench/results/latest.json.

With `--floor stack` or `--floor write` the board's card command is cut down
(bench/floor_server.py): what the board's request cycle alone costs, and the command with its
database work but a fixed push, each against the bare transport in the same run.

With `--workers N` (and `--redis`) both run as N gunicorn processes, each on its own port
with one worker and all on the same message queue, as gunicorn.conf.py says to scale. The
devices are spread over them as a round-robin proxy would (process_of), so one meeting's
devices sit on different processes and its pushes cross Redis. Server CPU and RSS are the
sums over the N workers.
"""

import argparse
import asyncio
import gc
import itertools
import json
import logging
import multiprocessing
import os
import pstats
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import socketio

from bench.floor_server import FLOORS
from bench.timeline import split

# A dropped socket is counted as lost deliveries; the client library need not shout it.
logging.getLogger("engineio.client").setLevel(logging.CRITICAL)
logging.getLogger("socketio.client").setLevel(logging.CRITICAL)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
JOIN_CODE = re.compile(r"/j/([A-Za-z0-9]+)")
SCREEN_LINK = re.compile(r"/s/[A-Za-z0-9_-]+")
COOKIE = "intervisiebord"
DROPPED: list[str] = []  # meetings whose sockets the server dropped during a run
POSTERS = 3  # colleagues per meeting who take turns adding a card
CATEGORIES = ("instructie", "opdrachten", "feedback", "leerkracht", "groepsgenoten")
CARD_ID = re.compile(r"/needs/(\w+)/(?:aside|mark|edit)")
TEACHER = 0
GC_SAMPLE = re.compile(
    r'^intervisiebord_gc_pause_seconds_(count|sum)\{generation="(\d)"\} (\S+)$', re.MULTILINE
)

# One meeting as METHOD.md runs it (39 minutes in seven steps, a teacher and ~12 colleagues):
# per step, the changes people make in it and how many. The time a step takes sets what
# happens in it: ten minutes of questions give ~8 questions, ten minutes of needs ~12 cards,
# five minutes of feasibility a mark for most cards, the yield a vote from everyone. The
# timekeeper adds a minute where a step runs over and pauses once for a discussion.
MEETING: tuple[tuple[int, tuple[tuple[str, int], ...]], ...] = (
    (1, (("step", 1),)),  # the teacher explains (5 min): the board only moves to step 1
    (2, (("step", 1), ("question", 8), ("timer_extend", 1))),  # clarifying questions (10)
    (3, (("step", 1), ("suggestion", 2))),  # the goal (2): colleagues suggest a wording
    (
        4,
        (
            ("step", 1),
            ("card", 6),
            ("timer_pause", 1),
            ("timer_start", 1),
            ("card", 6),
            ("timer_extend", 1),
        ),
    ),  # needs (10)
    (5, (("step", 1), ("mark", 10))),  # feasibility (5): the teacher marks the needs
    (6, (("step", 1), ("agreement", 4))),  # agreements (5)
    (7, (("step", 1), ("vote", 13))),  # the yield (2): everyone votes
)


def meeting_script() -> list[tuple[int, str]]:
    """The changes of one meeting in order: (the step they happen in, their kind)."""
    return [(step, kind) for step, parts in MEETING for kind, n in parts for _ in range(n)]


SCRIPT = meeting_script()


# ---------------------------------------------------------------- server processes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A gunicorn process (gevent worker, one worker) that we start, measure and stop."""

    def __init__(self, app: str, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.env = {**os.environ, **env, "PORT": str(self.port), "HOST": "127.0.0.1"}
        self.app = app
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Server":
        command = [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", self.app]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"server exited at start; see {self.log}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"server did not answer within 30 s; see {self.log}")

    def worker_pid(self) -> int:
        """The gunicorn worker: the one child of the arbiter, where the sockets live."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = children.read_text().split()
        return int(pids[0]) if pids else self.process.pid

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.worker_pid()}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.worker_pid()}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class Servers:
    """--workers gunicorn processes of one app, each on its own port with one worker, as
    behind a proxy; measured as one: CPU and RSS are the sums over their workers."""

    def __init__(self, app: str, env: dict[str, str], log: Path, count: int) -> None:
        self.app, self.env, self.log, self.count = app, env, log, count
        self.servers: list[Server] = []

    @property
    def urls(self) -> list[str]:
        return [server.url for server in self.servers]

    def start(self) -> "Servers":
        """One after the other: a port is chosen once the ports before it are taken."""
        try:
            for _ in range(self.count):
                self.servers.append(Server(self.app, self.env, self.log))
                self.servers[-1].start()
        except BaseException:
            self.stop()
            raise
        return self

    def worker_pids(self) -> list[int]:
        return [server.worker_pid() for server in self.servers]

    def rss_kib(self) -> int:
        return sum(server.rss_kib() for server in self.servers)

    def cpu_seconds(self) -> float:
        return sum(server.cpu_seconds() for server in self.servers)

    def gc_pauses(self) -> dict[str, list[float]]:
        """Garbage collections so far, by generation: [count, seconds], summed over the
        processes, from the board's /metrics (the bare server has none: {})."""
        found: dict[str, list[float]] = {}
        for url in self.urls:
            try:
                with urllib.request.urlopen(f"{url}/metrics", timeout=10) as response:
                    text = response.read().decode()
            except OSError:
                return {}
            for part, generation, value in GC_SAMPLE.findall(text):
                entry = found.setdefault(generation, [0.0, 0.0])
                entry[0 if part == "count" else 1] += float(value)
        return found

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


def board_environment(args: argparse.Namespace, workdir: Path) -> tuple[dict[str, str], str]:
    """Environment for the board server and a description of its storage."""
    env = {
        "SECRET_KEY": "bench-secret",
        "FLASK_APP": "wsgi",
        # Hundreds of joins from one address: the load generator is not an attacker.
        "RATELIMIT_ENABLED": "0",
    }
    if args.db == "postgresql":
        name = f"bench_{os.getpid()}"
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name])
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        env["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{name}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    if args.redis:
        env["SOCKETIO_MESSAGE_QUEUE"] = "redis://127.0.0.1:6379/0"
    if args.timeline:
        env["BENCH_TIMELINE"] = str(workdir / "timeline.log")
    subprocess.run(
        [str(VENV_BIN / "flask"), "db", "upgrade"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    storage = ("PostgreSQL" if args.db == "postgresql" else "SQLite") + (
        " + Redis queue" if args.redis else ", no queue"
    )
    return env, storage


def drop_database(env: dict[str, str]) -> None:
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgresql://"):
        name = url.rsplit("/", 1)[1]
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name])


# ---------------------------------------------------------------- devices and meetings


@dataclass
class Device:
    base: str = ""  # the server process this device talks to, its pages and its socket
    cookie: str = ""
    csrf: str = ""
    sio: socketio.AsyncClient | None = None


@dataclass
class Meeting:
    index: int
    id: str = ""
    devices: list[Device] = field(default_factory=list)
    posters: list[int] = field(default_factory=list)
    # version -> (device index of the poster, perf_counter when the POST was sent)
    sent: dict[int, tuple[int, float]] = field(default_factory=dict)
    # version -> list of (device index, perf_counter on arrival)
    arrived: dict[int, list[tuple[int, float]]] = field(default_factory=dict)
    kinds: dict[int, str] = field(default_factory=dict)  # version -> the kind of change
    step: int = 0  # 0: the lobby; 1-7: the step the meeting is in
    card_ids: list[str] = field(default_factory=list)  # need cards, as the teacher sees them
    done: int = 0  # changes made so far (whose turn, which card)
    position: int = 0  # where in SCRIPT the realistic mix is


KEEPALIVE_SECONDS = 3  # below gunicorn.conf.py's keepalive


def process_of(meeting: int, index: int, devices: int, processes: int) -> int:
    """The server process of a meeting's device, as a round-robin proxy hands out
    connections: one meeting's devices sit on different processes."""
    return (meeting * devices + index) % processes


class Http:
    """One aiohttp session for all devices; each device carries its own cookie and the
    server process it talks to by hand."""

    def __init__(self, urls: list[str], session: aiohttp.ClientSession) -> None:
        self.urls = urls
        self.session = session

    def device(self, meeting: Meeting, index: int, devices: int) -> Device:
        """A new device of the meeting, on its own process (process_of)."""
        return Device(base=self.urls[process_of(meeting.index, index, devices, len(self.urls))])

    async def request(self, device: Device, method: str, path: str, **kwargs):
        headers = kwargs.pop("headers", {})
        if device.cookie:
            headers["Cookie"] = f"{COOKIE}={device.cookie}"
        async with self.session.request(
            method, device.base + path, headers=headers, allow_redirects=False, **kwargs
        ) as response:
            text = await response.text()
            if COOKIE in response.cookies:
                device.cookie = response.cookies[COOKIE].value
            return response.status, response.headers, text

    async def follow(self, device: Device, method: str, path: str, **kwargs) -> tuple[str, str]:
        """A request and its redirects; the last page and its path."""
        status, headers, text = await self.request(device, method, path, **kwargs)
        while status in (301, 302, 303):
            path = headers["Location"].removeprefix(device.base)
            status, headers, text = await self.request(device, "GET", path)
        if status != 200:
            raise RuntimeError(f"{method} {path}: {status} {text[:200]}")
        return text, path

    async def command(self, device: Device, path: str, data: dict | None = None):
        """An htmx POST as a page sends it: the cookie, the CSRF header, HX-Request."""
        headers = {"X-CSRFToken": device.csrf, "HX-Request": "true", "Origin": device.base}
        return await self.request(device, "POST", path, data=data or {}, headers=headers)


async def set_up_meeting(
    http: Http, meeting: Meeting, devices: int, total: int, mix: str = "cards"
) -> None:
    """Teacher creates and opens it, screen and colleagues join, teacher goes to step 4."""
    teacher = http.device(meeting, TEACHER, devices)
    home, _ = await http.follow(teacher, "GET", "/")
    form = {
        "csrf_token": CSRF_FIELD.search(home).group(1),
        "pupil_alias": "Thomas",
        "group_name": "3",
        "meeting_date": datetime.now(UTC).date().isoformat(),
    }
    page, path = await http.follow(teacher, "POST", "/meetings", data=form)
    meeting.id = path.rsplit("/", 1)[1]
    teacher.csrf = CSRF_HEADER.search(page).group(1)
    status, _, text = await http.command(teacher, f"/m/{meeting.id}/open")
    assert status == 204, (status, text[:300])
    page, _ = await http.follow(teacher, "GET", f"/m/{meeting.id}")
    code = JOIN_CODE.search(page).group(1)
    screen = http.device(meeting, 1, devices)
    await http.follow(screen, "GET", SCREEN_LINK.search(page).group(0))
    meeting.devices = [teacher, screen]
    for number in range(devices - 2):
        colleague = http.device(meeting, 2 + number, devices)
        join_page, _ = await http.follow(colleague, "GET", f"/j/{code}")
        data = {"csrf_token": CSRF_FIELD.search(join_page).group(1), "name": f"Collega {number}"}
        status, _, text = await http.request(colleague, "POST", f"/j/{code}", data=data)
        assert status == 303, (status, text[:300])
        if number < POSTERS or mix == "realistic":  # a poster needs the page's CSRF token
            board, _ = await http.follow(colleague, "GET", f"/m/{meeting.id}")
            colleague.csrf = CSRF_HEADER.search(board).group(1)
        meeting.devices.append(colleague)
    meeting.posters = list(range(2, 2 + min(POSTERS, devices - 2)))
    if mix == "realistic":
        meeting.posters = list(range(2, devices))  # everyone asks, suggests, writes and votes
        await replay(http, meeting, random.randrange(len(SCRIPT)))
    else:
        for path in ("start", "next", "next", "next"):
            status, _, text = await http.command(teacher, f"/m/{meeting.id}/{path}")
            assert status == 204, (path, status, text[:300])
        meeting.step = 4
    if (meeting.index + 1) % 20 == 0:
        print(f"  board: {meeting.index + 1}/{total} meetings set up", flush=True)


async def replay(http: Http, meeting: Meeting, position: int) -> None:
    """Set up a meeting as far into the script as `position`, unmeasured: its step moves and
    its cards (later steps mark them); the rest of what came before changes nothing needed."""
    for step, kind in SCRIPT[:position]:
        if kind in ("step", "card"):
            await make_change(http, meeting, change(meeting, step, kind))
    if meeting.step >= 4:  # the cards so far, to mark in step 5
        page, _ = await http.follow(meeting.devices[TEACHER], "GET", f"/m/{meeting.id}")
        meeting.card_ids = list(dict.fromkeys(CARD_ID.findall(page)))
    meeting.position = position


def change(meeting: Meeting, step: int, kind: str) -> tuple[int, str, dict, str]:
    """One change of the realistic mix: (device index, path, form, kind)."""
    meeting.done += 1
    colleague = meeting.posters[meeting.done % len(meeting.posters)]
    stage = {"stage": f"step{meeting.step}"}
    if kind == "step":
        if meeting.step == 0:
            return TEACHER, "/start", {"stage": "lobby"}, kind
        return TEACHER, "/next", stage, kind
    if kind == "back":
        return TEACHER, "/previous", stage, "step"
    if kind.startswith("timer_"):
        return TEACHER, "/timer/" + kind.removeprefix("timer_"), stage, "timer"
    if kind == "question":
        return colleague, "/questions", {**stage, "text": "Hoe reageert hij op uitleg?"}, kind
    if kind == "suggestion":
        text = "Thomas blijft vier minuten zitten in de kring, drie ochtenden per week"
        return colleague, "/suggestions", {**stage, "text": text}, kind
    if kind == "card":
        data = {
            **stage,
            "client_key": f"{meeting.id}-{meeting.done}-{time.perf_counter()}",
            "category": random.choice(CATEGORIES),
            "text": "extra instructie vooraf in een klein groepje, met een voorbeeld",
        }
        return colleague, "/needs", data, kind
    if kind == "mark" and not meeting.card_ids:  # no card came (none were added)
        return TEACHER, "/timer/extend", stage, "timer"
    if kind == "mark":
        card = meeting.card_ids[meeting.done % len(meeting.card_ids)]
        feasibility = random.choice(("feasible", "not_now"))
        return TEACHER, f"/needs/{card}/mark", {**stage, "feasibility": feasibility}, kind
    if kind == "agreement":
        data = {**stage, "topic": "parents", "what": "Mail aan de ouders", "who": "Juf Sanne"}
        return colleague, "/agreements", data, kind
    if kind == "vote":
        data = {**stage, "worth_it": random.choice(("yes", "no")), "why": "", "brought": ""}
        return colleague, "/vote", data, kind
    raise ValueError(kind)


async def make_change(http: Http, meeting: Meeting, planned) -> tuple[int, dict, str]:
    device, path, data, kind = planned
    status, headers, text = await http.command(
        meeting.devices[device], f"/m/{meeting.id}{path}", data
    )
    if status in (200, 204) and kind == "step":
        meeting.step += 1 if path != "/previous" else -1
    return status, headers, text


def next_change(meeting: Meeting) -> tuple[int, str, dict, str]:
    """The realistic mix goes through the script; after the yield the meeting goes back to
    step 2 and on from there (the moves back count as step changes)."""
    if meeting.position >= len(SCRIPT):
        if meeting.step > 2:
            return change(meeting, meeting.step, "back")
        meeting.position = SCRIPT.index((2, "step")) + 1
    step, kind = SCRIPT[meeting.position]
    meeting.position += 1
    return change(meeting, step, kind)


def set_up_bare(http: Http, meeting: Meeting, devices: int) -> None:
    meeting.id = f"room{meeting.index}"
    meeting.devices = [http.device(meeting, index, devices) for index in range(devices)]
    meeting.posters = list(range(devices))


async def connect(meeting: Meeting, index: int, bare: bool, payloads: list) -> None:
    """One device's socket, to its own process; every push it hears is stamped on arrival."""
    device = meeting.devices[index]
    base = device.base
    sio = socketio.AsyncClient(reconnection=False)

    async def regions(data):
        now = time.perf_counter()
        meeting.arrived.setdefault(data["version"], []).append((index, now))
        if index == TEACHER and not bare and "append" in data:  # the cards to mark in step 5
            for _, html in data["append"]:
                meeting.card_ids.extend(CARD_ID.findall(html)[:1])
        if index == len(meeting.devices) - 1 and data["version"] % 5 == 0:
            payloads.append(len(json.dumps(data)))  # a colleague's push, now and then

    sio.on("regions", regions)
    sio.on("disconnect", lambda *reason: DROPPED.append(meeting.id))
    headers = {"Origin": base}
    if device.cookie:
        headers["Cookie"] = f"{COOKIE}={device.cookie}"
    auth = {"room": meeting.id} if bare else {"meeting": meeting.id, "version": 10**9}
    await sio.connect(base, headers=headers, auth=auth, transports=["websocket"], wait_timeout=30)
    device.sio = sio


async def gather_limited(coroutines, limit: int) -> None:
    semaphore = asyncio.Semaphore(limit)

    async def run(coroutine):
        async with semaphore:
            await coroutine

    await asyncio.gather(*(run(c) for c in coroutines))


# ---------------------------------------------------------------- the run


def profile_path(args, label: str) -> Path:
    return args.output.parent / f"profile-{label}.prof"


def profiling(args, label: str) -> dict[str, str]:
    """The server's environment for --profile: gunicorn.conf.py arms cProfile in the worker."""
    return {"BENCH_PROFILE": str(profile_path(args, label))} if args.profile else {}


def toggle_profiler(servers: Servers, args, on: bool) -> None:
    """cProfile covers the load phase only: one signal starts it, the next writes it out."""
    if args.profile:
        for pid in servers.worker_pids():  # one: --profile takes a single process
            os.kill(pid, signal.SIGRTMIN + (1 if on else 2))


def report_profile(args, label: str) -> None:
    """The functions that take the server's time, to bench/results/profile-<label>.txt."""
    path = profile_path(args, label)
    for _ in range(600):  # yappi saves its stats when told; on a busy machine that takes a while
        if path.exists():
            time.sleep(0.5)  # written out
            break
        time.sleep(0.1)
    else:
        print(f"  no profile was written to {path}")
        return
    text = path.with_suffix(".txt")
    with text.open("w") as out:
        stats = pstats.Stats(str(path), stream=out)
        stats.sort_stats("tottime").print_stats(40)
        stats.sort_stats("cumulative").print_stats(60)
    print(f"  profile: {text}")


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def drive(http: Http, meeting: Meeting, args, bare: bool, size: int, stop: float) -> None:
    """One meeting's changes: one POST every INTERVAL seconds, staggered across meetings."""
    await asyncio.sleep(random.uniform(0, args.interval))
    posters = itertools.cycle(meeting.posters)
    seq = itertools.count(1)
    while time.perf_counter() < stop:
        started = time.perf_counter()
        poster = next(posters)
        if bare:
            version = next(seq)
            meeting.sent[version] = (poster, started)
            path = f"/broadcast/{meeting.id}?bytes={size}&seq={version}"
            await http.request(meeting.devices[poster], "POST", path)
        else:
            if args.mix == "realistic":
                planned = next_change(meeting)
            else:
                planned = change(meeting, 4, "card")
                planned = (poster, *planned[1:])
            status, headers, text = await make_change(http, meeting, planned)
            if status not in (200, 204) or "X-Board-Version" not in headers:
                print(f"  ! POST {planned[1]}: {status} {text[:120]}", flush=True)
            else:
                version = int(headers["X-Board-Version"])
                meeting.sent[version] = (planned[0], started)
                meeting.kinds[version] = planned[3]
        await asyncio.sleep(max(0.0, gap(args.interval) - (time.perf_counter() - started)))


def gap(interval: float) -> float:
    """Seconds from one change of a meeting to its next: INTERVAL on average, drawn anew each
    time. Two hundred meetings then add up to a stream close to what independent people make
    (near Poisson, meetings / INTERVAL changes per second). With a fixed interval every
    meeting kept its first random offset, so the same chance cluster of meetings posted
    together every INTERVAL for the whole run, and that one cluster set the p99."""
    return random.uniform(0.5, 1.5) * interval


def tally(meetings: list[Meeting]) -> tuple[list[float], int, int]:
    """Latencies in ms for every delivery to a device other than the poster."""
    latencies, expected = [], 0
    for meeting in meetings:
        for version, (poster, started) in meeting.sent.items():
            expected += len(meeting.devices) - 1
            for index, arrived in meeting.arrived.get(version, []):
                if index != poster:
                    latencies.append((arrived - started) * 1000)
    return latencies, len(latencies), expected


def tally_kinds(meetings: list[Meeting]) -> dict[str, list]:
    """Per kind of change: [changes, latencies in ms, deliveries expected]."""
    kinds: dict[str, list] = {}
    for meeting in meetings:
        for version, (poster, started) in meeting.sent.items():
            entry = kinds.setdefault(meeting.kinds.get(version, "card"), [0, [], 0])
            entry[0] += 1
            entry[2] += len(meeting.devices) - 1
            entry[1].extend(
                (arrived - started) * 1000
                for index, arrived in meeting.arrived.get(version, [])
                if index != poster
            )
    return kinds


def window(meetings: list[Meeting], since: float) -> list[float]:
    """Latencies in ms of the changes sent since `since`: what the progress line shows."""
    return [
        (arrived - started) * 1000
        for meeting in meetings
        for version, (poster, started) in meeting.sent.items()
        if started >= since
        for index, arrived in meeting.arrived.get(version, [])
        if index != poster
    ]


async def progress(servers: Servers, meetings: list[Meeting], stop: float, label: str) -> None:
    """A line every 5 s: totals, and p50/p99 of the last 5 s only. Sorting every latency so
    far would stall this process's loop longer each time and show up in the figures. The
    CPU is that of all server processes together."""
    cpu0, t0 = servers.cpu_seconds(), time.perf_counter()
    while time.perf_counter() < stop:
        since = time.perf_counter()
        await asyncio.sleep(5)
        recent = window(meetings, since)
        changes = sum(len(m.sent) for m in meetings)
        expected = sum(len(m.sent) * (len(m.devices) - 1) for m in meetings)
        delivered = sum(
            sum(1 for index, _ in m.arrived.get(version, []) if index != poster)
            for m in meetings
            for version, (poster, _) in m.sent.items()
        )
        cpu = (servers.cpu_seconds() - cpu0) / (time.perf_counter() - t0) * 100
        print(
            f"  {label}: {time.perf_counter() - t0:5.0f} s  changes {changes:6d}  "
            f"delivered {delivered}/{expected}  last 5 s: p50 {percentile(recent, 0.5):6.1f} ms"
            f"  p99 {percentile(recent, 0.99):6.1f} ms  server CPU {cpu:4.0f}%",
            flush=True,
        )


async def client_part(servers: Servers, args, bare: bool, size: int, sync, part: int) -> dict:
    """One load-generator process: its share of the meetings, set up, connected and driven."""
    label = ("bare" if bare else "board") + (
        f" {part + 1}/{args.clients}" if args.clients > 1 else ""
    )
    meetings = [Meeting(i) for i in range(part, args.meetings, args.clients)]
    # Close an idle connection before the server does (gunicorn's keepalive is 5 s): a POST
    # sent on one the server is closing at that moment fails with "Server disconnected".
    connector = aiohttp.TCPConnector(limit=200, keepalive_timeout=KEEPALIVE_SECONDS)
    async with aiohttp.ClientSession(
        cookie_jar=aiohttp.DummyCookieJar(), connector=connector
    ) as session:
        http = Http(servers.urls, session)
        started = time.perf_counter()
        if bare:
            for meeting in meetings:
                set_up_bare(http, meeting, args.devices)
        else:
            await gather_limited(
                (set_up_meeting(http, m, args.devices, args.meetings, args.mix) for m in meetings),
                8,
            )
        print(
            f"  {label}: {len(meetings)} meetings set up in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        await asyncio.to_thread(sync.wait)  # the server's RSS before any socket
        payloads: list[int] = []
        started = time.perf_counter()
        await gather_limited(
            (connect(m, i, bare, payloads) for m in meetings for i in range(len(m.devices))),
            50,
        )
        sockets = sum(len(m.devices) for m in meetings)
        print(
            f"  {label}: {sockets} sockets connected in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        await asyncio.to_thread(sync.wait)  # every process connected: the load starts
        for meeting in meetings:
            meeting.arrived.clear()
        quiet_collector()
        DROPPED.clear()
        stop = time.perf_counter() + args.duration
        watchers = [progress(servers, meetings, stop, label)] if part == 0 else []
        await asyncio.gather(*watchers, *(drive(http, m, args, bare, size, stop) for m in meetings))
        await asyncio.sleep(args.drain)
        gc.enable()
        latencies, delivered, expected = tally(meetings)
        result = {
            "sockets": sockets,
            "changes": sum(len(m.sent) for m in meetings),
            "delivered": delivered,
            "expected": expected,
            "dropped": len(DROPPED),
            "latencies": latencies,
            "payloads": payloads,
            "kinds": tally_kinds(meetings),
        }
        if args.timeline and not bare:  # what the clients timed, for bench.timeline.split
            result["sent"] = [
                (m.id, version, poster, started, m.arrived.get(version, []))
                for m in meetings
                for version, (poster, started) in m.sent.items()
            ]
        await asyncio.to_thread(sync.wait)  # the server's CPU and RSS at the end
        await gather_limited(
            (d.sio.disconnect() for m in meetings for d in m.devices if d.sio), 200
        )
    return result


def quiet_collector() -> None:
    """No garbage collection in a load-generator process while it measures. Its collections
    stop its loop, and every push that arrives meanwhile is stamped late and counted as the
    server's latency. With 1,500 sockets one process's full collections took 205–260 ms, and
    the middle generation's 15–50 ms every 3 s. The process holds about 115 MB at the end of a
    minute's load without them."""
    gc.collect()
    gc.freeze()
    gc.disable()


def client_process(servers: Servers, args, bare: bool, size: int, sync, part: int, results) -> None:
    random.seed()  # a forked process starts from its parent's random state: draw anew
    try:
        results.put(asyncio.run(client_part(servers, args, bare, size, sync, part)))
    except BaseException:
        sync.abort()  # the other processes and the measurer stop at once instead of waiting
        raise


def machine_pace() -> float:
    """The CPU milliseconds of a fixed piece of pure Python (best of five): the pace of this
    machine at the moment. A shared host's pace drifts by a quarter from minute to minute;
    board and bare run one after the other, so each carries the pace it ran at."""
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        total = 0
        for number in range(1_000_000):
            total += number * number
        best = min(best, time.process_time() - started)
    return round(best * 1000, 1)


def run_load(servers: Servers, args, bare: bool, size: int = 0) -> dict:
    """Load from --clients processes at once; the servers are measured from here."""
    pace_before = machine_pace()
    context = multiprocessing.get_context("fork")
    sync = context.Barrier(args.clients + 1, timeout=1800)
    results = context.Queue()
    processes = [
        context.Process(
            target=client_process, args=(servers, args, bare, size, sync, part, results)
        )
        for part in range(args.clients)
    ]
    for process in processes:
        process.start()
    sync.wait()
    rss_before = servers.rss_kib()
    sync.wait()
    time.sleep(2)
    rss_after = servers.rss_kib()
    collected = servers.gc_pauses()
    cpu0, wall0 = servers.cpu_seconds(), time.perf_counter()
    toggle_profiler(servers, args, on=True)
    sync.wait()
    toggle_profiler(servers, args, on=False)
    cpu_used = servers.cpu_seconds() - cpu0
    cpu = cpu_used / (time.perf_counter() - wall0) * 100
    rss_end = servers.rss_kib()
    collections = {
        generation: {
            "count": round(count - collected.get(generation, [0, 0])[0]),
            "ms": round(1000 * (seconds - collected.get(generation, [0, 0])[1]), 1),
        }
        for generation, (count, seconds) in sorted(servers.gc_pauses().items())
    }
    parts = [results.get() for _ in processes]
    for process in processes:
        process.join()
    pace_after = machine_pace()
    if args.profile:
        report_profile(args, "bare" if bare else "board")
    latencies = [value for part in parts for value in part["latencies"]]
    payloads = [value for part in parts for value in part["payloads"]]
    sockets = sum(part["sockets"] for part in parts)
    changes = sum(part["changes"] for part in parts)
    kinds: dict[str, list] = {}
    for part in parts:
        for kind, (count, values, expected) in part["kinds"].items():
            entry = kinds.setdefault(kind, [0, [], 0])
            entry[0] += count
            entry[1].extend(values)
            entry[2] += expected
    timeline = {}
    if any("sent" in part for part in parts):
        with open(args.timeline_log) as log:
            timeline = split(log, (sent for part in parts for sent in part.get("sent", [])))
    return {
        "sockets": sockets,
        "changes": changes,
        "delivered": sum(part["delivered"] for part in parts),
        "expected": sum(part["expected"] for part in parts),
        "sockets_dropped": sum(part["dropped"] for part in parts),
        "p50_ms": round(percentile(latencies, 0.50), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "max_ms": round(max(latencies, default=float("nan")), 2),
        "mean_ms": round(statistics.fmean(latencies), 2) if latencies else None,
        "server_cpu_percent": round(cpu, 1),
        # Load-independent: what one change costs the server, its pushes included.
        "server_cpu_ms_per_change": round(1000 * cpu_used / max(changes, 1), 1),
        "rss_before_sockets_kib": rss_before,
        "rss_with_sockets_kib": rss_after,
        "rss_at_end_kib": rss_end,
        "rss_per_socket_kib": round((rss_after - rss_before) / max(sockets, 1), 1),
        "push_bytes_mean": round(statistics.fmean(payloads)) if payloads else size,
        "machine_pace_ms": [pace_before, pace_after],
        # The server's garbage collections during the load: each stopped every socket.
        "gc_during_load": collections,
        "kinds": {
            kind: {
                "changes": count,
                "share": round(count / max(changes, 1), 3),
                "delivered": len(values),
                "expected": expected,
                "p50_ms": round(percentile(values, 0.50), 2),
                "p99_ms": round(percentile(values, 0.99), 2),
            }
            for kind, (count, values, expected) in sorted(kinds.items())
        },
        **({"timeline": timeline} if timeline else {}),
    }


def report(name: str, result: dict) -> None:
    print(
        f"{name:6s} p50 {result['p50_ms']:7.1f} ms   p95 {result['p95_ms']:7.1f} ms   "
        f"p99 {result['p99_ms']:7.1f} ms   delivered {result['delivered']}/{result['expected']}"
        f"   RSS/socket {result['rss_per_socket_kib']:5.1f} KiB   "
        f"server CPU {result['server_cpu_percent']:.0f}% "
        f"({result['server_cpu_ms_per_change']} ms/change)   push {result['push_bytes_mean']} B"
        f"   sockets dropped {result['sockets_dropped']}"
        f"   machine pace {result['machine_pace_ms'][0]}/{result['machine_pace_ms'][1]} ms"
    )
    if result.get("gc_during_load"):
        pauses = ", ".join(
            f"gen{generation} {figures['count']}× {figures['ms']:.0f} ms"
            for generation, figures in result["gc_during_load"].items()
        )
        print(f"  garbage collections during the load: {pauses}")
    if result.get("timeline"):
        parts = "   ".join(
            f"{part} p50 {figures['p50_ms']} / p99 {figures['p99_ms']} ms"
            for part, figures in result["timeline"].items()
        )
        print(f"  where a delivery's time goes: {parts}")
    if len(result["kinds"]) > 1:
        for kind, figures in result["kinds"].items():
            print(
                f"  {kind:10s} {figures['changes']:6d} changes ({figures['share']:5.1%})  "
                f"p50 {figures['p50_ms']:7.1f} ms   p99 {figures['p99_ms']:7.1f} ms   "
                f"delivered {figures['delivered']}/{figures['expected']}"
            )


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=200)
    parser.add_argument("--devices", type=int, default=15, help="per meeting, at least 3")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between changes")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--drain", type=float, default=3.0, help="seconds to wait at the end")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--redis", action="store_true", help="Redis message queue")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes, one worker each, devices spread over them (more need --redis)",
    )
    parser.add_argument(
        "--clients", type=int, default=2, help="load-generator processes (one asyncio loop each)"
    )
    parser.add_argument(
        "--mix",
        choices=("cards", "realistic"),
        default="cards",
        help="cards: a need card per change; realistic: a meeting's changes (MEETING)",
    )
    parser.add_argument("--skip-bare", action="store_true")
    parser.add_argument(
        "--floor",
        choices=FLOORS,
        help="serve the board with its card command cut down (bench/floor_server.py)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the server's worker under load"
    )
    parser.add_argument(
        "--timeline",
        action="store_true",
        help="split each board delivery: the send, the server up to its emit, the transport",
    )
    parser.add_argument(
        "--output", type=Path, help="default: bench/results/latest.json (floor-F.json with --floor)"
    )
    args = parser.parse_args(argv)
    if args.output is None:  # a floor run never takes the place of the board's latest figures
        args.output = RESULTS / (f"floor-{args.floor}.json" if args.floor else "latest.json")
    if args.devices < 3:
        parser.error("--devices must be at least 3 (teacher, screen, a colleague)")
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.workers > 1 and not args.redis:
        parser.error(
            "--workers above 1 needs --redis: a change made on one process reaches the"
            " devices on the others only through the shared message queue"
        )
    if args.workers > 1 and args.profile:
        parser.error("--profile profiles one process: leave --workers at 1")
    if args.floor and (args.mix != "cards" or args.workers > 1):
        parser.error(
            "--floor cuts down the card command of one process: the default mix, one worker"
        )
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    workdir = Path(tempfile.mkdtemp(prefix="intervisiebord-bench-"))
    env, storage = board_environment(args, workdir)
    args.timeline_log = env.get("BENCH_TIMELINE")
    processes = f"{args.workers} process" + ("es" if args.workers > 1 else "")
    print(
        f"board: gunicorn gevent, {processes}, {storage}; {args.meetings} meetings × "
        f"{args.devices} devices, a change every {args.interval} s per meeting, "
        f"{args.duration:.0f} s; load {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    app, floor = (
        ("bench.floor_server:app", {"BENCH_FLOOR": args.floor}) if args.floor else ("wsgi:app", {})
    )
    if args.floor:
        print(f"floor: {args.floor} (bench/floor_server.py)", flush=True)
    servers = Servers(
        app, {**env, **floor, **profiling(args, "board")}, workdir / "board.log", args.workers
    )
    try:
        board = run_load(servers.start(), args, bare=False)
    finally:
        servers.stop()
        drop_database(env)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([".venv/bin/python -m bench.run", *(argv or sys.argv[1:])]),
        "settings": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "storage": storage,
        "cores": os.cpu_count(),
        "board": board,
    }
    report("board", board)
    if not args.skip_bare:
        bare_env = {
            "SOCKETIO_MESSAGE_QUEUE": env.get("SOCKETIO_MESSAGE_QUEUE", ""),
            **profiling(args, "bare"),
        }
        servers = Servers("bench.bare_server:app", bare_env, workdir / "bare.log", args.workers)
        try:
            bare = run_load(servers.start(), args, bare=True, size=board["push_bytes_mean"])
        finally:
            servers.stop()
        result["bare"] = bare
        result["p50_ratio"] = round(board["p50_ms"] / bare["p50_ms"], 2)
        result["p99_ratio"] = round(board["p99_ms"] / bare["p99_ms"], 2)
        report("board", board)
        report("bare", bare)
        print(f"ratio board/bare: p50 {result['p50_ratio']}×, p99 {result['p99_ratio']}×")
    result["load_after"] = os.getloadavg()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {args.output}")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
