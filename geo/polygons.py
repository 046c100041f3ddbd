"""The polygons of a user's layer, what else it holds said: the one rule wherever it is measured.

A layer of parks drawn in Google Earth holds placemarks and paths beside its outlines; a web tool
may write a park and its entrance as one GeometryCollection. Areas are measured on the polygons;
the points and lines are left out and said, and a layer with no polygon at all is refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import shapely

from .areas import GEOM_TYPE_NAMES, polygonal_part
from .errors import GeometryTypeError, bilingual

if TYPE_CHECKING:
    import geopandas as gpd

#: geometry types in words, for the sentence on what was left out (by shapely.get_type_id)
_TYPE_WORDS = {
    0: ("个点", "point"),
    1: ("条线", "line"),
    2: ("条线", "line"),
    4: ("个多点", "multi-point"),
    5: ("条多线", "multi-line"),
    7: ("个几何集合", "geometry collection"),
}


def _counted(types, lang: str) -> str:
    """'12 个点（Point）、3 条…' / '12 points (Point), 3 lines (LineString)' of type ids."""
    ids, n = np.unique(types, return_counts=True)
    parts = []
    for t, k in zip(ids, n):
        zh, en = _TYPE_WORDS.get(int(t), ("个要素", "feature"))
        name = GEOM_TYPE_NAMES[int(t)]
        parts.append(
            f"{k} {zh}（{name}）" if lang == "zh" else f"{k} {en}{'s' if k > 1 else ''} ({name})"
        )
    return ("、" if lang == "zh" else ", ").join(parts)


def keep_polygons(
    gdf: gpd.GeoDataFrame, what: str = "an area analysis", refuse: bool = True
) -> gpd.GeoDataFrame:
    """The layer's polygons, the rest said: the one rule wherever a user's layer is measured.

    Polygons are kept; a GeometryCollection keeps its polygons; points, lines and collections
    without a polygon are left out, and a warning (``attrs['report']``, ``attrs['warnings']``)
    says how many of which type. Features without geometry stay (they count as zero area).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A user's layer as read.
    what : str, default 'an area analysis'
        What needs polygons, for the refusal.
    refuse : bool, default True
        A layer with no polygon at all is refused; else it comes back without features and the
        warning says what it holds.

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    GeometryTypeError
        ``refuse`` and no polygon at all, naming what the layer holds.
    """
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    types = shapely.get_type_id(geoms)
    absent = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    collection = (types == 7) & ~absent
    if not (collection.any() or (~np.isin(types, (3, 6)) & ~absent).any()):
        return gdf
    parts = np.array([polygonal_part(g) for g in geoms[collection]], dtype=object)
    kept = np.isin(types, (3, 6)) | absent
    kept[np.flatnonzero(collection)[~shapely.is_empty(parts)]] = True
    left = types[~kept]
    if not (kept & ~absent).any():
        if refuse:
            raise GeometryTypeError(
                f"面积分析需要面图层，但该图层没有面：{_counted(left, 'zh')}。",
                f"{what.capitalize()} needs polygons, but this layer has none: "
                f"{_counted(left, 'en')}. Use a polygon layer (parks, zones, parcels), or buffer "
                "points/lines first.",
            )
        line = bilingual(
            f"该图层没有面，无法计算面积：{_counted(left, 'zh')}。",
            f"This layer has no polygons to measure: {_counted(left, 'en')}.",
        )
    else:
        said = []
        if len(left):
            said.append(
                (
                    f"{len(left)} 个要素不是面，未计入面积：{_counted(left, 'zh')}",
                    f"{len(left)} feature{'s' if len(left) > 1 else ''} that are not polygons "
                    f"were left out of the areas: {_counted(left, 'en')}",
                )
            )
        n_coll = int((~shapely.is_empty(parts)).sum())
        if n_coll:
            one = n_coll == 1
            said.append(
                (
                    f"{n_coll} 个几何集合（GeometryCollection）只计其中的面，其中的点和线未计入",
                    f"{n_coll} geometry collection{'' if one else 's'} (GeometryCollection) "
                    f"counted by {'its' if one else 'their'} polygons, "
                    f"{'its' if one else 'their'} points and lines left out",
                )
            )
        n_poly = int((kept & ~absent).sum())
        rest_zh = "其余 " if len(left) else " "
        line = bilingual(
            "；".join(zh for zh, _ in said) + f"；按{rest_zh}{n_poly} 个含面的要素计算。",
            "; ".join(en for _, en in said)
            + (
                f"; the {n_poly} features with polygons are measured."
                if n_poly > 1
                else "; the feature with polygons is measured."
            ),
        )
    out = gdf[kept].copy()
    if collection.any():
        mended = geoms.copy()
        mended[collection] = parts
        out[gdf.geometry.name] = _geoseries(mended[kept], out)
    out.attrs = dict(gdf.attrs)
    for key in ("report", "warnings"):
        out.attrs[key] = list(gdf.attrs.get(key, [])) + [line]
    return out


def _geoseries(geoms, like):
    """A GeoSeries of ``geoms`` on the index and CRS of ``like``."""
    import geopandas as gpd

    return gpd.GeoSeries(list(geoms), index=like.index, crs=like.crs)
