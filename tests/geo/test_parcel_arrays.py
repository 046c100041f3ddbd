"""`landplan parcels PARCELS.gpkg --by LAYERS` read and summed as arrays (the short road) gives the
table of the usual road and of a plain geopandas computation, on parcels that cross district
boundaries, overlap, cover each other as two surveys do, bend, have holes, several parts, slivers,
missing codes and invalid outlines."""

import io
import os
import subprocess

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from layers.loading import load
from layers.parcel_arrays import parcel_accounting_arrays, read_parcel_arrays
from layers.parcel_totals import parcel_accounting, zone_layer
from layers.parcels import read_parcels
from layers.synthetic import synthetic_parcels
from tests.cli_helpers import landplan_exe

BY = ["sz20_parks", "districts"]
KEY = ["zone_layer", "zone_id", "landuse", "status"]


def _odd_parcels(base: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Parcels a real layer has: bent, holed, in parts, a bow-tie, a sliver across a boundary,
    a code missing, no geometry; and a second survey of a small square (every edge matched)."""
    d = load("districts").to_crs(4547).set_index("district_id").geometry
    line = shapely.line_merge(shapely.intersection(d["nanshan"], d["baoan"]))
    part = max(shapely.get_parts(line), key=lambda g: g.length)
    p = shapely.line_interpolate_point(part, 0.3, normalized=True)
    x, y = p.x, p.y
    ring = shapely.box(x + 500, y + 500, x + 700, y + 700)
    rows = [
        (
            "M1",
            "已供应",
            shapely.Polygon(
                [
                    (x, y),
                    (x + 80, y),
                    (x + 80, y + 30),
                    (x + 30, y + 30),
                    (x + 30, y + 80),
                    (x, y + 80),
                ]
            ),
        ),  # fmt: skip
        ("M0", "储备", ring.difference(shapely.box(x + 550, y + 550, x + 650, y + 650))),
        ("G1", None, shapely.box(x + 550, y + 550, x + 650, y + 650)),  # fills the hole
        (
            "M1",
            "待供应",
            shapely.MultiPolygon(
                [shapely.box(x - 300, y, x - 250, y + 50), shapely.box(x - 200, y, x - 150, y + 50)]
            ),
        ),  # fmt: skip
        (
            "W1",
            "已供应",
            shapely.Polygon([(x + 900, y), (x + 960, y + 60), (x + 960, y), (x + 900, y + 60)]),
        ),  # fmt: skip - a bow-tie
        ("M1", "已供应", shapely.buffer(part, 0.2)),  # a sliver along the district boundary
        (None, "已供应", shapely.box(x - 600, y - 600, x - 500, y - 500)),
        ("M1", "已供应", None),
    ]
    # a second survey: a 4 x 4 grid and one big parcel over the same square
    sx, sy = x + 2000, y - 2000
    rows += [
        ("M1", "已供应", shapely.box(sx + i * 50, sy + j * 50, sx + i * 50 + 50, sy + j * 50 + 50))
        for i in range(4)
        for j in range(4)
    ]
    rows.append(("M0", "已供应", shapely.box(sx, sy, sx + 200, sy + 200)))
    codes, statuses, geoms = zip(*rows)
    odd = gpd.GeoDataFrame(
        {"landuse": list(codes), "status": list(statuses)}, geometry=list(geoms), crs=4547
    )
    return gpd.GeoDataFrame(pd.concat([base, odd], ignore_index=True), crs=4547)


@pytest.fixture(scope="module")
def layouts(tmp_path_factory):
    """GeoPackages in EPSG:4547 and 4326: a tiling across 南山 and 宝安, with overlaps added."""
    folder = tmp_path_factory.mktemp("parcel_arrays")
    base = synthetic_parcels(2500, seed=5, districts=["nanshan", "baoan"])
    base = base[["landuse", "status", "geometry"]]
    extra = base.iloc[::50].copy()  # 2 % of the parcels again, grown by 10 m: overlaps
    extra["geometry"] = extra.buffer(10.0)
    layer = _odd_parcels(gpd.GeoDataFrame(pd.concat([base, extra]), crs=4547))
    paths = {}
    for epsg in (4547, 4326):
        path = folder / f"parcels_{epsg}.gpkg"
        layer.to_crs(epsg).to_file(path, engine="pyogrio")
        paths[epsg] = path
    return paths


@pytest.mark.parametrize("epsg", [4547, 4326])
def test_arrays_give_the_usual_roads_table(layouts, epsg, tmp_path, monkeypatch):
    monkeypatch.setenv("LANDPLAN_CACHE", str(tmp_path / "cache"))
    fast = read_parcel_arrays(layouts[epsg])
    assert fast is not None and len(fast.layer.plain) > 2000 and len(fast.layer.other) >= 4
    got = parcel_accounting_arrays(fast, list(BY), "m2")
    want = parcel_accounting(read_parcels(layouts[epsg]), by=BY, unit="m2")
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want)
    g, w = got.set_index(KEY).sort_index(), want.set_index(KEY).sort_index()
    assert (g.index == w.index).all()
    for col in g.columns:
        if col == "area":
            assert np.allclose(g[col], w[col], rtol=1e-9, atol=1e-6)
        else:
            assert g[col].fillna("").astype(str).tolist() == w[col].fillna("").astype(str).tolist()
    assert fast.report == want.attrs["report"]  # the repair of the bow-tie, said the same way
    # the second survey's grid lies under its big parcel: the zone's total counts it once
    total = got[got["landuse"] == "(all)"].groupby("zone_id")["area"].sum()
    classes = got[got["landuse"] != "(all)"].groupby("zone_id")["area"].sum()
    assert (classes - total.reindex(classes.index)).max() > 40_000 - 1


def test_arrays_give_a_plain_geopandas_computation(layouts, tmp_path, monkeypatch):
    """Each (zone, code, status): the union of the parcels' parts in the zone, as geopandas
    intersects and dissolves them (the bow-tie made valid first)."""
    monkeypatch.setenv("LANDPLAN_CACHE", str(tmp_path / "cache"))
    got = parcel_accounting_arrays(read_parcel_arrays(layouts[4326]), list(BY), "m2")
    got = got[got["landuse"] != "(all)"].set_index(KEY)["area"]
    parcels = gpd.read_file(layouts[4326]).to_crs(4547)
    parcels["geometry"] = shapely.make_valid(parcels.geometry.values)
    parcels = parcels[parcels.geometry.notna()].explode(index_parts=False)
    parcels = parcels[parcels.geom_type == "Polygon"]
    parcels["landuse"] = parcels["landuse"].fillna("(空/blank)")
    parcels["status"] = parcels["status"].fillna("(空/blank)")
    frames = []
    for layer in BY:
        zones = zone_layer(layer)[["_zid", "geometry"]].to_crs(4547)
        pieces = gpd.overlay(parcels, zones, how="intersection", keep_geom_type=True)
        merged = pieces.dissolve(by=["_zid", "landuse", "status"]).reset_index()
        merged["area"] = merged.area
        merged.insert(0, "zone_layer", layer)
        frames.append(merged.rename(columns={"_zid": "zone_id"}))
    plain = pd.concat(frames).set_index(KEY)["area"]
    plain = plain[plain > 1e-6]
    a, b = got.align(plain, join="outer", fill_value=0.0)
    assert np.allclose(a, b, rtol=1e-9, atol=1e-4), (a - b).abs().sort_values().tail()


def _command(path, cache, fmt):
    env = {**os.environ, "LANDPLAN_CACHE": str(cache)}
    proc = subprocess.run(
        [landplan_exe(), "parcels", str(path), "--by", ",".join(BY), "--format", fmt],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    return proc.returncode, proc.stdout, proc.stderr


def test_the_command_says_the_same_on_both_roads(layouts, tmp_path):
    short = _command(layouts[4326], tmp_path / "cache", "table")
    usual = _command(layouts[4326], "off", "table")
    assert short[0] == 0 and short == usual
    csv_short = pd.read_csv(io.StringIO(_command(layouts[4326], tmp_path / "cache", "csv")[1]))
    csv_usual = pd.read_csv(io.StringIO(_command(layouts[4326], "off", "csv")[1]))
    assert csv_short.drop(columns="area").equals(csv_usual.drop(columns="area"))
    assert np.allclose(csv_short["area"], csv_usual["area"], rtol=1e-9)
