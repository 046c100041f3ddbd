"""``landplan layers``: the shipped layers and tables (written without pandas)."""

from __future__ import annotations

from .. import output
from ..common import add_command

HELP = "list the shipped layers and tables: id, kind, feature count, precision mix, source"


def register(subparsers) -> None:
    """Add ``landplan layers``."""
    add_command(subparsers, "layers", HELP, run)


def run(args) -> None:
    """The layers command."""
    from layers.catalog_tables import catalog_rows  # rows as dicts, written without pandas

    output.write_rows(catalog_rows(), args.format)
