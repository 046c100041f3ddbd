"""The words of the meeting's papers: the report's language, labels, numbers as printed, notes and
sources.

Both writers (:mod:`.workbook`, :mod:`.atlas`) take a :class:`ReportData`: the figures of
:mod:`layers.meeting` with the language and date, and the text helpers below.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.errors import LandplanError
from geo.units import unit_decimals, unit_label, unit_text
from layers.catalog import format_source
from layers.catalog_files import layer_spec
from layers.meeting import MeetingFigures, meeting_figures
from layers.names import district_name, layer_label
from layers.scenario import PARK_LAYER, layers_in_effect
from layers.targets import BASIS_LABELS, MET_LABELS


@dataclass
class ReportData:
    """The figures of one report (:class:`layers.meeting.MeetingFigures`, read as attributes) in one
    language."""

    figures: MeetingFigures
    lang: str
    date: str
    sources: pd.DataFrame | None = None
    notes: list = field(default_factory=list)

    def __getattr__(self, name):  # d.coverage, d.targets, d.unit ... are the figures'
        if name == "figures":
            raise AttributeError(name)
        return getattr(self.figures, name)

    def t(self, zh: str, en: str) -> str:
        """Chinese, or Chinese then English when the report is in English."""
        return zh if self.lang == "zh" or not en else f"{zh} {en}"

    def t2(self, zh: str, en: str) -> str:
        """A sentence in Chinese, with the English on its own line when the report is in English."""
        return zh if self.lang == "zh" else f"{zh}\n{en}"

    def scope_name(self) -> str:
        if self.district is None:
            return self.t("深圳市（全市）", "Shenzhen (city)")
        r = self.districts.iloc[0]
        return self.t(r["name_zh"], r["name_en"])

    def unit_text(self) -> str:
        return self.t(unit_label(self.unit, "zh"), unit_label(self.unit, "en"))


SHEETS = (
    ("summary", "汇总 Summary"),
    ("districts", "分区覆盖 Districts"),
    ("parks", "园区 Parks"),
    ("clusters", "产业集群 Clusters"),
    ("overlaps", "重叠 Overlaps"),
    ("gaps", "缺口 Gaps"),
    ("sources", "来源 Sources"),
)
PRECISION_LABELS = {
    "indicative": ("示意", "indicative"),
    "none": ("无边界", "no outline"),
    "official": ("官方", "official"),
    "user": ("用户提供", "user-supplied"),
    "proposed": ("拟建（情景）", "proposed (what-if)"),
    "web_map": ("网络地图边界（高德，含部分海域）", "web-map outline (AMap, includes some sea)"),
}
GAP_LABELS = {
    "target": ("目标缺口", "target"),
    "cluster": ("集群缺口", "cluster"),
    "no_outline": ("无公开边界", "no outline"),
}


def report_data(
    scope: str = "city",
    unit: str = "km2",
    lang: str = "zh",
    supply_layers=None,
    upload=None,
    upload_role: str = "beside",
    proposed=None,
    parcels=None,
    parcel_counts=("M1", "M0"),
) -> ReportData:
    """The figures for a scope and unit (:func:`layers.meeting.meeting_figures`) in a language, with
    notes and sources.

    ``supply_layers`` are the layers in effect; without them, the page's ``upload`` (used
    ``upload_role``) and ``proposed`` parks decide them (:func:`layers.scenario.layers_in_effect`).
    A scenario's ``parcels`` measure the targets parcels can (``parcel_counts``: the land-use codes
    that count).
    """
    if lang not in ("zh", "en"):
        raise LandplanError(
            f"未知语言 {lang!r}；可用 zh 或 en。", f"Unknown language {lang!r}; use zh or en."
        )
    if supply_layers is None and (upload is not None or proposed is not None):
        supply_layers = layers_in_effect(upload, upload_role, False, proposed)
    data = ReportData(
        meeting_figures(scope, unit, supply_layers, parcels, parcel_counts),
        lang,
        _dt.date.today().isoformat(),
    )
    data.sources = sources_table(data)
    data.notes = precision_notes(data)
    return data


def precision_notes(d: ReportData) -> list[str]:
    tg = d.targets
    indicative = [d.t(r.name_zh, r.name_en) for r in tg[tg["basis"] == "indicative"].itertuples()]
    n_ind = int((d.parks["precision"] == "indicative").sum())
    n_none = int((d.parks["precision"] == "none").sum())
    notes = [
        d.t(
            "园区与片区边界为示意（precision = indicative，虚线加斜线）：官方边界未公开。"
            "分区覆盖、园区面积与重叠面积依据示意边界，仅供参考；以下目标只有示意范围，不计为供给，"
            "是否达标未知：",
            "Park and zone outlines are indicative (dashed and hatched): official outlines are not "
            "published. Coverage, park areas and overlaps rest on them; these targets have only an "
            "indicative "
            "extent, not supply, and whether they are met is unknown: ",
        )
        + ("、".join(indicative) if indicative else d.t("（无）", "(none)")),
        d.t(
            f"本范围内示意边界要素部分 {n_ind} 个，无公开边界的记录 {n_none} 个（不计入面积）。",
            f"In scope: {n_ind} feature parts with indicative outlines, {n_none} records without a "
            "public "
            "outline (not counted in any area).",
        ),
    ]
    ind_d = d.districts[d.districts["precision"] == "indicative"]
    notes.append(
        d.t(
            "行政区边界取自高德地图（含部分海域与填海），不是测绘的行政界线；"
            "覆盖率为占边界面积的百分比，"
            "公布陆地面积并列显示以供对照。",
            "District outlines are AMap's web-map outlines (with some sea and reclaimed land), not "
            "surveyed "
            "boundaries; coverage % is of the outline's area, with the published land area shown "
            "beside it.",
        )
    )
    if len(ind_d):
        notes.append(
            d.t(
                "行政区边界中 " + "、".join(ind_d["name_zh"]) + " 为示意切分（切分方法见来源表）。",
                "District outlines of " + ", ".join(ind_d["name_en"]) + " are indicative cuts "
                "(the cut is described on the Sources sheet).",
            )
        )
    notes.append(
        d.t(
            "面积为 EPSG:4547（CGCS2000 3度带 114°E）平面面积；1 亩 = 10000/15 m²；"
            "重叠部分只计一次。",
            "Areas are planimetric in EPSG:4547 (CGCS2000 3-degree GK CM 114E); 1 mu = 10000/15 "
            "m²; "
            "overlaps counted once.",
        )
    )
    return notes


def sources_table(d: ReportData) -> pd.DataFrame:
    rows = []
    for r in d.targets.itertuples():
        src = "；".join([r.source] + [w["source"] for w in (r.wordings or [])])
        conflict = d.t(r.conflict_zh, r.conflict_en) if isinstance(r.conflict_zh, str) else ""
        refs = "; ".join(
            x for x in [r.source_ref] + [w["source_ref"] for w in (r.wordings or [])] if x
        )
        rows.append(
            (
                "target",
                r.target_id,
                d.t(r.name_zh, r.name_en),
                _target_words(d, r),
                src,
                "  ".join(x for x in (conflict, refs) if x),
            )
        )
    seen = set()
    for r in d.clusters.itertuples():
        if r.cluster_id not in seen:
            seen.add(r.cluster_id)
            rows.append(
                (
                    "cluster",
                    r.cluster_id,
                    d.t(r.cluster_zh, r.cluster_en),
                    d.t("《意见》指定区", "districts named by the Opinion"),
                    r.source,
                    "",
                )
            )
    for r in d.parks.drop_duplicates(["layer_id", "feature_id"]).itertuples():
        fig = d.t("边界", "outline") + f" ({_prec(d, r.precision)})"
        if pd.notna(r.stated_area):
            fig += (
                d.t("；文件所述面积", "; stated area")
                + f" {r.stated_comparator or ''}{_num(r.stated_area, d.unit)}"
            )
        rows.append(
            (
                "park/zone",
                f"{r.layer_id}:{r.feature_id}",
                _name(d, r.name_zh, r.name_en),
                fig,
                r.source,
                _drawn(d, r),
            )
        )
    spec = layer_spec("districts")
    for r in d.districts.itertuples():
        rows.append(
            (
                "district",
                r.district_id,
                d.t(r.name_zh, r.name_en),
                d.t("行政区边界", "outline"),
                spec["outline_source"],
                r.cut_method if isinstance(r.cut_method, str) else "",
            )
        )
        rows.append(
            (
                "district",
                r.district_id,
                d.t(r.name_zh, r.name_en),
                d.t("公布陆地面积", "published land area") + f" {r.official_land_km2} km²",
                r.official_land_source,
                "",
            )
        )
    sz = layer_spec(PARK_LAYER)
    if "city_total" in sz:
        ct = sz["city_total"]
        src = ct.get("source") or {}
        rows.append(
            (
                "park/zone",
                PARK_LAYER,
                d.t(sz["name_zh"], sz["name_en"]),
                f"{ct.get('count')} parks, "
                f"{ct.get('stated_km2_comparator', '')}{ct.get('stated_km2')} km²",
                format_source(src),
                ct.get("quote", ""),
            )
        )
    if "reported" in sz:
        rows.append(
            (
                "park/zone",
                PARK_LAYER,
                d.t("20大园区各区数量", "20 parks: count by district"),
                "; ".join(
                    f"{k} {v}" for k, v in (sz["reported"].get("count_by_district") or {}).items()
                ),
                format_source(sz["reported"].get("source")),
                sz["reported"].get("note", ""),
            )
        )
    rows.append(
        (
            "method",
            "area",
            d.t("面积计算方法", "area method"),
            "EPSG:4547, 1 亩 = 10000/15 m²",
            "geo.area / geo.analysis.coverage (landplan)",
            "",
        )
    )
    return pd.DataFrame(rows, columns=["category", "id", "name", "figure", "source", "note"])


def _num(v, unit: str | None = None, decimals: int | None = None) -> str:
    """A figure as the reports print it ('1,234.57'); '—' when there is none."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "—"
    dec = unit_decimals(unit) if decimals is None else decimals
    return f"{float(v):,.{dec}f}"


def _prec(d: ReportData, p) -> str:
    zh, en = PRECISION_LABELS.get(str(p), (str(p), str(p)))
    return d.t(zh, en)


def _name(d: ReportData, zh, en) -> str:
    zh = zh if isinstance(zh, str) and zh else None
    en = en if isinstance(en, str) and en else None
    if zh and en:
        return d.t(zh, en)
    return zh or en or d.t("（名称未公开）", "(name not public)")


def _met(d: ReportData, status: str) -> str:
    """达标 / 未达标 / 未知（示意边界） / 无法测量 / 取决于文件措辞."""
    return d.t(*MET_LABELS.get(str(status), MET_LABELS["not_measurable"]))


def _basis(d: ReportData, basis) -> str:
    return d.t(
        *BASIS_LABELS.get(
            basis if isinstance(basis, str) else "not_measurable", BASIS_LABELS["not_measurable"]
        )
    )


def _target_words(d: ReportData, t) -> str:
    """'≥ 60 平方公里', '3–5 个' (with the English after the Chinese in an English report)."""
    return d.t(t.target_text_zh, t.target_text_en if t.target_text_en != t.target_text_zh else "")


def _unit_words(d: ReportData, unit: str) -> str:
    return d.t(unit_text(unit, "zh"), unit_text(unit, "en"))


def _year(d: ReportData, t) -> str:
    if pd.isna(t.year):
        return d.t("（未定年份）", " (no year)")
    return f"{int(t.year)}" + (d.t("（推定）", " (inferred)") if bool(t.year_inferred) else "")


def _dname(d: ReportData, did: str) -> str:
    return d.t(district_name(did, "zh"), district_name(did, "en"))


def _h(d: ReportData, zh: str, en: str, unit: str | None = None) -> str:
    """A header: '面积（平方公里）', or '面积 Area (km²)' in English."""
    if unit is None:
        return d.t(zh, en)
    if d.lang == "zh":
        return f"{zh}（{unit_label(unit, 'zh')}）"
    return f"{zh} {en} ({unit_label(unit, 'en')})"


def _area_fmt(unit: str) -> str:
    dec = unit_decimals(unit)
    return "#,##0" + ("." + "0" * dec if dec else "")


def _layer(d: ReportData, lid: str) -> str:
    """A layer's short name from the catalog (layers.names.layer_label)."""
    return d.t(layer_label(lid, "zh"), layer_label(lid, "en"))


def _drawn(d, r) -> str:
    """How a park's outline was drawn, in the report's language ('' for an outline not drawn)."""
    zh, en = getattr(r, "drawn_method_zh", None), getattr(r, "drawn_method", None)
    text = zh if d.lang == "zh" and isinstance(zh, str) else en
    return text if isinstance(text, str) else ""
