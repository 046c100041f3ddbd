"""Targets against supply: supply per target, its basis, met or not, the target as worded."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis import coverage
from geo.areas import project_for_area
from geo.units import M2_PER_UNIT, is_area_unit, normalize_unit

from .catalog_files import layer_spec
from .catalog_tables import FEATURE_LAYERS, RELATION_COLUMNS, targets
from .loading import load
from .units import in_unit, target_text

#: tolerance for "about" (~) targets: met when supply reaches 95% of the value
ABOUT_TOLERANCE = 0.05


def _met(comparator: str, supplied: float, value: float, value_max: float | None = None) -> bool:
    if comparator == ">":
        return supplied > value
    if comparator == ">=":
        return supplied >= value
    if comparator == "<=":
        return supplied <= value
    if comparator == "<":
        return supplied < value
    if comparator == "~":
        return supplied >= value * (1 - ABOUT_TOLERANCE)
    if comparator == "range":
        return (
            value <= supplied <= (value if value_max is None or pd.isna(value_max) else value_max)
        )
    return abs(supplied - value) <= 1e-9 * max(1.0, abs(value))


#: what a supply figure is measured on. 'measured': parcels, or outlines loaded and marked official;
#: 'proposed': drawn or uploaded what-if parks; 'indicative': the catalog's discs drawn at a stated
#: size.
BASIS_LABELS = {
    "measured": ("实测（地块或正式边界）", "measured (parcels or official outlines)"),
    "proposed": ("拟建（情景）", "proposed (what-if)"),
    "indicative": ("示意边界（仅示意范围，非供给）", "indicative outlines (an extent, not supply)"),
    "reported": ("填报（进度台账）", "reported (progress ledger)"),
    "not_measurable": ("现有数据无法测量", "not measurable with the loaded data"),
}
#: what the met column says, by status
MET_LABELS = {
    "met": ("达标", "met"),
    "not_met": ("未达标", "not met"),
    "unknown_indicative": ("未知（示意边界）", "unknown (indicative outlines)"),
    "not_measurable": ("无法测量", "not measurable"),
    "depends_on_wording": ("取决于文件措辞", "depends on the document's wording"),
}
#: precision values of features, by the basis they give a supply figure
_PRECISION_BASIS = {
    "official": "measured",
    "measured": "measured",
    "parcels": "measured",
    "proposed": "proposed",
    "user": "proposed",
    "drawn": "proposed",
    "indicative": "indicative",
    "none": "indicative",
}


def supply_basis(precisions) -> str:
    """'measured', 'proposed' or 'indicative': the weakest basis among the features' precisions.

    Parameters
    ----------
    precisions : iterable of str
        ``precision`` values of the features counted.

    Returns
    -------
    str
    """
    bases = {_PRECISION_BASIS.get(str(p), "proposed") for p in precisions}
    for b in ("indicative", "proposed"):
        if b in bases:
            return b
    return "measured"


def evaluate_met(
    t, supplied: float, value: float, value_max: float | None = None
) -> tuple[bool | None, str]:
    """Met (True/False) and its status for a measured or proposed figure, over every wording.

    Where the document words the same commitment with different comparators and they give
    different answers, met is None ('depends_on_wording').

    Parameters
    ----------
    t : pandas.Series or dict
        A target row (with its ``wordings``).
    supplied : float
        What counts toward it, in the target's unit.
    value, value_max : float
        The target's value (and upper bound of a range).

    Returns
    -------
    met : bool or None
    status : str
    """
    comps = [t.comparator] + [
        w.get("comparator") for w in (getattr(t, "wordings", None) or []) if w.get("comparator")
    ]
    answers = {bool(_met(c, supplied, value, value_max)) for c in dict.fromkeys(comps)}
    if len(answers) > 1:
        return None, "depends_on_wording"
    met = answers.pop()
    return met, "met" if met else "not_met"


#: columns of :func:`target_supply`
TARGET_SUPPLY_COLUMNS = [
    "target_id",
    "name_zh",
    "name_en",
    "scope",
    "scope_id",
    "metric",
    "comparator",
    "target_text_zh",
    "target_text_en",
    "value",
    "value_max",
    "supplied",
    "shortfall",
    "surplus",
    "indicative_extent",
    "met",
    "met_status",
    "basis",
    "basis_note_zh",
    "basis_note",
    "measurable",
    "unit",
    "target_unit",
    "year",
    "year_inferred",
    "source",
    "source_en",
    "source_ref",
    "wordings",
    "conflict_zh",
    "conflict_en",
    "place_zh",
    "place_en",
    "district_ids",
    "part_of",
    "related_to",
    "relation",
    "relation_zh",
    "relation_en",
]


def target_supply(
    district: str | None = None,
    supply_layers: dict[str, gpd.GeoDataFrame] | None = None,
) -> pd.DataFrame:
    """Each target against what counts toward it: supplied, shortfall, surplus, met, basis.

    Land-area targets are measured as the union area (EPSG:4547) of the features that count
    toward them, inside the target's district when its scope is a district. ``basis`` says
    what the figure rests on: 'measured' (parcels, outlines marked official), 'proposed'
    (what-if parks) or 'indicative' (catalog discs), None when nothing loaded can measure it.
    On indicative outlines the area goes to ``indicative_extent`` (an extent, not supply),
    ``supplied``/``shortfall`` stay empty and ``met`` is None (unknown). ``supply_layers``
    replaces or adds layers (an uploaded or drawn park layer) by id.

    Parameters
    ----------
    district : str, optional
        Only this district's targets (id or name).
    supply_layers : dict of str to geopandas.GeoDataFrame, optional
        Layers replacing or joining the catalog's (:func:`layers.scenario.layers_in_effect`).

    Returns
    -------
    pandas.DataFrame
        One row per target.

    Raises
    ------
    LandplanError
        An unknown unit or district.
    """
    layers_ = {lid: load(lid) for lid in FEATURE_LAYERS}
    layers_.update(supply_layers or {})
    districts = load("districts")
    rows = []
    for t in targets().itertuples():
        district_ids = list(t.district_ids)
        if t.scope in ("park", "site"):  # where the outlines in effect put it, too
            district_ids = sorted(set(district_ids) | _districts_of_target(t, layers_))
        if district and district not in district_ids:
            continue
        row = _target_row(t, district_ids)
        feats = counting_features(t, layers_)
        if (
            feats is None
            or t.metric not in ("land_area", "count")
            or bool(getattr(t, "per_feature", False))
        ):
            row.update(zip(("basis_note_zh", "basis_note"), _why_not_measurable(t)))
        else:
            row.update(_measured(t, feats, districts, row["value"], row["value_max"]))
        rows.append(row)
    return in_unit(pd.DataFrame(rows, columns=TARGET_SUPPLY_COLUMNS), "m2")


def _target_row(t, district_ids: list) -> dict:
    """A target's row before anything is measured: its words, value (m² for an area), source,
    place and relations; supply empty, not measurable."""
    land = t.metric == "land_area"
    value_v = _in_m2(t.value, t.unit) if land else float(t.value)
    vmax = getattr(t, "value_max", None)
    vmax_v = (
        (_in_m2(vmax, t.unit) if land else float(vmax))
        if vmax is not None and pd.notna(vmax)
        else np.nan
    )
    out_unit = "m2" if land else t.unit
    return {
        "target_id": t.target_id,
        "name_zh": t.name_zh,
        "name_en": t.name_en,
        "scope": t.scope,
        "scope_id": t.scope_id,
        "metric": t.metric,
        "comparator": t.comparator,
        "target_text_zh": target_text(t.comparator, value_v, out_unit, vmax_v, "zh"),
        "target_text_en": target_text(t.comparator, value_v, out_unit, vmax_v, "en"),
        "value": value_v,
        "value_max": vmax_v,
        "supplied": np.nan,
        "shortfall": np.nan,
        "surplus": np.nan,
        "indicative_extent": np.nan,
        "met": None,
        "met_status": "not_measurable",
        "basis": None,
        "measurable": False,
        "unit": out_unit,
        "target_unit": t.unit,
        "year": t.year,
        "year_inferred": bool(t.year_inferred),
        "source": t.source,
        "source_en": t.source_en,
        "source_ref": t.source_ref,
        "wordings": t.wordings,
        "conflict_zh": t.conflict_zh,
        "conflict_en": t.conflict_en,
        "place_zh": t.place_zh,
        "place_en": t.place_en,
        "district_ids": district_ids,
        **{c: _text(getattr(t, c)) for c in RELATION_COLUMNS},
    }


def _measured(t, feats: gpd.GeoDataFrame, districts, value: float, value_max: float) -> dict:
    """What the features counting toward a target give: supply on firm outlines (measured or
    proposed), the indicative outlines' extent apart (never supply), met and its basis."""
    precision = feats["precision"] if "precision" in feats else pd.Series("user", index=feats.index)
    firm = precision.map(lambda p: _PRECISION_BASIS.get(str(p), "proposed")) != "indicative"
    n_firm, n_ind = int(firm.sum()), int((~firm).sum())
    basis = supply_basis(precision[firm]) if n_firm else "indicative"
    note_zh, note_en = _basis_note(t, basis, n_firm, n_ind)
    out = {"measurable": True, "basis": basis, "basis_note_zh": note_zh, "basis_note": note_en}
    if n_ind:  # the indicative outlines alone: firm ones are supply, never counted twice
        out["indicative_extent"] = _supply_figure(t, feats[(~firm).to_numpy()], districts)
    if not n_firm:
        out.update(met=None, met_status="unknown_indicative")
        return out
    supplied = _supply_figure(t, feats[firm.to_numpy()], districts)
    met, status = evaluate_met(t, supplied, value, value_max)
    if n_ind and met is False:  # the indicative parks might make up the difference
        met, status = None, "unknown_indicative"
    out.update(supplied=supplied, surplus=max(supplied - value, 0.0), met=met, met_status=status)
    if status != "unknown_indicative":
        out["shortfall"] = max(value - supplied, 0.0)
    return out


def _basis_note(t, basis: str, n_firm: int, n_ind: int) -> tuple[str, str]:
    """What a target's figure rests on, in words: how many features of which layer, and the
    indicative outlines beside them that are an extent, not supply."""
    layer_name = _layer_title(t.counts_toward, t.counts_toward_kind)
    note_zh = f"{layer_name[0]}中的 {n_firm} 个要素（{BASIS_LABELS[basis][0]}）" if n_firm else ""
    note_en = (
        f"{n_firm} feature{'s' if n_firm != 1 else ''} of {layer_name[1]} "
        f"({BASIS_LABELS[basis][1]})"
        if n_firm
        else ""
    )
    if n_ind:
        note_zh += (
            "；另有" if n_firm else f"{layer_name[0]}中"
        ) + f" {n_ind} 个示意边界（仅示意范围，不计为供给）"
        note_en += (
            ("; plus " if n_firm else "")
            + f"{n_ind} indicative outline{'s' if n_ind != 1 else ''}"
            + ("" if n_firm else f" of {layer_name[1]}")
            + " (an extent, not supply)"
        )
    return note_zh, note_en


def _supply_figure(t, feats: gpd.GeoDataFrame, districts: gpd.GeoDataFrame) -> float:
    """What the features give toward a target: a count, or their union area in m².

    Only what lies in the target's district counts.
    """
    if t.metric == "count":
        return float(len(feats))
    if not len(feats):
        return 0.0
    if t.scope == "district":
        zone = districts[districts.district_id == t.scope_id]
        return float(coverage(feats, by=zone)["covered_area"].sum())
    proj = project_for_area(feats, 4547)
    return float(shapely.area(shapely.union_all(proj.geometry.values)))


def _why_not_measurable(t) -> tuple[str, str]:
    if bool(getattr(t, "per_feature", False)):
        return "单项标准：逐个项目核对", "a standard for each unit: check each project"
    if t.metric == "floor_area":
        return (
            "楼面（建筑）面积，无法由用地边界测量",
            "floor space: cannot be measured from land outlines",
        )
    parcels = getattr(t, "counts_parcels", None)
    if isinstance(parcels, (bool, np.bool_)) and parcels:  # NaN (not stated) is not a yes
        return (
            "可由地块数据测量（landplan parcels … --counts 用地代码）",
            "parcel data can measure it (landplan parcels … --counts CODES)",
        )
    return "已载入的图层中没有计入该目标的要素", "no loaded layer holds what counts toward it"


def commitments(ts: pd.DataFrame) -> pd.DataFrame:
    """The rows of a target table that are commitments: the parts of one (``part_of``) left out.

    One commitment is one target, however a document splits it (004's 4.5 km² in three sites).

    Parameters
    ----------
    ts : pandas.DataFrame
        A :func:`target_supply` or :func:`layers.catalog_tables.targets` table.

    Returns
    -------
    pandas.DataFrame
    """
    return ts[ts["part_of"].isna()] if "part_of" in ts.columns else ts


def basis_summary(ts: pd.DataFrame) -> dict[str, int]:
    """How many targets (commitments, :func:`commitments`) of a table rest on each basis.

    Measured, proposed, only indicative, not measurable; the parts of a commitment are not
    counted again.

    Parameters
    ----------
    ts : pandas.DataFrame
        A :func:`target_supply` table.

    Returns
    -------
    dict of str to int
    """
    counts = commitments(ts)["basis"].fillna("not_measurable").value_counts()
    return {k: int(counts.get(k, 0)) for k in BASIS_LABELS}


def basis_summary_text(ts: pd.DataFrame, lang: str = "zh") -> str:
    """One line for the page and the summary sheet: how many targets rest on what.

    Parameters
    ----------
    ts : pandas.DataFrame
        A :func:`target_supply` table.
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    str
    """
    c = basis_summary(ts)
    one = commitments(ts)
    n, parts = len(one), len(ts) - len(one)
    met = int((one["met_status"] == "met").sum())
    not_met = int((one["met_status"] == "not_met").sum())
    if lang == "zh":
        return (
            f"共 {n} 个目标"
            + (f"（另有 {parts} 个分项列在所属目标之下，不另计）" if parts else "")
            + f"：实测 {c['measured']} 个，拟建情景 {c['proposed']} 个，"
            + (f"进度台账填报 {c['reported']} 个，" if c["reported"] else "")
            + f"仅有示意边界 {c['indicative']} 个（是否达标未知），现有数据无法测量 "
            f"{c['not_measurable']} 个；"
            f"可判定的目标中达标 {met} 个、未达标 {not_met} 个。"
        )
    return (
        f"{n} targets"
        + (
            f" ({parts} part{'s' if parts != 1 else ''} listed under their target, not counted "
            "again)"
            if parts
            else ""
        )
        + f": {c['measured']} measured, {c['proposed']} on proposed (what-if) parks, "
        + (f"{c['reported']} reported in the progress ledger, " if c["reported"] else "")
        + f"{c['indicative']} only on indicative outlines (met unknown), {c['not_measurable']} not "
        "measurable "
        f"with the loaded data; of those that can be decided, {met} met and {not_met} not met."
    )


def _layer_title(layer_id: str, kind=None) -> tuple[str, str]:
    """The layer's name, or the document's name of the kind of its features a target counts."""
    try:
        spec = layer_spec(layer_id)
    except (OSError, TypeError):
        return str(layer_id), str(layer_id)
    named = (spec.get("kinds") or {}).get(kind) if isinstance(kind, str) else None
    spec = named or spec
    return spec.get("name_zh", layer_id), spec.get("name_en", layer_id)


def _text(v) -> str | None:
    """A catalog text field: None where the record has none (NaN in the table)."""
    return v if isinstance(v, str) and v else None


def _in_m2(value, target_unit) -> float:
    """A target's value in its document's unit (km2, 万m2, ...), in m²."""
    return float(value) * M2_PER_UNIT.get(
        normalize_unit(target_unit) if is_area_unit(target_unit) else "", np.nan
    )


def counting_features(t, layers_) -> gpd.GeoDataFrame | None:
    """The features of ``layers_`` (by id) that count toward target ``t`` (None: no layer does)."""
    lid = getattr(t, "counts_toward", None)
    if not isinstance(lid, str) or lid not in layers_:
        return None
    g = layers_[lid]
    g = g[g.geometry.notna()]
    kind = getattr(t, "counts_toward_kind", None)
    if isinstance(kind, str) and "kind" in g.columns:
        g = g[g["kind"] == kind]
    ids = getattr(t, "counts_feature_ids", None)
    if isinstance(ids, list) and ids and "feature_id" in g.columns:
        g = g[g["feature_id"].isin(ids)]
    return g


def _districts_of_target(t, layers_) -> set[str]:
    g = counting_features(t, layers_)
    if g is None or "district_ids" not in g.columns:
        return set()
    return {d for ds in g["district_ids"] for d in (ds if isinstance(ds, list) else [])}
