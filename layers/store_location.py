"""Where the plan store is, found without opening it (and without pandas: the command line's
kept answers ask it)."""

from __future__ import annotations

import os
from pathlib import Path

from geo.urls import is_db_url

#: environment variable naming the store (a GeoPackage path or a postgresql:// URL)
STORE_ENV = "LANDPLAN_STORE"


def default_store() -> str:
    """``$LANDPLAN_STORE``, or the embedded GeoPackage ``~/.landplan/plans.gpkg``.

    Returns
    -------
    str
    """
    return os.environ.get(STORE_ENV) or str(Path.home() / ".landplan" / "plans.gpkg")


def store_to_read(spec: str | None = None) -> str | None:
    """The store ``spec`` names, or the default store when it exists (None: there is no store to
    read, and none is created).

    Parameters
    ----------
    spec : str, optional
        A GeoPackage path or ``postgresql://`` URL given by the user.

    Returns
    -------
    str or None
    """
    if spec:
        return str(spec)
    where = default_store()
    return where if is_db_url(where) or Path(where).expanduser().exists() else None
