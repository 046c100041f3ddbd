"""The progress ledger's table in the plan store: its name, its columns, the checks of a save.

One row per entry (进度台账): target_id, value (in ``unit``), unit, as_of, source, entered_by,
entered_at (UTC), note, corrects (the id of the entry it corrects, or null), id. Entries are
never updated or deleted (both stores refuse it); a correction is a new entry naming the one it
corrects, and an entry is corrected at most once.
"""

from __future__ import annotations

import pandas as pd

from geo.errors import LandplanError

#: the progress ledger (进度台账): one row per entry, never updated or deleted
PROGRESS = "landplan_progress"
#: the ledger's columns, the same in both stores (``as_of`` a date, ``entered_at`` a UTC time,
#: both as ISO 8601 text; ``corrects`` the id of the entry an entry corrects, or null)
PROGRESS_COLUMNS = [
    "id",
    "target_id",
    "value",
    "unit",
    "as_of",
    "source",
    "entered_by",
    "entered_at",
    "note",
    "corrects",
]


def check_corrections(rows: pd.DataFrame, found: dict) -> None:
    """Refuse corrections of entries that do not exist, are of another target or were corrected.

    ``found``: entry id -> (target_id, id of the entry that corrects it or None), read in the
    saving transaction.
    """
    for target, i in zip(rows["target_id"], rows["corrects"]):
        if pd.isna(i):
            continue
        i = int(i)
        if i not in found:
            raise LandplanError(
                f"没有编号为 {i} 的台账条目可更正，未保存任何内容。",
                f"There is no ledger entry {i} to correct; nothing was saved.",
            )
        of, by = found[i]
        if of != target:
            raise LandplanError(
                f"条目 {i} 属于目标 {of}，不能用来更正目标 {target} 的数值，未保存任何内容。",
                f"Entry {i} is of target {of}, not {target}: a correction is of the same target. "
                "Nothing was saved.",
            )
        if by is not None and not pd.isna(by):
            raise LandplanError(
                f"条目 {i} 已被条目 {int(by)} 更正；如需再改，请更正条目 {int(by)}。"
                "未保存任何内容。",
                f"Entry {i} was already corrected by entry {int(by)}; to change it again, correct "
                f"entry {int(by)}. Nothing was saved.",
            )


def empty_entries() -> pd.DataFrame:
    """An empty ledger with the stores' columns and types."""
    return entries_frame([])


def entries_frame(records: list) -> pd.DataFrame:
    """Ledger rows read from a store (tuples in :data:`PROGRESS_COLUMNS` order), typed."""
    df = pd.DataFrame(records, columns=PROGRESS_COLUMNS)
    df["id"] = df["id"].astype("int64")
    df["value"] = df["value"].astype(float)
    df["corrects"] = df["corrects"].astype("Int64")
    for c in ("target_id", "unit", "as_of", "source", "entered_by", "entered_at", "note"):
        df[c] = df[c].astype(object)
    df["note"] = df["note"].fillna("")
    return df
