"""Read a layer uploaded through the page: size limit, private temporary folder, no user paths."""
from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd

from geo.errors import LandplanError
from geo.io import read_layer

MAX_UPLOAD_MB = 50  # also .streamlit/config.toml server.maxUploadSize
MAX_FEATURES = 200_000
SUFFIXES = (".zip", ".gpkg", ".geojson", ".json", ".kml")


def read_upload(filename: str, data: bytes, encoding: str | None = None, crs=None) -> gpd.GeoDataFrame:
    """Read uploaded bytes as a layer. Only the file's suffix is used; the name never reaches the disk."""
    suffix = Path(str(filename)).suffix.lower()
    if suffix not in SUFFIXES:
        raise LandplanError(f"Upload a zipped Shapefile, GeoPackage, GeoJSON or KML ({', '.join(SUFFIXES)}).",
                            "请上传压缩的 Shapefile（.zip）、GeoPackage、GeoJSON 或 KML。")
    if len(data) > MAX_UPLOAD_MB * 1024 * 1024:
        raise LandplanError(f"The file is larger than {MAX_UPLOAD_MB} MB.", f"文件超过 {MAX_UPLOAD_MB} MB。")
    with tempfile.TemporaryDirectory(prefix="landplan-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        gdf = read_layer(path, encoding=encoding or None, crs=crs or None)
    if len(gdf) > MAX_FEATURES:
        raise LandplanError(f"The layer has {len(gdf)} features; the page accepts at most {MAX_FEATURES}. "
                            "Use the landplan command for larger layers.", f"要素数超过 {MAX_FEATURES}。")
    gdf.attrs["source_name"] = Path(str(filename)).name
    return gdf
