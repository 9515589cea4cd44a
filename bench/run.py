"""``make bench``: Offerdesk under gunicorn (production settings, 2 workers) on SQLite
and on PostgreSQL, driven by wrk on loopback.

Every latency is also given as a ratio to two floors measured in the same run, so the
figures hold on any machine: ``/healthz`` (the whole middleware stack, no database)
and ``/accounts/session/`` (a signed-in user's session and user loaded, a one-line
template). Targets are p50 ratios to the signed-in floor. Latencies come from runs with
one connection per worker; a second run with 20 connections counts errors. Then the
database grows 100-fold and the pages that list things are measured again.

Writes bench/results.json. Environment: BENCH_SECONDS (default 4), BENCH_POSTGRES_URL
(default postgres://postgres@127.0.0.1:5432/offerdesk_bench), BENCH_ONLY (sqlite or
postgresql).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.server import ROOT, Browser, Server, prepare, production_env

SECONDS = int(os.environ.get("BENCH_SECONDS", "4"))
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/offerdesk_bench"
)
RESULTS = ROOT / "bench" / "results.json"
SMALL_FILLER, LARGE_FILLER = 100, 10_000  # candidates with 10 offers each
USERS = 20


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    target: float | None = None  # p50 ratio to the signed-in floor
    who: str = "bench"
    method: str = "GET"
    body: str = ""
    htmx: bool = False
    vary: str = ""
    seconds: int = 0  # 0: BENCH_SECONDS
    grows: bool = False  # measured again on the 100-fold database


def endpoints(ids: dict[str, Any]) -> list[Endpoint]:
    compare, offer, timeline = ids["compare"], ids["declined_offer"], ids["timeline"]
    first, *rest = ids["criteria"]
    weights = "&".join(f"weight-{pk}=20" for pk in rest)
    preview = (
        "direction=candidate&medium=letter&tone=formal&gratitude=on&decision=on&reason=on"
        "&future=on&future_mode=open&reason_choice=culture&reason_detail=&recipient_name=Alex"
    )
    return [
        Endpoint("healthz", "/healthz", who=""),
        Endpoint("signed-in floor", "/accounts/session/"),
        Endpoint("compare page", f"/decisions/{compare}/compare/", 4, grows=True),
        Endpoint("ratings grid", f"/decisions/{compare}/ratings/", 4),
        Endpoint(
            "composer preview (htmx)",
            f"/decisions/{compare}/offers/{offer}/decline/",
            2,
            method="POST",
            body=preview,
            htmx=True,
        ),
        Endpoint("timeline (1,000 entries)", f"/decisions/{timeline}/log/", 4, grows=True),
        Endpoint("coach dashboard (200 clients)", "/coach/", 5, who="bench-coach", grows=True),
        Endpoint("decision report PDF", f"/decisions/{compare}/report.pdf", 600, seconds=10),
        # Last: these two append to the decision's log with every request (a weight
        # change, a letter exported), which would lengthen the report above.
        Endpoint(
            "weight slider (htmx)",
            f"/decisions/{compare}/compare/",
            3,
            method="POST",
            body=weights,
            htmx=True,
            vary=f"weight-{first}",
        ),
        Endpoint("PDF letter", f"/decisions/{compare}/offers/{offer}/decline/pdf/download/", 60),
    ]


def wrk(server: Server, endpoint: Endpoint, cookies: dict[str, dict[str, str]], users: int):
    jar = cookies.get(endpoint.who, {})
    env = {
        **os.environ,
        "BENCH_METHOD": endpoint.method,
        "BENCH_COOKIE": "; ".join(f"{k}={v}" for k, v in jar.items()),
        "BENCH_CSRF": jar.get("csrftoken", ""),
        "BENCH_HTMX": "1" if endpoint.htmx else "0",
    }
    if endpoint.body:
        env["BENCH_BODY"] = endpoint.body
    if endpoint.vary:
        env["BENCH_VARY"] = endpoint.vary
    seconds = endpoint.seconds or SECONDS
    command = [
        "wrk",
        "--threads",
        "2",
        "--connections",
        str(users),
        "--duration",
        f"{seconds}s",
        "--timeout",
        "60s",
        "--script",
        str(ROOT / "bench" / "wrk.lua"),
        f"http://127.0.0.1:{server.port}{endpoint.path}",
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"wrk failed on {endpoint.name}: {done.stdout}{done.stderr}")
    drain(server)
    line = next(row for row in done.stdout.splitlines() if row.startswith("BENCH "))
    figures = json.loads(line.removeprefix("BENCH "))
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["errors"] = figures.pop("socket_errors") + figures.pop("status_errors")
    return figures


def drain(server: Server) -> None:
    """Wait out the requests wrk left queued when it stopped (20 report PDFs take a
    while): a health check queues behind them, one per worker."""
    for _ in range(server.workers):
        Browser(server.port, timeout=120).get("/healthz")


def data(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.data", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def log_in(server: Server) -> dict[str, dict[str, str]]:
    cookies = {"": {}}
    for username in ("bench", "bench-coach"):
        browser = Browser(server.port)
        browser.log_in(username, "bench-password")
        browser.get("/decisions/")  # sets the CSRF cookie
        cookies[username] = dict(browser.cookies)
    return cookies


def measure(env: dict[str, str], database: str) -> dict[str, Any]:
    print(f"\n== {database}: building the data set", flush=True)
    prepare(env)
    ids = data(env, "subjects")
    sizes = data(env, "filler", str(SMALL_FILLER))
    print(f"   {sizes['offers']:,} offers, {sizes['log_entries']:,} log entries", flush=True)
    table = endpoints(ids)
    results: dict[str, Any] = {"sizes": {"small": sizes}, "endpoints": {}, "growth": {}}
    with Server(env, workers=2) as server:
        cookies = log_in(server)
        for endpoint in table:
            one_per_worker = wrk(server, endpoint, cookies, users=2)
            crowd = wrk(server, endpoint, cookies, users=USERS)
            results["endpoints"][endpoint.name] = {
                **{k: one_per_worker[k] for k in ("rps", "p50_us", "p95_us", "p99_us")},
                "errors": one_per_worker["errors"],
                f"rps_{USERS}_users": crowd["rps"],
                f"p50_us_{USERS}_users": crowd["p50_us"],
                f"errors_{USERS}_users": crowd["errors"],
                "target": endpoint.target,
            }
            print(f"   {endpoint.name}: p50 {one_per_worker['p50_us'] / 1000:.1f} ms", flush=True)
    floors = results["endpoints"]
    for row in floors.values():
        row["ratio_healthz"] = row["p50_us"] / floors["healthz"]["p50_us"]
        row["ratio_signed_in"] = row["p50_us"] / floors["signed-in floor"]["p50_us"]
        row["met"] = row["target"] is None or row["ratio_signed_in"] <= row["target"]

    print(f"== {database}: growing the database 100-fold", flush=True)
    sizes = data(env, "filler", str(LARGE_FILLER - SMALL_FILLER))
    results["sizes"]["large"] = sizes
    print(f"   {sizes['offers']:,} offers, {sizes['log_entries']:,} log entries", flush=True)
    with Server(env, workers=2) as server:
        cookies = log_in(server)
        growing = [e for e in table if e.grows or e.name == "signed-in floor"]
        after = {e.name: wrk(server, e, cookies, users=2)["p50_us"] for e in growing}
    # The machine itself drifts between the two runs (the floor has moved by 1.4x on a
    # busy host); dividing by the floor's own move leaves what the data did.
    drift = after["signed-in floor"] / results["endpoints"]["signed-in floor"]["p50_us"]
    for endpoint in growing:
        before = results["endpoints"][endpoint.name]["p50_us"]
        ratio = after[endpoint.name] / before
        results["growth"][endpoint.name] = {
            "p50_us_small": before,
            "p50_us_large": after[endpoint.name],
            "ratio": ratio,
            "ratio_to_floor": ratio / drift,
            "met": not endpoint.grows or ratio / drift <= 1.3,
        }
    return results


def static_sizes(static_root: Path) -> dict[str, Any]:
    """What a page's CSS and JavaScript weigh compressed, from the collected files."""
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    names = ["css/offerdesk.css", "js/htmx.min.js", "js/offerdesk.js"]
    gz = {name: (static_root / (manifest[name] + ".gz")).stat().st_size for name in names}
    return {"files": {manifest[n]: size for n, size in gz.items()}, "total_gz": sum(gz.values())}


def print_table(all_results: dict[str, Any]) -> None:
    print()
    header = (
        f"{'endpoint':32} {'db':10} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'x hz':>6} {'x floor':>7} {'target':>6}  {'20 users':>8}"
    )
    print(header)
    print("-" * len(header))
    for database, results in all_results.items():
        if database == "static":
            continue
        for name, row in results["endpoints"].items():
            target = f"{row['target']:g}x" if row["target"] else ""
            verdict = "" if row["target"] is None else (" ok" if row["met"] else " MISSED")
            print(
                f"{name:32} {database:10} {row['rps']:7.1f} {row['p50_us'] / 1000:7.1f} "
                f"{row['p95_us'] / 1000:7.1f} {row['p99_us'] / 1000:7.1f} "
                f"{row['ratio_healthz']:6.1f} {row['ratio_signed_in']:7.2f} {target:>6}  "
                f"{row[f'errors_{USERS}_users']:>3} err{verdict}"
            )
    print(
        "\nGrowth: p50 with 100 times more users, offers and log entries, raw and divided by"
        " the floor's own move (target <= 1.3)"
    )
    for database, results in all_results.items():
        if database == "static":
            continue
        small, large = results["sizes"]["small"], results["sizes"]["large"]
        print(
            f"  {database}: {small['offers']:,} -> {large['offers']:,} offers, "
            f"{small['log_entries']:,} -> {large['log_entries']:,} log entries"
        )
        for name, row in results["growth"].items():
            print(
                f"    {name:32} {row['p50_us_small'] / 1000:7.1f} -> "
                f"{row['p50_us_large'] / 1000:7.1f} ms  x{row['ratio']:.2f}  "
                f"x{row['ratio_to_floor']:.2f} of the floor"
            )
    static = all_results["static"]
    print(f"\nCSS + JS of a page, gzip: {static['total_gz'] / 1024:.1f} KB (target < 60 KB)")


def main() -> int:
    if shutil.which("wrk") is None:
        print("make bench needs wrk (Debian package wrk); make bench installs it as root.")
        return 2
    only = os.environ.get("BENCH_ONLY", "")
    scratch = Path(tempfile.mkdtemp(prefix="offerdesk-bench-"))
    all_results: dict[str, Any] = {}
    try:
        static_root = scratch / "static"
        if only in ("", "sqlite"):
            env = production_env(f"sqlite:///{scratch / 'bench.sqlite3'}", static_root)
            all_results["sqlite"] = measure(env, "sqlite")
        if only in ("", "postgresql"):
            _recreate_postgres_database()
            env = production_env(POSTGRES_URL, static_root)
            all_results["postgresql"] = measure(env, "postgresql")
        all_results["static"] = static_sizes(static_root)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    RESULTS.write_text(json.dumps(all_results, indent=2, default=str))
    print_table(all_results)
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")
    return 0


def _recreate_postgres_database() -> None:
    import psycopg

    base, name = POSTGRES_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    sys.exit(main())
