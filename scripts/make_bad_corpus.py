"""Write the bad-input corpus tests/data/bad/ and its expected outcomes (expected.yaml).

Deterministic: run it twice and the files are byte-identical (fixed zip dates, fixed .dbf and
GeoPackage dates). Every case is a real file a planner could be handed; ``expected.yaml`` says
what must happen to it in the Python API, the ``landplan`` command and the page's upload path:

- ``ok``               read and measured, nothing to report
- ``ok_with_repair``   read and measured; something was repaired and the report says what
- ``ok_with_warning``  read and measured unchanged; the report warns about something
- ``refused``          a clear sentence (zh + en) says why and what to do; no traceback

``message`` lists words the message or report must contain (case-insensitive). ``features`` is
the expected feature count, ``area_m2`` the expected total planimetric area (EPSG:4547), known
from how the case was built. ``upload`` overrides the outcome for the page's upload path where the
page takes another route (e.g. a loose .shp cannot be uploaded).

    python scripts/make_bad_corpus.py            # writes tests/data/bad/
"""

from __future__ import annotations

import io
import json
import shutil
import struct
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "bad"
ZIP_DATE = (2026, 1, 1, 0, 0, 0)
# Shenzhen-ish anchors: Pingshan (114.35E, 22.69N); in EPSG:4547 about (535900, 2510000)
E0, N0 = 535_900.0, 2_510_000.0
NAMES = ["坪山高新区南区", "宝龙工业园", "燕罗片区"]

pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2026-01-01T00:00:00.000Z"})

CASES: list[dict] = []


def case(
    file,
    what,
    outcome,
    message=(),
    features=None,
    area_m2=None,
    options=None,
    fields=None,
    upload=None,
    cli_args=None,
):
    """Record one case's expectation."""
    c = {"file": file, "what": what, "outcome": outcome, "message": list(message)}
    if features is not None:
        c["features"] = features
    if area_m2 is not None:
        c["area_m2"] = float(area_m2)
    if options:
        c["options"] = options
    if fields:
        c["fields"] = fields
    if upload:
        c["upload"] = upload
    CASES.append(c)


# ---------------------------------------------------------------- geometry helpers


def boxes_4547(n=3, w=200.0, h=300.0):
    """n disjoint w x h rectangles in EPSG:4547 metres (area n*w*h)."""
    return [shapely.box(E0 + i * 1000, N0, E0 + i * 1000 + w, N0 + h) for i in range(n)]


def parks(n=3, crs=4326, **cols):
    g = gpd.GeoDataFrame(
        {"name_zh": NAMES[:n], "park_id": [f"P{i + 1:02d}" for i in range(n)], **cols},
        geometry=boxes_4547(n),
        crs=4547,
    )
    return g.to_crs(crs) if crs != 4547 else g


def _fix_dbf_date(folder: Path):
    for dbf in folder.glob("*.dbf"):
        raw = bytearray(dbf.read_bytes())
        raw[1:4] = bytes([126, 1, 1])  # 2026-01-01
        dbf.write_bytes(bytes(raw))


def shapefile_parts(
    gdf, stem="parks", encoding="utf-8", drop=(), prj=None, cpg=None, layer_options=None
):
    """{name: bytes} of a Shapefile written by GDAL, with parts dropped or replaced."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        gdf.to_file(
            tmp / f"{stem}.shp",
            engine="pyogrio",
            encoding=encoding,
            layer_options=layer_options or {},
        )
        _fix_dbf_date(tmp)
        parts = {p.name: p.read_bytes() for p in sorted(tmp.iterdir())}
    if prj is not None:
        parts[f"{stem}.prj"] = prj.encode()
    if cpg is not None:
        parts[f"{stem}.cpg"] = cpg.encode()
    for ext in drop:
        parts.pop(f"{stem}.{ext}", None)
    return parts


def write_zip(name, members: dict, compress=zipfile.ZIP_DEFLATED, raw_names=False):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compress) as z:
        for arc, data in members.items():
            info = zipfile.ZipInfo(arc, ZIP_DATE)
            info.compress_type = compress
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    data = buf.getvalue()
    (OUT / name).write_bytes(data)
    return data


def write_text(name, text, encoding="utf-8"):
    (OUT / name).write_bytes(text.encode(encoding))


def feature_collection(features):
    return {"type": "FeatureCollection", "features": features}


def feature(props, geometry):
    return {"type": "Feature", "properties": props, "geometry": geometry}


def ring_lonlat(box4547):
    """Exterior ring of an EPSG:4547 box as rounded lon/lat lists."""
    g = gpd.GeoSeries([box4547], crs=4547).to_crs(4326).iloc[0]
    return [[round(x, 9), round(y, 9)] for x, y in g.exterior.coords]


def wkt_metres(geom):
    return shapely.to_wkt(geom, rounding_precision=3)


def prj_of(epsg: int) -> str:
    from pyproj import CRS

    return CRS.from_epsg(epsg).to_wkt("WKT1_ESRI")


# ---------------------------------------------------------------- the cases


def make():
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    area3 = 3 * 200 * 300

    # --- coordinate systems
    write_zip("no_prj.zip", shapefile_parts(parks(crs=4326), drop=("prj",)))
    case(
        "no_prj.zip",
        "Shapefile without .prj (lon/lat coordinates)",
        "refused",
        ["coordinate system", "--crs", "EPSG:4326", "坐标系"],
    )
    case(
        "no_prj.zip",
        "Shapefile without .prj, CRS stated by the user",
        "ok",
        features=3,
        area_m2=area3,
        options={"crs": "EPSG:4326"},
    )
    write_zip("wrong_prj_metres_as_degrees.zip", shapefile_parts(parks(crs=4547), prj=prj_of(4326)))
    case(
        "wrong_prj_metres_as_degrees.zip",
        ".prj says WGS84 degrees but the coordinates are metres",
        "refused",
        ["cannot be longitude/latitude", "EPSG:4547", "坐标"],
    )
    write_zip("wrong_prj_degrees_as_metres.zip", shapefile_parts(parks(crs=4326), prj=prj_of(4547)))
    case(
        "wrong_prj_degrees_as_metres.zip",
        ".prj says EPSG:4547 metres but the coordinates are degrees",
        "refused",
        ["longitude/latitude", "EPSG:4326", "坐标"],
    )
    write_zip("gk_4547.zip", shapefile_parts(parks(crs=4547)))
    case(
        "gk_4547.zip",
        "CGCS2000 Gauss-Kruger CM 114E (EPSG:4547), easting ~536000, with .prj",
        "ok",
        features=3,
        area_m2=area3,
        fields={"name_zh": NAMES[0]},
    )
    write_zip("gk_no_prefix_no_prj.zip", shapefile_parts(parks(crs=4547), drop=("prj",)))
    case(
        "gk_no_prefix_no_prj.zip",
        "Gauss-Kruger metres without zone prefix and without .prj",
        "refused",
        ["Gauss-Kruger", "EPSG:4547", "--crs", "坐标系"],
    )
    zone38 = parks(crs=4526)
    write_zip("gk_zone38_no_prj.zip", shapefile_parts(zone38, drop=("prj",)))
    case(
        "gk_zone38_no_prj.zip",
        "Gauss-Kruger eastings with zone prefix 38 (38536000), no .prj",
        "refused",
        ["zone 38", "EPSG:4526", "--crs", "带号"],
    )
    write_zip("gk_zone38_declared_4547.zip", shapefile_parts(zone38, prj=prj_of(4547)))
    case(
        "gk_zone38_declared_4547.zip",
        ".prj says EPSG:4547 but eastings carry the zone prefix 38",
        "ok_with_repair",
        ["zone prefix", "EPSG:4526"],
        features=3,
        area_m2=area3,
    )
    write_zip("gk_zone38_4526.zip", shapefile_parts(zone38))
    case(
        "gk_zone38_4526.zip",
        "Gauss-Kruger zone 38 with prefix, .prj EPSG:4526",
        "ok",
        features=3,
        area_m2=area3,
    )

    swapped = parks(crs=4326)
    swapped["geometry"] = shapely.transform(swapped.geometry.values, lambda c: c[:, ::-1])
    fc = json.loads(swapped.to_json(drop_id=True))
    write_text("latlon_swapped.geojson", json.dumps(fc, ensure_ascii=False))
    case(
        "latlon_swapped.geojson",
        "GeoJSON with latitude and longitude swapped (22.69, 114.35)",
        "ok_with_repair",
        ["swapped", "纬度"],
        features=3,
        area_m2=area3,
    )

    # GCJ-02 outlines (as AMap hands them out) labelled WGS84: two district outlines shifted by
    # GCJ-02
    import layers
    from geo.offsets import wgs84_to_bd09, wgs84_to_gcj02

    d = layers.load("districts")
    d = d[d["district_id"].isin(["luohu", "futian"])][["district_id", "name_zh", "geometry"]]
    d["geometry"] = d.geometry.simplify(0.0005)
    for name, fwd, sys_ in (
        ("gcj02_as_wgs84.geojson", wgs84_to_gcj02, "gcj02"),
        ("bd09_as_wgs84.geojson", wgs84_to_bd09, "bd09"),
    ):
        shifted = d.set_geometry(
            shapely.transform(
                d.geometry.values, lambda c, fwd=fwd: np.column_stack(fwd(c[:, 0], c[:, 1]))
            )
        )
        shifted["geometry"] = shapely.set_precision(shifted.geometry.values, 1e-7)
        write_text(name, shifted.to_json(drop_id=True, ensure_ascii=False))
        case(
            name,
            f"district outlines copied from a {sys_.upper()} web map, declared WGS84 (GeoJSON)",
            "ok_with_warning",
            [sys_.upper()[:3], f"--crs {sys_}", "偏移"],
            features=2,
        )
    case(
        "gcj02_as_wgs84.geojson",
        "the same outlines read with --crs gcj02",
        "ok",
        ["gcj02", "WGS84"],
        features=2,
        options={"crs": "gcj02"},
    )

    # --- attribute text
    write_zip("gbk_no_cpg.zip", shapefile_parts(parks(), encoding="gbk", drop=("cpg",)))
    case(
        "gbk_no_cpg.zip",
        "GBK attribute text, no .cpg",
        "ok_with_repair",
        ["GB18030", "编码"],
        features=3,
        area_m2=area3,
        fields={"name_zh": NAMES[0]},
    )
    write_zip("cpg_lies_utf8.zip", shapefile_parts(parks(), encoding="gbk", cpg="UTF-8"))
    case(
        "cpg_lies_utf8.zip",
        ".cpg says UTF-8, the text is GBK",
        "ok_with_repair",
        [".cpg says", "GB18030"],
        features=3,
        area_m2=area3,
        fields={"name_zh": NAMES[0]},
    )
    write_zip("cpg_lies_gbk.zip", shapefile_parts(parks(), encoding="utf-8", cpg="GBK"))
    case(
        "cpg_lies_gbk.zip",
        ".cpg says GBK, the text is UTF-8",
        "ok_with_repair",
        [".cpg says", "UTF-8"],
        features=3,
        area_m2=area3,
        fields={"name_zh": NAMES[0]},
    )
    long_text = ("深圳市坪山区高新技术产业园区南区规划用地说明：" * 120)[:3000]
    g = parks(crs=4326)
    g["note_zh"] = [long_text, long_text[:1000], "短"]
    write_text("long_chinese.geojson", g.to_json(drop_id=True, ensure_ascii=False))
    case(
        "long_chinese.geojson",
        "very long Chinese field values (3000 characters)",
        "ok",
        features=3,
        area_m2=area3,
        fields={"note_zh": long_text},
    )
    # a Shapefile text field is at most 254 bytes: a long UTF-8 value cut in the middle of a
    # character
    cut = parks(crs=4326)
    cut["note_zh"] = [
        "x" + long_text[:90],
        "短",
        "yyy" + long_text[:90],
    ]  # cut at 254 bytes: 1 + 84*3 + 1, 3 + 83*3 + 2
    parts = shapefile_parts(cut, encoding="utf-8")
    parts["parks.dbf"] = _cut_dbf_text(parts["parks.dbf"], "note_zh", 254, list(cut["note_zh"]))
    write_zip("long_chinese_cut.zip", parts)
    case(
        "long_chinese_cut.zip",
        "UTF-8 .dbf whose 254-byte text field cuts a Chinese character in half",
        "ok_with_repair",
        ["cut", "截断"],
        features=3,
        area_m2=area3,
        fields={
            "name_zh": NAMES[0],
            "note_zh": cut["note_zh"][0].encode("utf-8")[:254].decode("utf-8", "ignore"),
        },
    )
    gbk_names = {}
    for ext, data in shapefile_parts(parks(), stem="tmpname", encoding="gbk").items():
        gbk_names[("深圳园区数据/坪山园区" + ext[len("tmpname") :])] = data
    _write_zip_raw_names("gbk_member_names.zip", gbk_names, "gbk")
    case(
        "gbk_member_names.zip",
        "zip made on Chinese Windows: member names in GBK, no UTF-8 flag",
        "ok_with_repair",
        ["GB18030"],
        features=3,
        area_m2=area3,
        fields={"name_zh": NAMES[0]},
    )

    # --- geometry problems
    def poly_fc(rings_list, props_list):
        return feature_collection(
            [
                feature(p, {"type": "Polygon", "coordinates": r})
                for r, p in zip(rings_list, props_list)
            ]
        )

    def lonlat(coords):
        pts = gpd.GeoSeries(shapely.points(np.asarray(coords, dtype=float)), crs=4547).to_crs(4326)
        return [[round(p.x, 10), round(p.y, 10)] for p in pts]

    bow = lonlat([(E0, N0), (E0 + 200, N0 + 200), (E0 + 200, N0), (E0, N0 + 200), (E0, N0)])
    write_text(
        "bowtie.geojson",
        json.dumps(
            poly_fc(
                [[bow], [ring_lonlat(boxes_4547(1)[0])]],
                [{"name_zh": "蝴蝶结"}, {"name_zh": "正常"}],
            ),
            ensure_ascii=False,
        ),
    )
    case(
        "bowtie.geojson",
        "bow-tie polygon (self-intersecting ring)",
        "ok_with_repair",
        ["repaired", "Self-intersection", "修复"],
        features=2,
        area_m2=2 * 100 * 100 + 60000,
    )
    # a ring that touches itself at one point (an inverted hole) plus a zero-width spike
    touch = lonlat(
        [
            (E0, N0),
            (E0 + 300, N0),
            (E0 + 300, N0 + 300),
            (E0, N0 + 300),
            (E0, N0),
            (E0 + 100, N0 + 100),
            (E0 + 200, N0 + 100),
            (E0 + 100, N0 + 200),
            (E0, N0),
        ]
    )
    spike = lonlat(
        [
            (E0 + 1000, N0),
            (E0 + 1200, N0),
            (E0 + 1200, N0 + 200),
            (E0 + 1200, N0 + 500),
            (E0 + 1200, N0 + 200),
            (E0 + 1000, N0 + 200),
            (E0 + 1000, N0),
        ]
    )
    write_text(
        "self_touching_ring.geojson",
        json.dumps(
            poly_fc([[touch], [spike]], [{"name_zh": "自接触环"}, {"name_zh": "尖刺"}]),
            ensure_ascii=False,
        ),
    )
    case(
        "self_touching_ring.geojson",
        "self-touching ring (inverted hole) and a zero-width spike",
        "ok_with_repair",
        ["repaired", "修复"],
        features=2,
        area_m2=300 * 300 - 100 * 100 + 200 * 200,
    )
    open_ring = ring_lonlat(boxes_4547(1)[0])[:-1]
    write_text(
        "unclosed_ring.geojson",
        json.dumps(poly_fc([[open_ring]], [{"name_zh": "未闭合"}]), ensure_ascii=False),
    )
    case(
        "unclosed_ring.geojson",
        "polygon ring whose last point is not the first (GeoJSON)",
        "ok_with_repair",
        ["closed", "闭合"],
        features=1,
        area_m2=60000,
    )
    b = boxes_4547(2)
    open_wkt = "POLYGON (({}))".format(
        ", ".join(f"{x:.3f} {y:.3f}" for x, y in list(b[0].exterior.coords)[:-1])
    )
    write_text("unclosed_ring.csv", f'名称,wkt\n未闭合,"{open_wkt}"\n正常,"{wkt_metres(b[1])}"\n')
    case(
        "unclosed_ring.csv",
        "CSV with WKT whose ring is not closed (EPSG:4547 stated)",
        "ok_with_repair",
        ["closed", "闭合"],
        features=2,
        area_m2=120000,
        options={"crs": "EPSG:4547"},
    )
    write_text(
        "empty_and_null.geojson",
        json.dumps(
            feature_collection(
                [
                    feature(
                        {"name_zh": "正常"}, {"type": "Polygon", "coordinates": [ring_lonlat(b[0])]}
                    ),
                    feature({"name_zh": "空几何"}, {"type": "Polygon", "coordinates": []}),
                    feature({"name_zh": "无几何"}, None),
                    feature({"name_zh": "空多面"}, {"type": "MultiPolygon", "coordinates": []}),
                ]
            ),
            ensure_ascii=False,
        ),
    )
    case(
        "empty_and_null.geojson",
        "empty and null geometries among valid ones",
        "ok_with_warning",
        ["no geometry", "zero area", "无几何"],
        features=4,
        area_m2=60000,
    )
    pts = [
        gpd.GeoSeries([p], crs=4547).to_crs(4326).iloc[0]
        for p in shapely.points([(E0, N0), (E0 + 500, N0)])
    ]
    write_text(
        "mixed_types.geojson",
        json.dumps(
            feature_collection(
                [
                    feature(
                        {"name_zh": "园区"}, {"type": "Polygon", "coordinates": [ring_lonlat(b[0])]}
                    ),
                    feature(
                        {"name_zh": "企业"}, {"type": "Point", "coordinates": [pts[0].x, pts[0].y]}
                    ),
                    feature(
                        {"name_zh": "道路"},
                        {
                            "type": "LineString",
                            "coordinates": [[pts[0].x, pts[0].y], [pts[1].x, pts[1].y]],
                        },
                    ),
                ]
            ),
            ensure_ascii=False,
        ),
    )
    case(
        "mixed_types.geojson",
        "polygons, points and lines in one layer, given to an area calculation: the polygon is "
        "measured, the point and the line left out and said",
        "ok_with_warning",
        ["not polygons", "1 point (Point)", "1 line (LineString)", "不是面"],
        features=1,
    )
    write_text(
        "points.geojson",
        json.dumps(
            feature_collection(
                [
                    feature({"name_zh": f"企业{i}"}, {"type": "Point", "coordinates": [p.x, p.y]})
                    for i, p in enumerate(pts)
                ]
            ),
            ensure_ascii=False,
        ),
    )
    case(
        "points.geojson",
        "points given to an area calculation",
        "refused",
        ["needs polygons", "Point", "buffer"],
        # the page draws them, and says there is nothing to measure
        upload={"outcome": "ok_with_warning", "message": ["no polygons", "2 points (Point)"]},
    )
    lines = gpd.GeoDataFrame(
        {"name_zh": ["坪山大道", "丹梓大道"]},
        geometry=[
            shapely.LineString([(E0, N0), (E0 + 3000, N0 + 100)]),
            shapely.LineString([(E0, N0 + 500), (E0 + 2000, N0 + 2500)]),
        ],
        crs=4547,
    )
    write_zip("lines.zip", shapefile_parts(lines, stem="roads"))
    case(
        "lines.zip",
        "lines (a road Shapefile) given to an area calculation",
        "refused",
        ["needs polygons", "LineString", "面图层"],
        upload={"outcome": "ok_with_warning", "message": ["no polygons", "(LineString)", "没有面"]},
    )
    write_zip(
        "polygon_z.zip",
        {**_shapefile_bytes("parks", boxes_4547(), kind="Z"), "parks.prj": prj_of(4547).encode()},
    )
    case(
        "polygon_z.zip",
        "PolygonZ Shapefile (heights on every vertex)",
        "ok_with_repair",
        ["Z", "dropped", "高程"],
        features=3,
        area_m2=area3,
    )
    write_zip(
        "polygon_m.zip",
        {**_shapefile_bytes("parks", boxes_4547(), kind="M"), "parks.prj": prj_of(4547).encode()},
    )
    case(
        "polygon_m.zip",
        "PolygonM Shapefile (measures on every vertex)",
        "ok_with_repair",
        ["M", "dropped", "测量值"],
        features=3,
        area_m2=area3,
    )
    write_text(
        "polygon_zm.csv",
        "name,wkt\n"
        + "".join(
            f'p{i},"POLYGON ZM (({", ".join(f"{x:.1f} {y:.1f} 12.5 {k}" for k, (x, y) in enumerate(bx.exterior.coords))}))"\n'  # noqa: E501
            for i, bx in enumerate(boxes_4547())
        ),
    )
    case(
        "polygon_zm.csv",
        "CSV with POLYGON ZM WKT (EPSG:4547 stated)",
        "ok_with_repair",
        ["Z", "M", "dropped"],
        features=3,
        area_m2=area3,
        options={"crs": "EPSG:4547"},
    )
    ring = ring_lonlat(b[0])
    nan_ring = [list(p) for p in ring]
    nan_ring[2][1] = "NaN"
    text = json.dumps(
        poly_fc([[nan_ring], [ring_lonlat(b[1])]], [{"name_zh": "坏坐标"}, {"name_zh": "正常"}]),
        ensure_ascii=False,
    ).replace('"NaN"', "NaN")
    write_text("nan_coords.geojson", text)
    case(
        "nan_coords.geojson",
        "GeoJSON with a NaN coordinate",
        "ok_with_repair",
        ["NaN", "empty geometry", "坐标无效"],
        features=2,
        area_m2=60000,
    )
    huge_ring = [list(p) for p in ring]
    huge_ring[1][0] = 1e300
    write_text(
        "huge_coords.geojson",
        json.dumps(
            poly_fc(
                [[huge_ring], [ring_lonlat(b[1])]], [{"name_zh": "坏坐标"}, {"name_zh": "正常"}]
            ),
            ensure_ascii=False,
        ),
    )
    case(
        "huge_coords.geojson",
        "GeoJSON with a 1e300 coordinate",
        "ok_with_repair",
        ["out of range", "empty geometry", "坐标无效"],
        features=2,
        area_m2=60000,
    )

    # --- broken files
    write_text("empty.geojson", "")
    case("empty.geojson", "an empty file (0 bytes)", "refused", ["empty", "空"])
    (OUT / "empty.zip").write_bytes(b"")
    case("empty.zip", "an empty .zip (0 bytes)", "refused", ["empty", "空"])
    parts = shapefile_parts(parks(crs=4547))
    parts["parks.shp"] = parts["parks.shp"][: len(parts["parks.shp"]) - 60]
    write_zip("truncated_shp.zip", parts)
    case(
        "truncated_shp.zip",
        ".shp cut short (the last 60 bytes missing)",
        "refused",
        ["truncated", "不完整"],
    )
    write_zip("shp_only.zip", shapefile_parts(parks(crs=4547), drop=("shx", "dbf", "cpg")))
    case(
        "shp_only.zip",
        "zip holding a .shp and .prj but no .shx or .dbf",
        "refused",
        [".shx", ".dbf", "缺少"],
    )
    (OUT / "lonely.shp").write_bytes(shapefile_parts(parks(crs=4547), stem="lonely")["lonely.shp"])
    case(
        "lonely.shp",
        "a loose .shp with no .shx or .dbf beside it",
        "refused",
        [".shx", ".dbf", "缺少"],
        upload={"outcome": "refused", "message": ["zip", ".shx", "压缩"]},
    )
    write_text(
        "invalid_json.geojson",
        json.dumps(
            feature_collection(
                [feature({"name_zh": "甲"}, {"type": "Polygon", "coordinates": [ring]})]
            ),
            ensure_ascii=False,
        )[:-40],
    )
    case(
        "invalid_json.geojson",
        "GeoJSON cut short (invalid JSON)",
        "refused",
        ["not valid", "GeoJSON", "无法读取"],
    )
    write_text(
        "bad_wkt.csv",
        f'名称,wkt\n甲,"{wkt_metres(b[0])}"\n乙,"POLYGON ((1 2, 3"\n丙,not wkt at all\n丁,\n',
    )
    case(
        "bad_wkt.csv",
        "CSV whose WKT column has broken and missing values (EPSG:4547 stated)",
        "ok_with_warning",
        ["could not be parsed", "1 row has none", "empty geometry", "无法解析", "1 行没有 WKT"],
        features=4,
        area_m2=60000,
        options={"crs": "EPSG:4547"},
    )
    write_text(
        "duplicate_ids.geojson",
        json.dumps(
            feature_collection(
                [
                    feature(
                        {"id": "P01", "name_zh": n},
                        {"type": "Polygon", "coordinates": [ring_lonlat(bx)]},
                    )
                    for n, bx in zip(NAMES, boxes_4547())
                ]
            ),
            ensure_ascii=False,
        ),
    )
    case(
        "duplicate_ids.geojson",
        "three features sharing the id P01",
        "ok_with_warning",
        ["duplicate", "P01", "重复"],
        features=3,
        area_m2=area3,
    )
    gp = OUT / "multi_layer.gpkg"
    parks(crs=4547).to_file(gp, layer="parks", engine="pyogrio")
    lines.to_file(gp, layer="roads", engine="pyogrio")
    case(
        "multi_layer.gpkg",
        "GeoPackage with two layers and no choice",
        "refused",
        ["several layers", "parks", "roads", "多个图层"],
    )
    case(
        "multi_layer.gpkg",
        "GeoPackage with two layers, layer chosen",
        "ok",
        features=3,
        area_m2=area3,
        options={"layer": "parks"},
    )

    # --- zips
    write_zip(
        "zip_without_shp.zip",
        {"readme.txt": "园区边界见附件".encode(), "parks.dbf": parts["parks.dbf"]},
    )
    case(
        "zip_without_shp.zip",
        "zip with a .dbf and a readme but no .shp",
        "refused",
        ["No Shapefile", "未找到"],
    )
    write_zip(
        "zip_nested.zip",
        {f"2026/坪山/园区/{k}": v for k, v in shapefile_parts(parks(crs=4547)).items()},
    )
    case(
        "zip_nested.zip",
        "zipped Shapefile three folders deep",
        "ok",
        features=3,
        area_m2=area3,
        fields={"name_zh": NAMES[0]},
    )
    two = {**shapefile_parts(parks(crs=4547), stem="parks"), **shapefile_parts(lines, stem="roads")}
    write_zip("zip_two_shapefiles.zip", two)
    case(
        "zip_two_shapefiles.zip",
        "zip holding two Shapefiles",
        "refused",
        ["several layers", "parks", "roads", "--layer", "多个图层"],
    )
    bomb = shapefile_parts(parks(crs=4547))
    bomb["parks.dbf"] = b"\0" * (64 * 1024 * 1024)
    write_zip("zip_bomb.zip", bomb)
    case(
        "zip_bomb.zip",
        "zip bomb: a 64 MiB member of zeros compressed ~1000:1",
        "refused",
        ["expands", "refused", "解压"],
    )
    write_zip(
        "zip_dotdot.zip",
        {
            "parks.shp": parts["parks.shp"],
            "../../../tmp/landplan_evil.shx": parts["parks.shx"],
            "parks.dbf": parts["parks.dbf"],
        },
    )
    case("zip_dotdot.zip", "zip with a ../ member path", "refused", ["unsafe path", "不安全"])
    write_zip(
        "zip_absolute.zip",
        {"/tmp/landplan_evil.shp": parts["parks.shp"], "parks.dbf": parts["parks.dbf"]},
    )
    case(
        "zip_absolute.zip", "zip with an absolute member path", "refused", ["unsafe path", "不安全"]
    )

    # --- not geodata at all
    write_text("not_geodata.txt", "会议纪要：坪山高新区南区用地整备进度汇报。\n")
    case(
        "not_geodata.txt",
        "a text file (meeting minutes)",
        "refused",
        ["not a format", "不是支持的格式"],
        upload={"outcome": "refused", "message": ["Upload", "上传"]},
    )
    # JPEG start of image + JFIF header + filler, named .geojson
    write_text("photo.geojson", "")
    (OUT / "photo.geojson").write_bytes(
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + bytes(range(256)) * 4
    )
    case(
        "photo.geojson",
        "a JPEG photo named .geojson",
        "refused",
        ["not valid", "GeoJSON", "无法读取"],
    )
    write_text(
        "html_error_page.zip", "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>\n"
    )
    case(
        "html_error_page.zip",
        "a failed download: an HTML error page saved as .zip",
        "refused",
        ["not a valid zip", "压缩包"],
    )

    (OUT / "expected.yaml").write_text(
        "# Written by scripts/make_bad_corpus.py: the expected outcome of every bad-input case.\n"
        + yaml.safe_dump({"cases": CASES}, allow_unicode=True, sort_keys=False, width=110),
        encoding="utf-8",
    )
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(
        f"wrote {len(list(OUT.iterdir())) - 1} files, {len(CASES)} cases, {total / 1024:.0f} KiB "
        f"to {OUT}"
    )


def _write_zip_raw_names(name, members, encoding):
    """A zip whose member names are bytes in ``encoding`` without the UTF-8 flag (Windows zip
    tools)."""
    buf = io.BytesIO()
    placeholders = {}
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for k, (arc, data) in enumerate(members.items()):
            raw = arc.encode(encoding)
            ph = f"~{k:02d}".encode().ljust(len(raw), b"_")  # ASCII stand-in of the same length
            placeholders[ph] = raw
            info = zipfile.ZipInfo(ph.decode(), ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    out = buf.getvalue()
    for ph, raw in placeholders.items():  # local header and central directory
        assert out.count(ph) == 2
        out = out.replace(ph, raw)
    (OUT / name).write_bytes(out)


def _cut_dbf_text(dbf: bytes, field: str, width: int, full_values) -> bytes:
    """Rewrite a .dbf so that text field ``field`` holds ``full_values`` cut at ``width`` UTF-8
    bytes."""
    n = struct.unpack("<I", dbf[4:8])[0]
    hlen, rlen = struct.unpack("<HH", dbf[8:12])
    fields, off = [], 32
    while dbf[off] != 0x0D:
        desc = dbf[off : off + 32]
        fields.append((desc[:11].rstrip(b"\0").decode(), desc[11:12], desc[16], desc))
        off += 32
    starts = np.cumsum([1] + [f[2] for f in fields])[:-1]
    new_desc, new_len = b"", 1
    for fname, _ftype, flen, desc in fields:
        w = width if fname == field else flen
        new_desc += desc[:16] + bytes([w]) + desc[17:]
        new_len += w
    header = bytearray(dbf[:32])
    header[8:12] = struct.pack("<HH", 32 + len(new_desc) + 1, new_len)
    out = bytes(header) + new_desc + b"\r"
    for r in range(n):
        rec = dbf[hlen + r * rlen : hlen + (r + 1) * rlen]
        row = rec[:1]
        for (fname, _ftype, flen, _desc), s in zip(fields, starts):
            val = rec[s : s + flen]
            if fname == field:
                val = full_values[r].encode("utf-8")[:width].ljust(width, b" ")
            row += val
        out += row
    return out + b"\x1a"


def _shapefile_bytes(stem, polys, kind="Z"):
    """A PolygonZ (type 15) or PolygonM (type 25) Shapefile written byte by byte (GDAL cannot be fed
    M here)."""
    shp_type = {"Z": 15, "M": 25}[kind]
    records, offsets = [], []
    pos = 100
    for i, p in enumerate(polys):
        xy = np.asarray(p.exterior.coords)[::-1]  # Shapefile outer rings run clockwise
        npt = len(xy)
        xmin, ymin, xmax, ymax = p.bounds
        body = struct.pack("<i4dii", shp_type, xmin, ymin, xmax, ymax, 1, npt) + struct.pack(
            "<i", 0
        )
        body += xy.astype("<f8").tobytes()
        extra = np.linspace(10.0, 10.0 + npt - 1, npt) + i  # heights or measures
        if kind == "Z":
            body += struct.pack("<2d", extra.min(), extra.max()) + extra.astype("<f8").tobytes()
        body += (
            struct.pack("<2d", extra.min(), extra.max()) + extra.astype("<f8").tobytes()
        )  # M (required in Z too)
        rec = struct.pack(">2i", i + 1, len(body) // 2) + body
        offsets.append((pos // 2, len(body) // 2))
        records.append(rec)
        pos += len(rec)
    allb = np.array([p.bounds for p in polys])
    bbox = (allb[:, 0].min(), allb[:, 1].min(), allb[:, 2].max(), allb[:, 3].max())

    def header(length_bytes):
        return (
            struct.pack(">7i", 9994, 0, 0, 0, 0, 0, length_bytes // 2)
            + struct.pack("<2i", 1000, shp_type)
            + struct.pack("<4d", *bbox)
            + struct.pack("<4d", 0, 0, 0, 0)
        )

    shp = header(pos) + b"".join(records)
    shx = header(100 + 8 * len(polys)) + b"".join(struct.pack(">2i", o, c) for o, c in offsets)
    # .dbf: one text field name_zh (UTF-8, 80 bytes)
    rows = [n.encode("utf-8").ljust(80, b" ") for n in NAMES[: len(polys)]]
    dbf = struct.pack("<B3BIHH20x", 3, 126, 1, 1, len(rows), 32 + 32 + 1, 1 + 80)
    dbf += b"name_zh".ljust(11, b"\0") + b"C" + b"\0" * 4 + bytes([80, 0]) + b"\0" * 14 + b"\r"
    dbf += b"".join(b" " + r for r in rows) + b"\x1a"
    return {f"{stem}.shp": shp, f"{stem}.shx": shx, f"{stem}.dbf": dbf, f"{stem}.cpg": b"UTF-8"}


if __name__ == "__main__":
    make()
