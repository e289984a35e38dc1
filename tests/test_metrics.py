"""/metrics for the host's monitoring: what it counts, and who may read it."""

import gc
import re

import pytest
from conftest import MeetingDriver
from prometheus_client.parser import text_string_to_metric_families

from board import metrics
from board.extensions import db, socketio

ORIGIN = {"Origin": "http://board.test"}


def read_metrics(client, **kwargs) -> dict[str, dict[tuple, float]]:
    """The metrics as {sample name: {sorted labels: value}}."""
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.text
    assert response.content_type.startswith("text/plain; version=")
    samples: dict[str, dict[tuple, float]] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return samples


def requests_of(samples, route: str, status: int) -> float:
    key = (("route", route), ("status", str(status)))
    return samples["intervisiebord_requests_total"].get(key, 0.0)


def test_requests_are_counted_by_url_rule_and_status_never_by_their_path(app, client):
    meeting = MeetingDriver(app)
    meeting.open_lobby()
    before = read_metrics(client)
    colleague = app.test_client()
    assert colleague.get(f"/j/{meeting.join_code}").status_code == 200
    assert colleague.get("/j/ZZZZZZZ").status_code == 404
    assert client.get(f"/t/{meeting.teacher_token}").status_code == 302
    assert client.get("/no/such/page").status_code == 404

    response = client.get("/metrics")
    after = read_metrics(client)
    for route, status in (("/j/<code>", 200), ("/j/<code>", 404), ("/t/<token>", 302)):
        assert requests_of(after, route, status) == requests_of(before, route, status) + 1
    assert requests_of(after, "unmatched", 404) == requests_of(before, "unmatched", 404) + 1
    for secret in (meeting.join_code, meeting.teacher_token, meeting.id, "ZZZZZZZ", "/no/such"):
        assert secret not in response.text


def test_a_change_counts_its_pushes_and_the_time_from_commit_to_emit(app, client):
    meeting = MeetingDriver(app)
    meeting.open_lobby()
    meeting.join("Anna")
    with app.app_context():
        version = meeting.meeting().version
        db.session.remove()
    socket = socketio.test_client(
        app,
        flask_test_client=meeting.device("Anna"),
        auth={"meeting": meeting.id, "version": version},
        headers=ORIGIN,
    )
    assert socket.is_connected()
    before = read_metrics(client)
    assert before["intervisiebord_sockets_connected"][()] == 1

    assert meeting.post("teacher", "/start").status_code == 204
    after = read_metrics(client)
    socket.disconnect()

    pushes = after["intervisiebord_pushes_total"][()] - before["intervisiebord_pushes_total"][()]
    assert pushes >= 1
    count = "intervisiebord_commit_to_emit_seconds_count"
    assert after[count][()] == before[count][()] + 1
    assert read_metrics(client)["intervisiebord_sockets_connected"][()] == 0


def test_meetings_open_counts_the_lobby_and_the_steps_not_preparing_or_closed(app, client):
    MeetingDriver(app)  # still preparing
    in_lobby = MeetingDriver(app)
    in_lobby.open_lobby()
    in_step = MeetingDriver(app)
    in_step.open_lobby()
    in_step.go_to(2)
    closed = MeetingDriver(app)
    closed.open_lobby()
    with app.app_context():
        closed.meeting().stage = "closed"
        db.session.commit()
    assert read_metrics(client)["intervisiebord_meetings_open"][()] == 2


def test_the_process_reports_its_memory(client):
    assert read_metrics(client)["process_resident_memory_bytes"][()] > 0


def test_garbage_collections_are_timed_by_generation_once_per_process(make_app, client):
    """A full collection stops every socket of the process: how often and how long shows."""
    make_app()  # a second app in the process adds no second timer
    assert sum(isinstance(c, metrics._CollectionTimer) for c in gc.callbacks) == 1
    key = (("generation", "2"),)
    before = read_metrics(client)["intervisiebord_gc_pause_seconds_count"].get(key, 0.0)
    gc.collect()
    after = read_metrics(client)
    assert after["intervisiebord_gc_pause_seconds_count"][key] == before + 1
    assert after["intervisiebord_gc_pause_seconds_sum"][key] > 0


@pytest.mark.parametrize("address", ["10.0.0.5", "192.168.1.20", "2001:db8::1"])
def test_metrics_are_refused_to_addresses_outside_the_allowed_ones(client, address):
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 403
    assert "METRICS_ALLOW" in response.text
    assert "intervisiebord_" not in response.text


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "::ffff:127.0.0.1"])
def test_loopback_may_read_the_metrics_by_default(client, address):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": address}).status_code == 200


def test_the_admin_allows_a_monitoring_network(app, client):
    app.extensions["metrics_allow"] = ()
    assert client.get("/metrics").status_code == 403
    app.config["METRICS_ALLOW"] = "10.1.0.0/16, 192.0.2.7"
    app.extensions["metrics_allow"] = metrics.allowed_networks(app.config["METRICS_ALLOW"])
    for address, status in (("10.1.200.3", 200), ("192.0.2.7", 200), ("10.2.0.1", 403)):
        response = client.get("/metrics", environ_base={"REMOTE_ADDR": address})
        assert response.status_code == status, address


@pytest.fixture
def proxied_app(make_app):
    """The app behind one reverse proxy (TRUSTED_PROXIES=1), as in docs/deploy.md."""
    return make_app(TRUSTED_PROXIES=1, SERVER_NAME=None)


def test_behind_a_proxy_the_real_client_address_decides(proxied_app):
    client = proxied_app.test_client()
    outside = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert outside.status_code == 403, "the proxy itself is on loopback, the client is not"
    inside = client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"})
    assert inside.status_code == 200


def test_a_bad_metrics_allow_setting_stops_the_start_with_its_name(make_app, monkeypatch):
    monkeypatch.setenv("METRICS_ALLOW", "127.0.0.1, schoolnetwerk")
    with pytest.raises(ValueError, match=re.escape("METRICS_ALLOW")):
        make_app()
