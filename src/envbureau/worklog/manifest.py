"""The work log: what the bureau did (records) and plans for the second half."""

from envbureau.core.domain import CliGroup, DomainManifest, ImportKindRef, MenuEntry

MANIFEST = DomainManifest(
    name="worklog",
    label="工作台账",
    models=("envbureau.worklog.models",),
    import_kinds=(
        ImportKindRef("work_records", "envbureau.worklog.import_kinds:WORK_RECORDS"),
        ImportKindRef("work_plans", "envbureau.worklog.import_kinds:WORK_PLANS"),
    ),
    menu=(MenuEntry("/console/worklog", "工作台账", 60),),
    routers=("envbureau.worklog.web.views", "envbureau.worklog.web.api"),
    templates="envbureau.worklog.web",
    demo=("envbureau.demo.worklog",),
    cli=(
        CliGroup(
            "worklog", "envbureau.worklog.cli:app", "工作台账与下半年工作安排：导入、查询、修改"
        ),
    ),
)
