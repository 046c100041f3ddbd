"""Contiguous industrial blocks (连片产业空间) of a parcel layer, and where they lie.

The documents ask for land "平方公里级、产业用地为主、空间集中连片" (Longgang's industrial plan,
《深圳市龙岗区工业发展“十四五”规划》 line 644) and for "可连片的平方公里级产业空间" (Pingshan's
manufacturing plan, line 538). Here: the parcels whose
land-use code counts (by default M1 and M0; a mixed code 'M1+C1' counts by its first code) are
joined into blocks where they touch or lie closer than a gap (:mod:`geo.blocks` says exactly what
joined, outline, encloses and compactness mean); each block gets its parcels' area, the land it
encloses and the share that counts (产业用地为主), whether it is of square-kilometre scale, and the
districts, parks or zones it lies in with its area in each.

The defaults (20 m, 1 km², 0.6) are parameters a planner chooses: the documents name no gap and no
share; 平方公里级 is read as at least 1 km².
"""

from __future__ import annotations

from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.accounting import class_ids, finish, partial_sums
from geo.analysis import _valid_polygons, overlapping_features
from geo.areas import project_for_area, require_polygons
from geo.blocks import Polygons, area_per_group, as_polygons, blocks_of, check_gap
from geo.crs import area_crs
from geo.errors import LandplanError, bilingual

from .catalog_tables import format_source
from .parcel_totals import _zones_of, zone_layer
from .parcels import describe_codes, normalize_code, prepare_parcels

#: the land-use codes that count by default (普通工业用地, 新型产业用地)
COUNTS = ("M1", "M0")
#: joining gap in metres (roads and setbacks between the parcels of one block)
GAP_M = 20.0
#: square-kilometre scale (平方公里级): at least this many m²
MIN_AREA_M2 = 1e6
#: 产业用地为主: at least this share of the block with the land it encloses
MIN_SHARE = 0.6
#: the zone layers a block is placed in by default
BY = ("sz20_parks", "districts")
#: where the documents ask for such blocks
SOURCES = (
    {"doc": "002_22f36ed06e318fad.txt", "lines": "644"},
    {"doc": "004_179bac3d1c0e59ac.txt", "lines": "538"},
)


def check_share(share) -> float:
    """A share as a fraction: 0.6, '0.6' or '60%'; refused outside 0-1 or when not a number.

    Parameters
    ----------
    share : object

    Returns
    -------
    float

    Raises
    ------
    LandplanError
    """
    text = str(share).strip()
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        value = float("nan")
    if not 0 <= value <= 1:
        raise LandplanError(
            f"产业用地占比须在 0 到 1 之间（如 0.6 或 60%），而不是 {share!r}。",
            f"The industrial share must be between 0 and 1 (e.g. 0.6 or 60%), not {share!r}.",
        )
    return value


def counting_mask(codes, counts) -> tuple[np.ndarray, list[str], list[str]]:
    """Which parcels count: their code (its first part, for a mixed code) is one of ``counts``.

    Parameters
    ----------
    codes : array-like
        Each parcel's normalised land-use code (:func:`layers.parcels.prepare_parcels`).
    counts : iterable of str
        Land-use codes.

    Returns
    -------
    mask : numpy.ndarray
        Bool per parcel.
    codes : list of str
        The codes, normalised.
    notes : list of str
        A line for each code no parcel has.

    Raises
    ------
    LandplanError
        No code given, or none of the codes in the layer.
    """
    wanted = list(dict.fromkeys(normalize_code(c) for c in counts if normalize_code(c)))
    if not wanted:
        raise LandplanError(
            "请用 --counts 指定计入的用地代码，例如 --counts M1,M0。",
            "Say which land-use codes count, e.g. --counts M1,M0.",
        )
    main = _main_codes(codes)
    present = set(main.tolist())
    absent = [c for c in wanted if c not in present]
    if len(absent) == len(wanted):
        found = ", ".join(sorted(present)[:20])
        raise LandplanError(
            f"地块图层中没有用地代码为 {'、'.join(wanted)} 的地块（图层中的代码：{found}）。",
            f"No parcel of the layer has the land-use code {', '.join(wanted)} (the layer's codes: "
            f"{found}).",
        )
    notes = [
        bilingual(f"没有用地代码为 {c} 的地块。", f"no parcel has the land-use code {c}")
        for c in absent
    ]
    return np.isin(main, wanted), wanted, notes


def _main_codes(codes) -> np.ndarray:
    """Each code's first part ('M1+C1' -> 'M1'), worked out once per distinct code."""
    k, uniq = pd.factorize(pd.Series(np.asarray(codes, dtype=object)).astype(str))
    return np.array([u.split("+")[0] for u in uniq], dtype=object)[k]


def _check(gap, min_area, min_share) -> tuple[float, float, float]:
    """The gap (m), the square-kilometre threshold (m²) and the share, checked."""
    from geo.units import parse_area

    gap, min_share = check_gap(gap), check_share(min_share)
    if isinstance(min_area, str):
        min_area = parse_area(min_area)
    try:
        min_area = float(min_area)
    except (TypeError, ValueError):
        min_area = float("nan")
    if not np.isfinite(min_area) or min_area < 0:
        raise LandplanError("最小面积须不小于 0。", "The minimum area must be 0 or more.")
    return gap, min_area, min_share


def blocks(
    parcels,
    counts=COUNTS,
    gap=GAP_M,
    min_area=MIN_AREA_M2,
    min_share=MIN_SHARE,
    by=BY,
    landuse_col: str | None = None,
    status_col: str | None = None,
    source: str | None = None,
) -> gpd.GeoDataFrame:
    """The contiguous industrial blocks (连片产业空间) of a parcel layer, largest first.

    The parcels whose land-use code counts are joined where they touch or lie closer than
    ``gap``; :mod:`geo.blocks` says what joined, outline, encloses and compactness mean.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame or layers.parcel_arrays.ParcelArrays
        The parcel layer as read, in any CRS (its land-use and supply-status columns found as
        :func:`layers.parcels.prepare_parcels` finds them, or named), or read as arrays.
    counts : iterable of str, default ('M1', 'M0')
        Land-use codes that count; a mixed code 'M1+C1' counts by its first code.
    gap : float or str, default 20
        Metres: parcels closer than this, or touching, are joined.
    min_area : float or str, default 1e6
        Square-kilometre scale (平方公里级) from this area up: m², or a text with its unit
        ('1km2', '100ha', '1500mu').
    min_share : float or str, default 0.6
        Mainly industrial (产业用地为主) from this share up (0.6 or '60%').
    by : sequence of str or geopandas.GeoDataFrame, default ('sz20_parks', 'districts')
        Zone layers (catalog ids, files, or layers such as the parks in effect) the blocks are
        placed in.
    landuse_col, status_col : str, optional
        The columns of the land-use code and the supply status, when not the usual names.
    source : str, optional
        The parcels' source, carried in each row (default: the file's name).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per block, the largest first; its geometry the block's outline, in the CRS the
        areas are measured in (EPSG:4547 in Shenzhen). Areas in m²:

        - ``block_id``: 1, 2, ... by area;
        - ``area_m2``: the parcels' area (overlaps once; the gaps between them not counted);
        - ``parcel_count``; ``<code>_m2``: the area of each code that counts;
        - ``enclosed_m2``, ``enclosed_count``: the parcels that do not count lying in the block's
          filled outline (parks, roads);
        - ``industrial_share``: ``area_m2`` over it with the enclosed land; ``industrial_main``:
          the share is ``min_share`` or more;
        - ``square_km``: ``area_m2`` is ``min_area`` or more;
        - ``compactness``: 4πA/P² of the outline (1 a disc, 0.785 a square);
        - ``outline_m2``: the outline's area, gaps bridged; ``synthetic``; ``source``.

        ``attrs``: ``zones`` (a DataFrame, per block and zone it reaches: ``block_id``,
        ``zone_layer``, ``zone_id``, ``zone_name_zh``, ``zone_name_en``, ``zone_precision``,
        ``area_m2``, ``parcel_count``, ``share_of_block``), ``classes`` (per block, land-use code
        and supply status: ``block_id``, ``landuse``, ``status``, ``area_m2``,
        ``parcel_count``), ``notes`` (bilingual lines: codes absent, overlaps) and ``report``
        (what the read repaired).

    Raises
    ------
    LandplanError
        No land-use column, none of the codes in the layer, a gap or share that is not a
        number in range, an unknown zone layer.
    """
    from .parcel_arrays import ParcelArrays

    gap, min_area, min_share = _check(gap, min_area, min_share)
    if isinstance(parcels, ParcelArrays):
        return _blocks_of_arrays(parcels, counts, gap, min_area, min_share, by)
    if landuse_col or status_col or not {"landuse", "status"} <= set(parcels.columns):
        parcels = prepare_parcels(parcels, landuse_col, status_col)
    require_polygons(parcels, "finding blocks")
    codes = parcels["landuse"].to_numpy(dtype=object)
    mask, counted, notes = counting_mask(codes, counts)
    zone_layers = _zone_layers(by)
    measured = project_for_area(parcels, area_crs(zone_layers[0]) if zone_layers else None)
    lg = _valid_polygons(measured.geometry.values)
    return _plan(
        as_polygons(lg),
        overlapping_features(lg),
        mask,
        counted,
        codes,
        parcels["status"].to_numpy(dtype=object),
        Settings(gap, min_area, min_share, zone_layers, measured.crs),
        notes,
        (list(parcels.attrs.get("report", [])), bool(parcels.attrs.get("synthetic"))),
        source or parcels.attrs.get("source_name", "parcels"),
    )


def _blocks_of_arrays(parcels, counts, gap, min_area, min_share, by) -> gpd.GeoDataFrame:
    """:func:`blocks` of parcels read as arrays (:func:`layers.parcel_arrays.read_parcel_arrays`):
    shapely polygons are made only for the parcels that count and those near a block. The
    parcels' coordinates are projected in place."""
    from geo.accounting_arrays import measure
    from geo.crs import area_crs_of
    from geo.overlap_arrays import edge_matches, overlap_flags, polygons_of

    mask, counted, notes = counting_mask(parcels.codes, counts)
    zone_layers = _zone_layers(by)
    layer = parcels.layer
    if zone_layers:
        target = area_crs(zone_layers[0])
    else:
        xy = layer.rings.xy
        bounds = (*xy.min(axis=0), *xy.max(axis=0)) if len(xy) else (0, 0, 0, 0)
        target = area_crs_of(bounds, layer.crs)
    m = measure(layer, target)
    area = np.zeros(m.n)
    area[m.plain] = m.area
    area[m.other] = np.nan_to_num(shapely.area(m.other_geoms).astype(float))
    made = np.empty(m.n, dtype=object)  # each parcel made a polygon once, when first needed

    def polygons(ids):
        ids = np.asarray(ids, dtype=np.int64)
        todo = ids[shapely.is_missing(made[ids])]
        if len(todo):
            made[todo] = polygons_of(m, todo)
        return made[ids]

    return _plan(
        Polygons(m.n, area, m.bounds, polygons),
        overlap_flags(m, edge_matches(m)),
        mask,
        counted,
        parcels.codes,
        parcels.statuses,
        Settings(gap, min_area, min_share, zone_layers, target),
        notes,
        (list(parcels.report), parcels.synthetic),
        parcels.source_name,
    )


def _zone_layers(by) -> list:
    specs = [by] if isinstance(by, (str, gpd.GeoDataFrame)) else list(by)
    # an unknown layer is refused before work; a layer given as data (the parks in effect) is used
    return [zone_layer(s) if isinstance(s, str) else _zones_of(s) for s in specs]


class Settings(NamedTuple):
    """What blocks are found with."""

    gap: float
    min_area_m2: float
    min_share: float
    zone_layers: list
    #: the CRS areas are measured in, and the outlines given in
    crs: object


def _plan(layer, overlapping, mask, codes, landuse, status, how, notes, read, name):
    """The blocks of a layer (geo.blocks.Polygons) in its measuring CRS, as :func:`blocks`
    returns them."""
    found = blocks_of(layer, mask, how.gap, overlapping)
    n = len(found.area)
    main = _main_codes(landuse)
    table = pd.DataFrame(
        {"block_id": np.arange(1, n + 1), "area_m2": found.area, "parcel_count": found.count}
    )
    member = found.label >= 0
    for code in codes:
        sel = np.flatnonzero(member & (main == code))
        table[f"{code}_m2"] = area_per_group(layer, sel, found.label[sel], n, overlapping)
    table["enclosed_m2"] = found.enclosed_area
    table["enclosed_count"] = np.bincount(found.enclosed_block, minlength=n)
    table["industrial_share"] = found.share
    table["industrial_main"] = found.share >= how.min_share
    table["square_km"] = found.area >= how.min_area_m2
    table["compactness"] = found.compactness
    table["outline_m2"] = shapely.area(found.outline)
    report, synthetic = read
    table["synthetic"] = synthetic
    table["source"] = (
        ("SYNTHETIC parcels, not real data / 合成地块: " if synthetic else "parcels: ")
        + f"{name}; codes {'/'.join(codes)} (深标 ch.2); gap {how.gap:g} m; "
        f"square-kilometre scale from {how.min_area_m2:.0f} m2, industrial share from "
        f"{how.min_share:g} (parameters); asked for by "
        + "; ".join(format_source(s, "en") for s in SOURCES)
        + "; planimetric "
        + _crs_name(how.crs)
    )
    out = gpd.GeoDataFrame(table, geometry=found.outline, crs=how.crs)
    sel = np.flatnonzero(member)
    zones = _zones(layer.polygons(sel), found.label[sel], n, overlapping[sel], how)
    zones["share_of_block"] = (
        zones["area_m2"].astype(float) / found.area[zones["block_id"].to_numpy(dtype=np.int64) - 1]
    )
    classes = _classes(layer, landuse, status, found.label, n, overlapping)
    if overlapping.any():
        notes.append(
            bilingual(
                f"{int(overlapping.sum())} 个地块与其他地块重叠：重叠部分只计一次。",
                f"{int(overlapping.sum())} parcels overlap another: the overlap is counted once.",
            )
        )
    settings = {
        "counts": list(codes),
        "gap_m": how.gap,
        "min_area_m2": how.min_area_m2,
        "min_share": how.min_share,
    }
    out.attrs.update(zones=zones, classes=classes, notes=notes, report=report, settings=settings)
    return out


def _crs_name(crs) -> str:
    epsg = crs.to_epsg() if crs is not None else None
    return f"EPSG:{epsg}" if epsg else str(getattr(crs, "name", crs))


def _zones(lg, label, n, overlapping, how) -> pd.DataFrame:
    """Per block and zone it reaches: the block's area in the zone (its parcels clipped). A zone
    reached only by pieces under 1 m² (a boundary's float slivers: the accounting counts no parcel
    in a zone by them) is not listed."""
    from .kept import zone_names

    columns = ["block_id", "zone_layer", "zone_id", "zone_name_zh", "zone_name_en"]
    columns += ["zone_precision", "area_m2", "parcel_count"]
    frames = []
    labels = pd.MultiIndex.from_arrays([np.arange(1, n + 1)], names=["block_id"])
    for zones in how.zone_layers:
        zg = _valid_polygons(project_for_area(zones, how.crs).geometry.values)
        part = partial_sums(lg, label, max(n, 1), zg, overlapping)
        df = finish([part], zones["_zid"].to_numpy(), ["block_id"], labels, max(n, 1), totals=False)
        df = df[df["block_id"] != "(all)"].rename(columns={"area": "area_m2"})
        df = df[(df["parcel_count"] > 0) | (df["area_m2"] >= 1.0)]
        ids = df["zone_id"].tolist()
        df["zone_layer"] = zones.attrs["layer_id"]
        df["zone_name_zh"] = zone_names(zones, ids, "zh")
        df["zone_name_en"] = zone_names(zones, ids, "en")
        df["zone_precision"] = df["zone_id"].map(zones.set_index("_zid")["precision"])
        frames.append(df[columns])
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    out["block_id"] = out["block_id"].astype(int)
    out = out.sort_values(["block_id", "zone_layer", "area_m2"], ascending=[True, True, False])
    return out.reset_index(drop=True)


def _classes(layer, landuse, status, label, n, overlapping) -> pd.DataFrame:
    """Per block, land-use code and supply status: area (union) and parcels, the codes named."""
    member = np.flatnonzero(label >= 0)
    frame = pd.DataFrame({"landuse": landuse[member], "status": status[member]})
    gid, names = class_ids(frame, ["landuse", "status"])
    ng = int(gid.max()) + 1 if len(gid) else 1
    key = label[member] * ng + gid
    area = area_per_group(layer, member, key, n * ng, overlapping)
    count = np.bincount(key, minlength=n * ng)
    used = np.flatnonzero(count > 0)
    block, g = np.divmod(used, ng)
    out = pd.DataFrame({"block_id": block + 1})
    for j, c in enumerate(["landuse", "status"]):
        level = names.get_level_values(j) if names is not None else []
        out[c] = np.asarray(level, dtype=object)[g]
    named = describe_codes(out["landuse"]).set_index("landuse")
    for c in ("landuse_name_zh", "landuse_name_en"):
        out.insert(out.columns.get_loc("status"), c, out["landuse"].map(named[c]))
    out["area_m2"], out["parcel_count"] = area[used], count[used]
    return out
