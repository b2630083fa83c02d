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
| ``ConfigError`` (the server is set up wrongly) | 500 |
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from envbureau.core.errors import (
    ConfigError,
    Conflict,
    DomainError,
    ErrorDetail,
    NotFound,
)
from envbureau.web.pages import render

STATUS_OF: tuple[tuple[type[DomainError], int], ...] = (
    (NotFound, 404),
    (Conflict, 409),
    (ConfigError, 500),
    (DomainError, 422),  # RuleViolation, ValidationFailed and any other rule broken
)

HEADINGS = {401: "请先登录", 403: "无权访问", 404: "未找到", 405: "无法处理", 409: "数据冲突"}

HTTP_MESSAGES = {
    404: ("http.not_found", "未找到请求的地址"),
    405: ("http.method_not_allowed", "该地址不支持此请求方法"),
    413: ("http.too_large", "请求内容过大"),
}

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


def http_error(request: Request, exc: Exception) -> Response:
    """Unknown addresses and methods: the same body (API) or the Chinese page (console)."""
    assert isinstance(exc, StarletteHTTPException)
    code, msg = HTTP_MESSAGES.get(exc.status_code, ("http.error", str(exc.detail)))
    response = answer(request, exc.status_code, [ErrorDetail((), code, msg)])
    if exc.headers:
        response.headers.update(exc.headers)
    return response
