"""A plan's contiguous industrial blocks (:attr:`layers.plan.Plan.blocks`) as a planner reads them:
the one table of size classes the map, the atlas and the QGIS style shade by, and the blocks' table
with names, words and units (the page, the tables download, the meeting workbook, the atlas and
the GeoPackage use it alike)."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from geo.units import convert_area, unit_label
from layers.names import district_name

from .text import text
from .words import _num, word

#: the blocks' size classes: (upper bound in m², fill colour); the last is square-kilometre scale
SIZE_CLASSES = ((1e5, "#fee391"), (5e5, "#fec44f"), (1e6, "#fe9929"), (math.inf, "#cc4c02"))
#: the size classes' keys (their words: ``blocks.classes`` in the language files; the GeoPackage's
#: ``size_class`` field)
SIZE_KEYS = ("small", "medium", "large", "km2")
#: the outline of a square-kilometre-scale block (others: a thin outline of their fill)
KM2_OUTLINE = "#1a1a1a"


def size_class(area_m2) -> np.ndarray:
    """Each block's size class: its index in :data:`SIZE_CLASSES`."""
    uppers = [u for u, _ in SIZE_CLASSES]
    return np.searchsorted(uppers, np.asarray(area_m2, dtype=float), side="right")


def size_words(lang: str = "zh") -> list[str]:
    """The size classes in words, as the legends say them."""
    return [text(lang)["blocks"]["classes"][k] for k in SIZE_KEYS]


def block_zones(found: pd.DataFrame, layer: str, lang: str = "zh") -> dict[int, str]:
    """Per block number, the zones of ``layer`` ('districts', or the parks' layer) it reaches:
    names (indicative outlines said so) with the block's share in each, largest first."""
    w = text(lang)["blocks"]
    zones = found.attrs.get("zones")
    if zones is None or not len(zones):
        return {}
    mine = zones[zones["zone_layer"] == layer]
    out: dict[int, list] = {}
    for r in mine.itertuples():
        if layer == "districts":
            name = district_name(r.zone_id, lang)
        else:
            en = r.zone_name_en if isinstance(r.zone_name_en, str) and r.zone_name_en else None
            name = r.zone_name_zh if lang == "zh" or en is None else en
            name += w["indicative"] if r.zone_precision == "indicative" else ""
        out.setdefault(int(r.block_id), []).append(f"{name} {_percent(r.share_of_block)}")
    sep = "、" if lang == "zh" else ", "
    return {b: sep.join(v) for b, v in out.items()}


def _percent(share: float) -> str:
    """A share as a reader reads it: '59%', '<1%' (never 0% for a part that is there)."""
    if 0 < share * 100 < 1:
        return "<1%"
    return f"{share * 100:.0f}%"


def code_columns(found: pd.DataFrame) -> list[str]:
    """The land-use codes with an area column in the blocks table ('M1', 'M0')."""
    skip = {"area_m2", "enclosed_m2", "outline_m2"}
    return [c[: -len("_m2")] for c in found.columns if c.endswith("_m2") and c not in skip]


def blocks_table(
    found: pd.DataFrame, lang: str = "zh", unit: str = "km2", exact: bool = False
) -> pd.DataFrame:
    """The blocks (areas in m²) as shown, areas in ``unit`` (rounded, or ``exact`` for a workbook
    that formats its cells): number (1 the largest), area, size
    class, square-kilometre scale, parcels, area per code, enclosed land, industrial share, mainly
    industrial, compactness, parks and districts with the block's share in each; the source and the
    settings said once under it."""
    from layers.scenario import PARK_LAYER

    w = text(lang)["blocks"]
    u = unit_label(unit, lang)
    ids = [int(b) for b in found["block_id"]]
    parks, districts = block_zones(found, PARK_LAYER, lang), block_zones(found, "districts", lang)
    classes = size_words(lang)

    def area(col):
        values = convert_area(found[col].to_numpy(dtype=float), "m2", unit)
        return [float(v) if exact else _num(v) for v in values]

    out = {
        w["number"]: ids,
        w["area"].format(u=u): area("area_m2"),
        w["size"]: [classes[k] for k in size_class(found["area_m2"])],
        w["square_km"]: [word(bool(v), lang) for v in found["square_km"]],
        w["parcels"]: [_num(v, count=True) for v in found["parcel_count"]],
    }
    for code in code_columns(found):
        out[w["code_area"].format(code=code, u=u)] = area(f"{code}_m2")
    out[w["enclosed"].format(u=u)] = area("enclosed_m2")
    out[w["share"]] = [f"{v * 100:.1f}%" for v in found["industrial_share"].astype(float)]
    out[w["main"]] = [word(bool(v), lang) for v in found["industrial_main"]]
    out[w["compactness"]] = [f"{v:.3f}" for v in found["compactness"].astype(float)]
    out[w["parks"]] = [parks.get(b, "—") for b in ids]
    out[w["districts"]] = [districts.get(b, "—") for b in ids]
    table = pd.DataFrame(out)
    if len(found) and found["synthetic"].astype(bool).any():
        table[w["synthetic"]] = [word(bool(v), lang) for v in found["synthetic"]]
    table.attrs["note"] = blocks_note(found, lang)
    return table


def blocks_note(found: pd.DataFrame, lang: str = "zh") -> str:
    """What the blocks rest on: the settings, the parcels and the documents asking for such
    blocks (or why there are none)."""
    from layers.blocks import COUNTS, GAP_M, MIN_AREA_M2, MIN_SHARE, SOURCES
    from layers.catalog_tables import format_source

    w = text(lang)["blocks"]
    how = found.attrs.get("settings") or {}
    codes = w["codes_sep"].join(how.get("counts", COUNTS))
    lines = [
        w["settings"].format(
            codes=codes,
            gap=how.get("gap_m", GAP_M),
            km2=how.get("min_area_m2", MIN_AREA_M2) / 1e6,
            share=how.get("min_share", MIN_SHARE),
        )
    ]
    if not len(found):
        return " ".join([*lines, w["none"].format(codes=codes)])
    src = str(found["source"].iloc[0])
    name = re.search(r"(?:parcels|合成地块): ([^;]+);", src)
    synthetic = bool(found["synthetic"].astype(bool).any())
    docs = (w["sep"]).join(format_source(s, lang) for s in SOURCES)
    lines.append(
        w["source"].format(
            parcels=(name.group(1) if name else "—") + (w["synthetic_mark"] if synthetic else ""),
            docs=docs,
        )
    )
    return " ".join(lines)
