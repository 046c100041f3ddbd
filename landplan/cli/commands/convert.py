"""``landplan convert IN OUT``: a layer in another format or coordinate system."""

from __future__ import annotations

import sys

from ..common import add_command
from ..messages import report_lines, say

HELP = "convert a layer between formats and coordinate systems (gcj02/bd09 included)"


def register(subparsers) -> None:
    """Add ``landplan convert``."""
    sp = add_command(subparsers, "convert", HELP, run)
    sp.add_argument("input", metavar="IN")
    sp.add_argument("output", metavar="OUT")
    sp.add_argument(
        "--from", dest="from_", metavar="CRS", help="the input's CRS when the file does not say"
    )
    sp.add_argument("--to", metavar="CRS", help="target CRS (default: WGS84)")
    sp.add_argument("--encoding")
    sp.add_argument("--layer")


def run(args) -> None:
    """The convert command."""
    import layers
    from geo.crs import reproject
    from geo.io import write_layer
    from geo.io.sql import is_db_url

    # --layer names the table written to a database (the input is then a catalog id or a file)
    to_db = is_db_url(args.output)
    gdf = layers.resolve_layer(
        args.input,
        layer=None if to_db else args.layer,
        encoding=args.encoding,
        crs=args.from_,
        for_area=False,
    )
    report_lines(gdf)
    out = reproject(gdf, args.to or "EPSG:4326")
    for note in write_layer(out, args.output, layer=args.layer if to_db else None):
        say(note, "note")
    print(
        f"已写出 {args.output}：{len(out)} 个要素\nwrote {args.output}: {len(out)} "
        f"feature{'' if len(out) == 1 else 's'}",
        file=sys.stderr,
    )
