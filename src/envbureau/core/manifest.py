"""The platform's own part: areas and organisation units, accounts and the audit log, the import
machinery, the dashboard and the system pages, the database and the web server commands, and
the office domains whose figures are entered by hand until their own domain arrives."""

from envbureau.core.domain import CliGroup, DomainManifest, ImportKindRef, MenuEntry, OfficeDomain

MANIFEST = DomainManifest(
    name="platform",
    label="平台",
    kind="platform",
    models=(
        "envbureau.core.areas.models",
        "envbureau.core.accounts.models",
        "envbureau.core.importing.models",
    ),
    indicators=("envbureau.core.areas.indicators",),
    office_domains=(
        OfficeDomain("soil", "治土"),
        OfficeDomain("industry", "行业整治"),
        OfficeDomain("ecology", "生态文明建设"),
        OfficeDomain("reform", "制度改革"),
        OfficeDomain("enforcement", "执法监管"),
        OfficeDomain("publicity", "宣传"),
    ),
    import_kinds=(
        ImportKindRef("areas", "envbureau.core.areas.import_kinds:AREAS"),
        ImportKindRef("org_units", "envbureau.core.areas.import_kinds:ORG_UNITS"),
        ImportKindRef("area_boundaries", "envbureau.core.areas.import_kinds:AREA_BOUNDARIES"),
    ),
    menu=(
        MenuEntry("/console", "首页", 10),
        MenuEntry("/console/imports", "数据导入", 40, frozenset({"admin", "office", "branch"})),
        MenuEntry("/console/system", "系统", 90, frozenset({"admin"})),
    ),
    routers=(
        "envbureau.web.home.views",
        "envbureau.web.home.api",
        "envbureau.web.console.imports",
        "envbureau.web.console.system",
        "envbureau.web.console.api_me",
    ),
    templates="envbureau.web.home",
    demo=("envbureau.demo.areas", "envbureau.demo.accounts"),
    cli=(
        CliGroup("db", "envbureau.core.cli_db:app", "数据库：迁移与版本"),
        CliGroup("areas", "envbureau.core.areas.cli:app", "行政区划与组织机构"),
        CliGroup("users", "envbureau.core.accounts.cli:app", "用户与角色：新增、列出、停用账号"),
        CliGroup("demo", "envbureau.demo.cli:demo", "建成演示城市“示范市”并启动 Web 服务"),
        CliGroup("serve", "envbureau.web.cli:serve", "启动 Web 服务"),
    ),
)
