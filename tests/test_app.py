"""The map page opens on the shipped data (streamlit.testing AppTest runs the script for real)."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


def test_page_opens_in_chinese_and_switches_to_english():
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "深圳产业用地与园区规划"
    assert "sz20_parks" in at.dataframe[0].value["id"].tolist()
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Shenzhen industrial land and parks"


def test_map_html_uses_local_leaflet_only():
    import layers
    from landplan.assets import install_static, leaflet_source_dir, use_local_assets
    from landplan.mapping import catalog_map
    m = use_local_assets(catalog_map({"districts": layers.load("districts")}, tiles=None))
    html = m.get_root().render()
    assert "/app/static/leaflet/leaflet.js" in html
    assert "cdn.jsdelivr" not in html and "code.jquery.com" not in html and "cdnjs" not in html
    assert (leaflet_source_dir() / "leaflet.js").exists()
