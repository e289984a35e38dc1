"""PRIVACY.md names the limits and periods the board really uses by default."""

from pathlib import Path

from board.config import from_environment
from board.domain.limits import parse

PRIVACY = (Path(__file__).parent.parent / "PRIVACY.md").read_text()


def test_the_defaults_privacy_md_names_are_the_configured_ones(tmp_path, monkeypatch):
    for name in ("RATELIMIT_CODES", "RATELIMIT_CODES_GLOBAL", "RATELIMIT_JOIN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    monkeypatch.setenv("SECRET_KEY", "doc-test")
    config = from_environment(str(tmp_path))
    per_address, everyone = (
        parse(config["RATELIMIT_CODES"]),
        parse(config["RATELIMIT_CODES_GLOBAL"]),
    )
    assert per_address.seconds == everyone.seconds == 60
    assert f"after {per_address.count} such misses from one address in a minute" in PRIVACY
    assert f"or {everyone.count} from everyone together" in PRIVACY
    assert f"(default {parse(config['RATELIMIT_JOIN']).count} a minute" in PRIVACY
    assert f"(default **{config['RETENTION_DAYS']}**)" in PRIVACY
