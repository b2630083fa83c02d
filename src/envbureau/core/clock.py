"""One clock and one time zone for the whole platform.

Times are stored as naive UTC (STYLE 15) and shown in the bureau's zone, the ``timezone``
setting (default Asia/Shanghai). Day boundaries of monitoring data are Beijing days because the
national standards define them so (``standards.gb3095.BEIJING_TZ``); that is a rule of the
standard, not this setting. Pages never fall back to the wall clock for what data to show:
they use the day the data reach.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utc_now() -> datetime:
    """Now as naive UTC, the form every stored time takes."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_now(tz: ZoneInfo) -> datetime:
    """Now in the bureau's zone (aware)."""
    return datetime.now(tz)


def local_today(tz: ZoneInfo) -> date:
    """Today's date in the bureau's zone."""
    return local_now(tz).date()


def to_local(at: datetime, tz: ZoneInfo) -> datetime:
    """A stored time (naive UTC, or aware) in the bureau's zone."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(tz)


def local_text(at: datetime | str | None, tz: ZoneInfo, *, seconds: bool = False) -> str:
    """A stored time as wall-clock text of the bureau's zone ('' for none)."""
    if at is None or at == "":
        return ""
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    return to_local(moment, tz).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
