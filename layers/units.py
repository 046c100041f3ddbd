"""Tables in a unit: ``layers`` computes areas in m² and converts a table here, once, to show it.

A unit change (the page's switch, ``--unit``) converts a table already computed; no geometry is
measured again. The columns that hold areas are listed once, in ``AREA_COLUMNS``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.units import convert_area, is_area_unit, normalize_unit, unit_text

#: the columns of the layers' tables that hold areas (coverage, targets, overlaps, parks, gaps)
AREA_COLUMNS = (
    "zone_area",
    "published_land_area",
    "covered_area",
    "uncovered_area",
    "area",
    "value",
    "value_max",
    "supplied",
    "reported_value",
    "shortfall",
    "surplus",
    "indicative_extent",
    "drawn_area",
    "stated_area",
    "stated_minus_drawn",
    "valid_area",
    "nodata_area",
)
#: attrs of a table that hold an area
AREA_ATTRS = ("double_counted",)

_COMPARATOR_TEXT = {
    ">=": ("≥", "≥"),
    ">": (">", ">"),
    "~": ("约", "about"),
    "=": ("", ""),
    "<=": ("≤", "≤"),
    "<": ("<", "<"),
}


def target_text(comparator: str, value, unit: str, value_max=None, lang: str = "zh") -> str:
    """A target in words: '≥ 4 个', '约 300 平方公里', '3–5 个', '> 60 km²'.

    Parameters
    ----------
    comparator : str
        '>=', '>', '~', '=', '<=' or 'range'.
    value : float
    unit : str
        The target's unit.
    value_max : float, optional
        Upper bound of a range.
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    str
    """

    def num(v):
        v = float(v)
        return (
            f"{v:,.0f}"
            if unit == "count" or v.is_integer()
            else f"{v:,.4g}"
            if abs(v) < 1000
            else f"{v:,.1f}"
        )

    words = "" if unit == "count" and lang != "zh" else unit_text(unit, lang)  # '≥ 4' in English
    if comparator == "range" and value_max is not None and not pd.isna(value_max):
        body = f"{num(value)}–{num(value_max)}"
    else:
        sign = _COMPARATOR_TEXT.get(comparator, (comparator, comparator))[0 if lang == "zh" else 1]
        body = f"{sign} {num(value)}".strip() if sign != "约" else f"约 {num(value)}"
    return f"{body} {words}".strip()


def _area_rows(table: pd.DataFrame) -> np.ndarray:
    """Rows whose figures are areas: all, or those whose ``unit`` is an area unit."""
    if "unit" not in table.columns:
        return np.ones(len(table), dtype=bool)
    rows = np.array([is_area_unit(u) for u in table["unit"]], dtype=bool)
    if "metric" in table.columns:  # a floor-space target (万m²) is not a land area
        rows &= np.asarray(table["metric"] == "land_area", dtype=bool)
    return rows


#: suffixes of a column that holds an area column's figure for one side of a comparison (A, B)
#: or its change
SIDE_SUFFIXES = ("_a", "_b", "_change")


#: prefix of a column that holds one park phase's covered area (covered_area_start ...)
PHASE_PREFIX = "covered_area_"


def _is_area_column(name) -> bool:
    name = str(name)
    return (
        name in AREA_COLUMNS
        or any(name.endswith(s) and name[: -len(s)] in AREA_COLUMNS for s in SIDE_SUFFIXES)
        or (name.startswith(PHASE_PREFIX) and name[len(PHASE_PREFIX) :].isalpha())
    )


def in_unit(table: pd.DataFrame, unit: str, from_unit: str | None = None) -> pd.DataFrame:
    """The table with its areas in ``unit``: the one conversion before a table is shown.

    Parameters
    ----------
    table : pandas.DataFrame
        A table of :mod:`layers` (coverage, targets, overlaps, parks, ...) with areas in
        ``AREA_COLUMNS``; its ``unit`` column (or ``from_unit``) says what they are in.
    unit : str
        Any accepted spelling of an area unit (km2, ha, mu, m2, 万m2).
    from_unit : str, optional
        The areas' unit when the table has no ``unit`` column (default m²).

    Returns
    -------
    pandas.DataFrame
        A copy with the area columns, the ``unit`` column, the target's words
        (``target_text_zh/en``, a context figure's ``value_text_zh/en``) and
        ``attrs['double_counted']`` in ``unit``; counts and floor-space targets as they were.

    Raises
    ------
    LandplanError
        An unknown unit.
    """
    unit = normalize_unit(unit)
    out = table.copy()
    out.attrs = dict(table.attrs)
    rows = _area_rows(out)
    if "unit" in out.columns and from_unit is None:
        src = out["unit"].where(rows, None)
    else:
        src = pd.Series(normalize_unit(from_unit or "m2"), index=out.index).where(rows, None)
    cols = [c for c in out.columns if _is_area_column(c)]
    for u in [u for u in pd.unique(src.dropna()) if normalize_unit(u) != unit]:
        sel = (src == u).to_numpy()
        for c in cols:
            out[c] = out[c].astype(float)
            out.loc[sel, c] = convert_area(out.loc[sel, c].to_numpy(dtype=float), u, unit)
    if "unit" in out.columns:
        out["unit"] = out["unit"].where(~rows, unit)
    if "target_text_zh" in out.columns and rows.any():
        vmax = out.loc[rows, "value_max"] if "value_max" in out.columns else [None] * rows.sum()
        for lang in ("zh", "en"):
            out.loc[rows, f"target_text_{lang}"] = [
                target_text(c, v, unit, vm, lang)
                for c, v, vm in zip(out.loc[rows, "comparator"], out.loc[rows, "value"], vmax)
            ]
    if "value_text_zh" in out.columns and rows.any():  # a context figure's words
        for lang in ("zh", "en"):
            out.loc[rows, f"value_text_{lang}"] = [
                target_text(c, v, unit, lang=lang)
                for c, v in zip(out.loc[rows, "comparator"], out.loc[rows, "value"])
            ]
    for key in AREA_ATTRS:
        if key in out.attrs:
            first = src.dropna()
            old = first.iloc[0] if len(first) else out.attrs.get("unit", from_unit or "m2")
            out.attrs[key] = float(convert_area(float(out.attrs[key]), old, unit))
    return out
