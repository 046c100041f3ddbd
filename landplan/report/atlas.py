"""The printable A4 atlas (.pdf): cover, summary, charts, the city overview and one map page per
district.

The page layout is in :mod:`.layout`, the cover and summary in :mod:`.summary_pages`, the charts in
:mod:`.chart_pages`, the overview and district pages in :mod:`.map_pages`; the maps themselves in
:mod:`.maps`.
"""

from __future__ import annotations

import io
import logging

from .chart_pages import _chart_pages
from .data import report_data
from .fonts import cjk_font
from .layout import _Atlas
from .map_pages import _district_page, _overview_page
from .summary_pages import _cover, _summary_pages
from .text import ReportData


def report_pdf(plan, lang: str = "zh", unit: str = "km2") -> bytes:
    """The printable A4 atlas (.pdf bytes) of a plan: cover, summary, charts, the city overview,
    one map page per district in focus.

    Needs a Chinese font (e.g. Debian's fonts-noto-cjk); without one a LandplanError says how to
    install it.

    Parameters
    ----------
    plan : layers.plan.Plan or ReportData
        The plan (:func:`layers.plan.compute_plan`; its focus is the scope), or its
        :func:`report_data` already made.
    lang : {'zh', 'en'}, default 'zh'
    unit : str, default 'km2'

    Returns
    -------
    bytes
    """
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    font = cjk_font()
    data = plan if isinstance(plan, ReportData) else report_data(plan, lang, unit)
    buf = io.BytesIO()
    # a font with one weight (WenQuanYi Zen Hei) makes matplotlib warn at every bold or normal text
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    rc = {
        "font.family": [font, "DejaVu Sans"],
        "pdf.fonttype": 42,
        "hatch.linewidth": 0.45,
        "axes.unicode_minus": False,
    }
    with (
        matplotlib.rc_context(rc),
        PdfPages(buf, metadata={"Title": "landplan atlas", "Subject": data.version}) as pdf,
    ):
        atlas = _Atlas(pdf, data, font)
        _cover(atlas)
        _summary_pages(atlas)
        _chart_pages(atlas)
        if data.district is None:
            _overview_page(atlas)
        for did in data.districts["district_id"]:
            _district_page(atlas, did)
        atlas.close_page()
    return buf.getvalue()
