"""Print DataFrames as a table, CSV or JSON (an array of row objects)."""
from __future__ import annotations

import json
import math
import sys

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


def write(df: pd.DataFrame, fmt: str = "table", out=None) -> None:
    """Write ``df`` to ``out`` (stdout) as 'table', 'csv' or 'json'."""
    out = out or sys.stdout
    if fmt == "json":
        json.dump(records(df), out, ensure_ascii=False, indent=1)
        out.write("\n")
        return
    import pandas as pd  # here, not at import: `landplan --help` and argument errors need no pandas
    flat = df.map(_cell) if len(df) else df
    if fmt == "csv":
        flat.to_csv(out, index=False)
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.width", 200, "display.max_colwidth", 60):
            out.write(flat.to_string(index=False) + "\n")
