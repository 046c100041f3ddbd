"""Read a layer uploaded through the page: size and feature limits, private temporary folder, no
user paths."""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd

from geo.errors import LandplanError, bilingual, split_bilingual
from geo.io.formats import UPLOAD_SUFFIXES, not_read_error
from layers.loading import resolve_layer

#: the page's limit, said by the page in its words; Streamlit's own (.streamlit/config.toml
#: server.maxUploadSize) is set well above it so that a larger file reaches this sentence
MAX_UPLOAD_MB = 50
MAX_FEATURES = 200_000
#: what the page reads as one file (:data:`geo.io.formats.UPLOAD_SUFFIXES`): sources of several
#: files (Shapefile, MapInfo TAB, a .gdb folder) come zipped
SUFFIXES = UPLOAD_SUFFIXES


def read_upload(
    filename: str, data: bytes, encoding: str | None = None, crs=None, layer: str | None = None
) -> gpd.GeoDataFrame:
    """Read uploaded bytes as a layer, as ``layers.loading.resolve_layer`` reads a user's file (the
    same checks,
    repairs and report), with the page's words for the controls.

    Only the suffix of ``filename`` is used: the bytes are written as ``upload<suffix>`` in a
    private temporary folder (mode 0700), zips are extracted inside it, and the folder is removed
    before this returns, whatever happens. Refused: other suffixes, more than MAX_UPLOAD_MB,
    more than MAX_FEATURES features; zip bombs and unsafe zip paths (by read_layer). The layer is
    read whole (points and lines are drawn); its polygons are what is measured.
    """
    shown = shown_name(filename)
    suffix = Path(shown).suffix.lower()
    refusal = refused_upload(filename, len(data))
    if refusal is not None:
        raise refusal
    with tempfile.TemporaryDirectory(prefix="landplan-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        # the one entry for a user's file, as the command line reads it (checks, repairs, offset
        # warning)
        try:
            gdf = resolve_layer(
                str(path),
                layer=layer or None,
                encoding=encoding or None,
                crs=crs or None,
                for_area=False,  # drawn whole; its polygons are measured (layers.polygon_features)
            )
        except LandplanError as exc:  # say the user's file name, not the temporary one
            zh, en = split_bilingual(
                for_the_page(bilingual(exc.message_zh or "", str(exc)).replace(path.name, shown))
            )
            raise type(exc)(zh or None, en) from None
    gdf.attrs.pop("layer_id", None)  # the temporary file's name, not the user's
    if len(gdf) > MAX_FEATURES:
        raise LandplanError(
            f"要素数超过 {MAX_FEATURES}。",
            f"The layer has {len(gdf)} features; the page accepts at most {MAX_FEATURES}. "
            "Use the landplan command for larger layers.",
        )
    for key in ("report", "repairs", "warnings"):
        gdf.attrs[key] = [
            for_the_page(line.replace(path.name, shown)) for line in gdf.attrs.get(key, [])
        ]
    gdf.attrs["source_name"] = shown
    return gdf


def shown_name(filename: str) -> str:
    """The upload's name as the page says it: the file's own name, printable, at most 120 long."""
    shown = Path(str(filename).replace("\\", "/")).name
    return "".join(ch for ch in shown if ch.isprintable() and ch not in "[]<>`")[:120] or "upload"


def refused_upload(filename: str, size: int) -> LandplanError | None:
    """Why the page refuses an upload by its name and size alone (None: it is read), in the page's
    words: a kind landplan does not read (a PDF), a part of a Shapefile or MapInfo TAB (zip it with
    its other files), more than MAX_UPLOAD_MB.

    Parameters
    ----------
    filename : str
    size : int
        Bytes.

    Returns
    -------
    LandplanError or None
    """
    shown = shown_name(filename)
    if Path(shown).suffix.lower() not in SUFFIXES:  # a bare .shp (say what to zip with it), a PDF
        return for_the_upload(not_read_error(shown, upload=True))
    if size > MAX_UPLOAD_MB * 1024 * 1024:
        mb = size / 1024 / 1024
        return LandplanError(
            f"{shown} 有 {mb:.1f} MB，超过页面上传上限 {MAX_UPLOAD_MB} MB；"
            "更大的图层请用 landplan 命令读取。",
            f"{shown} is {mb:.1f} MB, larger than the page's limit of {MAX_UPLOAD_MB} MB; "
            "read larger layers with the landplan command.",
        )
    return None


def for_the_upload(exc: LandplanError) -> LandplanError:
    """A refusal as the page says it (its controls, not the command's flags)."""
    zh, en = split_bilingual(for_the_page(bilingual(exc.message_zh or "", str(exc))))
    return type(exc)(zh or None, en)


def for_the_page(line: str) -> str:
    """A reading message as the page says it: the sidebar's 属性编码 / 坐标系 controls, not the
    CLI's flags."""
    import re

    zh, en = split_bilingual(line)
    if zh:
        zh = zh.replace("可用 --encoding 指定", "可在左侧“属性编码”中另选").replace(
            "--encoding", "左侧“属性编码”"
        )
        zh = zh.replace("请用 --crs 指定", "请在左侧“坐标系”中指定")
        zh = re.sub(r"请用 --crs (\S+?) 读取", r"请在左侧“坐标系”中填 \1 后重新读取", zh)
        zh = zh.replace("--crs ", "").replace("--crs", "左侧“坐标系”")
    en = en.replace(
        "Use --encoding to override", "Choose another in the sidebar's Attribute encoding"
    )
    en = en.replace("--encoding", "the sidebar's Attribute encoding")
    en = en.replace("with --crs (", "in the sidebar's CRS box (")
    en = re.sub(
        r"with --crs ([^\s(]+?)([.,;)]?)(?=\s|$)", r"by entering \1 in the sidebar's CRS box\2", en
    )
    en = en.replace("--crs ", "").replace("--crs", "the sidebar's CRS box")
    return bilingual(zh, en) if zh else en


def upload_layers(filename: str, data: bytes) -> list[str]:
    """The layers of an upload to choose from on the page, those with geometry first in the file's
    order (:func:`geo.io.container_layers`): of a GeoPackage, SpatiaLite, TopoJSON, a zipped File
    Geodatabase, a zip of several Shapefiles; empty for other formats or unreadable files."""
    suffix = Path(str(filename)).suffix.lower()
    if suffix not in SUFFIXES or not data or len(data) > MAX_UPLOAD_MB * 1024 * 1024:
        return []
    from geo.io import container_layers

    with tempfile.TemporaryDirectory(prefix="landplan-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            return container_layers(path)
        except Exception:  # noqa: BLE001 - read_upload will say what is wrong with the file
            return []
