"""The production server's settings that are not gunicorn's defaults."""

import gc
import importlib.util
import socket
from pathlib import Path
from types import SimpleNamespace

import gevent
import pytest

from board import network

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def load_conf():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONF)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_one_gevent_worker_per_process():
    conf = load_conf()
    assert (conf.worker_class, conf.workers) == ("gevent", 1)


def started_worker(instance: Path, bound: socket.socket) -> SimpleNamespace:
    """What post_worker_init reads of a gunicorn worker: its sockets and its app."""
    return SimpleNamespace(sockets=[bound], wsgi=SimpleNamespace(instance_path=str(instance)))


@pytest.mark.parametrize(
    "host, expected", [("0.0.0.0", "http://192.168.1.20"), ("127.0.0.1", "http://127.0.0.1")]
)
def test_a_worker_notes_its_address_for_flask_demo(tmp_path, monkeypatch, host, expected):
    """Listening on every interface, the address phones reach; else the one it listens on."""
    monkeypatch.setattr(network, "interface_addresses", lambda: ["127.0.0.1", "192.168.1.20"])
    with socket.socket() as bound:
        bound.bind((host, 0))
        port = bound.getsockname()[1]
        before = gc.get_threshold()
        try:
            load_conf().post_worker_init(started_worker(tmp_path, bound))
        finally:
            gc.unfreeze()
            gc.set_threshold(*before)
            gevent.config.track_greenlet_tree = True
    assert (tmp_path / "serving").read_text() == f"{expected}:{port}\n"


def test_a_worker_freezes_start_up_objects_and_collects_the_older_generations_seldom(tmp_path):
    conf = load_conf()
    before = gc.get_threshold()
    try:
        with socket.socket() as bound:
            bound.bind(("127.0.0.1", 0))
            conf.post_worker_init(started_worker(tmp_path, bound))
        young, middle, old = gc.get_threshold()
        assert (young, middle, old) == conf.GC_THRESHOLD
        # In new objects: a young collection after ten thousands, a middle one after a
        # hundred thousands, a full one after ten millions (Python's: 700, 7,000, 70,000).
        assert young >= 10_000
        assert young * middle >= 100_000
        assert young * middle * old >= 10_000_000
        assert gc.get_freeze_count() > 0
        assert not gevent.config.track_greenlet_tree
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
        gevent.config.track_greenlet_tree = True
