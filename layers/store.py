"""The plan store: named, versioned scenarios with their layers, in a GeoPackage or PostGIS.

A scenario is what counts in a what-if: the uploaded park layer and its role (beside / instead of
the 20 parks, official outlines or not), proposed parks, optionally a parcel layer, plus who saved
it, when, and a note. Saving under a name that exists adds a version; earlier versions stay.

Two tables, the same in both stores (user-given names are values in them, never SQL identifiers):

- ``landplan_scenarios``: one row per saved version (id, name, version, saved_at, saved_by, note,
  upload_role, official, parts: feature count per part);
- ``landplan_scenario_features``: the features (scenario_id, part
  ``upload``/``proposed``/``parcels``,
  attrs: the feature's attributes as a JSON object, geom in EPSG:4326).

A save writes the version row and all its features in one transaction: a save that fails leaves
nothing, and two saves at once both land (with versions n and n+1).
"""

from __future__ import annotations

import getpass
import io
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.crs import WGS84
from geo.errors import LandplanError
from geo.io.sql import is_db_url

from .scenario import ROLES, check_official_outlines, layers_in_effect

#: environment variable naming the store (a GeoPackage path or a postgresql:// URL)
STORE_ENV = "LANDPLAN_STORE"
SCENARIOS = "landplan_scenarios"
FEATURES = "landplan_scenario_features"
#: the layers a scenario holds
PARTS = ("upload", "proposed", "parcels")
_SRID = 4326


@dataclass
class Scenario:
    """One saved version of a named scenario, with its layers (EPSG:4326, None when absent).

    Parameters
    ----------
    name : str
        The scenario's name.
    version : int
        Its version (1, 2, ... in the order saved).
    saved_at, saved_by, note : str
        When (ISO 8601, UTC) and by whom it was saved, and the note given.
    role : {'beside', 'instead'}
        The upload's role (:func:`layers.scenario.layers_in_effect`).
    official : bool
        The upload holds official outlines.
    upload, proposed, parcels : geopandas.GeoDataFrame or None
        The layers saved.
    parts : dict of str to int
        Features saved per layer.
    """

    name: str
    version: int = 0
    saved_at: str = ""
    saved_by: str = ""
    note: str = ""
    role: str = "beside"
    official: bool = False
    upload: gpd.GeoDataFrame | None = None
    proposed: gpd.GeoDataFrame | None = None
    parcels: gpd.GeoDataFrame | None = None
    parts: dict = field(default_factory=dict)

    def supply_layers(self) -> dict[str, gpd.GeoDataFrame] | None:
        """The layers in effect, as the page and the reports use them.

        See :func:`layers.scenario.layers_in_effect`.

        Returns
        -------
        dict of str to geopandas.GeoDataFrame or None
        """
        return layers_in_effect(self.upload, self.role, self.official, self.proposed)

    def info(self) -> dict:
        """The scenario's record without its layers.

        name, version, saved_at, saved_by, note, role, official, parts.

        Returns
        -------
        dict
        """
        return {
            "name": self.name,
            "version": self.version,
            "saved_at": self.saved_at,
            "saved_by": self.saved_by,
            "note": self.note,
            "role": self.role,
            "official": self.official,
            "parts": dict(self.parts),
        }


def default_store() -> str:
    """``$LANDPLAN_STORE``, or the embedded GeoPackage ``~/.landplan/plans.gpkg``.

    Returns
    -------
    str
    """
    return os.environ.get(STORE_ENV) or str(Path.home() / ".landplan" / "plans.gpkg")


def open_store(spec: str | os.PathLike | None = None) -> Store:
    """The store at ``spec``: a postgresql:// URL or a GeoPackage path.

    Default: :func:`default_store`.

    Parameters
    ----------
    spec : str or os.PathLike, optional
        A ``postgresql://`` URL or a GeoPackage path.

    Returns
    -------
    Store
        :class:`~layers.store_postgis.PostgisStore` or :class:`~layers.store_gpkg.GeoPackageStore`
        (nothing is opened until used).
    """
    spec = str(spec) if spec else default_store()
    if is_db_url(spec):
        from .store_postgis import PostgisStore

        return PostgisStore(spec)
    from .store_gpkg import GeoPackageStore

    return GeoPackageStore(Path(spec).expanduser())


def _features(sc_parts: dict[str, gpd.GeoDataFrame | None]) -> tuple[pd.DataFrame, dict[str, int]]:
    """The feature rows of a save: part, attrs (JSON), geometry (EPSG:4326); the count per part."""
    frames, counts = [], {}
    for part in PARTS:
        gdf = sc_parts.get(part)
        if gdf is None:
            continue
        if gdf.crs is None:
            raise LandplanError(
                f"{part} 图层没有坐标系，保存前请指定（--crs）。",
                f"The {part} layer has no coordinate system; give it one (--crs) before saving.",
            )
        g = gdf.to_crs(WGS84)
        table = pd.DataFrame(g.drop(columns=g.geometry.name)).reset_index(drop=True)
        # one JSON object per feature (JSON lines: newlines inside values are escaped, so a line is
        # a row)
        lines = (
            table.to_json(
                orient="records", lines=True, force_ascii=False, date_format="iso"
            ).splitlines()
            if len(g)
            else []
        )
        frames.append(pd.DataFrame({"part": part, "attrs": lines, "geometry": g.geometry.values}))
        counts[part] = len(g)
    if not frames:
        return pd.DataFrame({"part": [], "attrs": [], "geometry": []}), counts
    return pd.concat(frames, ignore_index=True), counts


def _layer(rows: pd.DataFrame, part: str) -> gpd.GeoDataFrame:
    sel = rows[rows["part"] == part]
    if len(sel) and isinstance(
        sel["attrs"].iloc[0], str
    ):  # JSON text: parse all rows at once, values as written
        attrs = pd.read_json(
            io.StringIO("\n".join(sel["attrs"])), lines=True, orient="records", dtype=False
        )
    else:  # already parsed (psycopg reads a json column into dicts)
        attrs = pd.DataFrame(list(sel["attrs"]))
    return gpd.GeoDataFrame(attrs, geometry=list(sel["geometry"]), crs=WGS84)


def _check_name(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise LandplanError("方案需要一个名称。", "A scenario needs a name.")
    return name


class Store:
    """Common behaviour; :class:`~layers.store_gpkg.GeoPackageStore` and
    :class:`~layers.store_postgis.PostgisStore` read and write."""

    where: str

    def save(
        self,
        name: str,
        upload: gpd.GeoDataFrame | None = None,
        role: str = "beside",
        official: bool = False,
        proposed: gpd.GeoDataFrame | None = None,
        parcels: gpd.GeoDataFrame | None = None,
        note: str = "",
        by: str | None = None,
    ) -> Scenario:
        """Save a new version of scenario ``name`` (1 for a new name).

        Returns it with its version and time.

        Parameters
        ----------
        name : str
            The scenario's name.
        upload : geopandas.GeoDataFrame, optional
            The uploaded park layer.
        role : {'beside', 'instead'}, default 'beside'
            Beside or instead of the 20 parks.
        official : bool, default False
            The upload holds official outlines.
        proposed : geopandas.GeoDataFrame, optional
            Proposed parks (drawn or from a file).
        parcels : geopandas.GeoDataFrame, optional
            A parcel layer kept with the scenario.
        note : str, default ''
            Free text.
        by : str, optional
            Who saves (default: the operating-system user).

        Returns
        -------
        Scenario

        Raises
        ------
        LandplanError
            A name that cannot be stored, an unknown ``role``, a store that cannot be written,
            indicative outlines marked ``official``.
        """
        _check_name(name)
        if role not in ROLES:
            raise LandplanError(
                f"未知用法 {role!r}；可用 beside（并列）或 instead（替代20大园区）。",
                f"Unknown role {role!r}; use beside or instead.",
            )
        if upload is not None and official:  # a drawn disc is not saved as a measurement
            check_official_outlines(upload)
        rows, counts = _features({"upload": upload, "proposed": proposed, "parcels": parcels})
        meta = {
            "name": name,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "saved_by": by or _os_user(),
            "note": note or "",
            "upload_role": role,
            "official": bool(official),
            "parts": json.dumps(counts),
        }
        version = self._save(meta, rows)
        return Scenario(
            name=name,
            version=version,
            saved_at=meta["saved_at"],
            saved_by=meta["saved_by"],
            note=meta["note"],
            role=role,
            official=bool(official),
            upload=upload,
            proposed=proposed,
            parcels=parcels,
            parts=counts,
        )

    def versions(self, name: str | None = None) -> pd.DataFrame:
        """Every saved version (of ``name``, or all).

        Columns: name, version, saved_at, saved_by, note, role, official, parts.

        Parameters
        ----------
        name : str, optional
            Only this scenario's versions.

        Returns
        -------
        pandas.DataFrame
        """
        df = self._meta(name)
        return df.drop(columns="id")

    def list(self) -> pd.DataFrame:
        """One row per scenario: name, versions, latest, and saved_at, saved_by, note of the latest.

        Returns
        -------
        pandas.DataFrame
        """
        df = self._meta(None)
        cols = ["name", "versions", "latest", "saved_at", "saved_by", "note"]
        if df.empty:
            return pd.DataFrame(columns=cols)
        latest = (
            df.sort_values(["name", "version"])
            .groupby("name", sort=False)
            .tail(1)
            .set_index("name")
        )
        counts = df.groupby("name")["version"].count()
        out = latest.assign(versions=counts, latest=latest["version"]).reset_index()
        return out.sort_values("saved_at", ascending=False, kind="stable")[cols].reset_index(
            drop=True
        )

    def open(self, name: str, version: int | None = None, parts=PARTS) -> Scenario:
        """A saved scenario with its layers (the latest version unless ``version``).

        Parameters
        ----------
        name : str
            The scenario's name.
        version : int, optional
            The version (default: the latest).
        parts : sequence of str, default PARTS
            The layers to read (e.g. ``("upload", "proposed")`` for figures that do not use the
            parcels, ``()`` for the record only); the others are None.

        Returns
        -------
        Scenario

        Raises
        ------
        LandplanError
            No such scenario or version, or a store that cannot be read.
        """
        _check_name(name)
        parts_wanted = [p for p in PARTS if p in parts]
        df = self._meta(name)
        if df.empty:
            raise LandplanError(
                f"{self.where} 中没有方案 {name!r}。",
                f"There is no scenario {name!r} in {self.where}.",
            )
        row = df.iloc[-1] if version is None else df[df["version"] == int(version)].squeeze(axis=0)
        if isinstance(row, pd.DataFrame):  # no such version
            have = ", ".join(map(str, df["version"]))
            raise LandplanError(
                f"方案 {name!r} 没有第 {version} 版；现有版本：{have}。",
                f"Scenario {name!r} has no version {version}; it has {have}.",
            )
        parts = json.loads(row["parts"]) if isinstance(row["parts"], str) else dict(row["parts"])
        to_read = [p for p in parts_wanted if p in parts]
        rows = self._features(int(row["id"]), to_read) if to_read else None
        layers_ = {p: (_layer(rows, p) if p in to_read else None) for p in PARTS}
        return Scenario(
            name=row["name"],
            version=int(row["version"]),
            saved_at=str(row["saved_at"]),
            saved_by=row["saved_by"],
            note=row["note"],
            role=row["upload_role"],
            official=bool(row["official"]),
            parts=parts,
            **layers_,
        )

    # implemented by the stores
    def _save(self, meta: dict, rows: pd.DataFrame) -> int:
        raise NotImplementedError

    def _meta(self, name: str | None) -> pd.DataFrame:
        raise NotImplementedError

    def _features(self, scenario_id: int, parts: list[str]) -> pd.DataFrame:
        raise NotImplementedError


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in this environment
        return "unknown"


_META_COLUMNS = [
    "id",
    "name",
    "version",
    "saved_at",
    "saved_by",
    "note",
    "upload_role",
    "official",
    "parts",
]
