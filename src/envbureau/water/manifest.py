"""Surface water: sections, samples, GB 3838-2002 classes and the evaluation method's figures."""

from envbureau.core.domain import CliGroup, DomainManifest, ImportKindRef, MenuEntry, OfficeDomain

MANIFEST = DomainManifest(
    name="water",
    label="水环境",
    models=("envbureau.water.models",),
    indicators=("envbureau.water.indicators",),
    office_domains=(OfficeDomain("water", "治水"),),
    import_kinds=(
        ImportKindRef("water_sections", "envbureau.water.import_kinds:WATER_SECTIONS"),
        ImportKindRef("water_samples", "envbureau.water.import_kinds:WATER_SAMPLES"),
    ),
    menu=(MenuEntry("/console/water", "水", 30),),
    routers=("envbureau.water.web.views", "envbureau.water.web.api"),
    templates="envbureau.water.web",
    demo=("envbureau.demo.water",),
    cli=(CliGroup("water", "envbureau.water.cli_data:app", "水环境：断面水质类别与评价"),),
    as_of=("envbureau.water.snapshots:water_as_of",),
    data_versions=("envbureau.water.service:data_version",),
)
