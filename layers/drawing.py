"""Indicative outlines for parks and zones whose official outlines are not published.

Used by scripts/build_layers.py only. Each drawn feature comes from an entry in
layers/catalog/anchors.yaml: an approximate location (point or line, WGS84), a size and
the basis of that size. Polygons are discs around the anchor, clipped to the feature's
districts, with the radius solved so the clipped disc has the intended size. A disc is
deliberately schematic: nobody should mistake it for a surveyed boundary.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import WGS84

from .catalog import FEATURE_LAYERS
from .catalog_files import layer_spec, read_catalog_file

AREA_CRS = 4547


def _disc_clipped(center_xy, km2: float, clip) -> shapely.Geometry:
    """Disc around ``center_xy`` (EPSG:4547) clipped to ``clip``, with area ``km2``."""
    target = km2 * 1e6
    center = shapely.Point(center_xy)
    lo, hi = math.sqrt(target / math.pi), math.sqrt(target / math.pi) * 4
    for _ in range(60):
        mid = (lo + hi) / 2
        a = shapely.intersection(center.buffer(mid, quad_segs=32), clip).area
        lo, hi = (mid, hi) if a < target else (lo, mid)
    return shapely.intersection(center.buffer(hi, quad_segs=32), clip)


def drawn_methods() -> dict[str, str]:
    """feature_id -> how its indicative geometry was drawn (text for data, map and reports).

    Returns
    -------
    dict of str to str
    """
    anchors = read_catalog_file("anchors.yaml")
    common = anchors["method"].strip()
    out = {}
    for fid, a in anchors["features"].items():
        if "same_as" in a:
            how = f"Same outline as {a['same_as']}."
        elif "union_of" in a:
            how = f"Union of the indicative outlines of {', '.join(a['union_of'])}."
        elif "line" in a:
            how = f"Polyline along {a['place']}, vertices read off public maps ({a['accuracy']})."
        elif "size_km2" in a:
            how = (
                f"Disc of {a['size_km2']} km² ({a['size_basis']}) around the approximate location "
                "of "
                f"{a['place']} ({a['accuracy']}), clipped to its district(s)."
            )
        else:
            how = f"Point at the approximate location of {a['place']} ({a['accuracy']})."
        out[fid] = f"{how} {common}"
    return out


def draw_indicative_layers(districts: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    """Draw every anchored feature; returns {layer file name: GeoDataFrame in EPSG:4326}.

    Layers with several geometry types are split into ``<layer>__point`` / ``__line`` files.

    Parameters
    ----------
    districts : geopandas.GeoDataFrame
        The district outlines (EPSG:4326).

    Returns
    -------
    dict of str to geopandas.GeoDataFrame
    """
    anchors = read_catalog_file("anchors.yaml")
    dist = districts.set_index("fid").to_crs(AREA_CRS).geometry
    drawn: dict[str, shapely.Geometry] = {}
    layer_of = {f["feature_id"]: lid for lid in FEATURE_LAYERS for f in layer_spec(lid)["features"]}
    feature = {f["feature_id"]: f for lid in FEATURE_LAYERS for f in layer_spec(lid)["features"]}

    pending = dict(anchors["features"])
    for _ in range(4):  # unions and same_as refer to features drawn earlier
        for fid, a in list(pending.items()):
            if fid not in feature:
                raise KeyError(f"anchors.yaml names unknown feature {fid}")
            clip = shapely.union_all(dist.loc[feature[fid]["district_ids"]].values)
            if "same_as" in a or "union_of" in a:
                refs = [a["same_as"]] if "same_as" in a else a["union_of"]
                if not all(r in drawn for r in refs):
                    continue
                geom = shapely.union_all([drawn[r] for r in refs])
            elif "line" in a:
                xy = _to_4547(np.array(a["line"], dtype=float))
                geom = shapely.LineString(xy)
            elif "size_km2" in a:
                xy = _to_4547(np.array([a["lonlat"]], dtype=float))[0]
                geom = _disc_clipped(xy, float(a["size_km2"]), clip)
            else:
                xy = _to_4547(np.array([a["lonlat"]], dtype=float))[0]
                geom = shapely.Point(xy)
            drawn[fid] = geom
            del pending[fid]
    if pending:
        raise ValueError(f"could not draw (unresolved references): {sorted(pending)}")

    frames: dict[str, list] = {}
    for fid, geom in drawn.items():
        suffix = {"Point": "__point", "LineString": "__line"}.get(geom.geom_type, "")
        frames.setdefault(layer_of[fid] + suffix, []).append({"fid": fid, "geometry": geom})
    out = {}
    for name, rows in frames.items():
        out[name] = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=AREA_CRS).to_crs(
            WGS84
        )
    return out


def _to_4547(lonlat: np.ndarray) -> np.ndarray:
    pts = gpd.GeoSeries(shapely.points(lonlat), crs=WGS84).to_crs(AREA_CRS)
    return shapely.get_coordinates(pts.values)
