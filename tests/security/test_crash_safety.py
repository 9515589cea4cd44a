"""Crash safety: writes a server acknowledged survive killed workers and a database
restart.

gunicorn runs with production settings; writer threads create decisions through the
real pages and remember every title the server acknowledged with its redirect. Then:
on SQLite, workers die by SIGKILL again and again; on a private PostgreSQL cluster,
the server is stopped the hard way (``pg_ctl -m immediate``) and started again mid-load.
Every acknowledged title must be in the database afterwards.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bench.server import Browser, Server, free_port, manage, prepare, production_env

pytestmark = pytest.mark.crash
PG_BIN = Path("/usr/lib/postgresql/15/bin")
LOAD_SECONDS = 8
KILLS, WRITES = 10, 60


@dataclass
class Load:
    """Writer threads creating decisions; what was acknowledged, and when errors came."""

    port: int
    writers: int = 3
    acknowledged: list[str] = field(default_factory=list)
    acknowledged_at: list[float] = field(default_factory=list)
    errors: list[tuple[float, str]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self, seconds: float, meanwhile: Callable[[], None]) -> None:
        threads = [threading.Thread(target=self._write, args=(n,)) for n in range(self.writers)]
        for thread in threads:
            thread.start()
        try:
            meanwhile()
            time.sleep(max(0.0, seconds))
        finally:
            self.stop.set()
            for thread in threads:
                thread.join()

    def _write(self, writer: int) -> None:
        browser = Browser(self.port, timeout=10)
        logged_in = False
        n = 0
        while not self.stop.is_set():
            title = f"crash-{writer}-{n}"
            n += 1
            try:
                if not logged_in:
                    browser.log_in("demo", "offerdesk-demo")
                    logged_in = True
                done = browser.post(
                    "/decisions/", {"title": title, "goals": "", "base_currency": "EUR"}
                )
            except (OSError, RuntimeError) as error:
                self.errors.append((time.monotonic(), f"{type(error).__name__}: {error}"))
                time.sleep(0.05)
                continue
            if done.status == 302 and done.headers.get("Location", "").startswith("/decisions/"):
                self.acknowledged.append(title)
                self.acknowledged_at.append(time.monotonic())
            else:
                self.errors.append((time.monotonic(), f"HTTP {done.status}"))


def _stored_titles_sqlite(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT title FROM decisions_decision")}


def test_sqlite_keeps_every_acknowledged_write_while_workers_are_killed(tmp_path: Path):
    db = tmp_path / "crash.sqlite3"
    env = production_env(f"sqlite:///{db}", tmp_path / "static")
    prepare(env)
    manage(env, "seed_demo")
    kills = 0
    with Server(env, workers=2) as server:
        load = Load(server.port)

        def kill_workers() -> None:
            # Kill a worker only once the server has acknowledged a few more writes since
            # the last kill, so on a busy machine workers are not all shot while booting.
            nonlocal kills
            deadline = time.monotonic() + 90
            served_at_last_kill = 0
            while time.monotonic() < deadline and (
                kills < KILLS or len(load.acknowledged) < WRITES
            ):
                time.sleep(0.1)
                if len(load.acknowledged) < served_at_last_kill + WRITES // KILLS:
                    continue
                for pid in server.worker_pids()[:1]:
                    os.kill(pid, signal.SIGKILL)
                    kills += 1
                served_at_last_kill = len(load.acknowledged)

        load.run(0, kill_workers)
    stored = _stored_titles_sqlite(db)
    lost = [title for title in load.acknowledged if title not in stored]
    with sqlite3.connect(db) as check:
        integrity = check.execute("PRAGMA integrity_check").fetchone()[0]
    print(
        f"\nSQLite crash run: {kills} workers killed, {len(load.acknowledged)} writes "
        f"acknowledged, {len(load.errors)} failed requests, {len(lost)} lost, "
        f"integrity_check {integrity}"
    )
    assert kills >= KILLS
    assert len(load.acknowledged) >= WRITES
    assert lost == []
    assert integrity == "ok"


@pytest.fixture
def private_postgres() -> Iterator[tuple[int, Callable[[], tuple[float, float]]]]:
    """A throw-away PostgreSQL cluster of our own, so restarting it disturbs no one."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"needs PostgreSQL's server programs in {PG_BIN} (Debian postgresql-15)")
    if os.geteuid() != 0:
        pytest.skip("needs root, to run a private PostgreSQL cluster as the postgres user")
    postgres = pwd.getpwnam("postgres")
    home = Path(tempfile.mkdtemp(prefix="offerdesk-pg-"))
    os.chown(home, postgres.pw_uid, postgres.pw_gid)
    data, port = home / "data", free_port()

    def as_postgres(*command: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *command],
            check=True,
            capture_output=True,
            cwd=home,
        )

    as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
    options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=on"
    ctl = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(home / "log"), "-o", options]
    as_postgres(*ctl, "-w", "start")

    def restart() -> tuple[float, float]:
        began = time.monotonic()
        as_postgres(*ctl, "-m", "immediate", "-w", "stop")
        time.sleep(0.5)
        as_postgres(*ctl, "-w", "start")
        return began, time.monotonic()

    try:
        as_postgres(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "offerdesk")
        yield port, restart
    finally:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *ctl, "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(home, ignore_errors=True)


def test_postgresql_restart_mid_load_loses_no_acknowledged_write(
    tmp_path: Path, private_postgres: tuple[int, Callable[[], tuple[float, float]]]
):
    port, restart = private_postgres
    env = production_env(f"postgres://postgres@127.0.0.1:{port}/offerdesk", tmp_path / "static")
    prepare(env)
    manage(env, "seed_demo")
    window: list[tuple[float, float]] = []
    with Server(env, workers=2) as server:
        load = Load(server.port)

        def restart_once() -> None:
            time.sleep(LOAD_SECONDS / 3)
            window.append(restart())
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if sum(at > window[0][1] for at in load.acknowledged_at) >= WRITES // 3:
                    break
                time.sleep(0.2)

        load.run(0, restart_once)
        after = len(load.acknowledged)
        # Once it is back, every request succeeds again (health checks drop dead connections).
        browser = Browser(server.port)
        browser.log_in("demo", "offerdesk-demo")
        assert browser.get("/decisions/").status == 200
    stored = set(manage(env, "shell", "-c", QUERY_TITLES).split("\n"))
    lost = [title for title in load.acknowledged if title not in stored]
    began, ended = window[0]
    late = [(at, what) for at, what in load.errors if not began <= at <= ended + 2.0]
    print(
        f"\nPostgreSQL restart run: down for {ended - began:.1f} s, {after} writes "
        f"acknowledged, {len(load.errors)} failed requests ({len(late)} outside the "
        f"restart), {len(lost)} lost"
    )
    assert after >= WRITES // 3
    assert lost == []
    assert late == []
    assert sum(at > ended for at in load.acknowledged_at) >= WRITES // 3, "writes resumed"


QUERY_TITLES = (
    "from decisions.models import Decision; "
    "print('\\n'.join(Decision.objects.values_list('title', flat=True)))"
)
