"""Which places and clusters each target concerns: the districts a target lies in, its group (the
city or a district: how tables and charts gather targets), and the clusters whose action plan
states it (the page's cluster filter)."""

from __future__ import annotations

import re

import pandas as pd

#: the group of the city's own targets (the others are grouped by district id)
CITY = "city"


def target_districts_in_effect(ts: pd.DataFrame, frames: dict) -> list[list[str]]:
    """The districts each target concerns: its district (or the district whose plan states it),
    and for a park's or site's target the districts its features in ``frames`` (layers by id)
    lie in.

    Parameters
    ----------
    ts : pandas.DataFrame
        A :func:`layers.supply.target_supply` table.
    frames : dict of str to geopandas.GeoDataFrame
        The layers in effect.

    Returns
    -------
    list of list of str
        One sorted list of district ids per row.
    """
    from .catalog_tables import targets
    from .supply import counting_features

    home = dict(zip(*targets()[["target_id", "district_id"]].to_numpy().T))
    out = []
    for t in ts.itertuples():
        found = {t.scope_id} if t.scope == "district" and isinstance(t.scope_id, str) else set()
        own = home.get(t.target_id)
        if isinstance(own, str):
            found.add(own)
        if t.scope in ("park", "site"):
            g = counting_features(t, frames)
            if g is not None and "district_ids" in g.columns:
                found |= {x for ds in g["district_ids"] for x in (ds or [])}
        out.append(sorted(found))
    return out


def target_group(ts: pd.DataFrame) -> list[str]:
    """Each target's group: :data:`CITY` for the city's targets, else its district's id (the
    first of a park or site across districts).

    Parameters
    ----------
    ts : pandas.DataFrame
        A targets table with ``scope``, ``scope_id`` and ``district_ids``.

    Returns
    -------
    list of str
    """
    out = []
    for scope, sid, ds in zip(ts["scope"], ts["scope_id"], ts["district_ids"]):
        if scope == "city":
            out.append(CITY)
        elif scope == "district" and isinstance(sid, str):
            out.append(sid)
        else:
            ds = list(ds) if ds is not None and not isinstance(ds, float) else []
            out.append(ds[0] if ds else CITY)
    return out


def _lines(ref) -> tuple[str, int, int] | None:
    """('000_….txt', 416, 733) from a source reference '000_….txt L416-733' (None: no lines)."""
    m = re.fullmatch(r"\s*(\S+)\s+L(\d+)(?:\s*[-–]\s*(\d+))?\s*", str(ref or ""))
    if not m:
        return None
    first = int(m.group(2))
    return m.group(1), first, int(m.group(3) or first)


def target_clusters(ts: pd.DataFrame, clusters: pd.DataFrame | None = None) -> list[list[str]]:
    """The clusters each target concerns: those whose action plan (its lines in the document) holds
    the target's source lines; none for a target stated elsewhere.

    Parameters
    ----------
    ts : pandas.DataFrame
        A targets table with ``source_ref`` ('000_….txt L818').
    clusters : pandas.DataFrame, optional
        :func:`layers.clusters` (default: the catalog's).

    Returns
    -------
    list of list of str
        Cluster ids per row (the future industries share one action plan: all of them).
    """
    if clusters is None:
        from .catalog_tables import clusters as catalog_clusters

        clusters = catalog_clusters()
    plans = [
        (cid, span)
        for cid, span in zip(clusters["cluster_id"], map(_lines, clusters["plan_source_ref"]))
        if span
    ]
    out = []
    for ref in ts["source_ref"]:
        at = _lines(ref)
        out.append(
            [
                cid
                for cid, (doc, lo, hi) in plans
                if at and at[0] == doc and lo <= at[1] and at[2] <= hi
            ]
        )
    return out
