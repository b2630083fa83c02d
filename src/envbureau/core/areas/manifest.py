"""Administrative divisions, organisation units and their outlines for the maps."""

from envbureau.core.domain import CliGroup, DomainManifest, ImportKindRef

MANIFEST = DomainManifest(
    name="areas",
    label="行政区划与组织机构",
    kind="platform",
    models=("envbureau.core.areas.models",),
    indicators=("envbureau.core.areas.indicators",),
    import_kinds=(
        ImportKindRef("areas", "envbureau.core.areas.import_kinds:AREAS"),
        ImportKindRef("org_units", "envbureau.core.areas.import_kinds:ORG_UNITS"),
        ImportKindRef("area_boundaries", "envbureau.core.areas.import_kinds:AREA_BOUNDARIES"),
    ),
    demo=("envbureau.demo.areas",),
    cli=(CliGroup("areas", "envbureau.core.areas.cli:app", "行政区划与组织机构"),),
)
