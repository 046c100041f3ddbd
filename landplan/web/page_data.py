"""The page's data, made once for every session (Streamlit's caches): the catalog, the plan of each
what-if (:func:`layers.plan.compute_plan`), and a user's uploads read once per file and options (a
widget change reruns the page; it reads and measures nothing again)."""

from __future__ import annotations

import hashlib
import pickle

import geopandas as gpd
import streamlit as st

import layers
from geo.errors import LandplanError
from layers.plan import Plan, compute_plan
from layers.store import Scenario

from .parcel_page import read_parcel_upload
from .uploads import read_upload, upload_layers


@st.cache_data(show_spinner=False)
def catalog_layers() -> dict:
    """Every catalog layer by id."""
    return {lid: layers.load(lid) for lid in layers.LAYER_IDS}


@st.cache_data(show_spinner=False)
def catalog():
    """The layer catalog table."""
    return layers.catalog()


@st.cache_data(show_spinner=False)
def clusters():
    """The industry clusters."""
    return layers.clusters()


def _layer_key(gdf: gpd.GeoDataFrame) -> str:
    """A key for a user's or drawn layer in the cache (Streamlit cannot hash a GeoDataFrame): its
    pickled bytes."""
    return hashlib.sha1(pickle.dumps(gdf, protocol=5)).hexdigest()


# One plan per what-if and ledger, kept as an object (st.cache_resource): the plan computes each
# table on first use and keeps it, so a unit, tab, language or focus change measures nothing again,
# and a new ledger entry makes only the targets and gaps again (Plan.with_progress).
@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs={gpd.GeoDataFrame: _layer_key})
def page_plan(
    upload: gpd.GeoDataFrame | None = None,
    role: str = "beside",
    official: bool = False,
    proposed: gpd.GeoDataFrame | None = None,
    parcels_key=None,
    _parcels: gpd.GeoDataFrame | None = None,
    counts: tuple = (),
    ledger_key=None,
    _progress=None,
) -> tuple[Plan, LandplanError | None]:
    """The city's plan for the page's what-if with the progress ledger, and why the upload counts
    toward nothing (or None).

    The upload (``role``, ``official``), the proposed parks and the parcels (kept out of the
    cache's key: ``parcels_key`` names them; ``counts``: the land-use codes that count) make one
    :class:`layers.store.Scenario`. Outlines ticked official that are indicative count as a
    proposal; an upload whose coverage cannot be computed is left out, and the plan is the rest of
    the what-if; the error says why. ``_progress``: the ledger's entries in force (kept out of the
    key: ``ledger_key`` names them, :func:`ledger_state`). Focus with ``plan.focused(d)``.
    """
    city, error = whatif_plan(upload, role, official, proposed, parcels_key, _parcels, counts)
    return (city if _progress is None else city.with_progress(_progress)), error


@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs={gpd.GeoDataFrame: _layer_key})
def whatif_plan(
    upload: gpd.GeoDataFrame | None = None,
    role: str = "beside",
    official: bool = False,
    proposed: gpd.GeoDataFrame | None = None,
    parcels_key=None,
    _parcels: gpd.GeoDataFrame | None = None,
    counts: tuple = (),
) -> tuple[Plan, LandplanError | None]:
    """:func:`page_plan` without the ledger: what the outlines and parcels measure, once per
    what-if."""

    def plan(up, off):
        scenario = Scenario(
            "", upload=up, role=role, official=off, proposed=proposed, parcels=_parcels
        )
        p = compute_plan(scenario, None, counts)
        _ = p.coverage, p.upload_coverage  # an upload that cannot count is refused here
        return p

    try:
        return plan(upload, official), None
    except LandplanError as exc:
        if upload is None:
            raise
        if official:  # indicative outlines ticked official: said, and counted as a proposal
            try:
                return plan(upload, False), exc
            except LandplanError:
                pass
        return plan(None, False), exc


def page_plan_key(upload, role, official, proposed, parcels_key=None, counts=()) -> tuple:
    """What :func:`page_plan` is computed from, as a key (files made from a plan are kept under
    it)."""
    return (
        None if upload is None else _layer_key(upload),
        role,
        bool(official),
        None if proposed is None else _layer_key(proposed),
        parcels_key,
        tuple(counts),
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def saved_plan(where: str, name: str, version: int, _open, _store=None) -> Plan:
    """The city's plan of version ``version`` of the saved scenario ``name`` in the store at
    ``where`` (``_open(name, version)`` opens it), with the progress ledger of ``_store`` as it
    stood when the version was saved; a saved version never changes."""
    from layers.compare import scenario_ledger

    sc = _open(name, version)
    return compute_plan(sc, progress=None if _store is None else scenario_ledger(_store, sc))


def ledger_state(store) -> tuple[tuple, object]:
    """The progress ledger the page reads: a key that changes with every entry (the store, how
    many entries and the last one's number: entries are only ever added) and every entry in force
    (None when nothing was entered)."""
    from layers.ledger import in_force

    entries = store.entries()
    key = (store.where, len(entries), int(entries["id"].max()) if len(entries) else 0)
    ledger = in_force(entries)
    return key, (ledger if len(ledger) else None)


read_upload_once = st.cache_data(read_upload, show_spinner=False, max_entries=4)
upload_layers_once = st.cache_data(upload_layers, show_spinner=False, max_entries=4)
read_parcel_upload_once = st.cache_data(read_parcel_upload, show_spinner=False, max_entries=2)
