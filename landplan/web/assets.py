"""Serve the map's scripts and styles from the app itself, so the map draws with no internet.

folium loads Leaflet, jQuery, Bootstrap and plugins from public CDNs by default; on a bureau
intranet (or these machines) the map would be an empty box. Leaflet 1.9.4 comes from the
PyPI package django-js-lib-leaflet (static files only, no Django needed) and Leaflet.draw
1.0.4 from django-leaflet's static files (only the files are used); they are copied into
the app's ``static/`` folder, which Streamlit serves at /app/static/ when
``server.enableStaticServing`` is on (.streamlit/config.toml). The maps use only Leaflet.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import folium
import folium.plugins

STATIC_URL = "/app/static/leaflet"
DRAW_URL = "/app/static/leaflet/draw"


def leaflet_source_dir() -> Path:
    """Folder holding leaflet.js, leaflet.css and images/ from the installed package."""
    spec = importlib.util.find_spec("js_lib_leaflet")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("django-js-lib-leaflet is not installed; run pip install -e .")
    return Path(list(spec.submodule_search_locations)[0]) / "static" / "js_lib_leaflet"


def leaflet_draw_source_dir() -> Path:
    """Folder holding leaflet.draw.js/.css and images/ from the installed django-leaflet."""
    spec = importlib.util.find_spec("leaflet")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("django-leaflet is not installed; run pip install -e .")
    return Path(list(spec.submodule_search_locations)[0]) / "static" / "leaflet" / "draw"


def install_static(app_dir: Path) -> Path:
    """Copy Leaflet into ``app_dir/static/leaflet`` (idempotent). Returns the folder."""
    target = Path(app_dir) / "static" / "leaflet"
    src = leaflet_source_dir()
    if (
        not (target / "leaflet.js").exists()
        or (target / "leaflet.js").stat().st_size != (src / "leaflet.js").stat().st_size
    ):
        target.mkdir(parents=True, exist_ok=True)
        for name in ("leaflet.js", "leaflet.css"):
            shutil.copy2(src / name, target / name)
        shutil.copytree(src / "images", target / "images", dirs_exist_ok=True)
    draw = target / "draw"
    if not (draw / "leaflet.draw.js").exists():
        shutil.copytree(
            leaflet_draw_source_dir(),
            draw,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("*-src.*", "*.map"),
        )
    return target


def use_local_assets(m: folium.Map, base_url: str = STATIC_URL) -> folium.Map:
    """Point a folium map at the app's own Leaflet instead of the CDNs."""
    m.default_js = [("leaflet", f"{base_url}/leaflet.js")]
    m.default_css = [("leaflet_css", f"{base_url}/leaflet.css")]
    for child in m._children.values():
        if isinstance(child, folium.plugins.Draw):
            child.default_js = [("leaflet_draw_js", f"{base_url}/draw/leaflet.draw.js")]
            child.default_css = [("leaflet_draw_css", f"{base_url}/draw/leaflet.draw.css")]
    return m
