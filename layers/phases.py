"""Park phases: the 20 parks' 启动区 / 拓展区 / 储备区 (start-up, expansion, reserve) gradient.

The Opinion (000 L370-372) gives the parks a "启动区、拓展区、储备区" spatial gradient; official
park data carries each part's phase as an attribute. :func:`phase_column` finds that column in a
park layer (by its usual names, or by values that read as phases; or the column a user names) and
:func:`park_phases` reads each feature's phase as 'start', 'expansion', 'reserve' or 'unstated'.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import LandplanError

#: the phases in the Opinion's order, with their words
PHASES = {
    "start": ("启动区", "start-up area"),
    "expansion": ("拓展区", "expansion area"),
    "reserve": ("储备区", "reserve area"),
}
UNSTATED = "unstated"
#: how a phase is written in the files planners receive (compared without case, spaces, hyphens)
_VALUES = {
    "start": ("启动区", "启动", "启动片区", "start", "startup", "startuparea", "startarea"),
    "expansion": (
        "拓展区",
        "拓展",
        "扩展区",
        "拓展片区",
        "expansion",
        "expansionarea",
        "extension",
    ),
    "reserve": ("储备区", "储备", "储备片区", "reserve", "reservearea", "reserved"),
}
#: column names that hold a park's phase
COLUMN_NAMES = (
    "phase",
    "tier",
    "stage",
    "阶段",
    "梯度",
    "空间梯度",
    "园区分区",
    "分区类型",
    "片区类型",
)
_LOOKUP = {v: k for k, vs in _VALUES.items() for v in vs}


def _key(value) -> str:
    return re.sub(r"[\s_\-–—]+", "", str(value)).lower()


def phase_of(value) -> str:
    """A value as a phase: 'start', 'expansion', 'reserve', or 'unstated' when it is none."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return UNSTATED
    return _LOOKUP.get(_key(value), UNSTATED)


def phase_column(gdf: gpd.GeoDataFrame, given: str | None = None) -> str | None:
    """The column of ``gdf`` that holds the parks' phases (None when there is none).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A park layer.
    given : str, optional
        The column a user names (``--phase-col``); it must exist.

    Returns
    -------
    str or None

    Raises
    ------
    LandplanError
        ``given`` is not a column, or none of its values reads as a phase.
    """
    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    if given:
        if given not in cols:
            raise LandplanError(
                f"图层中没有列 {given!r}；现有列：{'、'.join(map(str, cols))}。",
                f"The layer has no column {given!r}; its columns: {', '.join(map(str, cols))}.",
            )
        if not (gdf[given].map(phase_of) != UNSTATED).any():
            raise LandplanError(
                f"列 {given!r} 中没有可识别的阶段（启动区、拓展区、储备区）。",
                f"No value of column {given!r} reads as a phase (启动区/start-up, "
                "拓展区/expansion, 储备区/reserve).",
            )
        return given
    by_name = [c for c in cols if _key(c) in {_key(n) for n in COLUMN_NAMES}]
    for c in by_name + [c for c in cols if c not in by_name]:
        values = gdf[c].dropna()
        if not len(values) or not (values.map(lambda v: isinstance(v, str))).all():
            continue
        read = values.map(phase_of) != UNSTATED
        if read.any() and (c in by_name or read.mean() >= 0.5):
            return c
    return None


def park_phases(gdf: gpd.GeoDataFrame, column: str | None = None) -> pd.Series:
    """Each feature's phase ('start', 'expansion', 'reserve', 'unstated'), index as ``gdf``'s.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A park layer.
    column : str, optional
        Its phase column (default: :func:`phase_column`'s guess).

    Returns
    -------
    pandas.Series
    """
    col = phase_column(gdf, column)
    if col is None:
        return pd.Series(UNSTATED, index=gdf.index)
    return gdf[col].map(phase_of)


def phase_order(values) -> list[str]:
    """Phases in the Opinion's order, 'unstated' last."""
    order = list(PHASES) + [UNSTATED]
    return sorted({str(v) for v in values}, key=lambda v: order.index(v) if v in order else 99)


def phase_words(phase: str, lang: str = "zh") -> str:
    """A phase in words: 启动区 / start-up area; 未注明阶段 / phase not stated."""
    if phase in PHASES:
        return PHASES[phase][0 if lang == "zh" else 1]
    return "未注明阶段" if lang == "zh" else "phase not stated"


def phase_coverage(coverage: pd.DataFrame, parks: gpd.GeoDataFrame, phases: pd.Series):
    """Covered area per district and park phase (m²): zone_id and one column per phase the parks
    have; each phase's parks counted once (their union), as ``coverage`` is.

    Parameters
    ----------
    coverage : pandas.DataFrame
        The districts' coverage by all the parks (:func:`layers.summary.district_coverage`, m²).
    parks : geopandas.GeoDataFrame
        The parks in effect.
    phases : pandas.Series
        Each park's phase (:func:`park_phases`), index as ``parks``'.

    Returns
    -------
    pandas.DataFrame
    """
    from .loading import is_polygonal
    from .scenario import PARK_LAYER
    from .summary import district_coverage

    out = coverage[["zone_id"]].copy()
    groups = phase_order(phases.unique())
    if len(groups) == 1:  # one phase: its coverage is the coverage
        out[groups[0]] = coverage["covered_area"].to_numpy()
        return out
    for g in groups:
        sub = parks[(phases == g).to_numpy()]
        out[g] = (
            district_coverage(PARK_LAYER, "m2", layer=sub)["covered_area"].to_numpy()
            if is_polygonal(sub).any()
            else np.zeros(len(out))
        )
    return out


def phase_supply(parks: gpd.GeoDataFrame, phases: pd.Series, supply_layers=None) -> pd.DataFrame:
    """Per target the parks count toward and per phase: supplied and indicative extent (m²) and
    basis, measured on that phase's parks alone (:func:`layers.supply.target_supply`); empty when
    the parks state no phase.

    Parameters
    ----------
    parks : geopandas.GeoDataFrame
        The parks in effect.
    phases : pandas.Series
        Each park's phase (:func:`park_phases`).
    supply_layers : dict, optional
        The layers in effect beside the parks (:func:`layers.scenario.layers_in_effect`).

    Returns
    -------
    pandas.DataFrame
        target_id, phase, supplied, indicative_extent, basis, unit.
    """
    from .catalog_tables import targets
    from .scenario import PARK_LAYER
    from .supply import target_supply

    cols = ["target_id", "phase", "supplied", "indicative_extent", "basis", "unit"]
    if set(phases) == {UNSTATED}:
        return pd.DataFrame(columns=cols)
    on_parks = set(targets().query("counts_toward == @PARK_LAYER")["target_id"])
    rows = []
    for g in phase_order(phases.unique()):
        layers_ = dict(supply_layers or {})
        layers_[PARK_LAYER] = parks[(phases == g).to_numpy()]
        ts = target_supply(unit="m2", supply_layers=layers_)
        ts = ts[ts["target_id"].isin(on_parks) & (ts["metric"] == "land_area")]
        rows.append(ts.assign(phase=g)[cols])
    return pd.concat(rows, ignore_index=True)
