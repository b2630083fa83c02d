"""The Content-Security-Policy in a real browser (issue 11): the console's home page, a station
page with charts, the public portal and the API documentation work under it, and the browser
reports no violation. Screenshots go to the test's folder for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

#: The first visit of a page computes its figures (the page cache is empty): on a loaded
#: machine that takes longer than the suite's 15 s for one action.
SLOW_MS = 120_000
#: Pages and what must be drawn on each: a CSS selector and how many of it at least.
PAGES = {
    "console": ("/console", ".js-plotly-plot .main-svg", 4),
    "station": ("/console/air/stations/9901A", ".js-plotly-plot .main-svg", 2),
    "water": ("/console/water/sections/W01", ".js-plotly-plot .main-svg", 1),
    "portal": ("/", "main table", 1),
    "api-docs": ("/api/v1/docs", ".swagger-ui .opblock", 10),
}


def watch(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Console messages about the policy and uncaught page errors, as they come."""
    seen: list[str] = []
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda e: seen.append(f"pageerror: {e}"))
    return seen


def test_pages_draw_their_charts_with_no_policy_violation(sign_in, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    problems = watch(page)
    page.set_default_timeout(SLOW_MS)
    sign_in("leader")
    drawn = {}
    for name, (path, selector, at_least) in PAGES.items():
        page.goto(path)
        page.wait_for_load_state("networkidle")
        page.wait_for_function(
            f"() => document.querySelectorAll({selector!r}).length >= {at_least}"
        )
        drawn[name] = page.locator(selector).count() >= at_least
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
        header = page.evaluate("() => document.querySelectorAll('script:not([src])').length")
        assert header == page.locator('script[type="application/json"]').count(), name
    assert drawn == {name: True for name in PAGES}
    assert problems == []
