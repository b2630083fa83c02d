"""The shape of a domain: one manifest says what a domain brings to the platform.

Every area of the bureau's work (air, water, the work log, and each later one) has a
``manifest.py`` with one ``MANIFEST`` of this type, and ``envbureau.domains.DOMAINS`` lists the
manifests in order. The database schema, the indicator catalogue, the import page, the console
menu, the office domains of the permission table, the demo city and the command line all read
their pieces from there, so adding a domain is its own folder plus one line in ``DOMAINS``.

Everything is named by a dotted path (``"envbureau.air.models"``, ``"envbureau.air.cli:app"``)
and imported only when that piece is used: reading the manifests costs nothing, which keeps
``envbureau --help`` quick and lets a command load only its own domain.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class OfficeDomain:
    """A field of work an office (业务科室) may be given: what its staff may change.

    It is separate from the report's sections (indicator ``theme``): a permits or complaints
    office gets its own domain without a section of its own in the half-year report.
    """

    code: str
    label: str


@dataclass(frozen=True)
class MenuEntry:
    """A console menu item, offered to the users the permission table gives ``action``
    (``core.permissions``: "view" for most pages, "import", "admin"); ``order`` sorts the menu."""

    path: str
    label: str
    order: int
    action: str = "view"


@dataclass(frozen=True)
class CliGroup:
    """A sub-command of ``envbureau``: ``target`` is ``"module:attr"`` of a Typer app (a group)
    or of a function (a single command); ``help`` is shown by ``envbureau --help`` without
    importing ``target``."""

    name: str
    target: str
    help: str


@dataclass(frozen=True)
class ImportKindRef:
    """An import kind the console offers: ``target`` is ``"module:attr"`` of an
    ``envbureau.core.importing.kinds.ImportKind``."""

    key: str
    target: str


@dataclass(frozen=True)
class DomainManifest:
    """What one domain adds to the platform; see the module docstring."""

    name: str
    label: str
    models: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    office_domains: tuple[OfficeDomain, ...] = ()
    import_kinds: tuple[ImportKindRef, ...] = ()
    menu: tuple[MenuEntry, ...] = ()
    routers: tuple[str, ...] = ()
    templates: str | None = None  # a package whose ``templates/`` folder holds its pages
    demo: tuple[str, ...] = ()  # modules with ``LABEL`` and ``build(ctx)``, in build order
    cli: tuple[CliGroup, ...] = ()
    #: ``"module:function"`` (session) → the day the domain's data reach, or None
    as_of: tuple[str, ...] = ()
    #: ``"module:function"`` (session) → what changes whenever the domain's data change
    data_versions: tuple[str, ...] = ()
    kind: Literal["platform", "domain"] = "domain"


def load_target(target: str) -> Any:
    """Import ``"package.module:attr"`` and return the attribute."""
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attr) if attr else module
