"""``landplan progress``: the progress ledger (进度台账) in the plan store.

``set`` enters a figure, ``list`` shows the latest per target, ``history`` one target's entries,
``template`` writes the Excel sheet a bureau fills in and ``import`` reads it back (all rows or
none). No layer is read: the figures are the ledger's and the targets'.
"""

from __future__ import annotations

import sys
from pathlib import Path

from geo.errors import LandplanError

from .. import output

_STORE_HELP = (
    "GeoPackage path or postgresql://user@host:port/db "
    "(default: $LANDPLAN_STORE or ~/.landplan/plans.gpkg)"
)


def register(subparsers) -> None:
    """Add ``landplan progress set|list|history|template|import`` to the command's subparsers."""
    sp = subparsers.add_parser(
        "progress",
        help="the progress ledger (进度台账): figures reported per target, with date and source",
        description="The progress ledger (进度台账): for each target, the figure reported as of a "
        "date, its source and who entered it, kept in the plan store (a GeoPackage, "
        "~/.landplan/plans.gpkg or $LANDPLAN_STORE, or a PostGIS database with --store). "
        "Entries are never changed: a correction is a new entry (--corrects).",
    )
    sp.set_defaults(run=run)
    sub = sp.add_subparsers(dest="progress_command", required=True, metavar="PROGRESS_COMMAND")

    def add(name, help_, formats=True):
        p = sub.add_parser(name, help=help_, description=help_)
        p.add_argument("--store", metavar="URL", help=_STORE_HELP)
        if formats:
            p.add_argument(
                "--format",
                choices=output.FORMATS,
                default="table",
                help="output format (table, csv, or json: an array of row objects)",
            )
        p.add_argument("-q", "--quiet", action="store_true", help="nothing but the answer")
        return p

    p = add("set", "enter a target's figure as of a date, with its source")
    p.add_argument("target_id", metavar="TARGET_ID")
    p.add_argument("value", metavar="VALUE", help="in the target's unit (or --unit); a count")
    p.add_argument("--as-of", required=True, metavar="YYYY-MM-DD", help="the date it is true as of")
    p.add_argument(
        "--source",
        required=True,
        metavar="TEXT",
        help="where it comes from: a notice, minutes, a statistics release (a file or link)",
    )
    p.add_argument(
        "--unit", metavar="UNIT", help="an area unit of the value: km2, ha, mu, m2, 万m2"
    )
    p.add_argument("--by", metavar="WHO", help="who enters it (default: the login name)")
    p.add_argument("--note", metavar="TEXT", default="")
    p.add_argument("--corrects", metavar="ENTRY", help="the number of the entry this corrects")
    p = add("list", "the latest entry of each target (as of a date)")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="the ledger as of this date")
    p.add_argument(
        "--district", metavar="DISTRICT", help="only one district's targets (id, 龙岗区, Longgang)"
    )
    p = add("history", "every entry of one target, corrected ones too")
    p.add_argument("target_id", metavar="TARGET_ID")
    p = add("template", "the Excel sheet to fill in: every target, columns to fill", False)
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.add_argument(
        "--district", metavar="DISTRICT", help="only one district's targets (id, 龙岗区, Longgang)"
    )
    p = add("import", "enter the rows of a filled template: all of them, or none if one is wrong")
    p.add_argument("path", metavar="FILE.xlsx")
    p.add_argument("--by", metavar="WHO", help="who enters rows without a name (default: login)")


def run(args) -> None:
    """Run ``landplan progress …``."""
    {
        "set": _set,
        "list": _list,
        "history": _history,
        "template": _template,
        "import": _import,
    }[args.progress_command](args)


def _store(args):
    from layers.store import open_store

    return open_store(args.store)


def _say(line: str, args) -> None:
    if not args.quiet:
        print(line, file=sys.stderr)


def _ids_text(ids) -> str:
    """'5', '5–9', '5–7, 9': entry numbers in runs."""
    ids, runs = sorted(int(i) for i in ids), []
    for i in ids:
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in runs)


def _saved(store, saved, args) -> None:
    from ...present.text import text

    ids = _ids_text(saved["id"])
    _say(
        "\n".join(
            text(lang)["ledger"]["saved"].format(where=store.where, ids=ids)
            for lang in ("zh", "en")
        ),
        args,
    )
    if args.format == "table":
        _write_entries(saved.assign(in_force=True, corrected_by=None), "table")
    else:
        output.write(saved, args.format)


def _write_entries(entries, fmt: str) -> None:
    """Entries in words for the table format; every field, ids and full precision, for CSV/JSON."""
    from ...ledger import history_table

    if fmt == "table":
        output.write(history_table(entries, "zh", headers="both"), fmt)
    else:
        output.write(entries, fmt)


def _set(args) -> None:
    from layers.ledger import add_entry

    store = _store(args)
    e = add_entry(
        store,
        args.target_id,
        args.value,
        args.as_of,
        args.source,
        by=args.by,
        note=args.note,
        corrects=args.corrects,
        unit=args.unit,
    )
    _saved(store, e.to_frame().T.reset_index(drop=True), args)


def _import(args) -> None:
    from ...ledger import filled_rows, import_rows

    rows = filled_rows(args.path)  # a file that is not a template: said before the store opens
    store = _store(args)
    _saved(store, import_rows(store, rows, by=args.by), args)


def _list(args) -> None:
    import layers
    from layers.ledger import latest_entries, parse_date

    from ...ledger import ledger_table, place
    from ...present.text import text

    store = _store(args)
    as_of = parse_date(args.as_of) if args.as_of else None
    latest = latest_entries(store, as_of=as_of, district=args.district)
    targets = layers.targets()
    if latest.empty and args.format == "table":
        key = "empty_as_of" if as_of else "empty"
        _say(
            "\n".join(
                text(lang)["ledger"][key].format(where=store.where, date=as_of)
                for lang in ("zh", "en")
            ),
            args,
        )
        return
    if args.format == "table":
        output.write(ledger_table(latest, targets, "zh", headers="both"), "table")
        return
    t = targets.set_index("target_id")
    known = latest["target_id"].isin(t.index).to_numpy()

    def col(name, f=lambda v: v):
        return [f(t.loc[i, name]) if k else None for i, k in zip(latest["target_id"], known)]

    latest = latest.assign(
        target_name_zh=col("name_zh"),
        target_name_en=col("name_en"),
        place_zh=[place(t.loc[i], "zh") if k else None for i, k in zip(latest["target_id"], known)],
        place_en=[place(t.loc[i], "en") if k else None for i, k in zip(latest["target_id"], known)],
        target_comparator=col("comparator"),
        target_value=col("value", float),
        target_value_max=col("value_max", float),
        target_unit=col("unit"),
    )
    output.write(latest, args.format)


def _history(args) -> None:
    from layers.ledger import history

    _write_entries(history(_store(args), args.target_id), args.format)


def _template(args) -> None:
    import layers
    from layers.ledger import latest_entries, target_districts
    from layers.names import district_id

    from ...ledger import template_rows, template_xlsx

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise LandplanError(
            f"模板写为 Excel 工作簿，文件须以 .xlsx 结尾：{out.name!r}。",
            f"The template is an Excel workbook: the file must end in .xlsx, not {out.name!r}.",
        )
    if not out.parent.exists():
        raise LandplanError(
            f"文件夹 {str(out.parent)!r} 不存在。",
            f"The folder {str(out.parent)!r} does not exist.",
        )
    targets = layers.targets()
    if args.district:
        did = district_id(args.district)
        places = target_districts(targets)
        targets = targets[[did in places[t] for t in targets["target_id"]]]
    rows = template_rows(targets, latest_entries(_store(args)))
    out.write_bytes(template_xlsx(rows))
    _say(f"已写出 {out}（{len(rows)} 个目标）\nwrote {out} ({len(rows)} targets)", args)
