"""The policy catalog: what the documents say, read from the YAML files in layers/catalog/.

Every record carries its source (seed document and line, or the public report it comes
from). Geometry lives in data/shapefiles/ and is joined in layers.load.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from geo.errors import LandplanError

from .catalog_files import CATALOG_DIR, layer_spec, read_catalog_file

# pandas is imported where a DataFrame is made: the listings (catalog_rows, cluster_rows) need none
if TYPE_CHECKING:
    import pandas as pd


#: feature layers (id -> catalog file); districts is separate because its records differ
FEATURE_LAYERS = ("sz20_parks", "longgang_parks", "pingshan_zones", "innovation_zones")
LAYER_IDS = ("districts",) + FEATURE_LAYERS


def _documents() -> list[dict]:
    """The cited documents (documents.yaml)."""
    return read_catalog_file("documents.yaml")


def document_title(doc: str, line: int | None = None, lang: str = "zh") -> str:
    """The citation title of a seed document (of the action plan holding ``line`` in 000), in 《》.

    Parameters
    ----------
    doc : str
        Seed document id (e.g. '000').
    line : int, optional
        A line of document 000, to name the action plan holding it.
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    str
    """
    for d in _documents():
        if d["file"] != doc:
            continue
        title = d[f"title_{lang}"] if lang == "en" else d["title_zh"]
        zh = d["title_zh"]
        for sec in d.get("sections") or []:
            if line is not None and line >= sec["from_line"]:
                title, zh = (
                    sec[f"title_{lang}"] if lang == "en" else sec["title_zh"],
                    sec["title_zh"],
                )
        return f"《{zh}》" if lang == "zh" else f"《{zh}》 ({title})"
    return doc


def _document_district(src) -> str | None:
    """The district whose own plan a seed citation comes from (002, 004), or None."""
    doc = src.get("doc") if isinstance(src, dict) else None
    return next((d.get("district_id") for d in _documents() if d["file"] == doc), None)


def _line_range(lines) -> tuple[str, int | None]:
    text = str(lines).strip()
    first = re.match(r"\d+", text)
    return re.sub(r"\s*[-–~]\s*", "–", text), int(first.group()) if first else None


def format_source(src, lang: str = "zh") -> str:
    """A source as a reader can check it: '《…》第 370–372 行' or '《…》 (title) lines 370–372'.

    Seed citations ({doc, lines}) get the document's citation title from documents.yaml;
    public reports ({report, outlet, date}) read as the report's title, outlet and date.

    Parameters
    ----------
    src : dict or list of dict
        A catalog ``source`` entry.
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    str
    """
    if not src:
        return ""
    if isinstance(src, str):
        return src
    if "doc" in src:
        lines, first = _line_range(src.get("lines", ""))
        title = document_title(src["doc"], first, lang)
        if not lines:
            return title
        if lang == "en":
            return f"{title}, line{'s' if '–' in lines or ',' in lines else ''} {lines}"
        return f"{title}第 {lines} 行"
    parts = [str(src.get("report", "")).strip()]
    parts += [str(src[k]) for k in ("outlet", "date") if src.get(k)]
    return "，".join(p for p in parts if p) if lang == "zh" else ", ".join(p for p in parts if p)


def source_ref(src) -> str:
    """'000_486d7e6b52a526cb.txt L370-372': the file and lines of a seed citation.

    For CSV/JSON and the 来源 sheet.

    Parameters
    ----------
    src : dict or list of dict
        A catalog ``source`` entry.

    Returns
    -------
    str
    """
    if isinstance(src, dict) and "doc" in src:
        return f"{src['doc']} L{src['lines']}"
    return ""


def source_title(src, lang: str = "zh") -> str:
    """The publication a source cites, without its lines: '《title》' or '《report》, outlet, date'.

    For listings that name each document once (``landplan layers``).

    Parameters
    ----------
    src : dict
        A catalog ``source`` entry.
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    str
    """
    if isinstance(src, dict) and "doc" in src:
        return document_title(src["doc"], _line_range(src.get("lines", ""))[1], lang)
    return format_source(src, lang)


def clusters() -> pd.DataFrame:
    """The 20 strategic emerging clusters and 8 future industries of the 20+8 Opinion.

    One row per cluster: cluster_id, name_zh, name_en, kind, opinion_districts (list, as
    written), opinion_verb, source, the 003 cross-check, and the action plan's spatial
    layout (``layout``: list of {place_zh, district_id, role_zh, role_en, source}) and
    carriers (``carriers``: list of named parks/bases with sources).

    Returns
    -------
    pandas.DataFrame
    """
    import pandas as pd

    return pd.DataFrame(cluster_rows())


def cluster_rows() -> list[dict]:
    """The rows of :func:`clusters` as dicts (no pandas: the command's listing answers without it).

    Returns
    -------
    list of dict
    """
    rows = []
    layouts = {lay["cluster_id"]: lay for lay in _layouts()}
    for c in read_catalog_file("clusters.yaml"):
        lay = layouts.get(c["cluster_id"], {})
        cross = c.get("crosscheck_003") or {}
        rows.append(
            {
                "cluster_id": c["cluster_id"],
                "number": c.get("number"),
                "name_zh": c["name_zh"],
                "name_en": c["name_en"],
                "kind": c["kind"],
                "opinion_districts": list(c.get("opinion_districts") or []),
                "opinion_verb": c.get("opinion_verb"),
                "opinion_quote": c.get("quote"),
                "source": format_source(c.get("source")),
                "source_ref": source_ref(c.get("source")),
                "crosscheck_003_agrees": cross.get("agrees"),
                "crosscheck_003_note": cross.get("note"),
                "plan_title_zh": lay.get("plan_title_zh"),
                "plan_source": format_source(
                    {"doc": "000_486d7e6b52a526cb.txt", "lines": lay["plan_lines"]}
                )
                if lay.get("plan_lines")
                else None,
                "plan_source_ref": source_ref(
                    {"doc": "000_486d7e6b52a526cb.txt", "lines": lay["plan_lines"]}
                )
                if lay.get("plan_lines")
                else None,
                "layout": [_cited(e) for e in lay.get("layout") or []],
                "carriers": [_cited(e) for e in lay.get("carriers") or []],
                "layout_note": lay.get("note"),
            }
        )
    return rows


def cluster_layouts() -> pd.DataFrame:
    """Long table of the action plans' spatial layouts: one row per cluster x named place.

    Returns
    -------
    pandas.DataFrame
    """
    import pandas as pd

    rows = []
    for lay in _layouts():
        for e in lay.get("layout") or []:
            rows.append({"cluster_id": lay["cluster_id"], **_cited(e)})
    return pd.DataFrame(
        rows,
        columns=[
            "cluster_id",
            "place_zh",
            "district_id",
            "role_zh",
            "role_en",
            "quote",
            "source",
            "source_ref",
        ],
    )


def targets() -> pd.DataFrame:
    """Every land and floor-space target of the documents: one row per commitment.

    Columns include comparator ('>=', '>', '~', '=', '<=', 'range' with ``value_max``), unit,
    year and ``year_inferred`` (the year is the plan period's end, not stated with the target),
    ``source`` (《title》第 … 行), ``source_en``, ``source_ref`` (file and lines), and
    ``wordings``: the other statements of the same commitment (quote, comparator, source),
    with ``conflict_zh``/``conflict_en`` where they disagree. ``place_zh``/``place_en`` name the
    city, district, park or site it concerns, ``district_ids`` its districts (empty for the city).
    ``part_of`` names the commitment a record is a part of (counted once, with its commitment);
    ``related_to``/``relation`` (``refines``, ``within``) and ``relation_zh``/``relation_en`` the
    commitment it refines or lies within (shown beside it, never added).

    Returns
    -------
    pandas.DataFrame
    """
    import pandas as pd

    rows = []
    for t in read_catalog_file("targets.yaml"):
        row = {k: v for k, v in t.items() if k not in ("source", "wordings")}
        row["source"] = format_source(t.get("source"))
        row["source_en"] = format_source(t.get("source"), "en")
        row["source_ref"] = source_ref(t.get("source"))
        row["wordings"] = [
            {
                "quote": w.get("quote"),
                "comparator": w.get("comparator"),
                "source": format_source(w.get("source")),
                "source_en": format_source(w.get("source"), "en"),
                "source_ref": source_ref(w.get("source")),
            }
            for w in t.get("wordings") or []
        ]
        row["year_inferred"] = t.get("year") is not None and not t.get("period_zh")
        row["district_id"] = (
            t["scope_id"] if t.get("scope") == "district" else _document_district(t.get("source"))
        )
        row.update(_place(t, row["district_id"]))
        rows.append(row)
    df = pd.DataFrame(rows)
    for col in ("value_max", "conflict_zh", "conflict_en") + RELATION_COLUMNS:
        if col not in df:
            df[col] = None
    df["year"] = df["year"].astype("Int64")
    return df


#: columns saying how a record stands to another: the commitment it is a part of, the one it refines
RELATION_COLUMNS = ("part_of", "related_to", "relation", "relation_zh", "relation_en")


def _place(t: dict, district_id: str | None) -> dict:
    """The place a target or figure concerns, in words, and its districts (none for the city)."""
    zh = t.get("scope_name_zh") or t.get("scope_id")
    return {
        "place_zh": zh,
        "place_en": t.get("scope_name_en") or zh,
        "district_ids": [district_id] if t.get("scope") != "city" and district_id else [],
    }


def _layouts():
    out = []
    for path in sorted((CATALOG_DIR / "layouts").glob("*.yaml")):
        out.extend(read_catalog_file(f"layouts/{path.name}") or [])
    return out


def _cited(entry: dict) -> dict:
    e = dict(entry)
    e["source_ref"] = source_ref(e.get("source"))
    e["source"] = format_source(e.get("source"))
    return e


def data_dir() -> Path:
    """Folder of the shipped shapefiles (the checkout's data/shapefiles, or the installed copy).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    LandplanError
        When neither folder exists (a broken install).
    """
    here = Path(__file__).resolve().parents[1] / "data" / "shapefiles"
    if here.is_dir():
        return here
    installed = Path(sys.prefix) / "share" / "landplan" / "shapefiles"
    if installed.is_dir():
        return installed
    raise LandplanError(
        "未找到随附的图层数据，请重新安装 landplan（pip install -e .）。",
        "The shipped layers were not found; reinstall landplan (pip install -e .).",
    )


def _shipped_ids(layer_id: str) -> Counter:
    """How many shipped shapes each feature id has, from the layer's .dbf files."""
    got = Counter()
    for path in sorted(data_dir().glob(f"{layer_id}.dbf")) + sorted(
        data_dir().glob(f"{layer_id}__*.dbf")
    ):
        raw = path.read_bytes()
        n, hlen, rlen = (
            int.from_bytes(raw[4:8], "little"),
            int.from_bytes(raw[8:10], "little"),
            int.from_bytes(raw[10:12], "little"),
        )
        off, pos, where = 32, 1, None
        while off + 32 <= hlen and raw[off] != 0x0D:
            if raw[off : off + 11].split(b"\0")[0] == b"fid":
                where = (pos, raw[off + 16])
            pos += raw[off + 16]
            off += 32
        if where is None:
            continue
        for i in range(n):
            rec = raw[hlen + i * rlen : hlen + (i + 1) * rlen]
            if rec[:1] != b"*":  # not deleted
                got[rec[where[0] : where[0] + where[1]].decode("utf-8").strip()] += 1
    return got


def catalog() -> pd.DataFrame:
    """What exists: layers (id, kind, feature count, precision mix, source) and tables.

    Read from the catalog files and the shipped shapefiles' attribute tables: no geometry is
    loaded (the counts are those of :func:`layers.load`, which a test checks).

    Returns
    -------
    pandas.DataFrame
    """
    import pandas as pd

    return pd.DataFrame(catalog_rows())


def catalog_rows() -> list[dict]:
    """The rows of :func:`catalog` as dicts (no pandas: ``landplan layers`` answers without it).

    Returns
    -------
    list of dict
    """
    rows = []
    for lid in LAYER_IDS:
        spec = layer_spec(lid)
        shapes = _shipped_ids(lid)
        mix, sources, n, outlined = Counter(), set(), 0, 0
        for f in spec["features"]:
            fid = f["district_id"] if lid == "districts" else f["feature_id"]
            src = spec["outline_source"] if lid == "districts" else source_title(f.get("source"))
            k = shapes.get(fid, 0)
            # a belt line also gets its corridor polygon (layers.load); districts carry their
            # precision
            rows_here = max(k, 1) + (k if f.get("kind") == "belt" else 0)
            n += rows_here
            outlined += rows_here if k else 0
            if lid == "districts":
                mix[f["precision"]] += rows_here
            else:
                mix["indicative" if k else "none"] += rows_here
            if src:
                sources.add(src)
        docs = sorted(sources)
        rows.append(
            {
                "id": lid,
                "kind": "layer",
                "name_zh": spec.get("name_zh"),
                "name_en": spec.get("name_en"),
                "features": n,
                "with_outline": outlined,
                "precision": ", ".join(f"{k} {v}" for k, v in sorted(mix.items())),
                "source": "; ".join(docs),
            }
        )
    rows.append(
        {
            "id": "clusters",
            "kind": "table",
            "name_zh": "20+8 产业集群",
            "name_en": "20+8 industry clusters",
            "features": len(read_catalog_file("clusters.yaml")),
            "with_outline": 0,
            "precision": "",
            "source": "; ".join(
                source_title({"doc": doc, "lines": ""}) for doc in (_OPINION, _OPINION_REPRINT)
            ),
        }
    )
    tg = read_catalog_file("targets.yaml")
    cf = read_catalog_file("context_figures.yaml")
    for tid, zh, en, records in (
        ("targets", "用地与空间目标", "Land and space targets", tg),
        ("context_figures", "背景数字（非目标）", "Context figures (not targets)", cf),
    ):
        rows.append(
            {
                "id": tid,
                "kind": "table",
                "name_zh": zh,
                "name_en": en,
                "features": sum(1 for t in records if not t.get("part_of")),  # parts: in theirs
                "with_outline": 0,
                "precision": "",
                "source": "; ".join(sorted({source_title(t.get("source")) for t in records})),
            }
        )
    return rows


#: the 20+8 Opinion (seed 000) and the news article reprinting it (seed 003)
_OPINION, _OPINION_REPRINT = "000_486d7e6b52a526cb.txt", "003_c8c5a7f5ab5c0d6b.txt"
