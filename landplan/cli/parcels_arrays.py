"""The short road of ``landplan parcels PARCELS.gpkg --by LAYERS``: a whole parcel layer read and
accounted as arrays (:mod:`layers.parcel_arrays`).

Taken when the parcels are a GeoPackage, the zones shipped layers, and nothing else is asked
(no ``--counts``, ``--crs``, ``--encoding``, Dask); the same notes and table as the usual road in
:mod:`landplan.cli.parcels`, which everything else takes, and which this one hands over to
(before writing anything) when the file is not read this way or parcels overlap.
"""

from __future__ import annotations

from . import output


def short_road(args, by: list[str]) -> bool:
    """Run ``landplan parcels`` on arrays when it can; False when it cannot (nothing said)."""
    from layers.catalog import LAYER_IDS

    if (
        not by
        or any(b not in LAYER_IDS for b in by)
        or getattr(args, "crs", None) is not None
        or getattr(args, "encoding", None) is not None
        or args.engine != "local"
        or not str(args.parcels).lower().endswith(".gpkg")
    ):
        return False
    from .coverage import kept_zones

    zones = [kept_zones(b) for b in by]
    if any(z is None or "catalog_names_zh" not in z for z in zones):
        return False
    import numpy as np
    import shapely

    from layers.parcel_arrays import parcel_accounting_arrays, read_parcel_arrays

    districts = shapely.from_wkb(np.array(zones[0]["districts_lonlat"], dtype=object))
    parcels = read_parcel_arrays(
        args.parcels, args.landuse_col, args.status_col, args.layer, districts
    )
    if parcels is None:
        return False
    table = parcel_accounting_arrays(parcels, zones, args.unit)
    if table is None:
        return False
    from geo.errors import bilingual

    from .parcels import _notes

    _notes(parcels.report)
    if table.empty:
        _notes([bilingual("分区内没有地块。", "no parcel lies in the zones")])
    if table.attrs.get("double_counted", 0):
        twice = f"{table.attrs['double_counted']:.2f} {args.unit}"
        _notes(
            [
                bilingual(
                    f"不同类别的地块相互重叠：各类别行重复计算了 {twice}；（全部）行只计一次。",
                    f"parcels of different classes overlap: the class rows double-count "
                    f"{twice}; the (all) rows count it once.",
                )
            ]
        )
    output.write(table, args.format)
    from .main import keep_until_exit

    keep_until_exit(parcels)
    return True
