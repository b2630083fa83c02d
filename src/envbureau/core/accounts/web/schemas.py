"""What ``/api/v1/me`` answers."""

from __future__ import annotations

from pydantic import BaseModel, Field


class MeOut(BaseModel):
    username: str
    display_name: str
    role: str
    role_name: str
    area_code: str | None
    scoped: bool = Field(description="只能访问本区域及下级区域（分局、网格员）")
    domains: list[str] = Field(description="所在单位的业务领域")
