"""Files of several layers: their layers listed, one chosen.

The formats whose layers are chosen (``layers='choose'`` in :data:`geo.io.formats.FORMATS`:
GeoPackage, File Geodatabase, SpatiaLite, TopoJSON) and zips of several sources; also the layers
of the formats read whole (KML folders, GPX, GML) and of a DXF.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pyogrio

from .archive import _extracted, _plain_path, zip_sources
from .formats import format_read
from .report import _fail


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
    """The layers to choose from, with geometry, in the file's order; [] when there is no choice.

    Of a GeoPackage, File Geodatabase, SpatiaLite or TopoJSON file (tables without geometry are
    left out: they cannot be mapped or measured), or of a zip: its sources when it holds several
    (a zip of several Shapefiles), else those of the one source inside.

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
        When a zip cannot be opened or holds no layer.
    """
    path = Path(path)
    if path.suffix.lower() == ".zip":
        with _extracted(path) as folder:
            sources = zip_sources(folder)
            if len(sources) > 1:
                return list(sources)
            return container_layers(next(iter(sources.values()))) if sources else []
    fmt = format_read(path)
    if fmt is not None and fmt.layers == "choose":
        return [n for n, t in list_layers(path) if t is not None]
    return []


def _choose_layer(path: Path, kind: str, layer, kwargs, shown: str) -> list[str]:
    """The layer names of a file of layers (GeoPackage, File Geodatabase, KML, GPX, DXF ...).

    Of a format whose layer is chosen (GeoPackage, File Geodatabase, SpatiaLite, TopoJSON), the
    layer to read is set in ``kwargs['layer']``. Refused: a
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
    fmt = format_read(path)
    if fmt is not None and fmt.layers == "choose":
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
