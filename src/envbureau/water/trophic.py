"""Trophic state of the lake and reservoir sections over a period (TLI(Σ), CNEMC 2004).

Each parameter's period value is the mean of its monthly means, as for the class; a section
lacking any of the five parameters over the period gets no index (the 2004 regulation
weighs all five), and says which are missing.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy.orm import Session

from envbureau.standards.gb3838_tli import tli_gb3838
from envbureau.water import service

TLI_PARAMETERS = ("chla", "tp", "tn", "sd", "codmn")


def trophic_states(
    *, session: Session, area_code: str, first_day: date, last_day: date
) -> pd.DataFrame:
    """One row per lake/reservoir section with samples: ``code``, ``name``, the five period
    values, ``tli``, ``trophic_state`` and ``missing`` (parameters without data)."""
    sections = [
        s
        for s in service.list_sections(session=session, area_code=area_code)
        if s.kind in ("lake", "reservoir")
    ]
    if not sections:
        return pd.DataFrame()
    samples = service.load_samples(
        session=session, sections=[s.code for s in sections], first_day=first_day, last_day=last_day
    )
    if samples.empty:
        return pd.DataFrame()
    samples = samples.reindex(columns=["section", "time", *TLI_PARAMETERS])
    samples["month"] = samples["time"].dt.strftime("%Y-%m")
    monthly = samples.groupby(["section", "month"])[list(TLI_PARAMETERS)].mean()
    means = monthly.groupby(level="section").mean()
    complete = means.notna().all(axis=1)
    out = means.copy()
    out["tli"], out["trophic_state"] = float("nan"), None
    if complete.any():
        index = tli_gb3838(*(means.loc[complete, p] for p in TLI_PARAMETERS))
        out.loc[complete, "tli"] = index["tli"].to_numpy()
        out.loc[complete, "trophic_state"] = index["trophic_state"].to_numpy()
    out["missing"] = [
        [p for p in TLI_PARAMETERS if pd.isna(means.at[code, p])] for code in means.index
    ]
    names = {s.code: s.name for s in sections}
    out.insert(0, "name", [names[c] for c in out.index])
    out.index.name = "code"
    return out.reset_index()
