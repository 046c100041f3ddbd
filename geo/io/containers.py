"""Files of several layers: their layers listed, one chosen.

GeoPackage and File Geodatabase; also the folders of a KML and the layers of a DXF.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pyogrio

from .archive import _extracted, _find_one, _plain_path
from .report import _fail

_MULTI_LAYER = (
    ".gpkg",
    ".gdb",
)  # one layer is read; the caller chooses with ``layer`` when there are several


def list_layers(path) -> list[tuple[str, str | None]]:
    """(name, geometry type) of every layer of a GeoPackage, FileGDB or KML.

    The geometry type is None for an attribute table.

    Parameters
    ----------
    path : str or pathlib.Path
        The file or .gdb folder.

    Returns
    -------
    list of (str, str or None)
    """
    with _plain_path(Path(path)) as p, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL's notes on M values: the read reports what it drops
        return [(str(n), None if t is None else str(t)) for n, t in pyogrio.list_layers(p)]


def container_layers(path) -> list[str]:
    """The layer names of a GeoPackage or File Geodatabase, to choose one from; else [].

    A File Geodatabase is a .gdb folder, or zipped.

    Parameters
    ----------
    path : str or pathlib.Path
        The file, .gdb folder or zip.

    Returns
    -------
    list of str

    Raises
    ------
    ReadError
        When a zip cannot be opened or holds no single layer.
    """
    path = Path(path)
    if path.suffix.lower() == ".zip":
        with _extracted(path) as folder:
            return container_layers(_find_one(folder, shown=path.name))
    if path.suffix.lower() in _MULTI_LAYER:
        return [n for n, _ in list_layers(path)]
    return []


def _choose_layer(path: Path, kind: str, layer, kwargs, shown: str) -> list[str]:
    """The layer names of a GeoPackage, File Geodatabase, KML or DXF.

    Of a GeoPackage or File Geodatabase, the layer to read is set in ``kwargs['layer']``. Refused: a
    file GDAL cannot open, a layer it does not have, several layers with none chosen, and a table
    without geometry.
    """
    try:
        layers_ = list_layers(path)
    except Exception as exc:  # noqa: BLE001 - GDAL raises many types
        detail = (
            str(exc).splitlines()[0].replace(str(path), shown)[:200]
            if str(exc)
            else type(exc).__name__
        )
        _fail(f"无法打开 {kind}：{shown}", f"{shown} could not be opened as a {kind} ({detail}).")
    names = [n for n, _ in layers_]
    if layer is not None and layer not in names:
        _fail(
            f"{shown} 中没有图层 {layer!r}；其图层为 {', '.join(names)}。",
            f"{shown} has no layer {layer!r}; its layers are {', '.join(names)}.",
        )
    if path.suffix.lower() in _MULTI_LAYER:
        if layer is None and len(names) > 1:
            _fail(
                f"{shown} 含多个图层（{', '.join(names)}），请用 --layer 选择。",
                f"{shown} has several layers ({', '.join(names)}); choose one with --layer.",
            )
        kwargs["layer"] = layer or (names[0] if names else None)
        if dict(layers_).get(kwargs["layer"], "") is None:
            _fail(
                f"{shown} 的图层 {kwargs['layer']!r} 是没有几何的属性表，无法制图或计算面积。",
                f"{shown}: the layer {kwargs['layer']!r} is a table without geometry (attributes "
                "only); "
                "there is nothing to map or measure. Choose a layer with geometry"
                + (
                    f" ({', '.join(n for n, t in layers_ if t)})."
                    if any(t for _, t in layers_)
                    else "."
                ),
            )
    return names
