"""QGIS layer styles (QML) and a QGIS project (.qgs) as XML, with no QGIS needed to write them.

A style is a renderer (single symbol, categories of an attribute, ranges of a number) and, where
asked, labels from a field; :func:`qml` writes it as a QML document, the text a GeoPackage's
``layer_styles`` table holds and QGIS applies when the layer is opened. :func:`project_qgs` writes a
project listing the layers in order with their styles. Colours are 'r,g,b,a' or '#rrggbb'.
"""

from __future__ import annotations

import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

QGIS_VERSION = "3.22.0-Białowieża"
_DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
#: a font with Chinese glyphs for labels (QGIS falls back to another where it is missing)
LABEL_FONT = "Noto Sans CJK SC"


def rgba(color: str, alpha: float = 1.0) -> str:
    """'#e34a33' or 'r,g,b' -> 'r,g,b,a' (a 0-255) as QGIS writes colours."""
    if color.startswith("#"):
        r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
        return f"{r},{g},{b},{round(alpha * 255)}"
    parts = color.split(",")
    return ",".join(parts[:3] + [parts[3] if len(parts) > 3 else str(round(alpha * 255))])


@dataclass
class Symbol:
    """A symbol: kind 'fill', 'line' or 'marker' and its symbol layer's properties."""

    kind: str
    props: dict = field(default_factory=dict)

    def element(self, name: str) -> ET.Element:
        cls = {"fill": "SimpleFill", "line": "SimpleLine", "marker": "SimpleMarker"}[self.kind]
        sym = ET.Element(
            "symbol",
            {
                "type": self.kind,
                "name": name,
                "alpha": "1",
                "clip_to_extent": "1",
                "force_rhr": "0",
            },
        )
        layer = ET.SubElement(
            sym, "layer", {"class": cls, "enabled": "1", "locked": "0", "pass": "0"}
        )
        for k, v in self.props.items():
            ET.SubElement(layer, "prop", {"k": k, "v": str(v)})
        return sym


def fill(
    color: str,
    outline: str,
    *,
    alpha: float = 0.45,
    style: str = "solid",
    outline_style: str = "solid",
    width: float = 0.5,
) -> Symbol:
    """A polygon symbol: ``style`` 'solid', 'no', 'b_diagonal', 'f_diagonal', 'cross'...;
    ``outline_style`` 'solid', 'dash', 'dot'."""
    return Symbol(
        "fill",
        {
            "color": rgba(color, alpha),
            "style": style,
            "outline_color": rgba(outline),
            "outline_style": outline_style,
            "outline_width": width,
            "outline_width_unit": "MM",
            "joinstyle": "bevel",
        },
    )


def line(color: str, *, style: str = "solid", width: float = 0.7) -> Symbol:
    """A line symbol."""
    return Symbol(
        "line",
        {
            "line_color": rgba(color),
            "line_style": style,
            "line_width": width,
            "line_width_unit": "MM",
            "capstyle": "round",
            "joinstyle": "round",
        },
    )


def marker(color: str, *, shape: str = "triangle", size: float = 2.6) -> Symbol:
    """A point symbol ('circle', 'triangle', 'square', 'diamond')."""
    return Symbol(
        "marker",
        {
            "name": shape,
            "color": rgba(color),
            "outline_color": "35,35,35,255",
            "outline_width": 0.2,
            "size": size,
            "size_unit": "MM",
        },
    )


@dataclass
class Style:
    """A layer's style: a renderer and, optionally, labels from a field.

    ``kind`` is 'single' (``symbols[0]``), 'categories' (``attr``; ``classes`` of (value, label))
    or 'ranges' (``attr``; ``classes`` of (lower, upper, label)), one symbol per class.
    """

    kind: str
    symbols: list
    attr: str | None = None
    classes: list = field(default_factory=list)
    label_field: str | None = None

    def renderer(self) -> ET.Element:
        common = {"symbollevels": "0", "enableorderby": "0", "forceraster": "0"}
        if self.kind == "single":
            r = ET.Element("renderer-v2", {"type": "singleSymbol", **common})
        elif self.kind == "categories":
            r = ET.Element(
                "renderer-v2", {"type": "categorizedSymbol", "attr": self.attr, **common}
            )
            cats = ET.SubElement(r, "categories")
            for i, (value, label) in enumerate(self.classes):
                ET.SubElement(
                    cats,
                    "category",
                    {"value": str(value), "label": str(label), "symbol": str(i), "render": "true"},
                )
        elif self.kind == "ranges":
            r = ET.Element(
                "renderer-v2",
                {
                    "type": "graduatedSymbol",
                    "attr": self.attr,
                    "graduatedMethod": "GraduatedColor",
                    **common,
                },
            )
            ranges = ET.SubElement(r, "ranges")
            for i, (lower, upper, label) in enumerate(self.classes):
                ET.SubElement(
                    ranges,
                    "range",
                    {
                        "lower": repr(float(lower)),
                        "upper": repr(float(upper)),
                        "label": str(label),
                        "symbol": str(i),
                        "render": "true",
                    },
                )
        else:
            raise ValueError(f"unknown style kind {self.kind!r}")
        syms = ET.SubElement(r, "symbols")
        for i, s in enumerate(self.symbols):
            syms.append(s.element(str(i)))
        return r

    def labeling(self) -> ET.Element | None:
        if not self.label_field:
            return None
        lab = ET.Element("labeling", {"type": "simple"})
        settings = ET.SubElement(lab, "settings", {"calloutType": "simple"})
        text = ET.SubElement(
            settings,
            "text-style",
            {
                "fieldName": self.label_field,
                "isExpression": "0",
                "fontFamily": LABEL_FONT,
                "fontSize": "8",
                "fontSizeUnit": "Point",
                "textColor": "20,20,20,255",
                "textOpacity": "1",
                "namedStyle": "Regular",
            },
        )
        ET.SubElement(
            text,
            "text-buffer",
            {
                "bufferDraw": "1",
                "bufferSize": "0.8",
                "bufferSizeUnits": "MM",
                "bufferColor": "255,255,255,255",
                "bufferOpacity": "1",
            },
        )
        ET.SubElement(settings, "placement", {"placement": "1", "centroidInside": "1"})
        ET.SubElement(settings, "rendering", {"obstacle": "0", "drawLabels": "1"})
        return lab

    def elements(self) -> list[ET.Element]:
        """The renderer and, with labels, the labeling element (as a map layer holds them)."""
        out = [self.renderer()]
        lab = self.labeling()
        if lab is not None:
            out.append(lab)
        return out


def qml(style: Style) -> str:
    """The style as a QML document (what QGIS reads from a .qml file or ``layer_styles``)."""
    root = ET.Element("qgis", {"version": QGIS_VERSION, "styleCategories": "AllStyleCategories"})
    for el in style.elements():
        root.append(el)
    if style.label_field:
        ET.SubElement(root, "labelsEnabled").text = "1"
    return _DOCTYPE + ET.tostring(root, encoding="unicode")


@dataclass
class ProjectLayer:
    """A layer of a project: its id, name shown, data source, geometry and style."""

    layer_id: str
    name: str
    source: str
    geometry: str  # 'Polygon', 'Line', 'Point'
    style: Style


def _spatialrefsys(crs) -> ET.Element:
    from pyproj import CRS

    crs = CRS.from_user_input(crs)
    srs = ET.Element("spatialrefsys")
    ET.SubElement(srs, "wkt").text = crs.to_wkt()
    with warnings.catch_warnings():  # a PROJ string is lossy: QGIS reads the WKT first
        warnings.simplefilter("ignore")
        ET.SubElement(srs, "proj4").text = crs.to_proj4()
    epsg = crs.to_epsg()
    ET.SubElement(srs, "srid").text = str(epsg or 0)
    ET.SubElement(srs, "authid").text = f"EPSG:{epsg}" if epsg else ""
    ET.SubElement(srs, "description").text = crs.name
    ET.SubElement(srs, "geographicflag").text = "true" if crs.is_geographic else "false"
    return srs


def project_qgs(title: str, layers: list[ProjectLayer], crs, extent) -> str:
    """A QGIS project (.qgs XML) showing ``layers`` top to bottom in the given order.

    ``extent`` is (minx, miny, maxx, maxy) in ``crs``, the view it opens on.
    """
    root = ET.Element("qgis", {"projectname": title, "version": QGIS_VERSION})
    ET.SubElement(root, "title").text = title
    pcrs = ET.SubElement(root, "projectCrs")
    pcrs.append(_spatialrefsys(crs))
    tree = ET.SubElement(root, "layer-tree-group")
    ET.SubElement(tree, "customproperties")
    for lay in layers:
        ET.SubElement(
            tree,
            "layer-tree-layer",
            {
                "id": lay.layer_id,
                "name": lay.name,
                "source": lay.source,
                "providerKey": "ogr",
                "checked": "Qt::Checked",
                "expanded": "1",
            },
        )
    canvas = ET.SubElement(root, "mapcanvas", {"name": "theMapCanvas", "annotationsVisible": "1"})
    ET.SubElement(canvas, "units").text = "meters"
    ext = ET.SubElement(canvas, "extent")
    for k, v in zip(("xmin", "ymin", "xmax", "ymax"), extent):
        ET.SubElement(ext, k).text = repr(float(v))
    dest = ET.SubElement(canvas, "destinationsrs")
    dest.append(_spatialrefsys(crs))
    proj_layers = ET.SubElement(root, "projectlayers")
    for lay in layers:
        ml = ET.SubElement(
            proj_layers,
            "maplayer",
            {"type": "vector", "geometry": lay.geometry, "autoRefreshEnabled": "0"},
        )
        ET.SubElement(ml, "id").text = lay.layer_id
        ET.SubElement(ml, "datasource").text = lay.source
        ET.SubElement(ml, "layername").text = lay.name
        srs = ET.SubElement(ml, "srs")
        srs.append(_spatialrefsys(crs))
        ET.SubElement(ml, "provider", {"encoding": "UTF-8"}).text = "ogr"
        for el in lay.style.elements():
            ml.append(el)
        if lay.style.label_field:
            ET.SubElement(ml, "labelsEnabled").text = "1"
    order = ET.SubElement(root, "layerorder")
    for lay in layers:
        ET.SubElement(order, "layer", {"id": lay.layer_id})
    props = ET.SubElement(root, "properties")
    paths = ET.SubElement(props, "Paths")
    ET.SubElement(paths, "Absolute", {"type": "bool"}).text = "false"
    return _DOCTYPE + ET.tostring(root, encoding="unicode")
