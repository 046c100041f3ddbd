"""The meeting workbook's lists: clusters and the parks that carry them, the overlaps by kind
(double counts apart from nesting and the same place), the gaps and the sources.

Names and words in the report's language; ids only in the last column, for tracing.
"""

from __future__ import annotations

from geo.units import convert_area
from layers.overlaps import KINDS

from ..present import plan_text
from .cells import _meta_rows, _note, _write_table
from .sources import catalog_source
from .text import ReportData, _area_fmt, _source, _unit_words, _value


def _clusters_sheet(ws, d: ReportData) -> None:
    from landplan.present.words import _place

    w, c = d.w, d.w["clusters"]
    top = _meta_rows(ws, d, w["titles"]["clusters"]) + 1
    cols = [
        (c["cluster"], None),
        (c["place"], None),
        (c["districts"], None),
        (c["carried_by"], None),
        (c["gap"], None),
        (c["source"], None),
        (c["id"], None),
    ]
    rows = [
        [
            d.pick(r.cluster_zh, r.cluster_en),
            _place(r.place_zh, d.lang),
            d.dnames(r.district_ids),
            w["list_sep"].join(dict.fromkeys(d.any_feature(x) for x in r.carried_by)) or "—",
            _yes_no(d, r.gap),
            _source(d, r.source),
            r.cluster_id,
        ]
        for r in d.clusters.itertuples()
    ]
    n_gap = int(d.clusters["gap"].astype(bool).sum()) if len(d.clusters) else 0
    total = [w["total"], w["pairs"].format(n=len(rows)), "", "", w["n_gaps"].format(n=n_gap)]
    _write_table(ws, top, cols, rows, total + ["", ""], wrap_cols=(3,))
    ws.freeze_panes = ws.cell(row=top + 1, column=2)


def _yes_no(d: ReportData, flag) -> str:
    from landplan.present.words import word

    return str(word(bool(flag), d.lang))


def _overlaps_sheet(ws, d: ReportData) -> None:
    """One table per kind: the double counts with their total (the union, each place once), then
    nesting and the same place in two layers, listed apart and never summed as double counting."""
    from openpyxl.styles import Font

    w, c = d.w, d.w["overlaps"]
    top = _meta_rows(ws, d, w["titles"]["overlaps"]) + 1
    u = d.unit
    cols = [
        (c["feature_a"], None),
        (c["layer_a"], None),
        (c["feature_b"], None),
        (c["layer_b"], None),
        (c["relation"], None),
        (c["counted_in"], None),
        (d.head(c["area"], u), _area_fmt(u)),
        (c["ids"], None),
    ]
    ov = d.overlaps
    first_table = None
    for kind in KINDS:
        part = ov[ov["kind"] == kind]
        head = f"{plan_text.overlap_kind(kind, d.lang)}（{len(part)}）"
        if d.lang != "zh":
            head = f"{plan_text.overlap_kind(kind, d.lang)} ({len(part)})"
        ws.cell(row=top, column=1, value=head).font = Font(bold=True)
        top += 1
        if not len(part):
            ws.cell(row=top, column=1, value=c["none"])
            top += 2
            continue
        rows = [
            [
                d.feature(r.a_layer, r.a_feature, r.a_name_zh, r.a_name_en),
                d.layer(r.a_layer),
                d.feature(r.b_layer, r.b_feature, r.b_name_zh, r.b_name_en),
                d.layer(r.b_layer),
                plan_text.overlap_relation(r.relation, d.lang),
                plan_text.overlap_total(r.total_id, d.lang),
                _value(r.area, u),
                "; ".join([f"{r.a_id} × {r.b_id}", *list(r.also)]),
            ]
            for r in part.itertuples()
        ]
        total = None
        if kind == "double_count":
            m2 = convert_area(d.plan.double_counted, "m2", u)
            total = [c["double_total"], "", "", "", "", "", _value(m2, u), ""]
        first_table = first_table or top
        top = _write_table(ws, top, cols, rows, total, wrap_cols=(0, 2, 7))
    ws.freeze_panes = ws.cell(row=(first_table or top) + 1, column=1)
    nxt = _note(ws, top, plan_text.double_line(d.plan, d.lang, d.unit))
    _note(ws, nxt, c["note"])


def _gaps_sheet(ws, d: ReportData) -> None:
    from layers.names import cluster_name, feature_name

    w, c = d.w, d.w["gaps"]
    top = _meta_rows(ws, d, w["titles"]["gaps"]) + 1
    cols = [
        (c["type"], None),
        (c["name"], None),
        (c["district"], None),
        (c["detail"], None),
        (c["shortfall"], None),
        (c["unit"], None),
        (c["source"], None),
        (c["id"], None),
    ]
    types = c["types"]
    rows, formats = [], []
    for r in d.gaps.itertuples():
        if r.gap_type == "target":
            name = d.pick(r.name_zh, r.name_en)
        elif r.gap_type == "cluster":
            name = cluster_name(r.id, d.lang)
        else:
            name = feature_name(r.id, d.lang)
        unit = r.unit if isinstance(r.unit, str) else None
        rows.append(
            [
                types.get(r.gap_type, r.gap_type),
                name,
                d.dnames(r.district_id if isinstance(r.district_id, str) else ""),
                r.detail_zh if d.lang == "zh" else r.detail_en,
                _value(r.shortfall, unit),
                _unit_words(d, unit) if unit else "",
                (catalog_source(d, r.id) if r.gap_type == "no_outline" else "")
                or _source(d, r.source),
                r.id,
            ]
        )
        formats.append(_area_fmt(unit) if unit else None)
    counts = d.gaps["gap_type"].value_counts()
    total = [
        w["total"],
        w["list_sep"].join(
            c["count"].format(what=types.get(k, k), n=int(v)) for k, v in counts.items()
        ),
    ] + [""] * 6
    _write_table(ws, top, cols, rows, total, wrap_cols=(3,))
    for i, f in enumerate(formats):
        if f:
            ws.cell(row=top + 1 + i, column=5).number_format = f
    ws.freeze_panes = ws.cell(row=top + 1, column=2)


def _sources_sheet(ws, d: ReportData) -> None:
    w, c = d.w, d.w["sources"]
    top = _meta_rows(ws, d, w["titles"]["sources"]) + 1
    cols = [
        (c["category"], None),
        (c["name"], None),
        (c["figure"], None),
        (c["source"], None),
        (c["note"], None),
        (c["id"], None),
    ]
    _write_table(ws, top, cols, d.sources.values.tolist(), wrap_cols=(3, 4))
    ws.freeze_panes = ws.cell(row=top + 1, column=2)


#: the writers of the list sheets, by the keys of text.SHEETS
LIST_WRITERS = {
    "clusters": _clusters_sheet,
    "overlaps": _overlaps_sheet,
    "gaps": _gaps_sheet,
    "sources": _sources_sheet,
}
