"""Indicator definitions and the registry that domains add theirs to."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from envbureau.core.errors import Conflict, NotFound

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from envbureau.core.indicators.subjects import Subject
    from envbureau.core.periods import Period

# Themes follow the sections of the bureau's half-year work report.
THEMES = {
    "water": "治水",
    "air": "治气",
    "soil": "治土",
    "industry": "行业整治",
    "ecology": "生态文明建设",
    "reform": "制度改革",
    "enforcement": "执法监管",
    "publicity": "宣传",
}


@dataclass(frozen=True)
class Coverage:
    """How much of the data the value needed was there (STYLE 15)."""

    expected: int
    observed: int
    valid: bool
    rule: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "expected": self.expected,
            "observed": self.observed,
            "valid": self.valid,
            "rule": self.rule,
        }


@dataclass
class Computation:
    """What a provider returns: the value (None when it cannot be computed, with the reason)."""

    value: float | None
    reason: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)
    coverage: Coverage | None = None
    edition: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


Provider = Callable[["Session", "Period", str], Computation]
#: Computes the value for one subject (an enterprise, org unit or campaign) within an area.
SubjectProvider = Callable[["Session", "Period", str, "Subject"], Computation]


@dataclass(frozen=True)
class IndicatorDefinition:
    """A figure the bureau reports: stable id, Chinese name, unit, rule and how it is obtained.

    ``provider`` computes the value for a period and an area; ``None`` means the value is
    a manual entry (a figure owned by another department) recorded with its source document.
    With ``manual_fallback`` a computed indicator whose data are not in the system (a city's
    rank needs the other cities' data) takes the manual entry instead, when there is one.
    ``subject_provider`` computes it for one subject (``subjects.Subject``) of an area; without
    one, a subject's value is its manual entry (manual indicators) or not available.
    """

    id: str
    name: str
    unit: str
    definition: str
    rule: str
    precision: int
    theme: str
    provider: Provider | None = None
    better: Literal["higher", "lower", "none"] = "none"
    public: bool = False
    manual_fallback: bool = False
    value_labels: tuple[tuple[float, str], ...] = ()  # a graded result: value → its name
    # The office domain whose staff may edit or enter it, when it differs from the report
    # section (``theme``): a water figure entered by the soil office, say.
    domain: str = ""
    subject_provider: SubjectProvider | None = None

    @property
    def office_domain(self) -> str:
        """The office domain that owns the figure (permissions); the theme when not set."""
        return self.domain or self.theme

    @property
    def is_manual(self) -> bool:
        return self.provider is None

    @property
    def accepts_manual(self) -> bool:
        return self.provider is None or self.manual_fallback

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "unit": self.unit,
            "definition": self.definition,
            "rule": self.rule,
            "precision": self.precision,
            "theme": self.theme,
            "theme_name": THEMES.get(self.theme, self.theme),
            "office_domain": self.office_domain,
            "source": "manual" if self.is_manual else "computed",
            "better": self.better,
            "public": self.public,
            "value_labels": {str(v): label for v, label in self.value_labels},
        }


class IndicatorRegistry:
    """Definitions by id; a second definition of the same id is a programming error."""

    def __init__(self) -> None:
        self._items: dict[str, IndicatorDefinition] = {}

    def register(self, definition: IndicatorDefinition) -> IndicatorDefinition:
        if definition.theme not in THEMES:
            raise ValueError(f"{definition.id}: unknown theme {definition.theme!r}")
        if definition.id in self._items and self._items[definition.id] != definition:
            raise Conflict(f"指标 {definition.id} 重复定义", code="indicator.duplicate")
        self._items[definition.id] = definition
        return definition

    def unregister(self, indicator_id: str) -> None:
        """Forget a definition (a domain added at run time and retracted again)."""
        self._items.pop(indicator_id, None)

    def get(self, indicator_id: str) -> IndicatorDefinition:
        try:
            return self._items[indicator_id]
        except KeyError:
            raise NotFound(
                f"未知指标“{indicator_id}”", code="indicator.unknown", loc=("indicator",)
            ) from None

    def all(self) -> list[IndicatorDefinition]:
        return sorted(self._items.values(), key=lambda d: (list(THEMES).index(d.theme), d.id))

    def __contains__(self, indicator_id: str) -> bool:
        return indicator_id in self._items


registry = IndicatorRegistry()


def load_catalog() -> IndicatorRegistry:
    """Import every domain's indicator modules (their manifests name them) and return the
    filled registry."""
    from envbureau.domains import catalog_modules

    for module in catalog_modules():
        importlib.import_module(module)
    return registry
