"""The ledger read: the entries in force, the latest per target as of a date, one target's history.

Functions of the entries table (:meth:`layers.store.Store.entries`); :func:`latest_entries` and
:func:`history` read a store first.
"""

from __future__ import annotations

from datetime import UTC

import numpy as np
import pandas as pd

from geo.errors import LandplanError

from .entry import corrections, parse_date, unknown_target


def _iso(d) -> str:
    return parse_date(d).isoformat()


def in_force(entries: pd.DataFrame, as_of=None, recorded_before=None) -> pd.DataFrame:
    """The entries that count: not corrected, true as of ``as_of`` or earlier.

    Parameters
    ----------
    entries : pandas.DataFrame
        Ledger entries (:meth:`layers.store.Store.entries`).
    as_of : datetime.date or str, optional
        Only entries true as of this date or earlier (default: all).
    recorded_before : datetime or str, optional
        The ledger as it stood at that moment (a scenario's save time): later entries and later
        corrections are left out.

    Returns
    -------
    pandas.DataFrame
    """
    e = entries
    if recorded_before is not None:
        cut = pd.Timestamp(recorded_before)
        cut = cut.tz_localize(UTC) if cut.tzinfo is None else cut
        e = e[pd.to_datetime(e["entered_at"], utc=True) <= cut]
    e = e[~e["id"].isin(set(e["corrects"].dropna().astype(int)))]
    if as_of is not None:
        e = e[e["as_of"].astype(str) <= _iso(as_of)]
    return e


def latest_in_force(entries: pd.DataFrame, as_of=None, recorded_before=None) -> pd.DataFrame:
    """Per target, the entry in force as of a date: the latest as-of, then the latest entered.

    Parameters
    ----------
    entries : pandas.DataFrame
        Ledger entries.
    as_of, recorded_before
        See :func:`in_force`.

    Returns
    -------
    pandas.DataFrame
        One row per target with an entry, by target id.
    """
    e = in_force(entries, as_of, recorded_before)
    e = e.sort_values(["target_id", "as_of", "entered_at", "id"], kind="stable")
    return e.groupby("target_id", sort=True).tail(1).reset_index(drop=True)


def target_districts(targets: pd.DataFrame) -> pd.Series:
    """Each target's districts (a list; empty for the city), by target id."""
    if "district_ids" in targets.columns:
        ds = targets["district_ids"]
    else:
        ds = targets["district_id"].map(lambda d: [d] if isinstance(d, str) and d else [])
    return pd.Series(
        [list(d) if isinstance(d, (list, tuple, np.ndarray)) else [] for d in ds],
        index=targets["target_id"].to_numpy(),
    )


def latest_entries(store, as_of=None, district: str | None = None, recorded_before=None):
    """The latest entry in force per target as of a date (default: every date so far).

    Parameters
    ----------
    store : layers.store.Store
    as_of : datetime.date or str, optional
    district : str, optional
        Only the targets of one district (id, Chinese or English name).
    recorded_before : datetime or str, optional
        The ledger as it stood at that moment (see :func:`in_force`).

    Returns
    -------
    pandas.DataFrame
        :data:`layers.store.PROGRESS_COLUMNS`, one row per target.
    """
    import layers
    from layers.names import district_id

    did = district_id(district) if district else None
    latest = latest_in_force(store.entries(), as_of, recorded_before)
    if did:
        places = target_districts(layers.targets())
        keep = [did in places.get(t, []) for t in latest["target_id"]]
        latest = latest[np.asarray(keep, dtype=bool)].reset_index(drop=True)
    return latest


def history(store, target_id: str) -> pd.DataFrame:
    """Every entry of one target, corrected ones too, by as-of date then time entered.

    Parameters
    ----------
    store : layers.store.Store
    target_id : str

    Returns
    -------
    pandas.DataFrame
        The ledger's columns, ``in_force`` (not corrected) and ``corrected_by`` (an entry id).

    Raises
    ------
    LandplanError
        A target that neither the catalog nor the ledger knows.
    """
    import layers

    entries = store.entries()
    known = set(layers.targets()["target_id"]) | set(entries["target_id"])
    if target_id not in known:
        zh, en = unknown_target(target_id, sorted(known))
        raise LandplanError(f"{zh}。", f"{en[:1].upper()}{en[1:]}.")
    by = corrections(entries)
    e = entries[entries["target_id"] == target_id]
    e = e.sort_values(["as_of", "entered_at", "id"], kind="stable").reset_index(drop=True)
    e["corrected_by"] = pd.array([by.get(int(i)) for i in e["id"]], dtype="Int64")
    e["in_force"] = e["corrected_by"].isna().to_numpy()
    return e
