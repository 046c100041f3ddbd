"""Tables of a plan the land-supply meeting's papers (供地会) read: each park's parts by district,
the covered area by park phase, and the data version printed on every sheet and page.

:class:`layers.plan.Plan` computes them once (``park_pieces``, ``phases``, ``version``); the papers
(:mod:`landplan.report`) render a plan and compute nothing of their own.
"""

from __future__ import annotations

import hashlib

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis import clip_to_zones
from geo.areas import project_for_area
from geo.units import convert_area

from .catalog_files import CATALOG_DIR
from .loading import data_dir, feature_ids, is_polygonal
from .scenario import PARK_LAYER
from .summary import district_coverage

#: areas are measured in CGCS2000 / 3-degree Gauss-Kruger CM 114E
AREA_CRS = 4547
#: the Opinion's spatial gradient of the 20 parks (启动区 start-up, 拓展区 expansion, 储备区
#: reserve)
TIER_ORDER = ("启动区", "拓展区", "储备区")


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


def tier_coverage(parks: gpd.GeoDataFrame, cov: pd.DataFrame) -> pd.DataFrame:
    """Covered area per district and park tier.

    Tiers are 启动区/拓展区/储备区 when known, 'unstated' otherwise.

    Parameters
    ----------
    parks : geopandas.GeoDataFrame
        The parks in effect.
    cov : pandas.DataFrame
        Their :func:`layers.summary.district_coverage`.

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
            district_coverage(PARK_LAYER, layer=sub)["covered_area"].to_numpy()
            if is_polygonal(sub).any()
            else np.zeros(len(out))
        )
    return out


def _uploaded(name: str | None) -> str:
    """The source of an upload without one: its file, user-supplied (Chinese line, English line)."""
    if not name:
        return "上传图层（用户提供）\nuploaded layer (user-supplied)"
    return f"上传文件 {name}（用户提供）\nuploaded file {name} (user-supplied)"


def _as_list(v) -> list:
    return list(v) if isinstance(v, (list, tuple, np.ndarray)) else []


def park_pieces(feats: dict, zones: gpd.GeoDataFrame) -> pd.DataFrame:
    """One row per feature and district it lies in: part's area, whole drawn area, stated area.

    Points, lines and records without a public outline are listed in the districts they name,
    without an area.

    Parameters
    ----------
    feats : dict of str to geopandas.GeoDataFrame
        The layers in effect, by layer id.
    zones : geopandas.GeoDataFrame
        The districts in scope.

    Returns
    -------
    pandas.DataFrame
        layer_id, feature_id, names, kind, tier, precision, clusters, district_id, area, drawn_area,
        stated_area, stated_minus_drawn (areas in m²), source, drawn_method(_zh), inference.
    """
    zproj = project_for_area(zones, AREA_CRS)
    rows = []
    for lid, g in feats.items():
        rows += _layer_pieces(lid, g, zones, zproj)
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    order = {d: i for i, d in enumerate(zones["district_id"])}
    out["_o"] = out["district_id"].map(order)
    out["_l"] = out["layer_id"].map({lid: i for i, lid in enumerate(feats)})
    out = (
        out.sort_values(["_o", "_l"], kind="stable")
        .drop(columns=["_o", "_l"])
        .reset_index(drop=True)
    )
    out["stated_minus_drawn"] = out["stated_area"] - out["drawn_area"]
    return out


def _layer_pieces(lid: str, g: gpd.GeoDataFrame, zones, zproj) -> list[pd.DataFrame]:
    """The rows of :func:`park_pieces` for one layer: its polygons cut by the districts (parts of a
    square metre or more), then its points, lines and records without an outline in the districts
    they name."""
    rows = []
    g = g.reset_index(drop=True)
    ids = feature_ids(g)

    def col(name, default=None, g=g):
        return g[name] if name in g.columns else pd.Series(default, index=g.index)

    names_zh, names_en = col("name_zh"), col("name_en")
    for alt in ("name", "NAME", "名称"):  # a user's own name column (proposed parks too)
        if alt in g.columns:
            names_zh = names_zh.where(names_zh.notna(), g[alt])
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
            "source": col("source", _uploaded(g.attrs.get("source_name")))
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
    return rows
