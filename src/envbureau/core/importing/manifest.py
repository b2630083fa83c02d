"""The import page: check a file, list every error, confirm, history, templates."""

from envbureau.core.domain import DomainManifest, MenuEntry

MANIFEST = DomainManifest(
    name="importing",
    label="数据导入",
    kind="platform",
    models=("envbureau.core.importing.models",),
    menu=(MenuEntry("/console/imports", "数据导入", 40, "import"),),
    routers=("envbureau.core.importing.web.views", "envbureau.core.importing.web.api"),
    templates="envbureau.core.importing.web",
)
