"""Profile one endpoint in-process: ``python -m bench.profile slider [requests]``.

Builds the bench data set in a scratch SQLite database with production settings,
then calls the endpoint through Django's test client under cProfile and prints the
mean time per request and the 30 most expensive functions. Endpoints: session,
compare, slider, ratings, preview, timeline, dashboard, letter, report.
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

from bench.server import ROOT, manage, production_env


def main(endpoint: str, requests: int) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="offerdesk-profile-"))
    env = production_env(f"sqlite:///{scratch / 'profile.sqlite3'}", scratch / "static")
    env["ALLOWED_HOSTS"] = "testserver"
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    made = subprocess.run(
        [sys.executable, "-m", "bench.data", "subjects"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    ids = json.loads(made.stdout.strip().splitlines()[-1])
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "offerdesk.settings")
    import django

    django.setup()
    from django.test import Client

    from offerdesk.accounts.models import User

    client = Client()
    who = "bench-coach" if endpoint == "dashboard" else "bench"
    client.force_login(User.objects.get(username=who))
    compare = f"/decisions/{ids['compare']}"
    decline = f"{compare}/offers/{ids['declined_offer']}/decline/"
    first, *rest = ids["criteria"]
    preview = {
        "direction": "candidate",
        "medium": "letter",
        "tone": "formal",
        "gratitude": "on",
        "decision": "on",
        "reason": "on",
        "future": "on",
        "future_mode": "open",
        "reason_choice": "culture",
        "recipient_name": "Alex",
    }

    def hit(n: int) -> None:
        if endpoint == "slider":
            weights = {f"weight-{pk}": 20 for pk in rest} | {f"weight-{first}": n % 101}
            response = client.post(f"{compare}/compare/", weights, HTTP_HX_REQUEST="true")
        elif endpoint == "preview":
            response = client.post(decline, preview, HTTP_HX_REQUEST="true")
        else:
            path = {
                "session": "/accounts/session/",
                "compare": f"{compare}/compare/",
                "ratings": f"{compare}/ratings/",
                "timeline": f"/decisions/{ids['timeline']}/log/",
                "dashboard": "/coach/",
                "letter": f"{decline}pdf/download/",
                "report": f"{compare}/report.pdf",
            }[endpoint]
            response = client.get(path)
        assert response.status_code == 200, response.status_code

    hit(0)
    started = time.perf_counter()
    for n in range(1, requests + 1):
        hit(n)
    print(f"{endpoint}: {(time.perf_counter() - started) / requests * 1000:.1f} ms per request")
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(requests + 1, 2 * requests + 1):
        hit(n)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 50)
