"""The web page's parts (``streamlit_app.py`` reads widgets, calls these and draws).

- ``mapping``: the folium map of catalog and user layers
- ``uploads``: reading a user's upload
- ``downloads``: GeoJSON, GeoPackage and workbook downloads of what is shown
- ``parcel_page``: the parcel layer on the map and its tables
- ``raster_map``: the coverage-count overlay
- ``assets``: Leaflet and Leaflet.draw served from the package (offline)
"""
