"""Print DataFrames as a table, CSV or JSON (an array of row objects)."""

from __future__ import annotations

import csv
import json
import math
import sys
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: pandas is imported where it is used
    import pandas as pd

FORMATS = ("table", "csv", "json")


def _plain(v):
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):
        return v.item()
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as JSON-safe dicts (NaN -> null, numpy scalars -> Python)."""
    return [{k: _plain(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def _cell(v):
    if isinstance(v, (list, tuple)):
        return "、".join(str(x) for x in v)
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return v


#: columns that count things: shown as whole numbers in the table format
COUNT_COLUMNS = {"feature_count", "features", "with_outline", "parcel_count", "count", "n", "cells"}
#: decimals of the table format (JSON and CSV keep full precision)
DECIMALS = 2


def _fixed(df: pd.DataFrame) -> pd.DataFrame:
    """Numbers for a terminal: fixed decimals (never scientific notation), counts as integers,
    booleans as 是/否 yes/no; a row whose unit is 'count' shows its figures as integers."""
    import pandas as pd

    out = df.copy()
    counts_row = (
        df["unit"].astype(str).eq("count")
        if "unit" in df.columns
        else pd.Series(False, index=df.index)
    )
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_bool_dtype(s):
            out[col] = s.map({True: "是 yes", False: "否 no"})
        elif pd.api.types.is_float_dtype(s) or pd.api.types.is_integer_dtype(s):
            whole = col in COUNT_COLUMNS
            out[col] = [
                (
                    ""
                    if pd.isna(v)
                    else f"{int(round(v))}"
                    if (whole or c or pd.api.types.is_integer_dtype(s))
                    else f"{v:.{DECIMALS}f}"
                )
                for v, c in zip(s, counts_row)
            ]
        elif s.dtype == object:
            out[col] = s.map(lambda v: "是 yes" if v is True else "否 no" if v is False else v)
    return out


def write(df: pd.DataFrame, fmt: str = "table", out=None) -> None:
    """Write ``df`` to ``out`` (stdout) as 'table', 'csv' or 'json'.

    JSON and CSV keep every digit; the table format shows fixed decimals, counts as integers.
    """
    out = out or sys.stdout
    if fmt == "json":
        json.dump(records(df), out, ensure_ascii=False, indent=1)
        out.write("\n")
        return
    if fmt == "csv":
        if len(df):  # lists joined, missing values empty: only text columns can hold either
            df = df.assign(**{c: df[c].map(_cell) for c in df.columns if df[c].dtype == object})
        df.to_csv(out, index=False)
        return
    # a terminal's width: the English names stay in JSON/CSV when the Chinese ones are shown
    df = df.drop(
        columns=[
            c for c in df.columns if str(c).endswith("name_en") and str(c)[:-2] + "zh" in df.columns
        ]
    )
    flat = _fixed(df).map(_cell) if len(df) else df
    _table(flat, out)


def write_rows(
    rows: list[dict], fmt: str = "table", columns: list[str] | None = None, out=None
) -> None:
    """:func:`write` for rows as dicts, without pandas (the listings that need no geometry answer in
    ~0.1 s).

    The same text as ``write(pd.DataFrame(rows)[columns], fmt)`` for the types these rows hold (str,
    int, float, bool, None, lists); a test compares the two on every listing.
    """
    out = out or sys.stdout
    if columns is None:
        columns = list(dict.fromkeys(k for r in rows for k in r))
    rows = [[r.get(c) for c in columns] for r in rows]
    if fmt == "json":
        json.dump(
            [{c: _plain(v) for c, v in zip(columns, r)} for r in rows],
            out,
            ensure_ascii=False,
            indent=1,
        )
        out.write("\n")
        return
    if fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(columns)
        w.writerows([_cell(v) for v in r] for r in rows)
        return
    keep = [
        i for i, c in enumerate(columns) if not (c.endswith("name_en") and c[:-2] + "zh" in columns)
    ]
    columns = [columns[i] for i in keep]
    cols = [_fixed_column(c, [r[i] for r in rows]) for c, i in zip(columns, keep)]
    _text_table_out(out, columns, cols, len(rows))


def _fixed_column(name: str, values: list) -> list[str]:
    """One column as :func:`_fixed` then :func:`_cell` show it (pandas infers the column's type from
    its values)."""
    present = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if present and all(isinstance(v, bool) for v in values):
        return ["是 yes" if v else "否 no" for v in values]
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        integer = len(present) == len(values) and all(isinstance(v, int) for v in present)
        whole = integer or name in COUNT_COLUMNS
        return [
            ""
            if v is None or (isinstance(v, float) and math.isnan(v))
            else f"{int(round(v))}"
            if whole
            else f"{v:.{DECIMALS}f}"
            for v in values
        ]
    return [str(_cell("是 yes" if v is True else "否 no" if v is False else v)) for v in values]


def _width(text: str) -> int:
    """Terminal columns of a text as pandas counts them (east Asian wide and full-width characters:
    2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _text_table_out(out, columns: list[str], cols: list[list[str]], n: int) -> None:
    """Right-aligned columns, one space apart, as ``DataFrame.to_string(index=False)`` lays them
    out."""
    widths = [max([_width(c)] + [_width(v) for v in col]) for c, col in zip(columns, cols)]
    lines = [" ".join(" " * (w - _width(c)) + c for c, w in zip(columns, widths))]
    for i in range(n):
        lines.append(" ".join(" " * (w - _width(col[i])) + col[i] for col, w in zip(cols, widths)))
    out.write("\n".join(lines) + "\n")


def _table(flat: pd.DataFrame, out) -> None:
    import pandas as pd

    with pd.option_context(
        "display.max_rows",
        None,
        "display.max_columns",
        None,
        "display.width",
        200,
        "display.max_colwidth",
        60,
        "display.unicode.east_asian_width",
        True,
    ):
        out.write(flat.to_string(index=False) + "\n")


def _met_cell(row) -> str:
    from layers.targets import MET_LABELS

    status = row.get("met_status")
    if not isinstance(status, str) or status not in MET_LABELS:
        met = row.get("met")
        status = (
            ("met" if met else "not_met")
            if isinstance(met, bool) or hasattr(met, "item")
            else "not_measurable"
        )
    zh, en = MET_LABELS[status]
    return f"{zh} {en}" if len(en) <= 10 else zh  # the Chinese word alone where the English is long


def write_targets_table(df: pd.DataFrame, out=None) -> None:
    """``layers.targets.target_supply`` for a terminal: name, target as the document words it,
    supplied, the
    indicative extent (never supply), shortfall, met, unit, year (* inferred) and a note number; the
    sources follow as numbered notes (ids and every column are in ``--format json/csv``)."""
    import numpy as np
    import pandas as pd

    from ..words import source_text

    out = out or sys.stdout
    if not len(df):
        out.write("（没有目标 / no targets）\n")
        return
    notes: dict[str, int] = {}
    rows = []
    for r in df.to_dict(orient="records"):
        count = r.get("unit") == "count"

        def fig(v, count=count):
            return (
                ""
                if v is None or pd.isna(v)
                else f"{int(round(v))}"
                if count
                else f"{v:.{DECIMALS}f}"
            )

        target = r.get("target_text_zh")
        if not isinstance(target, str) or not target:
            target = fig(r.get("value")) + (
                f"–{fig(r['value_max'])}" if not pd.isna(r.get("value_max", np.nan)) else ""
            )
        year = "" if r.get("year") is None or pd.isna(r.get("year")) else str(int(r["year"]))
        if year and bool(r.get("year_inferred")) is True:
            year += "*"
        src = str(r.get("source") or "")
        note = notes.setdefault(src, len(notes) + 1) if src else ""
        name = str(r.get("name_zh") or "")
        rows.append(
            {
                "名称 name": name if len(name) <= 16 else name[:15] + "…",
                "目标 target": target,
                "供给 supply": fig(r.get("supplied")),
                "示意 extent": fig(r.get("indicative_extent")),
                "缺口 gap": fig(r.get("shortfall")),
                "达标 met": _met_cell(r),
                "单位 unit": "个" if count else r.get("unit"),
                "年份 year": year,
                "来源 src": f"[{note}]" if note else "",
            }
        )
    _table(pd.DataFrame(rows), out)
    out.write(
        "示意：示意边界的面积或个数，不计为供给 / extent: indicative outlines' area or count, not "
        "supply\n"
    )
    if any(r["年份 year"].endswith("*") for r in rows):
        out.write("* 年份为推定（文件未写明）/ year inferred (the document does not state it)\n")
    for src, n in notes.items():
        out.write(f"[{n}] {source_text(src, 'zh')}\n")
