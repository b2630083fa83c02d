"""One error body for every failure the web app answers, and one table of statuses.

Every JSON failure is ``{"detail": [{"loc", "code", "msg", "value", "type"}]}``: ``loc`` where
(file/row/column, or the request field), ``code`` a stable English machine code, ``msg`` the
Chinese message, ``value`` what was sent, ``type`` the same as ``code`` (so the body also fits
FastAPI's own validation-error schema that OpenAPI lists for 422). Pages get the Chinese error
page instead; anonymous visitors of a page are sent to the login page.

| failure | status |
| --- | --- |
| not signed in (``LoginRequired``) | 401 |
| signed in but not allowed, or no CSRF token (``Forbidden``) | 403 |
| ``NotFound``, an unknown address | 404 |
| an unsupported method | 405 |
| ``Conflict`` | 409 |
| ``RuleViolation``, ``ValidationFailed``, a request that does not parse | 422 |
| a request body over ``max_request_bytes`` (``web.middleware``) | 413 |
| a write another writer holds the lock of past the busy timeout | 503 |
| ``ConfigError`` (the server is set up wrongly), any other failure | 500 |

Every text is Chinese: the English of Starlette and FastAPI (404/405 texts, 「Invalid multipart
data.」, 「There was an error parsing the body」) is replaced here, never passed on.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from envbureau.core.errors import (
    ConfigError,
    Conflict,
    DomainError,
    ErrorDetail,
    NotFound,
)
from envbureau.web.pages import render

log = logging.getLogger(__name__)

STATUS_OF: tuple[tuple[type[DomainError], int], ...] = (
    (NotFound, 404),
    (Conflict, 409),
    (ConfigError, 500),
    (DomainError, 422),  # RuleViolation, ValidationFailed and any other rule broken
)

HEADINGS = {
    401: "请先登录",
    403: "无权访问",
    404: "未找到",
    405: "无法处理",
    409: "数据冲突",
    500: "服务器出错",
    503: "系统繁忙",
}

HTTP_MESSAGES = {
    400: ("http.bad_request", "请求格式不正确"),
    401: ("http.unauthorized", "请先登录"),
    404: ("http.not_found", "未找到请求的地址"),
    405: ("http.method_not_allowed", "该地址不支持此请求方法"),
    413: ("http.too_large", "请求内容过大"),
}

#: Starlette's and FastAPI's English texts for a body that does not parse, by how they begin.
BODY_MESSAGES = (
    ("Field exceeded", "http.form_field_too_large", "表单中某一项内容过大"),
    ("Part exceeded", "http.form_field_too_large", "表单中某一项内容过大"),
    ("Too many fields", "http.form_too_many_fields", "表单项过多"),
    ("Too many files", "http.form_too_many_files", "上传的文件过多"),
    ("", "http.body_invalid", "请求内容无法解析（表单或文件格式不正确）"),
)

#: Chinese messages for the request checks FastAPI/pydantic perform (by pydantic error type).
REQUEST_MESSAGES = {
    "missing": "缺少必填项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为是或否（true/false）",
    "string_type": "应为文本",
    "string_too_long": "文本过长",
    "string_too_short": "文本过短",
    "date_from_datetime_parsing": "应为日期，如 2026-06-30",
    "date_parsing": "应为日期，如 2026-06-30",
    "datetime_parsing": "应为时间，如 2026-06-30 14:00",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "格式不正确",
    "dict_type": "应为 JSON 对象",
    "literal_error": "不是可选的值",
    "enum": "不是可选的值",
}


class ErrorItem(BaseModel):
    loc: list[str | int]
    code: str
    msg: str
    value: str | None = None
    type: str


class ErrorBody(BaseModel):
    """What every failed request answers (see the module docstring for the statuses)."""

    detail: list[ErrorItem]


#: For ``FastAPI(responses=…)``: every route documents the error body in OpenAPI.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in (
        (401, "未登录"),
        (403, "无权访问或缺少 CSRF 令牌"),
        (404, "未找到"),
        (409, "与现有数据冲突"),
    )
}


def status_of(exc: DomainError) -> int:
    return next(status for kind, status in STATUS_OF if isinstance(exc, kind))


def body(details: list[ErrorDetail]) -> dict[str, Any]:
    return {"detail": [{**d.as_dict(), "type": d.code} for d in details]}


def wants_json(request: Request) -> bool:
    """API paths, and any request without a signed-in user to show a page to."""
    return request.url.path.startswith("/api/") or getattr(request.state, "staff", None) is None


def answer(
    request: Request, status: int, details: list[ErrorDetail], *, heading: str | None = None
) -> Response:
    if wants_json(request):
        return JSONResponse(body(details), status_code=status)
    page: HTMLResponse = render(
        request,
        request.state.staff,
        "staff/error.html",
        {
            "message": "；".join(d.msg for d in details),
            "heading": heading or HEADINGS.get(status, "无法处理"),
        },
        status_code=status,
    )
    return page


def domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    return answer(request, status_of(exc), exc.details)


def request_invalid(request: Request, exc: Exception) -> Response:
    """FastAPI's own checks of the query, path and body, in the same body and in Chinese."""
    assert isinstance(exc, RequestValidationError)
    details = []
    for error in exc.errors():
        kind = str(error.get("type", "value_error"))
        loc = tuple(part for part in error.get("loc", ()) if isinstance(part, str | int))
        field = str(loc[-1]) if loc else ""
        text = REQUEST_MESSAGES.get(kind, "格式不正确")
        sent = error.get("input")
        value = None if sent is None or isinstance(sent, dict | list) else str(sent)[:200]
        details.append(ErrorDetail(loc, f"request.{kind}", f"{field}：{text}", value))
    return answer(request, 422, details)


def http_message(status: int, detail: str) -> tuple[str, str]:
    """The code and Chinese text of a Starlette/FastAPI HTTP error (its own text is English)."""
    if status == 400:
        return next((c, m) for start, c, m in BODY_MESSAGES if str(detail).startswith(start))
    return HTTP_MESSAGES.get(status, ("http.error", f"请求无法处理（HTTP {status}）"))


def http_error(request: Request, exc: Exception) -> Response:
    """Unknown addresses and methods, bodies that do not parse: the same body (API) or the
    Chinese page (console)."""
    assert isinstance(exc, StarletteHTTPException)
    code, msg = http_message(exc.status_code, str(exc.detail))
    response = answer(request, exc.status_code, [ErrorDetail((), code, msg)])
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def database_error(request: Request, exc: Exception) -> Response:
    """A write that could not be made (a failed commit included, which ``web.deps`` finishes
    before the response): an error answer, never a success."""
    if isinstance(exc, IntegrityError):
        detail = ErrorDetail((), "database.conflict", "与现有数据冲突，未保存，请刷新后重试")
        return answer(request, 409, [detail])
    log.exception("数据库出错：%s %s", request.method, request.url.path, exc_info=exc)
    if isinstance(exc, OperationalError) and "locked" in str(exc.orig or exc):
        detail = ErrorDetail((), "database.busy", "系统繁忙，数据未保存，请稍后重试")
        return answer(request, 503, [detail])
    return server_error(request, exc)


def server_error(request: Request, exc: Exception) -> Response:
    """Anything else: the same body in Chinese (the traceback goes to the log only)."""
    detail = ErrorDetail((), "server.error", "服务器内部错误，操作未完成，请稍后重试或联系管理员")
    try:
        return answer(request, 500, [detail])
    except Exception:  # the error page itself failed: the plain body
        return JSONResponse(body([detail]), status_code=500)
