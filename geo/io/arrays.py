"""Every feature of a GeoPackage polygon layer as coordinate arrays, for commands that read a
whole parcel layer (the accounting by districts, the blocks).

GDAL reads the file as the usual reader does (pyogrio), but hands over Arrow batches: the
geometries' WKB in one buffer, parsed in bulk with numpy (:mod:`geo.polygon_arrays`) on other
threads while GDAL reads the next batch. A polygon of one ring that is certainly valid stays as
coordinates; anything else (holes, several parts, a ring numpy cannot vouch for, no geometry) is
parsed by shapely and checked and repaired as :func:`geo.io.read_layer` does, and said in the same
words. Whatever this reader does not read exactly as the usual one (several layers, no CRS, Z or
M, coordinates that do not fit the CRS, columns that are not text, an id column) makes it return
None, and the caller reads the file the usual way.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import numpy as np
import shapely
from pyproj import CRS

from ..polygon_arrays import Rings, strictly_convex
from ..threads import cores, give_back_memory
from .repair import check_geometries, repair_geometries
from .report import Report

#: a ring that turns by more than this (sine of the angle) at every corner stays convex when it is
#: projected, if it is less than a kilometre across (a map bends a straight edge by far less)
SHARP = 1e-3
#: rows fetched at a time, parsed on other threads while SQLite fetches the next
CHUNK = 50_000


class LayerArrays(NamedTuple):
    """A polygon layer read by :func:`read_gpkg_arrays`, features in fid order."""

    #: number of features
    n: int
    crs: CRS
    #: the features kept as coordinates (one closed ring each, valid) and their rings
    plain: np.ndarray
    rings: Rings
    #: per ring: it turns by more than a thousandth (of a radian) at every corner
    sharp: np.ndarray
    #: the others, as shapely geometries after the usual repairs (None: no geometry)
    other: np.ndarray
    other_geoms: np.ndarray
    #: the attribute columns asked for, one object array each
    columns: dict
    #: what was repaired or is worth saying, as geo.io.read_layer says it
    report: Report


def read_arrays(path, columns=(), layer: str | None = None, flags=()) -> LayerArrays | None:
    """Every feature of a GeoPackage polygon layer, with some text columns.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.gpkg`` file.
    columns : sequence of str
        Text fields to read.
    layer : str, optional
        The layer (default: the file's only one).
    flags : sequence of str
        True/false fields to read (a missing value is false).

    Returns
    -------
    LayerArrays or None
        None when the file is not read this way (the caller then reads it through
        :func:`geo.io.read_layer`).
    """
    import pyogrio

    from .file import _ID_COLUMNS

    p = Path(path)
    if p.suffix.lower() != ".gpkg" or not p.is_file() or p.stat().st_size == 0:
        return None
    columns, flags = list(columns), list(flags)
    if any(str(c).strip().lower() in _ID_COLUMNS for c in columns + flags):
        return None  # the usual reader warns about duplicate ids in such a column
    try:
        names = [str(n) for n, _ in pyogrio.list_layers(p)]
        if (layer is None and len(names) != 1) or (layer is not None and layer not in names):
            return None
        kwargs = {"layer": layer or names[0], "columns": columns + flags, "batch_size": CHUNK}
        with pyogrio.open_arrow(p, use_pyarrow=True, **kwargs) as (meta, reader):
            if meta.get("crs") is None or str(meta.get("geometry_type")) not in _TYPES:
                return None
            kinds = dict(zip(meta["fields"], zip(meta["ogr_types"], meta["ogr_subtypes"])))
            if any(kinds.get(c, ("",))[0] != "OFTString" for c in columns):
                return None
            if any(kinds.get(c) != ("OFTInteger", "OFSTBoolean") for c in flags):
                return None
            geom = meta["geometry_name"] or "wkb_geometry"
            total = int(pyogrio.read_info(p, layer=kwargs["layer"])["features"])
            parts, values = [], {c: [] for c in columns + flags}
            coords = _Coords(total)
            with ThreadPoolExecutor(max_workers=cores()) as pool:
                for batch in reader:
                    # GDAL reads ahead only while the last batches are parsed (memory); each
                    # batch's coordinates join the layer's as soon as it is parsed
                    while len(parts) - coords.taken > cores():
                        coords.take(parts)
                    parts.append(pool.submit(_parse, batch.column(geom)))
                    for c in columns + flags:
                        values[c].append(batch.column(c))
                while coords.taken < len(parts):
                    coords.take(parts)
                parsed = [f.result() for f in parts]
            del parts
        crs = CRS.from_user_input(meta["crs"])
    except Exception:  # noqa: BLE001 - anything GDAL or this reader finds odd: the usual road
        return None
    if not parsed or any(x is None for x in parsed):
        return None
    give_back_memory()  # the batches' memory, before the layer is put together
    read = {c: _texts(values[c]) for c in columns}
    for c in flags:
        read[c] = np.concatenate(
            [v.fill_null(False).to_numpy(zero_copy_only=False) for v in values[c]]
        )
    return _assemble(parsed, crs, read, coords.done())


class _Coords:
    """The layer's plain coordinates, gathered batch by batch into one array (so that they are
    never held twice)."""

    def __init__(self, features: int):
        self.features, self.seen, self.taken, self.used = features, 0, 0, 0
        self.xy = None

    def take(self, parts) -> None:
        """Move the next parsed batch's coordinates in (waiting for it)."""
        chunk = parts[self.taken].result()
        self.taken += 1
        if chunk is None:
            return
        self.seen += chunk.n
        need = self.used + len(chunk.xy)
        if self.xy is None or need > len(self.xy):
            # room for the rest at this batch's density, and a little more
            rest = max(self.features - self.seen, 0) * len(chunk.xy) / max(chunk.n, 1)
            grown = np.empty((int(need + rest * 1.1) + 1024, 2))
            if self.xy is not None:
                grown[: self.used] = self.xy[: self.used]
            self.xy = grown
        self.xy[self.used : need] = chunk.xy
        self.used = need
        parts[self.taken - 1] = _Done(chunk._replace(xy=None))

    def done(self) -> np.ndarray:
        """All the coordinates (a copy only when far too much room was kept)."""
        if self.xy is None:
            return np.zeros((0, 2))
        if self.used < 0.9 * len(self.xy):
            return self.xy[: self.used].copy()
        return self.xy[: self.used]


class _Done(NamedTuple):
    """A parsed batch whose coordinates have been taken, standing in for its future."""

    chunk: _Chunk

    def result(self):
        return self.chunk


#: geometry types this reader takes (GDAL's names)
_TYPES = ("Polygon", "MultiPolygon", "Unknown")


def _texts(chunks) -> np.ndarray:
    """A text column's values as Python strings (None where missing), one object array."""
    import pyarrow as pa

    column = pa.chunked_array(chunks).combine_chunks().dictionary_encode()
    words = np.array(column.dictionary.to_pylist() + [None], dtype=object)
    index = column.indices.fill_null(len(words) - 1).to_numpy()
    return words[index]


class _Chunk(NamedTuple):
    n: int
    plain: np.ndarray
    xy: np.ndarray
    sizes: np.ndarray
    sharp: np.ndarray
    other: np.ndarray
    other_geoms: np.ndarray


def _u32(head: np.ndarray, at: int) -> np.ndarray:
    """Little-endian unsigned 32-bit integers at column ``at`` of byte rows ``head``."""
    return np.ascontiguousarray(head[:, at : at + 4]).view("<u4")[:, 0].astype(np.int64)


def _parse(array) -> _Chunk | None:
    """One Arrow batch of WKB: plain rings as coordinates, the rest as shapely geometries; None
    when a geometry is not read as the usual reader reads it."""
    n = len(array)
    bufs = array.buffers()
    wide = str(array.type) == "large_binary"
    offsets = np.frombuffer(bufs[1], dtype=np.int64 if wide else np.int32)
    offsets = offsets[array.offset : array.offset + n + 1].astype(np.int64)
    buf = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
    buf = buf[offsets[0] : offsets[-1]]  # the rows' bytes only (a slice of a bigger array)
    offsets = offsets - offsets[0]
    valid = ~array.is_null().to_numpy(zero_copy_only=False)
    off = offsets[:-1]
    sizes = np.where(valid, np.diff(offsets), 0)
    # the first 22 bytes of each WKB (zeros past its end): order, type, parts, rings, points
    if len(buf):
        head = buf[np.minimum(off[:, None] + np.arange(22), len(buf) - 1)]
        short = np.flatnonzero(sizes < 22)
        if len(short):
            head[short] = np.where(np.arange(22) < sizes[short, None], head[short], 0)
    else:
        head = np.zeros((n, 22), dtype=np.uint8)
    kind = _u32(head, 1)
    # a polygon of one ring, or a multipolygon of one such polygon (as GDAL writes them)
    multi = (kind == 6) & (_u32(head, 5) == 1) & (head[:, 9] == 1) & (_u32(head, 10) == 3)
    lead = np.where(multi, 22, 13)  # bytes before the first coordinate
    rings_n = np.where(multi, _u32(head, 14), _u32(head, 5))
    npts = np.where(multi, _u32(head, 18), _u32(head, 9))
    ok = (head[:, 0] == 1) & ((kind == 3) | multi) & (rings_n == 1) & (npts >= 4)
    ok &= sizes == lead + 16 * npts
    plain = np.flatnonzero(ok)
    counts = npts[plain]
    # the plain rings' coordinates are the buffer without the other rows and the headers: per
    # row a run of bytes dropped (its header, or all of it) and a run kept (its coordinates)
    runs = np.empty(2 * n, dtype=np.int64)
    runs[0::2] = np.where(ok, lead, sizes)
    runs[1::2] = np.where(ok, sizes - lead, 0)
    keep_bytes = np.repeat(np.tile(np.array([False, True]), n), runs)
    xy = buf[keep_bytes].view("<f8").reshape(-1, 2)
    ring_at = np.r_[0, np.cumsum(counts)]
    rings = Rings(xy, ring_at)
    with np.errstate(invalid="ignore"):
        bad = ~(np.abs(xy) <= 1e9)  # NaN, infinite or beyond 1e9
    good, sharp = strictly_convex(rings, SHARP)
    if bad.any():
        worse = np.bincount(np.repeat(np.arange(len(plain)), counts), weights=bad.any(axis=1))
        good &= worse[: len(plain)] == 0
    keep = np.zeros(n, dtype=bool)
    keep[plain[good]] = True
    other = np.flatnonzero(~keep)
    wkb = array.take(other).to_numpy(zero_copy_only=False)
    other_geoms = shapely.from_wkb(wkb, on_invalid="ignore")
    if (shapely.is_missing(other_geoms) & ~np.equal(wkb, None)).any():
        return None  # WKB shapely refuses (curves, open rings): GDAL's reader mends or says
    sel = np.repeat(good, counts)
    return _Chunk(n, plain[good], xy[sel], counts[good], sharp[good], other, other_geoms)


def _assemble(parsed: list[_Chunk], crs: CRS, columns: dict, xy: np.ndarray) -> LayerArrays | None:
    """The chunks (and their coordinates, gathered) as one layer, checked and repaired as the
    usual reader does."""
    base = np.cumsum([0] + [c.n for c in parsed])
    plain = np.concatenate([c.plain + b for c, b in zip(parsed, base)])
    other = np.concatenate([c.other + b for c, b in zip(parsed, base)])
    other_geoms = np.concatenate([c.other_geoms for c in parsed])
    sizes = np.concatenate([c.sizes for c in parsed])
    sharp = np.concatenate([c.sharp for c in parsed])
    rings = Rings(xy, np.r_[0, np.cumsum(sizes)])
    checks = check_geometries(other_geoms) if len(other) else None
    if checks is not None:
        if hasattr(shapely, "has_m") and shapely.has_m(other_geoms).any():
            return None
        # NaN, huge or Z coordinates: the usual reader's words name rows of the whole layer
        bounds = shapely.bounds(other_geoms[checks.present])
        with np.errstate(invalid="ignore"):
            if not (np.abs(bounds) <= 1e9).all() or shapely.has_z(other_geoms).any():
                return None
    report = Report()
    if len(other):
        other_geoms, _ = repair_geometries(other_geoms, report, checks)
    from ..crs_check import _fits

    b = shapely.bounds(other_geoms)
    b = b[np.isfinite(b).all(axis=1)]
    if len(rings.xy):
        b = np.r_[b, [np.r_[rings.xy.min(axis=0), rings.xy.max(axis=0)]]]
    if len(b) and not _fits(crs, np.r_[b[:, 0], b[:, 2]], np.r_[b[:, 1], b[:, 3]]):
        return None  # swapped axes or another CRS: the usual reader mends or says
    give_back_memory()  # what putting it together took
    return LayerArrays(
        int(base[-1]),
        crs,
        plain,
        rings,
        sharp,
        other,
        other_geoms,
        columns,
        report,
    )
