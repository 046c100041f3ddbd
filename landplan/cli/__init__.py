"""The ``landplan`` command.

- ``main``: the list of commands (``COMMANDS``), parsing, dispatch and errors
- ``commands``: one module per command, each with ``register(subparsers)`` and ``run(args)``
  (area, coverage, overlaps, convert, layers, clusters, targets, gaps, report, parcels, raster,
  scenario); a new command is a module there and one line in ``main.COMMANDS``
- ``common``: what the commands share (argument groups, reading a layer argument, district names,
  the supply layers in effect, keeping a big read until exit)
- ``papers``: the meeting papers' arguments and writing (``report``, ``scenario report``)
- ``output``: tables written as text, CSV or JSON; ``messages``: what is said on stderr;
  ``cache``: answers kept between runs
"""

from .main import main

__all__ = ["main"]
