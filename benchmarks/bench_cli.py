"""How long the ``envbureau`` command takes to start, against a bare ``python -c pass``.

Run: ``.venv/bin/python benchmarks/bench_cli.py [--repeat 7]``.

Each case runs as a fresh subprocess (a new interpreter, as from a shell) ``--repeat`` times;
the best time is printed with its ratio to ``python -c pass`` and whether it is under the
0.5 s budget of a command that only asks the database something (``users list``) or prints
help. ``users list`` runs on a temporary SQLite database made here with ``envbureau db
upgrade``. Best-of-N, because the machine is shared: the minimum is the least disturbed run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET = 0.5


def envbureau_command() -> list[str]:
    """The installed ``envbureau`` script beside this interpreter, else ``python -m``."""
    script = Path(sys.executable).with_name("envbureau")
    return [str(script)] if script.exists() else [sys.executable, "-m", "envbureau"]


def timed(command: list[str], env: dict[str, str]) -> float:
    """Seconds one run takes; stops the benchmark with the command's output if it fails."""
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} failed ({done.returncode}):\n"
            + done.stderr.decode(errors="replace")
            + done.stdout.decode(errors="replace")
        )
    return elapsed


def best_of(command: list[str], *, repeat: int, env: dict[str, str]) -> float:
    return min(timed(command, env) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per case (best is kept)")
    args = parser.parse_args()
    cli = envbureau_command()
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as folder:
        env = {
            **os.environ,
            "ENVBUREAU_DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.db'}",
            "ENVBUREAU_OUTPUT_DIR": str(Path(folder) / "out"),
        }
        timed([*cli, "db", "upgrade"], env)
        cases = [
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("envbureau --help", [*cli, "--help"]),
            ("envbureau users list", [*cli, "users", "list"]),
        ]
        baseline = None
        print(f"best of {args.repeat} runs each (budget {BUDGET:.1f} s)")
        for label, command in cases:
            best = best_of(command, repeat=args.repeat, env=env)
            baseline = baseline or best
            verdict = (
                ""
                if label.startswith("python")
                else ("  under budget" if best < BUDGET else "  OVER BUDGET")
            )
            print(f"{label:<24} {best * 1000:7.0f} ms  {best / baseline:5.1f}× python{verdict}")


if __name__ == "__main__":
    main()
