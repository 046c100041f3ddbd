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

from .catalog_files import layer_spec, read_catalog_file
from .catalog_tables import FEATURE_LAYERS

#: default width of Pingshan's 坪山大道-丹梓大道 belt corridor (an indicative choice, not a document
#: figure)
DEFAULT_BELT_WIDTH_M = 1000.0

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


def drawn_methods(lang: str = "en") -> dict[str, str]:
    """feature_id -> how its indicative geometry was drawn, and how its size was chosen.

    A disc's size is a document's figure where one states it, else the average park size (about
    300 km² / 20 parks = 15 km², the same for every such disc): the text says which.

    Parameters
    ----------
    lang : {'en', 'zh'}, default 'en'

    Returns
    -------
    dict of str to str
    """
    from .catalog_tables import format_source

    zh = lang == "zh"
    anchors = read_catalog_file("anchors.yaml")
    common = (anchors["method_zh"] if zh else anchors["method"]).strip()
    avg = anchors["average_size"]
    names = _feature_names(zh)
    layer_of = {
        f["feature_id"]: layer_spec(lid).get("label_zh" if zh else "label_en")
        for lid in FEATURE_LAYERS
        for f in layer_spec(lid)["features"]
    }
    hows: dict[str, str] = {}

    def acc(a: dict) -> str:  # in Chinese, the '±2 km' alone (a note beside it is English)
        return (_accuracy(a["accuracy"]) or a["accuracy"]) if zh else a["accuracy"]

    # features drawn as another's outline come last: they repeat how that one was drawn
    for fid, a in sorted(anchors["features"].items(), key=lambda kv: "same_as" in kv[1]):
        if "same_as" in a:
            ref, where = names.get(a["same_as"]) or a["same_as"], layer_of.get(a["same_as"])
            first = hows.get(a["same_as"], "")
            how = (
                f"与{where}中的“{ref}”相同的示意边界。{first}"
                if zh
                else f"Same outline as {ref} in {where}. {first}"
            )
        elif "union_of" in a:
            refs = [names.get(r) or r for r in a["union_of"]]
            how = (
                f"{'、'.join(refs)} 示意边界的并集。"
                if zh
                else f"Union of the indicative outlines of {', '.join(refs)}."
            )
        elif "line" in a:
            how = (
                f"沿{a['place']}的折线，顶点取自公开地图（{acc(a)}）。"
                if zh
                else f"Polyline along {a['place']}, vertices read off public maps "
                f"({a['accuracy']})."
            )
        elif "size_km2" in a:
            how = _disc_text(a, avg, format_source, zh)
        else:
            how = (
                f"{a['place']}的大致位置（点，{acc(a)}）。"
                if zh
                else f"Point at the approximate location of {a['place']} ({a['accuracy']})."
            )
        hows[fid] = how
    sep = "" if zh else " "
    return {fid: f"{hows[fid]}{sep}{common}" for fid in anchors["features"]}


def indicative_size_note(lang: str = "zh") -> str:
    """One sentence on how the discs' sizes were chosen, for the notes under a table of extents.

    Parameters
    ----------
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    str
    """
    anchors = read_catalog_file("anchors.yaml")
    km2 = f"{anchors['average_size']['km2']:g}"
    zh = lang == "zh"
    names = _feature_names(zh)
    stated = [
        names[fid] for fid, a in anchors["features"].items() if a.get("size_basis") == "stated"
    ]
    if zh:
        return (
            f"没有文件给出各园区的面积：园区与片区的示意圆盘都按平均面积 {km2} 平方公里画出"
            f"（约 300 平方公里 ÷ 20 个园区）；只有{'、'.join(stated)}按文件所述面积画出。"
        )
    return (
        "No document gives the parks' sizes: the indicative discs of parks and zones are all "
        f"drawn at the average size of {km2} km² (about 300 km² / 20 parks); only "
        f"{', '.join(stated[:-1]) + ' and ' if len(stated) > 1 else ''}{stated[-1]} are drawn at "
        "the size a document states."
    )


def _feature_names(zh: bool) -> dict[str, str]:
    """feature_id -> its name in Chinese, or in English (the Chinese one where it has none)."""
    return {
        f["feature_id"]: f.get("name_zh") if zh else f.get("name_en") or f.get("name_zh")
        for lid in FEATURE_LAYERS
        for f in layer_spec(lid)["features"]
    }


def _disc_text(a: dict, avg: dict, format_source, zh: bool) -> str:
    """How a disc was drawn: its size (a document's, or the average park size) and centre."""
    km2 = f"{float(a['size_km2']):g}"
    near = _accuracy(a["accuracy"]) or a["accuracy"]
    where = (
        f"圆心为{a['place']}的大致位置（{near}），按所在区裁剪。"
        if zh
        else f"centred on the approximate location of {a['place']} ({a['accuracy']}), clipped "
        "to its district(s)."
    )
    if a.get("size_basis") == "stated":
        st = a["size_stated"]
        src = format_source(st["source"], "zh" if zh else "en")
        return (
            f"{km2} 平方公里的圆盘，面积为文件所述（“{st['quote']}”，{src}）；{where}"
            if zh
            else f"Disc of {km2} km², the size a document states (“{st['quote']}”, {src}); {where}"
        )
    src = format_source(avg["source"], "zh" if zh else "en")
    return (
        f"{km2} 平方公里的圆盘：没有文件给出其面积，按平均园区面积画出（约 300 平方公里 ÷ "
        f"20 个园区 = {avg['km2']:g} 平方公里，{src}），每个这样的圆盘都一样大；{where}"
        if zh
        else f"Disc of {km2} km²: no document gives its size, so it is drawn at the average park "
        f"size (about 300 km² / 20 parks = {avg['km2']:g} km², {src}), the same for every such "
        f"disc; {where}"
    )


def _accuracy(text: str) -> str:
    """The '±2 km' of an anchor's accuracy note."""
    import re

    m = re.match(r"\s*(±\s*[\d.]+\s*k?m)", str(text))
    return m.group(1) if m else ""


def drawn_method_text(fid: str, lang: str = "zh", belt_width_m: float | None = None) -> str:
    """How a feature's indicative geometry was drawn, in words ('' when it was not drawn): the
    sentence of :func:`drawn_methods`, and for a belt's corridor how wide it is drawn.

    Parameters
    ----------
    fid : str
        A feature id (a belt's corridor: '<belt>_corridor').
    lang : {'zh', 'en'}, default 'zh'
    belt_width_m : float, optional
        A corridor's width (default: the layers' :data:`DEFAULT_BELT_WIDTH_M`).

    Returns
    -------
    str
    """
    corridor = str(fid).endswith("_corridor")
    base = str(fid)[: -len("_corridor")] if corridor else str(fid)
    how = _drawn_methods("zh" if lang == "zh" else "en").get(base, "")
    if how and corridor:
        width = DEFAULT_BELT_WIDTH_M if belt_width_m is None else belt_width_m
        half, width = f"{width / 2:g}", f"{width:g}"
        how += (
            f"走廊：折线两侧各缓冲 {half} 米（EPSG:4547；宽度 {width} 米为参数，非文件数字）。"
            if lang == "zh"
            else f" Corridor: the line buffered {half} m each side in EPSG:4547 (the width, "
            f"{width} m, is a parameter, not a document figure)."
        )
    return how


@cache
def _drawn_methods(lang: str) -> dict[str, str]:
    return drawn_methods(lang)


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
