"""The tables the map page and reports show, computed from the catalog (same numbers as the CLI)."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.analysis import coverage, overlaps
from geo.units import convert_area

from .load import feature_ids, load, polygon_features


def district_coverage(layer_id: str = "sz20_parks", unit: str = "km2",
                      layer: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Per district: outline area, published land area, area covered by the layer (union), %, count, names.

    ``zone_area`` is the area of the district's outline (a web map's, with some sea) and
    ``covered_pct`` is a share of it; ``published_land_area`` is the district's published land
    area (``land_area_source``) in the same unit, shown beside it and never used as a divisor.
    """
    parks = polygon_features(layer if layer is not None else load(layer_id))
    districts = load("districts")
    cov = coverage(parks, by=districts, zone_id="district_id", unit=unit)
    info = districts.set_index("district_id")
    info = info.assign(published_land_area=convert_area(info["official_land_km2"].astype(float), "km2", unit),
                       land_area_source=info["official_land_source"])
    out = cov.merge(info[["name_zh", "name_en", "published_land_area", "land_area_source"]],
                    left_on="zone_id", right_index=True)[
        ["zone_id", "name_zh", "name_en", "zone_area", "published_land_area", "covered_area", "uncovered_area",
         "covered_pct", "feature_count", "unit", "land_area_source"]]
    out.attrs["warnings"] = list(cov.attrs.get("warnings", []))  # e.g. no feature lies in any district
    return out


def catalog_overlaps(layer_ids=("sz20_parks", "longgang_parks", "pingshan_zones"), unit: str = "km2"
                     ) -> gpd.GeoDataFrame:
    """Overlaps between the polygon features of the given layers (within and across layers).

    Features that are the same park in two layers (``same_as``) are not reported as overlaps.
    """
    frames = []
    for lid in layer_ids:
        g = polygon_features(load(lid))
        frames.append(g.assign(_id=lid + ":" + feature_ids(g)))
    allf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)
    ov = overlaps(allf, id_col="_id", unit=unit)
    full_id = dict(zip(allf["_id"].str.split(":", n=1).str[1], allf["_id"]))
    same = {frozenset((i, full_id[t])) for i, t in zip(allf["_id"], allf.get("same_as", pd.Series(dtype=object)))
            if isinstance(t, str) and t in full_id}
    keep = [frozenset((a, b)) not in same for a, b in zip(ov["a_id"], ov["b_id"])]
    out = ov[keep].reset_index(drop=True)
    out.attrs["double_counted"] = float(out["area"].sum())
    return out.to_crs(4326)

