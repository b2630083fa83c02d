"""The platform's own part: the database, demo and web-server commands, the public portal, and
the office domains whose figures are entered by hand until a domain of their own arrives
(soil, industry, ecology, reform, enforcement, publicity)."""

from envbureau.core.domain import CliGroup, DomainManifest, OfficeDomain

MANIFEST = DomainManifest(
    name="platform",
    label="平台",
    kind="platform",
    office_domains=(
        OfficeDomain("soil", "治土"),
        OfficeDomain("industry", "行业整治"),
        OfficeDomain("ecology", "生态文明建设"),
        OfficeDomain("reform", "制度改革"),
        OfficeDomain("enforcement", "执法监管"),
        OfficeDomain("publicity", "宣传"),
    ),
    routers=("envbureau.web.portal.views", "envbureau.web.portal.api"),
    cli=(
        CliGroup("db", "envbureau.core.cli_db:app", "数据库：迁移与版本"),
        CliGroup("demo", "envbureau.demo.cli:demo", "建成演示城市“示范市”并启动 Web 服务"),
        CliGroup("serve", "envbureau.web.cli:serve", "启动 Web 服务"),
    ),
)
