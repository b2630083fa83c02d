"""The roles of the platform: codes in English, names as the bureau says them."""

from __future__ import annotations

ROLES: dict[str, tuple[str, str]] = {
    "admin": ("系统管理员", "管理用户、角色与系统设置，查看审计日志"),
    "leader": ("局领导", "查看全市全部数据、排名与目标进展"),
    "office": ("业务科室", "编辑本科室业务领域的数据"),
    "branch": ("分局", "查看和编辑本区县的数据"),
    "grid": ("网格员", "处理所辖乡镇（街道）的巡查与投诉"),
    "readonly": ("只读", "只能查看"),
}

# Roles whose data access is limited to the user's own area (and the areas below it).
AREA_SCOPED_ROLES = frozenset({"branch", "grid"})
