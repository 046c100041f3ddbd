"""Reading the meeting papers back as a planner does: the workbook's tables (openpyxl), the atlas's
text (pdftotext), and what a readable cell may hold (names and words, no ids)."""

import re
import shutil
import subprocess
from functools import cache

import geopandas as gpd
import pytest
import shapely

import layers

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
#: the headers of the one id column a table may keep at its right, for tracing
ID_HEADERS = {
    "目标编号",
    "区编号",
    "编号",
    "集群编号",
    "Target id",
    "District id",
    "Id",
    "Cluster id",
    "Ids",
}


def needs_cjk_font():
    """The atlas needs a CJK font; without one it refuses with a sentence: skip, saying so."""
    from geo.errors import LandplanError
    from landplan.report import cjk_font

    try:
        cjk_font()
    except LandplanError as exc:
        pytest.skip(f"no CJK font for the atlas ({exc}); .ci/run installs fonts-wqy-zenhei")


def pdf_pages(path) -> list[str]:
    """The atlas's pages as text (pdftotext)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed; .ci/run installs it")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def table(ws, first_header: str, after: int = 0) -> list[dict]:
    """Rows of the table whose header row holds ``first_header`` (the first such table below row
    ``after``), up to a blank first cell or the total row."""
    rows = list(ws.iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if i >= after and first_header in r)
    head = rows[top]
    body = []
    for r in rows[top + 1 :]:
        if r[0] is None:
            break
        body.append(dict(zip(head, r)))
        if str(r[0]) in ("合计", "Total") or str(r[0]).startswith("重复计算的土地"):
            break
        if str(r[0]).startswith("Land counted twice"):
            break
    return body


def row_of(ws, label: str) -> int:
    """The index (0-based) of the first row whose first cell starts with ``label``."""
    return next(
        i
        for i, r in enumerate(ws.iter_rows(values_only=True))
        if isinstance(r[0], str) and r[0].startswith(label)
    )


def readable_cells(wb):
    """(sheet, value) of every text cell a planner reads: all but each table's id column."""
    for ws in wb:
        idcol = None
        for r in ws.iter_rows(values_only=True):
            ids = [j for j, v in enumerate(r) if v in ID_HEADERS]
            if ids:
                idcol = ids[-1]
                continue
            for j, v in enumerate(r):
                if isinstance(v, str) and j != idcol:
                    yield ws.title, v


@cache
def raw_ids() -> set[str]:
    """Every id of the catalog a reader must never see as a name: layers, features, clusters,
    targets, districts, kinds and codes."""
    from layers.catalog_tables import LAYER_IDS

    out = set(LAYER_IDS)
    for lid in LAYER_IDS:
        g = layers.load(lid)
        key = "district_id" if lid == "districts" else "feature_id"
        out |= set(g[key])
        if "kind" in g.columns:
            out |= set(g["kind"].dropna())
    out |= set(layers.targets()["target_id"])
    out |= {c for c in layers.clusters()["cluster_id"]}
    return {str(x) for x in out}


@cache
def _district_ids() -> set[str]:
    return set(layers.load("districts")["district_id"])


def ids_in(text: str, lang: str = "zh") -> set[str]:
    """The raw ids a text holds: any word with an underscore, a district id, True/False; in a
    Chinese text also any other id of the catalog ('belt', 'park': plain words in English)."""
    words = set(re.findall(r"[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*", text))
    found = {w for w in words if "_" in w} | (words & {"True", "False", "nan", "None"})
    found |= words & ({"shenzhen"} | _district_ids())
    if lang == "zh":  # 'city', 'belt', 'park': plain words in English
        found |= words & (raw_ids() | {"city"})
    return found


@cache
def allowed_chinese() -> list[str]:
    """What an English report may keep in Chinese: place names without an English one (the
    catalog's places, sites and parks), document titles and outlets, and the planning terms the
    catalog's English names keep ('Industrial land assembly (整备)'); longest first."""
    from layers.catalog_files import layer_spec, read_catalog_file
    from layers.catalog_tables import LAYER_IDS
    from layers.gaps import cluster_gaps

    names = set()
    for lid in LAYER_IDS:
        g = layers.load(lid)
        names |= {n for n in g["name_zh"].dropna()}
        if "location_zh" in g.columns:
            names |= {x for xs in g["location_zh"] for x in (xs or [])}
    t = layers.targets()
    if "scope_name_zh" in t.columns:
        names |= {n for n in t["scope_name_zh"].dropna()}
    anchors = read_catalog_file("anchors.yaml")["features"]
    for a in anchors.values():
        place = str(a.get("place", ""))
        names |= {place} | set(re.split(r"[\s()（）、,，-]+", place))
    names |= set(cluster_gaps()["place_zh"])
    english = list(t["name_en"].dropna()) + list(layers.clusters()["name_en"].dropna())
    for lid in LAYER_IDS:
        english += list(layers.load(lid)["name_en"].dropna())
    for n in english:  # terms the catalog's own English names keep in Chinese: 整备, 工改工
        names |= set(re.findall(r"[\u3400-\u9fff]+", str(n)))
    names |= set(_catalog_quotes())

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                if k in ("report", "outlet") and isinstance(v, str):
                    names.add(v)
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    for lid in LAYER_IDS:
        walk(layer_spec(lid))
    names |= {"印发", "园区1", "园区2", "园区3"}  # a publication's date note; the test's uploads
    return sorted((n for n in names if n), key=len, reverse=True)


def _catalog_quotes() -> set[str]:
    """The Chinese the catalog's English notes quote: a document's wording (不少于, 大于), a place
    (海丰县), an issuing bureau; found in the catalog files' English fields and citations."""
    import yaml

    from layers.catalog_files import CATALOG_DIR

    keep = ("_en", "cut_method", "inference", "official_land_km2_note", "report", "outlet")
    out = set()

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                if isinstance(v, str) and str(k).endswith(keep) and not str(k).endswith("_zh"):
                    out.update(re.findall(r"[\u3400-\u9fff]+", v))
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    for path in CATALOG_DIR.rglob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return out


def chinese_left(text: str) -> str:
    """The Chinese of ``text`` once document titles, quoted headlines and place names are taken
    out (empty in an English report)."""
    s = text.replace("\n", "")
    for n in allowed_chinese():  # a publication's full citation first: its title and date note
        if "《" in n and "》" in n:
            s = s.replace(n, "")
    s = re.sub(r"《[^》]*》", "", s)
    for n in allowed_chinese():
        s = s.replace(n, "")
    s = re.sub(r"“[^”]*”", "", s)
    for n in allowed_chinese():
        s = s.replace(n, "")
    return "".join(re.findall(r"[\u3400-\u9fff]", s))  # Chinese words, not the commas between


def parks_in(district: str, n: int, size_m: float, overlap_m: float = 0.0) -> gpd.GeoDataFrame:
    """``n`` square parks in a row inside a district (EPSG:4547), each ``overlap_m`` into the
    next, named 园区1, 园区2, ..."""
    d = layers.load("districts")
    zone = d[d["district_id"] == district].to_crs(4547).geometry.iloc[0]
    c = shapely.point_on_surface(zone)
    step = size_m - overlap_m
    boxes = [
        shapely.box(c.x + i * step, c.y, c.x + i * step + size_m, c.y + size_m) for i in range(n)
    ]
    return gpd.GeoDataFrame({"name": [f"园区{i + 1}" for i in range(n)]}, geometry=boxes, crs=4547)


def fmt(v, dec) -> str:
    return f"{v:,.{dec}f}"
