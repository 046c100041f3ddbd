"""Write tests/data/realworld/synthetic/: minimal files for the cases of issue 13 that no public
test file has.

Deterministic (fixed .dbf and GeoPackage dates): run it twice and the files are byte-identical. Each
file is the smallest example of what planners are sent: a GBK Shapefile whose .cpg holds the ArcGIS
code-page number (936), Shapefiles named with dots, WKT curves in a CSV, a stray feature at 0,0,
EPSG:4547 coordinates in a GeoJSON with no ``crs`` member, KML with several folders, a DXF in
EPSG:4547, a layer wider than one 3-degree zone. Their expected outcomes are in
tests/data/realworld/SOURCES.yaml.

    python scripts/make_realworld_synthetic.py
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "realworld" / "synthetic"
E0, N0 = 535_900.0, 2_510_000.0  # Pingshan in EPSG:4547
NAMES = ["坪山高新区南区", "宝龙工业园", "燕罗片区"]

pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2026-01-01T00:00:00.000Z"})


def boxes(n=3, w=200.0, h=300.0):
    return [shapely.box(E0 + i * 1000, N0, E0 + i * 1000 + w, N0 + h) for i in range(n)]


def parks(n=3, crs=4326, names=NAMES):
    g = gpd.GeoDataFrame(
        {"name": list(names[:n]), "park_id": [f"P{i + 1:02d}" for i in range(n)]},
        geometry=boxes(n),
        crs=4547,
    )
    return g.to_crs(crs) if crs != 4547 else g


def _fix_dbf_date(path: Path):
    raw = bytearray(path.read_bytes())
    raw[1:4] = bytes([126, 1, 1])  # 2026-01-01
    path.write_bytes(bytes(raw))


def shapefile(name: str, gdf, encoding: str, cpg: str | None):
    """Write name.shp with text in ``encoding`` and a .cpg holding ``cpg`` (None: no .cpg)."""
    path = OUT / f"{name}.shp"
    gdf.to_file(path, engine="pyogrio", encoding=encoding)
    _fix_dbf_date(path.with_suffix(".dbf"))
    path.with_suffix(".cpg").unlink(missing_ok=True)
    if cpg is not None:
        path.with_suffix(".cpg").write_bytes(cpg.encode("ascii"))


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    # .cpg code-page numbers (ArcGIS writes 936 for GBK)
    shapefile("cpg_936_gbk", parks(), "gbk", "936")
    shapefile("cpg_ansi_936", parks(), "gbk", "ANSI 936")
    shapefile("cpg_CP936", parks(), "gbk", "CP936")
    shapefile("cpg_950_big5", parks(names=["坪山高新區", "寶龍工業園", "燕羅片區"]), "big5", "950")
    shapefile("cpg_1250", parks(names=["Průmyslová zóna", "Žďár", "Łódź"]), "cp1250", "1250")
    shapefile("cpg_65001", parks(), "utf-8", "65001")
    # Shapefile names with dots (GBK, .cpg 936 as ArcGIS writes them)
    shapefile("地块v1.2", parks(), "gbk", "936")
    shapefile("parcels.2023", parks(), "utf-8", "UTF-8")
    # WKT curves in a CSV (CAD/FileGDB exports), lon/lat in Shenzhen
    lon, lat = 114.35, 22.69
    d = 0.002
    rows = [
        (
            "1",
            f"CURVEPOLYGON(CIRCULARSTRING({lon} {lat}, {lon + d} {lat + d}, {lon} {lat + 2 * d}, "
            f"{lon - d} {lat + d}, {lon} {lat}))",
        ),
        (
            "2",
            f"MULTISURFACE(CURVEPOLYGON(COMPOUNDCURVE(CIRCULARSTRING({lon + 0.01} {lat}, "
            f"{lon + 0.01 + d} {lat + d}, "
            f"{lon + 0.01 + 2 * d} {lat}), ({lon + 0.01 + 2 * d} {lat}, {lon + 0.01} {lat}))))",
        ),
        (
            "3",
            f"POLYGON(({lon + 0.02} {lat}, {lon + 0.022} {lat}, {lon + 0.022} {lat + 0.002}, "
            f"{lon + 0.02} {lat}))",
        ),
    ]
    (OUT / "wkt_curves.csv").write_text(
        "id,wkt\n" + "".join(f'{i},"{w}"\n' for i, w in rows), encoding="utf-8"
    )
    # one stray feature at 0,0 beside real ones (a digitising slip): far from 114E
    g = parks()
    g.loc[len(g)] = ["stray", "P99", shapely.box(0, 0, 0.001, 0.001)]
    g.to_file(OUT / "stray_at_0_0.geojson", engine="pyogrio", driver="GeoJSON")
    # EPSG:4547 metres in a GeoJSON with no crs member (read as WGS84 by every reader)
    gj = json.loads(parks(crs=4547).to_json(drop_id=True))
    gj.pop("crs", None)
    (OUT / "gk4547_no_crs.geojson").write_text(json.dumps(gj, ensure_ascii=False), encoding="utf-8")
    # a projected GeoPackage in Shenzhen's own system: drawn on the map, it must be in lon/lat
    parks(crs=4547).to_file(OUT / "parks_4547.gpkg", engine="pyogrio", driver="GPKG")
    # KML with two folders, as Google Earth and 奥维 export them
    kml = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>',
    ]
    for folder, idx in (("启动区", (0, 1)), ("拓展区", (2,))):
        kml.append(f"<Folder><name>{folder}</name>")
        g4326 = parks()
        for i in idx:
            ring = " ".join(f"{x!r},{y!r},0" for x, y in g4326.geometry.iloc[i].exterior.coords)
            kml.append(
                f"<Placemark><name>{NAMES[i]}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
                f"{ring}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
            )
        kml.append("</Folder>")
    kml.append("</Document></kml>")
    (OUT / "two_folders.kml").write_text("\n".join(kml) + "\n", encoding="utf-8")
    # a CAD drawing in EPSG:4547 metres: closed polylines on two layers (DXF carries no CRS)
    dxf = ["  0", "SECTION", "  2", "ENTITIES"]
    for i, b in enumerate(boxes()):
        dxf += ["  0", "LWPOLYLINE", "  8", f"PARK{i + 1}", " 90", "4", " 70", "1"]
        for x, y in list(b.exterior.coords)[:4]:
            dxf += [" 10", f"{x:.3f}", " 20", f"{y:.3f}"]
    dxf += ["  0", "ENDSEC", "  0", "EOF"]
    (OUT / "parks_4547.dxf").write_text("\n".join(dxf) + "\n", encoding="ascii")
    # wider than one 3-degree zone: a box in each of two zones and one box across four zones
    wide = gpd.GeoDataFrame(
        {"name": ["west_110E", "east_117E", "across_108_118E"]},
        geometry=[
            shapely.box(109.9, 23.0, 110.1, 23.2),
            shapely.box(116.9, 23.0, 117.1, 23.2),
            shapely.box(108.0, 23.0, 118.0, 23.1),
        ],
        crs=4326,
    )
    wide.to_file(OUT / "wider_than_a_zone.geojson", engine="pyogrio", driver="GeoJSON")
    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
