"""Two scenarios side by side, as a planner reads them: the change tables and the comparison
workbook.

The figures are :func:`layers.compare.compare_scenarios`'; this module only words and writes them
(the page's compare tab shows the same tables). The words are ``scenarios`` in
``landplan/present/text``.
"""

from __future__ import annotations

import io
from types import SimpleNamespace

import pandas as pd

from geo.units import unit_text

from ..present.text import text
from ..present.words import MISSING, basis_text, district_label, met_text

#: numbers in the workbook keep their precision; shown with two decimals and thousands separators
NUMBER_FORMAT = "#,##0.00"


def parts_text(sc, lang: str = "zh") -> str:
    """What a scenario holds (its uploaded layer and role, proposed parks, parcels), in words."""
    tx = text(lang)["scenarios"]
    out = []
    for part, n in (sc.parts or {}).items():
        line = tx[f"part_{part}"].format(n=n, role=tx.get(f"role_{sc.role}", sc.role))
        out.append(line + (tx["official"] if part == "upload" and sc.official else ""))
    return tx["part_sep"].join(out) or tx["catalog_only"]


def _n(v, digits):
    if v is None or pd.isna(v):
        return None
    # a change that rounds to zero from below reads 0.00, never -0.00 (in the workbook too: its
    # figures keep their precision, and B - A of one area leaves a rounding residue)
    v = float(v)
    if digits is None:
        return 0.0 if abs(v) < 1e-9 else v
    return round(v, digits) + 0.0


def change_tables(
    comp: dict[str, pd.DataFrame], lang: str = "zh", digits: int | None = 2
) -> dict[str, pd.DataFrame]:
    """The comparison in names and words: A, B and the change (B − A), the basis kept.

    Parameters
    ----------
    comp : dict of str to pandas.DataFrame
        What :func:`layers.compare.compare_scenarios` returns.
    lang : {'zh', 'en'}, default 'zh'
    digits : int or None, default 2
        Decimals the figures are rounded to (None: full precision, for a workbook).

    Returns
    -------
    dict of str to pandas.DataFrame
        'targets' and 'districts'; ``attrs['changed']`` marks the rows where A and B differ.
    """
    zh = lang == "zh"
    tx = text(lang)["scenarios"]
    c = tx["columns"]
    t = comp["targets"]

    counts = (t["unit"] == "count").to_numpy()

    def num(col, whole=None):
        # a count (``whole``) is whole: 3, never 3.00; the column keeps ints beside floats
        whole = [False] * len(col) if whole is None else whole
        values = (_n(x, digits) for x in col)
        return pd.Series(
            [None if v is None else (int(round(v)) if w else v) for v, w in zip(values, whole)],
            index=col.index,
            dtype=object,
        )

    def met(side):
        return [met_text({"met_status": s}, lang) for s in t[f"met_status_{side}"]]

    def basis(side):
        return [basis_text({"basis": b}, lang) for b in t[f"basis_{side}"]]

    targets = pd.DataFrame(
        {
            c["target"]: t["name_zh"] if zh else t["name_en"].fillna(t["name_zh"]),
            c["target_value"]: t["target_text_zh"] if zh else t["target_text_en"],
            c["unit"]: [unit_text(u, lang) for u in t["unit"]],
            c["supplied_a"]: num(t["supplied_a"], counts),
            c["supplied_b"]: num(t["supplied_b"], counts),
            c["supplied_change"]: num(t["supplied_change"], counts),
            c["basis_a"]: basis("a"),
            c["basis_b"]: basis("b"),
            c["met_a"]: met("a"),
            c["met_b"]: met("b"),
            c["extent_a"]: num(t["indicative_extent_a"], counts),
            c["extent_b"]: num(t["indicative_extent_b"], counts),
        }
    )
    if "reported_value_a" in t.columns:  # the progress ledger as each scenario was saved with
        targets[c["reported_a"]] = num(t["reported_value_a"], counts)
        targets[c["reported_b"]] = num(t["reported_value_b"], counts)
        targets[c["reported_change"]] = num(t["reported_value_change"], counts)
        for side in ("a", "b"):
            targets[c[f"reported_as_of_{side}"]] = [
                MISSING if v is None or pd.isna(v) else str(v) for v in t[f"reported_as_of_{side}"]
            ]
    d = comp["districts"]
    u = unit_text(str(d["unit"].iloc[0]), lang) if len(d) else ""
    districts = pd.DataFrame(
        {
            c["district"]: [district_label(z, lang) for z in d["zone_id"]],
            c["covered_a"].format(u=u): num(d["covered_area_a"]),
            c["covered_b"].format(u=u): num(d["covered_area_b"]),
            c["covered_change"].format(u=u): num(d["covered_area_change"]),
            c["pct_a"]: num(d["covered_pct_a"]),
            c["pct_b"]: num(d["covered_pct_b"]),
            c["pct_change"]: num(d["covered_pct_change"]),
            c["parks_a"]: [int(v) for v in d["feature_count_a"].fillna(0)],
            c["parks_b"]: [int(v) for v in d["feature_count_b"].fillna(0)],
        }
    )
    extent_change = (t["indicative_extent_b"] - t["indicative_extent_a"]).fillna(0).abs() > 1e-9
    changed_t = (
        (t["supplied_change"].fillna(0).abs() > 1e-9)
        | (t["basis_a"].fillna("") != t["basis_b"].fillna(""))
        | (t["met_status_a"] != t["met_status_b"])
        | extent_change
    )
    if "reported_value_a" in t.columns:
        a, b = t["reported_value_a"], t["reported_value_b"]
        changed_t |= (t["reported_value_change"].fillna(0).abs() > 1e-9) | (a.isna() != b.isna())
    changed_d = (d[["covered_area_change", "feature_count_change"]].fillna(0).abs() > 1e-9).any(
        axis=1
    )
    targets.attrs["changed"], districts.attrs["changed"] = (
        changed_t.to_numpy(),
        changed_d.to_numpy(),
    )
    return {"targets": targets, "districts": districts}


def scenario_row(info: dict, lang: str = "zh", headers: str | None = None) -> dict:
    """A scenario's record in words: name, version, saved at, by, note and what it holds.

    ``headers='both'`` names the columns in Chinese and English (the command's tables).
    """
    c = text(lang)["scenarios"]["info_columns"]
    if headers == "both":
        en = text("en")["scenarios"]["info_columns"]
        c = {k: f"{v} {en[k]}" for k, v in c.items()}
    holds = SimpleNamespace(
        parts=info.get("parts"), role=info.get("role"), official=info.get("official")
    )
    return {
        c["name"]: info.get("name"),
        c["version"]: info.get("version"),
        c["saved_at"]: str(info.get("saved_at") or MISSING).replace("T", " ")[:19],
        c["saved_by"]: info.get("saved_by") or MISSING,
        c["note"]: info.get("note") or "",
        c["parts"]: parts_text(holds, lang),
    }


def scenarios_listing(df: pd.DataFrame) -> pd.DataFrame:
    """A store's listing (:meth:`layers.store.Store.list` or ``versions``) as the command's table
    shows it:
    Chinese and English headers, when saved to the minute, what each version holds in words."""
    import json

    zh, en = text("zh")["scenarios"], text("en")["scenarios"]
    cz, ce = zh["info_columns"], en["info_columns"]
    out = pd.DataFrame(index=df.index)
    for col in df.columns:
        v = df[col]
        if col == "saved_at":
            v = v.astype(str).str.replace("T", " ").str[:16]
        elif col in ("saved_by", "note"):
            v = v.fillna("").replace("", MISSING if col == "saved_by" else "")
        elif col == "parts":
            roles = (
                df["upload_role"] if "upload_role" in df else pd.Series("beside", index=df.index)
            )
            official = df["official"] if "official" in df else pd.Series(False, index=df.index)
            v = [
                parts_text(
                    SimpleNamespace(
                        parts=json.loads(p) if isinstance(p, str) else (p or {}),
                        role=r,
                        official=bool(o),
                    ),
                    "zh",
                )
                for p, r, o in zip(v, roles, official)
            ]
        elif col in ("upload_role", "official"):
            continue  # said in the parts' words
        key = {"versions": "versions", "latest": "latest"}.get(col, col)
        head = f"{cz[key]} {ce[key]}" if key in cz else col
        out[head] = v
    return out


def scenarios_table(a_info: dict, b_info: dict, lang: str = "zh") -> pd.DataFrame:
    """One row per side (A, B): the scenario's record in words."""
    side = text(lang)["scenarios"]["info_columns"]["side"]
    return pd.DataFrame(
        [{side: k, **scenario_row(i, lang)} for k, i in (("A", a_info), ("B", b_info))]
    )


def comparison_xlsx(
    comparison: dict[str, pd.DataFrame], a_info: dict, b_info: dict, lang: str = "zh"
) -> bytes:
    """The comparison workbook: the two scenarios, the targets and the districts in words (A, B,
    change),
    then the same figures with their ids at full precision for scripts.

    Parameters
    ----------
    comparison : dict of str to pandas.DataFrame
        What :func:`layers.compare.compare_scenarios` returns.
    a_info, b_info : dict
        :meth:`layers.store.Scenario.info` of each side.
    lang : {'zh', 'en'}, default 'zh'
        Language of the sheets in words.

    Returns
    -------
    bytes
        The .xlsx file.
    """
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    tx = text(lang)["scenarios"]
    words = change_tables(comparison, lang, digits=None)
    sheets = {
        tx["sheets"]["scenarios"]: scenarios_table(a_info, b_info, lang),
        tx["sheets"]["targets"]: words["targets"],
        tx["sheets"]["districts"]: words["districts"],
        tx["sheets"]["target_data"]: comparison["targets"],
        tx["sheets"]["district_data"]: comparison["districts"],
    }
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, df in sheets.items():
            df.to_excel(xw, sheet_name=name, index=False)
            ws = xw.sheets[name]
            ws.freeze_panes = "B2"
            for j, col in enumerate(df.columns, start=1):
                ws.cell(1, j).font = Font(bold=True)
                ws.cell(1, j).alignment = Alignment(wrap_text=True, vertical="top")
                width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) + 2
                ws.column_dimensions[get_column_letter(j)].width = min(max(width, 8), 40)
                if (
                    pd.api.types.is_float_dtype(df[col])
                    or df[col].map(lambda v: isinstance(v, float)).any()
                ):
                    for i in range(2, len(df) + 2):
                        ws.cell(i, j).number_format = NUMBER_FORMAT
    return buf.getvalue()
