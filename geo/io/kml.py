"""Formats whose layers are read together (KML and KMZ folders, GPX, GML): the one asked for, or
all of them with the layer's name in a column."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from .gdal import _read_file

#: the column that names each feature's layer, and the layers' name in words (zh, en)
_WHAT = {"KML": ("folder", "文件夹", "folder"), "LIBKML": ("folder", "文件夹", "folder")}
_DEFAULT = ("layer", "图层", "layer")


def _read_layers(path: Path, layer, names, kwargs, report, shown, fmt) -> gpd.GeoDataFrame:
    """The layers of a KML/KMZ (its folders), GPX or GML: the one asked for, or all, each named in
    column 'folder' (KML, KMZ) or 'layer'."""
    column, zh, en = _WHAT.get(fmt.driver, _DEFAULT)
    if layer is not None:
        others = [n for n in names if n != layer]
        gdf = _read_file(path, {**kwargs, "layer": layer}, report, shown)
        if others:
            report.note(
                f"只读取了{zh} {layer!r}；{shown} 还有{zh}：{'、'.join(others[:10])}。",
                f"Only the {en} {layer!r} was read; {shown} also has the {en}s "
                f"{', '.join(others[:10])}.",
            )
        return gdf
    parts = [(n, _read_file(path, {**kwargs, "layer": n}, report, shown)) for n in names]
    used = [(n, g) for n, g in parts if len(g)]
    if not used:
        return parts[0][1]
    gdf = pd.concat([g.assign(**{column: n}) for n, g in used], ignore_index=True)
    gdf = gpd.GeoDataFrame(gdf, geometry=used[0][1].geometry.name, crs=used[0][1].crs)
    if len(used) > 1:
        listed = ", ".join(f"{n} ({len(g)})" for n, g in used)
        report.note(
            f"已读取 {shown} 的全部 {len(used)} 个含要素的{zh}：{listed}（见 {column} 列）；可用 "
            "--layer 只读其中一个。",
            f"All {len(used)} {en}s of {shown} with features were read: {listed} (column "
            f"'{column}'); choose one with --layer.",
        )
    return gdf
