"""The production server's settings that are not gunicorn's defaults."""

import gc
import importlib.util
from pathlib import Path

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def load_conf():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONF)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_one_gevent_worker_per_process():
    conf = load_conf()
    assert (conf.worker_class, conf.workers) == ("gevent", 1)


def test_a_worker_freezes_start_up_objects_and_collects_the_old_generation_seldom():
    conf = load_conf()
    before = gc.get_threshold()
    try:
        conf.post_worker_init(worker=None)
        assert gc.get_threshold() == conf.GC_THRESHOLD
        assert gc.get_threshold()[2] >= 10 * before[2]
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
