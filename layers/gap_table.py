"""The gaps table: targets not met, cluster gaps and records without outline, in one table."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.units import unit_text

from .gaps import cluster_gaps, missing_outlines
from .names import feature_name
from .supply import BASIS_LABELS, target_supply


def _gap_unit(unit, lang: str) -> str:
    return "" if unit == "count" and lang != "zh" else unit_text(unit, lang)


#: columns of :func:`gaps_from` (then ``detail_zh``/``detail_en`` from :func:`gap_details`)
GAP_COLUMNS = [
    "gap_type",
    "id",
    "district_id",
    "name_zh",
    "name_en",
    "place_zh",
    "comparator",
    "value",
    "value_max",
    "target_text_zh",
    "target_text_en",
    "supplied",
    "shortfall",
    "basis",
    "unit",
    "source",
]


def gaps_table(
    district: str | None = None,
    supply_layers: dict[str, gpd.GeoDataFrame] | None = None,
) -> pd.DataFrame:
    """All gaps in one table (gap_type: target | cluster | no_outline), Chinese and English.

    ``supply_layers`` replaces or adds layers by id, as in :func:`target_supply`. The same table
    as a plan's (:attr:`layers.plan.Plan.gaps`), areas in m², with the details in words.

    Parameters
    ----------
    district : str, optional
        Only this district (id or name).
    supply_layers : dict of str to geopandas.GeoDataFrame, optional
        Layers replacing or joining the catalog's.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    LandplanError
        An unknown unit or district.
    """
    tg = target_supply(district=district, supply_layers=supply_layers)
    table = gaps_from(
        tg, cluster_gaps(district=district, extra=supply_layers), missing_outlines(), district
    )
    return gap_details(table)


def gaps_from(
    targets_: pd.DataFrame,
    clusters_: pd.DataFrame,
    missing: pd.DataFrame,
    district: str | None = None,
) -> pd.DataFrame:
    """The gaps of a plan's tables: targets not met, cluster gaps, records without an outline.

    Parameters
    ----------
    targets_ : pandas.DataFrame
        A :func:`target_supply` table.
    clusters_ : pandas.DataFrame
        A :func:`cluster_gaps` table.
    missing : pandas.DataFrame
        A :func:`missing_outlines` table.
    district : str, optional
        Keep only the records without outline that lie in this district.

    Returns
    -------
    pandas.DataFrame
        :data:`GAP_COLUMNS`; a target's figures in its table's units.
    """
    rows = []
    not_met = targets_[targets_["met_status"] == "not_met"]
    for r in not_met.itertuples():
        rows.append(
            {
                "gap_type": "target",
                "id": r.target_id,
                "district_id": r.scope_id,
                "name_zh": r.name_zh,
                "name_en": r.name_en,
                "comparator": r.comparator,
                "value": r.value,
                "value_max": r.value_max,
                "target_text_zh": r.target_text_zh,
                "target_text_en": r.target_text_en,
                "supplied": r.supplied,
                "shortfall": r.shortfall,
                "basis": r.basis,
                "unit": r.unit,
                "source": r.source,
            }
        )
    for r in clusters_[clusters_["gap"].astype(bool)].itertuples():
        rows.append(
            {
                "gap_type": "cluster",
                "id": r.cluster_id,
                "district_id": ";".join(r.district_ids),
                "name_zh": r.cluster_zh,
                "name_en": r.cluster_en,
                "place_zh": r.place_zh,
                "source": r.source,
            }
        )
    for r in missing.itertuples():
        dids = r.district_ids if isinstance(r.district_ids, list) else []
        if district and district not in dids:
            continue
        rows.append(
            {
                "gap_type": "no_outline",
                "id": r.feature_id,
                "district_id": ";".join(dids),
                "name_zh": r.name_zh,
                "source": r.source,
            }
        )
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def gap_details(gaps: pd.DataFrame) -> pd.DataFrame:
    """``gaps`` (:func:`gaps_from`, in the unit it is shown in) with ``detail_zh``/``detail_en``.

    Parameters
    ----------
    gaps : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
        A copy with the two columns after ``district_id``.
    """
    zh, en = [], []
    for r in gaps.itertuples():
        if r.gap_type == "target":
            basis = BASIS_LABELS.get(r.basis, BASIS_LABELS["not_measurable"])
            dec = 0 if r.unit == "count" else 2  # a count is whole: 3 个, not 3.00 个
            zh.append(
                f"{r.name_zh}：目标 {r.target_text_zh}，现有 {r.supplied:,.{dec}f}，"
                f"缺口 {r.shortfall:,.{dec}f} {_gap_unit(r.unit, 'zh')}；依据：{basis[0]}"
            )
            unit_en = _gap_unit(r.unit, "en")
            en.append(
                f"{r.name_en}: target {r.target_text_en}, supplied {r.supplied:,.{dec}f}, "
                f"shortfall {r.shortfall:,.{dec}f} {unit_en}".rstrip()
                + f"; basis: {basis[1]}"
            )
        elif r.gap_type == "cluster":
            zh.append(f"{r.name_zh}：意见指定{r.place_zh}，但该区没有园区或片区承载")
            en.append(
                f"{r.name_en}: the Opinion names {r.place_zh}, but no park or zone there carries it"
            )
        else:
            name = r.name_zh if isinstance(r.name_zh, str) and r.name_zh else None
            zh.append(f"{name or '（名称未公开）'}：无公开边界")
            en.append(f"{feature_name(r.id, 'en')}: no public outline")
    out = gaps.copy()
    pos = out.columns.get_loc("district_id") + 1
    out.insert(pos, "detail_zh", zh)
    out.insert(pos + 1, "detail_en", en)
    return out
