"""The ``envbureau`` command starts light: help and ``users list`` import no heavy library.

Start-up time itself is measured by ``benchmarks/bench_cli.py`` (no timing here: the machine
is shared); these tests pin its cause instead. Each case runs a fresh interpreter, runs the
command in it and reports which modules got imported, since a test process has long since
imported pandas and the rest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from envbureau import __version__
from envbureau.cli import app, load_command
from envbureau.core.domain import load_target
from envbureau.domains import cli_groups

HEAVY = ("pandas", "numpy", "matplotlib", "plotly", "fastapi", "starlette", "openpyxl")

# Runs the command in-process, then prints what it imported as JSON on the last line.
PROBE = """
import json, sys
from envbureau.cli import app
try:
    app(args=sys.argv[1:], prog_name="envbureau")
except SystemExit as exc:
    code = exc.code or 0
else:
    code = 0
print(json.dumps({"exit": code, "modules": sorted(sys.modules)}))
"""


def environment(folder: Path) -> dict[str, str]:
    """This environment less any ENVBUREAU_* setting, on a SQLite file in ``folder``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENVBUREAU_")}
    return {**env, "ENVBUREAU_DATABASE_URL": f"sqlite:///{folder / 'cli.db'}"}


def run(args: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=folder,
        env=environment(folder),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def imported_by(args: list[str], folder: Path) -> tuple[set[str], str]:
    """The modules a fresh interpreter has loaded after ``envbureau ARGS``, and its output."""
    done = run(["-c", PROBE, *args], folder)
    *output, last = done.stdout.rstrip("\n").split("\n")
    report = json.loads(last)
    assert report["exit"] == 0, done.stdout + done.stderr
    return set(report["modules"]), "\n".join(output)


def heavy_among(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def target_modules() -> dict[str, str]:
    return {g.name: g.target.partition(":")[0] for g in cli_groups()}


@pytest.fixture
def migrated(tmp_path: Path) -> Path:
    done = run(["-m", "envbureau", "db", "upgrade"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    return tmp_path


def test_help_imports_no_heavy_library_and_no_command(tmp_path: Path) -> None:
    modules, output = imported_by(["--help"], tmp_path)
    assert heavy_among(modules) == []
    assert {name: m for name, m in target_modules().items() if m in modules} == {}
    assert "users" in output and "demo" in output


def test_users_list_imports_its_own_command_only(migrated: Path) -> None:
    modules, output = imported_by(["users", "list"], migrated)
    assert heavy_among(modules) == []
    loaded = {name for name, module in target_modules().items() if module in modules}
    assert loaded == {"users"}
    assert "用户名" in output  # the table's header on an empty database


def test_every_manifest_command_resolves_and_is_listed_in_help() -> None:
    groups = cli_groups()
    assert {"db", "users", "demo", "serve", "air", "water", "report"} <= {g.name for g in groups}
    for group in groups:
        target = load_target(group.target)
        assert callable(target), group.target
        command = load_command(group)
        assert command.name == group.name
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    rows = {line.strip("│ ").split(" ", 1)[0]: line for line in result.output.splitlines()}
    for group in groups:
        assert group.name in rows, f"{group.name} missing from envbureau --help"
        assert group.help[:8] in rows[group.name], rows[group.name]
    assert "version" in rows


def test_a_command_runs_through_python_dash_m(tmp_path: Path) -> None:
    done = run(["-m", "envbureau", "version"], tmp_path)
    assert done.returncode == 0 and done.stdout.strip() == __version__, done.stderr


def test_unknown_command_is_refused_with_the_close_declared_names() -> None:
    result = CliRunner().invoke(app, ["usres", "list"])
    assert result.exit_code == 2
    assert "No such command 'usres'" in result.output and "'users'" in result.output
