"""The platform's domains, in order: the one list a new domain is added to.

Each entry names a module holding a ``MANIFEST`` (``envbureau.core.domain.DomainManifest``).
The order is the build order of the demo city (later parts use what earlier ones built) and the
order of the office domains on forms. Everything below reads the manifests; nothing here
imports a domain's code until that piece is asked for.
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path
from typing import Any

from envbureau.core.domain import (
    CliGroup,
    DomainManifest,
    MenuEntry,
    OfficeDomain,
    load_target,
)

DOMAINS: tuple[str, ...] = (
    "envbureau.core.manifest",
    "envbureau.core.areas.manifest",
    "envbureau.core.accounts.manifest",
    "envbureau.core.importing.manifest",
    "envbureau.overview.manifest",
    "envbureau.air.manifest",
    "envbureau.water.manifest",
    "envbureau.core.indicators.manifest",
    "envbureau.worklog.manifest",
    "envbureau.reports.manifest",
)

_extra: list[DomainManifest] = []


def manifests() -> tuple[DomainManifest, ...]:
    """Every domain's manifest, in ``DOMAINS`` order (then any registered by ``extend``)."""
    return _listed() + tuple(_extra)


@cache
def _listed() -> tuple[DomainManifest, ...]:
    out = []
    for name in DOMAINS:
        manifest = importlib.import_module(name).MANIFEST
        if not isinstance(manifest, DomainManifest):
            raise TypeError(f"{name}.MANIFEST is not a DomainManifest")
        out.append(manifest)
    names = [m.name for m in out]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate domain names in DOMAINS: {names}")
    return tuple(out)


def extend(manifest: DomainManifest) -> None:
    """Add a domain at run time (a plug-in, or a test's toy domain); ``retract`` removes it."""
    if any(m.name == manifest.name for m in manifests()):
        raise ValueError(f"domain {manifest.name!r} is registered already")
    _extra.append(manifest)


def retract(name: str) -> None:
    _extra[:] = [m for m in _extra if m.name != name]


def model_modules() -> list[str]:
    return [module for m in manifests() for module in m.models]


def catalog_modules() -> list[str]:
    return [module for m in manifests() for module in m.indicators]


def office_domains() -> dict[str, str]:
    """Office domain code → its name, as declared by the manifests."""
    out: dict[str, str] = {}
    for manifest in manifests():
        for domain in manifest.office_domains:
            if domain.code in out:
                raise ValueError(f"office domain {domain.code!r} declared twice")
            out[domain.code] = domain.label
    return out


def office_domain_list() -> list[OfficeDomain]:
    return [d for m in manifests() for d in m.office_domains]


def menu() -> list[MenuEntry]:
    return sorted((e for m in manifests() for e in m.menu), key=lambda e: (e.order, e.path))


def router_modules() -> list[str]:
    return [module for m in manifests() for module in m.routers]


def routers() -> list[Any]:
    """The ``router`` (a FastAPI ``APIRouter``) of every module the manifests name."""
    return [importlib.import_module(module).router for module in router_modules()]


def template_dirs() -> list[Path]:
    """The ``templates`` folders of the domains' web packages, in ``DOMAINS`` order."""
    out = []
    for manifest in manifests():
        if manifest.templates:
            package = importlib.import_module(manifest.templates)
            out.append(Path(package.__file__ or "").resolve().parent / "templates")
    return out


def import_kinds() -> dict[str, Any]:
    """Import kind key → ``ImportKind``, in ``DOMAINS`` order."""
    out: dict[str, Any] = {}
    for manifest in manifests():
        for ref in manifest.import_kinds:
            kind = load_target(ref.target)
            if kind.key != ref.key:
                raise ValueError(f"{ref.target} has key {kind.key!r}, manifest says {ref.key!r}")
            out[ref.key] = kind
    return out


def demo_parts() -> list[str]:
    return [part for m in manifests() for part in m.demo]


def cli_groups() -> list[CliGroup]:
    return [group for m in manifests() for group in m.cli]


def as_of_sources() -> list[str]:
    """``"module:function"`` (session) → the day a domain's data reach, or None."""
    return [target for m in manifests() for target in m.as_of]
