"""``landplan overlaps LAYER [--with LAYER2]``: every pair of overlapping features."""

from __future__ import annotations

from .. import output
from ..common import add_command, add_input, add_unit, read_layer_arg
from ..messages import report_lines

HELP = "every pair of overlapping features, within a layer or between two"

#: the columns written, in order
COLUMNS = [
    "a_layer",
    "a_id",
    "a_name_zh",
    "b_layer",
    "b_id",
    "b_name_zh",
    "area",
    "unit",
    "a_name_en",
    "b_name_en",
]


def register(subparsers) -> None:
    """Add ``landplan overlaps``."""
    sp = add_command(subparsers, "overlaps", HELP, run)
    sp.add_argument("layer_spec", metavar="LAYER")
    sp.add_argument("--with", dest="with_", metavar="LAYER2")
    add_input(sp)
    add_unit(sp)


def run(args) -> None:
    """The overlaps command."""
    import layers
    from layers.summary import layer_overlaps

    a = read_layer_arg(args, args.layer_spec)
    report_lines(a)
    b = layers.resolve_layer(args.with_) if args.with_ else None
    # one definition with the page and the reports: the same park in two layers (same_as) is no
    # overlap
    df = layer_overlaps(a, b, unit=args.unit).drop(columns=["geometry", "a_id", "b_id"])
    df = df.rename(columns={"a_feature": "a_id", "b_feature": "b_id"})
    output.write(df[COLUMNS], args.format)
