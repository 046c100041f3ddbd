"""Reported figures beside measured ones: a target-supply table with the ledger joined.

See :func:`join_reported` for which figure decides whether a target is met.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from geo.errors import bilingual
from geo.units import convert_area
from layers.supply import BASIS_LABELS

from .entry import blank, unit_family

#: the fourth basis of a target's figure, beside measured, proposed and indicative (its words are
#: the targets' table of bases)
REPORTED_LABELS = BASIS_LABELS["reported"]
#: what :func:`join_reported` adds to a target-supply table
REPORTED_COLUMNS = (
    "reported_value",
    "reported_as_of",
    "reported_source",
    "reported_by",
    "reported_note",
    "reported_entry",
    "met_decided_by",
    "supply_basis",
)


def entry_value(value: float, unit: str, row_unit) -> float:
    """An entry's value in a table row's unit (an area converted); NaN where the units are of
    different kinds."""
    if unit_family(unit) != unit_family(row_unit):
        return math.nan
    if unit_family(unit) == "area":
        return float(convert_area(value, unit, row_unit))
    return float(value)


def join_reported(supply: pd.DataFrame, latest: pd.DataFrame) -> pd.DataFrame:
    """A target-supply table with the ledger's figures beside the measured ones; ``met`` decided.

    Adds ``reported_value`` (in the row's ``unit``), ``reported_as_of``, ``reported_source``,
    ``reported_by``, ``reported_note``, ``reported_entry`` (the entry's id) and
    ``met_decided_by``. The rule for ``met``:

    1. A measurement that decides (``basis`` 'measured' and ``met_status`` not
       'unknown_indicative') wins: ``met`` stays, the reported figure is shown beside it.
    2. Otherwise a reported figure decides: ``met`` is evaluated on it with the target's own
       comparator and wordings (:func:`layers.supply.evaluate_met`: ≥, >, ~ within
       ``ABOUT_TOLERANCE``, ranges, =), ``basis`` becomes 'reported', ``shortfall`` and
       ``surplus`` are reckoned from it; ``supplied`` and ``indicative_extent`` keep what the
       outlines give (a proposal or an indicative extent is never what stands).
    3. Without an entry nothing changes: a proposal decides a what-if, indicative outlines decide
       nothing.

    ``met_decided_by`` says which: 'measured', 'reported', 'proposed' or None (met unknown);
    ``supply_basis`` keeps what ``supplied`` rests on (the basis before the ledger).

    Parameters
    ----------
    supply : pandas.DataFrame
        :func:`layers.supply.target_supply` (extra columns are kept).
    latest : pandas.DataFrame
        :func:`latest_entries` or :func:`latest_in_force`.

    Returns
    -------
    pandas.DataFrame
    """
    from layers.supply import evaluate_met

    out = supply.copy()
    out.attrs = dict(supply.attrs)
    for c in REPORTED_COLUMNS:
        out[c] = pd.Series([None] * len(out), index=out.index, dtype=object)
    out["reported_value"] = np.nan
    out["supply_basis"] = supply["basis"].to_numpy() if "basis" in supply.columns else None
    if "target_id" not in latest.columns:  # no ledger (an empty frame): nothing reported
        latest = pd.DataFrame(columns=["target_id"])
    by_target = latest.drop_duplicates("target_id", keep="last").set_index("target_id")
    for i, row in out.iterrows():
        decided = (
            "measured"
            if row.get("basis") == "measured" and row.get("met_status") != "unknown_indicative"
            else None
        )
        if row["target_id"] in by_target.index:
            e = by_target.loc[row["target_id"]]
            value = entry_value(float(e["value"]), e["unit"], row["unit"])
            if math.isnan(value):  # the target's unit changed kind since: said, not joined
                out.attrs.setdefault("warnings", []).append(_unit_changed(e, row))
                out.at[i, "met_decided_by"] = decided
                continue
            out.loc[i, ["reported_as_of", "reported_source", "reported_by", "reported_note"]] = [
                e["as_of"],
                e["source"],
                e["entered_by"],
                e["note"],
            ]
            out.at[i, "reported_value"] = value
            out.at[i, "reported_entry"] = int(e["id"])
            if decided is None:
                met, status = evaluate_met(
                    row, _exact(value), _exact(row["value"]), _exact(row.get("value_max"))
                )
                note = (
                    f"台账填报：截至 {e['as_of']}，依据 {e['source']}",
                    f"reported in the ledger: as of {e['as_of']}, per {e['source']}",
                )
                out.loc[i, ["met", "met_status", "basis"]] = [met, status, "reported"]
                out.loc[i, ["basis_note_zh", "basis_note"]] = [
                    "；".join(filter(None, [note[0], _text(row.get("basis_note_zh"))])),
                    "; ".join(filter(None, [note[1], _text(row.get("basis_note"))])),
                ]
                out.at[i, "shortfall"] = max(row["value"] - value, 0.0)
                out.at[i, "surplus"] = max(value - row["value"], 0.0)
                decided = "reported"
        if decided is None and row.get("basis") == "proposed" and row.get("met") is not None:
            decided = "proposed"
        out.at[i, "met_decided_by"] = decided
    return out


def _exact(v):
    """A figure to 12 significant digits: 3,580 公顷 is 35.8 km² (not 35.799999999999997)."""
    return v if v is None or pd.isna(v) else float(f"{float(v):.12g}")


def _unit_changed(e, row) -> str:
    return bilingual(
        f"台账条目 {int(e['id'])} 的单位（{e['unit']}）与目标 {row['target_id']} 现在的单位"
        f"（{row['unit']}）不是同一类，未计入。",
        f"Ledger entry {int(e['id'])} is in {e['unit']}, which is not of the kind of target "
        f"{row['target_id']}'s unit now ({row['unit']}); it is left out.",
    )


def _text(v) -> str:
    return "" if blank(v) else str(v)
