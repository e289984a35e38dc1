"""Rate limits: the arithmetic without an app, the stores, and the 429s through the routes."""

import logging
import uuid

import pytest
from conftest import HTMX, MeetingDriver, flash_text
from hypothesis import given, settings
from hypothesis import strategies as st

from board import ratelimit
from board.domain.limits import Decision, Limit, decide, parse, recent
from board.extensions import db
from board.models import NeedCard, Participant, Question
from board.ratelimit import MemoryStore, RedisStore, make_store

FUZZ = settings(max_examples=60, deadline=None, database=None)

# ---- the arithmetic (pure) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "limit"),
    [
        ("10/minute", Limit(10, 60)),
        ("5/second", Limit(5, 1)),
        ("100 / 2 hours", Limit(100, 7200)),
        ("3/Minutes", Limit(3, 60)),
    ],
)
def test_a_limit_is_written_as_count_per_period(spec, limit):
    assert parse(spec) == limit


@pytest.mark.parametrize("spec", ["", "10", "ten/minute", "0/minute", "10/fortnight", "-1/hour"])
def test_a_limit_that_does_not_parse_is_refused(spec):
    with pytest.raises(ValueError):
        parse(spec)


def test_the_eleventh_hit_within_a_minute_is_refused_until_the_first_slides_out():
    limit = Limit(10, 60)
    hits = [100.0 + n for n in range(10)]
    assert decide(limit, hits[:9], now=150.0).allowed
    refused = decide(limit, hits, now=150.0)
    assert refused == Decision(False, retry_after=10.0)
    assert not decide(limit, hits, now=159.9).allowed
    assert decide(limit, hits, now=160.0).allowed


def test_hits_older_than_the_window_no_longer_count():
    limit = Limit(2, 1)
    assert recent(limit, [1.0, 9.2, 9.9, 10.5], now=10.1) == [9.2, 9.9]
    assert decide(limit, [8.0, 8.5], now=10.0).allowed


def play(limit: Limit, times: list[float]) -> list[float]:
    """Play hits at the given times against the arithmetic; the times that got through."""
    allowed: list[float] = []
    for now in times:
        if decide(limit, allowed, now).allowed:
            allowed.append(now)
    return allowed


def gaps_to_times(gaps: list[float], seconds: float) -> list[float]:
    times, now = [], 1000.0
    for gap in gaps:
        now += gap * seconds / 4
        times.append(now)
    return times


GAPS = st.lists(st.floats(0, 2, allow_nan=False), min_size=1, max_size=60)


@FUZZ
@given(count=st.integers(1, 12), seconds=st.sampled_from([1, 60]), gaps=GAPS)
def test_never_more_than_the_limit_in_any_stretch_of_the_window_length(count, seconds, gaps):
    limit = Limit(count, seconds)
    allowed = play(limit, gaps_to_times(gaps, seconds))
    for start in allowed:
        assert sum(1 for t in allowed if start <= t < start + seconds) <= count


@FUZZ
@given(count=st.integers(1, 12), seconds=st.sampled_from([1, 60]), gaps=GAPS)
def test_a_refused_hit_is_allowed_once_its_retry_time_has_passed(count, seconds, gaps):
    limit = Limit(count, seconds)
    allowed = []
    for now in gaps_to_times(gaps, seconds):
        decision = decide(limit, allowed, now)
        if decision.allowed:
            allowed.append(now)
            continue
        assert 0 < decision.retry_after <= seconds
        assert decide(limit, allowed, now + decision.retry_after + 1e-6).allowed


# ---- the stores -------------------------------------------------------------------------


def test_the_memory_store_counts_per_key_and_keeps_no_more_than_the_limit():
    store, limit = MemoryStore(), Limit(2, 1)
    assert [store.hit("a", limit, 10.1).allowed for _ in range(3)] == [True, True, False]
    assert store.hit("b", limit, 10.1).allowed
    assert store.hit("a", limit, 12.5).allowed
    assert store._hits["a"] == (13.5, [12.5])


def test_the_memory_store_forgets_an_address_soon_after_its_hits_stop_counting():
    store, limit = MemoryStore(), Limit(10, 60)
    store.hit("join:address:192.0.2.7", limit, 1000.0)
    store.hit("join:address:192.0.2.8", limit, 1100.0)
    store.hit("cards:x", limit, 1000.0 + 60 + MemoryStore.SWEEP_SECONDS)
    assert "join:address:192.0.2.7" not in store._hits
    assert "join:address:192.0.2.8" in store._hits


@pytest.fixture
def redis_url():
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return url


def test_the_redis_store_holds_the_limit_across_processes(redis_url):
    namespace = uuid.uuid4().hex
    first, second = RedisStore(redis_url, namespace), RedisStore(redis_url, namespace)
    limit = Limit(3, 60)
    results = [store.hit("join:x", limit, 6000.0).allowed for store in (first, second) * 2]
    assert results == [True, True, True, False]
    assert RedisStore(redis_url, uuid.uuid4().hex).hit("join:x", limit, 6000.0).allowed


def test_a_redis_url_gives_a_redis_store_and_anything_else_memory():
    assert isinstance(make_store("redis://127.0.0.1:6379/0"), RedisStore)
    assert isinstance(make_store(None), MemoryStore)
    assert isinstance(make_store("memory://"), MemoryStore)


# ---- through the routes -----------------------------------------------------------------


@pytest.fixture
def limited_app(make_app):
    return make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE=None,
        RATELIMIT_JOIN="10/minute",
        RATELIMIT_CARDS="5/second",
    )


def participants(app) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count(Participant.id))).scalar_one()


def test_the_eleventh_join_in_a_minute_gets_429_with_a_dutch_message_and_stores_nothing(
    limited_app,
):
    meeting = MeetingDriver(limited_app)
    meeting.open_lobby()
    for number in range(10):
        meeting.join(f"Collega {number}")
    before = participants(limited_app)
    response = limited_app.test_client().post(f"/j/{meeting.join_code}", data={"name": "Elf"})
    assert response.status_code == 429
    assert "Te veel aanmeldingen" in response.text
    assert "seconden" in response.text
    assert participants(limited_app) == before


def test_join_attempts_are_limited_per_address_across_meetings(limited_app):
    second = MeetingDriver(limited_app)
    second.open_lobby()
    guesser = limited_app.test_client()
    for number in range(10):
        guess = f"2345{number}AB".replace("0", "Z").replace("1", "Y")
        assert guesser.post(f"/j/{guess}", data={"name": "Gok"}).status_code == 404
    response = guesser.post(f"/j/{second.join_code}", data={"name": "Echt"})
    assert response.status_code == 429
    other_address = limited_app.test_client()
    response = other_address.post(
        f"/j/{second.join_code}", data={"name": "Echt"}, environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert response.status_code == 303


def test_by_default_a_whole_team_of_fifteen_joins_from_one_school_address(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE=None, SERVER_NAME=None)
    meeting = MeetingDriver(app)
    meeting.open_lobby()
    for number in range(15):
        meeting.join(f"Collega {number}")
    assert participants(app) == 16


def test_a_burst_of_need_cards_from_one_device_gets_429_and_the_extra_card_is_not_stored(
    limited_app,
):
    meeting = MeetingDriver(limited_app)
    meeting.open_lobby()
    meeting.join("Anna")
    meeting.join("Bram")
    meeting.go_to(4)
    statuses = [
        meeting.post(
            "Anna",
            "/needs",
            {"text": f"rust {n}", "category": "instructie", "client_key": f"burst-{n}"},
        ).status_code
        for n in range(8)
    ]
    assert statuses.count(204) >= 5
    assert 429 in statuses
    refused = meeting.post(
        "Anna", "/needs", {"text": "nog een", "category": "instructie", "client_key": "extra"}
    )
    if refused.status_code == 429:
        assert flash_text(refused).startswith("Rustig aan")
    with limited_app.app_context():
        keys = set(db.session.execute(db.select(NeedCard.client_key)).scalars())
    assert len(keys) == statuses.count(204) + (refused.status_code == 204)
    bram = meeting.post(
        "Bram", "/needs", {"text": "eigen tempo", "category": "instructie", "client_key": "b"}
    )
    assert bram.status_code == 204, "another device has its own allowance"


def test_resending_a_card_that_landed_is_not_counted_against_the_device(limited_app):
    meeting = MeetingDriver(limited_app)
    meeting.open_lobby()
    meeting.join("Anna")
    meeting.go_to(4)
    card = {"text": "korte instructie", "category": "instructie", "client_key": "same"}
    statuses = [meeting.post("Anna", "/needs", card).status_code for _ in range(12)]
    assert statuses == [204] * 12
    with limited_app.app_context():
        assert db.session.execute(db.select(db.func.count(NeedCard.id))).scalar_one() == 1


def test_a_burst_of_questions_is_limited_too(limited_app):
    meeting = MeetingDriver(limited_app)
    meeting.open_lobby()
    meeting.join("Anna")
    meeting.go_to(2)
    statuses = [
        meeting.post("Anna", "/questions", {"text": f"Vraag {n}?"}).status_code for n in range(8)
    ]
    assert 429 in statuses
    with limited_app.app_context():
        stored = db.session.execute(db.select(db.func.count(Question.id))).scalar_one()
    assert stored == statuses.count(204)


def test_limits_are_off_in_a_testing_app_unless_asked_for(app):
    meeting = MeetingDriver(app)
    meeting.open_lobby()
    for number in range(25):
        meeting.join(f"Collega {number}")
    assert participants(app) == 26


def test_the_configured_limits_are_read_from_the_environment(monkeypatch, make_app):
    monkeypatch.setenv("RATELIMIT_JOIN", "3/minute")
    monkeypatch.setenv("RATELIMIT_ENABLED", "0")
    monkeypatch.delenv("SOCKETIO_MESSAGE_QUEUE", raising=False)
    monkeypatch.delenv("RATELIMIT_STORAGE", raising=False)
    app = make_app()
    assert app.config["RATELIMIT_JOIN"] == "3/minute"
    assert app.config["RATELIMIT_ENABLED"] is False
    assert isinstance(app.extensions["ratelimit"], MemoryStore)


def test_the_join_limit_message_reaches_an_htmx_caller_too(limited_app):
    meeting = MeetingDriver(limited_app)
    meeting.open_lobby()
    client = limited_app.test_client()
    for number in range(10):
        client.post(f"/j/{meeting.join_code}", data={"name": f"N{number}"})
    response = client.post(f"/j/{meeting.join_code}", data={"name": "Elf"}, headers=HTMX)
    assert response.status_code == 429
    assert "Te veel aanmeldingen" in response.text


def test_when_redis_is_down_attempts_are_let_through_and_a_warning_is_logged(limited_app, caplog):
    limited_app.extensions["ratelimit"] = make_store("redis://127.0.0.1:1/0")
    with limited_app.app_context(), caplog.at_level(logging.WARNING):
        assert ratelimit.hit("join", "address:192.0.2.1").allowed
    assert "rate-limit store unavailable" in caplog.text
    assert "192.0.2.1" not in caplog.text
