"""The progress ledger as a planner reads and fills it: tables in words, the Excel template, and
a filled template read back.

The figures are :mod:`layers.ledger`'s; this module words them (names, places, units, dates) and
writes or reads the workbook. The words are ``ledger`` in ``landplan/present/text``.
"""

from __future__ import annotations

import io
import math
import unicodedata
from pathlib import Path

import pandas as pd

from geo.errors import LandplanError
from geo.units import convert_area, unit_decimals, unit_text
from layers.ledger import entry_unit, unit_family
from layers.units import target_text

from .present.plan_text import target_name
from .present.text import text
from .present.words import MISSING, _scope_text, source_text

#: the template's columns: key, filled in by the bureau
TEMPLATE_COLUMNS = (
    ("target_id", False),
    ("name", False),
    ("place", False),
    ("comparator", False),
    ("value", False),
    ("value_max", False),
    ("unit", False),
    ("year", False),
    ("source", False),
    ("last_value", False),
    ("last_unit", False),
    ("last_as_of", False),
    ("fill_value", True),
    ("fill_unit", True),
    ("fill_as_of", True),
    ("fill_source", True),
    ("fill_by", True),
    ("fill_note", True),
    ("fill_corrects", True),
)
#: a template column -> the entry field it fills
_FILLS = {
    "target_id": "target_id",
    "fill_value": "value",
    "fill_unit": "unit",
    "fill_as_of": "as_of",
    "fill_source": "source",
    "fill_by": "entered_by",
    "fill_note": "note",
    "fill_corrects": "corrects",
}
#: column widths of the template (characters; the rest 12)
_WIDTHS = {
    "target_id": 40,
    "name": 44,
    "place": 30,
    "comparator": 10,
    "year": 8,
    "source": 44,
    "fill_source": 30,
    "fill_note": 20,
}
_COMPARATOR_WORDS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "约 about", "=": "="}


def figure(value, unit: str, lang: str = "zh") -> str:
    """A figure with its unit in words: '4 个', '6,000 亩', '1.40 km²'; empty as —."""
    if value is None or pd.isna(value):
        return MISSING
    u = entry_unit(unit) or unit
    digits = 0 if u == "count" else unit_decimals(u)
    words = "" if u == "count" and lang != "zh" else unit_text(u, lang)
    return f"{float(value):,.{digits}f} {words}".strip()


def place(t, lang: str = "zh") -> str:
    """The place a target concerns: the catalog's ``place_zh``/``place_en``, else its scope."""
    key = "place_zh" if lang == "zh" else "place_en"
    p = t.get(key) if hasattr(t, "get") else None
    if isinstance(p, str) and p:
        return p
    if lang != "zh" and isinstance(t.get("place_zh"), str) and t.get("place_zh"):
        return t["place_zh"]  # a place without an English name keeps its Chinese one
    return _scope_text(t, lang)


def _target_words(t, lang: str) -> str:
    return target_text(t["comparator"], t["value"], str(t["unit"]), t.get("value_max"), lang)


def _reported_words(e, t, lang: str) -> str:
    """The figure as entered; in the target's unit beside it when entered in another area unit."""
    shown = figure(e["value"], e["unit"], lang)
    if t is None:
        return shown
    tu = entry_unit(t["unit"])
    if tu and tu != entry_unit(e["unit"]) and unit_family(tu) == unit_family(e["unit"]) == "area":
        inner = figure(convert_area(e["value"], e["unit"], tu), tu, lang)
        return f"{shown}（{inner}）" if lang == "zh" else f"{shown} ({inner})"
    return shown


def ledger_table(
    latest: pd.DataFrame, targets: pd.DataFrame, lang: str = "zh", headers=None, every=False
):
    """The latest entries in words: target, place, target value, reported figure, as of, source,
    who, entry number; in the targets' order (``every``: every target, — where none is entered).

    Parameters
    ----------
    latest : pandas.DataFrame
        :func:`layers.ledger.latest_entries`.
    targets : pandas.DataFrame
        :func:`layers.targets`.
    lang : {'zh', 'en'}, default 'zh'
    headers : {'both'}, optional
        'both': the headers in Chinese and English (the command's tables).
    every : bool, default False

    Returns
    -------
    pandas.DataFrame
    """
    c = _columns(lang, headers)
    by_id = targets.set_index("target_id", drop=False)
    order = {t: i for i, t in enumerate(targets["target_id"])}
    entries = sorted(latest.to_dict("records"), key=lambda e: order.get(e["target_id"], 1e9))
    if every:
        found = {e["target_id"]: e for e in entries}
        entries = [found.get(t, {"target_id": t}) for t in targets["target_id"]]
    rows = []
    for e in entries:
        t = by_id.loc[e["target_id"]] if e["target_id"] in by_id.index else None
        none = "id" not in e
        rows.append(
            {
                c["target"]: target_name(t, lang) if t is not None else e["target_id"],
                c["place"]: place(t, lang) if t is not None else MISSING,
                c["target_value"]: _target_words(t, lang) if t is not None else MISSING,
                c["reported"]: MISSING if none else _reported_words(e, t, lang),
                **{c[k]: MISSING if none else e[k] for k in ("as_of", "source", "entered_by")},
                c["entry"]: MISSING if none else str(int(e["id"])),
            }
        )
    return pd.DataFrame(rows, columns=[c[k] for k in _LIST_COLUMNS])


_LIST_COLUMNS = (
    "target",
    "place",
    "target_value",
    "reported",
    "as_of",
    "source",
    "entered_by",
    "entry",
)


def _columns(lang: str, headers=None) -> dict:
    c = text(lang)["ledger"]["columns"]
    if headers == "both":
        en = text("en")["ledger"]["columns"]
        return {k: f"{v} {en[k]}" for k, v in c.items()}
    return dict(c)


def history_table(hist: pd.DataFrame, lang: str = "zh", headers=None) -> pd.DataFrame:
    """One target's entries in words: entry, as of, figure, source, who, when, note, status.

    Parameters
    ----------
    hist : pandas.DataFrame
        :func:`layers.ledger.history`.
    lang : {'zh', 'en'}, default 'zh'
    headers : {'both'}, optional

    Returns
    -------
    pandas.DataFrame
    """
    c = _columns(lang, headers)
    tx = text(lang)["ledger"]

    def status(r):
        s = tx["in_force"] if r["in_force"] else tx["corrected_by"].format(id=r["corrected_by"])
        return s + (tx["corrects"].format(id=r["corrects"]) if pd.notna(r["corrects"]) else "")

    return pd.DataFrame(
        {
            c["entry"]: [int(i) for i in hist["id"]],
            c["as_of"]: hist["as_of"].to_numpy(),
            c["reported"]: [figure(v, u, lang) for v, u in zip(hist["value"], hist["unit"])],
            c["source"]: hist["source"].to_numpy(),
            c["entered_by"]: hist["entered_by"].to_numpy(),
            c["entered_at"]: [str(t).replace("T", " ")[:16] for t in hist["entered_at"]],
            c["note"]: hist["note"].to_numpy(),
            c["status"]: [status(r) for r in hist.to_dict("records")],
        }
    )


def _header(key: str) -> str:
    zh = text("zh")["ledger"]["template"]["columns"][key]
    en = text("en")["ledger"]["template"]["columns"][key]
    return f"{zh} {en}"


def template_rows(targets: pd.DataFrame, latest: pd.DataFrame | None = None) -> pd.DataFrame:
    """The template's rows: each target as the document states it, its last reported figure, and
    the columns to fill (the unit set to the target's).

    Parameters
    ----------
    targets : pandas.DataFrame
        :func:`layers.targets` (or some of its rows).
    latest : pandas.DataFrame, optional
        :func:`layers.ledger.latest_entries`: the last figure of each target, for reference.

    Returns
    -------
    pandas.DataFrame
        One row per target, the columns named by :data:`TEMPLATE_COLUMNS`' keys.
    """
    last = (latest if latest is not None else pd.DataFrame(columns=["target_id"])).set_index(
        "target_id"
    )
    rng = (
        text("zh")["ledger"]["template"]["range"] + " " + text("en")["ledger"]["template"]["range"]
    )
    rows = []
    for t in targets.to_dict("records"):
        u = entry_unit(t["unit"]) or str(t["unit"])
        e = last.loc[t["target_id"]] if t["target_id"] in last.index else None
        rows.append(
            {
                "target_id": t["target_id"],
                "name": t.get("name_zh"),
                "place": place(t, "zh"),
                "comparator": rng
                if t["comparator"] == "range"
                else _COMPARATOR_WORDS.get(t["comparator"], t["comparator"]),
                "value": float(t["value"]),
                "value_max": None if pd.isna(t.get("value_max")) else float(t["value_max"]),
                "unit": unit_text(u, "zh"),
                "year": None if pd.isna(t.get("year")) else int(t["year"]),
                "source": source_text(t.get("source"), "zh"),
                "last_value": None if e is None else float(e["value"]),
                "last_unit": None if e is None else unit_text(e["unit"], "zh"),
                "last_as_of": None if e is None else e["as_of"],
                "fill_unit": unit_text(u, "zh"),
            }
        )
    return pd.DataFrame(rows, columns=[k for k, _ in TEMPLATE_COLUMNS])


def template_xlsx(rows: pd.DataFrame) -> bytes:
    """The ledger template as an .xlsx: the targets with columns to fill (headers in Chinese with
    English beside, a unit list per row), and a sheet saying how to fill it.

    Parameters
    ----------
    rows : pandas.DataFrame
        :func:`template_rows`.

    Returns
    -------
    bytes
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    zh, en = text("zh")["ledger"]["template"], text("en")["ledger"]["template"]
    wb = Workbook()
    ws = wb.active
    ws.title = f"{zh['sheet']} {en['sheet']}"
    fills = {
        True: PatternFill("solid", fgColor="FFF2CC"),
        False: PatternFill("solid", fgColor="E7E6E6"),
    }
    for j, (key, filled) in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = ws.cell(row=1, column=j, value=_header(key))
        cell.font, cell.fill = Font(bold=True), fills[filled]
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(j)].width = _WIDTHS.get(key, 12)
    col = {key: j for j, (key, _) in enumerate(TEMPLATE_COLUMNS, start=1)}
    areas = DataValidation(
        type="list", formula1='"平方公里,公顷,亩,万平方米,平方米"', allow_blank=True
    )
    counts = DataValidation(type="list", formula1='"个"', allow_blank=True)
    ws.add_data_validation(areas)
    ws.add_data_validation(counts)
    for i, r in enumerate(rows.to_dict("records"), start=2):
        for key, j in col.items():
            v = r.get(key)
            ws.cell(row=i, column=j, value=None if v is None or pd.isna(v) else v)
        ws.cell(row=i, column=col["fill_as_of"]).number_format = "yyyy-mm-dd"
        unit_cell = ws.cell(row=i, column=col["fill_unit"]).coordinate
        (counts if r["fill_unit"] == unit_text("count", "zh") else areas).add(unit_cell)
    ws.freeze_panes = ws.cell(row=2, column=col["place"])
    ws.row_dimensions[1].height = 32
    ws.print_title_rows = "1:1"  # printed: the headers on every page, the width on one page
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    _help_sheet(wb.create_sheet(f"{zh['help_sheet']} {en['help_sheet']}"), zh["help"], en["help"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _help_sheet(ws, zh: dict, en: dict, width: int = 72) -> None:
    """How to fill the template: each point in Chinese, then in English, wrapped to ``width``."""
    from openpyxl.styles import Alignment

    ws.column_dimensions["A"].width = width
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # printed: the width on one page
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    row = 1
    for key in zh:
        for line in (zh[key], en[key]):
            c = ws.cell(row=row, column=1, value=line)
            c.alignment = Alignment(wrap_text=True, vertical="top")
            wide = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
            ws.row_dimensions[row].height = 15 * math.ceil(wide / (width - 4))
            row += 1
        row += 1  # a blank row between points


def _which(header) -> str | None:
    """The template column a header names (Chinese, English, or both as written)."""
    h = " ".join(str(header or "").split())
    for key, _ in TEMPLATE_COLUMNS:
        zh = text("zh")["ledger"]["template"]["columns"][key]
        en = text("en")["ledger"]["template"]["columns"][key]
        if h in (zh, en, f"{zh} {en}") or h.lower() == en.lower():
            return key
    return None


def read_template(path, name: str | None = None) -> pd.DataFrame:
    """The filled rows of a ledger template, each with its row number in the sheet.

    Rows where nothing is filled (no value, date, source, note or correction) are skipped. The
    rows are not checked here: :func:`layers.ledger.add_entries` checks them all.

    Parameters
    ----------
    path : str, pathlib.Path or file-like
        A template made by ``landplan progress template`` and filled in (or its bytes, read: an
        upload, with its file ``name``).
    name : str, optional
        The file's name, for messages (default: the path's).

    Returns
    -------
    pandas.DataFrame
        row, target_id, value, unit, as_of, source, entered_by, note, corrects.

    Raises
    ------
    LandplanError
        Not an .xlsx workbook, or without the template's columns.
    """
    from openpyxl import load_workbook

    if isinstance(path, (str, Path)):
        path = Path(path)
        name = name or path.name
        if not path.is_file():
            raise LandplanError(f"找不到文件 {str(path)!r}。", f"There is no file {str(path)!r}.")
    name = name or "?"
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any reading failure is a file that is not a workbook
        raise LandplanError(
            f"{name!r} 不是 Excel 工作簿（.xlsx），请填写 landplan progress template 生成的模板。",
            f"{name!r} is not an Excel workbook (.xlsx); fill in the template that landplan "
            "progress template makes.",
        ) from None
    ws = wb.worksheets[0]
    sheet = list(ws.iter_rows(values_only=True))
    wb.close()
    heads = [_which(h) for h in (sheet[0] if sheet else [])]
    missing = [
        k for k in ("target_id", "fill_value", "fill_as_of", "fill_source") if k not in heads
    ]
    if missing:
        names = "、".join(_header(k) for k in missing)
        raise LandplanError(
            f"{name!r} 的第一个工作表缺少台账模板的列：{names}。",
            f"The first sheet of {name!r} lacks the template's columns: "
            f"{', '.join(_header(k) for k in missing)}.",
        )
    at = {k: heads.index(k) for k in _FILLS if k in heads}
    rows = []
    for n, cells in enumerate(sheet[1:], start=2):
        r = {_FILLS[k]: (cells[j] if j < len(cells) else None) for k, j in at.items()}
        if all(_empty(r.get(f)) for f in ("value", "as_of", "source", "note", "corrects")):
            continue
        rows.append({"row": n, **r})
    return pd.DataFrame(rows, columns=["row", *_FILLS.values()])


def _empty(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def filled_rows(path, name: str | None = None) -> pd.DataFrame:
    """The filled rows of a template (:func:`read_template`); a template with none is refused.

    Raises
    ------
    LandplanError
        A file that is not a template, or nothing filled in.
    """
    rows = read_template(path, name)
    if rows.empty:
        name = name or (Path(path).name if isinstance(path, (str, Path)) else "?")
        raise LandplanError(
            f"{name!r} 中没有填写任何一行，未导入任何内容。",
            f"No row of {name!r} is filled in; nothing was imported.",
        )
    return rows


def import_rows(store, rows: pd.DataFrame, by=None, signed_by=None) -> pd.DataFrame:
    """A template's filled rows (:func:`filled_rows`) entered in ``store``: all of them in one
    transaction, or none (every bad row named by its number: :func:`layers.ledger.add_entries`).

    Rows without a name are entered by ``by`` (default: the login name); with ``signed_by`` (a
    signed-in identity) every row is entered by it, and a name written in the template goes into
    the row's note.

    Returns
    -------
    pandas.DataFrame
        The entries as stored, with their ids.

    Raises
    ------
    LandplanError
        A bad row (nothing is entered), or a store that cannot be written.
    """
    from layers.ledger import add_entries
    from layers.ledger.entry import blank

    if signed_by:
        rows = rows.copy()
        rows["note"] = [
            "；".join(
                [f"填报人 filled in by: {str(b).strip()}"] * (not blank(b))
                + [str(n).strip()] * (not blank(n))
            )
            for b, n in zip(rows["entered_by"], rows["note"])
        ]
        rows["entered_by"] = signed_by
    return add_entries(store, rows, by=signed_by or by)
