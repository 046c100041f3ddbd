"""landplan's settings from the environment, read in this one place (and without pandas: the
command line's kept answers ask them).

- ``LANDPLAN_STORE``: the plan store, a GeoPackage path or ``postgresql://`` URL
  (:func:`default_store`; default ``~/.landplan/plans.gpkg``)
- ``LANDPLAN_CACHE``: the cache folder, or ``off`` (:func:`cache_dir`; default
  ``$XDG_CACHE_HOME/landplan`` or ``~/.cache/landplan``)
- ``TIANDITU_KEY``: the 天地图 basemap's key (:func:`tianditu_key`; the page also reads it from its
  Streamlit secrets)
"""

from __future__ import annotations

import os
from pathlib import Path

from geo.urls import is_db_url

#: environment variable naming the store (a GeoPackage path or a postgresql:// URL)
STORE_ENV = "LANDPLAN_STORE"
#: environment variable naming the cache folder ('off' keeps nothing)
CACHE_ENV = "LANDPLAN_CACHE"
#: environment variable holding the 天地图 (Tianditu) basemap key
TIANDITU_ENV = "TIANDITU_KEY"


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


def cache_dir() -> Path | None:
    """landplan's cache folder: $LANDPLAN_CACHE, else $XDG_CACHE_HOME/landplan or ~/.cache/landplan.

    None when LANDPLAN_CACHE is 'off'. What is kept there is derived from the shipped files and
    keyed on them: deleting it only costs time.

    Returns
    -------
    pathlib.Path or None
    """
    env = os.environ.get(CACHE_ENV)
    if env and env.lower() in ("0", "off", "no", "false"):
        return None
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "landplan"


def tianditu_key() -> str | None:
    """The 天地图 basemap key from the environment (None when it is not set)."""
    return os.environ.get(TIANDITU_ENV) or None
