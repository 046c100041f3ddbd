"""``landplan overlaps [LAYER [--with LAYER2]]``: the plan's overlaps, or every pair of
overlapping features of a layer.

Without LAYER: the plan's overlaps (the catalog, or the what-if of --parks/--proposed), each
listed once with its kind (double count, nesting, same place) and the total it is counted twice
in; then the land counted twice, their union. With LAYER: every pair within it, or between it and
LAYER2.
"""

from __future__ import annotations

from .. import output
from ..common import (
    add_command,
    add_input,
    add_supply,
    add_unit,
    district_arg,
    plan_arg,
    read_layer_arg,
)
from ..messages import report_lines, say

HELP = "the plan's overlaps (double counts, nesting, same place), or every pair in a layer"

#: the columns of a layer's pairs, in order
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
#: the columns of the plan's overlaps: the pairs', their kind, how they lie, the total
PLAN_COLUMNS = ["kind", "relation", "total_id", *COLUMNS, "also"]


def register(subparsers) -> None:
    """Add ``landplan overlaps``."""
    sp = add_command(subparsers, "overlaps", HELP, run)
    sp.add_argument(
        "layer_spec",
        metavar="LAYER",
        nargs="?",
        help="a layer whose pairs are listed (without it: the plan's overlaps)",
    )
    sp.add_argument("--with", dest="with_", metavar="LAYER2")
    sp.add_argument(
        "--district",
        metavar="DISTRICT",
        help="the plan's overlaps in one district: id, Chinese or English name",
    )
    add_input(sp)
    add_unit(sp)
    add_supply(sp, reading=False)


def run(args) -> None:
    """The overlaps command."""
    if args.layer_spec is None:
        _plan_overlaps(args)
        return
    import layers
    from layers.summary import layer_overlaps
    from layers.units import in_unit

    a = read_layer_arg(args, args.layer_spec)
    report_lines(a)
    b = layers.resolve_layer(args.with_) if args.with_ else None
    # one definition with the page and the reports: the same park in two layers (same_as) is no
    # overlap
    df = in_unit(layer_overlaps(a, b), args.unit).drop(columns=["geometry", "a_id", "b_id"])
    df = df.rename(columns={"a_feature": "a_id", "b_feature": "b_id"})
    output.write(df[COLUMNS], args.format)


def _plan_overlaps(args) -> None:
    from geo.errors import bilingual
    from layers.units import in_unit

    from ...present import plan_text

    plan = plan_arg(args, district_arg(args.district))
    df = in_unit(plan.overlaps.drop(columns="geometry"), args.unit)
    df = df.drop(columns=["a_id", "b_id"]).rename(
        columns={"a_feature": "a_id", "b_feature": "b_id"}
    )
    df = df[PLAN_COLUMNS]
    if args.format == "table":  # what a planner reads: the kind and the relation in words
        df = df.assign(
            kind=[plan_text.overlap_kind(k, "zh") for k in df["kind"]],
            relation=[plan_text.overlap_relation(r, "zh") for r in df["relation"]],
            total_id=[plan_text.overlap_total(t, "zh") for t in df["total_id"]],
        ).drop(columns=["also"])
    output.write(df, args.format)
    say(
        bilingual(
            plan_text.double_line(plan, "zh", args.unit),
            plan_text.double_line(plan, "en", args.unit),
        )
    )
