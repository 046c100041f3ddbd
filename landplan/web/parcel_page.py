"""The map page's parcel upload: read and prepared, and drawn shaded by land-use code (its tables
are the plan's: :attr:`layers.plan.Plan.parcel_accounting`)."""

from __future__ import annotations

import folium
import geopandas as gpd
import shapely

from geo.crs import to_offset
from geo.polygons import keep_polygons
from layers.parcels import describe_codes, prepare_parcels

from ..present.text import text
from .mapping import tooltip_safe
from .uploads import read_upload

#: fill colour per major land-use class (M industrial in purple, W logistics in brown, ...)
CLASS_COLORS = {
    "M": "#7a0177",
    "W": "#8c510a",
    "R": "#fec44f",
    "C": "#f03b20",
    "GIC": "#3182bd",
    "S": "#969696",
    "U": "#636363",
    "G": "#31a354",
}
UNKNOWN_COLOR = "#000000"
MAX_DRAWN = 20_000


def read_parcel_upload(
    name: str,
    data: bytes,
    columns: str = "",
    encoding: str | None = None,
    crs=None,
) -> gpd.GeoDataFrame:
    """Read an uploaded parcel file as prepared parcels (``columns``: 'landuse,status' column names,
    either may be empty to detect it); the page's plan accounts them."""
    cols = [c.strip() or None for c in (columns or "").split(",")] + [None, None]
    up = read_upload(name, data, encoding=encoding or None, crs=crs or None)
    # measured as on the command line (layers.parcels.read_parcels): the polygons, the rest said
    return prepare_parcels(keep_polygons(up), cols[0], cols[1])


def add_parcel_layer(
    m: folium.Map,
    parcels: gpd.GeoDataFrame,
    lang: str = "zh",
    offset: str | None = None,
    max_drawn: int = MAX_DRAWN,
) -> int:
    """Draw the parcels on ``m`` shaded by land-use class (unknown codes black); returns how many
    were drawn."""
    tx = text(lang)["parcels"]
    shown = parcels.iloc[:max_drawn]
    wgs = shown.to_crs(4326)
    wgs = to_offset(wgs, offset) if offset else wgs
    desc = describe_codes(shown["landuse"]).set_index("landuse")
    major = shown["landuse"].map(desc["major"])
    code, name, status, note = tx["code"], tx["name"], tx["status"], tx["note"]
    frame = gpd.GeoDataFrame(
        {
            code: shown["landuse"].to_numpy(),
            name: shown["landuse"]
            .map(desc["landuse_name_zh" if lang == "zh" else "landuse_name_en"])
            .to_numpy(),
            status: shown["status"].to_numpy(),
            "_fill": major.map(CLASS_COLORS).fillna(UNKNOWN_COLOR).to_numpy(),
        },
        geometry=shapely.set_precision(shapely.simplify(wgs.geometry.values, 2e-5), 1e-6),
        crs=4326,
    )
    if parcels.attrs.get("synthetic"):
        frame[note] = tx["synthetic"]
    folium.GeoJson(
        tooltip_safe(frame).to_json(),
        name=tx["layer"] + (f" ({tx['synthetic']})" if parcels.attrs.get("synthetic") else ""),
        style_function=lambda f: {
            "color": f["properties"]["_fill"],
            "weight": 0.5,
            "fillColor": f["properties"]["_fill"],
            "fillOpacity": 0.5,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=[c for c in frame.columns if c not in ("geometry", "_fill")]
        ),
    ).add_to(m)
    return len(shown)
