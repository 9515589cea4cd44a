"""Behind a load balancer, login throttling counts the real client, not the balancer.

gunicorn runs with production settings and ``PROXY_COUNT=1``; every request comes from
127.0.0.1 (the "balancer") with the X-Forwarded-For a balancer writes. Counted by
REMOTE_ADDR alone, five failures from one client would lock the account for every
client behind the balancer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.server import Browser, Server, manage, prepare, production_env

pytestmark = pytest.mark.crash

CREATE_USER = (
    "from offerdesk.accounts.models import User; "
    "User.objects.create_user('robin', 'robin@example.com', 'a long enough passphrase')"
)


LOCKED = "Too many wrong passwords for this account from here."


def _login(port: int, password: str, forwarded_for: str) -> str:
    """ "in", "locked" or "refused"."""
    browser = Browser(port)
    page = browser.get("/accounts/login/", **{"X-Forwarded-For": forwarded_for})
    assert page.status == 200
    answer = browser.post(
        "/accounts/login/",
        {"login": "robin", "password": password},
        **{"X-Forwarded-For": forwarded_for},
    )
    if answer.status == 302:
        return "in"
    return "locked" if LOCKED in answer.body else "refused"


def test_failures_lock_only_the_client_that_made_them(tmp_path: Path):
    env = {
        **production_env(f"sqlite:///{tmp_path / 'proxy.sqlite3'}", tmp_path / "static"),
        "PROXY_COUNT": "1",
    }
    prepare(env)
    manage(env, "shell", "-c", CREATE_USER)
    with Server(env, workers=1) as server:
        # The guesser also sends a forged header of its own; the balancer appends the
        # address it saw, and only that one counts.
        guesser = "8.8.8.8, 198.51.100.7"
        failures = [_login(server.port, "wrong", guesser) for _ in range(5)]
        assert failures == ["refused"] * 5
        assert _login(server.port, "a long enough passphrase", "198.51.100.7") == "locked"
        # Another client behind the same balancer logs in.
        assert _login(server.port, "a long enough passphrase", "203.0.113.20") == "in"
        # Forging the address the guesser is known by does not unlock it either.
        assert (
            _login(server.port, "a long enough passphrase", "203.0.113.20, 198.51.100.7")
            == "locked"
        )
