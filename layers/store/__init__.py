"""The plan store: named, versioned scenarios with their layers, in a GeoPackage or PostGIS.

A scenario is what counts in a what-if: the uploaded park layer and its role (beside / instead of
the 20 parks, official outlines or not), proposed parks, optionally a parcel layer, plus who saved
it, when, and a note. Saving under a name that exists adds a version; earlier versions stay.

Two tables, the same in both stores (user-given names are values in them, never SQL identifiers):

- ``landplan_scenarios``: one row per saved version (id, name, version, saved_at, saved_by, note,
  upload_role, official, parts: feature count per part);
- ``landplan_scenario_features``: the features (scenario_id, part
  ``upload``/``proposed``/``parcels``,
  attrs: the feature's attributes as a JSON object, geom in EPSG:4326).

A save writes the version row and all its features in one transaction: a save that fails leaves
nothing, and two saves at once both land (with versions n and n+1).

A third table, ``landplan_progress``, is the progress ledger (进度台账, :mod:`layers.ledger`): one
row per entry, appended in one transaction per save, never updated or deleted
(:mod:`layers.store.entries`).
"""

from __future__ import annotations

import os
from pathlib import Path

from geo.urls import is_db_url

from ..settings import STORE_ENV, default_store
from .base import FEATURES, PARTS, SCENARIOS, Scenario, Store, os_user
from .entries import PROGRESS, PROGRESS_COLUMNS

__all__ = [
    "FEATURES",
    "PARTS",
    "PROGRESS",
    "PROGRESS_COLUMNS",
    "SCENARIOS",
    "STORE_ENV",
    "Scenario",
    "Store",
    "default_store",
    "open_store",
    "os_user",
]


def open_store(spec: str | os.PathLike | None = None) -> Store:
    """The store at ``spec``: a postgresql:// URL or a GeoPackage path.

    Default: :func:`default_store`.

    Parameters
    ----------
    spec : str or os.PathLike, optional
        A ``postgresql://`` URL or a GeoPackage path.

    Returns
    -------
    Store
        :class:`~layers.store.postgis.PostgisStore` or :class:`~layers.store.gpkg.GeoPackageStore`
        (nothing is opened until used).
    """
    spec = str(spec) if spec else default_store()
    if is_db_url(spec):
        from .postgis import PostgisStore

        return PostgisStore(spec)
    from .gpkg import GeoPackageStore

    return GeoPackageStore(Path(spec).expanduser())
