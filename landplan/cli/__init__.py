"""The ``landplan`` command: ``main`` parses and dispatches; one module per group of commands.

- ``main``: the parser, the catalog commands (layers, targets, gaps, clusters, area, coverage,
  overlaps, convert, report)
- ``commands.parcels``: ``landplan parcels`` and ``landplan raster``
- ``commands.scenario``: ``landplan scenario save|list|show|diff|report``
- ``output``: tables written as text, CSV or JSON
"""

from .main import main

__all__ = ["main"]
