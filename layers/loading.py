"""Load the shipped layers as GeoDataFrames in EPSG:4326, attributes joined from the catalog."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.crs import WGS84
from geo.errors import LandplanError, bilingual

from .catalog_files import layer_spec
from .catalog_tables import (  # noqa: F401 - catalog, data_dir: their old home
    FEATURE_LAYERS,
    LAYER_IDS,
    catalog,
    data_dir,
    format_source,
    source_ref,
)
from .drawing import DEFAULT_BELT_WIDTH_M, drawn_methods
from .names import land_area_source


def unknown_layer_error(layer_id: str) -> LandplanError:
    """The error for a layer id the catalog does not have, listing those it has.

    Parameters
    ----------
    layer_id : str
        What the user gave.

    Returns
    -------
    LandplanError
    """
    return LandplanError(
        f"没有名为 {layer_id!r} 的图层。现有图层：{', '.join(LAYER_IDS)}。",
        f"There is no layer {layer_id!r}. Layers that exist: {', '.join(LAYER_IDS)}. "
        "A path to a Shapefile, GeoPackage or GeoJSON also works where a layer is expected.",
    )


@cache
def _geometry(layer_id: str) -> gpd.GeoDataFrame:
    parts = [
        gpd.read_file(p, encoding="utf-8", engine="pyogrio")
        for p in sorted(data_dir().glob(f"{layer_id}.shp"))
        + sorted(data_dir().glob(f"{layer_id}__*.shp"))
    ]
    if not parts:
        return gpd.GeoDataFrame({"fid": []}, geometry=[], crs=WGS84)
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=parts[0].crs).to_crs(WGS84)


def _district_records() -> pd.DataFrame:
    spec = layer_spec("districts")
    rows = []
    for f in spec["features"]:
        rows.append(
            {
                "district_id": f["district_id"],
                "adcode": f.get("adcode"),
                "name_zh": f["name_zh"],
                "name_en": f["name_en"],
                "official_land_km2": f.get("official_land_km2"),
                "official_land_source": "; ".join(
                    filter(None, land_area_source(f["district_id"], "zh"))
                ),
                "precision": f["precision"],
                "source": spec["outline_source"],
                "cut_method": f.get("cut_method"),
                "area_note": f.get("area_note"),
            }
        )
    return pd.DataFrame(rows)


def _feature_records(layer_id: str) -> pd.DataFrame:
    spec = layer_spec(layer_id)
    rows = []
    for f in spec["features"]:
        rows.append(
            {
                "feature_id": f["feature_id"],
                "kind": f["kind"],
                "name_zh": f.get("name_zh"),
                "name_en": f.get("name_en"),
                "parent_id": f.get("parent_id"),
                "district_ids": list(f.get("district_ids") or []),
                "location_zh": list(f.get("location_zh") or []),
                "lead_clusters": list(f.get("lead_clusters") or []),
                "lead_industries_zh": f.get("lead_industries_zh"),
                "stated_km2": f.get("stated_km2"),
                "stated_km2_comparator": f.get("stated_km2_comparator"),
                "tier": f.get("tier"),
                "same_as": f.get("same_as"),
                "source": format_source(f.get("source")),
                "source_ref": source_ref(f.get("source")),
                "quote": f.get("quote"),
                "note": f.get("note"),
                # where the catalog takes a seed's park to be one of the city's 20 without a source
                # saying so
                "inference": f.get("inference"),
                # places (前海) a document says the feature lies in, beyond its districts; see
                # layers.gaps.feature_places
                "within_places_zh": [w["place_zh"] for w in f.get("within") or []],
                "within_source": "; ".join(
                    f"“{w.get('quote', '')}” ({format_source(w.get('source'))})"
                    for w in f.get("within") or []
                )
                or None,
            }
        )
    return pd.DataFrame(rows)


def load(layer_id: str, belt_width_m: float = DEFAULT_BELT_WIDTH_M) -> gpd.GeoDataFrame:
    """A shipped layer as a GeoDataFrame in EPSG:4326.

    Every catalog record is a row, also those whose outline is not public (geometry None,
    ``precision`` 'none'). Drawn park and zone outlines are ``precision`` 'indicative' and
    ``drawn_method`` (``drawn_method_zh`` in Chinese) says how they were drawn and how their size
    was chosen. For ``pingshan_zones`` the belt is both a
    line and a corridor polygon ``belt_width_m`` wide (measured in EPSG:4547).

    Parameters
    ----------
    layer_id : str
        A catalog layer id (:data:`LAYER_IDS`).
    belt_width_m : float, default DEFAULT_BELT_WIDTH_M
        Width of the Pingshan belt's corridor in metres.

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    LandplanError
        An unknown layer id.
    """
    if layer_id not in LAYER_IDS:
        raise unknown_layer_error(layer_id)
    geoms = _geometry(layer_id)
    key = "district_id" if layer_id == "districts" else "feature_id"
    records = _district_records() if layer_id == "districts" else _feature_records(layer_id)
    gdf = records.merge(geoms[["fid", "geometry"]], left_on=key, right_on="fid", how="left").drop(
        columns="fid"
    )
    gdf = gpd.GeoDataFrame(gdf, geometry="geometry", crs=WGS84)
    if layer_id in FEATURE_LAYERS:
        has = gdf.geometry.notna()
        gdf["precision"] = has.map({True: "indicative", False: "none"})
        gdf["drawn_method"] = gdf["feature_id"].map(drawn_methods()).where(has)
        gdf["drawn_method_zh"] = gdf["feature_id"].map(drawn_methods("zh")).where(has)
        if layer_id == "pingshan_zones":
            gdf = _add_belt_corridor(gdf, belt_width_m)
    gdf["layer_id"] = layer_id
    gdf.attrs["layer_id"] = layer_id
    return gdf


def _add_belt_corridor(gdf: gpd.GeoDataFrame, width_m: float) -> gpd.GeoDataFrame:
    belts = gdf[(gdf["kind"] == "belt") & gdf.geometry.notna()]
    if belts.empty:
        return gdf
    corridor = belts.copy()
    corridor["geometry"] = (
        belts.geometry.to_crs(4547).buffer(width_m / 2, cap_style="flat").to_crs(WGS84)
    )
    corridor["feature_id"] = belts["feature_id"] + "_corridor"
    corridor["kind"] = "belt_corridor"
    corridor["parent_id"] = belts["feature_id"]
    corridor["drawn_method"] = (
        belts["drawn_method"].fillna("")
        + f" Corridor: the line buffered {width_m / 2:g} m each side in EPSG:4547 "
        f"(width {width_m:g} m is a parameter, not a document figure)."
    )
    corridor["drawn_method_zh"] = (
        belts["drawn_method_zh"].fillna("")
        + f"走廊：将该线在 EPSG:4547 中向两侧各缓冲 {width_m / 2:g} 米"
        f"（宽度 {width_m:g} 米为参数，不是文件所述数字）。"
    )
    return gpd.GeoDataFrame(pd.concat([gdf, corridor], ignore_index=True), crs=WGS84)


def is_polygonal(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """Which features have an area outline: not points, lines or records without outline.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame

    Returns
    -------
    numpy.ndarray
        One bool per feature.
    """
    return (gdf.geometry.notna() & gdf.geom_type.isin(["Polygon", "MultiPolygon"])).to_numpy(
        dtype=bool
    )


def polygon_features(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The features of a layer that have an area.

    Of a catalog layer, points, lines and records without an outline are dropped; of a user's
    layer, what :func:`geo.polygons.keep_polygons` keeps (a layer without polygons comes back empty,
    its warning saying what it holds).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A catalog layer.

    Returns
    -------
    geopandas.GeoDataFrame
    """
    if gdf.attrs.get("layer_id") not in LAYER_IDS:
        from geo.polygons import keep_polygons

        out = keep_polygons(gdf, refuse=False)
        drawn = out.geometry.notna().to_numpy() & ~out.geometry.is_empty.to_numpy()
        return out if drawn.all() else out[drawn]
    keep = is_polygonal(gdf)
    out = gdf[keep].copy()
    out.attrs = dict(gdf.attrs)
    left = int((~keep).sum())
    if left:
        lid = gdf.attrs.get("layer_id")
        out.attrs["report"] = list(gdf.attrs.get("report", [])) + [
            bilingual(
                f"{'图层 ' + lid + ' 中' if lid else '图层中'}有 {left} 个要素没有面状轮廓（点、"
                "线或无公开轮廓），不计入面积分析。",
                f"{left} feature(s) of {lid or 'the layer'} without an area outline "
                "(points, lines or no public outline) are left out of the area analysis.",
            )
        ]
    return out


def resolve_layer(
    spec: str,
    layer: str | None = None,
    encoding: str | None = None,
    crs=None,
    for_area: bool = True,
    mask: gpd.GeoDataFrame | None = None,
    columns: list[str] | None = None,
) -> gpd.GeoDataFrame:
    """A layer by catalog id, path to a user's file (:func:`geo.io.read_layer`) or PostGIS URL.

    A database URL (``postgresql://user@host:port/db``) has ``layer`` naming the table.

    For area analyses (``for_area``) a layer keeps only its polygon features: a catalog layer's
    outlines, a user's polygons as :func:`geo.polygons.keep_polygons` keeps them (what was left out
    said, a layer without polygons refused).

    Parameters
    ----------
    spec : str
        Layer id, file path or ``postgresql://`` URL.
    layer, encoding, crs, mask, columns
        As :func:`geo.io.read_layer`.
    for_area : bool, default True
        Keep only the polygon features.

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    LandplanError
        An unknown layer id, or a file that cannot be read.
    """
    from geo.io import read_layer
    from geo.io.sql import is_db_url

    if spec in LAYER_IDS:
        gdf = load(spec)
        if not for_area:
            return gdf
        zones = polygon_features(gdf)
        if not len(zones):
            raise no_outlines_error(spec, gdf)
        return zones
    if is_db_url(spec):  # a PostGIS table: postgresql://user@host/db with layer=TABLE
        gdf = read_layer(spec, layer=layer, crs=crs, mask=mask, columns=columns)
        gdf.attrs.setdefault("layer_id", layer)
        check_offset(gdf, crs)
        return _polygons(gdf) if for_area else gdf
    p = Path(spec)
    if not p.exists() and p.suffix == "":
        raise unknown_layer_error(spec)
    gdf = read_layer(p, layer=layer, encoding=encoding, crs=crs, mask=mask, columns=columns)
    gdf.attrs.setdefault("layer_id", p.stem)
    check_offset(gdf, crs)
    return _polygons(gdf) if for_area else gdf


def _polygons(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A user's layer for an area analysis: its polygons (:func:`geo.polygons.keep_polygons`)."""
    from geo.polygons import keep_polygons

    return keep_polygons(gdf)


def no_outlines_error(layer_id: str, gdf: gpd.GeoDataFrame) -> LandplanError:
    """The error for a catalog layer with no outline at all, used where areas are measured.

    Parameters
    ----------
    layer_id : str
        The catalog layer id.
    gdf : geopandas.GeoDataFrame
        The layer as loaded.

    Returns
    -------
    LandplanError
    """
    from .names import layer_name

    points = int((gdf.geometry.notna() & ~gdf.geometry.is_empty).sum())
    bare = len(gdf) - points
    outlined = [lid for lid in LAYER_IDS if is_polygonal(load(lid)).any()]
    return LandplanError(
        f"图层“{layer_name(layer_id, 'zh')}”没有面状边界（{points} 个要素只有位置，"
        f"{bare} 个没有图形），不能用来计算面积。有边界的图层：{', '.join(outlined)}。",
        f"The layer '{layer_name(layer_id, 'en')}' has no outlines ({points} of its features "
        f"are locations only, {bare} have no geometry), so no area can be measured with it. "
        f"Layers with outlines: {', '.join(outlined)}.",
    )


def check_offset(gdf: gpd.GeoDataFrame, crs=None) -> None:
    """Warn when a user's lon/lat layer sits off the district outlines as GCJ-02/BD-09 do.

    The warning goes to ``attrs['report']``.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A user's layer as read.
    crs : optional
        The CRS the user stated (no check when it is an offset system).
    """
    from geo.crs import offset_system
    from geo.io import warn_if_offset

    if gdf.crs is not None and gdf.crs.is_geographic and not offset_system(crs) and len(gdf):
        warn_if_offset(gdf, load("districts"))


def feature_ids(gdf: gpd.GeoDataFrame) -> pd.Series:
    """The id column of a catalog layer, or a best guess for a user's file (id/name/index).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A layer.

    Returns
    -------
    pandas.Series
    """
    for col in ("feature_id", "district_id", "id", "ID", "fid", "name", "NAME", "名称"):
        if col in gdf.columns and gdf[col].notna().all() and gdf[col].is_unique:
            return gdf[col].astype(str)
    return pd.Series([str(i) for i in gdf.index], index=gdf.index)
