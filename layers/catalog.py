"""The policy catalog: what the documents say, read from the YAML files in layers/catalog/.

Every record carries its source (seed document and line, or the public report it comes
from). Geometry lives in data/shapefiles/ and is joined in layers.load.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CATALOG_DIR = Path(__file__).resolve().parent / "catalog"

#: short titles of the seed documents, for source strings
DOCUMENTS = {
    "000_486d7e6b52a526cb.txt": ("深圳市关于发展壮大战略性新兴产业集群和培育发展未来产业的意见（2022）及各集群行动计划",
                                 "Shenzhen Opinion on the 20+8 industry clusters (2022) and the cluster action plans"),
    "001_e3baab13100b597a.txt": ("深圳市科技创新“十四五”规划", "Shenzhen S&T Innovation 14th Five-Year Plan"),
    "002_22f36ed06e318fad.txt": ("龙岗区产业发展“十四五”规划（2022）", "Longgang District Industrial Development 14th FYP (2022)"),
    "003_c8c5a7f5ab5c0d6b.txt": ("新闻转载：20+8 意见", "News reprint of the 20+8 Opinion"),
    "004_179bac3d1c0e59ac.txt": ("坪山区制造业“十五五”规划（征求意见稿，2026年5月）", "Pingshan District 15th FYP for manufacturing (draft, May 2026)"),
}

#: feature layers (id -> catalog file); districts is separate because its records differ
FEATURE_LAYERS = ("sz20_parks", "longgang_parks", "pingshan_zones", "innovation_zones")
LAYER_IDS = ("districts",) + FEATURE_LAYERS


@lru_cache(maxsize=None)
def read_catalog_file(name: str):
    """Parsed YAML of one catalog file (cached; treat as read-only)."""
    with open(CATALOG_DIR / name, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_LOADER)  # safe loader (libyaml's when available)


def format_source(src) -> str:
    """'000_486d7e6b52a526cb.txt L113-118' for a seed citation, the report text otherwise."""
    if not src:
        return ""
    if isinstance(src, str):
        return src
    if "doc" in src:
        return f"{src['doc']} L{src['lines']}"
    return str(src.get("report", ""))


def layer_spec(layer_id: str) -> dict:
    """The catalog file of a layer (header and features)."""
    if layer_id == "districts":
        return read_catalog_file("districts.yaml")
    return read_catalog_file(f"features/{layer_id}.yaml")


def clusters() -> pd.DataFrame:
    """The 20 strategic emerging clusters and 8 future industries of the 20+8 Opinion.

    One row per cluster: cluster_id, name_zh, name_en, kind, opinion_districts (list, as
    written), opinion_verb, source, the 003 cross-check, and the action plan's spatial
    layout (``layout``: list of {place_zh, district_id, role_zh, role_en, source}) and
    carriers (``carriers``: list of named parks/bases with sources).
    """
    rows = []
    layouts = {lay["cluster_id"]: lay for lay in _layouts()}
    for c in read_catalog_file("clusters.yaml"):
        lay = layouts.get(c["cluster_id"], {})
        cross = c.get("crosscheck_003") or {}
        rows.append({
            "cluster_id": c["cluster_id"],
            "number": c.get("number"),
            "name_zh": c["name_zh"],
            "name_en": c["name_en"],
            "kind": c["kind"],
            "opinion_districts": list(c.get("opinion_districts") or []),
            "opinion_verb": c.get("opinion_verb"),
            "opinion_quote": c.get("quote"),
            "source": format_source(c.get("source")),
            "crosscheck_003_agrees": cross.get("agrees"),
            "crosscheck_003_note": cross.get("note"),
            "plan_title_zh": lay.get("plan_title_zh"),
            "plan_source": f"000_486d7e6b52a526cb.txt L{lay['plan_lines']}" if lay.get("plan_lines") else None,
            "layout": [_cited(e) for e in lay.get("layout") or []],
            "carriers": [_cited(e) for e in lay.get("carriers") or []],
            "layout_note": lay.get("note"),
        })
    return pd.DataFrame(rows)


def cluster_layouts() -> pd.DataFrame:
    """Long table of the action plans' spatial layouts: one row per cluster x named place."""
    rows = []
    for lay in _layouts():
        for e in lay.get("layout") or []:
            rows.append({"cluster_id": lay["cluster_id"], **_cited(e)})
    return pd.DataFrame(rows, columns=["cluster_id", "place_zh", "district_id", "role_zh",
                                       "role_en", "quote", "source"])


def targets() -> pd.DataFrame:
    """Every land and floor-space target in the seeds, with comparator, unit, year and source."""
    rows = []
    for t in read_catalog_file("targets.yaml"):
        row = {k: v for k, v in t.items() if k not in ("source", "also_source")}
        row["source"] = format_source(t.get("source"))
        if t.get("also_source"):
            row["also_source"] = format_source(t.get("also_source"))
        rows.append(row)
    df = pd.DataFrame(rows)
    df["year"] = df["year"].astype("Int64")
    return df


def _layouts():
    out = []
    for path in sorted((CATALOG_DIR / "layouts").glob("*.yaml")):
        out.extend(read_catalog_file(f"layouts/{path.name}") or [])
    return out


def _cited(entry: dict) -> dict:
    e = dict(entry)
    e["source"] = format_source(e.get("source"))
    return e
