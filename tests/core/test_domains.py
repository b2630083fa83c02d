"""Adding a domain is its folder plus its manifest: a toy domain (噪声, noise monitoring), written
to a temporary folder and registered through ``envbureau.domains.extend`` alone, shows up in
the console menu with its page, in the permission table, on the import page, in the indicator
catalogue and in the ``envbureau`` command."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from envbureau import domains
from envbureau.cli import app as cli_app
from envbureau.core import migrate, permissions
from envbureau.core.accounts import service as accounts
from envbureau.core.config import Settings
from envbureau.core.db import make_engine, session_scope
from envbureau.core.domain import load_target
from envbureau.core.importing import kinds
from envbureau.core.indicators.definitions import load_catalog, registry
from envbureau.core.permissions import Staff
from envbureau.web.app import create_app
from factories.web import sign_in

TOY_FILES = {
    "__init__.py": '"""A toy domain for the manifest test."""\n',
    "manifest.py": """
        from envbureau.core.domain import (
            CliGroup, DomainManifest, ImportKindRef, MenuEntry, OfficeDomain,
        )

        MANIFEST = DomainManifest(
            name="noise",
            label="噪声",
            indicators=("toy_noise.indicators",),
            office_domains=(OfficeDomain("noise", "噪声管理"),),
            import_kinds=(ImportKindRef("noise_sites", "toy_noise.import_kinds:NOISE_SITES"),),
            menu=(MenuEntry("/console/noise", "噪声", 65),),
            routers=("toy_noise.views",),
            cli=(CliGroup("noise", "toy_noise.cli:app", "噪声：监测点位"),),
        )
        """,
    "indicators.py": """
        from envbureau.core.indicators.definitions import IndicatorDefinition, registry

        registry.register(
            IndicatorDefinition(
                id="noise.sites_monitored",
                name="噪声监测点位数",
                unit="个",
                definition="本期开展监测的声环境功能区点位数",
                rule="GB 3096-2008",
                precision=0,
                theme="enforcement",
                domain="noise",
            )
        )
        """,
    "import_kinds.py": """
        from envbureau.core.importing.kinds import ImportKind
        from envbureau.core.importing.schema import Column, TableSchema

        SCHEMA = TableSchema("noise_sites", "噪声监测点位", (Column("code", "点位代码"),), ("code",))


        def run(session, staff, data, name, dry_run):
            raise NotImplementedError("the toy domain is never imported")


        NOISE_SITES = ImportKind("noise_sites", "噪声监测点位", SCHEMA, "domain", run, "noise")
        """,
    "views.py": """
        from fastapi import APIRouter
        from fastapi.responses import PlainTextResponse

        from envbureau.web.security import CurrentStaff

        router = APIRouter(include_in_schema=False)


        @router.get("/console/noise", response_class=PlainTextResponse)
        def noise_page(staff: CurrentStaff) -> str:
            return f"噪声点位（{staff.username}）"
        """,
    "cli.py": """
        import typer

        app = typer.Typer(help="噪声：监测点位")


        @app.command("sites")
        def sites() -> None:
            typer.echo("0 个点位")
        """,
}


@pytest.fixture
def toy_domain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    package = tmp_path / "toy_noise"
    package.mkdir()
    for name, text in TOY_FILES.items():
        (package / name).write_text(textwrap.dedent(text), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    manifest = __import__("toy_noise.manifest", fromlist=["MANIFEST"]).MANIFEST
    domains.extend(manifest)
    try:
        yield
    finally:
        domains.retract("noise")
        registry.unregister("noise.sites_monitored")
        for module in [m for m in sys.modules if m == "toy_noise" or m.startswith("toy_noise.")]:
            del sys.modules[module]


def office_staff(domains_of_unit: frozenset[str]) -> Staff:
    return Staff(
        user_id=1,
        username="noise-office",
        display_name="噪声科",
        role="office",
        area_code=None,
        scope=None,
        domains=domains_of_unit,
    )


@pytest.mark.usefixtures("toy_domain")
def test_the_toy_domain_appears_in_the_menu_with_its_page(fresh_database_url: str) -> None:
    engine = make_engine(fresh_database_url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        accounts.ensure_roles(session=session)
        accounts.create(session=session, username="admin", password="toy-admin-2026", role="admin")
    app = create_app(Settings(_env_file=None, database_url=fresh_database_url, secret_key="k" * 40))
    client = sign_in(TestClient(app), "admin", "toy-admin-2026")
    menu = client.get("/console/noise")
    assert menu.status_code == 200 and menu.text == "噪声点位（admin）"
    home = client.get("/console/system")
    assert '<a href="/console/noise"' in home.text and ">噪声</a>" in home.text
    assert TestClient(app).get("/console/noise", follow_redirects=False).status_code == 303
    engine.dispose()


@pytest.mark.usefixtures("toy_domain")
def test_the_toy_office_domain_is_in_the_permission_table() -> None:
    assert domains.office_domains()["noise"] == "噪声管理"
    noise_office = office_staff(frozenset({"noise"}))
    assert permissions.allowed(noise_office, "edit", "noise", None) is True
    assert permissions.allowed(noise_office, "import", "noise", None) is True
    assert permissions.allowed(noise_office, "edit", "air", None) is False
    assert permissions.allowed(office_staff(frozenset({"air"})), "edit", "noise", None) is False


@pytest.mark.usefixtures("toy_domain")
def test_the_toy_import_kind_is_offered_to_its_office_only() -> None:
    assert kinds.get_kind("noise_sites").label == "噪声监测点位"
    # every office is offered the kinds checked row by row; the noise office also its own
    by_rows = ["indicator_manual_entries", "indicator_targets", "work_records", "work_plans"]
    offered = [k.key for k in kinds.allowed_kinds(office_staff(frozenset({"noise"})))]
    assert offered == [*by_rows, "noise_sites"]
    assert [k.key for k in kinds.allowed_kinds(office_staff(frozenset({"air"})))] == [
        "air_stations",
        "air_observations",
        *by_rows,
    ]


@pytest.mark.usefixtures("toy_domain")
def test_the_toy_indicator_is_in_the_catalogue_with_its_office_domain() -> None:
    definition = load_catalog().get("noise.sites_monitored")
    assert (definition.name, definition.theme, definition.office_domain) == (
        "噪声监测点位数",
        "enforcement",
        "noise",
    )


@pytest.mark.usefixtures("toy_domain")
def test_the_toy_command_is_listed_and_runs() -> None:
    runner = CliRunner()
    listed = runner.invoke(cli_app, ["--help"])
    assert listed.exit_code == 0 and "噪声：监测点位" in listed.output
    ran = runner.invoke(cli_app, ["noise", "sites"])
    assert ran.exit_code == 0 and ran.output == "0 个点位\n"


def test_without_the_toy_domain_nothing_of_it_remains() -> None:
    assert "noise" not in [m.name for m in domains.manifests()]
    assert "noise" not in domains.office_domains()
    assert "noise.sites_monitored" not in load_catalog()


def test_every_registered_piece_is_reachable(tmp_path: Path) -> None:
    """Each dotted path of every manifest resolves to what its field promises."""
    app = create_app(
        Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'x.db'}", secret_key="k" * 40)
    )
    stranger = TestClient(app)
    for manifest in domains.manifests():
        for module in (*manifest.models, *manifest.indicators):
            importlib.import_module(module)
        for ref in manifest.import_kinds:
            assert load_target(ref.target).key == ref.key
        for module in manifest.routers:
            assert isinstance(importlib.import_module(module).router, APIRouter), module
        for entry in manifest.menu:
            answer = stranger.get(entry.path, follow_redirects=False)  # a route, so: sign in
            assert answer.status_code == 303, (manifest.name, entry.path, answer.status_code)
        if manifest.templates:
            assert any(domains.template_dirs()), manifest.name
        for part in manifest.demo:
            demo = importlib.import_module(part)
            assert isinstance(demo.LABEL, str) and callable(demo.build), part
        for group in manifest.cli:
            assert callable(load_target(group.target)), group.target
        for target in (*manifest.as_of, *manifest.data_versions):
            assert callable(load_target(target)), target
    for folder in domains.template_dirs():
        assert folder.is_dir() and any(folder.rglob("*.html")), folder
