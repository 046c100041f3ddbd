"""The plan store's record and interface: :class:`Scenario`, :class:`Store` and the tables' names.

The two stores (:mod:`layers.store.gpkg`, :mod:`layers.store.postgis`) implement ``_save``,
``_meta``, ``_features`` and, for the progress ledger, ``_append_entries`` and ``_entries``;
:mod:`layers.store` opens the right one.
"""

from __future__ import annotations

import getpass
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd

from geo.crs import WGS84
from geo.errors import LandplanError

from ..scenario import ROLES, check_official_outlines, layers_in_effect
from .entries import PROGRESS_COLUMNS

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
    """Common behaviour; :class:`~layers.store.gpkg.GeoPackageStore` and
    :class:`~layers.store.postgis.PostgisStore` read and write."""

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
            # to the millisecond, as ledger entries are: the ledger a save read is exact
            "saved_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "saved_by": by or os_user(),
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

    def append_entries(self, entries: pd.DataFrame) -> pd.DataFrame:
        """Append progress-ledger entries, all in one transaction, stamped with the UTC time.

        The entries come checked from :func:`layers.ledger.add_entries`; in the same transaction
        the store checks what only it knows: each entry named in ``corrects`` exists, is of the
        same target and has not been corrected yet. Nothing is ever updated or deleted; two
        people appending at once are both kept.

        Parameters
        ----------
        entries : pandas.DataFrame
            target_id, value, unit, as_of (YYYY-MM-DD), source, entered_by, note, corrects.

        Returns
        -------
        pandas.DataFrame
            The entries as stored (:data:`PROGRESS_COLUMNS`), with their ids.

        Raises
        ------
        LandplanError
            A correction the store refuses, or a store that cannot be written (nothing saved).
        """
        rows = entries[[c for c in PROGRESS_COLUMNS if c not in ("id", "entered_at")]].copy()
        rows["corrects"] = rows["corrects"].astype("Int64")
        named = rows["corrects"].dropna()
        if named.duplicated().any():
            i = int(named[named.duplicated()].iloc[0])
            raise LandplanError(
                f"条目 {i} 被更正了两次；每个条目只能更正一次，未保存任何内容。",
                f"Entry {i} is corrected twice; an entry is corrected once. Nothing was saved.",
            )
        now = datetime.now(UTC)
        rows["entered_at"] = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
        ids = self._append_entries(rows) if len(rows) else []
        rows.insert(0, "id", pd.array(ids, dtype="Int64"))
        return rows[PROGRESS_COLUMNS].reset_index(drop=True)

    def entries(self, target_id: str | None = None) -> pd.DataFrame:
        """Every progress-ledger entry (of ``target_id``, or all), in the order entered.

        Parameters
        ----------
        target_id : str, optional

        Returns
        -------
        pandas.DataFrame
            :data:`PROGRESS_COLUMNS`; empty when nothing was entered (reading creates nothing).
        """
        return self._entries(target_id)

    # implemented by the stores
    def _append_entries(self, rows: pd.DataFrame) -> list[int]:
        raise NotImplementedError

    def _entries(self, target_id: str | None) -> pd.DataFrame:
        raise NotImplementedError

    def _save(self, meta: dict, rows: pd.DataFrame) -> int:
        raise NotImplementedError

    def _meta(self, name: str | None) -> pd.DataFrame:
        raise NotImplementedError

    def _features(self, scenario_id: int, parts: list[str]) -> pd.DataFrame:
        raise NotImplementedError


def os_user() -> str:
    """Who is logged in (the operating-system user): who saves or enters when nobody is named."""
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
