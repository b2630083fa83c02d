"""The ``envbureau`` command: one lazy group over the sub-commands the domain manifests declare.

Each manifest names its commands as ``CliGroup(name, "module:attr", help)``. The group lists
them and shows their help from the manifests alone, and imports a target only when that
command runs, so ``envbureau --help`` loads no domain and ``envbureau users list`` loads the
accounts code and nothing of air, water, reports or the web (rule: start in under 0.5 s).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from difflib import get_close_matches
from typing import Any

import typer
import typer.core
import typer.main

from envbureau import __version__
from envbureau.core.domain import CliGroup, load_target
from envbureau.domains import cli_groups

HELP = "envbureau 生态环境局工作平台：监测数据、国家标准指标、目标督查与工作报告。"


def _declared() -> dict[str, CliGroup]:
    out: dict[str, CliGroup] = {}
    for group in cli_groups():
        if group.name in out:
            raise ValueError(f"command {group.name!r} declared twice in the manifests")
        out[group.name] = group
    return out


def load_command(group: CliGroup) -> Any:
    """The click command of one manifest entry: a Typer app becomes a sub-group, a function a
    single command. Built through a throw-away Typer so both get Typer's own parsing and help
    (and a sub-group gets no ``--install-completion`` of its own)."""
    target = load_target(group.target)
    holder = typer.Typer(add_completion=False)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=group.name)
    elif callable(target):
        holder.command(group.name)(target)
    else:
        raise TypeError(f"{group.target} is neither a Typer app nor a function")
    return typer.main.get_group(holder).commands[group.name]


class ManifestGroup(typer.core.TyperGroup):
    """A Typer group whose sub-commands come from ``envbureau.domains.cli_groups()``."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._describing = False

    @contextmanager
    def _summaries(self) -> Iterator[None]:
        """While help or completion lists the commands, answer with manifest stubs."""
        before, self._describing = self._describing, True
        try:
            yield
        finally:
            self._describing = before

    def list_commands(self, ctx: Any) -> list[str]:
        return [*_declared(), *(name for name in self.commands if name not in _declared())]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        group = _declared().get(cmd_name)
        if group is None:
            return None
        if self._describing:
            return typer.core.TyperCommand(name=group.name, help=group.help, short_help=group.help)
        command = load_command(group)
        self.commands[cmd_name] = command
        return command

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """An unknown name is refused with the close declared names (Typer's own hint sees
        only the commands loaded so far)."""
        name = args[0] if args else ""
        known = self.list_commands(ctx)
        if name and not name.startswith("-") and name not in known and not ctx.resilient_parsing:
            close = get_close_matches(name, known)
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            ctx.fail(f"No such command {name!r}.{hint}")
        return super().resolve_command(ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        with self._summaries():
            super().format_help(ctx, formatter)

    def shell_complete(self, ctx: Any, incomplete: str) -> Any:
        with self._summaries():
            return super().shell_complete(ctx, incomplete)


app = typer.Typer(
    cls=ManifestGroup,
    help=HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def main() -> None:
    """envbureau 生态环境局工作平台：监测数据、国家标准指标、目标督查与工作报告。"""


@app.command("version")
def version() -> None:
    """显示版本号。"""
    typer.echo(__version__)


if __name__ == "__main__":
    app()
