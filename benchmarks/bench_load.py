"""Load on the served app: 20 clients at once on the public portal and on the staff console,
under uvicorn with 1 worker (the baseline) and with N workers, in one run.

Run: ``.venv/bin/python benchmarks/bench_load.py [--database URL] [--workers 4] [--clients 20]
[--seconds 20]``.

The database is ``--database`` (a built demo city), else ``ENVBUREAU_BENCH_DATABASE_URL``
(PostgreSQL; the demo city is built there first when it has none), else the demo city built in
a temporary SQLite file (a few minutes). The app runs as ``envbureau serve`` runs it
(``envbureau.web.asgi:create`` under uvicorn) in a child process. Each client is a thread with
its own connection and cookies; console clients sign in as the demo leader, air office and
viewer in turn and read the dashboard and the air, water and indicator pages in a loop. For
each scenario and worker count it prints requests/s, p50 and p95 latency and failures, then the
ratio of N workers to the 1-worker baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]
PORTAL = ("/", "/api/v1/public/air", "/api/v1/public/water")
CONSOLE = ("/console", "/console/air", "/console/water", "/console/indicators", "/api/v1/dashboard")
ACCOUNTS = (
    ("leader", "demo-leader-2026"),
    ("air", "demo-air-2026"),
    ("viewer", "demo-viewer-2026"),
)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def envbureau(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "-m", "envbureau", *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"envbureau {' '.join(args)} 失败：\n{done.stdout}\n{done.stderr}")


def has_demo(url: str) -> bool:
    from sqlalchemy import create_engine, inspect, text

    from envbureau.core.config import Settings

    engine = create_engine(Settings(_env_file=None, database_url=url).database_url)
    try:
        if "users" not in inspect(engine).get_table_names():
            return False
        with engine.connect() as connection:
            found = connection.execute(text("SELECT count(*) FROM users WHERE username='leader'"))
            return bool(found.scalar())
    finally:
        engine.dispose()


def upgrade(url: str) -> None:
    """A demo city built by an older version gets the newer migrations first."""
    from envbureau.core import migrate
    from envbureau.core.config import Settings
    from envbureau.core.db import make_engine

    engine = make_engine(Settings(_env_file=None, database_url=url).database_url)
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """``envbureau.web.asgi:create`` under uvicorn with ``workers`` processes."""

    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable, "-m", "uvicorn", "envbureau.web.asgi:create", "--factory",
            "--port", str(self.port), "--workers", str(workers), "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, env=env)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("服务未能启动")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def sign_in(client: httpx.Client, username: str, password: str) -> None:
    token = CSRF.search(client.get("/login").text)
    assert token, "登录页没有 CSRF 令牌"
    answer = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token.group(1)},
    )
    if answer.status_code != 303:
        raise SystemExit(f"{username} 登录失败：HTTP {answer.status_code}")


def run_clients(url: str, paths: tuple[str, ...], clients: int, seconds: float, console: bool):
    """(latencies in seconds, failures, elapsed) of ``clients`` threads reading ``paths``."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(n: int) -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            if console:
                sign_in(http, *ACCOUNTS[n % len(ACCOUNTS)])
            for path in paths:  # warm this worker's page cache as a first visitor would
                http.get(path)
            ready.wait()
            mine, bad, k = [], 0, n
            while time.monotonic() < stop_at[0]:
                start = time.perf_counter()
                status = http.get(paths[k % len(paths)]).status_code
                mine.append(time.perf_counter() - start)
                bad += status != 200
                k += 1
            with lock:
                latencies.extend(mine)
                failures[0] += bad

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    begun = time.monotonic()
    stop_at[0] = begun + seconds
    for thread in threads:
        thread.join()
    return latencies, failures[0], time.monotonic() - begun


def measure(env: dict[str, str], workers: int, args: argparse.Namespace) -> dict[str, tuple]:
    server = Server(env, workers)
    try:
        out = {}
        for name, paths, console in (("门户", PORTAL, False), ("工作台", CONSOLE, True)):
            latencies, failed, elapsed = run_clients(
                server.url, paths, args.clients, args.seconds, console
            )
            q = statistics.quantiles(latencies, n=100)
            out[name] = (len(latencies) / elapsed, q[49], q[94], failed, len(latencies))
            rate, p50, p95 = out[name][:3]
            print(
                f"{name:　<4} 工作进程 {workers:>2}：{rate:7.1f} 次/秒  p50 {p50 * 1000:7.0f} ms"
                f"  p95 {p95 * 1000:7.0f} ms  失败 {failed}/{len(latencies)}",
                flush=True,
            )
        return out
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="已建好演示城市的数据库地址")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or os.environ.get("ENVBUREAU_BENCH_DATABASE_URL")
        url = url or f"sqlite:///{Path(folder) / 'bench.db'}"
        env = {
            **os.environ,
            "ENVBUREAU_DATABASE_URL": url,
            "ENVBUREAU_SECRET_KEY": secrets.token_urlsafe(48),
            "ENVBUREAU_DATA_DIR": str(Path(folder) / "var"),
            "ENVBUREAU_OUTPUT_DIR": str(Path(folder) / "out"),
            "ENVBUREAU_LOGIN_IP_MAX_FAILURES": "1000",
        }
        if not has_demo(url):
            print(f"建立演示城市：{url} …", flush=True)
            envbureau(env, "demo", "--no-serve", "--no-report")
        upgrade(url)
        print(f"数据库：{url.split('@')[-1]}；{args.clients} 个客户端，每项 {args.seconds:g} 秒")
        baseline = measure(env, 1, args)
        several = measure(env, args.workers, args)
    print(f"\n{args.workers} 个工作进程 / 1 个工作进程（基线，同一次运行）：")
    for name in baseline:
        rate = several[name][0] / baseline[name][0]
        p50 = several[name][1] / baseline[name][1]
        p95 = several[name][2] / baseline[name][2]
        print(f"  {name}：吞吐 ×{rate:.2f}  p50 ×{p50:.2f}  p95 ×{p95:.2f}")


if __name__ == "__main__":
    main()
