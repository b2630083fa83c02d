"""Air quality: stations, hourly observations, HJ 633 / HJ 663 evaluation, the air indicators."""

from envbureau.core.domain import CliGroup, DomainManifest, ImportKindRef, MenuEntry, OfficeDomain

MANIFEST = DomainManifest(
    name="air",
    label="空气质量",
    models=("envbureau.air.models",),
    indicators=("envbureau.air.indicators",),
    office_domains=(OfficeDomain("air", "治气"),),
    import_kinds=(
        ImportKindRef("air_stations", "envbureau.air.import_kinds:AIR_STATIONS"),
        ImportKindRef("air_observations", "envbureau.air.import_kinds:AIR_OBSERVATIONS"),
    ),
    menu=(MenuEntry("/console/air", "空气", 20),),
    routers=("envbureau.air.web.views", "envbureau.air.web.api"),
    templates="envbureau.air.web",
    demo=("envbureau.demo.air",),
    cli=(CliGroup("air", "envbureau.air.cli:app", "空气质量：站点、小时数据导入、AQI 与评价"),),
    as_of=("envbureau.air.snapshots:air_as_of",),
    data_versions=("envbureau.air.service:data_version",),
)
