"""Tables as a planner reads them: names instead of ids, lists as text, yes/no in words, sources as
document titles, units by name, numbers rounded (never in scientific notation).

The library's tables keep ids and full precision (the CLI's JSON and CSV use them); the page, its
downloads and the CLI's table output show what these functions make of them. Chinese first,
English on request (``lang='en'``, with the Chinese name beside a place or park where useful).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from geo.units import unit_label, unit_text
from layers.names import cluster_name, district_name, feature_name, layer_name

from .labels import labelled
from .plan_text import target_name
from .words import (
    MISSING,
    _missing,
    _num,
    _place,
    _precision_mix,
    _scope_text,
    _target_value,
    _year_text,
    basis_text,
    district_label,
    joined,
    met_text,
    source_text,
    word,
)


def coverage_table(cov: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A :func:`layers.summary.district_coverage` table to show: district names, the outline's area
    and the
    published land area beside it, rounded areas, coverage (of the outline), whole counts, the land
    area's source."""
    unit = str(cov["unit"].iloc[0]) if len(cov) else "km2"
    u = unit_label(unit, lang)
    zh = lang == "zh"
    out = {
        "行政区" if zh else "District": [district_label(d, lang) for d in cov["zone_id"]],
        f"边界面积（{u}）" if zh else f"Outline area ({u})": [_num(v) for v in cov["zone_area"]],
    }
    if "published_land_area" in cov.columns:
        out[f"公布陆地面积（{u}）" if zh else f"Published land area ({u})"] = [
            _num(v) for v in cov["published_land_area"]
        ]
    out.update(
        {
            f"园区覆盖面积（{u}）" if zh else f"Covered by parks ({u})": [
                _num(v) for v in cov["covered_area"]
            ],
            f"未覆盖面积（{u}）" if zh else f"Not covered ({u})": [
                _num(v) for v in cov["uncovered_area"]
            ],
            "覆盖率（占边界面积，%）" if zh else "Coverage (% of outline area)": [
                _num(v) for v in cov["covered_pct"]
            ],
            "园区/片区数" if zh else "Parks/zones": [
                _num(v, count=True) for v in cov["feature_count"]
            ],
        }
    )
    table = pd.DataFrame(out)
    if (
        "land_area_source" in cov.columns
    ):  # said once under the table, with a district's own remark after it
        common = None
        remarks = []
        for did, src in zip(cov["zone_id"], cov["land_area_source"]):
            head, _, rest = str(src).partition("; ")
            common = common or head
            if rest:
                remarks.append(
                    f"{district_name(did, lang)}：{rest}"
                    if zh
                    else f"{district_name(did, lang)}: {rest}"
                )
        note = ("公布陆地面积来源：" if zh else "Published land area: ") + source_text(common, lang)
        if remarks:
            note += ("；" if zh else "; ") + ("；" if zh else "; ").join(remarks)
        table.attrs["note"] = note
    return table


def targets_table(ts: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A :func:`layers.supply.target_supply` table to show, the columns a meeting needs first: the
    target,
    what is supplied, the progress ledger's latest figure with its date and source (when the
    ledger is joined), the indicative extent (never supply), the shortfall and whether it is met,
    in words and units; then year (inferred years marked), scope, measure, basis, source (document
    title) and how it stands to another target; a commitment's parts read 其中 (of which)."""
    zh = lang == "zh"
    rows = ts.to_dict(orient="records")
    count = [r.get("unit") == "count" for r in rows]

    def text(r):
        t = r.get("target_text_zh" if zh else "target_text_en")
        return t if isinstance(t, str) and t else _target_value(r, lang)

    def source(r):
        s = r.get("source") if zh else (r.get("source_en") or r.get("source"))
        return source_text(s, lang)

    def _place(r, lang):  # the target's place as the catalog names it (layers.targets)
        here = r.get("place_zh") if zh else (r.get("place_en") or r.get("place_zh"))
        return here if isinstance(here, str) and here else _scope_text(r, lang)

    def relation(r):
        text = r.get("relation_zh" if zh else "relation_en")
        return text if isinstance(text, str) and text else MISSING

    out = {
        "目标" if zh else "Target": [target_name(r, lang) for r in rows],
        "目标值" if zh else "Target value": [text(r) for r in rows],
        "已供给" if zh else "Supplied": pd.Series(
            [_num(r.get("supplied"), c) for r, c in zip(rows, count)], dtype=object
        ),
    }
    if "reported_value" in ts.columns:  # the progress ledger's latest figure, its date and source
        out["填报值" if zh else "Reported"] = pd.Series(
            [_num(r.get("reported_value"), c) for r, c in zip(rows, count)], dtype=object
        )
        out["填报截至" if zh else "Reported as of"] = [
            MISSING if _missing(r.get("reported_as_of")) else str(r["reported_as_of"]) for r in rows
        ]
        out["填报依据" if zh else "Reported per"] = [
            MISSING if _missing(r.get("reported_source")) else str(r["reported_source"])
            for r in rows
        ]
    if "indicative_extent" in ts.columns:
        out["示意范围（非供给）" if zh else "Indicative extent (not supply)"] = pd.Series(
            [_num(r.get("indicative_extent"), c) for r, c in zip(rows, count)], dtype=object
        )
    out.update(
        {
            "缺口" if zh else "Shortfall": pd.Series(
                [_num(r.get("shortfall"), c) for r, c in zip(rows, count)], dtype=object
            ),
            "是否达标" if zh else "Met": [met_text(r, lang) for r in rows],
            "单位" if zh else "Unit": [unit_text(r.get("unit"), lang) for r in rows],
            "年份" if zh else "Year": [_year_text(r, lang) for r in rows],
            "地点" if zh else "Place": [_place(r, lang) for r in rows],
            # where nothing can be measured the Met column says so: the basis is not repeated
            "测算依据" if zh else "Basis": [
                MISSING
                if met_text(r, lang) == basis_text(r, lang)
                or r.get("met_status") == "not_measurable"
                else basis_text(r, lang)
                for r in rows
            ],
            "来源" if zh else "Source": [source(r) for r in rows],
        }
    )
    if "relation_zh" in ts.columns:  # a figure refining or within another: never added to it
        out["与其他目标的关系" if zh else "Relation to another target"] = [
            relation(r) for r in rows
        ]
    return pd.DataFrame(out)


def phase_supply_table(ps: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A plan's supply by park phase (:attr:`layers.plan.Plan.phase_supply`, in the unit shown):
    each target the parks count toward, per phase (启动区/拓展区/储备区, not stated), what that
    phase's parks supply or only extend over, and what it rests on."""
    from layers.catalog_tables import targets as catalog_targets
    from layers.phases import phase_words

    zh = lang == "zh"
    names = catalog_targets().set_index("target_id")
    rows = ps.to_dict(orient="records")
    return pd.DataFrame(
        {
            "目标" if zh else "Target": [
                target_name(names.loc[r["target_id"]].to_dict(), lang) for r in rows
            ],
            "阶段" if zh else "Phase": [phase_words(r["phase"], lang) for r in rows],
            "已供给" if zh else "Supplied": pd.Series(
                [_num(r.get("supplied"), False) for r in rows], dtype=object
            ),
            "示意范围（非供给）" if zh else "Indicative extent (not supply)": pd.Series(
                [_num(r.get("indicative_extent"), False) for r in rows], dtype=object
            ),
            "测算依据" if zh else "Basis": [basis_text(r, lang) for r in rows],
            "单位" if zh else "Unit": [unit_text(r.get("unit"), lang) for r in rows],
        }
    )


def overlaps_table(ov: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A plan's overlaps (:func:`layers.overlaps.classify_overlaps`) to show: the kind in words
    (double count, nesting, same place), the two features by name and their layers, how they lie,
    the total that counts both, the area."""
    from .plan_text import overlap_kind, overlap_relation, overlap_total

    zh = lang == "zh"
    unit = str(ov["unit"].iloc[0]) if len(ov) else "km2"
    name_col = "name_zh" if zh else "name_en"

    def names(side):
        if f"{side}_{name_col}" in ov.columns:
            return [
                n if isinstance(n, str) and n else feature_name(i, lang)
                for n, i in zip(ov[f"{side}_{name_col}"], ov[f"{side}_id"])
            ]
        return [feature_name(i, lang) for i in ov[f"{side}_id"]]

    def layer(side):
        if f"{side}_layer" in ov.columns:
            return [layer_name(v, lang) for v in ov[f"{side}_layer"]]
        return [
            layer_name(str(i).split(":", 1)[0], lang) if ":" in str(i) else MISSING
            for i in ov[f"{side}_id"]
        ]

    out = {}
    if "kind" in ov.columns:
        out["类型" if zh else "Kind"] = [overlap_kind(k, lang) for k in ov["kind"]]
    out.update(
        {
            "要素 A" if zh else "Feature A": names("a"),
            "A 所在图层" if zh else "Layer of A": layer("a"),
            "要素 B" if zh else "Feature B": names("b"),
            "B 所在图层" if zh else "Layer of B": layer("b"),
        }
    )
    if "relation" in ov.columns:
        out["关系" if zh else "How they lie"] = [overlap_relation(r, lang) for r in ov["relation"]]
        out["计入" if zh else "Counted in"] = [
            overlap_total(t, lang) or MISSING for t in ov["total_id"]
        ]
    u = unit_label(unit, lang)
    out[f"重叠面积（{u}）" if zh else f"Overlap ({u})"] = [_num(v) for v in ov["area"]]
    return pd.DataFrame(out)


def parcel_accounting_table(pa: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A :func:`layers.parcel_totals.parcel_accounting` table to show: the zone by name and its
    layer, the outline's precision, land-use code and name, supply status (a zone's total row reads
    合计/total), area, whole parcel counts, synthetic in words; the source said once under it."""
    zh = lang == "zh"
    unit = str(pa["unit"].iloc[0]) if len(pa) else "km2"
    total = "合计" if zh else "total"

    def zone(layer, zid, name_zh):
        if layer == "districts":
            return district_label(zid, lang)
        name = feature_name(zid, lang)
        return name_zh if name == str(zid) and isinstance(name_zh, str) and name_zh else name

    def every(v):
        return total if v == "(all)" else v

    names = pa["landuse_name_zh" if zh else "landuse_name_en"]
    table = pd.DataFrame(
        {
            "分区" if zh else "Zone": [
                zone(a, b, c)
                for a, b, c in zip(pa["zone_layer"], pa["zone_id"], pa["zone_name_zh"])
            ],
            "所在图层" if zh else "Layer": [layer_name(v, lang) for v in pa["zone_layer"]],
            "分区边界精度" if zh else "Zone outline precision": [
                word(v, lang) for v in pa["zone_precision"]
            ],
            "用地代码" if zh else "Land-use code": [every(v) for v in pa["landuse"]],
            "用地名称" if zh else "Land use": [
                total if c == "(all)" else n for c, n in zip(pa["landuse"], names)
            ],
            "供应状态" if zh else "Supply status": [every(v) for v in pa["status"]],
            f"面积（{unit_label(unit, lang)}）" if zh else f"Area ({unit_label(unit, lang)})": [
                _num(v) for v in pa["area"]
            ],
            "地块数" if zh else "Parcels": [_num(v, count=True) for v in pa["parcel_count"]],
        }
    )
    if "synthetic" in pa.columns and pa["synthetic"].astype(bool).any():
        table["合成数据" if zh else "Synthetic"] = [word(bool(v), lang) for v in pa["synthetic"]]
    if "source" in pa.columns and len(pa):
        said = dict.fromkeys(source_text(v, lang) for v in pa["source"])
        said = ("；" if zh else "; ").join(said)
        table.attrs["note"] = ("来源：" if zh else "Source: ") + said
    return table


def gaps_table(gaps: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A :func:`layers.gaps.cluster_gaps` table to show: cluster, place and district names, carriers
    by name."""
    zh = lang == "zh"
    return pd.DataFrame(
        {
            "产业集群" if zh else "Cluster": [cluster_name(c, lang) for c in gaps["cluster_id"]],
            "《意见》所列地区" if zh else "Place named by the Opinion": [
                _place(p, lang) for p in gaps["place_zh"]
            ],
            "行政区" if zh else "Districts": [
                joined(v, lang, district_name) for v in gaps["district_ids"]
            ],
            "承载园区/片区" if zh else "Carried by": [
                joined(v, lang, feature_name) for v in gaps["carried_by"]
            ],
            "缺口" if zh else "Gap": [word(bool(v), lang) for v in gaps["gap"]],
            "来源" if zh else "Source": [source_text(s, lang) for s in gaps["source"]],
        }
    )


def catalog_table(cat: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A :func:`layers.catalog` table to show: layer names, kinds and precision in words, sources as
    titles."""
    zh = lang == "zh"

    def sources(s):
        # documents named once, without lines ('《…》第' left by a summary cut at a space is the
        # title)
        parts = [
            source_text(re.sub(r"》第(?:\s*[0-9][0-9,\-– ]*行)?$", "》", p.strip()), lang)
            for p in str(s).replace(" ...", "").split(";")
            if p.strip()
        ]
        return ("；" if zh else "; ").join(dict.fromkeys(parts)) or MISSING

    return pd.DataFrame(
        {
            "名称" if zh else "Name": [
                n_zh if zh else (n_en or n_zh) for n_zh, n_en in zip(cat["name_zh"], cat["name_en"])
            ],
            "类型" if zh else "Kind": [word(k, lang) for k in cat["kind"]],
            "要素数" if zh else "Records": [_num(v, True) for v in cat["features"]],
            "有边界" if zh else "With outline": [_num(v, True) for v in cat["with_outline"]],
            "精度" if zh else "Precision": [_precision_mix(v, lang) for v in cat["precision"]],
            "来源" if zh else "Source": [sources(s) for s in cat["source"]],
        }
    )


def readable(df: pd.DataFrame, lang: str = "zh", unit: str | None = None) -> pd.DataFrame:
    """Any other table to show: headers in ``lang``, lists as text, flags in words, sources as
    titles,
    unit codes as names, numbers rounded to 2 decimals (counts whole)."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if col == "geometry":
            continue
        if col in ("source", "also_source"):
            out[col] = [source_text(v, lang) for v in s]
        elif s.map(lambda v: isinstance(v, (list, tuple, np.ndarray))).any():
            namer = district_name if col == "district_ids" else None
            out[col] = [joined(v, lang, namer) for v in s]
        elif (
            pd.api.types.is_bool_dtype(s) or s.map(lambda v: isinstance(v, (bool, np.bool_))).any()
        ):
            out[col] = [
                word(v, lang)
                if isinstance(v, (bool, np.bool_))
                else (MISSING if _missing(v) else v)
                for v in s
            ]
        elif pd.api.types.is_integer_dtype(s):
            continue
        elif pd.api.types.is_float_dtype(s):
            count = str(col).endswith("_count") or col in ("features", "parcels")
            out[col] = [_num(v, count) for v in s]
    out = out.drop(columns=[c for c in ("geometry",) if c in out.columns])
    return labelled(out, lang, unit)


def display_table(
    kind: str, df: pd.DataFrame, lang: str = "zh", unit: str | None = None
) -> pd.DataFrame:
    """The table of ``kind`` ('coverage', 'targets', 'overlaps', 'cluster_gaps', 'catalog', other)
    as shown."""
    make = {
        "coverage": coverage_table,
        "upload_coverage": coverage_table,
        "targets": targets_table,
        "phase_supply": phase_supply_table,
        "overlaps": overlaps_table,
        "cluster_gaps": gaps_table,
        "catalog": catalog_table,
        "parcel_accounting": parcel_accounting_table,
    }.get(kind)
    return make(df, lang) if make else readable(df, lang, unit)


def cluster_lines(cluster: pd.Series, gaps: pd.DataFrame, lang: str = "zh") -> dict[str, str]:
    """The cluster block of the page as text: the districts the Opinion names (with the source), the
    parks
    and zones that carry the cluster, and the places named with no carrier."""
    zh = lang == "zh"
    g = gaps[gaps["cluster_id"] == cluster.name] if "cluster_id" in gaps.columns else gaps.iloc[0:0]
    places = list(cluster.get("opinion_districts") or [])
    carriers = sorted({f for v in g["carried_by"] for f in v}, key=lambda f: feature_name(f, lang))
    areas = cluster.get("carriers") if cluster.get("kind") == "future" else None
    plan_areas = ""
    if isinstance(areas, list) and areas:  # the "6+5" core carrying areas of the future industries
        names = [a.get("name_zh") if zh else (a.get("name_en") or a.get("name_zh")) for a in areas]
        src = source_text(areas[0].get("source"), lang)
        plan_areas = joined(names, lang) + (f"（{src}）" if zh else f" ({src})")
    return {
        "plan_areas": plan_areas,
        "opinion": joined([_place(p, lang) for p in places], lang)
        + f"（{source_text(cluster.get('source'), lang)}）"
        if zh
        else joined([_place(p, lang) for p in places], lang)
        + f" ({source_text(cluster.get('source'), lang)})",
        "carried": joined(carriers, lang, feature_name),
        "gaps": joined([_place(p, lang) for p in g[g["gap"]]["place_zh"]], lang),
    }
