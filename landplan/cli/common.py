"""What the commands share: their argument groups, reading a layer argument, district names, the
supply layers in effect, keeping a big read until the process ends, and the note under a table of
district outlines (their area is not the published land area).

Geometry libraries are imported where they are used: ``landplan --help``, ``layers`` and
``clusters`` load neither pandas nor geopandas.
"""

from __future__ import annotations

from geo.units import AREA_UNITS, unit_help

from . import output
from .messages import report_lines, say


def add_command(subparsers, name: str, help_: str, run):
    """A command (or a subcommand, under a command's ``subparsers``) with --format and --quiet,
    run by ``run(args)``."""
    sp = subparsers.add_parser(name, help=help_, description=help_)
    sp.add_argument(
        "--format",
        choices=output.FORMATS,
        default="table",
        help="output format (table, csv, or json: an array of row objects)",
    )
    add_quiet(sp)
    sp.set_defaults(run=run)
    return sp


def add_quiet(sp) -> None:
    """-q/--quiet: no progress bar."""
    sp.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress bar (none is shown anyway when stderr is not a terminal)",
    )


def add_input(sp) -> None:
    """--crs, --encoding and --layer: how to read a user's layer."""
    sp.add_argument(
        "--crs",
        help="coordinate system of the input when the file does not say "
        "(EPSG code, WKT, .prj, CGCS2000, gcj02, bd09)",
    )
    sp.add_argument("--encoding", help="attribute text encoding (e.g. gbk, gb18030, utf-8)")
    sp.add_argument(
        "--layer",
        help="the layer to read of a file of several (GeoPackage, File Geodatabase, "
        "SpatiaLite, TopoJSON, a zip of several Shapefiles), one KML folder or GPX layer, "
        "or the table of a postgresql:// database",
    )


def add_unit(sp) -> None:
    """--unit: the area unit (every unit landplan knows)."""
    sp.add_argument("--unit", default="km2", choices=AREA_UNITS, help="area unit: " + unit_help())


def add_supply(sp, reading: bool = True) -> None:
    """--parks, --official, --proposed, --phase-col (and, with ``reading``, how to read them):
    the layers in effect."""
    sp.add_argument(
        "--parks",
        metavar="LAYER",
        help="a park layer (file or catalog id) counted instead of the "
        "20 parks: a proposal unless --official",
    )
    sp.add_argument(
        "--official",
        action="store_true",
        help="--parks holds official or surveyed outlines: their area is measured supply",
    )
    sp.add_argument(
        "--proposed", metavar="LAYER", help="proposed parks (what-if) added to the parks"
    )
    sp.add_argument(
        "--phase-col",
        metavar="COLUMN",
        help="the column of --parks that holds each park's phase (启动区/拓展区/储备区, "
        "start/expansion/reserve); found by its usual names (phase, tier, 阶段 …) when not given",
    )
    if reading:
        add_input(sp)


def add_ledger(sp) -> None:
    """--store, --as-of: the progress ledger (进度台账) whose latest entries stand beside the
    targets."""
    sp.add_argument(
        "--store",
        metavar="URL",
        help="the plan store whose progress ledger is shown: a GeoPackage path or postgresql:// "
        "URL (default: $LANDPLAN_STORE or ~/.landplan/plans.gpkg, when it exists)",
    )
    sp.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="the ledger as of this date (default: today)"
    )


def progress_arg(args):
    """The ledger's entries in force as of ``--as-of`` in ``--store`` or the default store, as
    :func:`layers.plan.compute_plan` takes them (the latest per target beside the targets, all of
    them over time in the atlas's charts); None when there is no store or nothing was entered
    (the default store is never created)."""
    if not hasattr(args, "store"):
        return None
    from layers.settings import store_to_read

    where = store_to_read(args.store)
    if where is None:
        return None
    from layers.ledger import in_force, parse_date
    from layers.store import open_store

    as_of = parse_date(args.as_of) if getattr(args, "as_of", None) else None
    entries = in_force(open_store(where).entries(), as_of=as_of)
    return entries if len(entries) else None


def plan_arg(args, focus: str | None = None):
    """The plan the options give (:func:`layers.plan.compute_plan`): the what-if of
    :func:`scenario_arg`, focused on ``focus``, with ``--phase-col`` and the ledger of
    :func:`progress_arg`."""
    from layers.plan import compute_plan

    return compute_plan(
        scenario_arg(args),
        focus,
        phase_col=getattr(args, "phase_col", None),
        progress=progress_arg(args),
    )


def read_layer_arg(args, spec, mask=None, columns=None):
    """A layer argument (catalog id, file or ``postgresql://`` table) read with the command's
    --layer, --encoding and --crs (:func:`layers.loading.resolve_layer`)."""
    import layers

    return layers.resolve_layer(
        spec,
        layer=getattr(args, "layer", None),
        encoding=getattr(args, "encoding", None),
        crs=getattr(args, "crs", None),
        mask=mask,
        columns=columns,
    )


def read_parcels_arg(args, mask=None, layer: str | None = "args"):
    """The command's parcel file (``args.parcels``) read with its --landuse-col, --status-col,
    --layer, --encoding and --crs (:func:`layers.parcels.read_parcels`); ``layer`` overrides
    --layer (None: the file's only layer)."""
    from layers.parcels import read_parcels

    return read_parcels(
        args.parcels,
        args.landuse_col,
        args.status_col,
        layer=getattr(args, "layer", None) if layer == "args" else layer,
        encoding=getattr(args, "encoding", None),
        crs=getattr(args, "crs", None),
        mask=mask,
    )


def district_arg(name):
    """A district given by id, Chinese name (龙岗区, 龙岗) or English name (Longgang); None stays
    None."""
    from layers.names import district_id

    return district_id(name) if name else None


def scenario_arg(args):
    """The what-if the options give, as a :class:`layers.store.Scenario` (None: the catalog):
    ``--parks`` instead of the 20 parks (``--official``: measured outlines), ``--proposed``."""
    if not (getattr(args, "parks", None) or getattr(args, "proposed", None)):
        return None
    from layers.store import Scenario

    parks = proposed = None
    if args.parks:
        parks = read_layer_arg(args, args.parks)
        report_lines(parks)
    if args.proposed:
        proposed = read_layer_arg(args, args.proposed)
        report_lines(proposed)
    return Scenario(
        "", upload=parks, role="instead", official=bool(args.official), proposed=proposed
    )


def shipped_only(args) -> bool:
    """No user layer and no ledger: the answer depends only on what landplan ships (and can be
    kept, landplan.cli.cache)."""
    if getattr(args, "parks", None) or getattr(args, "proposed", None):
        return False
    if not hasattr(args, "store"):
        return True
    from layers.settings import store_to_read

    return store_to_read(args.store) is None


#: what a command keeps from being freed (:func:`keep_until_exit`)
_KEPT: list = []


def keep_until_exit(*objects) -> None:
    """Keep ``objects`` until the process ends: :func:`landplan.cli.main.console` then exits
    without freeing them.

    A command that read 100,000 parcels would otherwise spend 0.1-0.2 s, after its answer is
    written, freeing the geometries one by one.
    """
    _KEPT.extend(objects)


def release_kept() -> None:
    """Let go of what :func:`keep_until_exit` kept (a command run inside a program)."""
    _KEPT.clear()


def split_list(values) -> list[str]:
    """A repeated, comma-separated argument as a list: ['a,b', 'c'] -> ['a', 'b', 'c']."""
    out = []
    for v in values or []:
        out.extend(s.strip() for s in str(v).split(",") if s.strip())
    return out


def land_area_columns(columns: list, fmt: str) -> list:
    """The columns to write: a terminal's table leaves out the published land area's source, which
    :func:`say_land_area_note` says under it (JSON and CSV keep it, row by row)."""
    return [c for c in columns if not (fmt == "table" and c == "land_area_source")]


def say_land_area_note(ids, area_column: str, share_column: str | None = None) -> None:
    """Say, under a table of district outlines, that their area (``area_column``) takes in some
    sea and is not the published land area shown beside it, and where that comes from (in each
    language: the source, then a district's own remark).

    Parameters
    ----------
    ids : list of str
        The districts' ids, in the table's order.
    area_column : str
        The column holding the outlines' areas.
    share_column : str, optional
        A column holding shares of the outlines' areas (``covered_pct``).
    """
    from geo.errors import bilingual
    from layers.names import district_name, land_area_source

    def said(lang: str, sep: str, colon: str) -> str:
        heads, remarks = [], []
        for did in ids:
            head, rest = land_area_source(did, lang)
            if head not in heads:
                heads.append(head)
            if rest:
                remarks.append(f"{district_name(did, lang)}{colon}{rest}")
        return sep.join(heads + remarks)

    zh, en = said("zh", "；", "："), said("en", "; ", ": ")
    say(
        bilingual(
            f"{area_column} 是行政区边界的面积，边界取自网络地图（高德），含部分海域与填海，"
            f"不是公布陆地面积；公布陆地面积见 published_land_area（{zh}）"
            + (f"；{share_column} 是占边界面积的百分比。" if share_column else "。"),
            f"{area_column} is the area of the district outline, a web map's (AMap), which takes "
            f"in some sea and reclaimed land: it is not the published land area, which is "
            f"published_land_area ({en})"
            + (f"; {share_column} is a share of the outline area." if share_column else "."),
        ),
        "note",
    )
