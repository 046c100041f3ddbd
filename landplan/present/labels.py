"""Column headers for tables shown to planners: Chinese first, English available, units named.

The tables themselves keep their column ids (the CLI's JSON and CSV use them); only what is
displayed is relabelled, with the headers of ``landplan/present/text/{zh,en}.yaml`` (``columns``).
"""

from __future__ import annotations

import pandas as pd

from geo.units import unit_label, unit_text

from .text import text


def labelled(df: pd.DataFrame, lang: str = "zh", unit: str | None = None) -> pd.DataFrame:
    """``df`` with its known columns renamed for display in ``lang``; areas carry ``unit``'s
    label."""
    u = unit_label(unit, lang) if unit else ""
    headers = text(lang)["columns"]
    names = {
        c: headers[c].replace("{u}", u).replace("（）", "").replace(" ()", "")
        for c in df.columns
        if c in headers
    }
    out = df.rename(columns=names)
    if "unit" in df.columns:  # the area unit's name (平方公里, 亩), not its code
        out[names["unit"]] = df["unit"].map(lambda v: _unit_name(v, lang)).to_numpy()
    return out


def _unit_name(value, lang: str):
    return unit_text(value, lang) if isinstance(value, str) else value  # an empty cell stays empty
