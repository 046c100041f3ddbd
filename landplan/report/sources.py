"""The papers' sources table: each figure with its document and line, or its public report, in the
report's language (ids in the last column, for tracing)."""

from __future__ import annotations

import pandas as pd

from layers.catalog_files import layer_spec
from layers.catalog_tables import LAYER_IDS, format_source
from layers.drawing import drawn_method_text
from layers.scenario import PARK_LAYER

from .text import ReportData, _num, _records, _source, _target_words, catalog_text

#: columns of :func:`sources_table` (the last one holds ids)
SOURCE_COLUMNS = ["category", "name", "figure", "source", "note", "id"]


def sources_table(d: ReportData) -> pd.DataFrame:
    """One row per figure the papers show: targets, clusters, parks and zones, districts, the
    20 parks' totals and the area method."""
    rows = [
        *_target_rows(d),
        *_cluster_rows(d),
        *_park_rows(d),
        *_district_rows(d),
        *_city_park_rows(d),
        [d.w["sources"]["categories"]["method"], d.w["sources"]["area_method"], "EPSG:4547"]
        + [text_area_method(d), "", "area"],
    ]
    return pd.DataFrame(rows, columns=SOURCE_COLUMNS)


def _target_rows(d: ReportData) -> list[list]:
    """Each target: its words, its source and the other wordings' sources, a contradiction."""
    cat, lang = d.w["sources"]["categories"], d.lang
    rows = []
    for r in d.targets.itertuples():
        src = "；" if lang == "zh" else "; "
        src = src.join(
            [_source(d, r.source_en if lang != "zh" else r.source)]
            + [_source(d, x["source"]) for x in (r.wordings or [])]
        )
        conflict = d.pick(r.conflict_zh, r.conflict_en)
        rows.append(
            [cat["target"], d.pick(r.name_zh, r.name_en), _target_words(d, r), src, conflict]
            + [r.target_id]
        )
    return rows


def _cluster_rows(d: ReportData) -> list[list]:
    """Each cluster once: the districts the Opinion names for it."""
    w = d.w["sources"]
    first = d.clusters.drop_duplicates("cluster_id")
    return [
        [w["categories"]["cluster"], d.pick(r.cluster_zh, r.cluster_en), w["districts_named"]]
        + [_source(d, r.source), "", r.cluster_id]
        for r in first.itertuples()
    ]


def _park_rows(d: ReportData) -> list[list]:
    """Each park or zone: its outline's precision, the area a document states, how it was drawn."""
    w, lang = d.w["sources"], d.lang
    rows = []
    for r in d.parks.drop_duplicates(["layer_id", "feature_id"]).itertuples():
        fig = d.precision(r.precision)
        if r.precision != "none":
            fig = w["outline"].format(precision=fig)
        if pd.notna(r.stated_area):
            cmp_ = r.stated_comparator if isinstance(r.stated_comparator, str) else ""
            cmp_ = {"~": "约" if lang == "zh" else "about ", ">=": "≥"}.get(cmp_, cmp_)
            fig += w["stated"].format(value=f"{cmp_}{_num(r.stated_area, d.unit)} {d.unit_text()}")
        how = drawn_method_text(r.feature_id, lang) if r.layer_id in LAYER_IDS else ""
        rows.append(
            [w["categories"]["park"], d.feature(r.layer_id, r.feature_id), fig]
            + [park_source(d, r), how or "", f"{r.layer_id}:{r.feature_id}"]
        )
    return rows


def _district_rows(d: ReportData) -> list[list]:
    """Each district: its outline's source and how it was cut, its published land area's."""
    w, cat = d.w["sources"], d.w["sources"]["categories"]
    spec = layer_spec("districts")
    area_source = spec["area_source"] if d.lang == "zh" else spec.get("area_source_en", "")
    rows = []
    for r in d.districts.itertuples():
        name = d.dname(r.district_id)
        rows.append(
            [cat["district"], name, w["district_outline"], _source(d, spec["outline_source"])]
            + [catalog_text(d, "districts", r.district_id, "cut_method"), r.district_id]
        )
        rows.append(
            [cat["district"], name, w["published"].format(value=r.official_land_km2), area_source]
            + [catalog_text(d, "districts", r.district_id, "official_land_km2_note"), r.district_id]
        )
    return rows


def _city_park_rows(d: ReportData) -> list[list]:
    """The 20 parks' published total and their count by district."""
    w, lang = d.w["sources"], d.lang
    sz = layer_spec(PARK_LAYER)
    rows = []
    if "city_total" in sz:
        ct = sz["city_total"]
        cmp_ = {"~": "约" if lang == "zh" else "about "}.get(ct.get("stated_km2_comparator"), "")
        total = w["city_total"].format(count=ct.get("count"), value=f"{cmp_}{ct.get('stated_km2')}")
        rows.append(
            [w["categories"]["park"], d.layer(PARK_LAYER), total]
            + [format_source(ct.get("source"), lang), ct.get("quote", "") if lang == "zh" else ""]
            + [PARK_LAYER]
        )
    if "reported" in sz:
        counts = sz["reported"].get("count_by_district") or {}
        rows.append(
            [
                w["categories"]["park"],
                w["count_by_district"],
                d.w["list_sep"].join(f"{_district_words(d, k)} {v}" for k, v in counts.items()),
                format_source(sz["reported"].get("source"), lang),
                "",
                PARK_LAYER,
            ]
        )
    return rows


def park_source(d: ReportData, r) -> str:
    """A park's or zone's source: the catalog's (in the report's language), or the upload's file
    (user-supplied)."""
    own = catalog_source(d, r.feature_id) if r.layer_id in LAYER_IDS else ""
    if own:
        return own
    if isinstance(r.source, str) and r.source:
        return _source(d, r.source)
    return d.w["uploaded_source"].format(name=d.layer(r.layer_id))


def catalog_source(d: ReportData, fid) -> str:
    """A catalog feature's source in the report's language ('' for a feature not in the
    catalog)."""
    from layers.names import feature_layer

    lid = feature_layer(str(fid))
    if lid is None:
        return ""
    rec = _records(lid).get(str(fid).removesuffix("_corridor"), {})
    return _source(d, format_source(rec.get("source"), lang=d.lang)) if rec else ""


def text_area_method(d: ReportData) -> str:
    from ..present.text import text

    return text(d.lang)["plan"]["area_method"]


def _district_words(d: ReportData, key: str) -> str:
    """'baoan (incl. 前海)' and 'yantian + dapeng (jointly)' of the catalog in names."""
    import re

    from layers.names import district_name

    def one(m):
        return district_name(m.group(0), d.lang)

    out = re.sub(r"[a-z]+", one, key.split(" (")[0])
    if "(" in key:
        tail = key.split(" (", 1)[1].rstrip(")")
        tail = {"jointly": "合计" if d.lang == "zh" else "jointly"}.get(tail, tail)
        if tail.startswith("incl."):
            place = tail[len("incl.") :].strip()
            tail = f"含{place}" if d.lang == "zh" else f"incl. {place}"
        out += f"（{tail}）" if d.lang == "zh" else f" ({tail})"
    return out.replace(" + ", "、" if d.lang == "zh" else " + ")
