"""首页: the city (or district) at a glance, read from the other domains' services."""

from envbureau.core.domain import DomainManifest, MenuEntry

MANIFEST = DomainManifest(
    name="overview",
    label="首页",
    kind="platform",
    menu=(MenuEntry("/console", "首页", 10),),
    routers=("envbureau.web.home.views", "envbureau.web.home.api"),
    templates="envbureau.web.home",
)
