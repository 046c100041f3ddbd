"""Names for ids: districts, parks and zones, clusters and layers, in Chinese or English.

A planner reads names, not ids. Every id shown on the page, in a download or by the CLI's
table output goes through these look-ups; ids stay the keys of the data (JSON, CSV).
"""

from __future__ import annotations

import re
from functools import cache

from geo.errors import LandplanError

from .catalog_files import layer_spec, read_catalog_file
from .catalog_tables import FEATURE_LAYERS, LAYER_IDS

_SUFFIXES = ("特别合作区", "合作区", "新区", "区")


def _key(text: str) -> str:
    """A name as typed, for matching: lower case, no spaces, apostrophes, hyphens or 'district'."""
    s = re.sub(r"[\s'’\-_]", "", str(text)).lower()
    for tail in ("district", "newarea"):
        if s.endswith(tail) and len(s) > len(tail):
            s = s[: -len(tail)]
    return s


@cache
def _district_keys() -> dict[str, str]:
    out: dict[str, str] = {}
    for f in layer_spec("districts")["features"]:
        did, zh, en = f["district_id"], f["name_zh"], f["name_en"]
        names = {did, zh, en, en.split()[0]}
        for suffix in _SUFFIXES:  # 龙岗区 -> 龙岗, 大鹏新区 -> 大鹏, 深汕特别合作区 -> 深汕
            if zh.endswith(suffix):
                names.add(zh[: -len(suffix)])
        for name in names:
            out[_key(name)] = did
    return out


def district_id(name: str) -> str:
    """The district id of a district's id, Chinese name (龙岗区, 龙岗) or English name (Longgang).

    English names are matched in any case.

    Parameters
    ----------
    name : str

    Returns
    -------
    str

    Raises
    ------
    LandplanError
        An unknown name (the sentence lists the districts).
    """
    did = _district_keys().get(_key(name))
    if did is None:
        zh = "、".join(f["name_zh"] for f in layer_spec("districts")["features"])
        en = ", ".join(
            f"{f['name_en']} ({f['district_id']})" for f in layer_spec("districts")["features"]
        )
        raise LandplanError(
            f"没有名为 {name!r} 的行政区；可选：{zh}。",
            f"There is no district {name!r}; districts: {en}.",
        )
    return did


def scope_id(name: str) -> str:
    """'city' (also 全市, 深圳, 深圳市, Shenzhen) or a district id, from a district's name.

    Any name :func:`district_id` accepts.

    Parameters
    ----------
    name : str

    Returns
    -------
    str

    Raises
    ------
    LandplanError
        An unknown name.
    """
    if _key(name) in ("city", "全市", "深圳", "深圳市", "shenzhen", "wholecity"):
        return "city"
    return district_id(name)


@cache
def _district_names() -> dict[str, tuple[str, str]]:
    return {
        f["district_id"]: (f["name_zh"], f["name_en"]) for f in layer_spec("districts")["features"]
    }


def district_name(did: str, lang: str = "zh") -> str:
    """The district's name in ``lang`` (the id itself when it is not a district).

    Parameters
    ----------
    did : str
        A district id.
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    str
    """
    names = _district_names().get(str(did))
    return names[0 if lang == "zh" else 1] if names else str(did)


def land_area_source(did: str, lang: str = "zh") -> tuple[str, str]:
    """Where a district's published land area comes from, in ``lang``: (the source every district
    shares, the district's own remark or ''), from the districts' catalog file.

    Parameters
    ----------
    did : str
        A district id.
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    tuple of str
    """
    spec = layer_spec("districts")
    en = lang != "zh"
    source = spec.get("area_source_en") if en else None
    feature = next((f for f in spec["features"] if f["district_id"] == str(did)), {})
    note = feature.get("official_land_km2_note" if en else "official_land_km2_note_zh")
    return source or spec["area_source"], note or ""


@cache
def _feature_names() -> dict[str, tuple[str, str, str]]:
    """feature id -> (name_zh, name_en, layer id) over the park and zone layers."""
    out = {}
    for lid in FEATURE_LAYERS:
        for f in layer_spec(lid)["features"]:
            zh = f.get("name_zh") or ""
            en = f.get("name_en") or ""
            out[f["feature_id"]] = (zh, en, lid)
            if f.get("kind") == "belt":
                out[f["feature_id"] + "_corridor"] = (
                    zh + "（走廊）" if zh else "",
                    en + " (corridor)" if en else "",
                    lid,
                )
    return out


def feature_name(fid: str, lang: str = "zh", layer: str | None = None) -> str:
    """A park's or zone's name in ``lang``.

    A record without a public name reads 'unnamed park (district)'.

    ``fid`` may be qualified by its layer ('sz20_parks:sz20_xinqiao_east'). An id that is not in the
    catalog (a user's feature) is returned as it is.

    Parameters
    ----------
    fid : str
        A feature id, optionally 'layer:feature'.
    lang : {'zh', 'en'}, default 'zh'
    layer : str, optional
        The feature's layer, when known.

    Returns
    -------
    str
    """
    fid = str(fid)
    if ":" in fid and fid.split(":", 1)[0] in LAYER_IDS:
        layer, fid = fid.split(":", 1)
    if fid in _district_names():
        return district_name(fid, lang)
    zh, en, _ = _feature_names().get(fid, (None, None, None))
    if zh is None:
        return fid
    if lang == "zh":
        return zh or "名称未公开的园区"
    return en or (f"unnamed ({zh})" if zh else "unnamed park (name not published)")


def feature_layer(fid: str) -> str | None:
    """The catalog layer a feature id belongs to (None for a user's feature).

    Parameters
    ----------
    fid : str

    Returns
    -------
    str or None
    """
    fid = str(fid)
    if ":" in fid and fid.split(":", 1)[0] in LAYER_IDS:
        return fid.split(":", 1)[0]
    return _feature_names().get(fid, (None, None, None))[2]


#: the layers a user brings: an uploaded layer and proposed (what-if) parks; they have no catalog
#: file
USER_LAYERS = {
    "upload": ("上传图层", "uploaded layer"),
    "proposed": ("拟建园区（情景）", "proposed parks (what-if)"),
}


def layer_name(lid: str, lang: str = "zh") -> str:
    """A layer's full name from its catalog file.

    'upload'/'proposed' and unknown ids read as words too.

    Parameters
    ----------
    lid : str
        A layer id.
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    str
    """
    if lid in USER_LAYERS:
        return USER_LAYERS[lid][0 if lang == "zh" else 1]
    if lid not in LAYER_IDS:
        return str(lid)
    spec = layer_spec(lid)
    return spec.get("name_zh" if lang == "zh" else "name_en") or lid


def layer_label(lid: str, lang: str = "zh") -> str:
    """A layer's short name (map layer list, legends, report tables).

    Parameters
    ----------
    lid : str
        A layer id (catalog, 'upload' or 'proposed').
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    str
        ``label_zh``/``label_en`` of its catalog file, else its full name (:func:`layer_name`).
    """
    if lid in LAYER_IDS:
        label = layer_spec(lid).get("label_zh" if lang == "zh" else "label_en")
        if label:
            return label
    return layer_name(lid, lang)


@cache
def _cluster_names() -> dict[str, tuple[str, str]]:
    return {
        c["cluster_id"]: (c["name_zh"], c["name_en"]) for c in read_catalog_file("clusters.yaml")
    }


def cluster_name(cid: str, lang: str = "zh") -> str:
    """A cluster's name in ``lang`` (the id itself when it is not a cluster).

    Parameters
    ----------
    cid : str
        A cluster id.
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    str
    """
    names = _cluster_names().get(str(cid))
    return names[0 if lang == "zh" else 1] if names else str(cid)
