"""The demo city, built once per test run and shared: by the CLI tests and the web tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from envbureau.cli import app
from envbureau.core.config import get_settings

Invoke = Callable[..., Result]
#: What ``demo`` printed, and the folder it ran in (its report is in ``out/`` there).
DEMO_OUTPUT: list[str] = []
DEMO_FOLDER: list[Path] = []


def invoker(url: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    monkeypatch.chdir(folder)
    monkeypatch.setenv("ENVBUREAU_DATABASE_URL", url)
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input)

    return invoke


@pytest.fixture
def envbureau(
    fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Invoke]:
    """Run the command against a fresh database, as a newcomer would from a shell."""
    yield invoker(fresh_database_url, tmp_path, monkeypatch)
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def demo_database_url(session_database_url: str, tmp_path_factory) -> str:
    """The demo city, built once per run (it takes a while) and shared by every test."""
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as monkeypatch:
        invoke = invoker(session_database_url, folder, monkeypatch)
        result = invoke("demo", "--no-serve")
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    DEMO_OUTPUT.append(result.output)
    DEMO_FOLDER.append(folder)
    return session_database_url
