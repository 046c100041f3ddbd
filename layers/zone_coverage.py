"""How much of each zone a layer covers: the layer read where it meets the zones, then measured.

:func:`read_for_coverage` picks the road. A GeoPackage measured against a shipped layer takes a
short one: the zones from their kept copy (:func:`layers.kept.kept_zones`), the features near them
straight from the GeoPackage's R-tree (:func:`geo.io.gpkg.read_near`), so that neither pandas nor
geopandas is loaded (at 200,000 parcels their loading was half the command's time). Everything
else (other formats, a stated CRS or encoding, a user's zones, ``LANDPLAN_CACHE=off``, anything
:func:`geo.io.gpkg.read_near` leaves to GDAL) is read by :func:`layers.loading.resolve_layer`. Both
reads end with the same checks (:mod:`geo.io`), and :func:`zone_table` measures both with the
same engine (:func:`geo.overlay.coverage_m2`) into the same table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from pyproj import CRS

from .kept import Zones, kept_zones, zones_of

if TYPE_CHECKING:
    import geopandas as gpd

#: the columns of the coverage table, in order (zone_precision: of a catalog layer's outlines)
COLUMNS = [
    "zone_id",
    "name_zh",
    "name_en",
    "zone_precision",
    "zone_area",
    "published_land_area",
    "covered_area",
    "uncovered_area",
    "covered_pct",
    "feature_count",
    "unit",
    "land_area_source",
]
#: the columns of :data:`COLUMNS` that hold areas
AREA_COLUMNS = ("zone_area", "published_land_area", "covered_area", "uncovered_area")


class LayerNearZones(NamedTuple):
    """A layer read where it meets some zones (:func:`read_for_coverage`), with what was said."""

    #: the layer's geometries, checked and repaired
    geoms: np.ndarray
    #: their CRS
    crs: CRS
    zones: Zones
    #: what the read noted, repaired (``repairs``) and warned about (``warnings``), bilingual lines
    report: list
    repairs: list
    warnings: list
    #: the geometries were repaired on reading and are in the CRS they were checked in: the engine
    #: need not make them valid again
    valid: bool = False
    #: what the read made besides ``geoms`` (the geometries as read), for a caller to keep alive
    as_read: np.ndarray | None = None


class ZoneTable(NamedTuple):
    """A coverage table as rows (:func:`zone_table`): written by ``landplan.cli.output.write_rows``
    without pandas."""

    columns: list
    rows: list
    #: sentences to say beside the table (e.g. no feature lies in any zone)
    warnings: list

    def in_unit(self, unit: str) -> ZoneTable:
        """The table with its areas (m², as :func:`zone_table` measures them) in ``unit``: the one
        conversion before it is shown (as :func:`layers.units.in_unit` converts a DataFrame)."""
        from geo.units import convert_area, normalize_unit

        unit = normalize_unit(unit)
        areas = [c for c in AREA_COLUMNS if c in self.columns]
        rows = []
        for row in self.rows:
            row = dict(row)
            for c in areas:
                if row[c] is not None:
                    row[c] = float(convert_area(row[c], row.get("unit", "m2"), unit))
            if "unit" in row:
                row["unit"] = unit
            rows.append(row)
        return ZoneTable(self.columns, rows, self.warnings)


def read_for_coverage(
    spec, by: str, layer: str | None = None, encoding: str | None = None, crs=None
) -> LayerNearZones:
    """The layer ``spec`` where it meets the zones ``by``, read and checked, and the zones.

    Only the geometry of features meeting a zone is read: a coverage needs nothing else. The road
    is chosen here (module docstring); both give the same geometries, report and zones.

    Parameters
    ----------
    spec : str
        A file, catalog layer id or ``postgresql://`` URL (:func:`layers.loading.resolve_layer`).
    by : str
        The zones: a catalog layer id, a file or a URL.
    layer, encoding, crs
        As :func:`geo.io.read_layer`, for ``spec``.

    Returns
    -------
    LayerNearZones

    Raises
    ------
    LandplanError
        Zones or a layer that cannot be read, as :func:`layers.loading.resolve_layer` raises it.
    """
    if crs is None and encoding is None:
        near = _from_gpkg(spec, by, layer)
        if near is not None:
            return near
    from .loading import resolve_layer

    zones = resolve_layer(by)
    gdf = resolve_layer(spec, layer=layer, encoding=encoding, crs=crs, mask=zones, columns=[])
    return in_zones(gdf, zones)


def in_zones(gdf: gpd.GeoDataFrame, zones: gpd.GeoDataFrame) -> LayerNearZones:
    """A layer already read (:func:`layers.loading.resolve_layer`) and its zones, to measure with
    :func:`zone_table`; its report is the read's (``attrs``).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, with a CRS.
    zones : geopandas.GeoDataFrame
        The zones, with a CRS.

    Returns
    -------
    LayerNearZones
    """
    attrs = gdf.attrs
    return LayerNearZones(
        geoms=np.asarray(gdf.geometry.values, dtype=object),
        crs=gdf.crs,
        zones=zones_of(zones),
        report=list(attrs.get("report", [])),
        repairs=list(attrs.get("repairs", [])),
        warnings=list(attrs.get("warnings", [])),
    )


def _from_gpkg(spec, by: str, layer: str | None) -> LayerNearZones | None:
    """The short road: a GeoPackage against a shipped layer's kept zones; None when it does not
    apply (nothing said)."""
    from .catalog_tables import LAYER_IDS

    if by not in LAYER_IDS or not str(spec).lower().endswith(".gpkg"):
        return None
    kept = kept_zones(by)
    if kept is None:
        return None
    from geo.io.gpkg import read_near

    zones = kept.zones
    got = read_near(
        spec, zones.geoms, zones.crs, layer=layer, reference_lonlat=kept.reference_lonlat
    )
    if got is None:
        return None
    report = got.report
    return LayerNearZones(
        got.geoms,
        got.crs,
        zones,
        list(report),
        list(report.repairs),
        list(report.warnings),
        valid=True,
        as_read=got.as_read,
    )


def zone_table(read: LayerNearZones) -> ZoneTable:
    """Per zone: its area, the area the layer covers (overlaps once), the %, the features, names.

    Columns :data:`COLUMNS` (``zone_precision`` when the zones say it), as
    :func:`geo.analysis.coverage` measures them, with the zones' names beside their ids; for the
    catalog's districts, their published land area beside the outline's (``zone_area``, which
    takes in some sea) and its source (``land_area_source``).

    Parameters
    ----------
    read : LayerNearZones
        What :func:`read_for_coverage` or :func:`in_zones` gives.

    Returns
    -------
    ZoneTable

    Raises
    ------
    LandplanError
        Geometries that are not polygons (GeometryTypeError), as :func:`geo.analysis.coverage`
        raises it.
    """
    from geo.overlay import coverage_m2

    zones = read.zones
    fig = coverage_m2(read.geoms, read.crs, zones.geoms, zones.crs, valid=read.valid)
    land = zones.published_land_area
    table = {
        "zone_id": zones.ids,
        "name_zh": zones.names_zh,
        "name_en": zones.names_en,
        "zone_precision": zones.precision,
        **{name: values.tolist() for name, values in fig.columns().items()},
        "published_land_area": None if land is None else np.asarray(land, dtype=float).tolist(),
        "unit": ["m2"] * len(zones.ids),
        "land_area_source": zones.land_area_source,
    }
    columns = [c for c in COLUMNS if table[c] is not None]
    rows = [dict(zip(columns, values)) for values in zip(*(table[c] for c in columns))]
    return ZoneTable(columns, rows, fig.warnings())
