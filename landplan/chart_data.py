"""What the charts draw, from the plan's tables: the page draws it with Altair
(:mod:`landplan.web.charts`), the atlas with matplotlib (:mod:`landplan.report.chart_pages`).

- :func:`target_figures`: per target and figure (supplied, reported, indicative extent) its
  value against the target, as a share of the target's value, coloured by its basis;
- :func:`ledger_series`: one target's ledger entries over time against its value and year;
- :func:`coverage_bars`: the districts' coverage by the parks in effect.

The figures are the tables' (in the unit the caller converted them to); this module only picks,
labels and words them. The words are ``charts`` in ``landplan/present/text``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.units import unit_text
from layers.ledger import entry_value
from layers.supply import ABOUT_TOLERANCE, MET_LABELS, supply_basis
from layers.target_groups import CITY, target_group

from .ledger import figure
from .present.plan_text import target_name
from .present.text import text
from .present.words import district_label

#: the bases a figure is coloured by, in the legend's order
BASES = ("measured", "reported", "proposed", "indicative", "unknown")
#: their colours (proposed is the map's orange; an indicative extent is grey, never supply)
BASIS_COLORS = {
    "measured": "#1a9850",
    "reported": "#2166ac",
    "proposed": "#e66101",
    "indicative": "#9e9e9e",
    "unknown": "#e0e0e0",
}
#: a bar longer than this share of its target (%) is cut there (its figure is written beside it)
SHARE_CAP = 150.0
#: the figures of a target row a chart shows, and the basis each rests on (None: the row's)
_FIGURES = (("supplied", None), ("reported_value", "reported"), ("indicative_extent", "indicative"))


def basis_words(lang: str = "zh") -> dict[str, str]:
    """The bases as the charts' legend says them."""
    return dict(text(lang)["charts"]["bases"])


def _supplied_basis(r: dict) -> str:
    """What a row's ``supplied`` rests on: measured or proposed (before the ledger)."""
    b = r.get("supply_basis") if "supply_basis" in r else r.get("basis")
    return b if b in ("measured", "proposed") else "proposed"


def _target_marks(r: dict) -> tuple[float, float]:
    """Where the target lies, as % of its value: 100 (≥, >, =), 95–100 (about), 100 to the upper
    bound's share (a range)."""
    value, vmax = float(r["value"]), r.get("value_max")
    if r.get("comparator") == "~":
        return 100.0 * (1 - ABOUT_TOLERANCE), 100.0
    if r.get("comparator") == "range" and vmax is not None and not pd.isna(vmax) and value:
        return 100.0, 100.0 * float(vmax) / value
    return 100.0, 100.0


def group_label(group: str, lang: str = "zh") -> str:
    """A target group in words: 全市 / City, or the district's name."""
    return text(lang)["charts"]["city"] if group == CITY else district_label(group, lang)


def target_figures(targets: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Per target and figure, its value against the target: the bars of the targets' chart.

    A target gets a row per figure it has: what is supplied (measured or proposed), the progress
    ledger's latest figure (reported) and the indicative outlines' extent (never supply); a target
    with none gets one row of basis 'unknown'. ``decides`` marks the figure ``met`` is decided on.

    Parameters
    ----------
    targets : pandas.DataFrame
        ``plan.targets`` in the chart's unit (:func:`layers.units.in_unit`).
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    pandas.DataFrame
        target_id, label, group, group_label, order (the table's row), figure, basis,
        basis_label, value, unit, value_text, target_value, target_text, low_pct, high_pct
        (the target's mark), share_pct (value / target value, %), shown_pct (cut at
        :data:`SHARE_CAP`), decides, met.
    """
    words = basis_words(lang)
    groups = target_group(targets) if len(targets) else []
    i_lang = 0 if lang == "zh" else 1
    rows = []
    for order, (r, group) in enumerate(zip(targets.to_dict("records"), groups)):
        low, high = _target_marks(r)
        decided = r.get("met_decided_by")
        if "met_decided_by" not in r:  # no ledger joined: the figure decides where met is known
            decided = r.get("basis") if r.get("met") is not None else None
        common = {
            "target_id": r["target_id"],
            "label": target_name(r, lang),
            "group": group,
            "group_label": group_label(group, lang),
            "order": order,
            "unit": r["unit"],
            "target_value": float(r["value"]),
            "target_text": r.get(f"target_text_{lang}") or "",
            "low_pct": low,
            "high_pct": high,
            "met": MET_LABELS.get(r.get("met_status"), MET_LABELS["not_measurable"])[i_lang],
        }
        found = []
        for col, basis in _FIGURES:
            v = r.get(col)
            if v is None or pd.isna(v):
                continue
            basis = basis or _supplied_basis(r)
            found.append((col, basis, float(v)))
        for col, basis, v in found or [(None, "unknown", math.nan)]:
            share = 100.0 * v / common["target_value"] if common["target_value"] else math.nan
            rows.append(
                {
                    **common,
                    "figure": col,
                    "basis": basis,
                    "basis_label": words[basis],
                    "value": v,
                    "value_text": figure(v, r["unit"], lang) if col else words["unknown"],
                    "share_pct": share,
                    "shown_pct": min(share, SHARE_CAP) if not math.isnan(share) else 0.0,
                    "decides": col is not None
                    and basis in ("measured", "reported", "proposed")
                    and basis == decided,
                }
            )
    columns = [
        "target_id", "label", "group", "group_label", "order", "figure", "basis", "basis_label",
        "value", "unit", "value_text", "target_value", "target_text", "low_pct", "high_pct",
        "share_pct", "shown_pct", "decides", "met",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


@dataclass
class LedgerSeries:
    """One target's ledger entries over time (``points``: as_of, value in the target's unit,
    value_text, source, entered_by, entry, in_force) against its value (``low`` to ``high``: the
    target's mark in its unit) and year (``year_end``: its last day, or None)."""

    target_id: str
    label: str
    unit: str
    unit_text: str
    target_text: str
    target_value: float
    low: float
    high: float
    year_end: str | None
    points: pd.DataFrame


def ledger_series(entries: pd.DataFrame, target, lang: str = "zh") -> LedgerSeries:
    """A target's ledger entries over time, in the target row's unit.

    Parameters
    ----------
    entries : pandas.DataFrame
        Ledger entries (:meth:`layers.store.Store.entries`, :func:`layers.ledger.history` with
        ``in_force``, or the plan's progress); only ``target``'s are taken.
    target : mapping
        The target's row of ``plan.targets`` in the chart's unit.
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    LedgerSeries
    """
    t = dict(target)
    mine = entries[entries["target_id"] == t["target_id"]] if len(entries) else entries
    mine = mine.sort_values(["as_of", "entered_at", "id"], kind="stable") if len(mine) else mine
    values = [entry_value(float(v), u, t["unit"]) for v, u in zip(mine["value"], mine["unit"])]
    in_force = (
        mine["in_force"].astype(bool).to_numpy()
        if "in_force" in mine.columns
        else np.ones(len(mine), dtype=bool)
    )
    points = pd.DataFrame(
        {
            "as_of": [str(d) for d in mine["as_of"]],
            "value": values,
            "value_text": [figure(v, t["unit"], lang) for v in values],
            "source": [str(s) for s in mine["source"]],
            "entered_by": [str(s) for s in mine["entered_by"]],
            "entry": [int(i) for i in mine["id"]],
            "in_force": in_force,
        }
    )
    low, high = (p / 100.0 * float(t["value"]) for p in _target_marks(t))
    year = t.get("year")
    return LedgerSeries(
        target_id=t["target_id"],
        label=target_name(t, lang),
        unit=t["unit"],
        unit_text=unit_text(t["unit"], lang),
        target_text=t.get(f"target_text_{lang}") or "",
        target_value=float(t["value"]),
        low=low,
        high=high,
        year_end=None if year is None or pd.isna(year) else f"{int(year)}-12-31",
        points=points,
    )


def coverage_bars(coverage: pd.DataFrame, precisions: dict, lang: str = "zh") -> pd.DataFrame:
    """The districts' coverage by the parks in effect: the coverage chart's bars.

    Parameters
    ----------
    coverage : pandas.DataFrame
        ``plan.coverage`` in the chart's unit.
    precisions : dict of str to int
        The parks' precisions (``plan.precisions()``): the coverage rests on the weakest
        (indicative discs give an extent, not supply).
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    pandas.DataFrame
        zone_id, label, covered_pct, covered_area, zone_area, unit, value_text, basis,
        basis_label.
    """
    basis = supply_basis(precisions) if precisions else "unknown"
    words = basis_words(lang)
    out = pd.DataFrame(
        {
            "zone_id": coverage["zone_id"].to_numpy(),
            "label": [district_label(d, lang) for d in coverage["zone_id"]],
            "covered_pct": coverage["covered_pct"].astype(float).to_numpy(),
            "covered_area": coverage["covered_area"].astype(float).to_numpy(),
            "zone_area": coverage["zone_area"].astype(float).to_numpy(),
            "unit": coverage["unit"].to_numpy(),
        }
    )
    out["value_text"] = [
        f"{p:.1f}%（{figure(a, u, lang)}）" if lang == "zh" else f"{p:.1f}% ({figure(a, u, lang)})"
        for p, a, u in zip(out["covered_pct"], out["covered_area"], out["unit"])
    ]
    out["basis"] = basis
    out["basis_label"] = words[basis]
    return out
