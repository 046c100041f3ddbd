"""Zone layers as a coverage table needs them, and a shipped layer's zones kept on disk.

:class:`Zones` is a zone layer as arrays and lists (geometries, CRS, ids, names, the outlines'
precision), made from a GeoDataFrame by :func:`zones_of`. :func:`kept_zones` keeps a shipped
layer's :class:`Zones` in :func:`layers.catalog_files.cache_dir`, keyed on every file they are
made from (:func:`shipped_inputs`), so that a command measuring a GeoPackage against them loads
neither pandas nor geopandas (:mod:`layers.zone_coverage`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import shapely
from pyproj import CRS

from .catalog_files import CATALOG_DIR, cache_dir, file_key, keep, read_kept

if TYPE_CHECKING:
    import geopandas as gpd

#: libraries whose version can change a figure (their package's __init__ changes with the version)
LIBRARIES = ("shapely", "geopandas", "pyproj", "pyogrio", "pandas", "numpy")


def shipped_inputs() -> list[Path]:
    """Every file the shipped layers' figures are made from: the catalog's YAML, the shipped
    shapefiles, the code of ``geo`` and ``layers``, and the versions of the geometry libraries.

    What is kept from them (:func:`kept_zones`) is valid while :func:`layers.catalog_files.file_key`
    of these files is the same.

    Returns
    -------
    list of pathlib.Path
    """
    import geo

    from .catalog_tables import data_dir

    files = sorted(CATALOG_DIR.rglob("*.yaml")) + sorted(data_dir().iterdir())
    for folder in (Path(geo.__file__).parent, Path(__file__).parent):
        files += sorted(folder.rglob("*.py"))
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            files.append(Path(spec.origin))
    return files


class Zones(NamedTuple):
    """A zone layer as a coverage table needs it, without pandas."""

    #: the zones' geometries
    geoms: np.ndarray
    #: their CRS
    crs: CRS
    #: one id per zone (:func:`layers.loading.feature_ids`)
    ids: list
    #: names beside the ids (:func:`zone_names`)
    names_zh: list
    names_en: list
    #: the outlines' precision (official, indicative, web_map...) when the layer says it, else None
    precision: list | None
    #: the catalog's districts: their published land areas in m² and the source of each
    #: (:func:`layers.summary.published_land_areas`), shown beside the outlines' areas; else None
    published_land_area: list | None = None
    land_area_source: list | None = None


class KeptZones(NamedTuple):
    """What :func:`kept_zones` keeps: a shipped layer's zones and the offset check's outlines."""

    zones: Zones
    #: the district outlines in WGS84 longitude/latitude (:func:`geo.offset_check.lonlat_outlines`)
    reference_lonlat: np.ndarray


def zones_of(zones: gpd.GeoDataFrame) -> Zones:
    """A zone layer (a catalog layer or a user's, as :func:`layers.loading.resolve_layer` gives it)
    as :class:`Zones`.

    Parameters
    ----------
    zones : geopandas.GeoDataFrame
        The zones, with a CRS.

    Returns
    -------
    Zones
    """
    from .loading import feature_ids

    ids = [str(i) for i in feature_ids(zones)]
    land, sources = _published_land(zones, ids)
    return Zones(
        geoms=np.asarray(zones.geometry.values, dtype=object),
        crs=zones.crs,
        ids=ids,
        names_zh=zone_names(zones, ids, "zh"),
        names_en=zone_names(zones, ids, "en"),
        precision=zones["precision"].tolist() if "precision" in zones.columns else None,
        published_land_area=land,
        land_area_source=sources,
    )


def _published_land(zones: gpd.GeoDataFrame, ids: list) -> tuple[list | None, list | None]:
    """The published land areas (m²) and their sources of the catalog's districts, in the order of
    ``ids``; (None, None) for other zones."""
    if zones.attrs.get("layer_id") != "districts" or "official_land_km2" not in zones.columns:
        return None, None
    from .summary import published_land_areas

    land = published_land_areas(zones).reindex(ids)
    return land["published_land_area"].tolist(), land["land_area_source"].tolist()


def zone_names(zones: gpd.GeoDataFrame, ids, lang: str = "zh") -> list:
    """The names of zones beside their ids: a zone layer's own name column (the catalog's names,
    or a user's ``name_zh``/``name_en``), else :func:`layers.names.feature_name`.

    Parameters
    ----------
    zones : geopandas.GeoDataFrame
        A zone layer.
    ids : iterable of str
        Ids of its zones (:func:`layers.loading.feature_ids`).
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    list
    """
    from .loading import feature_ids
    from .names import feature_name

    col = "name_zh" if lang == "zh" else "name_en"
    own = dict(zip(feature_ids(zones), zones[col])) if col in zones.columns else {}
    return [own.get(i) if isinstance(own.get(i), str) else feature_name(i, lang) for i in ids]


def kept_zones(layer_id: str) -> KeptZones | None:
    """A shipped layer's zones, kept between runs, and the district outlines in lon/lat.

    Kept in :func:`layers.catalog_files.cache_dir` (builtins only: WKB, the CRS as an EPSG code or
    WKT, lists), keyed on :func:`shipped_inputs`; made with geopandas, as
    :func:`layers.loading.resolve_layer` loads the layer, when missing or stale. None when the cache
    is off (``LANDPLAN_CACHE=off``).

    Parameters
    ----------
    layer_id : str
        A catalog layer id.

    Returns
    -------
    KeptZones or None

    Raises
    ------
    LandplanError
        A layer without outlines, as :func:`layers.loading.resolve_layer` raises it.
    """
    folder = cache_dir()
    if folder is None:
        return None
    # one copy per checkout (installs side by side do not overwrite each other's)
    where = hashlib.blake2b(
        f"{layer_id}\n{Path(__file__).resolve().parent}".encode(), digest_size=12
    ).hexdigest()
    path = folder / "zones" / f"{where}.pickle"
    try:
        key = f"{sys.version}\n{layer_id}\n{file_key(shipped_inputs())}"
    except OSError:  # a file vanished while listing: no kept copy
        return None
    record = read_kept(path, key)
    if not isinstance(record, dict) or not _RECORD.issubset(record):
        record = _zone_record(layer_id)
        keep(path, key, record)
    zones = Zones(
        geoms=shapely.from_wkb(np.array(record["wkb"], dtype=object)),
        crs=CRS.from_user_input(record["crs"]),
        ids=record["ids"],
        names_zh=record["names_zh"],
        names_en=record["names_en"],
        precision=record["precision"],
        published_land_area=record["published_land_area"],
        land_area_source=record["land_area_source"],
    )
    return KeptZones(zones, shapely.from_wkb(np.array(record["reference_lonlat"], dtype=object)))


#: the fields of a kept record (:func:`_zone_record`)
_RECORD = frozenset(
    (
        "crs",
        "wkb",
        "ids",
        "names_zh",
        "names_en",
        "precision",
        "published_land_area",
        "land_area_source",
        "reference_lonlat",
    )
)


def _zone_record(layer_id: str) -> dict:
    """What :func:`kept_zones` keeps, made from the shipped layer as the usual road loads it."""
    from geo.offset_check import lonlat_outlines

    from .loading import load, resolve_layer

    frame = resolve_layer(layer_id)
    zones = zones_of(frame)
    return {
        "crs": frame.crs.to_epsg() or frame.crs.to_wkt(),
        "wkb": shapely.to_wkb(zones.geoms).tolist(),
        "ids": zones.ids,
        "names_zh": zones.names_zh,
        "names_en": zones.names_en,
        "precision": zones.precision,
        "published_land_area": zones.published_land_area,
        "land_area_source": zones.land_area_source,
        "reference_lonlat": shapely.to_wkb(lonlat_outlines(load("districts"))).tolist(),
    }
