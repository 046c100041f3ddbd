"""The figures of the land-supply meeting's papers (供地会).

One scope, one unit, the layers in effect.

Every table is computed by the functions the ``landplan`` command prints
(:func:`layers.summary.district_coverage`, :func:`layers.targets.target_supply`,
:func:`layers.gaps.cluster_gaps`, :func:`layers.gaps.gaps_table`,
:func:`layers.summary.catalog_overlaps`), so a report equals ``landplan coverage/targets/gaps`` for
the same scope and unit. The writers (:mod:`landplan.report`) only write them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis import clip_to_zones
from geo.area import project_for_area
from geo.errors import LandplanError
from geo.units import OFFERED_UNITS, convert_area, normalize_unit

from .catalog import FEATURE_LAYERS
from .catalog_files import CATALOG_DIR
from .gap_table import gaps_table
from .gaps import cluster_gaps
from .load import data_dir, feature_ids, is_polygonal, load
from .scenario import PARK_LAYER
from .summary import catalog_overlaps, district_coverage, overlaps_in_district
from .targets import target_supply
from .units import in_unit

#: areas are measured in CGCS2000 / 3-degree Gauss-Kruger CM 114E
AREA_CRS = 4547
#: the Opinion's spatial gradient of the 20 parks (启动区 start-up, 拓展区 expansion, 储备区
#: reserve)
TIER_ORDER = ("启动区", "拓展区", "储备区")


@dataclass
class MeetingFigures:
    """Everything the meeting's papers show, for one scope ('city' or a district) and one unit."""

    scope: str
    district: str | None
    unit: str
    version: str
    districts: gpd.GeoDataFrame  #: the districts in scope
    coverage: pd.DataFrame  #: :func:`layers.summary.district_coverage` of the parks in effect
    tiers: pd.DataFrame  #: covered area per district and park tier
    targets: pd.DataFrame
    clusters: pd.DataFrame
    overlaps: gpd.GeoDataFrame
    gaps: pd.DataFrame
    parks: pd.DataFrame  #: one row per feature and district it lies in (see :func:`park_pieces`)
    features: dict = field(
        default_factory=dict
    )  #: layer id -> the layer in effect (catalog, upload, proposed)
    supply_layers: dict | None = None
    parcels: gpd.GeoDataFrame | None = (
        None  #: a scenario's parcels: they measure the targets they can
    )
    parcel_counts: tuple = ("M1", "M0")  #: the parcels' land-use codes that count

    def district_targets(self, did: str) -> pd.DataFrame:
        """The targets of one district (the scope's own table when the scope is that district)."""
        if self.district == did:
            return self.targets
        return _targets(self.unit, did, self.supply_layers, self.parcels, self.parcel_counts)

    def district_clusters(self, did: str) -> pd.DataFrame:
        """The cluster x district pairs of one district."""
        if self.district == did:
            return self.clusters
        return cluster_gaps(district=did, extra=self.supply_layers)


def data_version() -> str:
    """The package version and a hash of the catalog and shipped outlines.

    Printed on every sheet and page.

    Returns
    -------
    str
        'landplan 0.1.0 · data 1a2b3c4d5e6f'.
    """
    try:
        from importlib.metadata import version

        ver = version("landplan")
    except Exception:  # noqa: BLE001 - running from a checkout that is not installed
        ver = "dev"
    h = hashlib.sha256()
    files = sorted(CATALOG_DIR.rglob("*.yaml")) + sorted(
        p for p in data_dir().iterdir() if p.is_file()
    )
    for p in files:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return f"landplan {ver} · data {h.hexdigest()[:12]}"


def check_scope_unit(scope: str, unit: str, districts: gpd.GeoDataFrame) -> tuple[str | None, str]:
    """The district id (None for the city) and the unit of a meeting's papers.

    Parameters
    ----------
    scope : str
        'city' (also 'shenzhen', 全市) or a district id.
    unit : str
        One of the units offered to planners (:data:`geo.units.OFFERED_UNITS`), any accepted
        spelling.
    districts : geopandas.GeoDataFrame
        The districts layer.

    Returns
    -------
    tuple of (str or None, str)

    Raises
    ------
    LandplanError
        An unknown scope or a unit reports are not made in, in one sentence (Chinese and English).
    """
    unit = normalize_unit(unit)
    if unit not in OFFERED_UNITS:
        raise LandplanError(
            f"报告单位可用 {'、'.join(OFFERED_UNITS)}，不支持 {unit!r}。",
            f"Reports are in {', '.join(OFFERED_UNITS)}, not {unit!r}.",
        )
    scope = str(scope or "city").strip()
    if scope in ("city", "shenzhen", "全市"):
        return None, unit
    ids = list(districts["district_id"])
    if scope not in ids:
        raise LandplanError(
            f"未知范围 {scope!r}；可用 city 或区编号：{'、'.join(ids)}。",
            f"Unknown scope {scope!r}; use city or a district id: {', '.join(ids)}.",
        )
    return scope, unit


def _targets(unit, district, supply_layers, parcels, counts) -> pd.DataFrame:
    """The targets in scope; those a scenario's parcels can measure, from the parcels."""
    tg = target_supply(unit=unit, district=district, supply_layers=supply_layers)
    if parcels is None:
        return tg
    from .compare import with_parcel_supply

    return with_parcel_supply(tg, parcels, counts, unit)


def meeting_figures(
    scope: str = "city",
    unit: str = "km2",
    supply_layers: dict[str, gpd.GeoDataFrame] | None = None,
    parcels=None,
    parcel_counts=("M1", "M0"),
) -> MeetingFigures:
    """Compute the papers' figures for a scope ('city' or a district id) in one unit.

    Parameters
    ----------
    scope : str, default 'city'
        'city' or a district id.
    unit : str, default 'km2'
        km2, ha or mu (the units offered to planners).
    supply_layers : dict of str to geopandas.GeoDataFrame, optional
        The layers in effect (:func:`layers.scenario.layers_in_effect`): an upload, or the 20 parks
        with proposed parks, by layer id.
    parcels : geopandas.GeoDataFrame, optional
        A scenario's prepared parcels (:func:`layers.parcels.read_parcels`): they measure the
        targets parcels can (``counts_parcels``), counting the land-use codes ``parcel_counts``.
    parcel_counts : sequence of str, default ('M1', 'M0')

    Returns
    -------
    MeetingFigures
    """
    all_districts = load("districts")
    district, unit = check_scope_unit(scope, unit, all_districts)
    in_scope = (
        all_districts
        if district is None
        else all_districts[all_districts["district_id"] == district]
    )
    feats = {lid: load(lid) for lid in FEATURE_LAYERS}
    feats.update(supply_layers or {})
    parks_layer = feats[PARK_LAYER]  # the 20 parks, or what replaced them (layers_in_effect)

    cov = district_coverage(PARK_LAYER, unit, layer=parks_layer)
    tiers = tier_coverage(parks_layer, cov, unit)
    if district is not None:
        cov = cov[cov["zone_id"] == district].reset_index(drop=True)
        tiers = tiers[tiers["zone_id"] == district].reset_index(drop=True)
    ov = catalog_overlaps(unit=unit)
    if district is not None:
        ov = overlaps_in_district(ov, district)
    return MeetingFigures(
        scope=district or "city",
        district=district,
        unit=unit,
        version=data_version(),
        districts=in_scope,
        coverage=cov,
        tiers=tiers,
        targets=_targets(unit, district, supply_layers, parcels, parcel_counts),
        clusters=cluster_gaps(district=district, extra=supply_layers),
        gaps=gaps_table(unit=unit, district=district, supply_layers=supply_layers),
        overlaps=ov,
        parks=park_pieces(feats, in_scope, unit),
        features=feats,
        supply_layers=supply_layers,
        parcels=parcels,
        parcel_counts=tuple(parcel_counts),
    )


def tier_order(values) -> list[str]:
    """Tiers in the Opinion's order, others after them, 'unstated' last.

    Parameters
    ----------
    values : iterable of str

    Returns
    -------
    list of str
    """
    vals = {str(v) for v in values}
    return sorted(
        vals,
        key=lambda t: (
            t == "unstated",
            TIER_ORDER.index(t) if t in TIER_ORDER else len(TIER_ORDER),
            t,
        ),
    )


def tier_coverage(parks: gpd.GeoDataFrame, cov: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Covered area per district and park tier.

    Tiers are 启动区/拓展区/储备区 when known, 'unstated' otherwise.

    Parameters
    ----------
    parks : geopandas.GeoDataFrame
        The parks in effect.
    cov : pandas.DataFrame
        Their :func:`layers.summary.district_coverage`.
    unit : str

    Returns
    -------
    pandas.DataFrame
        zone_id and one column of covered area per tier.
    """
    tier = parks["tier"] if "tier" in parks.columns else pd.Series(None, index=parks.index)
    tier = tier.where(tier.notna(), "unstated").astype(str)
    out = cov[["zone_id"]].copy()
    groups = tier_order(tier.unique())
    if len(groups) <= 1:  # one tier: its coverage is the coverage
        out[groups[0] if groups else "unstated"] = cov["covered_area"].to_numpy()
        return out
    for g in groups:
        sub = parks[(tier == g).to_numpy()]
        out[g] = (
            district_coverage(PARK_LAYER, unit, layer=sub)["covered_area"].to_numpy()
            if is_polygonal(sub).any()
            else np.zeros(len(out))
        )
    return out


def _as_list(v) -> list:
    return list(v) if isinstance(v, (list, tuple, np.ndarray)) else []


def park_pieces(feats: dict, zones: gpd.GeoDataFrame, unit: str) -> pd.DataFrame:
    """One row per feature and district it lies in: part's area, whole drawn area, stated area.

    Points, lines and records without a public outline are listed in the districts they name,
    without an area.

    Parameters
    ----------
    feats : dict of str to geopandas.GeoDataFrame
        The layers in effect, by layer id.
    zones : geopandas.GeoDataFrame
        The districts in scope.
    unit : str

    Returns
    -------
    pandas.DataFrame
        layer_id, feature_id, names, kind, tier, precision, clusters, district_id, area, drawn_area,
        stated_area, stated_minus_drawn (areas in ``unit``), source, drawn_method(_zh), inference.
    """
    zproj = project_for_area(zones, AREA_CRS)
    rows = []
    for lid, g in feats.items():
        g = g.reset_index(drop=True)
        ids = feature_ids(g)

        def col(name, default=None, g=g):
            return g[name] if name in g.columns else pd.Series(default, index=g.index)

        names_zh, names_en = col("name_zh"), col("name_en")
        if "name_zh" not in g.columns:
            for alt in ("name", "NAME", "名称"):
                if alt in g.columns:
                    names_zh = g[alt]
        poly = is_polygonal(g)
        proj = project_for_area(g[poly], AREA_CRS) if poly.any() else None
        drawn = np.full(len(g), np.nan)
        if proj is not None:
            drawn[poly] = shapely.area(proj.geometry.values)
        stated = pd.to_numeric(col("stated_km2"), errors="coerce").to_numpy(dtype=float)
        base = pd.DataFrame(
            {
                "layer_id": lid,
                "feature_id": ids.to_numpy(),
                "name_zh": names_zh.to_numpy(),
                "name_en": names_en.to_numpy(),
                "kind": col("kind").to_numpy(),
                "tier": col("tier").to_numpy(),
                "precision": col("precision", "user").fillna("user").to_numpy(),
                "clusters": col("lead_clusters").map(_as_list).to_numpy(),
                "drawn_area": drawn,
                "stated_area": convert_area(stated, "km2", "m2"),
                "stated_comparator": col("stated_km2_comparator").to_numpy(),
                "source": col(
                    "source", f"uploaded file {g.attrs.get('source_name', lid)} (user-supplied)"
                )
                .fillna("")
                .astype(str)
                .to_numpy(),
                "drawn_method": col("drawn_method").to_numpy(),
                "drawn_method_zh": col("drawn_method_zh").to_numpy(),
                "inference": col("inference").to_numpy(),
            }
        )
        if proj is not None:
            il, iz, pieces = clip_to_zones(proj, zproj)
            m2 = shapely.area(pieces)
            keep = m2 >= 1.0  # slivers from boundary rounding are not a part
            part = base.iloc[np.flatnonzero(poly)[il[keep]]].copy()
            part["district_id"] = zones["district_id"].to_numpy()[iz[keep]]
            part["area"] = m2[keep]
            rows.append(part)
        other = base[~poly].copy()
        other["district_id"] = col("district_ids").map(_as_list).to_numpy()[~poly]
        other = other.explode("district_id")
        other = other[other["district_id"].isin(list(zones["district_id"]))]
        other["area"] = np.nan
        rows.append(other)
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    order = {d: i for i, d in enumerate(zones["district_id"])}
    out["_o"] = out["district_id"].map(order)
    out["_l"] = out["layer_id"].map({lid: i for i, lid in enumerate(feats)})
    out = (
        out.sort_values(["_o", "_l"], kind="stable")
        .drop(columns=["_o", "_l"])
        .reset_index(drop=True)
    )
    out = in_unit(out, unit, from_unit="m2")
    out["stated_minus_drawn"] = out["stated_area"] - out["drawn_area"]
    return out
