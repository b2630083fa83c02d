"""Three ASGI middlewares in front of every request (docs/security.md):

- ``BodyLimit``: a request body larger than ``settings.max_request_bytes`` is refused with 413 and
  the project's error body BEFORE it is read: a ``Content-Length`` over the limit is answered at
  once, and a body without one (chunked) is counted while the app reads it and cut off at the
  limit, so no upload is ever written to a temporary file past it.
- ``SecurityHeaders``: the Content-Security-Policy (no inline script; see ``csp``), no framing,
  no MIME sniffing, a same-origin referrer, ``no-store`` on staff pages and API answers, and
  Strict-Transport-Security when the site is served over TLS (``settings.tls``).
- ``NoNulInAddress``: a NUL character in the path or the query is refused with 422: no field
  holds one, and PostgreSQL refuses it in text (a 500 otherwise; found by schemathesis).
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from envbureau.core.errors import ErrorDetail
from envbureau.web.errors import body

TOO_LARGE = ErrorDetail((), "http.too_large", "请求内容过大（超过{limit}），未处理")
#: Paths whose answers depend on who is signed in; they are never stored by a browser or proxy.
PRIVATE_PREFIXES = ("/console", "/api/", "/login", "/logout")
PUBLIC_API = ("/api/v1/openapi.json", "/api/v1/docs", "/api/v1/public/")


class BodyTooLarge(HTTPException):
    """Raised into the app when a streamed body passes the limit (the app never sees more); an
    HTTP 413 so the app's own handler (``web.errors.http_error``) answers it in Chinese."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} 字节"


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        detail = ErrorDetail((), TOO_LARGE.code, TOO_LARGE.msg.format(limit=_size(self.max_bytes)))
        await _answer(send, 413, detail, close=True)


async def _answer(send: Send, status: int, detail: ErrorDetail, *, close: bool = False) -> None:
    """The project's JSON error body, sent without the app."""
    payload = json.dumps(body([detail]), ensure_ascii=False).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
    ]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


NUL_IN_ADDRESS = ErrorDetail(("query",), "request.nul", "地址或查询参数中含有空字符（NUL），未处理")


class NoNulInAddress:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (
            "\x00" in scope["path"]
            or b"%00" in scope["query_string"].lower()
            or b"\x00" in scope["query_string"]
        ):
            await _answer(send, 422, NUL_IN_ADDRESS)
            return
        await self.app(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def csp(map_tile_url: str | None = None) -> str:
    """The policy: scripts only from this site's files (charts draw from ``static/charts.js``
    reading JSON data blocks), nothing framed, forms only to this site. Styles allow inline
    ``style`` (plotly sets styles on the elements it draws, and the colour swatches carry their
    colour). Map tiles, when configured, come from their own server."""
    tiles = ""
    if map_tile_url:
        parts = urlsplit(map_tile_url)
        tiles = f" {parts.scheme}://{parts.netloc}"
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob:{tiles}",
            "font-src 'self' data:",
            f"connect-src 'self'{tiles}",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        )
    )


def is_private(path: str) -> bool:
    if path.startswith(PUBLIC_API):
        return False
    return path == "/console" or path.startswith(PRIVATE_PREFIXES)


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, tls: bool, map_tile_url: str | None = None) -> None:
        self.app = app
        self.fixed = [
            ("Content-Security-Policy", csp(map_tile_url)),
            ("X-Frame-Options", "DENY"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
        ]
        if tls:
            self.fixed.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = is_private(scope["path"])

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.fixed:
                    headers[name] = value
                if private:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)
