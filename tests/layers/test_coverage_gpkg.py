"""`landplan coverage PARCELS.gpkg --by <shipped layer>`: the short road (GeoPackage read straight
from SQLite, kept zones, no pandas/geopandas) answers exactly as the usual road, or steps aside.

Each case runs the command twice as a user types it: with a cache folder (the short road may be
taken) and with ``LANDPLAN_CACHE=off`` (the usual road: GDAL, geopandas), and compares what was
printed on stdout and stderr, byte for byte, in the three formats.
"""

import io
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.offsets import wgs84_to_gcj02
from layers.loading import load, resolve_layer
from layers.synthetic import synthetic_parcels
from tests.cli_helpers import landplan_exe


@pytest.fixture(scope="module")
def parcels():
    return synthetic_parcels(3000, seed=7)[["parcel_id", "landuse", "geometry"]]


def _command(path, fmt, cache, *extra):
    env = {**os.environ, "LANDPLAN_CACHE": str(cache)}
    proc = subprocess.run(
        [landplan_exe(), "coverage", str(path), "--by", "sz20_parks", "--format", fmt, *extra],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    return proc.returncode, proc.stdout, proc.stderr


def _same_both_roads(path, tmp_path, *extra, formats=("json", "csv", "table")):
    cache = tmp_path / "cache"
    answers = []
    for fmt in formats:
        short = _command(path, fmt, cache, *extra)
        usual = _command(path, fmt, "off", *extra)
        assert short == usual, f"{fmt}: short road {short!r} != usual road {usual!r}"
        answers.append(short)
    return answers


def _short_road_taken(path, by="sz20_parks") -> bool:
    """Run the command in one process and say whether it answered without loading pandas."""
    code = (
        "import contextlib, io, sys\n"
        "from landplan.cli.main import main\n"
        f"sys.argv = ['landplan', 'coverage', {str(path)!r}, '--by', {by!r}]\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('pandas' not in sys.modules and 'geopandas' not in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    return out.stdout.strip().endswith("True")


@pytest.mark.parametrize("epsg", [4547, 4326])
def test_parcels_in_both_crs_same_answer_without_pandas(parcels, tmp_path, epsg, monkeypatch):
    path = tmp_path / f"parcels_{epsg}.gpkg"
    parcels.to_crs(epsg).to_file(path, layer="parcels", engine="pyogrio")
    answers = _same_both_roads(path, tmp_path)
    rows = pd.read_json(io.StringIO(answers[0][1]))
    assert answers[0][0] == 0 and len(rows) == len(resolve_layer("sz20_parks"))  # with outlines
    assert (rows["covered_area"] > 0).sum() >= 5  # parks with outlines are covered
    # indicative outlines say so in the table
    assert list(rows["zone_precision"]) == list(resolve_layer("sz20_parks")["precision"])
    monkeypatch.setenv("LANDPLAN_CACHE", str(tmp_path / "cache"))
    assert _short_road_taken(path)


def test_overlapping_parcels_are_counted_once_on_both_roads(parcels, tmp_path, monkeypatch):
    extra = parcels.iloc[::10].copy()
    extra["geometry"] = extra.buffer(30.0)
    both = gpd.GeoDataFrame(pd.concat([parcels, extra], ignore_index=True), crs=parcels.crs)
    path = tmp_path / "overlapping.gpkg"
    both.to_crs(4326).to_file(path, engine="pyogrio")
    (_, out, _), *_ = _same_both_roads(path, tmp_path, "--unit", "m2")
    rows = pd.read_json(io.StringIO(out))
    assert (rows["covered_area"] <= rows["zone_area"] + 1e-6).all()
    monkeypatch.setenv("LANDPLAN_CACHE", str(tmp_path / "cache"))
    assert _short_road_taken(path)


def test_repairs_are_said_the_same_way(parcels, tmp_path, monkeypatch):
    """A bow-tie and Z values: the same repairs, said in the same words."""
    gdf = parcels.to_crs(4547).copy()
    inside = load("sz20_parks").to_crs(4547).geometry.iloc[0].centroid
    x, y = inside.x, inside.y
    bowtie = shapely.Polygon([(x, y), (x + 50, y + 50), (x + 50, y), (x, y + 50), (x, y)])
    gdf.loc[0, "geometry"] = bowtie
    gdf["geometry"] = shapely.force_3d(gdf.geometry.values, 12.5)  # heights, as from CAD
    path = tmp_path / "repairs.gpkg"
    gdf.to_file(path, engine="pyogrio")
    (_, _, err), *_ = _same_both_roads(path, tmp_path)
    assert "repaired" in err and "Z (height)" in err
    monkeypatch.setenv("LANDPLAN_CACHE", str(tmp_path / "cache"))
    assert _short_road_taken(path)


def test_offset_warning_on_both_roads(tmp_path, monkeypatch):
    """District outlines copied from a web map (GCJ-02): the same warning on both roads."""
    d = load("districts").to_crs(4326)
    d["geometry"] = shapely.transform(
        d.geometry.values, lambda c: np.column_stack(wgs84_to_gcj02(c[:, 0], c[:, 1]))
    )
    path = tmp_path / "districts_gcj02.gpkg"
    d[["geometry"]].to_file(path, engine="pyogrio")
    (_, _, err), *_ = _same_both_roads(path, tmp_path, formats=("json",))
    assert "GCJ02" in err and "--crs gcj02" in err
    monkeypatch.setenv("LANDPLAN_CACHE", str(tmp_path / "cache"))
    assert _short_road_taken(path)


def test_what_the_short_road_leaves_to_the_usual_one(parcels, tmp_path):
    """Several layers, no spatial index, points, nothing in the zones: same messages, same codes."""
    many = tmp_path / "two_layers.gpkg"
    parcels.to_file(many, layer="a", engine="pyogrio")
    parcels.iloc[:10].to_file(many, layer="b", engine="pyogrio")
    code, _, err = _same_both_roads(many, tmp_path, formats=("json",))[0]
    assert code != 0 and "--layer" in err
    assert _same_both_roads(many, tmp_path, "--layer", "b", formats=("json",))[0][0] == 0

    plain = tmp_path / "no_index.gpkg"
    parcels.to_file(plain, engine="pyogrio", SPATIAL_INDEX="NO")
    assert _same_both_roads(plain, tmp_path, formats=("json",))[0][0] == 0

    points = tmp_path / "points.gpkg"
    gpd.GeoDataFrame(geometry=parcels.centroid, crs=parcels.crs).to_file(points, engine="pyogrio")
    code, _, err = _same_both_roads(points, tmp_path, formats=("json",))[0]
    assert code != 0 and "Point" in err

    far = tmp_path / "far_away.gpkg"
    parcels.to_crs(4326).translate(xoff=20.0).to_frame("geometry").to_file(far, engine="pyogrio")
    code, _, err = _same_both_roads(far, tmp_path, formats=("json",))[0]
    assert "0 %" in err or code != 0


_REAL = sorted(
    str(p.relative_to(Path(__file__).parents[1] / "data"))
    for p in (Path(__file__).parents[1] / "data").rglob("*.gpkg")
)


@pytest.mark.parametrize("name", _REAL)
def test_real_geopackages_answer_the_same_on_both_roads(name, tmp_path):
    """Every GeoPackage of the test corpora (other projects' real files: curves, measures, nulls,
    several layers, no geometry), against the districts: the same answer, warning or refusal."""
    path = Path(__file__).parents[1] / "data" / name
    env = {**os.environ}
    answers = []
    for cache in (tmp_path / "cache", "off"):
        env["LANDPLAN_CACHE"] = str(cache)
        proc = subprocess.run(
            [landplan_exe(), "coverage", str(path), "--by", "districts", "--format", "json"],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        answers.append((proc.returncode, proc.stdout, proc.stderr))
    assert answers[0] == answers[1]
    assert "Traceback" not in answers[0][2]


def test_round_parks_are_read_by_strips_every_parcel_that_meets_them(tmp_path):
    """The boxes a read asks the R-tree for cover each park in strips: every parcel that meets a
    park is read, fewer than the parks' boxes hold, and a GeoPackage without an R-tree gives the
    same parcels; the short road reads exactly those."""
    from pyproj import CRS

    from geo.io import read_layer
    from geo.io.gpkg import read_gpkg_near

    parks = resolve_layer("sz20_parks").dropna(subset=["geometry"]).to_crs(4547)
    x0, y0, x1, y1 = parks.geometry.iloc[:2].total_bounds
    xs, ys = np.meshgrid(np.arange(x0 - 500, x1 + 500, 150.0), np.arange(y0 - 500, y1 + 500, 150.0))
    cells = shapely.box(xs.ravel(), ys.ravel(), xs.ravel() + 140.0, ys.ravel() + 140.0)
    grid = gpd.GeoDataFrame({"n": np.arange(len(cells))}, geometry=cells, crs=4547)
    indexed, plain = tmp_path / "indexed.gpkg", tmp_path / "plain.gpkg"
    grid.to_file(indexed, engine="pyogrio")
    grid.to_file(plain, engine="pyogrio", SPATIAL_INDEX="NO")
    zones = parks.iloc[:2]
    meets = set(grid.n[grid.intersects(shapely.union_all(zones.geometry.values))])
    in_boxes = set()
    for b in zones.bounds.to_numpy():
        in_boxes |= set(grid.n[grid.intersects(shapely.box(*b))])
    read = read_layer(indexed, mask=zones)
    assert meets <= set(read.n) < in_boxes
    assert list(read_layer(plain, mask=zones).n) == list(read.n)
    near = read_gpkg_near(indexed, zones.geometry.values, CRS.from_epsg(4547))
    assert shapely.equals(near.geoms, read.geometry.values).all() and len(near.geoms) == len(read)


def test_a_parcel_a_float_step_beyond_a_strip_is_read_with_or_without_an_r_tree(tmp_path):
    """A GeoPackage's R-tree keeps boxes in 32-bit floats, rounded outward (a quarter metre at
    Shenzhen's northings): a parcel a centimetre beyond a park's strip comes back from it. Without
    an R-tree the same parcel is read, so both files give the same repairs and figures."""
    import sqlite3

    from geo.io import read_layer
    from geo.io.gpkg import as_rtree_keeps, zone_boxes

    rng = np.random.default_rng(3)
    x, y = (
        np.sort(rng.uniform(-3e6, 3e6, (2, 5000)), axis=0),
        np.sort(rng.uniform(-200, 200, (2, 5000)), axis=0),
    )
    bounds = np.column_stack([x[0], y[0], x[1], y[1]])
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE r USING rtree(id, minx, maxx, miny, maxy)")
    con.executemany(
        "INSERT INTO r VALUES (?, ?, ?, ?, ?)",
        [(i, x0, x1, y0, y1) for i, (x0, y0, x1, y1) in enumerate(bounds.tolist())],
    )
    kept = np.array(con.execute("SELECT minx, miny, maxx, maxy FROM r ORDER BY id").fetchall())
    assert (as_rtree_keeps(bounds) == kept).all()  # SQLite's own rounding, bit for bit

    zones = resolve_layer("sz20_parks").dropna(subset=["geometry"]).iloc[:1]
    zone = zones.to_crs(4547).geometry.values
    boxes = zone_boxes(zone)
    east = boxes[np.argmax(boxes[:, 2])]
    x0, ym = east[2] + 0.01, (east[1] + east[3]) / 2
    bowtie = shapely.Polygon([(x0, ym), (x0 + 5, ym + 5), (x0 + 5, ym), (x0, ym + 5)])
    px, py = shapely.get_coordinates(shapely.point_on_surface(zone[0]))[0]
    gdf = gpd.GeoDataFrame(
        {"n": [0, 1]}, geometry=[shapely.box(px, py, px + 5, py + 5), bowtie], crs=4547
    )
    gdf.to_file(tmp_path / "indexed.gpkg", engine="pyogrio")
    gdf.to_file(tmp_path / "plain.gpkg", engine="pyogrio", SPATIAL_INDEX="NO")
    got = [list(read_layer(tmp_path / f, mask=zones).n) for f in ("indexed.gpkg", "plain.gpkg")]
    assert got[0] == got[1] == [0, 1]


def test_districts_show_their_published_land_area_the_same_on_both_roads(
    parcels, tmp_path, monkeypatch
):
    """`--by districts`: beside each outline's area, the district's published land area (as the
    page's district table has it) and its source, and a note that the outlines take in some sea;
    the short road prints exactly what the usual road prints, in every format."""
    from layers.summary import district_coverage

    path = tmp_path / "parcels.gpkg"
    parcels.to_crs(4326).to_file(path, engine="pyogrio")
    cache = tmp_path / "cache"
    answers = {}
    for fmt in ("json", "csv", "table"):
        argv = [landplan_exe(), "coverage", str(path), "--by", "districts", "--format", fmt]
        short, usual = (
            subprocess.run(
                argv,
                capture_output=True,
                text=True,
                timeout=300,
                env={**os.environ, "LANDPLAN_CACHE": str(c)},
            )
            for c in (cache, "off")
        )
        assert (short.returncode, short.stdout, short.stderr) == (
            usual.returncode,
            usual.stdout,
            usual.stderr,
        ), fmt
        answers[fmt] = short
    page = district_coverage(unit="km2").set_index("zone_id")
    rows = pd.read_json(io.StringIO(answers["json"].stdout)).set_index("zone_id")
    assert rows["published_land_area"].to_dict() == page["published_land_area"].to_dict()
    assert rows["land_area_source"].to_dict() == page["land_area_source"].to_dict()
    assert rows.loc["dapeng", "published_land_area"] == 295.06
    assert rows.loc["dapeng", "zone_area"] > 391  # the outline takes in sea
    csv = pd.read_csv(io.StringIO(answers["csv"].stdout))
    assert (
        list(csv.columns).index("published_land_area") == list(csv.columns).index("zone_area") + 1
    )
    assert csv["land_area_source"].str.contains("《深圳统计年鉴》").all()
    header = answers["table"].stdout.splitlines()[0].split()
    assert header.index("published_land_area") == header.index("zone_area") + 1
    assert "land_area_source" not in header  # said under the table instead
    err = answers["table"].stderr
    assert "含部分海域" in err and "takes in some sea" in err and "《深圳统计年鉴》" in err
    monkeypatch.setenv("LANDPLAN_CACHE", str(cache))
    assert _short_road_taken(path, "districts")
