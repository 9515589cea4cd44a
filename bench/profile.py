"""Profile one bench endpoint in-process: ``python -m bench.profile slider [requests]``.

Builds the bench data set in a scratch SQLite database with production settings,
then calls the endpoint of ``bench.run`` whose name contains the given word (slider,
compare, ratings, preview, timeline, dashboard, letter, report, floor) through
Django's test client under cProfile, and prints the mean time per request and the 30
most expensive functions.
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import endpoints
from bench.server import ROOT, manage, production_env


def main(word: str, requests: int) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="offerdesk-profile-"))
    env = production_env(f"sqlite:///{scratch / 'profile.sqlite3'}", scratch / "static")
    env["ALLOWED_HOSTS"] = "testserver"
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    made = subprocess.run(
        [sys.executable, "-m", "bench.data", "subjects"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    endpoint = next(
        e for e in endpoints(json.loads(made.stdout.splitlines()[-1])) if word in e.name
    )
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "offerdesk.settings")
    import django

    django.setup()
    from django.test import Client

    from offerdesk.accounts.models import User

    client = Client()
    if endpoint.who:  # the bench's own accounts, made by bench.data
        client.force_login(User.objects.get(username=endpoint.who))
    headers = {"HTTP_HX_REQUEST": "true"} if endpoint.htmx else {}

    def hit(n: int) -> None:
        if endpoint.method == "GET":
            response = client.get(endpoint.path, **headers)
        else:
            body = endpoint.body + (f"&{endpoint.vary}={n % 101}" if endpoint.vary else "")
            response = client.post(
                endpoint.path, body, "application/x-www-form-urlencoded", **headers
            )
        assert response.status_code == 200, response.status_code

    hit(0)
    started = time.perf_counter()
    for n in range(1, requests + 1):
        hit(n)
    per_request = (time.perf_counter() - started) / requests * 1000
    print(f"{endpoint.name}: {per_request:.1f} ms per request")
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(requests + 1, 2 * requests + 1):
        hit(n)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 50)
