"""The map page shows one plan (layers.plan): an official upload of 3 parks instead of the 20
parks, 坪山 in focus, on every tab and in the tables workbook, driven with streamlit.testing AppTest
and compared with the plan the library computes from the same file."""

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from landplan.present.plan_text import target_name

from .test_app import (
    APP,
    _coverage_shown,
    _frame_with,
    _frames_with,
    _map_page,
    _open_tab,
    _text,
    _uploading,
)


def _names(plan) -> list:
    """The plan's targets as a table names them: a commitment's parts under it, 其中 (of which)."""
    return [target_name(t) for _, t in plan.targets.iterrows()]


def _media(monkeypatch) -> list:
    """The media storages of the page's runs, in order: each keeps the bytes its download buttons
    offer."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    storages, real = [], MemoryMediaFileStorage.__init__

    def init(self, *a, **k):
        real(self, *a, **k)
        storages.append(self)

    monkeypatch.setattr(MemoryMediaFileStorage, "__init__", init)
    return storages


def _downloaded(at, storages, key: str) -> bytes:
    """The bytes the download button ``key`` offers after the last run."""
    button = next(b for b in at.get("download_button") if b.proto.id.endswith(f"-{key}"))
    return storages[-1].get_file(button.proto.url.rsplit("/", 1)[1]).content


def _sheet(wb, name: str) -> pd.DataFrame:
    rows = list(wb[name].iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


@pytest.fixture
def official(monkeypatch, tmp_path):
    """The page with 3 official park outlines in 坪山 uploaded instead of the 20 parks (a zipped
    EPSG:4547 Shapefile, GBK, .cpg 936), 坪山 in focus; and the plan the library computes from the
    same file."""
    from layers.loading import resolve_layer
    from layers.plan import compute_plan
    from layers.store import Scenario

    from ..page_uploads import pingshan_official_zip

    data = pingshan_official_zip(tmp_path / "shp")
    (tmp_path / "坪山园区.zip").write_bytes(data)
    _uploading(monkeypatch, "坪山园区.zip", data)
    storages = _media(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=300).run()
    next(r for r in at.sidebar.radio if r.label == "用作").set_value("instead").run()
    next(c for c in at.sidebar.checkbox if c.label.startswith("上传的是正式边界")).check().run()
    at.sidebar.selectbox[0].set_value("pingshan").run()
    assert not at.exception, at.exception
    upload = resolve_layer(str(tmp_path / "坪山园区.zip"))
    plan = compute_plan(Scenario("", upload=upload, role="instead", official=True), "坪山")
    return at, plan, storages


def _km2(v):
    return None if v is None or pd.isna(v) else float(v) / 1e6


def _same(shown, m2, per: float = 1e6) -> bool:
    """A figure as shown (km², 2 decimals; — for none) is the plan's (m²; ``per`` 1: a count)."""
    if m2 is None or pd.isna(m2):
        return shown is None or pd.isna(shown)
    return shown is not None and not pd.isna(shown) and abs(float(shown) - m2 / per) <= 0.006


def test_an_official_upload_instead_of_the_parks_is_the_plan_on_every_tab(official):
    from landplan.present import plan_text
    from layers.supply import MET_LABELS

    at, plan, _ = official
    assert {p for p, n in plan.precisions().items() if n} == {"official"}
    # the caption says what the plan's outlines are, not a fixed sentence about indicative ones
    captions = [c.value for c in at.caption]
    assert plan_text.precision_lines(plan, "zh")[0] in captions
    assert not any("官方边界未公开" in c for c in captions)

    _open_tab(at, "目标与供给")
    shown = _frame_with(at, "已供给")
    assert list(shown["目标"]) == _names(plan)
    for (_, row), t in zip(shown.iterrows(), plan.targets.itertuples()):
        per = 1 if t.unit == "count" else 1e6
        assert _same(row["已供给"], t.supplied, per), (t.target_id, row["已供给"], t.supplied)
        assert _same(row["示意范围（非供给）"], t.indicative_extent, per), t.target_id
        assert _same(row["缺口"], t.shortfall, per), t.target_id
        assert row["是否达标"] == MET_LABELS[t.met_status][0], t.target_id
    from layers.supply import basis_summary_text

    assert basis_summary_text(plan.targets, "zh") in [c.value for c in at.caption]

    _open_tab(at, "重叠")
    text = " ".join(m.value for m in at.markdown)
    assert plan_text.double_line(plan, "zh") in text and "坪山区内" in text
    rows = pd.concat(_frames_with(at, "要素 A"), ignore_index=True)
    assert len(rows) == len(plan.overlaps)
    assert list(rows["类型"]) == [plan_text.overlap_kind(k) for k in plan.overlaps["kind"]]
    for (_, row), m2 in zip(rows.iterrows(), plan.overlaps["area"]):
        assert _same(row["重叠面积（平方公里）"], m2)
    # the overlaps follow the upload: the 20 parks' layer holds only the uploaded parks now
    from ..page_uploads import PARK_NAMES

    for side in ("A", "B"):
        parks = rows[rows[f"{side} 所在图层"] == "深圳市20大先进制造业园区"]
        assert set(parks[f"要素 {side}"]) <= set(PARK_NAMES)
    pair = rows[(rows["要素 A"] == PARK_NAMES[0]) & (rows["要素 B"] == PARK_NAMES[1])]
    assert list(pair["类型"]) == ["重复计算"]

    _open_tab(at, "分区覆盖")
    cov = _coverage_shown(at)
    assert list(cov.index) == ["坪山区"]
    assert _same(
        cov.loc["坪山区", "园区覆盖面积（平方公里）"], plan.coverage["covered_area"].iloc[0]
    )
    assert cov.loc["坪山区", "园区/片区数"] == 3
    assert plan_text.coverage_line(plan, "zh") in [c.value for c in at.caption]


def test_the_tables_workbook_is_the_plan_in_effect_for_the_focus(official):
    import io

    import openpyxl

    from landplan.present import plan_text

    at, plan, storages = official
    _open_tab(at, "下载")
    wb = openpyxl.load_workbook(io.BytesIO(_downloaded(at, storages, "dl_xlsx")))
    assert wb.sheetnames == ["说明", "分区覆盖", "目标与供给", "重叠", "集群缺口"]
    for ws in wb.worksheets:  # headers in words, in Chinese
        assert all(re.search(r"[\u4e00-\u9fff]", str(c.value)) for c in ws[1]), ws.title
    notes = list(_sheet(wb, "说明")["说明"])
    assert notes[0] == plan_text.precision_lines(plan, "zh")[0] and "正式边界" in notes[0]
    assert plan_text.double_line(plan, "zh") in notes
    cov = _sheet(wb, "分区覆盖")
    assert list(cov["行政区"]) == ["坪山区"]  # the focus, not the city
    assert _same(cov["园区覆盖面积（平方公里）"].iloc[0], plan.coverage["covered_area"].iloc[0])
    ts = _sheet(wb, "目标与供给")
    assert list(ts["目标"]) == _names(plan)
    for (_, row), t in zip(ts.iterrows(), plan.targets.itertuples()):
        per = 1 if t.unit == "count" else 1e6
        assert _same(row["已供给"], t.supplied, per) and _same(row["缺口"], t.shortfall, per)
        assert _same(row["示意范围（非供给）"], t.indicative_extent, per)
    ov = _sheet(wb, "重叠")
    assert len(ov) == len(plan.overlaps)
    for (_, row), m2 in zip(ov.iterrows(), plan.overlaps["area"]):
        assert _same(row["重叠面积（平方公里）"], m2)
    # the same workbook in English: every sheet and header in English, the same figures
    at.sidebar.radio[0].set_value("en").run()
    _open_tab(at, "Downloads")
    wb = openpyxl.load_workbook(io.BytesIO(_downloaded(at, storages, "dl_xlsx")))
    assert wb.sheetnames == ["Notes", "Coverage", "Targets vs supply", "Overlaps", "Cluster gaps"]
    for ws in wb.worksheets:
        assert not any(re.search(r"[\u4e00-\u9fff]", str(c.value)) for c in ws[1]), ws.title
    assert _sheet(wb, "Notes")["Notes"].iloc[0] == plan_text.precision_lines(plan, "en")[0]
    assert list(_sheet(wb, "Coverage")["District"]) == ["Pingshan (坪山区)"]  # the focus is kept
    en = _sheet(wb, "Targets vs supply")
    assert list(en["Target"]) == [target_name(t, "en") for _, t in plan.targets.iterrows()]
    for (_, row), t in zip(en.iterrows(), plan.targets.itertuples()):
        assert _same(row["Supplied"], t.supplied, 1 if t.unit == "count" else 1e6)


def test_map_tooltips_say_each_features_own_precision(official):
    at, plan, _ = official
    page = _text(_map_page(at))
    from ..page_uploads import PARK_NAMES

    assert all(name in page for name in PARK_NAMES)
    assert '"精度": "官方"' in page and "用户上传" not in page  # the upload is marked official
    # the double count between two uploaded parks is drawn red, its tooltip names them
    assert f"{PARK_NAMES[0]} × {PARK_NAMES[1]}" in page and "重复计算" in page
