"""Reports for land-supply meetings (供地会): a workbook (.xlsx) and a printable A4 atlas (.pdf).

The figures come from the functions the ``landplan`` command prints
(:func:`layers.summary.district_coverage`, :func:`layers.gaps.target_supply`,
:func:`layers.gaps.cluster_gaps`, :func:`layers.gaps.gaps_table`,
:func:`layers.summary.catalog_overlaps`), so a report equals ``landplan coverage/targets/gaps``
for the same scope and unit. Indicative outlines are marked as such on every sheet and page.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import io
import logging
import subprocess
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis import clip_to_zones, uncovered
from geo.area import area, project_for_area
from geo.errors import LandplanError
from geo.units import OFFERED_UNITS, convert_area, normalize_unit, unit_decimals, unit_label, unit_text
from layers.catalog import CATALOG_DIR, FEATURE_LAYERS, format_source, layer_spec
from layers.gaps import BASIS_LABELS, MET_LABELS, basis_summary_text, cluster_gaps, gaps_table, target_supply
from layers.load import data_dir, feature_ids, load
from layers.scenario import layers_in_effect
from layers.summary import catalog_overlaps, district_coverage

#: areas are measured in CGCS2000 / 3-degree Gauss-Kruger CM 114E
AREA_CRS = 4547
UNITS = OFFERED_UNITS
#: the layer whose coverage of the districts the reports show
PARK_LAYER = "sz20_parks"
SUFFIXES = (".xlsx", ".pdf")
SHEETS = (("summary", "汇总 Summary"), ("districts", "分区覆盖 Districts"), ("parks", "园区 Parks"),
          ("clusters", "产业集群 Clusters"), ("overlaps", "重叠 Overlaps"), ("gaps", "缺口 Gaps"),
          ("sources", "来源 Sources"))
PRECISION_LABELS = {"indicative": ("示意", "indicative"), "none": ("无边界", "no outline"),
                    "official": ("官方", "official"), "user": ("用户提供", "user-supplied"),
                    "proposed": ("拟建（情景）", "proposed (what-if)"),
                    "web_map": ("网络地图边界（高德，含部分海域）", "web-map outline (AMap, includes some sea)")}
GAP_LABELS = {"target": ("目标缺口", "target"), "cluster": ("集群缺口", "cluster"),
              "no_outline": ("无公开边界", "no outline")}
LAYER_LABELS = {"sz20_parks": ("20大先进制造业园区", "20 advanced manufacturing parks"),
                "longgang_parks": ("龙岗先进制造业园区及集聚区", "Longgang parks and agglomeration areas"),
                "pingshan_zones": ("坪山三区一带", "Pingshan zones and belt"),
                "innovation_zones": ("创新集群区与战略平台", "Innovation cluster zones and platforms"),
                "upload": ("上传图层", "uploaded layer"), "proposed": ("拟建园区（情景）", "proposed parks (what-if)")}


# ----------------------------------------------------------------------------- the figures

@dataclass
class ReportData:
    """Everything a report shows, for one scope ('city' or a district id) and one unit."""
    scope: str
    district: str | None
    unit: str
    lang: str
    date: str
    version: str
    districts: gpd.GeoDataFrame
    coverage: pd.DataFrame
    tiers: pd.DataFrame
    targets: pd.DataFrame
    clusters: pd.DataFrame
    overlaps: gpd.GeoDataFrame
    gaps: pd.DataFrame
    parks: pd.DataFrame
    features: dict = field(default_factory=dict)
    sources: pd.DataFrame | None = None
    notes: list = field(default_factory=list)
    supply_layers: dict | None = None

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


def data_version() -> str:
    """'landplan 0.1.0 · data 1a2b3c4d5e6f': package version and a hash of the catalog and shipped outlines."""
    try:
        from importlib.metadata import version
        ver = version("landplan")
    except Exception:  # noqa: BLE001 - running from a checkout that is not installed
        ver = "dev"
    h = hashlib.sha256()
    files = sorted(CATALOG_DIR.rglob("*.yaml")) + sorted(p for p in data_dir().iterdir() if p.is_file())
    for p in files:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return f"landplan {ver} · data {h.hexdigest()[:12]}"


def supply_layers_for(upload: gpd.GeoDataFrame | None = None, upload_role: str = "beside",
                      proposed: gpd.GeoDataFrame | None = None, upload_official: bool = False) -> dict | None:
    """The layers in effect for a report (see :func:`layers.scenario.layers_in_effect`)."""
    return layers_in_effect(upload, upload_role, upload_official, proposed)


def _check(scope: str, unit: str, lang: str, districts: gpd.GeoDataFrame) -> tuple[str | None, str]:
    if lang not in ("zh", "en"):
        raise LandplanError(f"Unknown language {lang!r}; use zh or en.", f"未知语言 {lang!r}；可用 zh 或 en。")
    unit = normalize_unit(unit)
    if unit not in UNITS:
        raise LandplanError(f"Reports are in {', '.join(UNITS)}, not {unit!r}.",
                            f"报告单位可用 {'、'.join(UNITS)}，不支持 {unit!r}。")
    scope = str(scope or "city").strip()
    if scope in ("city", "shenzhen", "全市"):
        return None, unit
    ids = list(districts["district_id"])
    if scope not in ids:
        raise LandplanError(f"Unknown scope {scope!r}; use city or a district id: {', '.join(ids)}.",
                            f"未知范围 {scope!r}；可用 city 或区编号：{'、'.join(ids)}。")
    return scope, unit


def report_data(scope: str = "city", unit: str = "km2", lang: str = "zh",
                supply_layers: dict[str, gpd.GeoDataFrame] | None = None) -> ReportData:
    """Collect the report's figures for a scope ('city' or a district id) in one unit.

    ``supply_layers`` replaces or adds layers by id (e.g. an uploaded layer, or the 20 parks
    with drawn proposed parks), as in :func:`layers.gaps.target_supply`.
    """
    all_districts = load("districts")
    district, unit = _check(scope, unit, lang, all_districts)
    in_scope = all_districts if district is None else all_districts[all_districts["district_id"] == district]
    feats = {lid: load(lid) for lid in FEATURE_LAYERS}
    feats.update(supply_layers or {})
    parks_layer = feats[PARK_LAYER]

    cov = district_coverage(PARK_LAYER, unit, layer=parks_layer)
    tiers = _tier_coverage(parks_layer, cov, unit)
    if district is not None:
        cov = cov[cov["zone_id"] == district].reset_index(drop=True)
        tiers = tiers[tiers["zone_id"] == district].reset_index(drop=True)
    tg = target_supply(unit=unit, district=district, supply_layers=supply_layers)
    cl = cluster_gaps(district=district, extra=supply_layers)
    gp = gaps_table(unit=unit, district=district, supply_layers=supply_layers)
    ov = catalog_overlaps(unit=unit)
    double = ov.attrs.get("double_counted", 0.0)
    if district is not None:
        zone = project_for_area(in_scope, AREA_CRS).geometry.iloc[0]
        inside = shapely.area(shapely.intersection(project_for_area(ov, AREA_CRS).geometry.values, zone)) >= 1.0
        ov = ov[inside].reset_index(drop=True)
        double = float(ov["area"].sum())
    ov.attrs["double_counted"] = double
    parks = _park_pieces(feats, in_scope, district, unit)
    data = ReportData(scope=district or "city", district=district, unit=unit, lang=lang,
                      date=_dt.date.today().isoformat(), version=data_version(), districts=in_scope,
                      coverage=cov, tiers=tiers, targets=tg, clusters=cl, overlaps=ov, gaps=gp, parks=parks,
                      features=feats, supply_layers=supply_layers)
    data.sources = _sources(data)
    data.notes = _precision_notes(data)
    return data


#: the Opinion's spatial gradient of the 20 parks (启动区 start-up, 拓展区 expansion, 储备区 reserve)
TIER_ORDER = ("启动区", "拓展区", "储备区")


def _tier_order(values) -> list[str]:
    """Tiers in the Opinion's order, others after them, 'unstated' last."""
    vals = {str(v) for v in values}
    return sorted(vals, key=lambda t: (t == "unstated", TIER_ORDER.index(t) if t in TIER_ORDER else len(TIER_ORDER), t))


def _tier_coverage(parks: gpd.GeoDataFrame, cov: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Covered area per district and park tier (启动区/拓展区/储备区 when known; 'unstated' otherwise)."""
    tier = parks["tier"] if "tier" in parks.columns else pd.Series(None, index=parks.index)
    tier = tier.where(tier.notna(), "unstated").astype(str)
    out = cov[["zone_id"]].copy()
    groups = _tier_order(tier.unique())
    if len(groups) <= 1:  # one tier: its coverage is the coverage
        out[groups[0] if groups else "unstated"] = cov["covered_area"].to_numpy()
        return out
    for g in groups:
        sub = parks[(tier == g).to_numpy()]
        has = sub.geometry.notna() & sub.geom_type.isin(["Polygon", "MultiPolygon"])
        out[g] = (district_coverage(PARK_LAYER, unit, layer=sub)["covered_area"].to_numpy() if has.any()
                  else np.zeros(len(out)))
    return out


def _as_list(v) -> list:
    return list(v) if isinstance(v, (list, tuple, np.ndarray)) else []


def _park_pieces(feats: dict, zones: gpd.GeoDataFrame, district: str | None, unit: str) -> pd.DataFrame:
    """One row per feature and district it lies in: the part's area, the whole drawn area, the stated area."""
    zproj = project_for_area(zones, AREA_CRS)
    rows = []
    for lid, g in feats.items():
        g = g.reset_index(drop=True)
        ids = feature_ids(g)
        col = lambda name, default=None: g[name] if name in g.columns else pd.Series(default, index=g.index)  # noqa: E731
        names_zh, names_en = col("name_zh"), col("name_en")
        if "name_zh" not in g.columns:
            for alt in ("name", "NAME", "名称"):
                if alt in g.columns:
                    names_zh = g[alt]
        prec = col("precision", "user").fillna("user")
        poly = (g.geometry.notna() & g.geom_type.isin(["Polygon", "MultiPolygon"])).to_numpy()
        drawn = np.full(len(g), np.nan)
        if poly.any():
            drawn[poly] = area(g[poly], unit, crs=AREA_CRS).to_numpy()
        stated = pd.to_numeric(col("stated_km2"), errors="coerce").to_numpy(dtype=float)
        base = pd.DataFrame({
            "layer_id": lid, "feature_id": ids.to_numpy(), "name_zh": names_zh.to_numpy(),
            "name_en": names_en.to_numpy(), "kind": col("kind").to_numpy(), "tier": col("tier").to_numpy(),
            "precision": prec.to_numpy(), "clusters": col("lead_clusters").map(_as_list).to_numpy(),
            "drawn_area": drawn, "stated_area": convert_area(stated, "km2", unit),
            "stated_comparator": col("stated_km2_comparator").to_numpy(),
            "source": col("source", f"uploaded file {g.attrs.get('source_name', lid)} (user-supplied)")
            .fillna("").astype(str).to_numpy(),
            "drawn_method": col("drawn_method").to_numpy(), "inference": col("inference").to_numpy(),
        })
        if poly.any():
            proj = project_for_area(g[poly], AREA_CRS)
            il, iz, pieces = clip_to_zones(proj, zproj)
            m2 = shapely.area(pieces)
            keep = m2 >= 1.0  # slivers from boundary rounding are not a part
            idx = np.flatnonzero(poly)[il[keep]]
            part = base.iloc[idx].copy()
            part["district_id"] = zones["district_id"].to_numpy()[iz[keep]]
            part["area"] = convert_area(m2[keep], "m2", unit)
            rows.append(part)
        # points, lines and records without a public outline: listed in the districts they name
        other = base[~poly].copy()
        other["district_id"] = col("district_ids").map(_as_list).to_numpy()[~poly]
        other = other.explode("district_id")
        other = other[other["district_id"].isin(list(zones["district_id"]))]
        other["area"] = np.nan
        rows.append(other)
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    order = {d: i for i, d in enumerate(zones["district_id"])}
    out["_o"] = out["district_id"].map(order)
    out["_l"] = out["layer_id"].map({lid: i for i, lid in enumerate(feats)})
    out = out.sort_values(["_o", "_l"], kind="stable").drop(columns=["_o", "_l"]).reset_index(drop=True)
    out["stated_minus_drawn"] = out["stated_area"] - out["drawn_area"]
    return out


def _precision_notes(d: ReportData) -> list[str]:
    tg = d.targets
    indicative = [d.t(r.name_zh, r.name_en) for r in tg[tg["basis"] == "indicative"].itertuples()]
    n_ind = int((d.parks["precision"] == "indicative").sum())
    n_none = int((d.parks["precision"] == "none").sum())
    notes = [d.t("园区与片区边界为示意（precision = indicative，虚线加斜线）：官方边界未公开。"
                 "分区覆盖、园区面积与重叠面积依据示意边界，仅供参考；以下目标只有示意范围，不计为供给，是否达标未知：",
                 "Park and zone outlines are indicative (dashed and hatched): official outlines are not "
                 "published. Coverage, park areas and overlaps rest on them; these targets have only an indicative "
                 "extent, not supply, and whether they are met is unknown: ")
             + ("、".join(indicative) if indicative else d.t("（无）", "(none)")),
             d.t(f"本范围内示意边界要素部分 {n_ind} 个，无公开边界的记录 {n_none} 个（不计入面积）。",
                 f"In scope: {n_ind} feature parts with indicative outlines, {n_none} records without a public "
                 "outline (not counted in any area).")]
    ind_d = d.districts[d.districts["precision"] == "indicative"]
    notes.append(d.t("行政区边界取自高德地图（含部分海域与填海），不是测绘的行政界线；覆盖率为占边界面积的百分比，"
                     "公布陆地面积并列显示以供对照。",
                     "District outlines are AMap's web-map outlines (with some sea and reclaimed land), not surveyed "
                     "boundaries; coverage % is of the outline's area, with the published land area shown beside it."))
    if len(ind_d):
        notes.append(d.t("行政区边界中 " + "、".join(ind_d["name_zh"]) + " 为示意切分（切分方法见来源表）。",
                         "District outlines of " + ", ".join(ind_d["name_en"]) + " are indicative cuts "
                         "(the cut is described on the Sources sheet)."))
    notes.append(d.t("面积为 EPSG:4547（CGCS2000 3度带 114°E）平面面积；1 亩 = 10000/15 m²；重叠部分只计一次。",
                     "Areas are planimetric in EPSG:4547 (CGCS2000 3-degree GK CM 114E); 1 mu = 10000/15 m²; "
                     "overlaps counted once."))
    return notes


def _sources(d: ReportData) -> pd.DataFrame:
    rows = []
    for r in d.targets.itertuples():
        src = "；".join([r.source] + [w["source"] for w in (r.wordings or [])])
        conflict = d.t(r.conflict_zh, r.conflict_en) if isinstance(r.conflict_zh, str) else ""
        refs = "; ".join(x for x in [r.source_ref] + [w["source_ref"] for w in (r.wordings or [])] if x)
        rows.append(("target", r.target_id, d.t(r.name_zh, r.name_en), _target_words(d, r), src,
                     "  ".join(x for x in (conflict, refs) if x)))
    seen = set()
    for r in d.clusters.itertuples():
        if r.cluster_id not in seen:
            seen.add(r.cluster_id)
            rows.append(("cluster", r.cluster_id, d.t(r.cluster_zh, r.cluster_en),
                         d.t("《意见》指定区", "districts named by the Opinion"), r.source, ""))
    for r in d.parks.drop_duplicates(["layer_id", "feature_id"]).itertuples():
        fig = d.t("边界", "outline") + f" ({_prec(d, r.precision)})"
        if pd.notna(r.stated_area):
            fig += d.t("；文件所述面积", "; stated area") + f" {r.stated_comparator or ''}{_num(r.stated_area, d.unit)}"
        rows.append(("park/zone", f"{r.layer_id}:{r.feature_id}", _name(d, r.name_zh, r.name_en), fig, r.source,
                     r.drawn_method if isinstance(r.drawn_method, str) else ""))
    spec = layer_spec("districts")
    for r in d.districts.itertuples():
        rows.append(("district", r.district_id, d.t(r.name_zh, r.name_en), d.t("行政区边界", "outline"),
                     spec["outline_source"], r.cut_method if isinstance(r.cut_method, str) else ""))
        rows.append(("district", r.district_id, d.t(r.name_zh, r.name_en),
                     d.t("公布陆地面积", "published land area") + f" {r.official_land_km2} km²",
                     r.official_land_source, ""))
    sz = layer_spec(PARK_LAYER)
    if "city_total" in sz:
        ct = sz["city_total"]
        src = ct.get("source") or {}
        rows.append(("park/zone", PARK_LAYER, d.t(sz["name_zh"], sz["name_en"]),
                     f"{ct.get('count')} parks, {ct.get('stated_km2_comparator', '')}{ct.get('stated_km2')} km²",
                     format_source(src), ct.get("quote", "")))
    if "reported" in sz:
        rows.append(("park/zone", PARK_LAYER, d.t("20大园区各区数量", "20 parks: count by district"),
                     "; ".join(f"{k} {v}" for k, v in (sz["reported"].get("count_by_district") or {}).items()),
                     format_source(sz["reported"].get("source")), sz["reported"].get("note", "")))
    rows.append(("method", "area", d.t("面积计算方法", "area method"), "EPSG:4547, 1 亩 = 10000/15 m²",
                 "geo.area / geo.analysis.coverage (landplan)", ""))
    return pd.DataFrame(rows, columns=["category", "id", "name", "figure", "source", "note"])


# ----------------------------------------------------------------------------- formatting helpers

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
    return d.t(*BASIS_LABELS.get(basis if isinstance(basis, str) else "not_measurable", BASIS_LABELS["not_measurable"]))


def _target_words(d: ReportData, t) -> str:
    """'≥ 60 平方公里', '3–5 个' (with the English after the Chinese in an English report)."""
    return d.t(t.target_text_zh, t.target_text_en if t.target_text_en != t.target_text_zh else "")


def _unit_words(d: ReportData, unit: str) -> str:
    return d.t(unit_text(unit, "zh"), unit_text(unit, "en"))


def _year(d: ReportData, t) -> str:
    if pd.isna(t.year):
        return d.t("（未定年份）", " (no year)")
    return f"{int(t.year)}" + (d.t("（推定）", " (inferred)") if bool(t.year_inferred) else "")


@lru_cache(maxsize=1)
def _district_names() -> dict:
    r = load("districts")
    return {k: (zh, en) for k, zh, en in zip(r["district_id"], r["name_zh"], r["name_en"])}


def _dname(d: ReportData, did: str) -> str:
    names = _district_names().get(did)
    return d.t(*names) if names else str(did)


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


# ----------------------------------------------------------------------------- workbook

def _width(s) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(s))


def _write_table(ws, top: int, columns: list[tuple], rows: list[list], total: list | None = None,
                 wrap_cols: tuple = ()) -> int:
    """Header at row ``top``, then rows, then an optional bold total row. Returns the next free row.

    ``columns``: (header, number_format or None).
    """
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    thin = Side(style="thin", color="999999")
    for j, (head, _) in enumerate(columns, start=1):
        c = ws.cell(row=top, column=j, value=head)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDDDDD")
        c.alignment = Alignment(wrap_text=True, vertical="center")
        c.border = Border(bottom=thin)
    r = top
    for row in rows:
        r += 1
        for j, v in enumerate(row, start=1):
            if isinstance(v, float) and np.isnan(v):
                v = None
            if isinstance(v, (list, tuple, np.ndarray)):
                v = "；".join(map(str, v))
            c = ws.cell(row=r, column=j, value=v.item() if hasattr(v, "item") else v)
            fmt = columns[j - 1][1]
            if fmt and isinstance(c.value, (int, float)):
                c.number_format = fmt
            if j - 1 in wrap_cols:
                c.alignment = Alignment(wrap_text=True, vertical="top")
    if total is not None:
        r += 1
        for j, v in enumerate(total, start=1):
            c = ws.cell(row=r, column=j, value=v)
            c.font = Font(bold=True)
            c.border = Border(top=thin)
            fmt = columns[j - 1][1]
            if fmt and isinstance(v, (int, float)):
                c.number_format = fmt
    # fitted widths: the widest cell of each column (headers wrap), capped for long texts
    for j, (head, _) in enumerate(columns, start=1):
        letter = ws.cell(row=top, column=j).column_letter
        widths = [min(_width(head), 24)]
        for rr in range(top + 1, r + 1):
            v = ws.cell(row=rr, column=j).value
            if isinstance(v, float):
                v = f"{v:,.2f}"
            widths.append(_width(v) if v is not None else 0)
        cap = 60 if (j - 1) in wrap_cols else 48
        ws.column_dimensions[letter].width = max(6, min(cap, max(widths) + 2))
    return r + 2  # a blank row before any note


def _meta_rows(ws, d: ReportData, title: str) -> int:
    from openpyxl.styles import Alignment, Font
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    ws.cell(row=2, column=1, value=d.t("范围", "Scope")).font = Font(bold=True)
    ws.cell(row=2, column=2, value=d.scope_name())
    ws.cell(row=2, column=3, value=d.t("日期", "Date")).font = Font(bold=True)
    ws.cell(row=2, column=4, value=d.date)
    ws.cell(row=2, column=5, value=d.t("数据版本", "Data version")).font = Font(bold=True)
    ws.cell(row=2, column=6, value=d.version)
    ws.cell(row=2, column=7, value=d.t("面积单位", "Area unit")).font = Font(bold=True)
    ws.cell(row=2, column=8, value=d.unit_text())
    for c in ws[2]:
        c.alignment = Alignment(vertical="top")
    return 3


def _summary_sheet(ws, d: ReportData) -> None:
    from openpyxl.styles import Alignment, Font
    top = _meta_rows(ws, d, d.t("供地会报告：目标与供给汇总", "Land-supply meeting report: targets against supply"))
    ws.cell(row=top, column=1, value=d.t("精度说明", "Data precision")).font = Font(bold=True)
    ws.cell(row=top, column=2, value="\n".join(d.notes))
    ws.merge_cells(start_row=top, start_column=2, end_row=top, end_column=12)
    ws.cell(row=top, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[top].height = 15 * (2 + sum(_width(n) // 150 + 1 for n in d.notes))
    cov = d.coverage
    zone, covered = float(cov["zone_area"].sum()), float(cov["covered_area"].sum())
    r = top + 1
    fmt = _area_fmt(d.unit)
    for j, (label, v, f) in enumerate([
            (_h(d, "区域面积", "Area", d.unit), zone, fmt),
            (_h(d, "20大园区覆盖面积（示意）", "Covered by the 20 parks (indicative)", d.unit), covered, fmt),
            (d.t("覆盖率 %", "Coverage %"), covered / zone * 100 if zone else 0.0, "0.0")]):
        ws.cell(row=r, column=1 + 2 * j, value=label).font = Font(bold=True)
        c = ws.cell(row=r, column=2 + 2 * j, value=v)
        c.number_format = f
    top = r + 2
    ws.cell(row=top, column=1, value=d.t2(basis_summary_text(d.targets, "zh"), basis_summary_text(d.targets, "en")))
    top += 1
    cols = [(d.t("目标", "Target"), None), (d.t("目标值", "Target value"), None), (d.t("单位", "Unit"), None),
            (d.t("现有供给（实测或拟建）", "Supplied (measured or proposed)"), None), (d.t("缺口", "Shortfall"), None),
            (d.t("是否达标", "Met"), None), (d.t("供给依据", "Supply measured on"), None),
            (d.t("示意范围（非供给）", "Indicative extent (not supply)"), None), (d.t("年份", "Year"), None),
            (d.t("来源", "Source"), None), (d.t("文件措辞差异", "Differing wordings"), None),
            (d.t("依据说明", "Basis note"), None), (d.t("范围", "Scope"), None), (d.t("目标编号", "Target id"), None)]
    rows, formats = [], []
    for t in d.targets.itertuples():
        rows.append([d.t(t.name_zh, t.name_en), _target_words(d, t), _unit_words(d, t.unit), t.supplied, t.shortfall,
                     _met(d, t.met_status), _basis(d, t.basis), t.indicative_extent, _year(d, t),
                     d.t(t.source, "") if d.lang == "zh" else t.source_en,
                     d.t(t.conflict_zh, t.conflict_en) if isinstance(t.conflict_zh, str) else "",
                     d.t(t.basis_note_zh, t.basis_note), t.scope_id, t.target_id])
        formats.append(_area_fmt(t.unit))
    nxt = _write_table(ws, top, cols, rows, wrap_cols=(0, 9, 10, 11))
    for i, f in enumerate(formats):  # each target in its own unit (area, count, 万m²)
        for j in (4, 5, 8):
            ws.cell(row=top + 1 + i, column=j).number_format = f
    ws.freeze_panes = ws.cell(row=top + 1, column=2)
    ws.cell(row=nxt, column=1, value=d.t(
        "示意范围是按文件所述面积画出的示意边界的面积，不是供给；只有依据地块或正式边界（实测）或拟建情景的数字计入供给。",
        "The indicative extent is the area of outlines drawn at a stated size: not supply. Only figures measured on "
        "parcels or official outlines, or on proposed (what-if) parks, count as supply."))


def _districts_sheet(ws, d: ReportData) -> None:
    top = _meta_rows(ws, d, d.t("分区覆盖：20大先进制造业园区（示意边界）", "Coverage of each district by the 20 parks (indicative outlines)")) + 1
    u, fmt = d.unit, _area_fmt(d.unit)
    tiers = [c for c in d.tiers.columns if c != "zone_id"]
    cols = [(d.t("区编号", "District id"), None), (d.t("行政区", "District"), None),
            (_h(d, "公布陆地面积", "Published land area", u), fmt), (_h(d, "区域面积（边界）", "Area (outline)", u), fmt),
            (_h(d, "园区覆盖面积", "Covered by parks", u), fmt), (_h(d, "未覆盖面积", "Not covered", u), fmt),
            (d.t("覆盖率（占边界面积）%", "Coverage % of the outline area"), "0.0"), (d.t("园区数", "Parks"), "0"),
            (d.t("边界精度", "Outline precision"), None)]
    cols += [(_h(d, f"层级 {t if t != 'unstated' else '未公布'} 覆盖", f"tier {t}", u), fmt) for t in tiers]
    dist = d.districts.set_index("district_id")
    tier_tab = d.tiers.set_index("zone_id")
    rows = []
    for r in d.coverage.itertuples():
        off = dist.loc[r.zone_id, "official_land_km2"]
        rows.append([r.zone_id, d.t(r.name_zh, r.name_en), convert_area(float(off), "km2", u) if pd.notna(off) else None,
                     r.zone_area, r.covered_area, r.uncovered_area, r.covered_pct, int(r.feature_count),
                     _prec(d, dist.loc[r.zone_id, "precision"])] + [tier_tab.loc[r.zone_id, t] for t in tiers])
    cov = d.coverage
    zone, covered = float(cov["zone_area"].sum()), float(cov["covered_area"].sum())
    off_sum = sum(x[2] for x in rows if x[2] is not None)
    total = [d.t("合计", "Total"), d.t("范围合计", "scope total"), off_sum, zone, covered,
             float(cov["uncovered_area"].sum()), covered / zone * 100 if zone else 0.0,
             int(cov["feature_count"].sum()), ""] + [float(d.tiers[t].sum()) for t in tiers]
    nxt = _write_table(ws, top, cols, rows, total)
    ws.freeze_panes = ws.cell(row=top + 1, column=3)
    ws.cell(row=nxt, column=1, value=d.t(
        "园区数按区计：跨区园区在每个区各计一次。区域面积取自高德边界（含部分海域与填海），略大于公布陆地面积。",
        "Parks are counted per district: a park in two districts counts in each. Outline areas (AMap, incl. some "
        "sea and reclaimed land) run above the published land areas."))


def _parks_sheet(ws, d: ReportData) -> None:
    top = _meta_rows(ws, d, d.t("园区与片区：分区面积、文件所述面积与绘制面积", "Parks and zones: area by district, stated vs drawn")) + 1
    u, fmt = d.unit, _area_fmt(d.unit)
    cols = [(d.t("图层", "Layer"), None), (d.t("编号", "Id"), None), (d.t("名称", "Name"), None),
            (d.t("类型", "Kind"), None), (d.t("所在区", "District"), None),
            (_h(d, "区内面积", "Area in district", u), fmt), (_h(d, "绘制面积（整体）", "Drawn area (whole)", u), fmt),
            (_h(d, "文件所述面积", "Stated area", u), fmt), (_h(d, "所述减绘制", "Stated minus drawn", u), fmt),
            (d.t("层级", "Tier"), None), (d.t("精度", "Precision"), None), (d.t("主导集群", "Lead clusters"), None),
            (d.t("来源", "Source"), None), (d.t("绘制方法", "How drawn"), None),
            (d.t("推断（文件未明说）", "Inference (not stated by a document)"), None)]
    rows = []
    for r in d.parks.itertuples():
        rows.append([r.layer_id, r.feature_id, _name(d, r.name_zh, r.name_en), r.kind, _dname(d, r.district_id),
                     r.area, r.drawn_area, r.stated_area, r.stated_minus_drawn,
                     r.tier if isinstance(r.tier, str) else d.t("未公布", "not public"),
                     _prec(d, r.precision), "、".join(r.clusters), r.source,
                     r.drawn_method if isinstance(r.drawn_method, str) else "",
                     r.inference if isinstance(r.inference, str) else ""])
    total = [d.t("合计", "Total"), "", "", "", "", float(np.nansum(d.parks["area"])), None, None, None,
             "", "", "", "", "", ""]
    nxt = _write_table(ws, top, cols, rows, total, wrap_cols=(12, 13, 14))
    ws.freeze_panes = ws.cell(row=top + 1, column=3)
    ws.cell(row=nxt, column=1, value=d.t(
        "合计为各要素区内面积之和：重叠部分（见“重叠”表）重复计算；不重复的园区覆盖面积见“分区覆盖”表。无公开边界的记录不计面积。",
        "The total adds each feature's part: overlaps (see Overlaps) count in each feature; the union coverage is on "
        "the Districts sheet. Records without a public outline have no area."))


def _clusters_sheet(ws, d: ReportData) -> None:
    top = _meta_rows(ws, d, d.t("产业集群：《意见》指定区与承载园区/片区", "Clusters: districts the Opinion names vs parks/zones that carry them")) + 1
    cols = [(d.t("集群编号", "Cluster id"), None), (d.t("集群", "Cluster"), None),
            (d.t("《意见》指定地", "Place named by the Opinion"), None), (d.t("对应区", "Districts"), None),
            (d.t("承载园区/片区", "Carried by parks/zones"), None), (d.t("缺口", "Gap"), None),
            (d.t("来源", "Source"), None)]
    rows = [[r.cluster_id, d.t(r.cluster_zh, r.cluster_en), r.place_zh, "、".join(_dname(d, x) for x in r.district_ids),
             "、".join(r.carried_by) or "—", d.t("是", "yes") if r.gap else d.t("否", "no"), r.source]
            for r in d.clusters.itertuples()]
    n_gap = int(d.clusters["gap"].sum()) if len(d.clusters) else 0
    total = [d.t("合计", "Total"), d.t(f"{len(rows)} 对", f"{len(rows)} pairs"), "", "", "",
             d.t(f"{n_gap} 个缺口", f"{n_gap} gaps"), ""]
    _write_table(ws, top, cols, rows, total, wrap_cols=(4,))
    ws.freeze_panes = ws.cell(row=top + 1, column=3)


def _overlaps_sheet(ws, d: ReportData) -> None:
    top = _meta_rows(ws, d, d.t("重叠：园区与片区之间（示意边界）", "Overlaps between parks and zones (indicative outlines)")) + 1
    u, fmt = d.unit, _area_fmt(d.unit)
    cols = [(d.t("要素 A", "Feature A"), None), (d.t("名称 A", "Name A"), None), (d.t("要素 B", "Feature B"), None),
            (d.t("名称 B", "Name B"), None), (_h(d, "重叠面积", "Overlap area", u), fmt)]
    names = {f"{r.layer_id}:{r.feature_id}": _name(d, r.name_zh, r.name_en) for r in d.parks.itertuples()}
    rows = [[r.a_id, names.get(r.a_id, ""), r.b_id, names.get(r.b_id, ""), r.area] for r in d.overlaps.itertuples()]
    total = [d.t("合计", "Total"), d.t("重复计算面积", "area counted twice"), "", "", float(d.overlaps.attrs["double_counted"])]
    nxt = _write_table(ws, top, cols, rows, total)
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    ws.cell(row=nxt, column=1, value=d.t(
        "同一园区在两个图层中的记录（same_as）不计为重叠。重叠只在目录图层之间计算（不含上传或拟建图层）。",
        "The same park recorded in two layers (same_as) is not an overlap. Overlaps are between catalog layers "
        "(not uploaded or proposed layers)."))


def _gaps_sheet(ws, d: ReportData) -> None:
    top = _meta_rows(ws, d, d.t("缺口：未达标目标、集群缺口、无公开边界", "Gaps: targets not met, cluster gaps, records without outline")) + 1
    cols = [(d.t("类型", "Type"), None), (d.t("编号", "Id"), None), (d.t("区", "District"), None),
            (d.t("说明", "Detail"), None), (d.t("缺口", "Shortfall"), _area_fmt(d.unit)), (d.t("单位", "Unit"), None),
            (d.t("来源", "Source"), None)]
    rows = []
    for r in d.gaps.itertuples():
        zh, en = GAP_LABELS.get(r.gap_type, (r.gap_type, r.gap_type))
        detail = r.detail_zh if d.lang == "zh" else f"{r.detail_zh} / {r.detail_en}"
        rows.append([d.t(zh, en), r.id, r.district_id, detail, r.shortfall, r.unit, r.source])
    counts = d.gaps["gap_type"].value_counts()
    total = [d.t("合计", "Total"), "；".join(f"{d.t(*GAP_LABELS[k])} {int(v)}" for k, v in counts.items()),
             "", "", None, "", ""]
    _write_table(ws, top, cols, rows, total, wrap_cols=(3,))
    ws.freeze_panes = ws.cell(row=top + 1, column=1)


def _sources_sheet(ws, d: ReportData) -> None:
    top = _meta_rows(ws, d, d.t("来源：每个数字的文件与行号或公开报道", "Sources: each figure's document and line, or public report")) + 1
    cols = [(d.t("类别", "Category"), None), (d.t("编号", "Id"), None), (d.t("名称", "Name"), None),
            (d.t("数字", "Figure"), None), (d.t("来源（文件与行号，或公开报道）", "Source (document and line, or public report)"), None),
            (d.t("说明", "Note"), None)]
    rows = d.sources.values.tolist()
    _write_table(ws, top, cols, rows, wrap_cols=(4, 5))
    ws.freeze_panes = ws.cell(row=top + 1, column=1)


def report_xlsx(scope: str = "city", unit: str = "km2", lang: str = "zh", supply_layers=None,
                upload=None, upload_role: str = "beside", proposed=None, data: ReportData | None = None) -> bytes:
    """The meeting workbook (.xlsx bytes): summary, districts, parks, clusters, overlaps, gaps, sources.

    ``upload``/``upload_role``/``proposed`` are the page's uploaded and drawn layers (see
    :func:`supply_layers_for`); ``supply_layers`` gives layers by id directly.
    """
    from openpyxl import Workbook
    if data is None:
        layers_ = supply_layers if supply_layers is not None else supply_layers_for(upload, upload_role, proposed)
        data = report_data(scope, unit, lang, layers_)
    wb = Workbook()
    wb.remove(wb.active)
    writers = {"summary": _summary_sheet, "districts": _districts_sheet, "parks": _parks_sheet,
               "clusters": _clusters_sheet, "overlaps": _overlaps_sheet, "gaps": _gaps_sheet,
               "sources": _sources_sheet}
    for key, title in SHEETS:
        writers[key](wb.create_sheet(title), data)
    wb.properties.title = "landplan report"
    wb.properties.keywords = data.version
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ----------------------------------------------------------------------------- atlas

#: CJK fonts looked for, best first (Debian: fonts-wqy-zenhei, fonts-noto-cjk; Windows/macOS names too).
#: Fonts with TrueType outlines are preferred: matplotlib embeds them as the PDF standard says, whereas
#: CFF-outline fonts (Noto Sans CJK, Source Han Sans) are embedded under a TrueType label that strict
#: viewers may reject.
CJK_FAMILIES = ("WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC",
                "Hiragino Sans GB", "Droid Sans Fallback", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
                "Source Han Sans CN", "Noto Serif CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "AR PL UMing CN")
NO_CJK_FONT = LandplanError(
    "No Chinese (CJK) font was found, so the atlas cannot print Chinese text. Install one and run again: "
    "on Debian/Ubuntu `sudo apt-get install fonts-wqy-zenhei` (or fonts-noto-cjk), on Fedora "
    "`sudo dnf install wqy-zenhei-fonts`; on Windows and macOS the system fonts (Microsoft YaHei, PingFang) "
    "are found by themselves.",
    "未找到中文字体，无法生成图集。请安装后重试：Debian/Ubuntu 运行 `sudo apt-get install fonts-wqy-zenhei`"
    "（或 fonts-noto-cjk）。")


def _fontconfig_chinese_files() -> list[str]:
    """Font files fontconfig lists as covering Simplified Chinese ([] without fontconfig)."""
    try:
        out = subprocess.run(["fc-list", ":lang=zh-cn", "file"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})


def _truetype(entry) -> bool:
    from fontTools.ttLib import TTFont
    try:
        return "glyf" in TTFont(entry.fname, fontNumber=getattr(entry, "index", 0) or 0, lazy=True)
    except Exception:  # noqa: BLE001 - unreadable: rank last
        return False


def cjk_font() -> str:
    """The family name of an installed font with Chinese glyphs (TrueType outlines preferred).

    Looks in matplotlib's font list and in fontconfig's (fonts installed after matplotlib built its
    cache); raises a LandplanError saying how to install one when there is none.
    """
    from matplotlib import font_manager as fm
    known = {f.fname for f in fm.fontManager.ttflist}
    for path in _fontconfig_chinese_files():
        if path not in known and Path(path).is_file():
            try:
                fm.fontManager.addfont(path)
            except Exception:  # noqa: BLE001 - a font matplotlib cannot read
                pass
    entries = {}
    for f in fm.fontManager.ttflist:
        entries.setdefault(f.name, f)
    found = [entries[name] for name in CJK_FAMILIES if name in entries]
    if not found:
        raise NO_CJK_FONT
    truetype = [f for f in found if _truetype(f)]
    return (truetype or found)[0].name


PAGE_W, PAGE_H, MARGIN = 8.27, 11.69, 0.55  # A4 portrait, inches


def _tw(s: str, size: float) -> float:
    """Approximate printed width (inches) of a text at ``size`` points."""
    return sum((1.0 if unicodedata.east_asian_width(c) in "WF" else 0.56) for c in s) * size / 72


def _wrap(s: str, width_in: float, size: float) -> list[str]:
    lines = []
    for para in str(s).split("\n"):
        line = ""
        for ch in para:
            if _tw(line + ch, size) > width_in and line and ch not in "，。；：、）)」,.;:%":
                cut = line.rfind(" ")
                if cut > 0 and unicodedata.east_asian_width(ch) not in "WF":
                    lines.append(line[:cut])
                    line = line[cut + 1:] + ch
                else:
                    lines.append(line)
                    line = ch
            else:
                line += ch
        lines.append(line)
    return lines


class _Atlas:
    """A4 pages drawn with matplotlib: a text cursor, tables that continue on the next page, maps."""

    def __init__(self, pdf, data: ReportData, font: str):
        self.pdf, self.d, self.font = pdf, data, font
        self.fig, self.y, self.page_no, self.heading = None, 0.0, 0, ""

    def new_page(self, heading: str) -> None:
        from matplotlib.figure import Figure
        self.close_page()
        self.page_no += 1
        self.heading = heading
        self.fig = Figure(figsize=(PAGE_W, PAGE_H))
        self.y = PAGE_H - MARGIN
        self.text(heading, 13, bold=True)
        self.fig.add_artist(_hline(self.fig, self.y + 0.05))
        self.y -= 0.08
        foot = (f"{self.d.version} · {self.d.date} · {self.d.scope_name()} · 第 {self.page_no} 页"
                + ("" if self.d.lang == "zh" else f" p. {self.page_no}"))
        self.fig.text(MARGIN / PAGE_W, 0.3 / PAGE_H, foot, fontsize=6.5, color="0.3")

    def close_page(self) -> None:
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            self.fig = None

    def room(self) -> float:
        return self.y - MARGIN - 0.2

    def text(self, s: str, size: float = 9, bold: bool = False, gap: float = 0.06, color="black",
             width: float | None = None) -> None:
        width = width or PAGE_W - 2 * MARGIN
        lh = size * 1.35 / 72
        lines = _wrap(s, width, size)
        if len(lines) <= 6 and self.room() < lh * len(lines):  # a short paragraph is not split across pages
            self.new_page(self.heading + self.d.t("（续）", " (cont.)"))
        for line in lines:
            if self.room() < lh:
                self.new_page(self.heading + self.d.t("（续）", " (cont.)"))
            self.y -= lh
            self.fig.text(MARGIN / PAGE_W, self.y / PAGE_H, line, fontsize=size, color=color,
                          fontweight="bold" if bold else "normal", va="baseline")
        self.y -= gap

    def table(self, header: list[str], rows: list[list], widths: list[float], size: float = 7,
              align: str | None = None, title: str | None = None, bold_last: bool = False) -> None:
        """Rows with wrapped cells; the header repeats when the table continues on a new page."""
        total_w = PAGE_W - 2 * MARGIN
        ws = [w / sum(widths) * total_w for w in widths]
        align = align or "l" * len(header)
        lh = size * 1.3 / 72
        pad = 0.035

        def cells(row, sz):
            return [_wrap("" if v is None else str(v), w - 2 * pad, sz) for v, w in zip(row, ws)]

        def draw_row(row, bold=False, shade=False):
            wrapped = cells(row, size)
            h = max(len(c) for c in wrapped) * lh + 2 * pad
            if self.room() < h:
                self.new_page(self.heading + self.d.t("（续）", " (cont.)"))
                if title:
                    self.text(title + self.d.t("（续）", " (cont.)"), 9, bold=True)
                draw_row(header, bold=True, shade=True)
            top = self.y
            if shade:
                from matplotlib.patches import Rectangle
                self.fig.add_artist(Rectangle((MARGIN / PAGE_W, (top - h) / PAGE_H), total_w / PAGE_W, h / PAGE_H,
                                              transform=self.fig.transFigure, facecolor="0.88", edgecolor="none",
                                              zorder=0))
            x = MARGIN
            for lines, w, a in zip(wrapped, ws, align):
                for k, line in enumerate(lines):
                    yy = top - pad - (k + 0.8) * lh
                    xx = x + w - pad if a == "r" else x + pad
                    self.fig.text(xx / PAGE_W, yy / PAGE_H, line, fontsize=size, ha="right" if a == "r" else "left",
                                  va="baseline", fontweight="bold" if bold else "normal")
                x += w
            self.y = top - h
            self.fig.add_artist(_hline(self.fig, self.y, lw=0.6 if bold or shade else 0.3))

        if title:
            self.text(title, 9, bold=True)
        if self.room() < 3 * lh + 0.2:
            self.new_page(self.heading + self.d.t("（续）", " (cont.)"))
        draw_row(header, bold=True, shade=True)
        for i, row in enumerate(rows):
            draw_row(row, bold=bold_last and i == len(rows) - 1)
        self.y -= 0.12


def _hline(fig, y_in: float, lw: float = 0.8):
    from matplotlib.lines import Line2D
    return Line2D([MARGIN / PAGE_W, 1 - MARGIN / PAGE_W], [y_in / PAGE_H] * 2, transform=fig.transFigure,
                  color="black", lw=lw)


def _cover(a: _Atlas) -> None:
    d = a.d
    a.new_page(d.t("深圳产业用地供地会图集", "Shenzhen industrial land: atlas for the land-supply meeting"))
    a.y -= 1.2
    a.text(d.t("范围", "Scope") + f"：{d.scope_name()}", 16, bold=True, gap=0.15)
    a.text(d.t("日期", "Date") + f"：{d.date}", 11)
    a.text(d.t("数据版本", "Data version") + f"：{d.version}", 11)
    a.text(d.t("面积单位", "Area unit") + f"：{d.unit_text()}", 11, gap=0.3)
    a.text(d.t("精度说明", "Data precision"), 11, bold=True)
    for n in d.notes:
        a.text(n, 9, gap=0.08)
    a.y -= 0.2
    a.text(d.t("目录", "Contents"), 11, bold=True)
    a.text(d.t("1. 汇总：分区覆盖与目标供给", "1. Summary: coverage and targets against supply"), 9)
    names = "、".join(_dname(d, x) for x in d.districts["district_id"])
    a.text(d.t(f"2. 分区图页（每区一页）：{names}", f"2. One page per district: {names}"), 9)
    a.y -= 0.2
    a.text(d.t("来源：各数字的文件与行号见工作簿“来源”表；园区边界为示意，官方边界未公开。",
               "Sources: each figure's document and line is on the workbook's Sources sheet; park outlines are "
               "indicative, official outlines are not published."), 8, color="0.25")


def _coverage_rows(d: ReportData, cov: pd.DataFrame, with_total: bool) -> list[list]:
    rows = [[d.t(r.name_zh, r.name_en), _num(r.zone_area, d.unit), _num(r.published_land_area, d.unit),
             _num(r.covered_area, d.unit), _num(r.uncovered_area, d.unit), _num(r.covered_pct, decimals=1),
             str(int(r.feature_count))] for r in cov.itertuples()]
    if with_total:
        zone, covered = float(cov["zone_area"].sum()), float(cov["covered_area"].sum())
        rows.append([d.t("合计", "Total"), _num(zone, d.unit), _num(float(cov["published_land_area"].sum()), d.unit),
                     _num(covered, d.unit),
                     _num(float(cov["uncovered_area"].sum()), d.unit), _num(covered / zone * 100 if zone else 0, decimals=1),
                     str(int(cov["feature_count"].sum()))])
    return rows


def _coverage_header(d: ReportData) -> list[str]:
    u = d.unit
    return [d.t("行政区", "District"), d.t("边界面积", "Outline area"), d.t("公布陆地面积", "Published land"),
            d.t("园区覆盖", "Covered"), d.t("未覆盖", "Not covered"), d.t("覆盖率（占边界）%", "Coverage % of outline"),
            d.t("园区数", "Parks")]


def _target_rows(d: ReportData, tg: pd.DataFrame) -> list[list]:
    rows = []
    for t in tg.itertuples():
        star = "*" if isinstance(t.conflict_zh, str) else ""
        supplied = _num(t.supplied, t.unit)
        if pd.notna(t.indicative_extent):
            supplied += d.t(f"（示意 {_num(t.indicative_extent, t.unit)}）", f" (indicative {_num(t.indicative_extent, t.unit)})")
        rows.append([d.t(t.name_zh, t.name_en) + star, _target_words(d, t) + " " + _year(d, t), supplied,
                     _num(t.shortfall, t.unit), _met(d, t.met_status), t.source if d.lang == "zh" else t.source_en])
    return rows


def _target_header(d: ReportData) -> list[str]:
    return [d.t("目标", "Target"), d.t("目标值（年份）", "Target (year)"), d.t("现有供给", "Supplied"),
            d.t("缺口", "Shortfall"), d.t("达标", "Met"), d.t("来源", "Source")]


TARGET_WIDTHS = [3.2, 1.9, 1.5, 0.9, 1.2, 2.8]


def _summary_pages(a: _Atlas) -> None:
    d = a.d
    a.new_page(d.t("汇总", "Summary") + f"：{d.scope_name()}")
    cov = d.coverage
    zone, covered = float(cov["zone_area"].sum()), float(cov["covered_area"].sum())
    a.text(d.t2(f"20大先进制造业园区（示意边界）覆盖 {_num(covered, d.unit)} {d.unit_text()}，占区域面积 "
               f"{_num(zone, d.unit)} {d.unit_text()} 的 {_num(covered / zone * 100 if zone else 0, decimals=1)}%。",
               f"The 20 parks (indicative outlines) cover {_num(covered, d.unit)} {d.unit_text()} of "
               f"{_num(zone, d.unit)} {d.unit_text()} ({_num(covered / zone * 100 if zone else 0, decimals=1)}%)."), 9)
    tg = d.targets
    a.text(d.t2(basis_summary_text(tg, "zh") + f"集群缺口 {int(d.clusters['gap'].sum())} 个；"
               f"重叠（重复计算）{_num(d.overlaps.attrs['double_counted'], d.unit)} {d.unit_text()}。",
               basis_summary_text(tg, "en") + f" Cluster gaps: {int(d.clusters['gap'].sum())}; "
               f"overlaps (counted twice) {_num(d.overlaps.attrs['double_counted'], d.unit)} {d.unit_text()}."), 9,
           gap=0.15)
    a.table(_coverage_header(d), _coverage_rows(d, cov, d.district is None), [2.0, 1.15, 1.15, 1.15, 1.15, 1.1, 0.7],
            align="lrrrrrr", title=d.t("分区覆盖", "Coverage by district") + f"（{d.unit_text()}）", bold_last=d.district is None)
    if len(tg):
        a.table(_target_header(d), _target_rows(d, tg), TARGET_WIDTHS, size=6.5, align="llrrll",
                title=d.t("目标与供给", "Targets against supply"))
    else:
        a.text(d.t2("目标与供给：文件中没有本范围的用地目标。", "Targets against supply: the documents set no land target "
                   "for this scope."), 9, bold=True)
    a.text(d.t2("供给只计实测（地块或正式边界）与拟建情景；括号内“示意”为示意边界的面积，不是供给，依此无法判断是否达标。"
                "“无法测量”表示需要地块或建筑面积数据。* 文件对同一目标措辞不一（见工作簿“来源”表）。",
                "Supply counts only measured figures (parcels, official outlines) and proposed parks; “indicative” in "
                "brackets is the area of indicative outlines, not supply, and decides nothing. * the documents word "
                "this target differently (see the workbook's Sources sheet)."), 7, color="0.25")


#: grey levels for district coverage classes (percent of the district covered by the 20 parks)
COVERAGE_CLASSES = ((0.0, "white"), (0.001, "0.85"), (5.0, "0.7"), (10.0, "0.55"), (20.0, "0.4"))


def _overview_page(a: _Atlas) -> None:
    """The city: districts shaded by the share the 20 parks cover, parks outlined, each district's figures."""
    from matplotlib.patches import Patch
    d = a.d
    a.new_page(d.t("全市概览：20大园区覆盖", "City overview: coverage by the 20 parks"))
    map_h = 5.4
    box = (PAGE_W - 2 * MARGIN, map_h)
    ax = a.fig.add_axes([MARGIN / PAGE_W, (a.y - map_h) / PAGE_H, box[0] / PAGE_W, map_h / PAGE_H])
    dist = d.districts.to_crs(AREA_CRS).merge(d.coverage[["zone_id", "covered_pct", "covered_area"]],
                                              left_on="district_id", right_on="zone_id")
    # 深汕 lies ~60 km east of the rest: it gets an inset of its own, so the city is not drawn tiny
    far = dist["district_id"] == "shenshan"
    main, inset = dist[~far], dist[far]
    parks = d.features[PARK_LAYER]
    parks = parks[parks.geometry.notna() & parks.geom_type.isin(["Polygon", "MultiPolygon"])].to_crs(AREA_CRS)
    placed: list = []

    def grey(pct):
        return [c for lo, c in COVERAGE_CLASSES if pct >= lo][-1]

    def draw(ax_, zones, box_):
        ax_.set_axis_off()
        minx, miny, maxx, maxy = zones.total_bounds
        scale = max((maxx - minx) / box_[0], (maxy - miny) / box_[1]) * 1.05
        cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
        ax_.set_xlim(cx - scale * box_[0] / 2, cx + scale * box_[0] / 2)
        ax_.set_ylim(cy - scale * box_[1] / 2, cy + scale * box_[1] / 2)
        ax_.set_aspect("equal", adjustable="box")
        zones.plot(ax=ax_, facecolor=[grey(p) for p in zones["covered_pct"]], edgecolor="black", linewidth=0.9)
        if len(parks):
            parks.plot(ax=ax_, facecolor="none", hatch="////", edgecolor="black", linewidth=0.7, linestyle="--")
        for r in zones.itertuples():
            pt = shapely.point_on_surface(r.geometry)
            x, y = _free_spot(pt.x, pt.y, placed, 0.4 * scale)
            placed.append((x, y))
            name = _dname(d, r.district_id).replace(" ", "\n", 1)  # Chinese, then English below it
            ax_.text(x, y, f"{name}\n{_num(r.covered_pct, decimals=1)}%", fontsize=6.5,
                     ha="center", va="center", zorder=8,
                     bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="0.4", lw=0.4))

    draw(ax, main if len(main) else dist, box)
    if len(inset) and len(main):
        ibox = (1.5, 1.5)
        iax = a.fig.add_axes([(PAGE_W - MARGIN - ibox[0]) / PAGE_W, (a.y - ibox[1] - 0.1) / PAGE_H,
                              ibox[0] / PAGE_W, ibox[1] / PAGE_H])
        placed.clear()
        draw(iax, inset, ibox)
        iax.set_axis_on()
        iax.set_xticks([])
        iax.set_yticks([])
        iax.set_xlabel("")
        iax.set_ylabel("")
        iax.set_title(d.t("另图（比例不同）", "inset, other scale"), fontsize=6)
        placed.clear()
    _scale_north(ax, d, north_x=0.04)
    labels = ["0%", "0–5%", "5–10%", "10–20%", "≥ 20%"]
    handles = [Patch(facecolor=c, edgecolor="black", lw=0.6, label=lab) for (_, c), lab in zip(COVERAGE_CLASSES, labels)]
    handles.append(Patch(facecolor="none", hatch="////", edgecolor="black", linestyle="--",
                         label=d.t("20大先进制造业园区（示意）", "20 parks (indicative)")))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.005), ncol=3, fontsize=6.5,
              frameon=False, title=d.t("园区覆盖率（占区域面积）", "Share of the district covered by parks"),
              title_fontsize=7)
    a.y -= map_h + 0.75
    a.text(d.t2("精度说明：园区边界为示意（虚线加斜线），覆盖率仅供参考；无公开边界的园区不在图中。各区数字见分区图页。",
                "Precision: park outlines are indicative (dashed, hatched), so are the shares; parks without a public "
                "outline are not shown. Each district's figures are on its page."), 7, color="0.2")


def _scale_north(ax, d: ReportData, north_x: float = 0.96) -> None:
    """Scale bar (a round length about a fifth of the width) and north arrow on a map in metres."""
    from matplotlib.patches import Rectangle
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    target = (x1 - x0) / 5
    length = max(v for v in (500, 1000, 2000, 2500, 5000, 10000, 20000, 25000) if v <= max(target, 500))
    bx, by = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.04
    h = (y1 - y0) * 0.012
    for k in range(4):
        ax.add_patch(Rectangle((bx + k * length / 4, by), length / 4, h, facecolor="black" if k % 2 == 0 else "white",
                               edgecolor="black", lw=0.6, zorder=9))
    for k, lab in ((0, "0"), (4, f"{length / 1000:g} km")):
        ax.text(bx + k * length / 4, by + 2.2 * h, lab, fontsize=7, ha="center", va="bottom", zorder=9)
    ax.annotate(d.t("北", "N"), xy=(north_x, 0.97), xytext=(north_x, 0.87), xycoords="axes fraction",
                ha="center", va="center", fontsize=9, fontweight="bold",
                arrowprops=dict(arrowstyle="-|>", color="black", lw=1.4), zorder=9)
    ax.text(0.99, 0.01, "EPSG:4547", transform=ax.transAxes, fontsize=6, ha="right", va="bottom", color="0.3")


def _district_page(a: _Atlas, did: str) -> None:
    d = a.d
    drow = d.districts[d.districts["district_id"] == did]
    a.new_page(d.t("分区图", "District") + f"：{_dname(d, did)}")
    map_h = 5.3
    ax = a.fig.add_axes([MARGIN / PAGE_W, (a.y - map_h) / PAGE_H, (PAGE_W - 2 * MARGIN) / PAGE_W, map_h / PAGE_H])
    numbered = _draw_map(ax, d, drow, (PAGE_W - 2 * MARGIN, map_h))
    a.y -= map_h + 0.05
    legend_rows = _legend(a, ax, numbered)
    a.y -= 0.2 * legend_rows + 0.1
    a.text(d.t2("精度说明：虚线加斜线为示意边界（官方边界未公开），面积仅供参考；▲ 为示意点位；圆圈数字见下表。",
               "Precision: dashed, hatched outlines are indicative (official outlines not published), their areas are "
               "approximate; ▲ marks an indicative location. Circled numbers: see the table below."), 6.5,
           color="0.2", gap=0.1)
    cov = d.coverage[d.coverage["zone_id"] == did]
    r = cov.iloc[0]
    off = drow.iloc[0]["official_land_km2"]
    a.text(d.t2(f"区域面积 {_num(r.zone_area, d.unit)}（公布陆地面积 {_num(convert_area(off, 'km2', d.unit), d.unit)}）"
               f"{d.unit_text()}；20大园区覆盖 {_num(r.covered_area, d.unit)} {d.unit_text()}（{_num(r.covered_pct, decimals=1)}%，"
               f"示意），未覆盖 {_num(r.uncovered_area, d.unit)}；园区 {int(r.feature_count)} 个。",
               f"Area {_num(r.zone_area, d.unit)} (published land {_num(convert_area(off, 'km2', d.unit), d.unit)}) "
               f"{d.unit_text()}; covered by the 20 parks {_num(r.covered_area, d.unit)} {d.unit_text()} "
               f"({_num(r.covered_pct, decimals=1)}%, indicative), not covered {_num(r.uncovered_area, d.unit)}; "
               f"{int(r.feature_count)} parks."), 8.5, bold=True, gap=0.1)
    if numbered:
        a.table([d.t("图号", "No."), d.t("名称", "Name"), d.t("图层", "Layer"), _h(d, "区内面积", "Area in district", d.unit),
                 d.t("精度", "Precision")],
                [[str(i), _name(d, p.name_zh, p.name_en), d.t(*LAYER_LABELS.get(p.layer_id, (p.layer_id, p.layer_id))),
                  _num(p.area, d.unit), _prec(d, p.precision)] for i, p, _ in numbered],
                [0.6, 3.6, 2.6, 1.9, 1.3], size=6.5, align="lllrl", title=d.t("图中要素", "Features on the map"))
    tg = d.targets if d.district == did else target_supply(unit=d.unit, district=did, supply_layers=_supply(d))
    if len(tg):
        a.table(_target_header(d), _target_rows(d, tg), TARGET_WIDTHS, size=6.5, align="llrrll",
                title=d.t("本区目标", "Targets of this district"))
    cg = d.clusters if d.district == did else cluster_gaps(district=did, extra=_supply(d))
    cg = cg[cg["gap"]]
    if len(cg):
        a.table([d.t("集群", "Cluster"), d.t("《意见》指定地", "Named place"), d.t("来源", "Source")],
                [[d.t(c.cluster_zh, c.cluster_en), c.place_zh, c.source] for c in cg.itertuples()],
                [4.5, 1.5, 3.0], size=6.5, title=d.t("集群缺口（《意见》指定本区，但无园区或片区承载）",
                                                      "Cluster gaps (named for this district, no park or zone carries it)"))
    else:
        a.text(d.t("集群缺口：无。", "Cluster gaps: none."), 8)
    missing = d.parks[(d.parks["district_id"] == did) & (d.parks["precision"] == "none")]
    if len(missing):
        a.text(d.t2("无公开边界（不在图中、不计面积）：", "No public outline (not on the map, no area): ")
               + "、".join(_name(d, m.name_zh, m.name_en) + f" ({m.feature_id})" for m in missing.itertuples()), 7,
               color="0.25")


def _supply(d: ReportData) -> dict | None:
    return d.supply_layers


#: map styles by layer: fill, hatch, edge colour, line style (readable in black and white)
STYLES = {
    "sz20_parks": dict(hatch="////", edgecolor="black", lw=1.1),
    "longgang_parks": dict(hatch="\\\\\\\\", edgecolor="0.3", lw=0.8),
    "pingshan_zones": dict(hatch="....", edgecolor="0.3", lw=0.8),
    "innovation_zones": dict(hatch="", edgecolor="0.45", lw=0.9),
    "upload": dict(hatch="++", edgecolor="black", lw=1.4),
}
TIER_FILLS = ("white", "0.78", "0.62", "0.5")


def _draw_map(ax, d: ReportData, drow: gpd.GeoDataFrame, box: tuple[float, float]) -> list:
    """Draw one district: outline, uncovered part, parks by layer/tier/precision, overlaps, numbers, scale, north."""
    ax.set_axis_off()
    dist = drow.to_crs(AREA_CRS)
    zone = dist.geometry.iloc[0]
    # extent: the district with a margin, widened to the box's shape so that 1 m is 1 m both ways
    minx, miny, maxx, maxy = zone.bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    scale = max((maxx - minx) / box[0], (maxy - miny) / box[1]) * 1.06  # metres per inch
    ax.set_xlim(cx - scale * box[0] / 2, cx + scale * box[0] / 2)
    ax.set_ylim(cy - scale * box[1] / 2, cy + scale * box[1] / 2)
    ax.set_aspect("equal", adjustable="box")
    placed: list[tuple[float, float]] = []
    sep = 0.2 * scale  # labels are ~0.17 inch circles
    parks = d.features[PARK_LAYER]
    ppoly = parks[parks.geometry.notna() & parks.geom_type.isin(["Polygon", "MultiPolygon"])]
    if len(ppoly):
        unc = uncovered(ppoly, by=drow, zone_id="district_id").to_crs(AREA_CRS)
    else:
        unc = dist
    unc.plot(ax=ax, facecolor="0.9", edgecolor="none", zorder=1)
    numbered = []
    tiers = _tier_order(parks.get("tier", pd.Series(dtype=object)).dropna())
    no = 0
    did = drow.iloc[0]["district_id"]
    rows_by_key = {(r.layer_id, r.feature_id): r for r in d.parks[d.parks["district_id"] == did].itertuples()}
    for lid, g in d.features.items():
        g = g.assign(report_fid=feature_ids(g).to_numpy())
        g = g[g.geometry.notna()]
        if g.empty:
            continue
        gp = g.to_crs(AREA_CRS)
        clipped = shapely.intersection(gp.geometry.values, zone)
        keep = ~shapely.is_empty(clipped) & ((shapely.area(clipped) >= 1.0) | ~gp.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy())
        if not keep.any():
            continue
        part = gp[keep].copy()
        part["geometry"] = clipped[keep]
        style = STYLES.get(lid, STYLES["upload"] if lid != "proposed" else dict(hatch="oo", edgecolor="black", lw=1.4))
        prec = part["precision"] if "precision" in part else pd.Series("user", index=part.index)
        for is_poly in (True, False):
            sel = part[part.geom_type.isin(["Polygon", "MultiPolygon"]) == is_poly]
            if sel.empty:
                continue
            if is_poly:
                keys = pd.DataFrame({"p": prec.loc[sel.index].map(str).to_numpy(),
                                     "t": sel.get("tier", pd.Series(None, index=sel.index))
                                     .map(lambda v: v if isinstance(v, str) else "").to_numpy(),
                                     # the same park recorded in another layer: outline only, no second hatch
                                     "s": sel.get("same_as", pd.Series(None, index=sel.index))
                                     .map(lambda v: isinstance(v, str) and lid != PARK_LAYER).to_numpy()},
                                    index=sel.index)
                for (pr, tier, same), idx in keys.groupby(["p", "t", "s"]).groups.items():
                    grp = sel.loc[idx]
                    fill = TIER_FILLS[1 + tiers.index(tier)] if tier in tiers else "none"
                    grp.plot(ax=ax, facecolor=fill if lid == PARK_LAYER else "none", hatch="" if same else style["hatch"],
                             edgecolor=style["edgecolor"], linewidth=style["lw"],
                             linestyle="--" if pr == "indicative" else "-", zorder=3 if lid == PARK_LAYER else 4)
            else:
                pts = sel[sel.geom_type.isin(["Point", "MultiPoint"])]
                lines = sel[~sel.geom_type.isin(["Point", "MultiPoint"])]
                if len(pts):
                    pts.plot(ax=ax, marker="^", color="black", markersize=14, zorder=6)
                if len(lines):
                    lines.plot(ax=ax, color="black", linewidth=1.6, linestyle="-.", zorder=5)
        for r in part.itertuples():
            row = rows_by_key.get((lid, r.report_fid))
            if row is None:
                continue
            no += 1
            gt = r.geometry.geom_type
            numbered.append((no, row, "point" if "Point" in gt else "line" if "Line" in gt else "area"))
            pt = shapely.point_on_surface(r.geometry)
            ox = 0.7 * sep if "Point" in r.geometry.geom_type else 0.0  # beside a point's marker, not on it
            lx, ly = _free_spot(pt.x + ox, pt.y + ox, placed, sep)
            placed.append((lx, ly))
            moved = (lx, ly) != (pt.x, pt.y)
            ax.annotate(str(no), (pt.x, pt.y), xytext=(lx, ly), textcoords="data", fontsize=6.5, ha="center",
                        va="center", zorder=8,
                        bbox=dict(boxstyle="circle,pad=0.15", facecolor="white", edgecolor="black", lw=0.5),
                        arrowprops=dict(arrowstyle="-", lw=0.5, color="black", shrinkA=0, shrinkB=0) if moved else None)
    ov = d.overlaps
    if len(ov):
        og = shapely.intersection(ov.to_crs(AREA_CRS).geometry.values, zone)
        og = og[~shapely.is_empty(og)]
        if len(og):
            gpd.GeoSeries(og, crs=AREA_CRS).plot(ax=ax, facecolor="0.35", hatch="xxxx", edgecolor="black",
                                                 linewidth=0.4, alpha=0.75, zorder=5)
    dist.boundary.plot(ax=ax, color="black", linewidth=1.8, zorder=7)
    _scale_north(ax, d)
    return numbered


def _free_spot(x: float, y: float, placed: list, sep: float) -> tuple[float, float]:
    """The point itself, or the nearest spot on rings around it that keeps ``sep`` from placed labels."""
    def free(px, py):
        return all((px - qx) ** 2 + (py - qy) ** 2 >= sep ** 2 for qx, qy in placed)
    if free(x, y):
        return x, y
    for ring in range(1, 6):
        for k in range(12):
            ang = np.pi / 2 + k * np.pi / 6
            px, py = x + ring * sep * np.cos(ang), y + ring * sep * np.sin(ang)
            if free(px, py):
                return px, py
    return x, y


def _legend(a: _Atlas, ax, numbered: list) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    d = a.d
    handles = [Patch(facecolor="none", edgecolor="black", lw=1.8, label=d.t("行政区边界", "district outline")),
               Patch(facecolor="0.9", edgecolor="none", label=d.t("未被20大园区覆盖", "not covered by the 20 parks")),
               Patch(facecolor="0.35", hatch="xxxx", edgecolor="black", alpha=0.75, label=d.t("重叠", "overlap"))]
    for lid in list(d.features):
        st = STYLES.get(lid, STYLES["upload"])
        for kind in ("area", "line", "point"):
            prec = sorted({str(row.precision) for _, row, k in numbered if row.layer_id == lid and k == kind})
            for pr in prec:
                label = d.t(*LAYER_LABELS.get(lid, (lid, lid))) + f"（{_prec(d, pr)}）"
                if kind == "area":
                    handles.append(Patch(facecolor="none", hatch=st["hatch"], edgecolor=st["edgecolor"], lw=st["lw"],
                                         linestyle="--" if pr == "indicative" else "-", label=label))
                elif kind == "line":
                    handles.append(Line2D([], [], color="black", lw=1.6, linestyle="-.",
                                          label=label + d.t("：线", ": line")))
                else:
                    handles.append(Line2D([], [], marker="^", color="black", linestyle="none",
                                          label=label + d.t("：点位", ": location")))
    tiers = _tier_order(d.features[PARK_LAYER].get("tier", pd.Series(dtype=object)).dropna())
    for i, tier in enumerate(tiers):  # the fills of _draw_map
        handles.append(Patch(facecolor=TIER_FILLS[1 + i], edgecolor="black", lw=0.6,
                             label=d.t("20大园区层级：", "20 parks tier: ") + tier))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.005), ncol=2, fontsize=6.5,
              frameon=False, handlelength=2.6, handleheight=1.3)
    return (len(handles) + 1) // 2


def report_pdf(scope: str = "city", unit: str = "km2", lang: str = "zh", supply_layers=None,
               upload=None, upload_role: str = "beside", proposed=None, data: ReportData | None = None) -> bytes:
    """The printable A4 atlas (.pdf bytes): cover, summary, one map page per district in scope.

    Needs a Chinese font (e.g. Debian's fonts-noto-cjk); without one a LandplanError says how to install it.
    """
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages
    font = cjk_font()
    if data is None:
        layers_ = supply_layers if supply_layers is not None else supply_layers_for(upload, upload_role, proposed)
        data = report_data(scope, unit, lang, layers_)
    buf = io.BytesIO()
    # a font with one weight (WenQuanYi Zen Hei) makes matplotlib warn at every bold or normal text
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    rc = {"font.family": [font, "DejaVu Sans"], "pdf.fonttype": 42, "hatch.linewidth": 0.45,
          "axes.unicode_minus": False}
    with matplotlib.rc_context(rc), PdfPages(buf, metadata={"Title": "landplan atlas", "Subject": data.version}) as pdf:
        atlas = _Atlas(pdf, data, font)
        _cover(atlas)
        _summary_pages(atlas)
        if data.district is None:
            _overview_page(atlas)
        for did in data.districts["district_id"]:
            _district_page(atlas, did)
        atlas.close_page()
    return buf.getvalue()


def write_report(out: str | Path, scope: str = "city", unit: str = "km2", lang: str = "zh",
                 supply_layers=None) -> Path:
    """Write the workbook (.xlsx) or the atlas (.pdf) to ``out``, chosen by its suffix."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise LandplanError(f"The report file must end in .xlsx (workbook) or .pdf (atlas), not {out.name!r}.",
                            f"报告文件须以 .xlsx（工作簿）或 .pdf（图集）结尾：{out.name!r}。")
    if not out.parent.exists():
        raise LandplanError(f"The folder {str(out.parent)!r} does not exist.", f"文件夹 {str(out.parent)!r} 不存在。")
    make = report_xlsx if suffix == ".xlsx" else report_pdf
    out.write_bytes(make(scope, unit, lang, supply_layers=supply_layers))
    return out
