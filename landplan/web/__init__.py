"""The web page's parts (``streamlit_app.py`` reads widgets, calls these and draws; its words are in
``landplan/present/text/zh.yaml`` and ``en.yaml``). The page shows one plan (:mod:`layers.plan`)
per what-if
and focus; every tab, download and map layer renders it.

- ``page_data``: what the page computes once for every session (catalog, the plan of each what-if
  and of each saved scenario, uploads read once)
- ``plan_view``: what the page picks from its plan (the layers and overlaps on the map, the what-if
  line, the upload's warnings, the targets parcels measure)
- ``plan_tabs``: the tabs drawn from the plan (coverage, targets, overlaps, gaps, parcel tables) and
  the caption about precision
- ``ledger_tab``: the progress ledger's tab (the latest figures, a target's entries, an entry and
  the template's import for editors, the template)
- ``charts``: the charts (Altair) of ``landplan.chart_data``: the targets' figures, a target's
  ledger over time, the districts' coverage
- ``tables``: a table drawn as a planner reads it, in the chosen unit, with its CSV
- ``page_map``: the page's map of the plan for its choices (coverage, overlaps, gaps, focus, raster,
  parcels)
- ``mapping``: the folium map of catalog and user layers
- ``map_frame``: the map in its frame (the first view fitted to the city or the focus at any size,
  the legend strip under the map)
- ``meeting_room``: the headline figures at the top, the map frame's height, the presenting view
- ``view_link``: the view kept in the address (``st.query_params``); a link opens it
- ``drawings``: parks drawn on the map as a layer of proposed parks
- ``widgets``: the Tianditu key, library messages in the page's language, status boxes, the
  uploader's words
- ``panels``: the sidebar's upload and parcel boxes, a cluster's lines, the downloads tab
- ``uploads``: reading a user's upload (through ``layers.loading.resolve_layer``)
- ``downloads``: GeoJSON, GeoPackage, the plan's tables workbook and meeting reports; the files made
  on a click
- ``parcel_page``: reading parcels and drawing them on the map
- ``raster_map``: the coverage-count overlay
- ``assets``: Leaflet and Leaflet.draw served from the package (offline)
- ``auth``: who is at the page (OpenID Connect sign-in, ``st.user``), their role, whether they may
  change the plan
- ``scenario_page``: save (editors), open and compare scenarios of the plan store
"""
