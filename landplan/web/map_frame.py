"""The map in its frame, as a meeting reads it: the first view fits the city (or the focused
district) whatever the frame's size, and nothing lies over it.

The view is fitted with a margin that holds the map's own controls (zoom buttons, the folded
layer switch, the scale, the attribution), fitted again when the frame is resized (a window
made larger, the presenting view) until the planner moves or zooms the map, and the legend is
a strip under the map, outside it.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
from branca.element import MacroElement
from folium.template import Template

#: the margin (px) kept around the fitted view: the zoom buttons (top left), the folded layer
#: switch (top right), the scale (bottom left) and the attribution (bottom right) sit in it
FIT_PADDING = 56
#: zoom steps a fit may stop at: a quarter level, so the city fills the frame
ZOOM_SNAP = 0.25


def view_bounds(gdf: gpd.GeoDataFrame) -> list[list[float]] | None:
    """[[south, west], [north, east]] of ``gdf`` in degrees (as drawn), or None when empty."""
    if gdf is None or not len(gdf) or gdf.geometry.isna().all():
        return None
    minx, miny, maxx, maxy = gdf.to_crs(4326).total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


#: the map's page: the map above the legend strip, which wraps onto more lines in a narrow frame;
#: the same in the drawing map's frame (streamlit-folium's page: its map in ``#root``)
FRAME_STYLE = """<style>
html, body {display: flex; flex-direction: column;}
body > .folium-map {flex: 1 1 auto; min-height: 0; height: auto !important;}
.map-legend {order: 2; flex: 0 0 auto; display: flex; flex-wrap: wrap; align-items: center;
  gap: 2px 14px; padding: 4px 8px; background: white; border-top: 1px solid #999;
  font: 12px/1.5 "Noto Sans CJK SC", "Source Sans Pro", sans-serif;}
.map-legend .swatch {display: inline-block; width: 12px; height: 12px; margin-right: 4px;
  vertical-align: -2px; box-sizing: border-box;}
body > #root {flex: 1 1 auto; min-height: 0;}
#root, #parent, #parent > :first-child, #map_div {height: 100% !important;}
</style>"""


class FitView(MacroElement):
    """Fit the map to ``bounds`` on load, and again on each resize of its frame until the
    planner moves or zooms it."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map, bounds, options) {
    var moved = false;
    map.fitBounds(bounds, options);
    ["mousedown", "touchstart", "wheel", "keydown"].forEach(function (name) {
        map.getContainer().addEventListener(name, function () { moved = true; }, {passive: true});
    });
    map.on("resize", function () { if (!moved) { map.fitBounds(bounds, options); } });
})({{ this._parent.get_name() }}, {{ this.bounds|tojson }}, {{ this.options|tojson }});
{% endmacro %}
"""
    )

    def __init__(self, bounds: list[list[float]], padding: int = FIT_PADDING):
        super().__init__()
        self._name = "FitView"
        self.bounds = bounds
        self.options = {"padding": [padding, padding]}


def legend_strip(title: str, items: list[tuple[str, str]]) -> str:
    """The legend as a strip under the map: ``title`` then each (swatch CSS, words) of ``items``;
    the words are escaped."""
    entries = "".join(
        f"<span><span class='swatch' style='{style}'></span>{html.escape(words)}</span>"
        for style, words in items
    )
    return f"<div class='map-legend'><b>{html.escape(title)}</b>{entries}</div>"


def framed(m: folium.Map, bounds: list[list[float]] | None, legend: str | None = None):
    """``m`` fitted to ``bounds`` (see :class:`FitView`) with ``legend`` (:func:`legend_strip`)
    under it; without bounds the map keeps its own centre and zoom."""
    m.get_root().header.add_child(folium.Element(FRAME_STYLE), name="map_frame_style")
    if bounds is not None:
        FitView(bounds).add_to(m)
    if legend:
        m.get_root().html.add_child(folium.Element(legend))
    return m
