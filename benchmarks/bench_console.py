"""How long the console's pages take, computed from the database and served from the page cache.

Run: ``.venv/bin/python benchmarks/bench_console.py [--database URL] [--repeat 5]``.

Without ``--database`` it builds the demo city in a temporary SQLite file first (a minute or
two). Signed in as the demo leader (the whole city), it requests each page twice per round in
one run: once right after clearing the per-process page cache (``web.cache.CACHE``), so
the figures are computed from the stored observations and samples — the baseline — and once
again with the cache filled. It prints, per page, the best time of each kind over ``--repeat``
rounds and their ratio (baseline / cached), and the same for the whole set of pages.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from envbureau.cli import app as cli
from envbureau.core.config import Settings, get_settings
from envbureau.demo.accounts import ACCOUNTS
from envbureau.web.app import create_app
from envbureau.web.cache import CACHE

PAGES = (
    "/console",
    "/console/air",
    "/console/air/calendar",
    "/console/air/evaluate",
    "/console/air/ranking",
    "/console/air/stations/9901A",
    "/console/water",
    "/console/water/classes",
    "/console/water/compliance",
    "/console/indicators",
    "/console/worklog",
    "/",
)


def build_demo(folder: Path) -> str:
    url = f"sqlite:///{folder / 'bench.db'}"
    os.environ["ENVBUREAU_DATABASE_URL"] = url
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["demo", "--no-serve", "--no-report"])
    if result.exit_code != 0:
        raise SystemExit(result.output)
    return url


def signed_in(url: str) -> TestClient:
    client = TestClient(create_app(Settings(_env_file=None, database_url=url, secret_key="k" * 40)))
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    password = ACCOUNTS["leader"][4]
    client.post("/login", data={"username": "leader", "password": password, "csrf_token": token})
    return client


def timed(client: TestClient, path: str) -> float:
    start = time.perf_counter()
    response = client.get(path, follow_redirects=False)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="the database URL of a built demo city")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or build_demo(Path(folder))
        client = signed_in(url)
        best: dict[str, list[float]] = {p: [float("inf"), float("inf")] for p in PAGES}
        for _ in range(args.repeat):
            for path in PAGES:
                CACHE.clear()
                best[path][0] = min(best[path][0], timed(client, path))
                best[path][1] = min(best[path][1], timed(client, path))
        print(f"{'page':32} {'computed ms':>12} {'cached ms':>10} {'ratio':>7}")
        for path, (cold, warm) in best.items():
            print(f"{path:32} {cold * 1000:12.0f} {warm * 1000:10.0f} {cold / warm:7.1f}")
        cold = sum(v[0] for v in best.values())
        warm = sum(v[1] for v in best.values())
        print(f"{'all pages':32} {cold * 1000:12.0f} {warm * 1000:10.0f} {cold / warm:7.1f}")


if __name__ == "__main__":
    main()
