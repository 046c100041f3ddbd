"""The meeting map for QGIS: a GeoPackage with the plan's layers, their styles and a project.

Where QGIS is installed (Debian's ``qgis`` and ``python3-qgis``), the project is opened with PyQGIS
as a planner would open it (in a clean environment: QGIS's Python does not run in a virtualenv's)
and every layer is checked: valid, its renderer, its features.
"""

import json
import shutil
import sqlite3
import subprocess
import textwrap
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely

from landplan.report.meeting_gpkg import write_meeting_gpkg
from layers.loading import is_polygonal
from layers.plan import compute_plan
from layers.store import Scenario

from ..cli_helpers import run
from ..report_helpers import parks_in

QGIS_PYTHON = "/usr/bin/python3"


def _has_qgis() -> bool:
    if not Path(QGIS_PYTHON).exists():
        return False
    probe = subprocess.run(
        [QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True, env=_clean_env(), timeout=120
    )
    return probe.returncode == 0


def _clean_env() -> dict:
    import os

    return {
        "PATH": "/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/tmp"),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": "/tmp",
    }


_OPEN = textwrap.dedent(
    """
    import json, sys
    from qgis.core import QgsApplication, QgsProject, QgsVectorLayer
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    path = sys.argv[1]
    project = QgsProject.instance()
    out = {"read": project.read(f"geopackage:{path}?projectName=landplan"), "layers": []}
    for node in project.layerTreeRoot().findLayers():
        lay = node.layer()
        source = lay.source() if lay else ""
        table = source.split("layername=")[-1]
        direct = QgsVectorLayer(f"{path}|layername={table}", table, "ogr")
        out["layers"].append({
            "name": node.name(),
            "table": table,
            "valid": bool(lay and lay.isValid()),
            "renderer": lay.renderer().type() if lay and lay.renderer() else None,
            "count": lay.featureCount() if lay else -1,
            "labels": bool(lay and lay.labelsEnabled()),
            "default_style": direct.renderer().type() if direct.isValid() else None,
        })
    print("RESULT" + json.dumps(out), flush=True)
    app.exitQgis()
    """
)


def _open_in_qgis(path: Path) -> dict:
    proc = subprocess.run(
        [QGIS_PYTHON, "-c", _OPEN, str(path)],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=300,
    )
    line = [x for x in proc.stdout.splitlines() if x.startswith("RESULT")]
    assert line, proc.stdout + proc.stderr
    return json.loads(line[0][len("RESULT") :])


@pytest.fixture(scope="module")
def official_plan():
    up = parks_in("pingshan", 3, 2000.0, overlap_m=300.0)
    return compute_plan(Scenario("", upload=up, role="instead", official=True), "坪山")


def _expected_counts(plan) -> dict:
    """Features per table as the plan holds them."""
    out = {"districts": len(plan.city.coverage), "overlaps": len(plan.city.overlaps)}
    for lid, gdf in plan.layers.items():
        poly = int(is_polygonal(gdf).sum())
        if poly:
            out["parks" if lid == "sz20_parks" else lid] = poly
    return out


def test_the_meeting_map_holds_the_plans_layers_styles_and_a_project(tmp_path, official_plan):
    path = write_meeting_gpkg(tmp_path / "供地会.gpkg", official_plan, "zh", "km2")
    layers_ = dict(pyogrio.list_layers(path))
    counts = _expected_counts(official_plan)
    for table, n in counts.items():
        assert table in layers_, table
        assert pyogrio.read_info(path, layer=table)["features"] == n, table
    parks = gpd.read_file(path, layer="parks")
    assert set(parks["precision_code"]) == {"official"} and list(parks["精度"].unique()) == [
        "官方边界"
    ]
    # the areas are the plan's, in the unit asked
    m2 = shapely.area(official_plan.parks.to_crs(4547).geometry.values)
    assert sorted(parks["面积（平方公里）"]) == pytest.approx(sorted(m2 / 1e6), rel=1e-3)
    targets = pyogrio.read_dataframe(path, layer="table_targets")
    assert "目标" in targets.columns and "已供给" in targets.columns
    with sqlite3.connect(path) as con:
        styled = {r[0] for r in con.execute("SELECT f_table_name FROM layer_styles")}
        assert set(counts) <= styled
        qml = con.execute(
            "SELECT styleQML FROM layer_styles WHERE f_table_name = 'parks'"
        ).fetchone()[0]
        assert 'type="categorizedSymbol"' in qml and 'attr="precision_code"' in qml
        (name,) = con.execute("SELECT name FROM qgis_projects").fetchone()
        assert name == "landplan"
        ids = dict(con.execute("SELECT table_name, identifier FROM gpkg_contents"))
        assert ids["parks"] == "20大先进制造业园区"


def test_an_english_meeting_map_is_english(tmp_path, official_plan):
    path = write_meeting_gpkg(tmp_path / "meeting.gpkg", official_plan, "en", "ha")
    parks = gpd.read_file(path, layer="parks")
    assert list(parks["Precision"].unique()) == ["official outline"]
    assert "Area (ha)" in parks.columns
    cov = pyogrio.read_dataframe(path, layer="table_coverage")
    assert "District" in cov.columns


@pytest.mark.skipif(
    not shutil.which("qgis_process") and not Path(QGIS_PYTHON).exists(),
    reason="QGIS is not installed (Debian: apt-get install qgis python3-qgis)",
)
def test_the_project_opens_in_qgis_with_every_layer_valid_and_styled(tmp_path, official_plan):
    if not _has_qgis():
        pytest.skip("PyQGIS is not installed (Debian: apt-get install python3-qgis)")
    path = write_meeting_gpkg(tmp_path / "供地会.gpkg", official_plan, "zh", "km2")
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    # moved to another folder it still opens (the project names its layers by the file's name,
    # relative to where it lies, as QGIS itself writes a project into a GeoPackage)
    path = Path(shutil.move(path, moved / path.name))
    got = _open_in_qgis(path)
    assert got["read"]
    counts = _expected_counts(official_plan)
    by_table = {x["table"]: x for x in got["layers"]}
    assert set(counts) <= set(by_table)
    intended = {"parks": "categorizedSymbol", "overlaps": "categorizedSymbol"}
    intended["districts"] = "graduatedSymbol"
    for table, layer in by_table.items():
        assert layer["valid"], layer
        assert layer["renderer"] == layer["default_style"], layer
        if table in counts:
            assert layer["count"] == counts[table], layer
        if table in intended:
            assert layer["renderer"] == intended[table], layer
    assert by_table["parks"]["labels"] and by_table["districts"]["labels"]
    order = [x["table"] for x in got["layers"]]
    assert order.index("overlaps") < order.index("parks") < order.index("districts")


def test_the_command_and_the_page_write_the_meeting_map(tmp_path, official_plan):
    """``landplan report --out FILE.gpkg`` and the page's download give the same map, which QGIS
    opens (where it is installed) under the name it was saved as."""
    from landplan.web.downloads import page_files

    parks = tmp_path / "正式边界.gpkg"
    parks_in("pingshan", 3, 2000.0, overlap_m=300.0).to_file(parks, engine="pyogrio")
    out = tmp_path / "坪山供地会.gpkg"
    proc = run("report", "--parks", parks, "--official", "--scope", "坪山", "--out", out)
    assert out.exists() and "坪山供地会.gpkg" in proc.stderr
    _, filename, _, make = page_files(official_plan, "zh", "km2", {})["report_gpkg"]
    page = tmp_path / "page"
    page.mkdir()
    (page / filename).write_bytes(make())
    for path in (out, page / filename):
        counts = _expected_counts(official_plan)
        for table, n in counts.items():
            assert pyogrio.read_info(path, layer=table)["features"] == n, (path.name, table)
    cov = pyogrio.read_dataframe(out, layer="table_coverage")
    shown = list(cov["园区覆盖面积（平方公里）"])  # as the page shows it: 2 decimals
    assert shown == pytest.approx(list(official_plan.coverage["covered_area"] / 1e6), abs=0.005)
    if _has_qgis():
        for path in (out, page / filename):
            got = _open_in_qgis(path)
            assert got["read"] and all(x["valid"] for x in got["layers"]), path.name
