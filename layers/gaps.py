"""Targets against supply, cluster gaps and records without outlines: geo/ wired to the catalog."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis import coverage, uncovered
from geo.area import project_for_area
from geo.units import M2_PER_UNIT, convert_area, is_area_unit, normalize_unit, unit_text

from .catalog import FEATURE_LAYERS, clusters, targets
from .catalog_files import layer_spec
from .load import load
from .units import in_unit, target_text  # noqa: F401 - target_text: its words, re-exported

#: Opinion place names -> district ids. 前海 (深港现代服务业合作区) lies in 南山 and 宝安, but is
#: not all of them.
PLACE_DISTRICTS = {
    "罗湖": ["luohu"],
    "福田": ["futian"],
    "南山": ["nanshan"],
    "盐田": ["yantian"],
    "宝安": ["baoan"],
    "龙岗": ["longgang"],
    "龙华": ["longhua"],
    "坪山": ["pingshan"],
    "光明": ["guangming"],
    "大鹏": ["dapeng"],
    "深汕": ["shenshan"],
    "前海": ["nanshan", "baoan"],
}
#: places that are a part of their districts: a feature carries a cluster there only if it lies in
#: or names the place (see :func:`carrier_features`), not because it is somewhere in the same
#: district (燕罗 is not 前海)
PARTIAL_PLACES = ("前海",)
#: other ways the documents write a place
_PLACE_ALIASES = {"前海合作区": "前海", "前海深港现代服务业合作区": "前海"}
#: outlines that may delimit a place (a drawn disc or a point says nothing about what lies inside
#: the place)
_PLACE_OUTLINE_PRECISION = ("official", "measured")
#: tolerance for "about" (~) targets: met when supply reaches 95% of the value
ABOUT_TOLERANCE = 0.05


def place_to_districts(place: str) -> list[str]:
    """District ids of a place name as the documents write it.

    E.g. '南山', '南山区', '大鹏新区', '前海合作区'.

    Parameters
    ----------
    place : str
        A place name.

    Returns
    -------
    list of str
        District ids (empty when it names none).
    """
    name = str(place).strip()
    name = _PLACE_ALIASES.get(name, name)
    for suffix in ("特别合作区", "新区", "区"):
        if name.endswith(suffix) and name[: -len(suffix)] in PLACE_DISTRICTS:
            name = name[: -len(suffix)]
    return PLACE_DISTRICTS.get(name, [])


def _listed(v) -> list:
    return list(v) if isinstance(v, (list, tuple, np.ndarray)) else []


def _text(v) -> str:
    return v if isinstance(v, str) else ""


def feature_places(frames: dict[str, gpd.GeoDataFrame]) -> dict[tuple[str, str], dict[str, str]]:
    """(layer id, feature id) -> {place: why} for the partial places a feature lies in or names.

    The places are those of :data:`PARTIAL_PLACES`.

    A feature is in a place when its name or location names the place (前海（宝安）深港创新集群区),
    when the catalog records a document saying so (``within_places_zh``, e.g. 001 L185
    "依托前海扩区后的…西乡铁仔山片区"), when its parent is, or when its geometry lies in an official
    or measured outline of a feature that is in the place by those rules. Points and indicative
    discs never delimit a place: no outline is invented for 前海.

    Parameters
    ----------
    frames : dict of str to geopandas.GeoDataFrame
        Park and zone layers by id.

    Returns
    -------
    dict
    """
    out: dict[tuple[str, str], dict[str, str]] = {}
    parents: dict[tuple[str, str], str] = {}
    for lid, gdf in frames.items():
        if "feature_id" not in gdf.columns:
            continue
        for r in gdf.itertuples():
            key, why = (lid, r.feature_id), {}
            name = _text(getattr(r, "name_zh", None))
            locs = [str(x) for x in _listed(getattr(r, "location_zh", None))]
            within = [str(x) for x in _listed(getattr(r, "within_places_zh", None))]
            for place in PARTIAL_PLACES:
                if place in name:
                    why[place] = f"name {name}"
                elif any(place in x for x in locs):
                    why[place] = "location " + "、".join(x for x in locs if place in x)
                elif place in within:
                    why[place] = "document " + (
                        _text(getattr(r, "within_source", None)) or "(stated in the catalog)"
                    )
            out[key] = why
            parent = getattr(r, "parent_id", None)
            if isinstance(parent, str) and parent:
                parents[key] = parent
    by_id = {key[1]: key for key in out}
    for _ in range(4):  # sub-areas of sub-areas
        for key, parent in parents.items():
            pkey = by_id.get(parent)
            for place in out.get(pkey) or {}:
                out[key].setdefault(place, f"part of {parent}")
    geoms = {
        lid: (
            gdf.geometry.to_crs(4326)
            if gdf.crs is not None and gdf.crs.to_epsg() != 4326
            else gdf.geometry
        )
        for lid, gdf in frames.items()
        if "feature_id" in gdf.columns
    }
    for place in PARTIAL_PLACES:
        outlines = []
        for lid, gdf in frames.items():
            if "precision" not in gdf.columns or lid not in geoms:
                continue
            for fid, prec, geom in zip(gdf["feature_id"], gdf["precision"], geoms[lid]):
                if (
                    place in out.get((lid, fid), {})
                    and prec in _PLACE_OUTLINE_PRECISION
                    and geom is not None
                    and shapely.area(geom) > 0
                ):
                    outlines.append(geom)
        if not outlines:
            continue
        extent = shapely.union_all(outlines)
        for lid, gdf in frames.items():
            if lid not in geoms:
                continue
            for fid, geom in zip(gdf["feature_id"], geoms[lid]):
                if geom is None or (lid, fid) not in out or place in out[(lid, fid)]:
                    continue
                if shapely.intersects(geom, extent) and not shapely.touches(geom, extent):
                    out[(lid, fid)][place] = "geometry in an official outline of " + place
    return out


def carrier_features(extra: dict[str, gpd.GeoDataFrame] | None = None) -> pd.DataFrame:
    """One row per (feature, lead cluster, district) over all park and zone layers (+ extra).

    ``places_zh`` lists the places of :data:`PARTIAL_PLACES` (前海) the feature lies in or names,
    and ``place_basis`` says why (see :func:`feature_places`).

    Parameters
    ----------
    extra : dict of str to geopandas.GeoDataFrame, optional
        More layers by id (e.g. an upload).

    Returns
    -------
    pandas.DataFrame
    """
    rows = []
    frames = {lid: load(lid) for lid in FEATURE_LAYERS}
    frames.update(extra or {})
    places = feature_places(frames)
    for lid, gdf in frames.items():
        if "lead_clusters" not in gdf.columns:
            continue
        for r in gdf.itertuples():
            where = places.get((lid, r.feature_id), {})
            for cid in _listed(r.lead_clusters):
                for did in _listed(getattr(r, "district_ids", None)) or [None]:
                    rows.append(
                        {
                            "layer_id": lid,
                            "feature_id": r.feature_id,
                            "name_zh": getattr(r, "name_zh", None),
                            "cluster_id": cid,
                            "district_id": did,
                            "places_zh": sorted(where),
                            "place_basis": "; ".join(f"{p}: {w}" for p, w in sorted(where.items())),
                        }
                    )
    return pd.DataFrame(
        rows,
        columns=[
            "layer_id",
            "feature_id",
            "name_zh",
            "cluster_id",
            "district_id",
            "places_zh",
            "place_basis",
        ],
    )


def cluster_gaps(
    district: str | None = None, extra: dict[str, gpd.GeoDataFrame] | None = None
) -> pd.DataFrame:
    """Cluster x place pairs the Opinion names where no park or zone carries the cluster.

    For a district, a carrier is a park or zone in that district leading the cluster. For a place
    that is only part of its districts (前海), it is a feature that lies in or names the place
    (``carrier_basis`` says why); a park elsewhere in 宝安 or 南山 does not carry a 前海 cluster.

    Parameters
    ----------
    district : str, optional
        Only this district (id or name).
    extra : dict of str to geopandas.GeoDataFrame, optional
        More carrier layers by id.

    Returns
    -------
    pandas.DataFrame
        One row per cluster and place without a carrier.
    """
    car = carrier_features(extra)
    rows = []
    for c in clusters().itertuples():
        for place in c.opinion_districts:
            dids = place_to_districts(place)
            if district and district not in dids:
                continue
            mine = car[car.cluster_id == c.cluster_id]
            name = _PLACE_ALIASES.get(str(place).strip(), str(place).strip())
            if name in PARTIAL_PLACES:
                mine = mine[mine["places_zh"].map(lambda v, p=name: p in v)]
                basis = "; ".join(
                    f"{r.feature_id} ({r.place_basis})"
                    for r in mine.drop_duplicates("feature_id")
                    .sort_values("feature_id")
                    .itertuples()
                )
            else:
                mine = mine[mine.district_id.isin(dids)]
                basis = "park or zone in the district" if len(mine) else ""
            carried_by = sorted(mine["feature_id"].unique().tolist())
            rows.append(
                {
                    "cluster_id": c.cluster_id,
                    "cluster_zh": c.name_zh,
                    "cluster_en": c.name_en,
                    "place_zh": place,
                    "district_ids": dids,
                    "carried_by": carried_by,
                    "carrier_basis": basis,
                    "gap": not carried_by,
                    "source": c.source,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "cluster_id",
            "cluster_zh",
            "cluster_en",
            "place_zh",
            "district_ids",
            "carried_by",
            "carrier_basis",
            "gap",
            "source",
        ],
    )


def gap_clusters_by_district(
    gaps: pd.DataFrame, lang: str = "zh", cluster: str | None = None
) -> dict[str, list[str]]:
    """District id -> names of the clusters the Opinion assigns there that no park or zone carries.

    ``gaps`` is a :func:`cluster_gaps` table; ``cluster`` keeps only that cluster's gaps.

    Parameters
    ----------
    gaps : pandas.DataFrame
        A :func:`cluster_gaps` table.
    lang : {'zh', 'en'}, default 'zh'
    cluster : str, optional
        A cluster id.

    Returns
    -------
    dict of str to list of str
    """
    g = gaps[gaps["gap"]]
    if cluster:
        g = g[g["cluster_id"] == cluster]
    out: dict[str, list[str]] = {}
    for names, name in zip(g["district_ids"], g["cluster_zh" if lang == "zh" else "cluster_en"]):
        for d in names:
            out.setdefault(d, [])
            if name not in out[d]:
                out[d].append(name)
    return out


def missing_outlines() -> pd.DataFrame:
    """Catalog records that have no geometry (outline or location not public).

    Returns
    -------
    pandas.DataFrame
    """
    rows = []
    for lid in FEATURE_LAYERS:
        g = load(lid)
        for r in g[g.geometry.isna()].itertuples():
            rows.append(
                {
                    "layer_id": lid,
                    "feature_id": r.feature_id,
                    "kind": r.kind,
                    "name_zh": r.name_zh,
                    "district_ids": r.district_ids,
                    "note": r.note,
                    "source": r.source,
                }
            )
    out = pd.DataFrame(
        rows,
        columns=["layer_id", "feature_id", "kind", "name_zh", "district_ids", "note", "source"],
    )
    # a name no publication gives stays None (pandas would make it NaN, and NaN reads as a name:
    # "nan：无公开边界")
    out["name_zh"] = out["name_zh"].astype(object).where(out["name_zh"].notna(), None)
    return out


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
]


def target_supply(
    unit: str = "km2",
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
    unit : str, default 'km2'
        Area unit.
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
    unit = normalize_unit(unit)  # a bad unit is said before any geometry is measured
    layers_ = {lid: load(lid) for lid in FEATURE_LAYERS}
    layers_.update(supply_layers or {})
    districts = load("districts")
    rows = []
    for t in targets().itertuples():
        if district and not (
            t.district_id == district
            or (t.scope in ("park", "site") and district in _districts_of_target(t, layers_))
        ):
            continue
        land = t.metric == "land_area"
        value_v = _to_unit(t.value, t.unit, "m2") if land else float(t.value)
        vmax = getattr(t, "value_max", None)
        vmax_v = (
            (_to_unit(vmax, t.unit, "m2") if land else float(vmax))
            if vmax is not None and pd.notna(vmax)
            else np.nan
        )
        out_unit = "m2" if land else t.unit
        row = {
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
        }
        feats = _counting_features(t, layers_)
        if (
            feats is None
            or t.metric not in ("land_area", "count")
            or bool(getattr(t, "per_feature", False))
        ):
            row.update(zip(("basis_note_zh", "basis_note"), _why_not_measurable(t)))
            rows.append(row)
            continue
        precision = (
            feats["precision"] if "precision" in feats else pd.Series("user", index=feats.index)
        )
        firm = precision.map(lambda p: _PRECISION_BASIS.get(str(p), "proposed")) != "indicative"
        supplied = _supply_figure(t, feats[firm.to_numpy()], districts)
        n_firm, n_ind = int(firm.sum()), int((~firm).sum())
        basis = supply_basis(precision[firm]) if n_firm else "indicative"
        layer_name = _layer_title(t.counts_toward)
        note_zh = (
            f"{layer_name[0]}中的 {n_firm} 个要素（{BASIS_LABELS[basis][0]}）" if n_firm else ""
        )
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
        row.update(measurable=True, basis=basis, basis_note_zh=note_zh, basis_note=note_en)
        if n_ind:
            row["indicative_extent"] = _supply_figure(t, feats, districts)
        met, status = (
            evaluate_met(t, supplied, value_v, vmax_v) if n_firm else (None, "unknown_indicative")
        )
        if n_ind and met is False:
            met, status = (
                None,
                "unknown_indicative",
            )  # the indicative parks might make up the difference
        if n_firm:
            row.update(supplied=supplied, surplus=max(supplied - value_v, 0.0))
            if status != "unknown_indicative":
                row["shortfall"] = max(value_v - supplied, 0.0)
        row.update(met=met, met_status=status)
        rows.append(row)
    # a district without targets still gets the columns (callers select them by name)
    return in_unit(pd.DataFrame(rows, columns=TARGET_SUPPLY_COLUMNS), unit)


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
        return float(coverage(feats, by=zone, unit="m2")["covered_area"].sum())
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


def basis_summary(ts: pd.DataFrame) -> dict[str, int]:
    """How many targets of a :func:`target_supply` table rest on each basis.

    Measured, proposed, only indicative, not measurable.

    Parameters
    ----------
    ts : pandas.DataFrame
        A :func:`target_supply` table.

    Returns
    -------
    dict of str to int
    """
    counts = ts["basis"].fillna("not_measurable").value_counts()
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
    met = int((ts["met_status"] == "met").sum())
    not_met = int((ts["met_status"] == "not_met").sum())
    if lang == "zh":
        return (
            f"共 {len(ts)} 个目标：实测 {c['measured']} 个，拟建情景 {c['proposed']} 个，"
            f"仅有示意边界 {c['indicative']} 个（是否达标未知），现有数据无法测量 "
            f"{c['not_measurable']} 个；"
            f"可判定的目标中达标 {met} 个、未达标 {not_met} 个。"
        )
    return (
        f"{len(ts)} targets: {c['measured']} measured, {c['proposed']} on proposed (what-if) "
        "parks, "
        f"{c['indicative']} only on indicative outlines (met unknown), {c['not_measurable']} not "
        "measurable "
        f"with the loaded data; of those that can be decided, {met} met and {not_met} not met."
    )


def _layer_title(layer_id: str) -> tuple[str, str]:
    try:
        spec = layer_spec(layer_id)
        return spec.get("name_zh", layer_id), spec.get("name_en", layer_id)
    except (OSError, TypeError):
        return str(layer_id), str(layer_id)


def _to_unit(value, target_unit, unit):
    """A target's value in its document's unit (km2, 万m2, ...) converted to ``unit``."""
    m2 = float(value) * M2_PER_UNIT.get(
        normalize_unit(target_unit) if is_area_unit(target_unit) else "", np.nan
    )
    return convert_area(m2, "m2", unit)


def _counting_features(t, layers_) -> gpd.GeoDataFrame | None:
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
    g = _counting_features(t, layers_)
    if g is None or "district_ids" not in g.columns:
        return set()
    return {d for ds in g["district_ids"] for d in (ds if isinstance(ds, list) else [])}


def uncovered_districts(layer_id: str = "sz20_parks") -> gpd.GeoDataFrame:
    """The part of each district not covered by a layer (for the map).

    Parameters
    ----------
    layer_id : str, default 'sz20_parks'
        A catalog layer id.

    Returns
    -------
    geopandas.GeoDataFrame
    """
    return uncovered(
        load(layer_id).dropna(subset=["geometry"]), by=load("districts"), zone_id="district_id"
    )


def _gap_unit(unit, lang: str) -> str:
    return "" if unit == "count" and lang != "zh" else unit_text(unit, lang)


def gaps_table(
    unit: str = "km2",
    district: str | None = None,
    supply_layers: dict[str, gpd.GeoDataFrame] | None = None,
) -> pd.DataFrame:
    """All gaps in one table (gap_type: target | cluster | no_outline), Chinese and English.

    ``supply_layers`` replaces or adds layers by id, as in :func:`target_supply`.

    Parameters
    ----------
    unit : str, default 'km2'
        Area unit.
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
    rows = []
    for r in target_supply(unit=unit, district=district, supply_layers=supply_layers).itertuples():
        if r.met_status == "not_met":
            rows.append(
                {
                    "gap_type": "target",
                    "id": r.target_id,
                    "district_id": r.scope_id,
                    "detail_zh": f"{r.name_zh}：目标 {r.target_text_zh}，"
                    f"现有（{BASIS_LABELS[r.basis][0]}）"
                    f"{r.supplied:,.2f}，缺口 {r.shortfall:,.2f} {_gap_unit(r.unit, 'zh')}",
                    "detail_en": f"{r.name_en}: target {r.target_text_en}, supplied "
                    f"({BASIS_LABELS[r.basis][1]}) "
                    f"{r.supplied:,.2f}, shortfall {r.shortfall:,.2f} {_gap_unit(r.unit, 'en')}",
                    "shortfall": r.shortfall,
                    "unit": r.unit,
                    "source": r.source,
                }
            )
    for r in cluster_gaps(district=district, extra=supply_layers).itertuples():
        if r.gap:
            rows.append(
                {
                    "gap_type": "cluster",
                    "id": r.cluster_id,
                    "district_id": ";".join(r.district_ids),
                    "detail_zh": f"{r.cluster_zh}：意见指定{r.place_zh}，但该区没有园区或片区承载",
                    "detail_en": f"{r.cluster_en}: the Opinion names {r.place_zh}, but no park or "
                    "zone there carries it",
                    "shortfall": np.nan,
                    "unit": None,
                    "source": r.source,
                }
            )
    for r in missing_outlines().itertuples():
        dids = r.district_ids if isinstance(r.district_ids, list) else []
        if district and district not in dids:
            continue
        rows.append(
            {
                "gap_type": "no_outline",
                "id": r.feature_id,
                "district_id": ";".join(dids),
                "detail_zh": f"{r.name_zh or '（名称未公开）'}：无公开边界",
                "detail_en": f"{r.feature_id}: no public outline",
                "shortfall": np.nan,
                "unit": None,
                "source": r.source,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "gap_type",
            "id",
            "district_id",
            "detail_zh",
            "detail_en",
            "shortfall",
            "unit",
            "source",
        ],
    )
