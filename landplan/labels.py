"""Column headers for tables shown to planners: Chinese first, English available, units named.

The tables themselves keep their column ids (the CLI's JSON and CSV use them); only what is
displayed is relabelled.
"""
from __future__ import annotations

import pandas as pd

from geo.units import unit_label, unit_text

#: column id -> (中文, English); "{u}" is replaced by the area unit's label
COLUMNS: dict[str, tuple[str, str]] = {
    "zone_id": ("分区编号", "Zone id"), "name_zh": ("名称", "Name (zh)"), "name_en": ("英文名称", "Name"),
    "zone_area": ("边界面积（{u}）", "Outline area ({u})"),
    "published_land_area": ("公布陆地面积（{u}）", "Published land area ({u})"),
    "land_area_source": ("陆地面积来源", "Land area source"),
    "covered_area": ("园区覆盖面积（{u}）", "Covered by parks ({u})"),
    "uncovered_area": ("未覆盖面积（{u}）", "Not covered ({u})"),
    "covered_pct": ("覆盖率（占边界面积，%）", "Coverage (% of outline area)"),
    "target_text_zh": ("目标", "Target (zh)"), "target_text_en": ("目标（英文）", "Target (en)"),
    "indicative_extent": ("示意范围（非供给）", "Indicative extent (not supply)"),
    "met_status": ("是否达标", "Met"), "basis_note_zh": ("依据说明", "Basis note (zh)"),
    "basis_note": ("依据说明（英文）", "Basis note"), "year_inferred": ("年份为推定", "Year inferred"),
    "feature_count": ("园区/片区数", "Parks/zones"), "unit": ("单位", "Unit"),
    "target_id": ("目标编号", "Target id"), "scope": ("范围", "Scope"), "scope_id": ("范围编号", "Scope id"),
    "metric": ("指标类型", "Metric"), "comparator": ("比较", "Comparator"), "target_unit": ("文件单位", "Document unit"),
    "year": ("年份", "Year"), "source": ("来源", "Source"), "value": ("目标值", "Target value"),
    "supplied": ("已供给", "Supplied"), "shortfall": ("缺口", "Shortfall"), "surplus": ("盈余", "Surplus"),
    "met": ("达标（是/否）", "Met (yes/no)"), "measurable": ("可测算", "Measurable"), "basis": ("测算依据", "Basis"),
    "a_id": ("要素 A", "Feature A"), "b_id": ("要素 B", "Feature B"), "area": ("面积（{u}）", "Area ({u})"),
    "cluster_id": ("集群编号", "Cluster id"), "cluster_zh": ("产业集群", "Cluster (zh)"),
    "cluster_en": ("英文名称", "Cluster"), "place_zh": ("《意见》所列地区", "Place named by the Opinion"),
    "district_ids": ("行政区", "Districts"), "carried_by": ("承载园区/片区", "Carried by"), "gap": ("缺口", "Gap"),
    "carrier_basis": ("承载依据", "Why it carries"), "inference": ("推断说明", "Inference"),
    "id": ("编号", "Id"), "kind": ("类型", "Kind"), "features": ("要素数", "Features"),
    "with_outline": ("有边界", "With outline"), "precision": ("精度", "Precision"),
    "zone_layer": ("分区图层", "Zone layer"), "zone_name_zh": ("分区名称", "Zone name (zh)"),
    "zone_precision": ("分区边界精度", "Zone outline precision"), "landuse": ("用地代码", "Land-use code"),
    "landuse_name_zh": ("用地名称", "Land use (zh)"), "landuse_name_en": ("用地名称（英文）", "Land use"),
    "known_code": ("标准代码", "Code in the standard"), "status": ("供应状态", "Supply status"),
    "parcel_count": ("地块数", "Parcels"), "synthetic": ("合成数据", "Synthetic"),
}


def labelled(df: pd.DataFrame, lang: str = "zh", unit: str | None = None) -> pd.DataFrame:
    """``df`` with its known columns renamed for display in ``lang``; areas carry ``unit``'s label."""
    u = unit_label(unit, lang) if unit else ""
    i = 0 if lang == "zh" else 1
    names = {c: COLUMNS[c][i].replace("{u}", u).replace("（）", "").replace(" ()", "")
             for c in df.columns if c in COLUMNS}
    out = df.rename(columns=names)
    if "unit" in df.columns:  # the area unit's name (平方公里, 亩), not its code
        out[names["unit"]] = df["unit"].map(lambda v: _unit_name(v, lang)).to_numpy()
    return out


def _unit_name(value, lang: str):
    return unit_text(value, lang) if isinstance(value, str) else value  # an empty cell stays empty


# Plain tables on the page: a thin rule under each row, numbers right-aligned, Chinese in the page's font.
_TABLE_CSS = """<style>
table.landplan-table {border-collapse: collapse; width: 100%; font-size: 0.9rem;}
table.landplan-table th {font-weight: 600; color: rgba(49, 51, 63, 0.75); text-align: left; vertical-align: bottom;
  word-break: keep-all;}
table.landplan-table th, table.landplan-table td {padding: 0.35rem 0.5rem; border-bottom: 1px solid rgba(49, 51, 63, 0.12);}
div.landplan-scroll {overflow-x: auto;}
</style>"""


def html_table(shown: pd.DataFrame, table_id: str) -> str:
    """A small table as plain HTML (st.html): light for the browser to draw, every cell and header
    escaped as text, numbers right-aligned with 2 decimals, missing values as —."""
    numbers = [c for c in shown.columns if pd.api.types.is_numeric_dtype(shown[c]) or
               (len(shown) and shown[c].map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)).all())]
    styled = (shown.style.set_uuid(table_id).hide(axis="index")
              .format(precision=2, na_rep="—", escape="html").format_index(escape="html", axis=1)
              .set_properties(subset=numbers, **{"text-align": "right"})
              .set_table_styles([{"selector": f"th.col{shown.columns.get_loc(c)}", "props": [("text-align", "right")]}
                                 for c in numbers]
                                + [{"selector": f"td.col{len(shown.columns) - 1}", "props": [("min-width", "14em")]}
                                   for _ in [0] if len(shown.columns) and shown.columns[-1] not in numbers])
              .set_table_attributes('class="landplan-table"'))
    return _TABLE_CSS + '<div class="landplan-scroll">' + styled.to_html() + "</div>"
