"""`landplan coverage LAYER --by ZONES`: how much of each zone a layer covers.

A parcel layer in a GeoPackage measured against a shipped layer (``--by sz20_parks``) takes a
short road: the zones come from a kept copy (:func:`kept_zones`), the parcels near them from the
GeoPackage's own R-tree (:func:`geo.io.gpkg.read_gpkg_near`), and the figures from the engine
under :func:`geo.analysis.coverage` (:func:`geo.overlay.coverage_m2`), so that neither pandas nor
geopandas is loaded: at 200,000 parcels that loading was half the command's time. Same checks and
repairs, same messages, same table, CSV and JSON as the usual road, which everything else takes
(other formats, ``--crs``, a user's zones, ``LANDPLAN_CACHE=off``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path

from . import output
from .messages import report_lines, say, say_report

#: the columns of the coverage table, in order (zone_precision: of a catalog layer's outlines)
COLUMNS = [
    "zone_id",
    "name_zh",
    "name_en",
    "zone_precision",
    "zone_area",
    "covered_area",
    "uncovered_area",
    "covered_pct",
    "feature_count",
    "unit",
]


def run(args) -> None:
    """The coverage command: the short road when it applies, else the usual one."""
    if not _short_road(args):
        _usual_road(args)


def _usual_road(args) -> None:
    import layers
    from geo.analysis import coverage

    from .main import _read

    zones = layers.resolve_layer(args.by)
    # only the geometry of features touching a zone is read: coverage needs nothing else
    gdf = _read(args, args.layer_spec, mask=zones, columns=[])
    report_lines(gdf)
    df = coverage(
        gdf, by=zones.assign(_zid=layers.feature_ids(zones)), zone_id="_zid", unit=args.unit
    )
    for line in df.attrs.get("warnings", []):
        say(line, "warning")
    df.insert(1, "name_zh", zone_names(zones, df["zone_id"], "zh"))
    df.insert(2, "name_en", zone_names(zones, df["zone_id"], "en"))
    if "precision" in zones.columns:  # indicative outlines say so in every table
        df.insert(3, "zone_precision", zones["precision"].to_numpy())
    output.write(df, args.format)


def zone_names(zones, ids, lang: str) -> list:
    """The names of zones beside their ids: the catalog's names, or a user's name column."""
    import layers
    from layers.names import feature_name

    col = "name_zh" if lang == "zh" else "name_en"
    own = dict(zip(layers.feature_ids(zones), zones[col])) if col in zones.columns else {}
    return [own.get(i) if isinstance(own.get(i), str) else feature_name(i, lang) for i in ids]


def _short_road(args) -> bool:
    """Run the command without pandas/geopandas when it can; False when it cannot (nothing said)."""
    from layers.catalog import LAYER_IDS

    spec = str(args.layer_spec)
    if (
        getattr(args, "crs", None) is not None
        or getattr(args, "encoding", None) is not None
        or args.by not in LAYER_IDS
        or not spec.lower().endswith(".gpkg")
    ):
        return False
    zones = kept_zones(args.by)
    if zones is None:
        return False
    import numpy as np
    import shapely
    from pyproj import CRS

    from geo.io.gpkg import read_gpkg_near

    zone_geoms = shapely.from_wkb(np.array(zones["wkb"], dtype=object))
    zone_crs = CRS.from_user_input(zones["crs"])
    got = read_gpkg_near(spec, zone_geoms, zone_crs, layer=getattr(args, "layer", None))
    if got is None:
        return False
    geoms, crs = got.geoms, got.crs
    from geo.area import require_polygon_geoms
    from geo.errors import GeometryTypeError

    try:
        require_polygon_geoms(geoms)
    except GeometryTypeError:
        return False  # the usual road refuses it, in its words, after saying what it read

    from geo.crs_check import fit_coordinates
    from geo.io.repair import repair_geometries
    from geo.io.report import Report
    from geo.offset_check import offset_suspect_lonlat, offset_warning
    from geo.overlay import coverage_m2
    from geo.units import convert_area, normalize_unit

    shown = Path(spec).name
    report = Report()
    read = geoms
    geoms, _ = repair_geometries(geoms, report, got.checks)
    geoms, crs, fixes = fit_coordinates(geoms, crs, shown)
    for line in fixes:
        report.append(line)
        report.repairs.append(line)
    if crs.is_geographic and len(geoms):  # as layers.load.check_offset
        suspect = offset_suspect_lonlat(
            geoms, shapely.from_wkb(np.array(zones["districts_lonlat"], dtype=object))
        )
        if suspect:
            line = offset_warning(*suspect)
            report.append(line)
            report.warnings.append(line)
    say_report(report, report.repairs, report.warnings)
    fig = coverage_m2(geoms, crs, zone_geoms, zone_crs, valid=True)
    for line in fig.warnings():
        say(line, "warning")
    unit = normalize_unit(args.unit)
    zone_area, covered = fig.zone_area, fig.covered
    pct = np.divide(covered, zone_area, out=np.zeros(len(zone_area)), where=zone_area > 0) * 100
    table = {
        "zone_id": zones["ids"],
        "name_zh": zones["names_zh"],
        "name_en": zones["names_en"],
        "zone_precision": zones["precision"],
        "zone_area": convert_area(zone_area, "m2", unit).tolist(),
        "covered_area": convert_area(covered, "m2", unit).tolist(),
        "uncovered_area": convert_area(zone_area - covered, "m2", unit).tolist(),
        "covered_pct": pct.tolist(),
        "feature_count": fig.feature_count.tolist(),
        "unit": [unit] * len(zone_area),
    }
    columns = [c for c in COLUMNS if table[c] is not None]
    rows = [dict(zip(columns, values)) for values in zip(*(table[c] for c in columns))]
    output.write_rows(rows, args.format, columns)
    from .main import keep_until_exit

    keep_until_exit(read, geoms)  # the parcels as read: freed by the process's end, not one by one
    return True


def kept_zones(layer_id: str) -> dict | None:
    """A shipped layer's zones as the coverage command needs them, kept between runs.

    The zones' geometries (WKB, in the CRS they load in), ids, names and precision (official or
    indicative outlines), and the district outlines in longitude/latitude (the offset check's
    reference). Kept in
    :func:`layers.catalog_files.cache_dir`, keyed on every input of the shipped figures (catalog,
    shapefiles, landplan's code, library versions); made with geopandas when missing or stale.
    None when the cache is off.

    Parameters
    ----------
    layer_id : str
        A catalog layer id.

    Returns
    -------
    dict or None
    """
    from layers.catalog_files import _CatalogUnpickler, cache_dir, file_key

    from .cache import _inputs

    folder = cache_dir()
    if folder is None:
        return None
    where = hashlib.blake2b(
        f"{layer_id}\n{Path(__file__).resolve().parent}".encode(), digest_size=12
    ).hexdigest()
    path = folder / "zones" / f"{where}.pickle"
    try:
        key = f"{sys.version}\n{layer_id}\n{file_key(_inputs())}"
    except OSError:
        return None
    try:
        with open(path, "rb") as fh:
            kept = _CatalogUnpickler(fh).load()  # builtins only
        if kept["key"] == key:
            return kept
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, KeyError):
        pass
    kept = {"key": key, **_zone_record(layer_id)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(kept, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # a read-only home: nothing kept, same answer
        pass
    return kept


def _zone_record(layer_id: str) -> dict:
    """What :func:`kept_zones` keeps, made from the shipped layer as the usual road loads it."""
    import shapely

    import layers
    from geo.crs import WGS84
    from layers.load import load

    zones = layers.resolve_layer(layer_id)
    ids = [str(i) for i in layers.feature_ids(zones)]
    districts = load("districts").to_crs(WGS84).geometry.dropna().values
    return {
        "crs": zones.crs.to_epsg() or zones.crs.to_wkt(),
        "wkb": shapely.to_wkb(zones.geometry.values).tolist(),
        "ids": ids,
        "names_zh": zone_names(zones, ids, "zh"),
        "names_en": zone_names(zones, ids, "en"),
        "precision": zones["precision"].tolist() if "precision" in zones.columns else None,
        # as the catalog has them, for tables that show a missing name as missing
        "layer_id": zones.attrs.get("layer_id", layer_id),
        "catalog_names_zh": [
            v if isinstance(v, str) else None
            for v in (zones["name_zh"] if "name_zh" in zones.columns else [None] * len(ids))
        ],
        "districts_lonlat": shapely.to_wkb(districts).tolist(),
    }
