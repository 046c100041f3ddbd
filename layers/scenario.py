"""The scenario in effect: which park and zone layers count, given uploads and proposed parks.

One function decides it for the map page, the reports and the command line, so that the
three never disagree about what an upload "instead of the 20 parks" or a drawn park changes.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.errors import LandplanError

from .loading import feature_ids, is_polygonal, load

#: the catalog layer an upload can replace and proposed parks are added to
PARK_LAYER = "sz20_parks"
#: the kind of feature the targets of the 20 parks count
PARK_KIND = "sz20_park"
#: how an uploaded layer is used: shown beside the 20 parks, or counted instead of them
ROLES = ("beside", "instead")


def layers_in_effect(
    upload: gpd.GeoDataFrame | None = None,
    upload_role: str = "beside",
    upload_official: bool = False,
    proposed: gpd.GeoDataFrame | None = None,
) -> dict[str, gpd.GeoDataFrame] | None:
    """The layers that replace or join the catalog's, by id (None when the catalog stands as it is).

    Parameters
    ----------
    upload : geopandas.GeoDataFrame, optional
        A user's park layer.
    upload_role : {'beside', 'instead'}, default 'beside'
        'beside': shown as layer ``upload``, counts toward nothing; 'instead': replaces the 20 parks
        for coverage and targets.
    upload_official : bool, default False
        The upload holds official outlines: its supply is a measurement ('official' precision);
        otherwise it is a user's proposal ('user' precision, basis 'proposed').
    proposed : geopandas.GeoDataFrame, optional
        Parks drawn or loaded for a what-if ('proposed' precision), added to the parks in effect.

    Returns
    -------
    dict of str to geopandas.GeoDataFrame or None
        Layers by id (EPSG:4326), as :func:`layers.supply.target_supply` takes them.

    Raises
    ------
    LandplanError
        An unknown ``upload_role``; an upload marked official whose outlines say they are
        indicative (``precision`` 'indicative' or 'none', as the catalog's do): a drawn disc is
        not a measurement, whatever it is called.
    """
    if upload_role not in ROLES:
        raise LandplanError(
            f"未知用法 {upload_role!r}；可用 beside（并列）或 instead（替代20大园区）。",
            f"Unknown role {upload_role!r}; use beside or instead.",
        )
    if upload is not None and upload_official:
        check_official_outlines(upload)
    extra: dict[str, gpd.GeoDataFrame] = {}
    parks = load(PARK_LAYER)
    if upload is not None:
        up = upload.to_crs(parks.crs).copy()
        if upload_official:
            up["precision"] = "official"
        elif "precision" not in up.columns:
            up["precision"] = "user"
        if upload_role == "instead":
            if "kind" not in up.columns:  # used as the 20 parks, its features count as parks
                up["kind"] = PARK_KIND
            up["kind"] = up["kind"].fillna(PARK_KIND)
            parks = up
        else:
            extra["upload"] = up
    if proposed is not None and len(proposed):
        prop = proposed.to_crs(parks.crs).assign(precision="proposed")
        prop["kind"] = prop["kind"].fillna(PARK_KIND) if "kind" in prop.columns else PARK_KIND
        # every park keeps an id of its own once the two are one layer: the parks' own, the
        # proposed parks' own or proposed_1, proposed_2, ...
        own = prop["feature_id"] if "feature_id" in prop.columns else pd.Series(None, prop.index)
        numbered = pd.Series([f"proposed_{i + 1}" for i in range(len(prop))], index=prop.index)
        prop["feature_id"] = own.where(own.notna(), numbered).astype(str)
        parks = parks.assign(feature_id=feature_ids(parks).to_numpy())
        parks = gpd.GeoDataFrame(pd.concat([parks, prop], ignore_index=True), crs=parks.crs)
    if (upload is not None and upload_role == "instead") or (
        proposed is not None and len(proposed)
    ):
        extra[PARK_LAYER] = parks
    return extra or None


#: precision values that say an outline is not a measurement (layers.load marks the catalog's so)
NOT_OFFICIAL = ("indicative", "none")


def check_official_outlines(upload: gpd.GeoDataFrame) -> None:
    """Refuse outlines marked official that say they are indicative (``precision``).

    The catalog's layers say so of every drawn outline (:func:`layers.loading.load`), and so does a
    file written from them; a layer without a ``precision`` column is the user's word.

    Parameters
    ----------
    upload : geopandas.GeoDataFrame
        The layer to be counted as official outlines.

    Raises
    ------
    LandplanError
        In one sentence, naming the layer and how many of its outlines are indicative.
    """
    from .catalog_tables import LAYER_IDS
    from .names import layer_name

    lid = upload.attrs.get("layer_id")
    precision = upload["precision"] if "precision" in upload.columns else None
    flagged = int(precision.isin(NOT_OFFICIAL).sum()) if precision is not None else 0
    if not flagged:
        return
    zh = f"“{layer_name(lid, 'zh')}”" if lid in LAYER_IDS else "上传图层"
    en = f"'{layer_name(lid, 'en')}'" if lid in LAYER_IDS else "the uploaded layer"
    n = int((precision == "indicative").sum()) or flagged
    raise LandplanError(
        f"{zh}的 {n} 个边界是示意边界，不能作为正式边界计量：请载入官方或实测的边界，"
        "或不标为正式边界（作为拟建方案）。",
        f"The {n} outline{'s' if n != 1 else ''} of {en} are indicative, so they cannot be "
        "counted as official outlines: load official or surveyed outlines, or leave them "
        "unmarked (a proposal).",
    )


def parks_in_effect(supply_layers: dict[str, gpd.GeoDataFrame] | None) -> gpd.GeoDataFrame:
    """The park layer whose coverage of the districts is shown: the 20 parks, or what replaced them.

    Parameters
    ----------
    supply_layers : dict of str to geopandas.GeoDataFrame or None
        From :func:`layers_in_effect`.

    Returns
    -------
    geopandas.GeoDataFrame
    """
    return (supply_layers or {}).get(PARK_LAYER, load(PARK_LAYER))


#: how a layer is in the plan
LAYER_ROLES = {
    "catalog": "the catalog's layer as shipped",
    "parks_instead": "an upload counted instead of the 20 parks",
    "parks_with_proposed": "the 20 parks with proposed (what-if) parks",
    "upload_beside": "an upload shown beside the 20 parks, counted toward nothing",
}


def layer_roles(scenario, frames: dict[str, gpd.GeoDataFrame]) -> pd.DataFrame:
    """One row per layer in effect (``frames``: the plan's layers by id): layer_id, role
    (:data:`LAYER_ROLES`, from the scenario's upload and its role and its proposed parks),
    features, outlined (with an area), the number of features of each precision (columns
    ``precision_<value>``).

    Parameters
    ----------
    scenario : layers.store.Scenario or None
    frames : dict of str to geopandas.GeoDataFrame

    Returns
    -------
    pandas.DataFrame
    """
    s = scenario
    roles = {lid: "catalog" for lid in frames}
    if s is not None and s.upload is not None:
        roles["upload" if s.role == "beside" else PARK_LAYER] = (
            "upload_beside" if s.role == "beside" else "parks_instead"
        )
    if s is not None and s.proposed is not None and len(s.proposed):
        roles[PARK_LAYER] = (
            "parks_instead" if roles[PARK_LAYER] == "parks_instead" else "parks_with_proposed"
        )
    rows = []
    for lid, gdf in frames.items():
        prec = gdf["precision"] if "precision" in gdf.columns else pd.Series("user", gdf.index)
        row = {
            "layer_id": lid,
            "role": roles.get(lid, "catalog"),
            "features": len(gdf),
            "outlined": int(is_polygonal(gdf).sum()),
        }
        row.update({f"precision_{k}": int(v) for k, v in prec.value_counts().items()})
        rows.append(row)
    out = pd.DataFrame(rows)
    cols = [c for c in out.columns if c.startswith("precision_")]
    out[cols] = out[cols].fillna(0).astype(int)
    return out
