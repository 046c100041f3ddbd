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
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
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
    files_in()
    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT.relative_to(ROOT)}")


def ldid_shapefile(name: str, gdf, encoding: str, ldid: int):
    """A Shapefile with no .cpg whose .dbf header names its code page (language driver ``ldid``)."""
    shapefile(name, gdf, encoding, None)
    dbf = OUT / f"{name}.dbf"
    raw = bytearray(dbf.read_bytes())
    raw[29] = ldid
    dbf.write_bytes(bytes(raw))


def _clear_field_name_tails(dbf: Path):
    """Zero what follows each field name's end in a .dbf header (the TAB writer leaves it as it
    found it in memory): byte-identical runs."""
    raw = bytearray(dbf.read_bytes())
    off = 32
    while off + 32 <= len(raw) and raw[off] != 0x0D:
        end = raw.index(0, off, off + 11) if 0 in raw[off : off + 11] else off + 11
        raw[end : off + 11] = bytes(off + 11 - end)
        off += 32
    dbf.write_bytes(bytes(raw))


def _zip(name: str, members: dict[str, Path]):
    """A zip of ``members`` (name in the zip -> file), with fixed dates: byte-identical runs."""
    with zipfile.ZipFile(OUT / name, "w", zipfile.ZIP_DEFLATED) as zf:
        for arc, path in members.items():
            info = zipfile.ZipInfo(arc, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())


def _a_hair_past_180(xy: np.ndarray) -> np.ndarray:
    out = xy.copy()
    out[out[:, 0] == 180.0, 0] = 180.00000190734863
    return out


def files_in():
    """The cases of issue 27 (GIS files in) that no public file has, most derived from one."""
    # no .cpg: the .dbf header's language driver names the code page (0x4D: GBK/936); ArcGIS on a
    # Chinese Windows writes 0x57 ("ANSI": the machine's code page, GBK there) before GBK text
    ldid_shapefile("ldid_4d_gbk", parks(), "gbk", 0x4D)
    ldid_shapefile("ldid_57_gbk", parks(), "gbk", 0x57)
    # a GeometryCollection of two parks and their entrance (a point) beside a plain park, as some
    # web tools write a multi-part drawing: the parks are measured, the point said
    g4326 = parks()
    gc = shapely.GeometryCollection(
        [g4326.geometry.iloc[0], g4326.geometry.iloc[1], g4326.geometry.iloc[0].exterior.centroid]
    )
    gpd.GeoDataFrame(
        {"name": ["启动区（两块及入口）", NAMES[2]]},
        geometry=[gc, g4326.geometry.iloc[2]],
        crs=4326,
    ).to_file(OUT / "collection_of_polygons.geojson", engine="pyogrio", driver="GeoJSON")
    # several Shapefiles in one zip: --layer (or the page's choice) picks one
    tmp = OUT / "_two"
    tmp.mkdir()
    parts = {}
    for stem, idx in (("启动区", [0, 1]), ("拓展区", [2])):
        g = parks().iloc[idx]
        g.to_file(tmp / f"{stem}.shp", engine="pyogrio", encoding="utf-8")
        _fix_dbf_date(tmp / f"{stem}.dbf")
        for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            parts[f"{stem}{ext}"] = tmp / f"{stem}{ext}"
    _zip("two_shapefiles.zip", parts)
    # MapInfo TAB (several binary files, zipped as bureaus send them), written by GDAL from GDAL's
    # own MIF/MID test file (tests/data/realworld/gdal/utf8.mif): same features, CRS and text
    mif = gpd.read_file(OUT.parent / "gdal" / "utf8.mif", engine="pyogrio")
    # the TAB writer keeps ASCII field names only: the fields are renamed, the Cyrillic text kept
    mif.columns = [c if c == "geometry" else f"field_{i + 1}" for i, c in enumerate(mif.columns)]
    mif.to_file(tmp / "utf8.tab", engine="pyogrio", driver="MapInfo File", encoding="utf-8")
    _fix_dbf_date(tmp / "utf8.dat")  # a .dat is a .dbf: its header holds the day it was written
    _clear_field_name_tails(tmp / "utf8.dat")
    _zip("utf8_tab.zip", {p.name: p for p in sorted(tmp.glob("utf8.*"))})
    shutil.rmtree(tmp)
    # Natural Earth's countries (pyogrio's test file in this corpus) as world borders files store
    # them: the longitudes at 180 a hair past it (180.00000190734863, as in thematicmapping.org's
    # TM_WORLD_BORDERS); and Fiji across the antimeridian, its parts west of -179 moved east by
    # 360 degrees and joined, as stitched world maps keep it
    world = gpd.read_file(OUT.parent / "pyogrio" / "naturalearth_lowres.shp", engine="pyogrio")
    world = world[world["name"].isin(["Fiji", "Russia", "New Zealand", "China"])][
        ["name", "geometry"]
    ]
    world["geometry"] = shapely.transform(world.geometry.values, _a_hair_past_180)
    world.to_file(OUT / "world_borders_180.shp", engine="pyogrio", encoding="utf-8")
    _fix_dbf_date(OUT / "world_borders_180.dbf")
    fiji = world[world["name"] == "Fiji"].geometry.iloc[0]
    moved = [
        shapely.transform(p, lambda xy: xy + [360, 0]) if p.bounds[0] < -179 else p
        for p in shapely.get_parts(fiji)
    ]
    stitched = shapely.union_all([shapely.set_precision(p, 1e-9) for p in moved])
    gpd.GeoDataFrame({"name": ["Fiji"]}, geometry=[stitched], crs=4326).to_file(
        OUT / "fiji_antimeridian.geojson", engine="pyogrio", driver="GeoJSON"
    )


if __name__ == "__main__":
    main()
