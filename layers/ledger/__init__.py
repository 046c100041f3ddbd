"""The progress ledger (进度台账): what stands for each commitment as reported, when, per what.

Commitments no outline measures (parks designated, floor space built, land banked) are tracked by
the bureaus as entries: a value in the target's unit (or a count), the date it is true as of, its
source (a notice, minutes, a statistics release; a file name or link), who entered it, a note.
Entries are kept in the plan store (:meth:`layers.store.Store.append_entries`, table
``landplan_progress``) and never changed or deleted: a correction is a new entry naming the one
it corrects, which from then on no longer counts.

- :mod:`~layers.ledger.entry`: entries in, each row checked, all saved or none
  (:func:`add_entry`, :func:`add_entries`, :func:`check_entries`);
- :mod:`~layers.ledger.latest`: the ledger read (:func:`latest_entries`, :func:`history`, and
  :func:`latest_in_force` on a table);
- :mod:`~layers.ledger.reported`: :func:`join_reported`, a
  :func:`layers.supply.target_supply` table with the reported figures and ``met`` decided.
"""

from .entry import (
    ENTRY_FIELDS,
    add_entries,
    add_entry,
    check_entries,
    corrections,
    entry_unit,
    parse_date,
    parse_value,
    unit_family,
)
from .latest import history, in_force, latest_entries, latest_in_force, target_districts
from .reported import REPORTED_COLUMNS, REPORTED_LABELS, entry_value, join_reported

__all__ = [
    "ENTRY_FIELDS",
    "REPORTED_COLUMNS",
    "REPORTED_LABELS",
    "add_entries",
    "add_entry",
    "check_entries",
    "corrections",
    "entry_unit",
    "entry_value",
    "history",
    "in_force",
    "join_reported",
    "latest_entries",
    "latest_in_force",
    "parse_date",
    "parse_value",
    "target_districts",
    "unit_family",
]
