from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

import offerdesk.settings as project_settings

ROOT = Path(__file__).resolve().parents[1]


def _load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter with exactly this environment."""
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import offerdesk.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_development_defaults_run_with_debug_on_and_sqlite():
    result = _load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"]


def test_debug_off_with_the_development_key_refuses_to_start():
    result = _load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is the development key" in result.stderr


def test_a_real_secret_key_turns_debug_off_by_default():
    result = _load_settings(SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"


def test_database_url_selects_postgresql():
    result = _load_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/offerdesk")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "django.db.backends.postgresql"


def test_a_malformed_boolean_is_a_clear_error():
    result = _load_settings(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_database_connections_are_configured_for_their_engine(db: None, tmp_path: Path):
    if connection.vendor == "sqlite":
        # The test database lives in memory, where WAL does not apply, so open a file
        # database with exactly the configured options.
        config = {**settings.DATABASES["default"], "NAME": str(tmp_path / "probe.sqlite3")}
        probe = SQLiteWrapper(config, alias="probe")
        try:
            with probe.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"
                cursor.execute("PRAGMA busy_timeout")
                assert cursor.fetchone()[0] == 20_000
            assert probe.transaction_mode == "IMMEDIATE"
        finally:
            probe.close()
    else:
        assert connection.vendor == "postgresql"
        assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
        assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_passwords_are_hashed_with_argon2():
    assert (
        project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    )
    encoded = make_password("secret", hasher=Argon2PasswordHasher())
    assert encoded.startswith("argon2$argon2id$")


def test_rate_limits_are_counted_in_a_cache_every_instance_shares():
    """allauth counts its limits in the default cache; a per-process one would let each
    gunicorn worker allow the whole limit again (the tests use memory instead:
    tests/conftest.py)."""
    default = project_settings.CACHES["default"]
    assert default["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert project_settings.ACCOUNT_RATE_LIMITS["login_failed"]
    assert project_settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
