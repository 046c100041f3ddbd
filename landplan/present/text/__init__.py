"""The page's and the tables' words, one file per language: ``zh.yaml`` (Chinese, first) and
``en.yaml``.

Both files have the same keys (tests/landplan/test_text.py checks): ``page`` (the page's controls
and
messages), ``basemaps``, ``uploader`` (Streamlit's own uploader words), ``parcels``, ``raster``,
``map`` (the map's tooltips and legend), ``sheets`` (the page's workbook), ``columns`` (table
headers, also used by the command line), ``scenarios`` and ``auth`` (sign-in and roles). To add a
text: add its key to both files and read it with
``text(lang)["page"]["key"]``.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import yaml

LANGUAGES = ("zh", "en")


@cache
def text(lang: str = "zh") -> dict:
    """The words of ``lang`` ('zh' or 'en'; anything but 'zh' reads English), as nested dicts."""
    name = "zh" if lang == "zh" else "en"
    return yaml.safe_load(files(__package__).joinpath(f"{name}.yaml").read_text(encoding="utf-8"))
