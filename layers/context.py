"""Context figures: what the sources state that is not a commitment (existing land, the extents of
renewal units). Shown beside the targets for scale; never a target, never met or not met.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .catalog_files import read_catalog_file
from .catalog_tables import _document_district, _place, format_source, source_ref
from .units import target_text

if TYPE_CHECKING:
    import pandas as pd

#: columns of :func:`context_figures`
CONTEXT_COLUMNS = [
    "figure_id",
    "kind",
    "subject_id",
    "subject_zh",
    "subject_en",
    "name_zh",
    "name_en",
    "scope",
    "scope_id",
    "place_zh",
    "place_en",
    "district_ids",
    "metric",
    "comparator",
    "value",
    "unit",
    "value_text_zh",
    "value_text_en",
    "share_pct",
    "share_of_zh",
    "share_of_en",
    "year",
    "quote",
    "source",
    "source_en",
    "source_ref",
    "note",
]


def context_figures(district: str | None = None) -> pd.DataFrame:
    """Figures the sources state that are not commitments, one row per figure, with its source.

    ``kind`` is 'existing_land' (what exists, e.g. the city's industrial land reported in 2024) or
    'renewal_unit' (a key urban renewal unit's area, demolition scope or floor space, 002 专栏4-8).
    Values are in the source's unit (a view converts the land areas:
    :func:`layers.units.in_unit`, which words them again); ``value_text_zh``/``_en`` word them.
    None counts toward a target or as supply.

    Parameters
    ----------
    district : str, optional
        Only the figures of one district (id); the city's figures are left out then.

    Returns
    -------
    pandas.DataFrame
    """
    import pandas as pd

    rows = []
    for f in read_catalog_file("context_figures.yaml"):
        did = f["scope_id"] if f.get("scope") == "district" else _document_district(f.get("source"))
        row = {k: f.get(k) for k in CONTEXT_COLUMNS if k in f and k != "source"}
        row.update(_place(f, did))
        row.update(
            source=format_source(f.get("source")),
            source_en=format_source(f.get("source"), "en"),
            source_ref=source_ref(f.get("source")),
        )
        if district is None or district in row["district_ids"]:
            rows.append(row)
    df = pd.DataFrame(rows, columns=CONTEXT_COLUMNS)
    for lang in ("zh", "en"):
        df[f"value_text_{lang}"] = [
            target_text(c, v, u, lang=lang) for c, v, u in zip(df.comparator, df.value, df.unit)
        ]
    return df
