"""The indicator registry: definitions, stored values with provenance, manual entries, targets."""

from envbureau.core.domain import CliGroup, DomainManifest, ImportKindRef, MenuEntry

MANIFEST = DomainManifest(
    name="indicators",
    label="指标",
    kind="platform",
    models=("envbureau.core.indicators.models",),
    indicators=("envbureau.core.indicators.manual_catalog",),
    import_kinds=(
        ImportKindRef(
            "indicator_manual_entries", "envbureau.core.indicators.import_kinds:MANUAL_ENTRIES"
        ),
        ImportKindRef("indicator_targets", "envbureau.core.indicators.import_kinds:TARGETS"),
    ),
    menu=(MenuEntry("/console/indicators", "指标", 50),),
    routers=("envbureau.core.indicators.web.views", "envbureau.core.indicators.web.api"),
    templates="envbureau.core.indicators.web",
    demo=("envbureau.demo.indicators",),
    cli=(
        CliGroup(
            "indicators",
            "envbureau.core.indicators.cli:app",
            "指标：定义、计算值与来源、人工填报、年度目标",
        ),
    ),
    data_versions=("envbureau.core.indicators.service:data_version",),
)
