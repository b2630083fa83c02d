"""Users, roles and the audit log; the system pages (admin only) and who is signed in."""

from envbureau.core.domain import CliGroup, DomainManifest, MenuEntry

MANIFEST = DomainManifest(
    name="accounts",
    label="用户与审计",
    kind="platform",
    models=("envbureau.core.accounts.models",),
    menu=(MenuEntry("/console/system", "系统", 90, "admin"),),
    routers=(
        "envbureau.core.accounts.web.views",
        "envbureau.core.accounts.web.api",
        "envbureau.core.accounts.web.password",
    ),
    templates="envbureau.core.accounts.web",
    demo=("envbureau.demo.accounts",),
    cli=(
        CliGroup(
            "users",
            "envbureau.core.accounts.cli:app",
            "用户与角色：新增、列出、停用账号，修改与重置密码",
        ),
    ),
)
