"""首页 (``/console``): the user's area at a glance, as of the day the data reach."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from envbureau.water.colours import WATER_CLASS_COLOURS
from envbureau.web.cache import cached
from envbureau.web.charts import PLOTLY_SCRIPT
from envbureau.web.deps import DbSession
from envbureau.web.home import charts, figures
from envbureau.web.pages import render
from envbureau.web.scope import home_area
from envbureau.web.security import CurrentStaff

router = APIRouter()


@router.get("/console", response_class=HTMLResponse, include_in_schema=False)
def dashboard(request: Request, staff: CurrentStaff, session: DbSession) -> HTMLResponse:
    area = home_area(session, staff)
    if area is None:
        return render(
            request,
            staff,
            "home/dashboard.html",
            {"overview": None, "plotly_script": PLOTLY_SCRIPT},
        )
    result = figures.overview(session, area.code)
    tile_url = request.app.state.settings.map_tile_url
    drawn = cached(
        session,
        ("overview-charts", area.code, tile_url),
        lambda: charts.dashboard_charts(result, tile_url),
    )
    context = {
        "overview": result,
        "charts": drawn,
        "class_colours": WATER_CLASS_COLOURS,
        "plotly_script": PLOTLY_SCRIPT,
    }
    return render(request, staff, "home/dashboard.html", context)
