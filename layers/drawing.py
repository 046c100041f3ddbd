"""Indicative outlines for parks and zones whose official outlines are not published.

Used by scripts/build_layers.py only. Each drawn feature comes from an entry in
layers/catalog/anchors.yaml: an approximate location (point or line, WGS84), a size and
the basis of that size. Polygons are discs around the anchor, clipped to the feature's
districts, with the radius solved so the clipped disc has the intended size. A disc is
deliberately schematic: nobody should mistake it for a surveyed boundary.
"""

from __future__ import annotations

import math
from functools import cache

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


def _accuracy(text: str) -> str:
    """The '±2 km' of an anchor's accuracy note."""
    import re

    m = re.match(r"\s*(±\s*[\d.]+\s*k?m)", str(text))
    return m.group(1) if m else ""


def drawn_method_text(fid: str, lang: str = "zh", belt_width_m: float | None = None) -> str:
    """How a feature's indicative geometry was drawn, in words ('' when it was not drawn).

    Said from the anchor's fields (where a disc's size comes from, the location's accuracy) with
    features named, not by id: the column the reports show (:func:`drawn_methods` is the data's).

    Parameters
    ----------
    fid : str
        A feature id (a belt's corridor: '<belt>_corridor').
    lang : {'zh', 'en'}, default 'zh'
    belt_width_m : float, optional
        A corridor's width (default: the layers' :data:`layers.load.DEFAULT_BELT_WIDTH_M`).

    Returns
    -------
    str
    """
    from .load import DEFAULT_BELT_WIDTH_M

    w = _DRAWN_WORDS["zh" if lang == "zh" else "en"]
    width = DEFAULT_BELT_WIDTH_M if belt_width_m is None else belt_width_m
    corridor = str(fid).endswith("_corridor")
    base = str(fid)[: -len("_corridor")] if corridor else str(fid)
    a = read_catalog_file("anchors.yaml")["features"].get(base)
    if a is None:
        return ""
    names = _feature_names("zh" if lang == "zh" else "en")
    acc = _accuracy(a.get("accuracy", ""))
    acc = w["accuracy"].format(acc=acc) if acc else ""
    if "same_as" in a:
        how = w["same_as"].format(name=names.get(a["same_as"], a["same_as"]))
    elif "union_of" in a:
        how = w["union_of"].format(names=w["sep"].join(names.get(x, x) for x in a["union_of"]))
    elif "line" in a:
        how = w["line"].format(place=a["place"], acc=acc)
    elif "size_km2" in a:
        basis = str(a.get("size_basis", ""))
        basis = w["stated"] if basis.startswith("stated") else w["average"]
        how = w["disc"].format(place=a["place"], acc=acc, km2=f"{a['size_km2']:g}", basis=basis)
    else:
        how = w["point"].format(place=a["place"], acc=acc)
    if corridor:
        how += w["corridor"].format(half=f"{width / 2:g}", width=f"{width:g}")
    return how + w["indicative"]


@cache
def _feature_names(lang: str) -> dict[str, str]:
    """feature id -> its name in ``lang`` (the Chinese one where there is no English)."""
    key = "name_zh" if lang == "zh" else "name_en"
    unnamed = _DRAWN_WORDS[lang]["unnamed"]
    return {
        f["feature_id"]: f.get(key) or f.get("name_zh") or unnamed
        for lid in FEATURE_LAYERS
        for f in layer_spec(lid)["features"]
    }


_DRAWN_WORDS = {
    "zh": {
        "unnamed": "名称未公开的园区",
        "accuracy": "（误差约 {acc}）",
        "sep": "、",
        "same_as": "与{name}为同一示意边界。",
        "union_of": "{names}示意边界的并集。",
        "line": "沿{place}的折线，顶点取自公开地图{acc}。",
        "disc": "以{place}的大致位置{acc}为中心、面积 {km2} 平方公里（{basis}）的示意圆，"
        "裁至所在区。",
        "stated": "文件所述面积",
        "average": "平均园区面积：约 300 平方公里 / 20 个园区",
        "point": "{place}的大致位置{acc}，以点表示。",
        "corridor": "走廊：折线两侧各缓冲 {half} 米（EPSG:4547；宽度 {width} 米为参数，"
        "非文件数字）。",
        "indicative": "仅为示意：官方边界未公开。",
    },
    "en": {
        "unnamed": "an unnamed park",
        "accuracy": " (within about {acc})",
        "sep": ", ",
        "same_as": "The same indicative outline as {name}.",
        "union_of": "The union of the indicative outlines of {names}.",
        "line": "A polyline along {place}, vertices read off public maps{acc}.",
        "disc": "A disc of {km2} km² ({basis}) around the approximate location of {place}{acc}, "
        "clipped to its district(s).",
        "stated": "the area the document states",
        "average": "the average park size: about 300 km² / 20 parks",
        "point": "A point at the approximate location of {place}{acc}.",
        "corridor": " Corridor: the line buffered {half} m each side in EPSG:4547 (the width, "
        "{width} m, is a parameter, not a document figure).",
        "indicative": " Indicative only: the official outline is not published.",
    },
}


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
