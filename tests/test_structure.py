"""The shape the architecture promises (docs/architecture.md), checked on the tree itself: web
modules stay small and never import a route module (shared helpers live in the framework
modules of ``envbureau.web``)."""

from __future__ import annotations

import ast
from pathlib import Path

from envbureau import domains

SRC = Path(__file__).resolve().parents[1] / "src"
MAX_WEB_LINES = 300


def web_modules() -> list[Path]:
    """Every module of a web package: ``envbureau/web/**`` and each domain's ``web/``."""
    return sorted(p for p in (SRC / "envbureau").rglob("*.py") if "web" in p.parts[:-1])


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_there_are_web_modules_to_check() -> None:
    names = {module_name(p) for p in web_modules()}
    assert {"envbureau.web.app", "envbureau.water.web.views", "envbureau.air.web.api"} <= names


def test_no_web_module_is_over_300_lines() -> None:
    long = {
        module_name(p): n
        for p in web_modules()
        if (n := len(p.read_text("utf-8").splitlines())) > MAX_WEB_LINES
    }
    assert long == {}


def test_no_web_module_imports_a_route_module() -> None:
    routes = set(domains.router_modules())
    assert len(routes) >= 10
    offenders = {
        module_name(p): sorted(imported(p) & (routes - {module_name(p)})) for p in web_modules()
    }
    assert {name: found for name, found in offenders.items() if found} == {}
