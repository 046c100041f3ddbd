"""The page's figures for what is loaded: the catalog's tables, or the what-if in effect (uploads,
drawn parks).

Everything here is in m², computed once; a unit change only converts (``in_unit``) what is shown.
What counts is decided by :func:`layers.scenario.layers_in_effect`, as for the reports and the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo.errors import LandplanError
from geo.units import unit_label
from layers.compare import with_parcel_supply
from layers.scenario import PARK_LAYER, layers_in_effect
from layers.summary import district_coverage
from layers.targets import MET_LABELS, target_supply
from layers.units import in_unit

from ..text import text

CITY_PARKS_TARGET = "city_sz20_parks_area"


@dataclass
class Figures:
    """The page's tables (m²) for what is loaded: ``coverage`` and ``targets`` in effect (with a
    what-if), the
    catalog's (``base_*``), the upload's own coverage, and the layers in effect (None: the
    catalog's)."""

    coverage: pd.DataFrame
    targets: pd.DataFrame
    base_coverage: pd.DataFrame
    base_targets: pd.DataFrame
    upload_coverage: pd.DataFrame | None = None
    layers: dict[str, gpd.GeoDataFrame] | None = None
    warnings: list = field(default_factory=list)
    error: LandplanError | None = None


def parcel_codes(counts: str) -> tuple[str, ...]:
    """The land-use codes that count, from the page's 'M1,M0' field."""
    return tuple(c.strip() for c in (counts or "").split(",") if c.strip())


def figures_in_effect(
    coverage: pd.DataFrame,
    targets: pd.DataFrame,
    upload: gpd.GeoDataFrame | None = None,
    role: str = "beside",
    official: bool = False,
    proposed: gpd.GeoDataFrame | None = None,
    parcels: gpd.GeoDataFrame | None = None,
    counts: str = "",
) -> Figures:
    """The catalog's ``coverage`` and ``targets`` (m²), replaced by the what-if's when an upload is
    used instead
    of the 20 parks or parks are drawn; loaded ``parcels`` measure the targets they can (``counts``:
    the land-use codes that count), as in the reports. An upload that covers no district (its
    coverage cannot be computed) counts toward nothing; why is in ``error``, and the coverage's
    warnings in ``warnings``."""
    fig = Figures(coverage, targets, coverage, targets)
    if upload is not None:
        try:
            fig.upload_coverage = district_coverage(unit="m2", layer=upload)
            fig.warnings = list(
                fig.upload_coverage.attrs.get("warnings", [])
            )  # e.g. no feature in any district
        except LandplanError as exc:
            fig.error = exc
    used = upload if fig.upload_coverage is not None else None
    try:
        fig.layers = layers_in_effect(used, role, official, proposed)
    except LandplanError as exc:  # indicative outlines ticked official: said, counted as proposed
        fig.error = exc
        fig.layers = layers_in_effect(used, role, False, proposed)
    if fig.layers and PARK_LAYER in fig.layers:
        fig.coverage = district_coverage(unit="m2", layer=fig.layers[PARK_LAYER])
        fig.targets = target_supply(unit="m2", supply_layers=fig.layers)
    if parcels is not None and parcel_codes(counts):
        fig.targets = with_parcel_supply(fig.targets, parcels, parcel_codes(counts), unit="m2")
    return fig


def district_targets(
    district: str,
    supply_layers: dict[str, gpd.GeoDataFrame] | None,
    parcels: gpd.GeoDataFrame | None = None,
    counts: str = "",
) -> pd.DataFrame:
    """The targets in effect for one district (m²), those parcels can measure from ``parcels``."""
    ts = target_supply(unit="m2", district=district, supply_layers=supply_layers)
    if parcels is not None and parcel_codes(counts):
        ts = with_parcel_supply(ts, parcels, parcel_codes(counts), unit="m2")
    return ts


def map_layers(
    catalog_layers: dict,
    shown: list[str],
    upload: gpd.GeoDataFrame | None,
    role: str,
    proposed: gpd.GeoDataFrame | None,
) -> dict[str, gpd.GeoDataFrame]:
    """The layers the map draws: the chosen catalog layers (the 20 parks left out when an upload
    replaces them),
    the upload and the drawn parks."""
    out = {
        lid: catalog_layers[lid]
        for lid in shown
        if not (role == "instead" and lid == PARK_LAYER and upload is not None)
    }
    if upload is not None:
        out["upload"] = upload
    if proposed is not None:
        out["proposed"] = proposed
    return out


def number(value: float) -> str:
    """An area as the page writes it: 2 decimals, thousands separated (12,345.67)."""
    return f"{value:,.2f}"


def whatif_line(fig: Figures, proposed: gpd.GeoDataFrame, lang: str, unit: str) -> str:
    """What the drawn parks give toward the 20 parks' area target, in words and ``unit``."""
    city = in_unit(fig.targets[fig.targets["target_id"] == CITY_PARKS_TARGET], unit).iloc[0]
    return text(lang)["page"]["whatif"].format(
        n=len(proposed),
        supplied=number(city["supplied"]),
        value=number(city["value"]),
        unit=unit_label(unit, lang),
        met=MET_LABELS[city["met_status"]][0 if lang == "zh" else 1],
    )


def workbook_tables(
    fig: Figures,
    overlaps: pd.DataFrame,
    gaps: pd.DataFrame,
    role: str,
    proposed: gpd.GeoDataFrame | None,
    unit: str,
) -> tuple[dict, dict | None]:
    """The tables of the page's workbook in ``unit`` (the catalog's, with an upload instead of the
    parks its
    coverage) and the what-if's own (with drawn parks), as ``downloads.shown_tables`` takes them."""
    cov = fig.base_coverage if role != "instead" or fig.upload_coverage is None else fig.coverage
    tables = {
        "coverage": cov,
        "targets": fig.base_targets,
        "overlaps": overlaps.drop(columns="geometry"),
        "cluster_gaps": gaps,
        "upload_coverage": fig.upload_coverage,
    }
    whatif = {"coverage": fig.coverage, "targets": fig.targets} if proposed is not None else None
    return (
        {k: None if v is None else in_unit(v, unit) for k, v in tables.items()},
        {k: in_unit(v, unit) for k, v in whatif.items()} if whatif else None,
    )
