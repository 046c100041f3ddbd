"""The ``landplan`` command: the list of commands, parsing, dispatch and errors.

Each command is a module of :mod:`landplan.cli.commands` with ``register(subparsers)`` and
``run(args)``; a new command is a module there and one line in :data:`COMMANDS`.
"""

from __future__ import annotations

import sys

from geo.errors import LandplanError

from .commands import (
    area,
    blocks,
    clusters,
    convert,
    coverage,
    gaps,
    layers,
    overlaps,
    parcels,
    progress,
    raster,
    report,
    scenario,
    targets,
)
from .common import release_kept
from .messages import BilingualParser, say

#: the commands, in the order ``landplan --help`` lists them
COMMANDS = [
    area,
    coverage,
    overlaps,
    convert,
    layers,
    clusters,
    targets,
    gaps,
    report,
    parcels,
    blocks,
    raster,
    scenario,
    progress,
]


def build_parser() -> BilingualParser:
    """The parser of every command (:data:`COMMANDS`)."""
    parser = BilingualParser(
        prog="landplan",
        description="Industrial land and parks of Shenzhen: layers, clusters, targets, areas. "
        "深圳产业用地与园区规划工具。",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv=None) -> int:
    """Parse ``argv`` (default: the command line), run the command; 2 on a LandplanError, said in
    one sentence (Chinese, then English)."""
    import gc
    import warnings

    args = build_parser().parse_args(argv)
    # library warnings (GDAL via pyogrio, shapely) are not for the user: what matters is in the
    # report lines
    warnings.simplefilter("ignore")
    if argv is None:
        # the console script: the modules loaded by now live until exit, so the collector need
        # not scan them again, above all at exit (~0.12 s less per run)
        gc.freeze()
    try:
        args.run(args)
    except LandplanError as exc:  # one sentence: Chinese line first, then English
        say(exc)
        return 2
    except BrokenPipeError:
        return 0
    finally:
        if argv is not None:  # called in a program: what a command kept is its to free
            release_kept()
    return 0


def console() -> None:
    """The ``landplan`` console script: :func:`main`, then exit without the interpreter's
    teardown.

    Everything a command writes is flushed and closed by the time it returns, and nothing runs at
    exit that the command needs (a Dask cluster it started is closed before it returns); freeing
    every object of a big read one by one at exit would only add time, so when no other thread is
    left the process ends at once, as mypy's does.
    """
    import os
    import threading

    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader (e.g. ``| head``) has gone: nothing more to say
        os._exit(code)
    if threading.active_count() == 1:
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    console()
