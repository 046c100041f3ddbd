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
        elif s.dtype == object and _figures(s):  # whole counts beside decimals: each as it is
            out[col] = [
                "" if v is None or pd.isna(v) else f"{v}" if isinstance(v, int) else f"{v:.2f}"
                for v in s
            ]
        elif s.dtype == object:
            out[col] = s.map(lambda v: "是 yes" if v is True else "否 no" if v is False else v)
    return out


def _figures(s) -> bool:
    """A column of figures held as objects: every value present a number (not a flag)."""
    given = [v for v in s if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return bool(given) and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in given
    )


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
    from layers.supply import MET_LABELS

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


def write_targets_table(df: pd.DataFrame, out=None, context: pd.DataFrame | None = None) -> None:
    """``layers.supply.target_supply`` for a terminal, by place (the city, a district, a site):
    each target's name whole (a commitment's parts under it, 其中), the target as the document
    words it, supplied, the indicative extent (never supply), shortfall, met, unit, year
    (* inferred) and a note number; then how many targets rest on what, the relations between
    targets (†), the ``context`` figures (:func:`layers.context.context_figures`, not targets)
    and the sources as numbered notes (ids and every column are in ``--format json/csv``)."""
    import numpy as np
    import pandas as pd

    from geo.units import unit_text
    from layers.supply import basis_summary_text

    from ..present.plan_text import target_name
    from ..present.words import source_text

    out = out or sys.stdout
    if not len(df):
        out.write("（没有目标 / no targets）\n")
        return
    notes: dict[str, int] = {}
    reported = "reported_value" in df.columns and df["reported_value"].notna().any()
    head = [("名称", "name"), ("目标", "target"), ("供给", "supply")]
    if reported:  # the progress ledger's latest figure, as of, and its source as a note
        head += [("填报", "reported"), ("截至", "as of")]
    head += [("示意", "extent")]
    head += [("缺口", "gap"), ("达标", "met"), ("单位", "unit"), ("年份", "year"), ("来源", "src")]
    rows, group, related = [], None, []
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
        name, place = target_name(r), _place_heading(r)
        if not isinstance(r.get("part_of"), str):  # a part stands under its commitment
            if place != group:  # a new place: its heading row
                rows.append([place] + [""] * (len(head) - 1))
                group = place
            here = str(r.get("place_zh") or "")
            if here and name.startswith(here) and len(name) > len(here):
                name = name[len(here) :]  # the heading names the place
        if isinstance(r.get("relation_zh"), str):
            name += "†" * (len(related) + 1)
            related.append(r)
        said = []
        if reported:
            per = r.get("reported_source")
            n = notes.setdefault(f"填报依据 reported per: {per}", len(notes) + 1) if per else ""
            as_of = r.get("reported_as_of")
            said = [fig(r.get("reported_value")), f"{as_of} [{n}]" if n else ""]
        rows.append(
            ["  " + name]
            + [target, fig(r.get("supplied")), *said, fig(r.get("indicative_extent"))]
            + [fig(r.get("shortfall")), _met_cell(r), unit_text(r.get("unit"), "zh")]
            + [year, f"[{note}]" if note else ""]
        )
    _aligned(head, rows, out)
    say = [
        "示意：示意边界的面积或个数，不计为供给 / extent: indicative outlines' area or count, not "
        "supply"
    ]
    if any(r[len(head) - 2].endswith("*") for r in rows):
        say.append("* 年份为推定（文件未写明）/ year inferred (the document does not state it)")
    say += [basis_summary_text(df, "zh"), basis_summary_text(df, "en")]
    for i, r in enumerate(related):
        say.append(f"{'†' * (i + 1)} {r['relation_zh']} / {r['relation_en']}")
    if context is not None and len(context):
        say.append("背景数字（不是目标，不判断达标）/ context figures (not targets, never met):")
        for r in context.to_dict(orient="records"):
            n = notes.setdefault(str(r.get("source") or ""), len(notes) + 1)
            share = (
                f"（占{r['share_of_zh']} {r['share_pct']:g}%）"
                if isinstance(r.get("share_of_zh"), str)
                else ""
            )
            say.append(f"  {r['name_zh']} {r['value_text_zh']}{share} [{n}]")
    for line in say:
        out.write("\n".join(_wrapped(line)) + "\n")
    for src, n in notes.items():
        out.write(f"[{n}] {source_text(src, 'zh')}\n")


def _place_heading(r) -> str:
    """The place a target concerns, as a heading: 深圳市（全市）, 龙岗区, or a site with its
    district."""
    from layers.names import district_name

    place = str(r.get("place_zh") or "")
    if r.get("scope") == "city":
        return f"{place}（全市）"
    ids = r.get("district_ids")
    ids = list(ids) if hasattr(ids, "__len__") and not isinstance(ids, str) else []
    if r.get("scope") in ("park", "site") and ids:
        return f"{place}（{'、'.join(district_name(d, 'zh') for d in ids)}）"
    return place


def _aligned(head: list[tuple[str, str]], rows: list[list[str]], out) -> None:
    """A table with a two-line header (Chinese over English): the first column left-aligned, the
    figures right-aligned, one space apart."""
    lines = [[zh for zh, _ in head], [en for _, en in head]] + rows
    widths = [max(_width(cells[i]) for cells in lines) for i in range(len(head))]

    def line(cells):
        first = cells[0] + " " * (widths[0] - _width(cells[0]))
        rest = [" " * (w - _width(c)) + c for c, w in zip(cells[1:], widths[1:])]
        return " ".join([first] + rest).rstrip()

    out.write("\n".join(line(c) for c in lines) + "\n")


def _wrapped(text: str, width: int = 120) -> list[str]:
    """A note cut into lines of at most ``width`` terminal columns (CJK characters take two)."""
    import re

    lines, now = [], ""
    # a wide character alone, or a word with the spaces after it: lines break between them
    for piece in re.findall(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+\s*|\s+", text):
        if now.strip() and _width(now + piece.rstrip()) > width:
            lines.append(now.rstrip())
            now = "  "
        now += piece
    return lines + [now.rstrip()]
