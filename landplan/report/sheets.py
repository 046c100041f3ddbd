"""The meeting workbook's first sheets: the summary (targets against supply), the districts'
coverage and the parks by district. The lists (clusters, overlaps, gaps, sources) are in
:mod:`.lists`.

Every figure is the plan's, in the report's unit (:class:`.text.ReportData`); totals are the
plan's own (:func:`landplan.present.plan_text.coverage_totals`, ``plan.parks_total``), never
re-summed
here. To add a sheet: write ``_x_sheet(ws, d)``, add it to ``WRITERS`` and its key to
``text.SHEETS`` (its title: ``report.sheets`` in the language files).
"""

from __future__ import annotations

from geo.units import convert_area
from layers.catalog_tables import LAYER_IDS
from layers.drawing import drawn_method_text, indicative_size_note
from layers.supply import basis_summary_text

from ..present import plan_text
from ..present.text import text
from .cells import _meta_rows, _note, _width, _write_table
from .lists import LIST_WRITERS
from .sources import park_source
from .text import (
    ReportData,
    _area_fmt,
    _basis,
    _met,
    _source,
    _target_words,
    _unit_words,
    _value,
    _year,
    catalog_text,
)


def _m2(d: ReportData, m2: float) -> float:
    """A plan's figure (m²) in the report's unit."""
    return _value(convert_area(float(m2), "m2", d.unit), d.unit)


def _summary_sheet(ws, d: ReportData) -> None:
    from openpyxl.styles import Alignment, Font

    w, s = d.w, d.w["summary"]
    top = _meta_rows(ws, d, w["titles"]["summary"])
    ws.cell(row=top, column=1, value=w["precision"]).font = Font(bold=True)
    ws.cell(row=top, column=2, value="\n".join(d.notes))
    ws.merge_cells(start_row=top, start_column=2, end_row=top, end_column=12)
    ws.cell(row=top, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[top].height = 15 * (2 + sum(_width(n) // 150 + 1 for n in d.notes))
    tot = plan_text.coverage_totals(d.plan)
    fmt = _area_fmt(d.unit)
    r = top + 1
    for j, (label, v, f) in enumerate(
        [
            (d.head(s["zone_area"], d.unit), _m2(d, tot["zone_area"]), fmt),
            (
                d.head(s["covered"].format(parks=plan_text.parks_words(d.plan, d.lang)), d.unit),
                _m2(d, tot["covered_area"]),
                fmt,
            ),
            (s["pct"], _value(tot["covered_pct"], decimals=1), "0.0"),
            (d.head(s["parks_total"], d.unit), _m2(d, d.plan.parks_total), fmt),
            (d.head(s["double"], d.unit), _m2(d, d.plan.double_counted), fmt),
        ]
    ):
        row, col = r + j // 3, 1 + 2 * (j % 3)
        ws.cell(row=row, column=col, value=label).font = Font(bold=True)
        ws.cell(row=row, column=col + 1, value=v).number_format = f
    top = r + 2
    for line in (
        plan_text.coverage_line(d.plan, d.lang, d.unit),
        plan_text.parks_total_line(d.plan, d.lang, d.unit),
        plan_text.double_line(d.plan, d.lang, d.unit),
        basis_summary_text(d.targets, d.lang),
    ):
        ws.cell(row=top, column=1, value=line)
        top += 1
    t = w["targets"]
    cols = [
        (t["target"], None),
        (t["value"], None),
        (t["unit"], None),
        (t["supplied"], None),
        (t["shortfall"], None),
        (t["met"], None),
        (t["basis"], None),
        (t["extent"], None),
        (t["year"], None),
        (t["source"], None),
        (t["wordings"], None),
        (t["basis_note"], None),
        (t["place"], None),
        (t["id"], None),
        (t["relation"], None),
    ]
    rows, formats = [], []
    for x in d.targets.itertuples():
        rows.append(
            [
                plan_text.target_name(x, d.lang),
                _target_words(d, x),
                _unit_words(d, x.unit),
                _value(x.supplied, x.unit),
                _value(x.shortfall, x.unit),
                _met(d, x.met_status),
                _basis(d, x.basis),
                _value(x.indicative_extent, x.unit),
                _year(d, x),
                _source(d, x.source if d.lang == "zh" else x.source_en),
                d.pick(x.conflict_zh, x.conflict_en),
                d.pick(x.basis_note_zh, x.basis_note),
                d.pick(x.place_zh, x.place_en),
                x.target_id,
                d.pick(x.relation_zh, x.relation_en),
            ]
        )
        formats.append(_area_fmt(x.unit))
    top += 1
    nxt = _write_table(ws, top, cols, rows, wrap_cols=(0, 9, 10, 11, 14))
    for i, f in enumerate(formats):  # each target in its own unit (area, count, 万m²)
        for j in (4, 5, 8):
            ws.cell(row=top + 1 + i, column=j).number_format = f
    ws.freeze_panes = ws.cell(row=top + 1, column=2)
    nxt = _note(ws, nxt, t["extent_note"].format(sizes=indicative_size_note(d.lang)))
    _phase_table(ws, nxt + 1, d)


def _phase_table(ws, top: int, d: ReportData) -> None:
    """Under the targets, when the parks state their phases: each phase's supply or extent for the
    targets the parks count toward (:attr:`layers.plan.Plan.phase_supply`)."""
    from openpyxl.styles import Font

    ps = d.plan.phase_supply
    if not len(ps):
        return
    from layers.catalog_tables import targets as catalog_targets

    t = d.w["targets"]
    ws.cell(row=top, column=1, value=text(d.lang)["page"]["phase_supply"]).font = Font(bold=True)
    fmt = _area_fmt(d.unit)
    cols = [
        (t["target"], None),
        (t["phase"], None),
        (d.head(t["supplied"], d.unit), fmt),
        (d.head(t["extent"], d.unit), fmt),
        (t["basis"], None),
    ]
    names = catalog_targets().set_index("target_id")
    rows = [
        [
            plan_text.target_name(names.loc[r.target_id].to_dict(), d.lang),
            d.phase(r.phase),
            _m2(d, r.supplied) if r.supplied == r.supplied else None,
            _m2(d, r.indicative_extent) if r.indicative_extent == r.indicative_extent else None,
            _basis(d, r.basis),
        ]
        for r in ps.itertuples()
    ]
    _write_table(ws, top + 1, cols, rows, wrap_cols=(0,))


def _districts_sheet(ws, d: ReportData) -> None:
    w, c = d.w, d.w["districts"]
    title = w["titles"]["districts"].format(parks=plan_text.parks_words(d.plan, d.lang))
    top = _meta_rows(ws, d, title) + 1
    u, fmt = d.unit, _area_fmt(d.unit)
    phases = [p for p in d.phases.columns if p != "zone_id"]
    cols = [
        (c["district"], None),
        (d.head(c["published"], u), fmt),
        (d.head(c["zone_area"], u), fmt),
        (d.head(c["covered"], u), fmt),
        (d.head(c["uncovered"], u), fmt),
        (c["pct"], "0.0"),
        (c["parks"], "0"),
        (c["outline"], None),
    ]
    cols += [(d.head(c["phase"].format(phase=d.phase(p)), u), fmt) for p in phases]
    cols += [(c["id"], None)]
    dist = d.districts.set_index("district_id")
    by_phase = d.phases.set_index("zone_id")
    rows = []
    for r in d.coverage.itertuples():
        rows.append(
            [
                d.dname(r.zone_id),
                _value(r.published_land_area, u),
                _value(r.zone_area, u),
                _value(r.covered_area, u),
                _value(r.uncovered_area, u),
                _value(r.covered_pct, decimals=1),
                int(r.feature_count),
                d.precision(dist.loc[r.zone_id, "precision"]),
            ]
            + [_value(by_phase.loc[r.zone_id, p], u) for p in phases]
            + [r.zone_id]
        )
    tot = plan_text.coverage_totals(d.plan)
    ph = plan_text.phase_totals(d.plan)
    total = (
        [
            w["total"],
            _m2(d, tot["published_land_area"]),
            _m2(d, tot["zone_area"]),
            _m2(d, tot["covered_area"]),
            _m2(d, tot["uncovered_area"]),
            _value(tot["covered_pct"], decimals=1),
            int(tot["feature_count"]),
            "",
        ]
        + [_m2(d, ph[p]) for p in phases]
        + [""]
    )
    nxt = _write_table(ws, top, cols, rows, total)
    ws.freeze_panes = ws.cell(row=top + 1, column=2)
    _note(ws, nxt, c["note"])


def _parks_sheet(ws, d: ReportData) -> None:
    w, c = d.w, d.w["parks"]
    top = _meta_rows(ws, d, w["titles"]["parks"]) + 1
    u, fmt = d.unit, _area_fmt(d.unit)
    cols = [
        (c["name"], None),
        (c["layer"], None),
        (c["kind"], None),
        (c["district"], None),
        (d.head(c["area"], u), fmt),
        (d.head(c["drawn"], u), fmt),
        (d.head(c["stated"], u), fmt),
        (d.head(c["stated_minus_drawn"], u), fmt),
        (c["phase"], None),
        (c["precision"], None),
        (c["clusters"], None),
        (c["source"], None),
        (c["drawn_method"], None),
        (c["inference"], None),
        (c["id"], None),
    ]
    rows = []
    for r in d.parks.itertuples():
        catalog = r.layer_id in LAYER_IDS
        rows.append(
            [
                d.feature(r.layer_id, r.feature_id),
                d.layer(r.layer_id),
                d.kind(r.kind),
                d.dname(r.district_id),
                _value(r.area, u),
                _value(r.drawn_area, u),
                _value(r.stated_area, u),
                _value(r.stated_minus_drawn, u),
                d.phase(r.tier),
                d.precision(r.precision),
                d.clusters_words(r.clusters),
                park_source(d, r),
                drawn_method_text(r.feature_id, d.lang) if catalog else "",
                catalog_text(d, r.layer_id, r.feature_id, "inference"),
                f"{r.layer_id}:{r.feature_id}",
            ]
        )
    total = [w["total"], "", "", "", _m2(d, d.plan.parks_total)] + [None] * 3 + [""] * 7
    nxt = _write_table(ws, top, cols, rows, total, wrap_cols=(11, 12, 13))
    ws.freeze_panes = ws.cell(row=top + 1, column=2)
    nxt = _note(ws, nxt, plan_text.parks_total_line(d.plan, d.lang, d.unit))
    _note(ws, nxt, c["note"])


#: the writer of each sheet, by the keys of text.SHEETS (the sheets' order)
WRITERS = {
    "summary": _summary_sheet,
    "districts": _districts_sheet,
    "parks": _parks_sheet,
    **LIST_WRITERS,
}
