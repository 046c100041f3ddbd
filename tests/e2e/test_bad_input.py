"""Bad input, lost data and hostile files: every case of tests/data/bad/ through three paths.

The corpus and its expected outcomes (expected.yaml) are written by scripts/make_bad_corpus.py.
Each case goes through the Python API (geo.io.read_layer + geo.areas.area), the command as a
user runs it (``landplan area FILE``) and the page's upload path (landplan.web.uploads.read_upload),
and must give its expected outcome: ok / ok_with_repair / ok_with_warning / refused, with the
expected words in the message or report, the expected feature count, fields and total area.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml

import layers
from geo.areas import area
from geo.errors import LandplanError, split_bilingual
from geo.io import read_layer
from geo.io.formats import accepted
from geo.polygons import keep_polygons
from landplan.web.uploads import read_upload
from tests.cli_helpers import run

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
CASES = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))["cases"]
IDS = [
    c["file"]
    + (
        "[" + ",".join(f"{k}={v}" for k, v in c["options"].items()) + "]"
        if c.get("options")
        else ""
    )
    for c in CASES
]


@pytest.fixture(scope="module")
def districts():
    return layers.load("districts")


def _outcome(gdf) -> str:
    if gdf.attrs.get("repairs"):
        return "ok_with_repair"
    if gdf.attrs.get("warnings"):
        return "ok_with_warning"
    return "ok"


def _check_words(text: str, words, where: str):
    missing = [w for w in words if w.lower() not in text.lower()]
    assert not missing, f"{where}: {missing} not in message: {text}"


_HAN = re.compile(r"[\u4e00-\u9fff]")
_ENGLISH = re.compile(r"\b[A-Za-z]{3,}\b.*\b[A-Za-z]{3,}\b")  # at least two English words


def _check_bilingual(line, where: str):
    """A report line or refusal: a Chinese sentence first, then an English one."""
    zh, en = split_bilingual(line)
    assert zh and _HAN.search(zh), f"{where}: no Chinese sentence first: {line!r}"
    assert en and _ENGLISH.search(en), f"{where}: no English sentence after the Chinese: {line!r}"


def _check_cli_lines(lines, where: str):
    """Each stderr message is a Chinese line, then the English line of the same kind."""
    assert len(lines) % 2 == 0, f"{where}: messages are not in Chinese/English pairs: {lines}"
    zh_kinds = {"已修复": "repaired", "警告": "warning", "说明": "note"}
    for zh, en in zip(lines[::2], lines[1::2]):
        assert zh.startswith("landplan: ") and en.startswith("landplan: "), (zh, en)
        zh_kind, en_kind = zh.split(":")[1].strip(), en.split(":")[1].strip()
        assert zh_kinds.get(zh_kind) == en_kind, (
            f"{where}: {zh!r} is not followed by its English line: {en!r}"
        )
        _check_bilingual(f"{zh}\n{en}", where)


def _check_read(case, gdf, areas, where):
    want = case["outcome"]
    report = " ".join(gdf.attrs.get("report", []))
    assert _outcome(gdf) == want, f"{where}: got {_outcome(gdf)}, want {want}; report: {report}"
    for line in gdf.attrs.get("report", []):
        _check_bilingual(line, where)
    _check_words(report, case["message"], where)
    if "features" in case:
        assert len(gdf) == case["features"], f"{where}: features lost or added"
    if "area_m2" in case:
        assert areas.sum() == pytest.approx(case["area_m2"], rel=1e-6, abs=0.01)
    for col, value in (case.get("fields") or {}).items():
        assert gdf[col].iloc[0] == value, f"{where}: field {col} read as {gdf[col].iloc[0]!r}"


def _check_refused(case, exc: LandplanError, where):
    msg = f"{exc} {exc.message_zh or ''}"
    assert case["outcome"] == "refused", f"{where}: refused but expected {case['outcome']}: {msg}"
    assert exc.message_zh, f"{where}: the refusal has no Chinese sentence: {exc}"
    _check_bilingual(exc, where)
    _check_words(msg, case["message"], where)
    assert str(BAD) not in msg and "landplan-" not in msg, (
        f"{where}: a machine path leaks into the message: {msg}"
    )


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_python_api(case, districts):
    opts = case.get("options") or {}
    try:
        # what is measured of a user's layer: its polygons, what else it holds said
        gdf = keep_polygons(read_layer(BAD / case["file"], reference=districts, **opts))
        areas = area(gdf, "m2")
    except LandplanError as exc:
        _check_refused(case, exc, "API")
        return
    _check_read(case, gdf, areas, "API")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_command_line(case):
    opts = case.get("options") or {}
    args = [a for k, v in opts.items() for a in (f"--{k}", v)]
    proc = run("area", BAD / case["file"], *args, "--unit", "m2", "--format", "json", check=False)
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    if case["outcome"] == "refused":
        assert proc.returncode == 2, (proc.returncode, proc.stderr)
        assert proc.stdout == ""
        # one sentence in Chinese, then the same in English
        assert len(lines) == 2 and all(ln.startswith("landplan: ") for ln in lines), proc.stderr
        _check_bilingual(
            lines[0].removeprefix("landplan: ") + "\n" + lines[1].removeprefix("landplan: "), "CLI"
        )
        _check_words(proc.stderr, case["message"], "CLI")
        assert str(BAD) not in proc.stderr and "landplan-" not in proc.stderr
        return
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    kinds = {ln.split(":")[1].strip() for ln in lines if ln.startswith("landplan: ")}
    got = (
        "ok_with_repair"
        if "repaired" in kinds
        else "ok_with_warning"
        if "warning" in kinds
        else "ok"
    )
    assert got == case["outcome"], proc.stderr
    assert all(ln.startswith("landplan: ") for ln in lines), proc.stderr
    _check_cli_lines(lines, "CLI")
    _check_words(proc.stderr, case["message"], "CLI")
    if "features" in case:
        assert len(rows) == case["features"]
    if "area_m2" in case:
        assert sum(r["area"] for r in rows) == pytest.approx(case["area_m2"], rel=1e-6, abs=0.01)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_upload_path(case, tmp_path, monkeypatch):
    expect = {**case, **(case.get("upload") or {})}
    # the page names its sidebar's CRS box where the CLI names its --crs flag
    expect["message"] = [
        m.replace("--crs ", "entering ").replace("--crs", "CRS box")
        for m in expect.get("message") or []
    ]
    opts = case.get("options") or {}
    data = (BAD / case["file"]).read_bytes()
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))  # every temporary folder goes here
    try:
        gdf = read_upload(
            case["file"],
            data,
            encoding=opts.get("encoding"),
            crs=opts.get("crs"),
            layer=opts.get("layer"),
        )
        # the page draws the upload whole and measures its polygons (layers.polygon_features)
        gdf = keep_polygons(gdf, refuse=False)
        areas = area(gdf, "m2")
    except LandplanError as exc:
        _check_refused(expect, exc, "upload")
    else:
        _check_read(expect, gdf, areas, "upload")
    assert list(private.iterdir()) == [], "temporary files left behind"


def test_rows_without_a_usable_geometry_are_counted_once():
    """bad_wkt.csv: 2 rows with broken WKT and 1 without any are said once, not again as "no
    geometry"."""
    gdf = read_layer(BAD / "bad_wkt.csv", crs="EPSG:4547")
    assert int(gdf.geometry.isna().sum()) == 3
    assert len(gdf.attrs["report"]) == 1, gdf.attrs["report"]
    zh, en = split_bilingual(gdf.attrs["report"][0])
    assert en.startswith(
        "2 rows have WKT that could not be parsed (file lines 3, 4) and 1 row has none; all 3 "
    )
    assert zh.startswith("2 行的 WKT 无法解析（文件第 3、4 行），1 行没有 WKT；这 3 行")
    proc = run("area", BAD / "bad_wkt.csv", "--crs", "EPSG:4547", "--format", "json")
    assert [ln.split(": ", 2)[1] for ln in proc.stderr.splitlines()] == ["警告", "warning"], (
        proc.stderr
    )
    assert "no geometry" not in proc.stderr and "无几何" not in proc.stderr


# ---------------------------------------------------------------- safe uploads


def test_hostile_upload_names_and_zips_write_nothing_outside_a_removed_private_folder(
    tmp_path, monkeypatch
):
    """Upload names with ../ or absolute paths, and zips with ../ members: nothing is written
    outside the private temporary folder, and that folder is gone afterwards."""
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setenv("TMPDIR", str(private))
    monkeypatch.setattr(tempfile, "tempdir", None)  # make tempfile read TMPDIR again
    seen = []
    real = tempfile.TemporaryDirectory

    class Watch(real):
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            seen.append(Path(self.name))
            assert (os.stat(self.name).st_mode & 0o777) == 0o700  # private to this user

    monkeypatch.setattr(tempfile, "TemporaryDirectory", Watch)
    good = (BAD / "gk_4547.zip").read_bytes()
    for name in ("../../outside.zip", "/etc/landplan.zip", "..\\..\\win.zip", "坪山\udcff园区.zip"):
        gdf = read_upload(name, good)
        assert (
            len(gdf) == 3
            and "/" not in gdf.attrs["source_name"]
            and "\\" not in gdf.attrs["source_name"]
        )
    for evil in ("zip_dotdot.zip", "zip_absolute.zip", "zip_bomb.zip"):
        with pytest.raises(LandplanError):
            read_upload(evil, (BAD / evil).read_bytes())
    assert seen and all(not p.exists() for p in seen), "temporary folders were not removed"
    assert list(private.iterdir()) == [], list(private.iterdir())
    assert not (tmp_path / "outside.zip").exists() and not Path("/tmp/landplan_evil.shx").exists()
    assert not Path("/tmp/landplan_evil.shp").exists()


def test_zip_bomb_is_refused_before_anything_is_inflated(monkeypatch):
    """The bomb is refused from the zip directory alone: no member is decompressed."""
    import zipfile

    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile, "open", lambda self, *a, **k: opened.append(a) or real_open(self, *a, **k)
    )
    with pytest.raises(LandplanError, match="zip bomb"):
        read_layer(BAD / "zip_bomb.zip")
    assert opened == []
    assert (BAD / "zip_bomb.zip").stat().st_size < 200_000


def test_upload_limits_are_enforced_and_stated_on_the_page(monkeypatch):
    import landplan.web.uploads as up

    with pytest.raises(
        LandplanError, match=f"larger than the page's limit of {up.MAX_UPLOAD_MB} MB"
    ):
        read_upload("big.geojson", b" " * (up.MAX_UPLOAD_MB * 1024 * 1024 + 1))
    monkeypatch.setattr(up, "MAX_FEATURES", 2)
    with pytest.raises(LandplanError, match="at most 2"):
        read_upload("parks.zip", (BAD / "gk_4547.zip").read_bytes())
    # both limits are stated next to the uploader, in both languages (web.panels.upload_box)
    from landplan.present.text import text

    for lang in ("zh", "en"):
        said = text(lang)["page"]["upload_help"].format(
            formats=accepted(lang), mb=up.MAX_UPLOAD_MB, n=f"{200_000:,}"
        )
        assert f"{up.MAX_UPLOAD_MB} MB" in said and "200,000" in said and "KMZ" in said
    box = (Path(__file__).resolve().parents[2] / "landplan/web/panels.py").read_text(
        encoding="utf-8"
    )
    assert 'upload_help"].format(' in box
    assert "mb=MAX_UPLOAD_MB," in box and 'n=f"{MAX_FEATURES:,}"' in box


def test_command_line_reads_a_file_whose_name_is_not_utf8(tmp_path):
    """A file name in GBK bytes (copied from a Chinese Windows disk) is read; messages do not crash
    on it."""
    raw = os.fsencode(str(tmp_path)) + b"/" + "坪山园区".encode("gbk") + b".zip"
    name = os.fsdecode(raw)
    shutil.copy(BAD / "gk_4547.zip", name)
    proc = run("area", name, "--format", "json", check=False)
    assert proc.returncode == 0 and len(json.loads(proc.stdout)) == 3, proc.stderr
    broken = os.fsdecode(os.fsencode(str(tmp_path)) + b"/" + "坏".encode("gbk") + b".geojson")
    shutil.copy(BAD / "invalid_json.geojson", broken)
    proc = run("area", broken, check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "GeoJSON" in proc.stderr, (
        proc.stderr
    )


# ---------------------------------------------------------------- the page


def _app_with_upload(monkeypatch, name: str):
    """The page with ``name`` from the corpus in the sidebar's file uploader."""
    from types import SimpleNamespace

    from streamlit.delta_generator import DeltaGenerator
    from streamlit.testing.v1 import AppTest

    data = (BAD / name).read_bytes()
    real = DeltaGenerator.file_uploader

    def fake(self, label, *a, **k):
        got = real(self, label, *a, **k)  # the widget is still drawn, with its label
        if k.get("key") != "upload_file":  # other uploaders (e.g. parcels) stay empty
            return got
        return SimpleNamespace(name=name, getvalue=lambda: data)

    monkeypatch.setattr(DeltaGenerator, "file_uploader", fake)
    app = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
    return AppTest.from_file(app, default_timeout=180)


def _coverage(at, unit_zh="平方公里"):
    from tests.landplan.test_app import (
        _coverage_shown,  # the coverage table as the page shows it, by district name
    )

    return _coverage_shown(at, unit_zh)


def test_page_shows_a_broken_upload_as_a_message_and_keeps_working(monkeypatch):
    at = _app_with_upload(monkeypatch, "truncated_shp.zip").run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.sidebar.error)
    # Chinese first, then the English sentence (the page opens in Chinese)
    assert (
        "不完整" in errors
        and "truncated" in errors
        and errors.index("不完整") < errors.index("truncated")
    ), errors
    assert "Traceback" not in errors and "upload.zip" not in errors
    assert len(_coverage(at)) == 11  # the districts' coverage table is still there
    at.sidebar.radio[1].set_value("mu").run()  # and the controls still work
    assert not at.exception, at.exception
    assert len(_coverage(at, "亩")) == 11  # the page names the unit (亩) in the header


def test_page_reads_a_gbk_upload_and_lists_the_repairs(monkeypatch):
    at = _app_with_upload(monkeypatch, "gbk_no_cpg.zip").run()
    assert not at.exception, at.exception
    assert not at.sidebar.error
    notes = " ".join(i.value for i in at.sidebar.info)
    zh, en = (
        "缺少 .cpg 文件：属性文本编码识别为 GB18030",
        "No .cpg file: attribute text detected as GB18030",
    )
    assert zh in notes and en in notes and notes.index(zh) < notes.index(en), notes
    assert any("3" in s.value and "gbk_no_cpg.zip" in s.value for s in at.sidebar.success)
    at.sidebar.radio[0].set_value("en").run()  # in English: the English sentence only
    assert not at.exception, at.exception
    notes = " ".join(i.value for i in at.sidebar.info)
    assert en in notes and zh not in notes, notes


def test_page_offers_the_layers_of_a_geopackage_and_reads_the_chosen_one(monkeypatch):
    at = _app_with_upload(monkeypatch, "multi_layer.gpkg").run()
    assert not at.exception, at.exception
    choice = next(
        s
        for s in at.sidebar.selectbox
        if s.label in ("图层（文件含多个图层）", "Layer (the file holds several)")
    )
    assert choice.options == ["parks", "roads"]
    assert not at.sidebar.error and any("3" in s.value for s in at.sidebar.success)
    choice.set_value("roads").run()  # lines: read, shown, but not counted as park area
    assert not at.exception, at.exception
    assert any("2" in s.value for s in at.sidebar.success)
    assert len(_coverage(at)) == 11


def test_page_warns_about_gcj02_outlines(monkeypatch):
    at = _app_with_upload(monkeypatch, "gcj02_as_wgs84.geojson").run()
    assert not at.exception, at.exception
    # the page names its own 坐标系 / CRS box, not the CLI's --crs flag
    said = [w.value for w in at.sidebar.warning if "gcj02" in w.value]
    assert said and all("--crs" not in w for w in said), said
    assert all(
        w.index("“坐标系”中填 gcj02") < w.index("entering gcj02 in the sidebar's CRS box")
        for w in said
    ), said
