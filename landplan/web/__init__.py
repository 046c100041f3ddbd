"""The web page's parts (``streamlit_app.py`` reads widgets, calls these and draws; its words are in
``landplan/text/zh.yaml`` and ``en.yaml``).

- ``page_data``: what the page computes once for every session (catalog, tables in m², uploads,
  what-if figures)
- ``figures``: the figures in effect for what is loaded (catalog or what-if), in m²; the workbook's
  tables
- ``tables``: a table drawn as a planner reads it, in the chosen unit, with its CSV
- ``page_map``: the page's map for its choices (coverage, overlaps, gaps, focus, raster, parcels)
- ``mapping``: the folium map of catalog and user layers; drawn parks as a layer
- ``widgets``: the Tianditu key, library messages in the page's language, status boxes, the
  uploader's words
- ``uploads``: reading a user's upload (through ``layers.load.resolve_layer``)
- ``downloads``: GeoJSON, GeoPackage and workbook downloads of what is shown; the files made on a
  click
- ``parcel_page``: the parcel layer on the map and its tables
- ``raster_map``: the coverage-count overlay
- ``assets``: Leaflet and Leaflet.draw served from the package (offline)
- ``auth``: who is at the page (OpenID Connect sign-in, ``st.user``), their role, whether they may
  change the plan
- ``scenario_page``: save (editors), open and compare scenarios of the plan store
"""
