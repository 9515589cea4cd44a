"""The default SQLite settings under contention: 8 processes x 100 write transactions
through the services, 0 "database is locked" errors and every write present."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 8
WRITES = 100

SETUP = """
import django; django.setup()
from offerdesk.accounts.models import User
from decisions import services
user = User.objects.create_user(username="writer", email="w@example.com", password="x")
print(services.decision_create(owner=user, data=services.DecisionData(title="Contention")).pk)
"""

WRITER = """
import sys, django; django.setup()
from django.db import OperationalError
from decisions import services
from decisions.models import Decision
decision = Decision.objects.get(pk=int(sys.argv[1]))
locked = 0
for i in range(int(sys.argv[2])):
    try:
        services.reflection_add(
            decision=decision, actor=decision.owner, kind="goal", body=f"{sys.argv[3]}-{i}"
        )
    except OperationalError as error:
        if "locked" not in str(error):
            raise
        locked += 1
print(locked)
"""

COUNT = """
import django; django.setup()
from decisions.models import LogEntry
print(LogEntry.objects.filter(kind="goal").count())
"""


def _env(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(DATABASE_URL=f"sqlite:///{database}", DJANGO_SETTINGS_MODULE="offerdesk.settings")
    return env


def test_eight_writers_never_see_a_locked_database(tmp_path: Path):
    database = tmp_path / "contention.sqlite3"
    env = _env(database)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    decision_id = subprocess.run(
        [sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, decision_id, str(WRITES), f"p{n}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    locked = 0
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        locked += int(out.strip())
    count = subprocess.run(
        [sys.executable, "-c", COUNT], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    print(f"{PROCESSES} x {WRITES} writes: {locked} locked errors, {count} entries stored")
    assert locked == 0
    assert int(count) == PROCESSES * WRITES
