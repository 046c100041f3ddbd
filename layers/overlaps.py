"""Overlaps as a meeting reads them: double counts, nesting, and the same place in two layers.

Where two park or zone outlines overlap, what matters at a land-supply meeting is whether some
total would count that land twice:

- a **double count** (``double_count``): the two features belong to one total: the features a
  target sums (two of the 20 parks toward the ~300 km², two release sites toward Pingshan's 4.5
  km²), or the features of one kind in one layer (two uploaded parks, two proposed parks);
- **nesting** (``nested``): overlap between features no total sums together, there by design: a
  release site inside its zone, the belt's corridor across the zones, an uploaded layer shown over
  the catalog's. ``relation`` says how: ``part_of`` (the catalog records one as part of the other),
  ``inside`` (one lies within the other) or ``crossing``;
- **the same place in two layers** (``same_place``): a park recorded in two layers (``same_as`` in
  the catalog); not an overlap of two places at all.

Each physical overlap is listed once: when a place is recorded in two layers, its overlap with
another place is one row, named by the records of the total that counts it (the other records in
``also``). :func:`double_counted_area` is the land counted more than once toward a total: the union
of the double counts, so land under three parks is not counted three times.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis import overlaps as overlap_pairs
from geo.areas import project_for_area

from .loading import feature_ids, polygon_features

#: the kinds of overlap, in the order they are listed
KINDS = ("double_count", "nested", "same_place")
#: one feature lies inside the other when the overlap is at least this share of the smaller one
INSIDE_SHARE = 0.99
#: columns of :func:`classify_overlaps`
OVERLAP_COLUMNS = [
    "kind",
    "relation",
    "total_id",
    "a_id",
    "b_id",
    "a_layer",
    "a_feature",
    "a_name_zh",
    "a_name_en",
    "b_layer",
    "b_feature",
    "b_name_zh",
    "b_name_en",
    "also",
    "area",
    "unit",
    "geometry",
]
_AREA_CRS = 4547


@dataclass(frozen=True)
class Total:
    """A total that sums features: a target's counting features, or one kind of one layer.

    Parameters
    ----------
    total_id : str
        'target:<target id>' or 'layer:<layer id>/<kind>'.
    members : frozenset of str
        The features it sums, as 'layer:feature'.
    """

    total_id: str
    members: frozenset


def layer_totals(frames: dict[str, gpd.GeoDataFrame]) -> list[Total]:
    """One total per kind of feature in each layer (a layer's features without a kind: one total).

    Parameters
    ----------
    frames : dict of str to geopandas.GeoDataFrame
        Layers by id.

    Returns
    -------
    list of Total
    """
    out = []
    for lid, gdf in frames.items():
        ids = feature_ids(gdf)
        kinds = gdf["kind"] if "kind" in gdf.columns else pd.Series(None, index=gdf.index)
        kinds = kinds.astype(object).where(kinds.notna(), "")
        for kind in dict.fromkeys(kinds):
            members = frozenset(f"{lid}:{f}" for f in ids[(kinds == kind).to_numpy()])
            out.append(Total(f"layer:{lid}/{kind}".rstrip("/"), members))
    return out


def _features(frames: dict[str, gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """Every polygon feature of ``frames`` in EPSG:4326, with _layer, _fid, _id and _order."""
    parts = []
    for order, (lid, gdf) in enumerate(frames.items()):
        g = polygon_features(gdf).to_crs(4326)
        fid = feature_ids(g).to_numpy()
        col = {c: (g[c].to_numpy() if c in g.columns else None) for c in _KEPT}
        parts.append(
            gpd.GeoDataFrame(
                {
                    "_layer": lid,
                    "_fid": fid,
                    "_id": [f"{lid}:{f}" for f in fid],
                    "_order": order,
                    **{c: v for c, v in col.items() if v is not None},
                },
                geometry=g.geometry.to_numpy(),
                crs=4326,
            )
        )
    if not parts:
        return gpd.GeoDataFrame({"_id": []}, geometry=[], crs=4326)
    out = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=4326)
    for c in _KEPT:
        if c not in out.columns:
            out[c] = None
    return out


_KEPT = ("same_as", "parent_id", "name_zh", "name_en", "name", "NAME", "名称")


def _place_classes(feats: gpd.GeoDataFrame) -> dict[str, str]:
    """Qualified id -> the id of its place: records linked by ``same_as`` are one place."""
    parent = {i: i for i in feats["_id"]}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_fid: dict[str, list[str]] = {}
    for fid, qid in zip(feats["_fid"], feats["_id"]):
        by_fid.setdefault(str(fid), []).append(qid)
    for qid, target in zip(feats["_id"], feats["same_as"]):
        if isinstance(target, str) and target:
            for other in by_fid.get(target, []):
                ra, rb = find(qid), find(other)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    return {i: find(i) for i in parent}


def _names(feats: gpd.GeoDataFrame, lang: str) -> dict[str, str | None]:
    """Qualified id -> the feature's name: the catalog's, or a user's own name column."""
    from .catalog_tables import LAYER_IDS
    from .names import feature_name

    first = "name_zh" if lang == "zh" else "name_en"
    own = [None] * len(feats)
    for col in (first, "name_zh", "name", "NAME", "名称"):
        own = [
            o if isinstance(o, str) and o else (v if isinstance(v, str) and v else None)
            for o, v in zip(own, feats[col])
        ]

    def name(fid, lid, own_name):
        # a catalog record by the catalog's name; a user's feature in a catalog layer's place
        # (an upload instead of the 20 parks, a drawn park) by its own name
        known = feature_name(fid, lang) if lid in LAYER_IDS else None
        return known if known and (known != str(fid) or not own_name) else own_name

    return {
        qid: name(fid, lid, own_name)
        for qid, fid, lid, own_name in zip(feats["_id"], feats["_fid"], feats["_layer"], own)
    }


def classify_overlaps(
    frames: dict[str, gpd.GeoDataFrame], totals: list[Total] | None = None
) -> gpd.GeoDataFrame:
    """Every physical overlap between the polygon features of ``frames``, once, with its kind.

    Parameters
    ----------
    frames : dict of str to geopandas.GeoDataFrame
        Park and zone layers by id, in the order their records should name an overlap.
    totals : list of Total, optional
        The totals features are summed in (default: one per kind of each layer,
        :func:`layer_totals`); given ones come first when a row names the total counting it.

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`OVERLAP_COLUMNS`, areas in m², geometry (the overlap) in EPSG:4326; double counts
        first, then nesting, then the same place in two layers, each by area, largest first.
        ``attrs['double_counted']`` is :func:`double_counted_area` (m²).
    """
    totals = list(totals or []) + layer_totals(frames)
    feats = _features(frames)
    pairs = overlap_pairs(feats, id_col="_id") if len(feats) >= 2 else None
    if pairs is None or not len(pairs):
        empty = gpd.GeoDataFrame(
            {c: [] for c in OVERLAP_COLUMNS if c != "geometry"}, geometry=[], crs=4326
        )
        empty.attrs["double_counted"] = 0.0
        return empty
    info = feats.set_index("_id")
    own_m2 = dict(
        zip(feats["_id"], shapely.area(project_for_area(feats, _AREA_CRS).geometry.values))
    )
    names = {"zh": _names(feats, "zh"), "en": _names(feats, "en")}
    common_total = _common_total(totals)

    def order(k):  # the pair a place's overlap is named by: in a total first, then layer order
        a, b = pairs["a_id"].iat[k], pairs["b_id"].iat[k]
        t = common_total(a, b)
        return (t is None, t or 0, info.at[a, "_order"], info.at[b, "_order"], k)

    rows = []
    for key, ks in _places(pairs, _place_classes(feats)).items():
        best = min(ks, key=order)
        a, b = pairs["a_id"].iat[best], pairs["b_id"].iat[best]
        if info.at[a, "_order"] > info.at[b, "_order"]:
            a, b = b, a
        m2 = float(pairs["area"].iat[best])
        t = common_total(a, b)
        if key[0] == "same":
            kind, relation, total = "same_place", "same", None
        else:
            kind = "double_count" if t is not None else "nested"
            total = totals[t].total_id if t is not None else None
            relation = _relation(a, b, m2, info, own_m2)
        also = sorted(f"{pairs['a_id'].iat[k]} × {pairs['b_id'].iat[k]}" for k in ks if k != best)
        rows.append(
            {"kind": kind, "relation": relation, "total_id": total}
            | _sides(a, b, info, names)
            | {"also": also, "area": m2, "unit": "m2", "geometry": pairs.geometry.iat[best]}
        )
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=pairs.crs).to_crs(4326)
    out["_k"] = out["kind"].map({k: i for i, k in enumerate(KINDS)})
    out = out.sort_values(["_k", "area"], ascending=[True, False], kind="stable")
    out = out.drop(columns="_k").reset_index(drop=True)[OVERLAP_COLUMNS]
    out.attrs["double_counted"] = double_counted_area(out)
    return out


def _common_total(totals: list[Total]):
    """A function of two feature ids: the first total both are summed in (its index), or None."""
    in_total: dict[str, list[int]] = {}
    for i, t in enumerate(totals):
        for m in t.members:
            in_total.setdefault(m, []).append(i)

    def common_total(a: str, b: str) -> int | None:
        shared = sorted(set(in_total.get(a, ())) & set(in_total.get(b, ())))
        return shared[0] if shared else None

    return common_total


def _places(pairs: gpd.GeoDataFrame, place: dict) -> dict[tuple, list[int]]:
    """The overlapping pairs grouped by the physical overlap they are: the same place recorded
    twice, or a pair of places (however many layers record each)."""
    groups: dict[tuple, list[int]] = {}
    for k, (a, b) in enumerate(zip(pairs["a_id"], pairs["b_id"])):
        pa, pb = place[a], place[b]
        key = ("same", a, b) if pa == pb else ("pair",) + tuple(sorted((pa, pb)))
        groups.setdefault(key, []).append(k)
    return groups


def _sides(a: str, b: str, info: pd.DataFrame, names: dict) -> dict:
    """The two features of an overlap: layer, feature id and names of each."""
    out = {"a_id": a, "b_id": b}
    for side, fid in (("a", a), ("b", b)):
        out |= {
            f"{side}_layer": info.at[fid, "_layer"],
            f"{side}_feature": info.at[fid, "_fid"],
            f"{side}_name_zh": names["zh"][fid],
            f"{side}_name_en": names["en"][fid],
        }
    return out


def _relation(a: str, b: str, m2: float, info: pd.DataFrame, own_m2: dict) -> str:
    """'part_of' (the catalog records one as part of the other), 'inside' or 'crossing'."""
    fa, fb = info.at[a, "_fid"], info.at[b, "_fid"]
    if info.at[a, "parent_id"] == fb or info.at[b, "parent_id"] == fa:
        return "part_of"
    smaller = min(own_m2.get(a, np.inf), own_m2.get(b, np.inf))
    return "inside" if smaller > 0 and m2 >= INSIDE_SHARE * smaller else "crossing"


def double_counted_area(ov: gpd.GeoDataFrame) -> float:
    """The land counted more than once toward a total: the union of the double counts, in m².

    Parameters
    ----------
    ov : geopandas.GeoDataFrame
        A :func:`classify_overlaps` table (any subset of its rows).

    Returns
    -------
    float
    """
    dc = ov[ov["kind"] == "double_count"] if "kind" in ov.columns else ov
    if not len(dc):
        return 0.0
    geoms = project_for_area(dc[["geometry"]], _AREA_CRS).geometry.values
    return float(shapely.area(shapely.union_all(shapely.make_valid(geoms))))
