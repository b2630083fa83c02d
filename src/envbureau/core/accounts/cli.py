"""``envbureau users``: accounts from the command line (the password read from standard input)."""

from __future__ import annotations

import sys

import typer
from rich.table import Table

from envbureau.core.accounts import service
from envbureau.core.accounts.roles import ROLES
from envbureau.core.cli_support import console, engine_or_exit, reports_errors
from envbureau.core.db import session_scope
from envbureau.core.errors import RuleViolation

app = typer.Typer(help="用户与角色：新增、列出、停用账号，修改与重置密码", no_args_is_help=True)
ROLE_HELP = "、".join(f"{code}（{name}）" for code, (name, _) in ROLES.items())


def _read_password(label: str = "密码", *, confirm: bool = True) -> str:
    """From a terminal: asked (twice for a new one), not echoed; from a pipe: the next line."""
    if sys.stdin.isatty():
        return typer.prompt(label, hide_input=True, confirmation_prompt=confirm)
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise RuleViolation(
            f"标准输入中没有{label}", code="user.password_missing", loc=("password",)
        )
    return line


@app.command("add")
@reports_errors
def add(
    username: str = typer.Argument(..., help="用户名"),
    role: str = typer.Option(..., "--role", help=f"角色：{ROLE_HELP}"),
    area: str = typer.Option(None, "--area", help="所辖区域代码（分局、网格员必填）"),
    unit: str = typer.Option(None, "--unit", help="所在单位代码（业务科室按单位的业务领域编辑）"),
    display_name: str = typer.Option(None, "--name", help="姓名"),
    actor: str = typer.Option("cli", "--user", help="操作人"),
) -> None:
    """新增用户；密码从标准输入读取（终端中输入两次，不回显）。"""
    password = _read_password()
    with session_scope(engine_or_exit()) as session:
        service.ensure_roles(session=session)
        user = service.create(
            session=session,
            username=username,
            password=password,
            role=role,
            display_name=display_name,
            area_code=area,
            unit_code=unit,
            actor=actor,
        )
        console.print(f"已新增用户 {user.username}（{ROLES[role][0]}）")


@app.command("list")
@reports_errors
def list_users() -> None:
    """列出全部用户。"""
    with session_scope(engine_or_exit()) as session:
        table = Table("用户名", "姓名", "角色", "区域", "单位", "状态")
        for u in service.list_users(session=session):
            state = "正常" if u.is_active else "已停用"
            if u.must_change_password:
                state += "（须改密码）"
            table.add_row(
                u.username,
                u.display_name,
                ROLES[u.role_code][0],
                u.area_code or "",
                u.unit_code or "",
                state,
            )
        console.print(table)


@app.command("disable")
@reports_errors
def disable(
    username: str = typer.Argument(..., help="用户名"),
    reason: str = typer.Option("", "--reason", help="原因（记入审计日志）"),
    actor: str = typer.Option("cli", "--user", help="操作人"),
) -> None:
    """停用账号（不删除，审计日志保留其全部记录）。"""
    with session_scope(engine_or_exit()) as session:
        service.set_active(
            session=session, username=username, active=False, actor=actor, reason=reason
        )
    console.print(f"已停用用户 {username}")


@app.command("enable")
@reports_errors
def enable(
    username: str = typer.Argument(..., help="用户名"),
    reason: str = typer.Option("", "--reason", help="原因（记入审计日志）"),
    actor: str = typer.Option("cli", "--user", help="操作人"),
) -> None:
    """重新启用已停用的账号。"""
    with session_scope(engine_or_exit()) as session:
        service.set_active(
            session=session, username=username, active=True, actor=actor, reason=reason
        )
    console.print(f"已启用用户 {username}")


@app.command("passwd")
@reports_errors
def passwd(username: str = typer.Argument(..., help="用户名（本人）")) -> None:
    """修改本人密码：先输入原密码，再输入新密码（管道输入时为第一行、第二行）；该用户的全部登录会话随之结束。"""
    old = _read_password("原密码", confirm=False)
    new = _read_password("新密码")
    with session_scope(engine_or_exit()) as session:
        service.change_password(
            session=session, username=username, old_password=old, new_password=new
        )
    console.print(f"已修改用户 {username} 的密码，请用新密码重新登录")


@app.command("reset-password")
@reports_errors
def reset_password(
    username: str = typer.Argument(..., help="用户名"),
    reason: str = typer.Option("", "--reason", help="原因（记入审计日志）"),
    actor: str = typer.Option("cli", "--user", help="操作人"),
) -> None:
    """重置密码：生成一次性密码（只显示这一次），该用户下次登录时必须修改；其登录会话全部结束。"""
    with session_scope(engine_or_exit()) as session:
        one_time = service.reset_password(
            session=session, username=username, actor=actor, reason=reason
        )
    console.print(f"已重置用户 {username} 的密码。一次性密码（只显示这一次）：", highlight=False)
    console.print(one_time, highlight=False, markup=False)
    console.print("请当面或经安全渠道交给本人；下次登录时必须修改。")
