"""Two scenarios side by side: per target and district, A's and B's figures and the change."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .units import in_unit

#: per-target figures compared (a number: a change column is added; text: A and B only)
TARGET_NUMBERS = ("supplied", "shortfall", "indicative_extent")
TARGET_TEXT = ("basis", "met_status")
DISTRICT_NUMBERS = ("covered_area", "covered_pct", "feature_count")
#: the progress ledger's figure each plan reads (:func:`layers.ledger.join_reported`): its value
#: (A, B and the change) and its date and source (A and B)
REPORTED = ("reported_value", "reported_as_of", "reported_source")


#: land-use codes of a scenario's parcels that count toward the targets parcels can measure (as on
#: the page)
PARCEL_COUNTS = ("M1", "M0")


def with_parcel_supply(
    ts: pd.DataFrame, parcels, counts=PARCEL_COUNTS, unit: str = "km2", statuses=None
) -> pd.DataFrame:
    """``ts`` with the targets a parcel layer measures taken from ``parcels``.

    For those targets (``counts_parcels``), supply, shortfall, met and basis 'measured' come from
    :func:`layers.parcel_totals.parcel_targets`.

    Parameters
    ----------
    ts : pandas.DataFrame
        A :func:`target_supply` table.
    parcels : geopandas.GeoDataFrame or None
        Parcels from :func:`layers.parcels.prepare_parcels` (None: ``ts`` as it is).
    counts : sequence of str, default PARCEL_COUNTS
        Land-use codes that count.
    unit : str, default 'km2'
        Area unit.
    statuses : sequence of str, optional
        Only parcels of these supply statuses count.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    LandplanError
        As :func:`layers.parcel_totals.parcel_targets`.
    """
    if parcels is None or not len(ts):
        return ts
    from .parcel_totals import parcel_targets

    pt = parcel_targets(
        parcels, list(counts), statuses=list(statuses) if statuses else None, unit=unit
    ).set_index("target_id")
    out = ts.copy()
    hit = out["target_id"].isin(pt.index).to_numpy()
    if not hit.any():
        return out
    ids = out.loc[hit, "target_id"]
    for col in ("supplied", "shortfall", "surplus", "met", "met_status", "basis", "basis_note"):
        if col in out.columns:
            if out[col].dtype != object and pt[col].dtype == object:
                out[col] = out[col].astype(object)
            out.loc[hit, col] = pt.loc[ids, col].to_numpy()
    if "measurable" in out.columns:
        out.loc[hit, "measurable"] = True
    if "basis_note_zh" in out.columns:
        out.loc[hit, "basis_note_zh"] = [
            f"地块实测（{'/'.join(counts)} 用地）" for _ in range(int(hit.sum()))
        ]
    if "indicative_extent" in out.columns:
        out.loc[hit, "indicative_extent"] = float("nan")
    return out


def compare_plans(a, b) -> dict[str, pd.DataFrame]:
    """Targets and districts of plans ``a`` and ``b`` side by side (areas in m²).

    Each figure is the plan's own (:class:`layers.plan.Plan`): nothing is measured again.

    Parameters
    ----------
    a, b : layers.plan.Plan
        Two plans with the same focus.

    Returns
    -------
    dict of str to pandas.DataFrame
        'targets': one row per target: target_id, names, target text, unit, then ``supplied_a``,
        ``supplied_b``, ``supplied_change`` (B − A), the same for shortfall and indicative_extent,
        and ``basis_a``/``basis_b``, ``met_status_a``/``met_status_b`` (the basis is kept beside the
        figures: on indicative outlines supply is empty and so is its change; the extents have their
        own change), ``reported_value_a/_b/_change`` and ``reported_as_of_a/_b``,
        ``reported_source_a/_b`` (the progress ledger each plan reads; empty without);
        'districts': zone_id, names, zone_area, unit, ``covered_area_a/_b/_change``,
        ``covered_pct_a/_b/_change``, ``feature_count_a/_b/_change``.
    """
    ta, tb = a.targets, b.targets.set_index("target_id").reindex(a.targets["target_id"])
    keys = ["target_id", "name_zh", "name_en", "target_text_zh", "target_text_en", "unit"]
    keys += ["metric", "comparator", "value", "value_max"]  # metric: floor space is not land
    t = ta[[k for k in keys if k in ta.columns]].copy()
    for col in TARGET_NUMBERS:
        va, vb = ta[col].astype(float).to_numpy(), tb[col].astype(float).to_numpy()
        t[f"{col}_a"], t[f"{col}_b"], t[f"{col}_change"] = va, vb, _change(va, vb)
    for col in TARGET_TEXT:
        t[f"{col}_a"], t[f"{col}_b"] = ta[col].to_numpy(), tb[col].to_numpy()
    for col in REPORTED:  # the ledger as each plan reads it (nothing reported: empty)
        va = ta[col].to_numpy() if col in ta.columns else np.full(len(ta), None, dtype=object)
        vb = tb[col].to_numpy() if col in tb.columns else np.full(len(ta), None, dtype=object)
        if col == "reported_value":
            va, vb = va.astype(float), vb.astype(float)
            t[f"{col}_change"] = _change(va, vb)
        t[f"{col}_a"], t[f"{col}_b"] = va, vb
    t["source"] = ta["source"].to_numpy()
    da, db = a.coverage, b.coverage.set_index("zone_id").reindex(a.coverage["zone_id"])
    d = da[["zone_id", "name_zh", "name_en", "zone_area", "unit"]].copy()
    for col in DISTRICT_NUMBERS:
        va, vb = da[col].astype(float).to_numpy(), db[col].astype(float).to_numpy()
        d[f"{col}_a"], d[f"{col}_b"], d[f"{col}_change"] = va, vb, _change(va, vb)
    return {"targets": t, "districts": d}


def _change(va: np.ndarray, vb: np.ndarray) -> np.ndarray:
    """B − A, with -0.0 written as 0.0 (a change that rounds to nothing has no sign)."""
    return (vb - va) + 0.0


def compare_scenarios(
    a, b, unit: str = "km2", counts=PARCEL_COUNTS, focus: str | None = None, store=None
) -> dict[str, pd.DataFrame]:
    """Targets and districts of scenarios ``a`` and ``b`` side by side, in ``unit``.

    :func:`compare_plans` of their plans (:func:`layers.plan.compute_plan`): a scenario's parcels
    measure the targets they can (``counts``: the land-use codes that count), as ``landplan
    parcels --counts`` does; with ``store``, each reads the progress ledger as it stood when it
    was saved (:func:`scenario_ledger`).

    Parameters
    ----------
    a, b : layers.store.Scenario or None
        Saved scenarios (None: the catalog as it is).
    unit : str, default 'km2'
        Area unit.
    counts : sequence of str, default ('M1', 'M0')
        Land-use codes of a scenario's parcels that count.
    focus : str, optional
        A district (None: the city).
    store : layers.store.Store, optional
        The plan store whose progress ledger the scenarios read.

    Returns
    -------
    dict of str to pandas.DataFrame
        As :func:`compare_plans`, areas in ``unit``.
    """
    from .plan import compute_plan

    def plan(sc):
        progress = scenario_ledger(store, sc) if store is not None else None
        return compute_plan(sc, focus, parcel_counts=counts, progress=progress)

    comp = compare_plans(plan(a), plan(b))
    return {k: in_unit(v, unit) for k, v in comp.items()}


def scenario_ledger(store, scenario) -> pd.DataFrame | None:
    """The progress ledger a saved scenario reads: every entry in force as the ledger stood when
    it was saved (later entries and corrections left out); the ledger as it stands for an unsaved
    one or for the catalog (``scenario`` None). None when nothing was entered.

    Parameters
    ----------
    store : layers.store.Store
    scenario : layers.store.Scenario or None

    Returns
    -------
    pandas.DataFrame or None
        As :func:`layers.plan.compute_plan` takes ``progress``.
    """
    from .ledger import in_force

    saved = getattr(scenario, "saved_at", "") or None
    ledger = in_force(store.entries(), recorded_before=saved)
    return ledger if len(ledger) else None
