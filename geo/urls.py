"""Whether a layer or store is named by a database URL, without loading the readers."""

from __future__ import annotations

#: the URL schemes of a PostgreSQL/PostGIS database
SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def is_db_url(spec) -> bool:
    """True when ``spec`` is a PostgreSQL URL (``postgresql://...``), not a file or a layer id.

    Parameters
    ----------
    spec : object
        A path, layer id or URL.

    Returns
    -------
    bool
    """
    return isinstance(spec, str) and spec.lower().startswith(SCHEMES)
