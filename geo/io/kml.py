"""KML: its folders (GDAL layers), the one asked for, or all of them with the folder in a column."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from .gdal import _read_file


def _read_kml_folders(path: Path, layer, names, kwargs, report, shown) -> gpd.GeoDataFrame:
    """A KML's folders (GDAL layers): the one asked for, or all, each named in column 'folder'."""
    if layer is not None:
        others = [n for n in names if n != layer]
        gdf = _read_file(path, {**kwargs, "layer": layer}, report, shown)
        if others:
            report.note(
                f"只读取了文件夹 {layer!r}；{shown} 还有文件夹：{'、'.join(others[:10])}。",
                f"Only the folder {layer!r} was read; {shown} also has the folders "
                f"{', '.join(others[:10])}.",
            )
        return gdf
    parts = [(n, _read_file(path, {**kwargs, "layer": n}, report, shown)) for n in names]
    used = [(n, g) for n, g in parts if len(g)]
    if not used:
        return parts[0][1]
    gdf = pd.concat([g.assign(folder=n) for n, g in used], ignore_index=True)
    gdf = gpd.GeoDataFrame(gdf, geometry=used[0][1].geometry.name, crs=used[0][1].crs)
    if len(used) > 1:
        listed = ", ".join(f"{n} ({len(g)})" for n, g in used)
        report.note(
            f"已读取 {shown} 的全部 {len(used)} 个含要素的文件夹：{listed}（见 folder 列）；可用 "
            "--layer 只读其中一个。",
            f"All {len(used)} folders of {shown} with features were read: {listed} (column "
            "'folder'); "
            "choose one with --layer.",
        )
    return gdf
