"""Land accounting on a Dask cluster, partitioned spatially (dask-geopandas + dask.distributed).

The parcels are cut into spatially compact partitions (Hilbert-curve order, as dask-geopandas'
``spatial_shuffle``), held on the workers as a dask-geopandas GeoDataFrame. Each partition runs
geo.accounting.partial_sums on its own parcels; the overlap test of a partition also looks at the
parcels of the partitions whose extents touch it, so an overlap across a partition edge is found.
The driver adds the partial sums and unions the (rare) overlapping pieces exactly as the
single-process path does: the figures are the same, up to the order of floating-point additions
(~1e-15 relative).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .accounting import class_ids, finish, partial_sums
from .analysis import _ids, _prepare, _valid_polygons, overlapping_features
from .errors import LandplanError


def _partition_bounds(part: gpd.GeoDataFrame) -> pd.DataFrame:
    b = part.total_bounds if len(part) else [np.nan] * 4
    return pd.DataFrame([b], columns=["minx", "miny", "maxx", "maxy"])


def _partition_flags(part: gpd.GeoDataFrame, neighbours: list[gpd.GeoDataFrame]) -> np.ndarray:
    """Overlap flags of one partition's parcels, tested against themselves and their neighbours."""
    lg = _valid_polygons(part.geometry.values)
    if not len(lg):
        return np.zeros(0, dtype=bool)
    box = shapely.box(*part.total_bounds)
    own_tree = shapely.STRtree(lg)
    ring = []
    for n in neighbours:
        g = n.geometry.values
        g = np.asarray(g[shapely.intersects(g, box)])
        if len(g):  # only neighbour parcels that touch one of ours can overlap one of ours
            ring.append(g[np.unique(own_tree.query(g, predicate="intersects")[0])])
    context = np.concatenate([lg, _valid_polygons(np.concatenate(ring))]) if ring else lg
    return overlapping_features(context)[: len(lg)]


def _partition_sums(
    part: gpd.GeoDataFrame, flags: np.ndarray, zg: np.ndarray, ng: int, min_count_m2: float
) -> dict:
    """partial_sums of one partition with its overlap flags."""
    lg = _valid_polygons(part.geometry.values)  # clipping prepares its own copies of the zones
    return partial_sums(lg, part["_gid"].to_numpy(), ng, zg, flags, min_count_m2)


def _cluster_errors() -> tuple[type[BaseException], ...]:
    """What a cluster raises when workers or the scheduler go away.

    A lost worker's tasks are retried first.
    """
    import asyncio

    from distributed.client import FutureCancelledError
    from distributed.comm.core import CommClosedError
    from distributed.scheduler import KilledWorker

    return (
        KilledWorker,
        CommClosedError,
        FutureCancelledError,
        asyncio.CancelledError,
        OSError,
        TimeoutError,
    )


def get_client(scheduler: str | None = None, n_workers: int = 2, processes: bool = False):
    """A dask.distributed Client: to ``scheduler`` (tcp://host:8786) or a new local cluster.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler.
    n_workers : int, default 2
        Workers of a new local cluster.
    processes : bool, default False
        Local workers as processes rather than threads.

    Returns
    -------
    dask.distributed.Client

    Raises
    ------
    LandplanError
        When dask is missing or no scheduler answers.
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - dependency declared in pyproject
        raise LandplanError(
            "dask 引擎需要安装 dask[distributed] 与 dask-geopandas。",
            "The dask engine needs dask[distributed] and dask-geopandas (pip install -e .).",
        ) from None
    if scheduler:
        try:
            return Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise LandplanError(
                f"无法连接 Dask 调度器 {scheduler}。",
                f"No Dask scheduler answers at {scheduler} ({str(exc)[:100]}).",
            ) from None
    cluster = LocalCluster(
        n_workers=n_workers, threads_per_worker=1, processes=processes, dashboard_address=None
    )
    return Client(cluster)


def _hilbert_partitions(lay: gpd.GeoDataFrame, gid: np.ndarray, n: int) -> list:
    """The parcels (their class ids ``gid``) as ``n`` spatial partitions, persisted on the cluster,
    as delayed objects: parcels in Hilbert-curve order (what dask-geopandas' spatial_shuffle
    computes, done here in one sort because the parcels are already in memory), cut in n runs."""
    import dask_geopandas

    frame = gpd.GeoDataFrame({"_gid": gid}, geometry=lay.geometry.values, crs=lay.crs)
    if len(frame) > n:
        frame = frame.iloc[np.argsort(frame.geometry.hilbert_distance().to_numpy(), kind="stable")]
    ddf = dask_geopandas.from_geopandas(frame, npartitions=n, sort=False).persist()
    return ddf.to_delayed()


def _cluster_sums(client, parts: list, zgs: list, ng: int, min_count_m2: float) -> list:
    """Per zone layer (its valid polygons in ``zgs``), the partial sums of every partition that
    holds parcels: overlap flags first, once for all zone layers (kept on the workers), each
    partition tested against the partitions whose boxes meet its own."""
    import dask

    bounds = pd.concat(
        dask.compute(*[dask.delayed(_partition_bounds)(p) for p in parts]), ignore_index=True
    )
    empty = bounds.isna().any(axis=1).to_numpy()
    b = bounds.fillna(0.0)
    boxes = shapely.box(b["minx"], b["miny"], b["maxx"], b["maxy"])
    tree = shapely.STRtree(boxes)
    live = [i for i in range(len(parts)) if not empty[i]]
    # pass 1: overlap flags, once for all zone layers (kept on the workers)
    flags = {
        i: dask.delayed(_partition_flags)(
            parts[i],
            [
                parts[j]
                for j in tree.query(boxes[i], predicate="intersects")
                if j != i and not empty[j]
            ],
        )
        for i in live
    }
    flags = dict(zip(flags, client.persist(list(flags.values()))))
    # pass 2: partial sums per zone layer
    tables = []
    for zg in zgs:
        zg_future = client.scatter(zg, broadcast=True)
        tasks = [
            dask.delayed(_partition_sums)(parts[i], flags[i], zg_future, ng, min_count_m2)
            for i in live
        ]
        tables.append(list(dask.compute(*tasks)))
    return tables


def account_dask(
    parcels: gpd.GeoDataFrame,
    by,
    classes=(),
    zone_id: str | None = None,
    crs=None,
    min_count_m2: float = 1.0,
    totals: bool = True,
    scheduler: str | None = None,
    client=None,
    npartitions: int | None = None,
):
    """geo.accounting.account on a Dask cluster: same arguments, same table.

    ``by`` may also be a list of zone layers: the parcels are partitioned and tested for overlaps
    once, and a list of tables is returned. ``client`` (a dask.distributed Client) or
    ``scheduler`` (its address) says where to run; with neither a local cluster is started for
    the call. ``npartitions`` defaults to 4 per worker.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Parcel polygons with a CRS.
    by : geopandas.GeoDataFrame or list of geopandas.GeoDataFrame
        Zone layer(s).
    classes, zone_id, crs, min_count_m2, totals
        As :func:`geo.accounting.account`.
    scheduler : str, optional
        Address of a running scheduler.
    client : dask.distributed.Client, optional
        A client to use.
    npartitions : int, optional
        Spatial partitions of the parcels.

    Returns
    -------
    pandas.DataFrame or list of pandas.DataFrame
        One table per zone layer.

    Raises
    ------
    LandplanError
        As :func:`geo.accounting.account`, or when the cluster fails.
    """
    many = isinstance(by, (list, tuple))
    zone_layers = list(by) if many else [by]
    classes = list(classes)
    gid, labels = class_ids(parcels, classes)
    ng = int(gid.max()) + 1 if len(gid) else 1
    lay, _ = _prepare(parcels, zone_layers[0], crs)
    zgs = [_valid_polygons(_prepare(lay, z, lay.crs)[1].geometry.values) for z in zone_layers]
    own = client is None
    client = client or get_client(scheduler)
    try:
        workers = max(len(client.scheduler_info().get("workers", {})), 1)
        n = npartitions or max(1, min(4 * workers, len(lay) // 2000 or 1))
        parts = _hilbert_partitions(lay, gid, n)
        tables = _cluster_sums(client, parts, zgs, ng, min_count_m2)
    except _cluster_errors() as exc:
        raise LandplanError(
            f"Dask 集群在计算中出错（{type(exc).__name__}），请确认调度器与工作进程正常后重试。",
            f"The Dask cluster failed during the run ({type(exc).__name__}: {str(exc)[:160]}); "
            "check that the scheduler and enough workers are up, then run again.",
        ) from None
    finally:
        if own:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()
    outs = []
    for z, partials in zip(zone_layers, tables):
        n_ov = sum(p["n_overlapping"] for p in partials)
        out = finish(partials, _ids(z, zone_id), classes, labels, ng, totals, n_ov)
        out.attrs["engine"] = f"dask ({n} spatial partitions)"
        outs.append(out)
    return outs if many else outs[0]
