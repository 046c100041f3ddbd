"""Ledger entries in: each row checked against its target, all rows saved or none.

An entry's value is in its target's unit or another of the same kind (km², 公顷, 亩, 万m², m² for
an area; a whole number for a count); its as-of date is not after today; it names its source.
"""

from __future__ import annotations

import difflib
import math
import re
from datetime import date, datetime

import numpy as np
import pandas as pd

from geo.errors import LandplanError
from geo.units import is_area_unit, normalize_unit, unit_label

#: what a ledger entry is given (``unit`` defaults to the target's, ``entered_by`` to the user)
ENTRY_FIELDS = ("target_id", "value", "unit", "as_of", "source", "entered_by", "note", "corrects")
_COUNT_WORDS = ("count", "个", "项", "处", "家")
_AREA_UNITS = (
    "面积单位（平方公里、公顷、亩、万平方米、平方米）",
    "an area unit (km², ha, mu, 万m², m²)",
)


def entry_unit(unit) -> str | None:
    """A unit as the ledger keeps it: an area unit's id (km2, ha, mu, m2, wan_m2) or 'count'.

    None for a word that is neither.

    Parameters
    ----------
    unit : str

    Returns
    -------
    str or None
    """
    if is_area_unit(unit):
        return normalize_unit(unit)
    if isinstance(unit, str) and unit.strip().lower() in _COUNT_WORDS:
        return "count"
    return None


def unit_family(unit) -> str:
    """'area' for any area unit (km², 公顷, 亩, 万m², m²), 'count' for a count, else the unit.

    An entry's unit must be of its target's family; areas are converted between units.

    Parameters
    ----------
    unit : str

    Returns
    -------
    str
    """
    u = entry_unit(unit)
    return "area" if u and u != "count" else (u or str(unit))


def parse_date(value) -> date:
    """A date from a cell or an argument: a date, 2025-06-30, 2025/6/30, 2025.6.30, 2025年6月30日.

    Parameters
    ----------
    value : datetime.date, datetime.datetime or str

    Returns
    -------
    datetime.date

    Raises
    ------
    LandplanError
        Not a date.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = re.fullmatch(
        r"\s*(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?"
        r"(?:[ T]00:00(?::00)?)?\s*",
        str(value),
    )
    try:
        return date(*map(int, m.groups()))
    except (AttributeError, ValueError):
        raise LandplanError(
            f"截至日期 {str(value)!r} 无法识别，请写成 2025-06-30。",
            f"The as-of date {str(value)!r} is not a date; write it as 2025-06-30.",
        ) from None


def parse_value(value) -> float:
    """A figure from a cell or an argument: a number, or text such as '1,200' or ' 3.5 '.

    Parameters
    ----------
    value : float, int or str

    Returns
    -------
    float

    Raises
    ------
    LandplanError
        Not a finite number.
    """
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        v = float(value)
    else:
        try:
            v = float(str(value).strip().replace(",", "").replace("，", ""))
        except ValueError:
            v = math.nan
    if not math.isfinite(v):
        raise LandplanError(
            f"数值 {str(value)!r} 不是数字。", f"The value {str(value)!r} is not a number."
        )
    return v


def blank(v) -> bool:
    """True for an empty cell or argument: None, NaN, NA or only spaces."""
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or not str(v).strip()


def unknown_target(tid: str, known) -> tuple[str, str]:
    """'unknown target' as a clause in Chinese and English, with the closest id as a hint."""
    close = difflib.get_close_matches(tid, list(known), n=1)
    hint = (f"（是否为 {close[0]}？）", f" (did you mean {close[0]}?)") if close else ("", "")
    return f"未知目标 {tid!r}{hint[0]}", f"unknown target {tid!r}{hint[1]}"


def _value(v):
    if blank(v):
        return None, ("未填数值", "no value")
    try:
        value = parse_value(v)
    except LandplanError:
        return None, (f"数值 {str(v)!r} 不是数字", f"the value {str(v)!r} is not a number")
    if value < 0:
        return None, (f"数值 {value:g} 为负", f"the value {value:g} is negative")
    return value, None


def _unit(given, target_unit, value):
    unit = entry_unit(target_unit) if blank(given) else entry_unit(str(given).strip())
    want = entry_unit(target_unit) or str(target_unit)
    if unit is None:
        return None, (f"单位 {str(given)!r} 无法识别", f"the unit {str(given)!r} is not known")
    if unit_family(unit) != unit_family(want):
        need = _AREA_UNITS if unit_family(want) == "area" else ("个数", "a count")
        return None, (
            f"单位 {unit_label(unit, 'zh')} 与目标不符，应为{need[0]}",
            f"the unit {unit_label(unit, 'en')} does not fit the target: use {need[1]}",
        )
    if unit == "count" and value is not None and not float(value).is_integer():
        return None, (f"个数 {value:g} 不是整数", f"the count {value:g} is not a whole number")
    return unit, None


def _as_of(v, today: date):
    if blank(v):
        return None, ("未填截至日期", "no as-of date")
    try:
        as_of = parse_date(v)
    except LandplanError:
        return None, (
            f"截至日期 {str(v)!r} 无法识别（请写成 2025-06-30）",
            f"the as-of date {str(v)!r} is not a date (write 2025-06-30)",
        )
    if as_of > today:
        return None, (
            f"截至日期 {as_of} 晚于今天（{today}）",
            f"the as-of date {as_of} is after today ({today})",
        )
    return as_of.isoformat(), None


def _corrects(v):
    if blank(v):
        return None, None
    try:
        n = parse_value(v)
    except LandplanError:
        n = math.nan
    if not (n.is_integer() and n > 0):
        return None, (
            f"更正条目 {str(v)!r} 不是条目编号",
            f"corrects {str(v)!r} is not an entry number",
        )
    return int(n), None


def _row(r: dict, known: pd.DataFrame, today: date) -> tuple[dict, list]:
    """One row checked: the entry as kept, and what is wrong with it as (zh, en) clauses."""
    tid = "" if blank(r.get("target_id")) else str(r["target_id"]).strip()
    bad = [("未填目标编号", "no target id")] if not tid else []
    if tid and tid not in known.index:
        bad.append(unknown_target(tid, known.index))
    value, why_value = _value(r.get("value"))
    unit, why_unit = (
        _unit(r.get("unit"), known.loc[tid, "unit"], value) if tid in known.index else (None, None)
    )
    as_of, why_date = _as_of(r.get("as_of"), today)
    corrects, why_corrects = _corrects(r.get("corrects"))
    bad += [w for w in (why_value, why_unit, why_date) if w]
    if blank(r.get("source")):
        bad.append(
            ("未填依据（通知、会议纪要或统计公报）", "no source (a notice, minutes or a release)")
        )
    bad += [why_corrects] if why_corrects else []
    text = {
        k: "" if blank(r.get(k)) else str(r[k]).strip() for k in ("source", "entered_by", "note")
    }
    return dict(target_id=tid, value=value, unit=unit, as_of=as_of, corrects=corrects, **text), bad


def corrections(entries: pd.DataFrame) -> dict[int, int]:
    """Entry id -> the id of the entry that corrects it, for the corrected entries."""
    fixed = entries[entries["corrects"].notna()]
    return dict(zip(fixed["corrects"].astype(int), fixed["id"].astype(int)))


def _correction_problems(rows: pd.DataFrame, entries: pd.DataFrame) -> dict[int, list]:
    """Corrections that cannot be: of no entry, of another target's, of a corrected one, twice."""
    of = dict(zip(entries["id"].astype(int), entries["target_id"]))
    corrected_by = corrections(entries)
    problems: dict[int, list] = {}
    seen: set[int] = set()
    for i, (tid, c) in enumerate(zip(rows["target_id"], rows["corrects"])):
        if c is None or pd.isna(c):
            continue
        c = int(c)
        if c not in of:
            clause = (f"没有可更正的条目 {c}", f"there is no entry {c} to correct")
        elif of[c] != tid:
            clause = (f"条目 {c} 属于目标 {of[c]}", f"entry {c} is of target {of[c]}")
        elif c in corrected_by:
            j = int(corrected_by[c])
            clause = (
                f"条目 {c} 已被条目 {j} 更正",
                f"entry {c} was already corrected by entry {j}",
            )
        elif c in seen:
            clause = (f"条目 {c} 被更正两次", f"entry {c} is corrected twice")
        else:
            seen.add(c)
            continue
        problems.setdefault(i, []).append(clause)
    return problems


def check_entries(
    table: pd.DataFrame,
    entries: pd.DataFrame | None = None,
    today: date | None = None,
    targets: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Ledger rows checked against the targets, and kept as the store keeps them.

    Every bad row (unknown target, value missing, not a number or negative, a count not whole,
    a unit not of the target's kind, as-of date missing, malformed or after ``today``, source
    missing, a correction of no entry, of another target's or of one already corrected) is named
    in one sentence; nothing is returned unless every row is good.

    Parameters
    ----------
    table : pandas.DataFrame
        target_id, value, as_of, source; optionally unit (default: the target's), entered_by,
        note, corrects, and ``row``: the row number a message names (a template's row).
    entries : pandas.DataFrame, optional
        The ledger so far (:meth:`layers.store.Store.entries`), to check corrections against.
    today : datetime.date, optional
        The last as-of date allowed (default: today).
    targets : pandas.DataFrame, optional
        The targets (default :func:`layers.targets`).

    Returns
    -------
    pandas.DataFrame
        target_id, value (float), unit (km2, ha, mu, m2, wan_m2 or count), as_of (YYYY-MM-DD),
        source, entered_by, note, corrects (Int64).

    Raises
    ------
    LandplanError
        The bad rows, each by its number (or the one entry's problem), in Chinese and English.
    """
    import layers

    known = (targets if targets is not None else layers.targets()).set_index("target_id")
    records = table.to_dict(orient="records")
    checked = [_row(r, known, today or date.today()) for r in records]
    rows = pd.DataFrame([c[0] for c in checked], columns=list(ENTRY_FIELDS))
    rows["corrects"] = rows["corrects"].astype("Int64")
    rows["value"] = rows["value"].astype(float)
    problems = {i: c[1] for i, c in enumerate(checked) if c[1]}
    if entries is not None:
        for i, clauses in _correction_problems(rows, entries).items():
            problems.setdefault(i, []).extend(clauses)
    if problems:
        raise _rows_error(problems, [r.get("row") for r in records])
    return rows


def _rows_error(problems: dict[int, list], labels: list) -> LandplanError:
    """One sentence naming every bad row (by its ``row`` label) and what is wrong with it."""
    if len(labels) == 1 and blank(labels[0]):  # one entry, not a table: no row number
        zh = "，".join(c[0] for c in problems[0])
        en = ", ".join(c[1] for c in problems[0])
        return LandplanError(
            f"台账条目有误：{zh}；未保存任何内容。", f"{en[:1].upper()}{en[1:]}; nothing was saved."
        )
    zh_rows, en_rows = [], []
    for i in sorted(problems):
        n = i + 1 if blank(labels[i]) else labels[i]
        zh_rows.append(f"第 {n} 行：" + "，".join(c[0] for c in problems[i]))
        en_rows.append(f"row {n}: " + ", ".join(c[1] for c in problems[i]))
    k = len(problems)
    return LandplanError(
        f"台账中有 {k} 行有误，未导入任何内容：" + "；".join(zh_rows) + "。",
        f"{k} row{'s' if k != 1 else ''} of the ledger {'are' if k != 1 else 'is'} wrong, "
        "nothing was imported: " + "; ".join(en_rows) + ".",
    )


def add_entries(store, table: pd.DataFrame, by: str | None = None, today=None) -> pd.DataFrame:
    """Check ledger rows and append them to ``store`` in one transaction: all or none.

    Parameters
    ----------
    store : layers.store.Store
    table : pandas.DataFrame
        As :func:`check_entries` takes it; rows without ``entered_by`` are entered by ``by``.
    by : str, optional
        Who enters (default: the operating-system user).
    today : datetime.date, optional
        The last as-of date allowed (default: today).

    Returns
    -------
    pandas.DataFrame
        The entries as stored, with their ids.

    Raises
    ------
    LandplanError
        A bad row (nothing is saved), or a store that cannot be written.
    """
    from ..store import os_user

    rows = check_entries(table, entries=store.entries(), today=today)
    rows["entered_by"] = rows["entered_by"].where(rows["entered_by"] != "", by or os_user())
    return store.append_entries(rows)


def add_entry(
    store,
    target_id: str,
    value,
    as_of,
    source: str,
    by: str | None = None,
    note: str = "",
    corrects: int | None = None,
    unit: str | None = None,
) -> pd.Series:
    """Enter one figure for a target (see :func:`add_entries`); returns the entry as stored.

    Parameters
    ----------
    store : layers.store.Store
    target_id : str
    value : float or str
        In ``unit`` (default: the target's unit; a count for a count).
    as_of : datetime.date or str
        The date the figure is true as of (not after today).
    source : str
        The notice, minutes or statistics release it comes from (a file name or link may follow).
    by, note : str, optional
        Who enters it (default: the operating-system user); a note.
    corrects : int, optional
        The id of the entry this one corrects (of the same target).
    unit : str, optional

    Returns
    -------
    pandas.Series
    """
    row = dict(target_id=target_id, value=value, unit=unit, as_of=as_of, source=source)
    row.update(entered_by=by, note=note, corrects=corrects)
    return add_entries(store, pd.DataFrame([row]), by=by).iloc[0]
