"""Sentences every view writes about a plan: what its outlines are, what its figures rest on.

Written from the plan's layers (:attr:`layers.plan.Plan.layer_roles`,
:meth:`layers.plan.Plan.precisions`), never fixed in a template: an upload of official outlines
reads "official", the catalog's discs "indicative", drawn parks "proposed". The words are in
``landplan/present/text/{zh,en}.yaml`` under ``plan``; numbers come converted to the view's unit.
"""

from __future__ import annotations

import pandas as pd

from geo.units import convert_area, unit_decimals, unit_label
from layers.names import layer_label
from layers.scenario import PARK_LAYER

from .text import text
from .words import word


def _w(lang: str) -> dict:
    return text(lang)["plan"]


def _fmt(value: float, decimals: int = 2) -> str:
    return f"{float(value):,.{decimals}f}"


def _area(m2: float, unit: str) -> str:
    return _fmt(convert_area(float(m2), "m2", unit))


def _role(plan, lid: str) -> str:
    roles = plan.layer_roles.set_index("layer_id")["role"]
    return str(roles.get(lid, "catalog"))


def parks_basis(plan) -> str:
    """What the parks in effect rest on: 'indicative', 'official', 'proposed', 'user' or 'mixed'."""
    prec = {p for p, n in plan.precisions(PARK_LAYER).items() if n and p != "none"}
    if len(prec) == 1:
        return prec.pop()
    return "mixed" if prec else "indicative"


def parks_words(plan, lang: str = "zh") -> str:
    """'20大先进制造业园区（示意边界）': the parks in effect and what their outlines are."""
    w = _w(lang)
    basis = parks_basis(plan)
    if basis == "mixed":
        counts = plan.precisions(PARK_LAYER)
        parts = w["sep"].join(
            w["part"].format(words=word(p, lang), n=n)
            for p, n in counts.items()
            if p != "none" and n
        )
        words = w["basis_words"]["mixed"].format(parts=parts)
    else:
        words = w["basis_words"].get(basis, word(basis, lang))
    return w["parks_on"].format(layer=layer_label(PARK_LAYER, lang), basis=words)


def precision_lines(plan, lang: str = "zh") -> list[str]:
    """What the plan's outlines are, one sentence per layer in effect, then the districts' outlines
    and the area method: the precision note of the page, the workbook and the atlas."""
    w = _w(lang)
    lines = []
    parks = plan.precisions(PARK_LAYER, outlined=False)
    role = _role(plan, PARK_LAYER)
    label = layer_label(PARK_LAYER, lang)
    proposed = int(parks.get("proposed", 0))
    if role == "parks_instead":
        n = sum(v for k, v in parks.items() if k != "proposed")
        key = "parks_instead_official" if parks.get("official") else "parks_instead_user"
        lines.append(w[key].format(layer=label, n=n))
    else:
        lines.append(
            w["parks_catalog"].format(
                layer=label, n_ind=parks.get("indicative", 0), n_none=parks.get("none", 0)
            )
        )
    if proposed:
        lines.append(w["parks_proposed"].format(n=proposed))
    for lid in plan.layers:
        if lid in (PARK_LAYER, "upload"):
            continue
        counts = plan.precisions(lid, outlined=False)
        parts = w["sep"].join(
            w["part"].format(words=word(p, lang), n=n) for p, n in counts.items() if n
        )
        lines.append(w["layer_line"].format(layer=layer_label(lid, lang), parts=parts))
    if "upload" in plan.layers:
        counts = plan.precisions("upload", outlined=False)
        lines.append(
            w["upload_beside"].format(
                n=len(plan.layers["upload"]),
                precision=w["sep"].join(word(p, lang) for p in counts),
            )
        )
    ind = plan.targets[plan.targets["basis"] == "indicative"]
    if len(ind):
        names = ind["name_zh" if lang == "zh" else "name_en"]
        lines.append(w["indicative_targets"].format(names=w["list_sep"].join(names)))
    lines.append(w["districts_line"])
    cut = plan.districts[plan.districts["precision"] == "indicative"]
    if len(cut):
        names = cut["name_zh" if lang == "zh" else "name_en"]
        lines.append(w["districts_cut"].format(names=w["list_sep"].join(names)))
    lines.append(w["area_method"])
    return lines


def coverage_totals(plan) -> dict[str, float]:
    """The focus's outline area, published land area, covered area (m²) and covered %.

    The districts do not overlap, so the covered area of the focus is the sum of its districts'
    (each the union of the parks in it).
    """
    cov = plan.coverage
    zone = float(cov["zone_area"].sum())
    covered = float(cov["covered_area"].sum())
    return {
        "zone_area": zone,
        "published_land_area": float(pd.to_numeric(cov["published_land_area"]).sum()),
        "covered_area": covered,
        "uncovered_area": float(cov["uncovered_area"].sum()),
        "covered_pct": covered / zone * 100 if zone else 0.0,
        "feature_count": plan.parks_count,
    }


def phase_totals(plan) -> dict[str, float]:
    """The focus's covered area per park phase (m²; 'unstated' where the parks do not say).

    The districts do not overlap, so each phase's area is the sum of its districts'.
    """
    ph = plan.phases
    return {str(c): float(ph[c].sum()) for c in ph.columns if c != "zone_id"}


def coverage_line(plan, lang: str = "zh", unit: str = "km2") -> str:
    """'20大先进制造业园区（示意边界）覆盖 X 平方公里，占边界面积 Y 的 Z%。'"""
    t = coverage_totals(plan)
    return _w(lang)["coverage_line"].format(
        parks=parks_words(plan, lang),
        covered=_area(t["covered_area"], unit),
        zone=_area(t["zone_area"], unit),
        pct=_fmt(t["covered_pct"], 1),
        unit=unit_label(unit, lang),
    )


def double_line(plan, lang: str = "zh", unit: str = "km2") -> str:
    """The land counted twice toward a total, in focus, in words."""
    return _w(lang)["double_line"].format(
        area=_area(plan.double_counted, unit), unit=unit_label(unit, lang)
    )


def parks_total_line(plan, lang: str = "zh", unit: str = "km2") -> str:
    """The land under any park or zone in focus, each place once, in words."""
    return _w(lang)["parks_total_line"].format(
        area=_area(plan.parks_total, unit), unit=unit_label(unit, lang)
    )


def overlap_kind(kind: str, lang: str = "zh") -> str:
    """A kind of overlap in words (double count, nesting, same place)."""
    return _w(lang)["overlap_kinds"].get(str(kind), str(kind))


def overlap_relation(relation: str, lang: str = "zh") -> str:
    """How two overlapping features lie: part of, inside, crossing, same place."""
    return _w(lang)["overlap_relations"].get(str(relation), str(relation))


def overlap_total(total_id, lang: str = "zh") -> str:
    """The total a double count is counted in, in words ('计入“…”', 'both in …')."""
    if not isinstance(total_id, str) or not total_id:
        return ""
    w = _w(lang)
    kind, _, what = total_id.partition(":")
    if kind == "target":
        from layers.catalog_tables import targets

        t = targets().set_index("target_id")
        name = t.at[what, "name_zh" if lang == "zh" else "name_en"] if what in t.index else what
        return w["total_target"].format(name=name)
    return w["total_layer"].format(layer=layer_label(what.split("/")[0], lang))


def target_name(target, lang: str = "zh") -> str:
    """A target's name as every table writes it: a commitment's part under it, "其中：" (of
    which); a place without an English name keeps its Chinese one. ``target``: a row of
    ``plan.targets`` (a mapping or a named tuple)."""
    get = target.get if hasattr(target, "get") else lambda k: getattr(target, k, None)
    zh = lang != "en"
    name = get("name_zh") if zh else (get("name_en") or get("name_zh"))
    if not isinstance(name, str):
        name = str(get("name_zh") or "")
    part = ("其中：" if zh else "of which: ") if isinstance(get("part_of"), str) else ""
    return part + name


#: the 20 parks' area commitment: about 300 km² (the Opinion, 000 L370-372)
PARKS_TARGET = "city_sz20_parks_area"


def target_counts(plan) -> dict[str, int]:
    """How many targets in focus are met, not met and unknown (only indicative outlines, not
    measurable, or depending on the wording); one commitment counted once (its parts are not:
    :func:`layers.supply.commitments`)."""
    from layers.supply import commitments

    one = commitments(plan.targets)
    met = int((one["met_status"] == "met").sum())
    not_met = int((one["met_status"] == "not_met").sum())
    return {"met": met, "not_met": not_met, "unknown": len(one) - met - not_met}


def _where(plan, lang: str) -> str:
    """'全市' / 'whole city', or the focused district's name."""
    if plan.focus is None:
        return _w(lang)["headline"]["city"]
    return str(plan.districts.iloc[0]["name_zh" if lang == "zh" else "name_en"])


def _parks_figure(plan, lang: str, unit: str) -> dict | None:
    """The 20 parks' supply against their area target, with what it rests on (an indicative
    extent is said to be no supply, and met unknown)."""
    from layers.supply import MET_LABELS
    from layers.units import in_unit

    from .words import source_text

    w = _w(lang)["headline"]
    ts = plan.city.targets
    ts = ts[ts["target_id"] == PARKS_TARGET]
    if not len(ts):
        return None
    row = in_unit(ts, unit).iloc[0]
    label, digits = unit_label(unit, lang), unit_decimals(unit)
    met = MET_LABELS.get(row["met_status"], MET_LABELS["not_measurable"])[0 if lang == "zh" else 1]
    basis = row["basis"] if isinstance(row["basis"], str) else "not_measurable"
    supplied, extent = row["supplied"], row["indicative_extent"]
    firm = basis not in ("indicative", "not_measurable") and pd.notna(supplied)
    shown = supplied if firm else extent
    note = w["supply"].get(basis, w["supply"]["not_measurable"]).format(met=met)
    if firm and pd.notna(extent):
        note += w["also_indicative"].format(extent=_fmt(extent, digits), unit=label)
    return {
        "label": w["parks"].format(target=row[f"target_text_{'zh' if lang == 'zh' else 'en'}"]),
        "value": f"{_fmt(shown, digits)} {label}" if pd.notna(shown) else "—",
        "note": note,
        "tone": {"met": "green", "not_met": "red"}.get(row["met_status"], "gray"),
        "help": w["source"].format(
            source=source_text(row["source" if lang == "zh" else "source_en"], lang)
        ),
    }


def headline(plan, lang: str = "zh", unit: str = "km2") -> list[dict]:
    """The meeting's headline figures, in words and ``unit``: the 20 parks' supply against about
    300 km² and what it rests on, the targets in focus met / not met / unknown
    (:func:`target_counts`), the park coverage of the focus (:func:`coverage_totals`).

    Each figure: ``label``, ``value``, ``note`` (its basis), ``tone`` ('green' met, 'red' not
    met, 'gray') and ``help``; every number is the plan's, converted to ``unit``.
    """
    w = _w(lang)["headline"]
    where = _where(plan, lang)
    n = target_counts(plan)
    cov = coverage_totals(plan)
    label, digits = unit_label(unit, lang), unit_decimals(unit)
    basis = parks_basis(plan)
    figures = [
        _parks_figure(plan, lang, unit),
        {
            "label": w["targets"].format(where=where, n=sum(n.values())),
            "value": f"{n['met']} / {n['not_met']} / {n['unknown']}",
            "note": w["targets_note"],
            "tone": "gray",
            "help": w["targets_help"],
        },
        {
            "label": w["coverage"].format(where=where),
            "value": f"{_fmt(cov['covered_pct'], 1)} %",
            "note": w["coverage_note"].format(
                covered=_fmt(convert_area(cov["covered_area"], "m2", unit), digits),
                zone=_fmt(convert_area(cov["zone_area"], "m2", unit), digits),
                unit=label,
                basis=_w(lang)["basis_words"].get(basis, word(basis, lang)),
            ),
            "tone": "gray",
            "help": coverage_line(plan, lang, unit),
        },
    ]
    return [f for f in figures if f is not None]
