"""Reports: the half-year work report in Word, PDF, HTML and Markdown, every figure explained."""

from envbureau.core.domain import CliGroup, DomainManifest, MenuEntry

MANIFEST = DomainManifest(
    name="reports",
    label="工作报告",
    kind="platform",
    menu=(MenuEntry("/console/reports", "报告", 70),),
    routers=("envbureau.reports.web.views",),
    templates="envbureau.reports.web",
    cli=(
        CliGroup(
            "report", "envbureau.reports.cli:app", "工作报告：上半年工作进展情况和下半年工作安排"
        ),
    ),
)
