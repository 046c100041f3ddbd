"""Folium maps of the catalog layers (presentation only; all numbers come from geo/ and layers/)."""

from __future__ import annotations

import html

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.areas import area
from geo.crs import WGS84, to_offset, transform_layer
from geo.units import unit_label
from layers.catalog_tables import LAYER_IDS
from layers.names import layer_label

from ..present.plan_text import overlap_kind
from ..present.text import LANGUAGES, text
from .map_frame import ZOOM_SNAP, framed, legend_strip, view_bounds

SHENZHEN_CENTER = (22.65, 114.2)
#: display-only simplification (degrees, about 20 m): invisible at city zoom, halves the payload
DISPLAY_TOLERANCE_DEG = 0.0002  # ~20 m: under a pixel at the city view (zoom 10, ~140 m/px)
MIN_DISPLAY_TOLERANCE_DEG = 0.00001  # ~1 m


def display_tolerance(bounds, width_px: int = 1000) -> float:
    """Simplification tolerance (degrees) for drawing a view of ``bounds``: half a screen pixel.

    The city view gets ~20 m, a focused district a few metres; Leaflet simplifies further when
    zoomed out (smoothFactor), so outlines stay light without looking coarse when zoomed in.
    """
    minx, miny, maxx, maxy = bounds
    span = max(maxx - minx, maxy - miny, 1e-6)
    return float(min(DISPLAY_TOLERANCE_DEG, max(MIN_DISPLAY_TOLERANCE_DEG, span / width_px / 2)))


LAYER_STYLE = {
    "sz20_parks": {"color": "#b30000", "fillColor": "#e34a33"},
    "longgang_parks": {"color": "#6a3d9a", "fillColor": "#9e9ac8"},
    "pingshan_zones": {"color": "#08519c", "fillColor": "#6baed6"},
    "innovation_zones": {"color": "#006d2c", "fillColor": "#74c476"},
    "upload": {"color": "#e6550d", "fillColor": "#fd8d3c"},
    "proposed": {"color": "#54278f", "fillColor": "#9e9ac8"},
}


def map_words(lang: str) -> dict:
    """The map's words in ``lang`` (``map`` in landplan/present/text) and the layers' short names
    from the
    catalog."""
    return {**text(lang)["map"], **{lid: layer_label(lid, lang) for lid in (*LAYER_IDS, "upload")}}


LABELS = {lang: map_words(lang) for lang in LANGUAGES}


def _popup_frame(gdf: gpd.GeoDataFrame, lang: str, unit: str = "km2") -> gpd.GeoDataFrame:
    """Display columns for tooltips, Chinese first, areas in ``unit`` measured in EPSG:4547 (never
    on display copies)."""
    from ..present.words import source_text

    lab = LABELS[lang]
    if "name_zh" in gdf.columns:
        # the page's language first; on the English page a catalog name has its Chinese name beside
        # it, a drawn (proposed) park only its English name
        zh = gdf["name_zh"].fillna("").astype(str)
        en = (
            gdf["name_en"].fillna("").astype(str)
            if "name_en" in gdf.columns
            else pd.Series("", index=gdf.index)
        )
        proposed = (
            gdf["precision"].eq("proposed")
            if "precision" in gdf.columns
            else pd.Series(False, index=gdf.index)
        )
        if lang == "zh":
            name = zh.where(zh != "", en)
        else:
            name = [
                e if (p or not z or z == e) else (f"{e} ({z})" if e else z)
                for z, e, p in zip(zh, en, proposed)
            ]
            name = pd.Series(name, index=gdf.index)
    else:  # a user's layer: its own id/name column
        from layers.loading import feature_ids

        name = feature_ids(gdf)
    shown_area = (
        area(gdf, unit, non_polygons="zero")
        if gdf.geometry.notna().any()
        else pd.Series(0.0, index=gdf.index)
    )
    precision = (
        gdf["precision"] if "precision" in gdf.columns else pd.Series("user", index=gdf.index)
    )
    source = (
        gdf["source"]
        if "source" in gdf.columns
        else pd.Series(gdf.attrs.get("source_name", ""), index=gdf.index)
    )
    out = gpd.GeoDataFrame(
        {
            lab["name"]: name,
            lab["area"]: shown_area.map(lambda v: f"{v:,.2f}") + " " + unit_label(unit, lang),
            lab["precision"]: precision.map(lambda p: lab.get(p, p)),
            lab["source"]: source.map(lambda v: source_text(v, lang) if v else "—").str.slice(
                0, 120
            ),
        },
        geometry=gdf.geometry,
        crs=gdf.crs,
    )
    if "lead_clusters" in gdf.columns:
        from layers.names import cluster_name

        sep = "、" if lang == "zh" else ", "
        out[lab["clusters"]] = gdf["lead_clusters"].map(
            lambda v: (
                sep.join(cluster_name(c, lang) for c in v) if isinstance(v, list) and v else "—"
            )
        )
    return out


def tooltip_safe(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Text columns HTML-escaped: folium's tooltips insert property values as HTML, and an uploaded
    file's attributes must show as text, never run as markup or script. Style columns (``_...``) are
    kept."""
    out = frame.copy()
    for col in out.columns:
        if (
            col != out.geometry.name
            and not str(col).startswith("_")
            and not pd.api.types.is_numeric_dtype(out[col])
        ):
            out[col] = out[col].map(
                lambda v: (
                    v
                    if v is None or isinstance(v, (bool, int, float, np.number))
                    else html.escape(str(v))
                )
            )
    return out


def map_page(m: folium.Map) -> str:
    """The map as a standalone HTML page. folium names each element with a random id; here they are
    numbered in order, so the same map gives the same page and the browser leaves it as it is
    (zoom and pan kept) when the page reruns."""
    root = m.get_root()
    page = root.render()

    def ids(element):
        yield element._id
        for child in getattr(element, "_children", {}).values():
            yield from ids(child)

    for i, old in enumerate(dict.fromkeys(ids(root))):
        page = page.replace(old, f"{i:032x}")
    return page


def _gap_text(names: list[str], shown: int = 3) -> str:
    """'N: a、b、c …' for a tooltip (the full list is in the gaps table)."""
    if not names:
        return "—"
    return f"{len(names)}: " + "、".join(names[:shown]) + (" …" if len(names) > shown else "")


#: the districts' shades by park coverage %: (below this %, colour, as the legend says it)
COVERAGE_SHADES = (
    (0.0001, "#f7fcf5", "0 %"),
    (5, "#c7e9c0", "< 5 %"),
    (10, "#74c476", "5–10 %"),
    (20, "#31a354", "10–20 %"),
    (float("inf"), "#006d2c", "≥ 20 %"),
)


def _coverage_color(pct: float) -> str:
    """Sequential greens for park coverage % of a district (0, <5, <10, <20, >=20)."""
    return next(
        (color for limit, color, _ in COVERAGE_SHADES if pct < limit), COVERAGE_SHADES[-1][1]
    )


#: basemap id -> (tile URL template or folium name, attribution, offset system of the tiles)
BASEMAPS = {
    "osm": ("OpenStreetMap", None, None),
    "positron": ("CartoDB positron", None, None),
    "tianditu": (
        "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0."
        "0&LAYER=vec"
        "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=%s",
        "天地图 Tianditu (CGCS2000)",
        None,
    ),
    "amap": (
        "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_"
        "cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "高德 AMap (GCJ-02)",
        "gcj02",
    ),
    "none": (None, None, None),
}


def add_basemap(m: folium.Map, basemap: str, tianditu_key: str | None = None) -> str | None:
    """Add the basemap's tiles; returns the offset system the vectors must be shifted to for
    display."""
    tiles, attr, offset = BASEMAPS[basemap]
    if basemap == "tianditu":
        if not tianditu_key:
            return None
        folium.TileLayer(
            tiles % tianditu_key, attr=attr, name="天地图", subdomains="01234567"
        ).add_to(m)
    elif basemap == "amap":
        folium.TileLayer(tiles, attr=attr, name="高德", subdomains="1234").add_to(m)
    elif tiles:
        folium.TileLayer(
            tiles, name={"osm": "OpenStreetMap", "positron": "CartoDB Positron"}.get(basemap, tiles)
        ).add_to(m)
    return offset


def display_layer(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The layer as the map draws it: longitude/latitude (EPSG:4326), whatever CRS it is in
    (EPSG:4547 included)."""
    if gdf.crs is None or gdf.crs.equals(WGS84):
        return gdf
    return transform_layer(gdf, WGS84)


#: how the map draws an overlap of each kind: a double count red and filled, nesting dashed
OVERLAP_STYLE = {
    "double_count": {"color": "#d7301f", "weight": 1, "fillColor": "#d7301f", "fillOpacity": 0.55},
    "nested": {
        "color": "#54278f",
        "weight": 2,
        "dashArray": "3 4",
        "fillColor": "#54278f",
        "fillOpacity": 0.08,
    },
}


def _add_overlaps(m: folium.Map, ov: gpd.GeoDataFrame, lang: str) -> None:
    """Overlaps (:func:`layers.overlaps.classify_overlaps`, areas in the page's unit) on ``m``,
    styled by kind; a tooltip names the two features, the kind and the area."""
    from layers.names import feature_name

    lab = LABELS[lang]
    kinds = ov["kind"] if "kind" in ov.columns else pd.Series("double_count", index=ov.index)

    def names(side):
        own = ov.get(f"{side}_name_{lang}", pd.Series(None, index=ov.index))
        return [
            n if isinstance(n, str) and n else feature_name(i, lang)
            for n, i in zip(own, ov[f"{side}_id"])
        ]

    shown = gpd.GeoDataFrame(
        {
            lab["overlap"]: [f"{a} × {b}" for a, b in zip(names("a"), names("b"))],
            lab["overlap_kind"]: [overlap_kind(k, lang) for k in kinds],
            lab["area"]: [
                f"{v:,.2f} {unit_label(u, lang)}" for v, u in zip(ov["area"], ov["unit"])
            ],
            "_kind": kinds.to_numpy(),
        },
        geometry=ov.geometry.to_numpy(),
        crs=4326,
    )
    folium.GeoJson(
        tooltip_safe(shown).to_json(),
        name=lab["overlap"],
        style_function=lambda f: OVERLAP_STYLE.get(
            f["properties"].get("_kind"), OVERLAP_STYLE["double_count"]
        ),
        tooltip=folium.GeoJsonTooltip(fields=list(shown.columns[:3])),
    ).add_to(m)


def catalog_map(
    layers_: dict[str, gpd.GeoDataFrame],
    lang: str = "zh",
    tiles: str | None = "OpenStreetMap",
    district_coverage: pd.DataFrame | None = None,
    overlap_areas: gpd.GeoDataFrame | None = None,
    focus: gpd.GeoDataFrame | None = None,
    basemap: str | None = None,
    tianditu_key: str | None = None,
    draw: bool = False,
    unit: str = "km2",
    district_gaps: dict[str, list[str]] | None = None,
    extent: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """A map of the given layers; indicative outlines are dashed; tooltips give areas in ``unit``.

    ``district_coverage`` (zone_id, covered_pct) shades the districts; ``overlap_areas`` (a plan's
    overlaps) are drawn on top, double counts in red, nesting dashed; ``district_gaps`` (district
    id -> cluster names without a carrying park) outlines those districts in orange and lists the
    gaps; ``focus`` is outlined in bold. The first view fits ``focus``, else ``extent`` (the
    city's districts), at any frame size; the legend is a strip under the map
    (:mod:`landplan.web.map_frame`).
    """
    m = folium.Map(
        location=SHENZHEN_CENTER,
        zoom_start=10,
        tiles=None if basemap else tiles,
        control_scale=True,
        zoom_snap=ZOOM_SNAP,
    )
    focused = focus is not None and len(focus)
    view = focus.to_crs(4326).total_bounds if focused else None
    tolerance = display_tolerance(view) if view is not None else DISPLAY_TOLERANCE_DEG
    # With AMap tiles (GCJ-02) the drawn copies are shifted to sit on them; figures come from the
    # originals.
    offset = add_basemap(m, basemap, tianditu_key) if basemap else None

    def display_copy(gdf):
        """Shifted (AMap) and lightened copy for drawing only: simplified for the view, 1 m
        coordinates."""
        g = to_offset(gdf, offset) if offset else display_layer(gdf)
        geoms = shapely.simplify(g.geometry.values, tolerance, preserve_topology=True)
        return g.set_geometry(shapely.set_precision(geoms, 1e-5, mode="pointwise"))

    lab = LABELS[lang]
    pct = (
        dict(zip(district_coverage["zone_id"], district_coverage["covered_pct"]))
        if district_coverage is not None
        else {}
    )
    for layer_id, gdf in layers_.items():
        # every feature with a geometry is drawn, whatever its type (multi-lines of GPS tracks,
        # multi-points, collections); those without one are said when the layer is read
        gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
        if gdf.empty:
            continue
        frame = _popup_frame(gdf, lang, unit)
        frame = frame.set_geometry(
            display_copy(frame).geometry
        )  # display copy only; figures are from the original
        frame["_dash"] = (
            frame[lab["precision"]] == lab["indicative"]
        )  # indicative outlines are dashed
        is_district = layer_id == "districts"
        if is_district and pct:
            frame[lab["coverage"]] = gdf["district_id"].map(pct).round(1).astype(str) + " %"
            frame["_fill"] = gdf["district_id"].map(lambda d: _coverage_color(pct.get(d, 0.0)))
        if is_district and district_gaps:
            frame[lab["gaps"]] = gdf["district_id"].map(
                lambda d: _gap_text(district_gaps.get(d, []))
            )
            frame["_gap"] = gdf["district_id"].map(lambda d: bool(district_gaps.get(d)))
        style = LAYER_STYLE.get(layer_id, {"color": "#444444", "fillColor": "#ffffff"})

        def _style(feat, style=style, is_district=is_district):
            indicative = feat["properties"].get("_dash")
            fill = feat["properties"].get("_fill") or style["fillColor"]
            if is_district and feat["properties"].get("_gap"):
                return {
                    "color": "#ff7f00",
                    "weight": 3,
                    "fillColor": fill,
                    "fillOpacity": 0.6 if pct else 0.05,
                    "dashArray": "6 4" if indicative else None,
                }
            return {
                "color": style["color"],
                "weight": 1 if is_district else 2,
                "fillColor": fill,
                "fillOpacity": 0.6 if (is_district and pct) else (0.05 if is_district else 0.35),
                "dashArray": "6 4" if indicative else None,
            }

        folium.GeoJson(
            tooltip_safe(frame).to_json(),
            name=layer_label(layer_id, lang),
            style_function=_style,
            tooltip=folium.GeoJsonTooltip(
                fields=[c for c in frame.columns if not str(c).startswith("_") and c != "geometry"]
            ),
            marker=folium.CircleMarker(radius=5, fill=True, fill_opacity=0.9),
        ).add_to(m)
    if overlap_areas is not None and len(overlap_areas):
        _add_overlaps(m, display_copy(overlap_areas.to_crs(4326)), lang)
    if focus is not None and len(
        focus
    ):  # the focused district: a bold outline over everything else
        name_col = "name_zh" if lang == "zh" else "name_en"
        outline = display_copy(focus.to_crs(4326))
        marked = gpd.GeoDataFrame(
            {lab["focus"]: outline[name_col] if name_col in outline.columns else ""},
            geometry=outline.geometry,
            crs=4326,
        )
        folium.GeoJson(
            tooltip_safe(marked).to_json(),
            name=lab["focus"],
            style_function=lambda f: {
                "color": "#1a1a1a",
                "weight": 4,
                "fill": False,
                "fillOpacity": 0,
            },
            tooltip=folium.GeoJsonTooltip(fields=[lab["focus"]]),
        ).add_to(m)
    if draw:  # let the planner draw a proposed park (polygon / rectangle only)
        folium.plugins.Draw(
            export=False,
            draw_options={
                "polyline": False,
                "circle": False,
                "marker": False,
                "circlemarker": False,
            },
        ).add_to(m)
    # folded: open, the layer list would lie over the city in a small frame
    folium.LayerControl(collapsed=True).add_to(m)
    shown_extent = focus if focused else extent
    bounds = (  # as drawn: shifted over AMap's tiles
        view_bounds(to_offset(shown_extent, offset) if offset else shown_extent)
        if shown_extent is not None
        else None
    )
    legend = [
        *((f"background:{c};border:1px solid #bbb", t) for _, c, t in COVERAGE_SHADES),
        (
            f"background:{OVERLAP_STYLE['double_count']['fillColor']}",
            overlap_kind("double_count", lang),
        ),
        (f"border:2px dashed {OVERLAP_STYLE['nested']['color']}", overlap_kind("nested", lang)),
        *((("border:3px solid #ff7f00", lab["gap_flag"]),) if district_gaps else ()),
        ("height:0;border-top:2px dashed #b30000", lab["indicative"]),
    ]
    framed(m, bounds, legend_strip(lab["legend"], legend))
    return m
