"""``landplan clusters``: the 20+8 clusters and the districts the Opinion names (without pandas)."""

from __future__ import annotations

from .. import output
from ..common import add_command

HELP = "list the 20+8 clusters with the districts the Opinion names for each"

#: the columns ``landplan clusters`` lists
CLUSTER_COLUMNS = [
    "cluster_id",
    "name_zh",
    "name_en",
    "kind",
    "opinion_districts",
    "opinion_verb",
    "source",
]


def register(subparsers) -> None:
    """Add ``landplan clusters``."""
    add_command(subparsers, "clusters", HELP, run)


def run(args) -> None:
    """The clusters command."""
    from layers.catalog_tables import cluster_rows

    output.write_rows(cluster_rows(), args.format, CLUSTER_COLUMNS)
