"""Browser tests: the console served by uvicorn on a free local port, driven by Debian's Chromium.

The browser is the system's ``/usr/bin/chromium`` (``.ci/run`` installs the Debian package);
nothing is downloaded at run time. Without it the tests are skipped on a developer's machine
and fail in CI (``CI`` set), where a missing browser is a broken install, not a choice.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from envbureau.core.config import Settings
from envbureau.demo.accounts import ACCOUNTS
from envbureau.web.app import create_app
from factories.web import served

CHROMIUM = Path("/usr/bin/chromium")
MISSING = "需要 Debian 的 chromium：apt-get install chromium"
#: Playwright's own timeout for one action or wait, in milliseconds.
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if CHROMIUM.is_file():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} 不存在：{MISSING}（CI 中浏览器测试不能跳过，.ci/run 应已安装）")
    pytest.skip(MISSING)


@pytest.fixture(scope="session")
def server_folders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live server's data and output folders (uploads, generated reports)."""
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="session")
def live_server(chromium_path: Path, demo_database_url: str, server_folders: Path) -> Iterator[str]:
    """The web app on the demo city, served by uvicorn in a thread; yields its base URL."""
    settings = Settings(
        _env_file=None,
        database_url=demo_database_url,
        secret_key="b" * 40,
        data_dir=server_folders / "var",
        output_dir=server_folders / "out",
    )
    with served(create_app(settings)) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), headless=True)
        yield browser
        browser.close()


@pytest.fixture
def requested() -> list[str]:
    """Every URL the page asked for (to check that nothing leaves the machine)."""
    return []


@pytest.fixture
def page(browser, live_server: str, requested: list[str]) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server, accept_downloads=True, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("request", lambda request: requested.append(request.url))
    yield page
    context.close()


@pytest.fixture
def sign_in(page) -> Callable[[str], object]:  # type: ignore[no-untyped-def]
    """``sign_in("admin")``: log in through the login form; the page is then on the console."""

    def fill(username: str) -> object:
        page.goto("/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", ACCOUNTS[username][4])
        page.get_by_role("button", name="登录").click()
        page.wait_for_url("**/console")
        return page

    return fill
