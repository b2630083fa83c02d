"""The platform's error hierarchy: every failure a user can cause names where and which rule.

``loc`` is a path such as ``("areas.csv", 7, "代码")`` (file, row, column) or a field path;
``code`` is a stable English machine code; ``msg`` is the Chinese message shown to staff.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ErrorDetail:
    loc: tuple[str | int, ...]
    code: str
    msg: str
    value: str | None = None

    def render(self) -> str:
        where = " / ".join(str(part) for part in self.loc)
        shown = f"（值“{self.value}”）" if self.value is not None else ""
        text = f"{self.msg}{shown} ({self.code})"
        return f"{where}: {text}" if where else text

    def as_dict(self) -> dict[str, object]:
        return {"loc": list(self.loc), "code": self.code, "msg": self.msg, "value": self.value}


class DomainError(Exception):
    """Base of every error the platform reports to a user."""

    code = "error"

    def __init__(
        self, msg: str, *, code: str | None = None, loc: tuple[str | int, ...] = ()
    ) -> None:
        super().__init__(msg)
        self.details: list[ErrorDetail] = [ErrorDetail(loc, code or self.code, msg)]

    def render(self) -> str:
        return "\n".join(d.render() for d in self.details)


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class RuleViolation(DomainError):
    code = "rule_violation"


class ConfigError(DomainError):
    code = "config"


@dataclass
class ValidationFailed(DomainError):
    """Many row-level errors at once (an import that broke rules in several places)."""

    details: list[ErrorDetail] = field(default_factory=list)
    summary: str = "数据校验未通过"

    def __post_init__(self) -> None:
        Exception.__init__(self, self.summary)

    def render(self, limit: int = 100) -> str:
        lines = [f"{self.summary}：共 {len(self.details)} 处错误，未写入任何数据"]
        lines += [f"  - {d.render()}" for d in self.details[:limit]]
        if len(self.details) > limit:
            lines.append(f"  …… 另有 {len(self.details) - limit} 处错误未列出")
        return "\n".join(lines)
